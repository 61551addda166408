"""The organiser's schedule grid: slots by tables, each meeting in its cell.

A page shows `page_size` tables and one day's slots. Only the meetings in those cells are loaded;
the free tables and the online meetings per slot are counted in SQL, so the grid of a 300-table
event with 18,000 meetings costs what one page of it shows. The day's online meetings have a page
of their own (``online=True``, the URL's ``?show=online``).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Event, Meeting, MeetingTable, Participant, Slot, User, participant_session, table_closure
from ..models.meeting import NO_SHOW
from ..models.participant import ANONYMOUS_NAME
from .blocked_time import blocked_slots
from .text import fold
from .timezones import to_local


@dataclass
class Grid:
    slots: list[Slot]
    tables: list[MeetingTable]  # this page's tables
    cells: dict[tuple[int, int], Cell]  # (table id, slot id) -> meeting, for this page's tables
    online: dict[int, list[Cell]]  # slot id -> online meetings (on the page of online meetings only)
    free_tables: dict[int, int]  # slot id -> shared tables still free
    closed: set[tuple[int, int]] = field(default_factory=set)  # (table id, slot id) of this page's closed cells
    # shown meetings outside a participant's sessions or in time they blocked
    conflicts: set[int] = field(default_factory=set)
    matches: set[int] | None = None  # with a filter: the shown meetings of matching participants
    page: int = 1
    pages: int = 1
    total_tables: int = 0
    days: list[date] = field(default_factory=list)  # the event's days with slots (local dates)
    day: date | None = None  # the day shown
    online_counts: dict[int, int] = field(default_factory=dict)  # slot id -> online meetings
    online_page: bool = False  # the page of the day's online meetings (no tables)


@dataclass(frozen=True)
class Side:
    """One side of a meeting as a cell shows it: the organisation, the person, whether they checked in."""

    id: int
    organisation_name: str
    name: str
    checked_in_at: datetime | None


@dataclass(frozen=True)
class Cell:
    """A live booked meeting as the grid shows it, with the attributes of ``Meeting`` that the page, its
    late flags (``checkin.not_checked_in``) and its conflicts read. Plain rows, not ORM objects: a page
    holds up to a thousand meetings, and building five mapped objects for each was most of its time."""

    id: int
    participant_a_id: int
    participant_b_id: int
    online: bool
    slot_id: int
    table_id: int | None
    cancelled_at: datetime | None
    pinned: bool
    attendance: str | None
    slot: Slot
    participant_a: Side
    participant_b: Side

    @property
    def is_live(self) -> bool:
        return self.cancelled_at is None

    @property
    def holds_place(self) -> bool:
        return self.cancelled_at is None and self.attendance != NO_SHOW


def _cells(event_id: int, slots: dict[int, Slot], *where) -> list[Cell]:
    """Live booked meetings meeting ``where``, with both sides' names, in one statement."""
    a, b, user_a, user_b = aliased(Participant), aliased(Participant), aliased(User), aliased(User)
    stmt = (select(Meeting.id, Meeting.participant_a_id, Meeting.participant_b_id, Meeting.online, Meeting.slot_id,
                   Meeting.table_id, Meeting.cancelled_at, Meeting.pinned, Meeting.attendance,
                   a.organisation_name, a.anonymised_at, a.checked_in_at, user_a.name,
                   b.organisation_name, b.anonymised_at, b.checked_in_at, user_b.name)
            .join(a, a.id == Meeting.participant_a_id).join(user_a, user_a.id == a.user_id)
            .join(b, b.id == Meeting.participant_b_id).join(user_b, user_b.id == b.user_id)
            .where(Meeting.event_id == event_id, Meeting.is_live, Meeting.slot_id.is_not(None), *where)
            .order_by(Meeting.slot_id, Meeting.id))
    return [Cell(*row[:9], slots[row.slot_id],
                 Side(row.participant_a_id, row[9], ANONYMOUS_NAME if row[10] is not None else row[12], row[11]),
                 Side(row.participant_b_id, row[13], ANONYMOUS_NAME if row[14] is not None else row[16], row[15]))
            for row in db.session.execute(stmt)]


def _matching_people(event_id: int, text: str) -> set[int]:
    words = fold(text).split()
    stmt = select(Participant.id, Participant.search_text).where(Participant.event_id == event_id)
    for w in words:  # narrow in SQL; the folded words are checked again below
        stmt = stmt.where(Participant.search_text.contains(w, autoescape=True))
    return {pid for pid, haystack in db.session.execute(stmt) if all(w in haystack for w in words)}


def _free_shared_tables(slots: list[Slot], shared: list[int]) -> dict[int, int]:
    """Shared tables (not an exhibitor's stand) still free in each of the shown slots, counted in SQL."""
    used = dict(db.session.execute(
        select(Meeting.slot_id, func.count())
        .where(Meeting.slot_id.in_([s.id for s in slots]), Meeting.holds_place, Meeting.table_id.in_(shared))
        .group_by(Meeting.slot_id)).all()) if slots and shared else {}
    return {s.id: len(shared) - used.get(s.id, 0) for s in slots}


