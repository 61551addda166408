"""Building iCalendar documents for meetings and programme sessions (the web layer serves them).

What calendar clients obey: one UID per meeting for life; every change raises SEQUENCE and
LAST-MODIFIED; a cancelled meeting stays as STATUS:CANCELLED so subscribed calendars remove it;
times carry a TZID with its VTIMEZONE; no ORGANIZER or ATTENDEE (clients would treat the event as
an invitation and offer to reply), so the partner's contact details (while the meeting is not
cancelled) are a line of the DESCRIPTION.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, vDuration, vText
from icalendar import Event as VEvent

from ..models import Meeting, Participant, ProgrammeSession
from .contacts import partner_contacts
from .localized import system_text
from .timezones import to_local
from .vtimezone import vtimezone

FEED_REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class CalendarLabels:
    """The calendar's words, in the reader's language (the web layer translates them)."""

    summary: str  # "Meeting: {name} ({organisation})"
    with_: str  # "Meeting with {name}, {organisation}"
    event: str  # "Event: {event}"
    offers: str  # "They offer: {text}"
    seeks: str  # "They seek: {text}"
    online: str  # "Online"
    cancelled: str  # "Cancelled: {reason}"
    contact: str = "Contact: {details}"


def translated_labels() -> CalendarLabels:
    """The labels in the current locale (a request's, or the one an e-mail is rendered in)."""
    from flask_babel import gettext as _

    return CalendarLabels(
        summary=_("Meeting: {name} ({organisation})"), with_=_("Meeting with {name}, {organisation}"),
        event=_("Event: {event}"), offers=_("They offer: {text}"), seeks=_("They seek: {text}"),
        online=_("Online"), cancelled=_("Cancelled: {reason}"), contact=_("Contact: {details}"),
    )


def meeting_uid(meeting: Meeting, domain: str) -> str:
    """Stable for the meeting's whole life, whatever moves, so calendars update instead of duplicate."""
    return f"meeting-{meeting.id}@{domain}"


def _utc(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC)


def meeting_vevent(meeting: Meeting, me: Participant, domain: str, labels: CalendarLabels) -> VEvent:
    partner = meeting.other(me.id)
    event = me.event
    vevent = VEvent()
    vevent.add("uid", meeting_uid(meeting, domain))
    vevent.add("dtstamp", _utc(meeting.updated_at))
    vevent.add("last-modified", _utc(meeting.updated_at))
    vevent.add("sequence", meeting.sequence)
    vevent.add("dtstart", to_local(meeting.slot.starts_at, event.timezone))
    vevent.add("dtend", to_local(meeting.slot.ends_at, event.timezone))
    vevent.add("summary", labels.summary.format(name=partner.name, organisation=partner.organisation_name))
    if meeting.online:
        location = labels.online
    else:
        parts = [meeting.table.name if meeting.table else "", meeting.table.location if meeting.table else "",
                 event.venue]
        location = ", ".join(p for p in parts if p)
    vevent.add("location", vText(location))
    if meeting.video_url:
        vevent.add("url", meeting.video_url)
    lines = [labels.with_.format(name=partner.name, organisation=partner.organisation_name),
             labels.event.format(event=event.name)]
    if meeting.cancelled_at is not None:
        lines.insert(0, labels.cancelled.format(reason=system_text(meeting.cancel_reason)))
    if partner.offer:
        lines.append(labels.offers.format(text=partner.offer))
    if partner.seek:
        lines.append(labels.seeks.format(text=partner.seek))
    shared = partner_contacts(meeting, me)  # None once cancelled: the partner's details go with the meeting
    if shared is not None:
        details = [shared.email, shared.phone, shared.website, shared.linkedin]
        lines.append(labels.contact.format(details=" · ".join(d for d in details if d)))
    vevent.add("description", "\n".join(lines))
    vevent.add("status", "CANCELLED" if meeting.cancelled_at is not None else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if meeting.cancelled_at is not None else "OPAQUE")
    return vevent


def session_vevent(session: ProgrammeSession, timezone: str, domain: str, kind_label: str) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", f"programme-{session.id}@{domain}")
    vevent.add("dtstamp", _utc(session.starts_at))
    vevent.add("sequence", 0)
    vevent.add("dtstart", to_local(session.starts_at, timezone))
    vevent.add("dtend", to_local(session.ends_at, timezone))
    vevent.add("summary", f"{kind_label}: {session.title}")
    if session.place:
        vevent.add("location", vText(session.place))
    if session.video_url:
        vevent.add("url", session.video_url)
    if session.description:
        vevent.add("description", session.description)
    vevent.add("status", "CONFIRMED")
    return vevent


def calendar_document(vevents: list[VEvent], *, name: str, feed: bool) -> bytes:
    """A VCALENDAR with the events and the VTIMEZONEs their times use; a feed also says how often to poll."""
    cal = Calendar()
    cal.add("prodid", "-//matchmaking//brokerage events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    if feed:
        cal.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(FEED_REFRESH))  # an X- property: icalendar cannot infer its type
    first_year: dict[str, int] = {}
    for vevent in vevents:
        start = vevent.decoded("dtstart")
        key = getattr(start.tzinfo, "key", None)
        if key:
            first_year[key] = min(first_year.get(key, start.year), start.year)
    for tz_name, year in sorted(first_year.items()):
        cal.add_component(vtimezone(tz_name, year - 1))
    for vevent in vevents:
        cal.add_component(vevent)
    # U+FEFF shows nothing, and calendar parsers take it for a byte-order mark and drop it at the start
    # of a value: dropped everywhere, so every client shows the same text.
    return cal.to_ical().replace("\ufeff".encode(), b"")
