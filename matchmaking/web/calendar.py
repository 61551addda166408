"""Calendar: the private subscription feed and its settings, the programme feed; .ics responses."""
from __future__ import annotations

import hashlib

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Meeting, Participant, ProgrammeSession
from ..services import agenda as agenda_service
from ..services import calendar_feed, ical, outbox, programme
from ..services import events as event_service
from ..services.errors import NotFound
from .forms import ActionForm, MailPreferencesForm, PreferencesForm
from .labels import PROGRAMME_KINDS

bp = Blueprint("calendar", __name__)


def _domain() -> str:
    return current_app.config.get("ICAL_UID_DOMAIN", "matchmaking")


def meeting_events(pairs: list[tuple[Meeting, Participant]]) -> list:
    words, domain = ical.translated_labels(), _domain()
    return [ical.meeting_vevent(m, me, domain, words) for m, me in pairs]


def session_events(sessions: list[tuple[ProgrammeSession, object]]) -> list:
    domain = _domain()
    return [ical.session_vevent(s, event.timezone, domain, str(PROGRAMME_KINDS.get(s.kind, s.kind)))
            for s, event in sessions]


def ics_response(vevents: list, *, name: str, filename: str | None = None, feed: bool = False) -> Response:
    """Serve a calendar; a feed answers If-None-Match with 304 when nothing changed."""
    body = ical.calendar_document(vevents, name=name, feed=feed)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if feed:
        response.set_etag(hashlib.sha256(body).hexdigest()[:32])
        response.headers["Cache-Control"] = "private, max-age=300"
        response = response.make_conditional(request)
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
    mail_form = MailPreferencesForm(categories=sorted(set(outbox.MAIL_CATEGORIES) - outbox.muted(current_user)))
    preferences_form = PreferencesForm(languages=current_app.config["LANGUAGES"],
                                       locale=current_user.locale or "en", timezone=current_user.timezone or "")
    return render_template("calendar/settings.html", form=form, feed_url=https_url, webcal_url=webcal_url,
                           mail_form=mail_form, preferences_form=preferences_form)


@bp.route("/account/mail", methods=["POST"])
@login_required
def mail_preferences():
    form = MailPreferencesForm()
    if form.validate_on_submit():
        outbox.set_muted(current_user, set(outbox.MAIL_CATEGORIES) - set(form.categories.data or ()))
        db.session.commit()
        flash(_("Your e-mail choices are saved."), "success")
    return redirect(url_for("calendar.settings"))


@bp.route("/calendar/feed/<token>.ics")
def feed(token: str):
    user = calendar_feed.user_for_token(token)
    if user is None:
        raise NotFound()
    pairs, sessions = agenda_service.feed_items(user.id)
    return ics_response(meeting_events(pairs) + session_events(sessions), name=_("My brokerage meetings"),
                        feed=True)


@bp.route("/events/<int:event_id>/programme.ics")
def programme_feed(event_id: int):
    """The event's programme, public like the event page."""
    event = event_service.get_event(event_id)
    sessions = [(s, event) for s in programme.event_programme(event.id)]
    return ics_response(session_events(sessions), name=event.name, feed=True)
