"""Building iCalendar documents for meetings (serving them is the web layer's job)."""
from __future__ import annotations

from datetime import UTC

from icalendar import Calendar, vText
from icalendar import Event as VEvent

from ..models import Meeting, Participant
from .timezones import to_local


def meeting_uid(meeting: Meeting, domain: str) -> str:
    """Stable for the meeting's whole life, whatever moves, so calendars update instead of duplicate."""
    return f"meeting-{meeting.id}@{domain}"


def _vevent(meeting: Meeting, me: Participant, domain: str, labels: dict[str, str]) -> VEvent:
    partner = meeting.other(me.id)
    tz = meeting.participant_a.event.timezone
    vevent = VEvent()
    vevent.add("uid", meeting_uid(meeting, domain))
    vevent.add("dtstamp", meeting.updated_at.replace(tzinfo=UTC))
    vevent.add("last-modified", meeting.updated_at.replace(tzinfo=UTC))
    vevent.add("sequence", meeting.sequence)
    vevent.add("dtstart", to_local(meeting.slot.starts_at, tz))
    vevent.add("dtend", to_local(meeting.slot.ends_at, tz))
    vevent.add("summary", labels["summary"].format(name=partner.name, organisation=partner.organisation_name))
    location = labels["online"] if meeting.online else meeting.table.name
    venue = me.event.venue
    vevent.add("location", vText(f"{location}, {venue}" if venue and not meeting.online else location))
    lines = [
        labels["with"].format(name=partner.name, organisation=partner.organisation_name),
        labels["event"].format(event=me.event.name),
    ]
    if partner.offer:
        lines.append(labels["offers"].format(text=partner.offer))
    if partner.seek:
        lines.append(labels["seeks"].format(text=partner.seek))
    vevent.add("description", "\n".join(lines))
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    return vevent


def calendar_for(meetings: list[tuple[Meeting, Participant]], *, name: str, domain: str,
                 labels: dict[str, str]) -> bytes:
    """One VEVENT per scheduled meeting, times in the event's zone with its VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", "-//matchmaking//brokerage events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for meeting, me in meetings:
        if meeting.slot is not None and meeting.cancelled_at is None:
            cal.add_component(_vevent(meeting, me, domain, labels))
    cal.add_missing_timezones()
    return cal.to_ical()
