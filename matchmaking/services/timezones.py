"""Conversions between stored naive-UTC instants and an event's local wall-clock time."""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@cache
def all_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_timezone(name: str) -> bool:
    if name not in all_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def to_local(instant: datetime, tz_name: str) -> datetime:
    """A stored naive-UTC instant as an aware datetime in ``tz_name``."""
    return instant.replace(tzinfo=UTC).astimezone(ZoneInfo(tz_name))


def to_utc(local: datetime, tz_name: str) -> datetime:
    """A naive wall-clock time in ``tz_name`` as a naive-UTC instant (the stored form)."""
    return local.replace(tzinfo=ZoneInfo(tz_name)).astimezone(UTC).replace(tzinfo=None)


def local_to_utc(day: date, clock: time, tz_name: str) -> datetime:
    return to_utc(datetime.combine(day, clock), tz_name)
