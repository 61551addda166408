"""The private calendar feed: its address (and a new one on request), and the feed itself."""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...services import agenda as agenda_service
from ...services import calendar_feed
from ...services.errors import NotFound
from ..forms import ActionForm
from ..helpers import done
from ..ics import ics_response, meeting_events, session_events
from .settings import settings_page


def calendar():
    form = ActionForm()
    if form.validate_on_submit():
        calendar_feed.revoke_feed(current_user, current_app.config["SECRET_KEY"])
        return done(_("A new feed address was made; the old one no longer works."), url_for("account.calendar"))
    token = calendar_feed.ensure_feed(current_user, current_app.config["SECRET_KEY"])
    db.session.commit()
    https_url = url_for("account.feed", token=token, _external=True)
    return settings_page(https_url, "webcal://" + https_url.split("://", 1)[1], form)


def feed(token: str):
    user = calendar_feed.user_for_token(token)
    if user is None:
        raise NotFound()
    pairs, sessions = agenda_service.feed_items(user.id)
    # The calendar app that polls has no session and sends no language: the feed speaks the owner's.
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return ics_response(meeting_events(pairs) + session_events(sessions), name=_("My brokerage meetings"),
                            feed=True)
