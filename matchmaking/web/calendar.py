"""Calendar: the private subscription feed and its settings; .ics responses."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Meeting, Participant
from ..services import agenda as agenda_service
from ..services import calendar_feed, ical
from ..services.errors import NotFound
from .forms import ActionForm

bp = Blueprint("calendar", __name__)


def _labels() -> dict[str, str]:
    return {
        "summary": _("Meeting: {name} ({organisation})"),
        "with": _("Meeting with {name}, {organisation}"),
        "event": _("Event: {event}"),
        "offers": _("They offer: {text}"),
        "seeks": _("They seek: {text}"),
        "online": _("Online"),
    }


def meeting_pairs(meetings: list[Meeting], mine: dict[int, Participant]) -> list[tuple[Meeting, Participant]]:
    """Each meeting with the participant whose view it is (their own side)."""
    pairs = []
    for meeting in meetings:
        me = mine.get(meeting.participant_a_id) or mine.get(meeting.participant_b_id)
        pairs.append((meeting, me))
    return pairs


def ics_response(pairs, *, name: str, filename: str | None = None) -> Response:
    body = ical.calendar_for(pairs, name=name, domain=current_app.config.get("ICAL_UID_DOMAIN", "matchmaking"),
                             labels=_labels())
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def settings():
    form = ActionForm()
    if form.validate_on_submit():
        calendar_feed.revoke_feed(current_user, current_app.config["SECRET_KEY"])
        db.session.commit()
        flash(_("A new feed address was made; the old one no longer works."), "success")
        return redirect(url_for("calendar.settings"))
    token = calendar_feed.ensure_feed(current_user, current_app.config["SECRET_KEY"])
    db.session.commit()
    https_url = url_for("calendar.feed", token=token, _external=True)
    webcal_url = "webcal://" + https_url.split("://", 1)[1]
    return render_template("calendar/settings.html", form=form, feed_url=https_url, webcal_url=webcal_url)


@bp.route("/calendar/feed/<token>.ics")
def feed(token: str):
    user = calendar_feed.user_for_token(token)
    if user is None:
        raise NotFound()
    meetings = agenda_service.agenda_for_user(user.id)
    mine = {p.id: p for m in meetings for p in (m.participant_a, m.participant_b) if p.user_id == user.id}
    response = ics_response(meeting_pairs(meetings, mine), name=_("My brokerage meetings"))
    response.headers["Cache-Control"] = "private, max-age=300"
    return response

