"""A participant's agenda, and the organiser's list of an event's meetings."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from .. import scheduling as core
from ..extensions import db
from ..models import BlockedTime, Event, Meeting, Participant, ProgrammeSession, Slot
from ..models.base import utcnow
from . import loads
from .blocked_time import blocks_of
from .lookup import one_of_event
from .programme import chosen_ids


def _live_meetings():
    return select(Meeting).where(Meeting.is_live).options(*loads.meetings_shown())


def agenda(participant: Participant) -> tuple[list[Meeting], list[Meeting]]:
    """(scheduled meetings in time order, accepted meetings still without a slot)."""
    meetings = db.session.scalars(
        _live_meetings()
        .where(or_(Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id))
        .outerjoin(Slot, Meeting.slot_id == Slot.id)
        .order_by(Slot.starts_at, Meeting.id)
    ).unique().all()
    return [m for m in meetings if m.slot_id], [m for m in meetings if not m.slot_id]


def feed_items(user_id: int) -> tuple[list[tuple[Meeting, Participant]], list[tuple[ProgrammeSession, Event]]]:
    """What a user's subscription feed holds, across the events whose schedule is published.

    Meetings with a slot, each with the user's own side; cancelled ones too until their event is
    over, so subscribed calendars see STATUS:CANCELLED and remove them. Programme sessions for
    everyone, and the ones the user chose.
    """
    now = utcnow()
    mine = {p.id: p for p in db.session.scalars(select(Participant).where(Participant.user_id == user_id)
                                                .options(*loads.participant_alone(), joinedload(Participant.event)))
            if p.event.schedule_visible(now)}
    if not mine:
        return [], []
    event_end = dict(db.session.execute(
        select(Slot.event_id, func.max(Slot.ends_at)).where(Slot.event_id.in_({p.event_id for p in mine.values()}))
        .group_by(Slot.event_id)).all())
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.slot_id.is_not(None),
                              or_(Meeting.participant_a_id.in_(mine), Meeting.participant_b_id.in_(mine)))
        .join(Slot, Meeting.slot_id == Slot.id).order_by(Slot.starts_at, Meeting.id)
        .options(*loads.meetings_shown())
    ).unique().all()
    pairs = [(m, mine.get(m.participant_a_id) or mine[m.participant_b_id]) for m in meetings
             if m.is_live or event_end.get(m.event_id, now) >= now]
    sessions = []
    for participant in mine.values():
        chosen = chosen_ids(participant)
        sessions += [(s, participant.event) for s in db.session.scalars(
            select(ProgrammeSession).where(ProgrammeSession.event_id == participant.event_id))
            if not s.signup or s.id in chosen]
    return pairs, sessions


def event_meetings(event_id: int) -> tuple[list[Meeting], list[Meeting]]:
    """(scheduled in slot and table order, accepted but unscheduled) for the organiser."""
    meetings = db.session.scalars(
        _live_meetings().where(Meeting.event_id == event_id)
        .outerjoin(Slot, Meeting.slot_id == Slot.id)
        .order_by(Slot.starts_at, Meeting.table_id, Meeting.id)
    ).unique().all()
    return [m for m in meetings if m.slot_id], [m for m in meetings if not m.slot_id]


def get_event_meeting(event_id: int, meeting_id: int) -> Meeting:
    """A meeting of the event (for its organisers); NotFound otherwise."""
    return one_of_event(Meeting, event_id, meeting_id)


@dataclass(frozen=True)
class AgendaEntry:
    """One line of a personal agenda: a meeting, a programme session, time the participant blocked,
    or free time between two of their meetings (``free``)."""

    starts_at: datetime
    ends_at: datetime
    meeting: Meeting | None = None
    session: ProgrammeSession | None = None
    blocked: BlockedTime | None = None
    free: bool = False


def free_between(event_id: int, scheduled: list[Meeting]) -> list[tuple[datetime, datetime]]:
    """The free stretches between a participant's meetings of a day: the scheduling core's idle gaps
    (runs of free meeting slots), each from the start of its first slot to the end of its last."""
    if len(scheduled) < 2:
        return []
    slots = db.session.execute(select(Slot.id, Slot.starts_at, Slot.ends_at).where(Slot.event_id == event_id)
                               .order_by(Slot.starts_at, Slot.id)).all()
    position = {row.id: i for i, row in enumerate(slots)}
    mask = 0
    for m in scheduled:
        mask |= 1 << position[m.slot_id]
    days = core.Days([core.Slot(str(row.id), row.starts_at, row.ends_at) for row in slots])
    return [(slots[run[0]].starts_at, slots[run[-1]].ends_at) for run in days.gap_runs(mask)]


def agenda_entries(participant: Participant, *, scheduled: list[Meeting] | None = None,
                   blocks: list[BlockedTime] | None = None) -> list[AgendaEntry]:
    """Meetings, the sessions the participant chose and the sessions for everyone, the time they
    blocked and the free time between their meetings, in time order (``scheduled`` and ``blocks``:
    what the caller has loaded already)."""
    if scheduled is None:
        scheduled, _unscheduled = agenda(participant)
    if blocks is None:
        blocks = blocks_of(participant)
    sessions = db.session.scalars(select(ProgrammeSession).where(ProgrammeSession.event_id == participant.event_id))
    entries = [AgendaEntry(m.slot.starts_at, m.slot.ends_at, meeting=m) for m in scheduled]
    chosen = chosen_ids(participant)
    entries += [AgendaEntry(s.starts_at, s.ends_at, session=s) for s in sessions
                if not s.signup or s.id in chosen]
    entries += [AgendaEntry(b.starts_at, b.ends_at, blocked=b) for b in blocks]
    entries += [AgendaEntry(start, end, free=True) for start, end in free_between(participant.event_id, scheduled)]
    return sorted(entries, key=lambda e: (e.starts_at, e.meeting is not None))


def event_meetings_changed(event_id: int, *, since: datetime | None, page: int,
                           per_page: int) -> tuple[list[Meeting], int]:
    """The event's meetings (cancelled ones too) changed at or after ``since``, oldest change first,
    one page of them and how many there are: an organiser's system syncs with ``updated_since``."""
    stmt = select(Meeting).where(Meeting.event_id == event_id)
    if since is not None:
        stmt = stmt.where(Meeting.updated_at >= since)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(Meeting.updated_at, Meeting.id)
                              .limit(per_page).offset((page - 1) * per_page)).unique().all()
    return list(rows), total
