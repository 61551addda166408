"""Booking accepted meetings into slots and tables, and writing any schedule back to the database.

``place_meeting`` is what accepting a request calls. In the event's "immediate" mode it first looks
only at what touches the meeting's two participants (``schedule_instance.load_neighbourhood``) and
places it there with the core's rules, moving nobody; only when that finds no free place that moving
meetings might make does it ask the core's incremental mode on the whole event's live schedule, which
may move unpinned meetings along short chains (pinned ones never move). In "batch" mode the meeting
waits for the organiser's run. ``apply_schedule`` writes placements (of one accept or of a whole published run)
back to the rows.

The database has the last word: the bookings' unique keys refuse a participant or a table twice in
one slot, and on PostgreSQL placements of one event are serialised by a row lock on the event, so
the schedule the core sees is the one it changes.
"""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import aliased, joinedload, lazyload

from .. import scheduling as core
from ..extensions import db
from ..models import Event, Meeting, Participant, SlotBooking
from ..models.base import utcnow
from ..models.meeting import (
    MAX_MEETINGS_REACHED,
    NO_COMMON_FREE_SLOT,
    NO_COMMON_SESSION,
    NO_TABLE_FREE,
    OUTSIDE_WINDOW,
    PARTICIPANT_FULL,
    WAITING_FOR_BATCH,
)
from . import bulk, outbox, shapes, webhooks
from .schedule_instance import (
    NO_TABLE,
    db_id,
    gc_paused,
    is_meeting_key,
    load_live_schedule,
    load_neighbourhood,
    meeting_key,
)

CHUNK = 1000  # rows per IN (...) list, well below every driver's parameter limit
FEW = 20  # changed meetings described with their own slot and table rather than the event's all

NEIGHBOURHOOD = True
"""Place an accepted meeting from what touches its two participants; False: always rebuild the whole
event's live schedule, as before (scripts/bench_accept_seeded.py times both in one run)."""

PROBES = 8  # slots the neighbourhood tries for a free table before the whole event's schedule decides

# Reasons the whole event's schedule cannot change: its participants' availability, window and limits.
FINAL = (core.Reason.NO_COMMON_AVAILABILITY, core.Reason.OUTSIDE_WINDOW, core.Reason.MAX_MEETINGS_REACHED)


def lock_event(event_id: int) -> Event:
    """Serialise schedule changes of one event (a row lock on PostgreSQL; SQLite locks on write).

    FOR NO KEY UPDATE: it does not block the key-share locks that inserting rows which reference the
    event takes, so only schedule changes wait for each other. Take it before writing anything else.
    """
    query = select(Event).where(Event.id == event_id).with_for_update(key_share=True).options(
        lazyload(Event.organisers))  # not its organisers: every accept takes the lock
    return db.session.scalars(query).one()


def reason_from(explanation: core.Explanation | None) -> tuple[str, int | None]:
    """The core's explanation as the (reason code, participant id) the app stores and translates."""
    if explanation is None:
        return NO_COMMON_FREE_SLOT, None
    who = [db_id(p) for p in explanation.participants]
    match explanation.code:
        case core.Reason.NO_COMMON_AVAILABILITY:
            return NO_COMMON_SESSION, None
        case core.Reason.MAX_MEETINGS_REACHED:
            return MAX_MEETINGS_REACHED, who[0]
        case core.Reason.COMMON_SLOTS_TAKEN if len(who) == 1:
            return PARTICIPANT_FULL, who[0]
        case core.Reason.NO_TABLE_FREE:
            return NO_TABLE_FREE, None
        case core.Reason.OUTSIDE_WINDOW:
            return OUTSIDE_WINDOW, None
    return NO_COMMON_FREE_SLOT, None


def place_meeting(meeting: Meeting, *, locked: Event | None = None) -> bool:
    """Book the meeting now if the event books at once; True when it got a slot.

    Otherwise it stays unscheduled with ``unscheduled_reason`` (and ``unscheduled_participant_id``
    where the reason is about one side). ``locked``: the event, when the caller holds its lock already.
    """
    event = locked if locked is not None else lock_event(meeting.event_id)
    if event.scheduling_mode == "batch":
        return _unscheduled(meeting, WAITING_FOR_BATCH)
    if NEIGHBOURHOOD:
        placed = _place_near(meeting)
        if placed is not None:
            return placed
    return _place_in_event(meeting)


