"""Deriving meeting slots from a session's start, end, slot length and breaks."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from .timezones import local_to_utc

_BREAK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class BreaksError(ValueError):
    pass


def parse_breaks(text: str) -> list[tuple[time, time]]:
    """Parse ``"10:30-10:45, 12:00-13:00"`` into intervals; raises BreaksError naming the bad part."""
    intervals = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;\n]", text or ""))):
        match = _BREAK.match(part)
        if not match:
            raise BreaksError(part)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            start, end = time(h1, m1), time(h2, m2)
        except ValueError:
            raise BreaksError(part) from None
        if end <= start:
            raise BreaksError(part)
        intervals.append((start, end))
    return sorted(intervals)


def local_slot_times(start: time, end: time, slot_minutes: int, breaks: list[tuple[time, time]]):
    """Yield (start, end) local times of the slots: back to back, resuming after each break."""
    day = date(2000, 1, 1)  # any date: only wall-clock arithmetic happens here
    cursor = datetime.combine(day, start)
    stop = datetime.combine(day, end)
    length = timedelta(minutes=slot_minutes)
    spans = [(datetime.combine(day, b0), datetime.combine(day, b1)) for b0, b1 in breaks]
    while cursor + length <= stop:
        clash = next((b1 for b0, b1 in spans if cursor < b1 and b0 < cursor + length), None)
        if clash is not None:
            cursor = clash
            continue
        yield cursor.time(), (cursor + length).time()
        cursor += length


def slot_instants(day: date, start: time, end: time, slot_minutes: int, breaks_text: str, tz_name: str):
    """The session's slots as naive-UTC (start, end) pairs."""
    breaks = parse_breaks(breaks_text)
    return [
        (local_to_utc(day, s, tz_name), local_to_utc(day, e, tz_name))
        for s, e in local_slot_times(start, end, slot_minutes, breaks)
    ]
