"""Dates and times in the event's time zone and the reader's language."""
from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime, format_time
from flask_babel import get_locale

from ..services.timezones import to_local


def event_datetime(instant: datetime | None, tz_name: str, pattern: str = "EEE d MMM y, HH:mm") -> str:
    """A stored naive-UTC instant in the event's zone and the reader's language."""
    if instant is None:
        return ""
    return format_datetime(to_local(instant, tz_name), pattern, locale=get_locale())


def event_time(instant: datetime | None, tz_name: str) -> str:
    if instant is None:
        return ""
    return format_time(to_local(instant, tz_name), "HH:mm", locale=get_locale())