def _place_near(meeting: Meeting) -> bool | None:
    """Place the meeting where both its participants are free and a table is, moving nobody: the
    core's own rules (availability, windows, limits, own tables, a slot next to their meetings) on
    a tiny instance of what touches the two. None when only moving other meetings might make room,
    or when the database refused the place twice: the whole event's schedule decides then."""
    for _attempt in range(2):  # a place taken behind the event lock: once more with fresh data
        near = load_neighbourhood(meeting.event_id, meeting.id)
        for _probe in range(PROBES):
            placement = core.IncrementalScheduler(*near.tiny(), depth=0).place(meeting_key(meeting.id))
            if placement.meeting is None:
                why = placement.explanation
                final = why is not None and (why.code in FINAL or (why.code == core.Reason.COMMON_SLOTS_TAKEN
                                                                    and not near.movable))
                if final and not (why.code == core.Reason.OUTSIDE_WINDOW and near.narrowed):
                    return _unscheduled(meeting, *reason_from(why))
                return None
            slot_id = db_id(placement.meeting.slot)
            table_id = near.table_in(slot_id)
            if table_id != NO_TABLE:
                break
            near.closed.add(slot_id)
        else:
            return None
        try:
            with db.session.begin_nested():
                apply_schedule({meeting.id: (slot_id, table_id)})
        except IntegrityError:
            continue
        return True  # apply_schedule expired the meeting: it reads its place when asked
    return None


def _place_in_event(meeting: Meeting) -> bool:
    """The whole event's live schedule: unpinned meetings may move along short chains to make room."""
    with gc_paused():
        live = load_live_schedule(meeting.event_id)
        scheduler = core.IncrementalScheduler(live.instance, live.assignment, live.pinned)
    placement = scheduler.place(meeting_key(meeting.id))
    if placement.meeting is None:
        return _unscheduled(meeting, *reason_from(placement.explanation))
    changes = {db_id(m.request): (db_id(m.slot), db_id(m.table))
               for m in (placement.meeting, *placement.moved) if is_meeting_key(m.request)}
    try:
        with db.session.begin_nested():
            apply_schedule(changes)
    except (IntegrityError, OperationalError) as error:
        # Only reachable if something bypassed the event lock; the constraints kept the data whole.
        if isinstance(error, OperationalError) and getattr(error.orig, "sqlstate", None) not in ("40P01", "40001"):
            raise
        return _unscheduled(meeting, NO_COMMON_FREE_SLOT)
    db.session.refresh(meeting)
    return True


_SIDE_A, _SIDE_B = aliased(Participant, name="side_a"), aliased(Participant, name="side_b")  # made once: see
# schedule_instance.load_neighbourhood


def apply_schedule(changes: Mapping[int, tuple[int | None, int | None]], *, pin: bool = False) -> list[int]:
    """Give each meeting its new (slot, table), or none; returns the ids of those that changed.
    ``pin``: the changed meetings that get a place are pinned too, in the same write (a published run).

    Changed meetings are first cleared, then booked anew, so the unique keys never see a clash
    between two meetings that merely swap places. Each changed meeting's SEQUENCE goes up, so
    calendars pick up the move (a first booking keeps SEQUENCE 0).

    Written in bulk, whatever the number of changes (a published run changes tens of thousands):
    the rows are read as plain columns, updated and booked a thousand at a time (``services/bulk.py``),
    their mails queued with ``outbox.enqueue_many`` and their webhooks with ``Listeners.emit_many``; no
    ORM object per meeting. Meetings already loaded in the session are expired, so they read the new values.
    """
    ids = list(changes)
    rows = {}
    side_a, side_b = _SIDE_A, _SIDE_B
    for start in range(0, len(ids), CHUNK):  # with both sides' user ids, whom the mails go to
        rows.update({row.id: row for row in db.session.execute(
            select(Meeting.id, Meeting.event_id, Meeting.slot_id, Meeting.table_id, Meeting.sequence,
                   Meeting.participant_a_id, Meeting.participant_b_id, side_a.user_id.label("user_a"),
                   side_b.user_id.label("user_b"))
            .join(side_a, side_a.id == Meeting.participant_a_id).join(side_b, side_b.id == Meeting.participant_b_id)
            .where(Meeting.id.in_(ids[start:start + CHUNK])))})
    changed = [mid for mid in ids if (rows[mid].slot_id, rows[mid].table_id) != changes[mid]]
    if not changed:
        return changed
    was_in_calendars = [mid for mid in changed if rows[mid].slot_id is not None]
    for start in range(0, len(was_in_calendars), CHUNK):  # only a meeting with a slot has seats to free
        db.session.execute(delete(SlotBooking).where(SlotBooking.meeting_id.in_(was_in_calendars[start:start + CHUNK])))
    was_in_calendars = set(was_in_calendars)
    placed_before = [mid for mid in changed if rows[mid].slot_id is not None or rows[mid].table_id is not None]
    for start in range(0, len(placed_before), CHUNK):  # a meeting without a place has no place to clear
        db.session.execute(update(Meeting).where(Meeting.id.in_(placed_before[start:start + CHUNK]))
                           .values(slot_id=None, table_id=None).execution_options(synchronize_session=False))
    now = utcnow()
    placed, unplaced, bookings, mails = [], [], [], []
    for mid in changed:
        row = rows[mid]
        slot_id, table_id = changes[mid]
        sequence = row.sequence + (mid in was_in_calendars)
        values = {"id": mid, "slot_id": slot_id, "table_id": table_id, "sequence": sequence, "updated_at": now}
        if slot_id is None:
            unplaced.append(values)
            continue
        placed.append({**values, "unscheduled_reason": None, "unscheduled_participant_id": None,
                       **({"pinned": True} if pin else {})})
        bookings += [{"participant_id": pid, "slot_id": slot_id, "meeting_id": mid}
                     for pid in sorted((row.participant_a_id, row.participant_b_id))]
        kind = "meeting_moved" if mid in was_in_calendars else "meeting_scheduled"
        for user_id in (row.user_a, row.user_b):
            mails.append((kind, user_id, {"meeting": mid}, f"{kind}:{mid}:{sequence}:{user_id}"))
    bulk.update_by_id(Meeting.__table__, placed)
    bulk.update_by_id(Meeting.__table__, unplaced)
    bulk.insert_rows(SlotBooking.__table__, bookings)
    _expire(set(changed))
    outbox.enqueue_many(mails)
    _emit_changes(changed, {mid: rows[mid].event_id for mid in changed}, was_in_calendars)
    return changed


