"""Calendar files as responses: meetings and programme sessions as VEVENTs, feeds with ETags."""
from __future__ import annotations

import hashlib

from flask import Response, current_app, request

from ..models import Meeting, Participant, ProgrammeSession
from ..services import ical
from .labels import PROGRAMME_KINDS


def _domain() -> str:
    return current_app.config.get("ICAL_UID_DOMAIN", "matchmaking")


def meeting_events(pairs: list[tuple[Meeting, Participant]]) -> list:
    words, domain = ical.translated_labels(), _domain()
    return [ical.meeting_vevent(m, me, domain, words) for m, me in pairs]


def session_events(sessions: list[tuple[ProgrammeSession, object]]) -> list:
    domain = _domain()
    return [ical.session_vevent(s, event.timezone, domain, str(PROGRAMME_KINDS.get(s.kind, s.kind)))
            for s, event in sessions]


FEED_CACHE = "private, max-age=300"


def ics_response(vevents: list, *, name: str, filename: str | None = None, feed: bool = False) -> Response:
    """Serve a calendar; a feed answers If-None-Match with 304 when nothing changed."""
    body = ical.calendar_document(vevents, name=name, feed=feed)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if feed:
        # Calendar clients (Outlook, Google, Apple) poll the address: they may keep it five minutes and
        # then ask again with If-None-Match (a 304 when nothing changed); "private" keeps it out of
        # shared caches, since the address is the key. no-store would make every poll a full download
        # and gives nothing here, as the client keeps the events anyway.
        response.set_etag(hashlib.sha256(body).hexdigest()[:32])
        response.headers["Cache-Control"] = FEED_CACHE
        response = response.make_conditional(request)
    else:  # a one-off download of one person's meetings
        response.headers["Cache-Control"] = "private, no-store"
    return response


def add_links(meeting: Meeting, me: Participant) -> ical.CalendarLinks:
    """Google's and Outlook's "add this event" links, with the same text as the meeting's .ics."""
    return ical.add_links(meeting_events([(meeting, me)])[0])
