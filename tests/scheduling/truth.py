"""Check an explanation against a schedule with plain dicts, independently of the solver."""

from __future__ import annotations

from matchmaking.scheduling import Explanation, Instance, Reason, Solution


def assert_true(inst: Instance, sol: Solution, e: Explanation) -> None:
    req = inst.request_by_id[e.request]
    people = inst.participant_by_id
    a, b = people[req.a], people[req.b]
    shared = [s.id for s in inst.slots if s.id in a.available and s.id in b.available]
    common = [s for s in shared if req.slots is None or s in req.slots]
    busy: dict[str, set[str]] = {p.id: set() for p in inst.participants}
    count = {p.id: 0 for p in inst.participants}
    tables: dict[str, set[str | None]] = {s.id: set() for s in inst.slots}
    for m in sol.meetings:
        r = inst.request_by_id[m.request]
        for p in (r.a, r.b):
            busy[p].add(m.slot)
            count[p] += 1
        tables[m.slot].add(m.table)
    assert e.request not in sol.meeting_by_request
    assert e.code != Reason.COULD_BE_PLACED, e
    if e.code == Reason.NO_COMMON_AVAILABILITY:
        assert shared == []
    elif e.code == Reason.OUTSIDE_WINDOW:
        assert shared and common == [] and req.slots is not None and sorted(e.slots) == sorted(req.slots)
    elif e.code == Reason.MAX_MEETINGS_REACHED:
        assert e.participants and set(e.participants) <= {a.id, b.id}
        for pid in e.participants:
            assert count[pid] >= people[pid].max_meetings  # type: ignore[operator]
    elif e.code == Reason.COMMON_SLOTS_TAKEN:
        assert common and all(s in busy[a.id] or s in busy[b.id] for s in common)
        for pid in e.participants:
            assert any(s in busy[pid] for s in common)
    elif e.code == Reason.NO_TABLE_FREE:
        assert not req.online
        free = [s for s in common if s not in busy[a.id] and s not in busy[b.id]]
        assert free and sorted(free) == sorted(e.slots)
        own = {p.table for p in (a, b) if p.table}
        owned = {p.table for p in inst.participants if p.table}
        usable = own or {t.id for t in inst.tables} - owned
        for s in free:
            assert usable <= tables[s], (s, usable, tables[s])
    else:
        raise AssertionError(e)
