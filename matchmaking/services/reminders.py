"""Reminders before meetings: shortly before each meeting, and from the evening before a day of meetings."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Meeting, Participant, Slot
from . import outbox
from .timezones import to_local


@dataclass(frozen=True)
class ReminderTimes:
    before: timedelta | None  # how long before each meeting; None: no such reminder
    evening: time | None  # the local time from which tomorrow's meetings are listed; None: no list

    @classmethod
    def from_config(cls, config: Mapping) -> ReminderTimes:
        """From ``REMINDER_MINUTES_BEFORE`` (0: none) and ``REMINDER_EVENING_AT`` ("HH:MM", "": none)."""
        minutes = int(config.get("REMINDER_MINUTES_BEFORE") or 0)
        evening = (config.get("REMINDER_EVENING_AT") or "").strip()
        return cls(before=timedelta(minutes=minutes) if minutes > 0 else None,
                   evening=time.fromisoformat(evening) if evening else None)


def _live_meetings_between(start: datetime, end: datetime) -> list[Meeting]:
    return list(db.session.scalars(
        select(Meeting).join(Slot, Meeting.slot_id == Slot.id)
        .where(Meeting.is_live, Slot.starts_at > start, Slot.starts_at <= end)
    ))


def queue_reminders(*, now: datetime, times: ReminderTimes) -> int:
    """Queue the reminders due at ``now`` for each side (by default 15 minutes before each meeting, and
    from 18:00 in the event's time zone the evening before). Idempotent: each is queued once."""
    queued = 0
    for meeting in _live_meetings_between(now, now + times.before) if times.before else ():
        if not meeting.participant_a.event.schedule_visible(now):
            continue
        for side in (meeting.participant_a, meeting.participant_b):
            queued += outbox.enqueue("reminder_soon", side.user, {"meeting": meeting.id},
                                     dedupe_key=f"soon:{meeting.id}:{side.user_id}") is not None
    tomorrow: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in _live_meetings_between(now, now + timedelta(hours=36)) if times.evening else ():
        event = meeting.participant_a.event
        local_now = to_local(now, event.timezone)
        start_day = to_local(meeting.slot.starts_at, event.timezone).date()
        if start_day == local_now.date() + timedelta(days=1) and local_now.time() >= times.evening \
                and event.schedule_visible(now):
            tomorrow[meeting.participant_a_id].append(meeting)
            tomorrow[meeting.participant_b_id].append(meeting)
    for participant_id, meetings in tomorrow.items():
        participant = db.session.get(Participant, participant_id)
        day = to_local(meetings[0].slot.starts_at, participant.event.timezone).date()
        ordered = sorted(meetings, key=lambda m: m.slot.starts_at)
        queued += outbox.enqueue("reminder_evening", participant.user,
                                 {"participant": participant.id, "meetings": [m.id for m in ordered]},
                                 dedupe_key=f"evening:{participant.id}:{day}") is not None
    return queued