def _expire(meeting_ids: set[int]) -> None:
    """Meetings the session holds that the bulk statements changed behind its back: read them again."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Meeting) and obj.id in meeting_ids:
            db.session.expire(obj)


def _emit_changes(changed: list[int], events: dict[int, int], was_in_calendars: set[int]) -> None:
    """Webhooks for the changed meetings: "meeting.scheduled" for a first place, "meeting.moved" for a
    new place or none (a meeting that lost its place: no e-mail, but a receiver's calendar must drop it).
    The endpoints are looked up once per event; an event without any costs one query."""
    for event_id in sorted(set(events.values())):
        listeners = webhooks.Listeners(event_id)
        if not listeners:
            continue
        ids = [mid for mid in changed if events[mid] == event_id]
        # Many meetings: the event's slots and tables in two queries. A few (an accept): each meeting's
        # own slot and table, joined to it, found again by id in the session (shapes._ById).
        places = shapes.Places(event_id) if len(ids) > FEW else None
        meetings, _sides = _meetings_with_sides(event_id, ids)  # the sides held while the meetings are described
        listeners.emit_many(
            ("meeting.moved" if mid in was_in_calendars else "meeting.scheduled",
             lambda m=meetings[mid], p=places: shapes.meeting_data(m, p))
            for mid in ids if meetings[mid].slot_id is not None or mid in was_in_calendars)


_BARE_SIDES = tuple(side.lazyload(attribute) for side in (joinedload(Meeting.participant_a),
                                                           joinedload(Meeting.participant_b))
                    for attribute in (Participant.sector_rows, Participant.sessions))


def _meetings_with_sides(event_id: int, ids: list[int]) -> tuple[dict[int, Meeting], list[Participant]]:
    """The meetings by id, to describe them. Many of them: the event's participants once (without
    their sectors and sessions), then the event's meetings in one query, bare, finding their sides
    among those participants; the caller holds the list returned, as the session's identity map is weak."""
    if len(ids) <= CHUNK:  # their sides joined, without the sides' sectors and sessions (a query each)
        return {m.id: m for m in db.session.scalars(select(Meeting).where(Meeting.id.in_(ids)).options(*_BARE_SIDES))
                .unique()}, []
    sides = list(db.session.scalars(select(Participant).where(Participant.event_id == event_id).options(
        lazyload(Participant.sector_rows), lazyload(Participant.sessions))).unique())
    wanted = set(ids)
    bare = (lazyload(Meeting.participant_a), lazyload(Meeting.participant_b), lazyload(Meeting.slot),
            lazyload(Meeting.table))
    return {m.id: m for m in db.session.scalars(select(Meeting).where(Meeting.event_id == event_id).options(*bare))
            .unique() if m.id in wanted}, sides


def _unscheduled(meeting: Meeting, reason: str, participant_id: int | None = None) -> bool:
    meeting.slot_id = None
    meeting.table_id = None
    meeting.unscheduled_reason = reason
    meeting.unscheduled_participant_id = participant_id
    db.session.flush()
    return False


def release_bookings(meeting: Meeting) -> None:
    """Free the meeting's seats (on cancellation); the meeting keeps its slot for the record."""
    db.session.execute(delete(SlotBooking).where(SlotBooking.meeting_id == meeting.id))


def touch_meetings(*, participant_id: int | None = None, table_id: int | None = None) -> None:
    """A participant's or table's details changed: their live meetings' calendar entries must update too."""
    query = update(Meeting).where(Meeting.is_live, Meeting.slot_id.is_not(None))
    if participant_id is not None:
        query = query.where(or_(Meeting.participant_a_id == participant_id, Meeting.participant_b_id == participant_id))
    if table_id is not None:
        query = query.where(Meeting.table_id == table_id)
    db.session.execute(query.values(sequence=Meeting.sequence + 1, updated_at=utcnow())
                       .execution_options(synchronize_session=False))
