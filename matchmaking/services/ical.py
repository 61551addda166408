"""Building iCalendar documents for meetings and programme sessions (the web layer serves them).

What calendar clients obey: one UID per meeting for life; every change raises SEQUENCE and
LAST-MODIFIED; a cancelled meeting stays as STATUS:CANCELLED so subscribed calendars remove it;
times carry a TZID with its VTIMEZONE; no ORGANIZER or ATTENDEE (clients would treat the event as
an invitation and offer to reply), so the partner's contact details (while the meeting is not
cancelled) are a line of the DESCRIPTION. An online meeting's video link is its LOCATION and a line of
its DESCRIPTION too: Outlook and Google Calendar ignore URL.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from icalendar import Calendar, vDuration, vText
from icalendar import Event as VEvent

from ..models import Meeting, Participant, ProgrammeSession
from . import ical_fold
from .contacts import partner_contacts
from .localized import system_text
from .timezones import to_local
from .vtimezone import vtimezone

ical_fold.install()

FEED_REFRESH = timedelta(hours=1)
LINK_DESCRIPTION_MAX = 1500  # characters of the description an "add to calendar" link carries


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
    video: str = "Video call: {url}"


def translated_labels() -> CalendarLabels:
    """The labels in the current locale (a request's, or the one an e-mail is rendered in)."""
    from flask_babel import gettext as _

    return CalendarLabels(
        summary=_("Meeting: {name} ({organisation})"), with_=_("Meeting with {name}, {organisation}"),
        event=_("Event: {event}"), offers=_("They offer: {text}"), seeks=_("They seek: {text}"),
        online=_("Online"), cancelled=_("Cancelled: {reason}"), contact=_("Contact: {details}"),
        video=_("Video call: {url}"),
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
        location = meeting.video_url or labels.online
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
    elif meeting.video_url:
        lines.insert(0, labels.video.format(url=meeting.video_url))
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


@dataclass(frozen=True)
class CalendarLinks:
    """Where to add one event by hand: web calendars' "new event" forms, filled in."""

    google: str
    outlook_live: str
    outlook_office: str


def add_links(vevent: VEvent) -> CalendarLinks:
    """The same summary, times, place and description as the .ics, as Google's and Outlook's deeplinks."""
    start = vevent.decoded("dtstart").astimezone(UTC)
    end = vevent.decoded("dtend").astimezone(UTC)
    text = {key: str(vevent.get(key, "")) for key in ("summary", "description", "location")}
    # Long offers would make an address too long for the calendars' servers; the .ics keeps them whole.
    text["description"] = text["description"][:LINK_DESCRIPTION_MAX]
    google = urlencode({"action": "TEMPLATE", "text": text["summary"],
                        "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
                        "details": text["description"], "location": text["location"]})
    outlook = urlencode({"path": "/calendar/action/compose", "rru": "addevent", "subject": text["summary"],
                         "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}", "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
                         "body": text["description"], "location": text["location"]})
    return CalendarLinks(google=f"https://calendar.google.com/calendar/render?{google}",
                         outlook_live=f"https://outlook.live.com/calendar/0/deeplink/compose?{outlook}",
                         outlook_office=f"https://outlook.office.com/calendar/0/deeplink/compose?{outlook}")


def session_vevent(session: ProgrammeSession, timezone: str, domain: str, kind_label: str) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", f"programme-{session.id}@{domain}")
    vevent.add("dtstamp", _utc(session.starts_at))
    vevent.add("sequence", session.sequence)
    vevent.add("dtstart", to_local(session.starts_at, timezone))
    vevent.add("dtend", to_local(session.ends_at, timezone))
    vevent.add("summary", f"{kind_label}: {session.title}")
    if session.place or session.video_url:
        vevent.add("location", vText(session.place or session.video_url))
    if session.video_url:
        vevent.add("url", session.video_url)
    description = "\n".join(part for part in (session.description, session.video_url) if part)
    if description:
        vevent.add("description", description)
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
