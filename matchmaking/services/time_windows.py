"""A meeting request's time window: any time, or one day of the event, its morning or its afternoon.

The one rule of what a window holds: a slot belongs to a day by the local date of its start (the
event's time zone), to the morning when it starts before 12:00 local time, to the afternoon from
12:00 on. A form carries a window as one choice, its ``code``: "any", "2026-05-20",
"2026-05-20:morning" or "2026-05-20:afternoon".
"""
from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import format_date
from flask_babel import gettext as _

from ..models import Event, Slot
from ..models.meeting import AFTERNOON, ANY_TIME, MORNING, WHOLE_DAY, WINDOW_PARTS
from .errors import ServiceError
from .timezones import to_local

NOON = time(12, 0)
DAY_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Window:
    part: str = ANY_TIME  # one of WINDOW_PARTS
    day: date | None = None  # None exactly for "any time"

    @property
    def is_any(self) -> bool:
        return self.part == ANY_TIME

    @property
    def code(self) -> str:
        if self.is_any:
            return ANY_TIME
        return self.day.isoformat() if self.part == WHOLE_DAY else f"{self.day.isoformat()}:{self.part}"

    def holds(self, starts_at: datetime, tz_name: str) -> bool:
        """Whether a slot starting at ``starts_at`` (naive UTC) lies in the window."""
        if self.is_any:
            return True
        local = to_local(starts_at, tz_name)
        if local.date() != self.day:
            return False
        if self.part == MORNING:
            return local.time() < NOON
        if self.part == AFTERNOON:
            return local.time() >= NOON
        return True


ANY = Window()


def of_request(meeting_request) -> Window:
    """The window stored on a ``MeetingRequest``."""
    return Window(meeting_request.window_part or ANY_TIME, meeting_request.window_date)


def parse(code: str | None) -> Window:
    """A window from its code (None or empty: any time); ServiceError for anything else."""
    code = (code or ANY_TIME).strip()
    if code == ANY_TIME:
        return ANY
    day_text, _sep, part = code.partition(":")
    part = part or WHOLE_DAY
    day = None
    if DAY_RE.fullmatch(day_text):
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(day_text)
    if day is None or part not in WINDOW_PARTS or part == ANY_TIME:
        raise ServiceError(_("Choose a time window: any time, a day of the event, a morning or an afternoon."))
    return Window(part, day)


def check(window: Window, event: Event) -> Window:
    """Refuse a window on a day the event does not have."""
    if not window.is_any and window.day not in {d.date for d in event.days}:
        raise ServiceError(_("The event has no day %(day)s.", day=window.day.isoformat()))
    return window


def choices(event: Event) -> list[Window]:
    """The windows one can choose for a request of the event: any time, then each day, its morning
    and its afternoon."""
    out = [ANY]
    for day in event.days:
        out += [Window(WHOLE_DAY, day.date), Window(MORNING, day.date), Window(AFTERNOON, day.date)]
    return out


def describe(window: Window) -> str:
    """The window in words, in the reader's language: "any time", "Wed 20 May", "Wed 20 May, morning"."""
    if window.is_any:
        return _("any time")
    day = format_date(window.day, "EEE d MMM")
    if window.part == MORNING:
        return _("%(day)s, morning", day=day)
    if window.part == AFTERNOON:
        return _("%(day)s, afternoon", day=day)
    return day


def slots_in(window: Window, slots: Iterable[Slot], tz_name: str) -> list[Slot]:
    """The slots (rows or anything with ``starts_at``) inside the window, in the given order."""
    return [s for s in slots if window.holds(s.starts_at, tz_name)]
