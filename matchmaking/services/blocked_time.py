"""Time participants block in their agenda: no meeting is placed in a slot that overlaps it.

A block is a stretch of one day of the event in its local time ("stand duty 14:00-15:00"), with a
private label only its owner sees. The scheduling bridge (``schedule_instance.py``) takes the
slots it overlaps out of the participant's availability, in batch runs and on accept alike; an
organiser's hand move into it is refused (``manual_schedule.place_refusal``). Blocking time that
overlaps one of one's own scheduled meetings is refused: that meeting is cancelled or moved first.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import BlockedTime, Event, Meeting, Participant, Slot
from ..models.blocked_time import LABEL_MAX
from .errors import NotFound, ServiceError
from .lookup import is_valid_id
from .timezones import local_to_utc

MAX_BLOCKS = 50  # per participant: enough for any real agenda
MIN_MINUTES = 5


@dataclass(frozen=True)
class Block:
    """What a participant asks to block: a day of the event, from and to (local time), a label."""

    day: date
    start: time
    end: time
    label: str = ""


def blocks_of(participant: Participant) -> list[BlockedTime]:
    """The participant's own blocked time, in time order."""
    return list(db.session.scalars(select(BlockedTime).where(BlockedTime.participant_id == participant.id)
                                   .order_by(BlockedTime.starts_at, BlockedTime.id)))


def add(*, participant: Participant, block: Block) -> BlockedTime:
    """Block a stretch of one of the event's days; refused outside the event's days, when it does not
    end after it starts, when it is shorter than a few minutes, and over one's own scheduled meeting."""
    event = participant.event
    if block.day not in {d.date for d in event.days}:
        raise ServiceError(_("Choose one of the event's days."))
    if block.end <= block.start:
        raise ServiceError(_("The end must be after the start."))
    if (block.end.hour * 60 + block.end.minute) - (block.start.hour * 60 + block.start.minute) < MIN_MINUTES:
        raise ServiceError(_("Block at least %(minutes)d minutes.", minutes=MIN_MINUTES))
    label = " ".join(block.label.split())
    if len(label) > LABEL_MAX:
        raise ServiceError(_("The label can be at most %(max)d characters long.", max=LABEL_MAX))
    count = db.session.scalar(select(func.count()).where(BlockedTime.participant_id == participant.id)) or 0
    if count >= MAX_BLOCKS:
        raise ServiceError(_("You can block at most %(max)d stretches of time.", max=MAX_BLOCKS))
    # The event's schedule lock (as placement.lock_event): no accept places a meeting in this time
    # between the check below and the insert.
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update(key_share=True))
    starts_at = local_to_utc(block.day, block.start, event.timezone)
    ends_at = local_to_utc(block.day, block.end, event.timezone)
    if ends_at <= starts_at:  # a clock change in between
        raise ServiceError(_("The end must be after the start."))
    clash = db.session.scalars(
        select(Meeting).join(Slot, Slot.id == Meeting.slot_id)
        .where(Meeting.event_id == event.id, Meeting.is_live,
               or_(Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id),
               Slot.starts_at < ends_at, Slot.ends_at > starts_at)
        .order_by(Slot.starts_at)).first()
    if clash is not None:
        other = clash.other(participant.id)
        raise ServiceError(_("You have a meeting with %(name)s (%(organisation)s) then; cancel it first.",
                             name=other.name, organisation=other.organisation_name))
    blocked = BlockedTime(participant_id=participant.id, starts_at=starts_at, ends_at=ends_at, label=label)
    db.session.add(blocked)
    db.session.flush()
    return blocked


def remove(*, participant: Participant, blocked_id: int) -> None:
    """Free a block again; another participant's block is a 404."""
    if not is_valid_id(blocked_id):
        raise NotFound()
    blocked = db.session.scalar(select(BlockedTime).where(BlockedTime.id == blocked_id,
                                                          BlockedTime.participant_id == participant.id))
    if blocked is None:
        raise NotFound()
    db.session.delete(blocked)
    db.session.flush()


def blocked_slots(event_id: int) -> list[tuple[int, int]]:
    """(participant id, slot id) for every slot of the event that overlaps a participant's block."""
    return list(db.session.execute(
        select(BlockedTime.participant_id, Slot.id)
        .join(Participant, Participant.id == BlockedTime.participant_id)
        .join(Slot, (Slot.event_id == Participant.event_id) & (Slot.starts_at < BlockedTime.ends_at)
              & (Slot.ends_at > BlockedTime.starts_at))
        .where(Participant.event_id == event_id)).tuples())


def blocked_among(slot: Slot, participant_ids: Iterable[int]) -> list[int]:
    """Which of the participants blocked time that overlaps the slot."""
    return list(db.session.scalars(select(BlockedTime.participant_id).where(
        BlockedTime.participant_id.in_(list(participant_ids)),
        BlockedTime.starts_at < slot.ends_at, BlockedTime.ends_at > slot.starts_at).distinct()))