def _conflicts(event_id: int, meetings: list[Cell], session_of: dict[int, int]) -> set[int]:
    """Shown meetings in a slot whose session one of its participants does not attend, or that
    lies in time one of them blocked."""
    people = {p for m in meetings for p in (m.participant_a_id, m.participant_b_id)}
    attends: dict[int, set[int]] = defaultdict(set)
    ids = sorted(people)
    for start in range(0, len(ids), 1000):
        for participant_id, session_id in db.session.execute(
            select(participant_session.c.participant_id, participant_session.c.session_id)
            .where(participant_session.c.participant_id.in_(ids[start:start + 1000]))
        ):
            attends[participant_id].add(session_id)
    blocked = set(blocked_slots(event_id)) if meetings else set()
    return {m.id for m in meetings
            if any(session_of[m.slot_id] not in attends[p] or (p, m.slot_id) in blocked
                   for p in (m.participant_a_id, m.participant_b_id))}


def schedule_grid(*, event_id: int, text: str = "", page: int = 1, page_size: int = 40,
                  day: date | None = None, online: bool = False) -> Grid:
    """One page of tables for one day (``day``, else the first; a day without slots shows the first),
    or with ``online`` that day's online meetings."""
    every = list(db.session.scalars(select(Slot).where(Slot.event_id == event_id).order_by(Slot.starts_at, Slot.id)))
    zone = db.session.scalar(select(Event.timezone).where(Event.id == event_id))
    local_day = {s.id: to_local(s.starts_at, zone).date() for s in every}
    days = sorted(set(local_day.values()))
    day = day if day in days else (days[0] if days else None)
    slots = [s for s in every if local_day[s.id] == day]
    shown_slots = [s.id for s in slots]
    tables = list(db.session.scalars(select(MeetingTable).where(MeetingTable.event_id == event_id)
                                     .order_by(MeetingTable.id)))
    shared = [t.id for t in tables if t.owner_participant_id is None]
    people = _matching_people(event_id, text) if text.strip() else None
    if people is not None:
        a, b = Meeting.participant_a_id, Meeting.participant_b_id
        with_match = set(db.session.scalars(
            select(Meeting.table_id).distinct().where(
                Meeting.event_id == event_id, Meeting.is_live, Meeting.slot_id.is_not(None),
                Meeting.table_id.is_not(None), a.in_(people) | b.in_(people))))
        tables = [t for t in tables if t.id in with_match]
    total = len(tables)
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    tables = [] if online else tables[(page - 1) * page_size: page * page_size]
    owners = [t.owner_participant_id for t in tables if t.owner_participant_id]
    if owners:  # in the identity map, so the page's `table.owner` costs no query each
        db.session.scalars(select(Participant).where(Participant.id.in_(owners))).all()

    by_id = {s.id: s for s in slots}
    shown = _cells(event_id, by_id, Meeting.table_id.in_([t.id for t in tables]), Meeting.slot_id.in_(shown_slots)) \
        if tables else []
    online_meetings = _cells(event_id, by_id, Meeting.table_id.is_(None), Meeting.slot_id.in_(shown_slots)) \
        if online else []
    online_counts = dict(db.session.execute(
        select(Meeting.slot_id, func.count()).where(Meeting.slot_id.in_(shown_slots), Meeting.is_live,
                                                    Meeting.table_id.is_(None)).group_by(Meeting.slot_id)).all()) \
        if shown_slots else {}
    # a no-show's table may have been taken on the spot: the cell shows the meeting that holds it
    cells = {(m.table_id, m.slot_id): m for m in sorted(shown, key=lambda m: m.holds_place)}
    by_slot: dict[int, list[Cell]] = defaultdict(list)
    for m in online_meetings:
        by_slot[m.slot_id].append(m)
    closed = {(t, s) for t, s in db.session.execute(select(table_closure.c.table_id, table_closure.c.slot_id).where(
        table_closure.c.table_id.in_([t.id for t in tables]), table_closure.c.slot_id.in_(shown_slots)))} \
        if tables and shown_slots else set()
    visible = shown + online_meetings
    matches = None
    if people is not None:
        matches = {m.id for m in visible if {m.participant_a_id, m.participant_b_id} & people}
    return Grid(slots=slots, tables=tables, cells=cells, online=dict(by_slot), online_counts=online_counts,
                online_page=online,
                free_tables=_free_shared_tables(slots, shared), closed=closed,
                conflicts=_conflicts(event_id, visible, {s.id: s.session_id for s in slots}), matches=matches,
                page=page, pages=pages, total_tables=total, days=days, day=day)
