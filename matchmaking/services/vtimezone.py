"""VTIMEZONE components in the compact RRULE form every calendar client reads.

icalendar's own generator lists each past and future transition as RDATEs (and stops at 2038);
some readers (Outlook, dateutil-based parsers) mis-read those lists. A zone's current rule, such
as "last Sunday of March at 02:00", is what clients expect.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _transitions(zone: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta, str]]:
    """(UTC instant, offset before, offset after, name after) for each change of offset in the year."""
    found = []
    instant = datetime(year, 1, 1, tzinfo=UTC)
    offset = instant.astimezone(zone).utcoffset()
    step = timedelta(hours=1)
    while instant.year == year:
        following = instant + step
        new = following.astimezone(zone).utcoffset()
        if new != offset:
            exact = instant
            while exact.astimezone(zone).utcoffset() == offset:  # to the minute
                exact += timedelta(minutes=1)
            found.append((exact, offset, new, exact.astimezone(zone).tzname() or ""))
            offset = new
        instant = following
    return found


def _byday(local: datetime) -> str:
    ordinal = -1 if (local + timedelta(days=7)).month != local.month else (local.day - 1) // 7 + 1
    return f"{ordinal}{WEEKDAYS[local.weekday()]}"


@cache
def vtimezone(tz_name: str, from_year: int) -> Timezone:
    """The zone's rule as of ``from_year`` (events from that year on get the right offsets)."""
    zone = ZoneInfo(tz_name)
    component = Timezone()
    component.add("tzid", tz_name)
    transitions = _transitions(zone, from_year)
    if len(transitions) != 2:  # no daylight saving time: one offset all year
        moment = datetime(from_year, 7, 1, tzinfo=UTC).astimezone(zone)
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", moment.utcoffset())
        standard.add("tzoffsetto", moment.utcoffset())
        standard.add("tzname", moment.tzname() or tz_name)
        component.add_component(standard)
        return component
    for instant, before, after, name in transitions:
        local = (instant + before).replace(tzinfo=None)
        part = TimezoneDaylight() if after > before else TimezoneStandard()
        part.add("dtstart", local)
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", name)
        part.add("rrule", {"freq": "yearly", "bymonth": local.month, "byday": _byday(local)})
        component.add_component(part)
    return component
