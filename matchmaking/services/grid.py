"""The organiser's schedule grid: slots by tables, each meeting in its cell."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import Meeting, MeetingTable, Participant, Slot, participant_session
from .blocked_time import blocked_slots
from .text import fold


@dataclass
class Grid:
    slots: list[Slot]
    tables: list[MeetingTable]  # this page's tables
    cells: dict[tuple[int, int], Meeting]  # (table id, slot id) -> meeting
    online: dict[int, list[Meeting]]  # slot id -> online meetings
    free_tables: dict[int, int]  # slot id -> shared tables still free
    # meetings outside a participant's sessions or in time they blocked
    conflicts: set[int] = field(default_factory=set)
    matches: set[int] | None = None  # with a filter: the meetings of matching participants
    page: int = 1
    pages: int = 1
    total_tables: int = 0


def schedule_grid(*, event_id: int, text: str = "", page: int = 1, page_size: int = 40) -> Grid:
    slots = list(db.session.scalars(select(Slot).where(Slot.event_id == event_id).order_by(Slot.starts_at, Slot.id)))
    tables = list(db.session.scalars(select(MeetingTable).where(MeetingTable.event_id == event_id)
                                     .order_by(MeetingTable.id)))
    live = list(db.session.scalars(select(Meeting).where(
        Meeting.event_id == event_id, Meeting.is_live, Meeting.slot_id.is_not(None))))
    attends: dict[int, set[int]] = defaultdict(set)
    for participant_id, session_id in db.session.execute(
        select(participant_session.c.participant_id, participant_session.c.session_id)
        .join(Participant, Participant.id == participant_session.c.participant_id)
        .where(Participant.event_id == event_id)
    ):
        attends[participant_id].add(session_id)
    session_of = {s.id: s.session_id for s in slots}
    blocked = set(blocked_slots(event_id))

    cells, online = {}, defaultdict(list)
    used: dict[int, int] = defaultdict(int)
    conflicts = set()
    for m in live:
        if m.table_id is None:
            online[m.slot_id].append(m)
        else:
            cells[(m.table_id, m.slot_id)] = m
            used[m.slot_id] += 1
        if any(session_of[m.slot_id] not in attends[p] or (p, m.slot_id) in blocked
               for p in (m.participant_a_id, m.participant_b_id)):
            conflicts.add(m.id)
    shared = sum(1 for t in tables if t.owner_participant_id is None)
    stand_use = defaultdict(int)
    owned = {t.id for t in tables if t.owner_participant_id is not None}
    for (table_id, slot_id) in cells:
        if table_id in owned:
            stand_use[slot_id] += 1
    free = {s.id: shared - (used[s.id] - stand_use[s.id]) for s in slots}

    matches = None
    if text.strip():
        words = fold(text).split()
        people = {pid for pid, haystack in db.session.execute(
            select(Participant.id, Participant.search_text).where(Participant.event_id == event_id))
            if all(w in haystack for w in words)}
        matches = {m.id for m in live if {m.participant_a_id, m.participant_b_id} & people}
        tables = [t for t in tables if any(cells.get((t.id, s.id)) and cells[(t.id, s.id)].id in matches
                                           for s in slots)]
    total = len(tables)
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    return Grid(slots=slots, tables=tables[(page - 1) * page_size: page * page_size], cells=cells,
                online=dict(online), free_tables=free, conflicts=conflicts, matches=matches, page=page,
                pages=pages, total_tables=total)
