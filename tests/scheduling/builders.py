"""Small instances for the scheduling tests, and an exhaustive optimum written independently."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from matchmaking.scheduling import Instance, parse_instance
from matchmaking.scheduling.model import FORMAT_TAG


def slots(n: int) -> list[dict[str, str]]:
    return [{"id": f"s{i}", "start": f"2026-05-20T{9 + i:02d}:00:00+02:00",
             "end": f"2026-05-20T{9 + i:02d}:30:00+02:00"} for i in range(n)]


def doc(n_slots: int, tables: list[str], people: list[dict[str, Any]], requests: list[dict[str, Any]],
        pinned: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"format": FORMAT_TAG, "slots": slots(n_slots), "tables": [{"id": t} for t in tables],
            "participants": people, "requests": requests, "pinned": pinned or []}


def build(n_slots: int, tables: list[str], people: list[dict[str, Any]], requests: list[dict[str, Any]],
          pinned: list[dict[str, Any]] | None = None) -> Instance:
    return parse_instance(doc(n_slots, tables, people, requests, pinned))


@st.composite
def tiny_docs(draw: st.DrawFn, max_requests: int = 5, windows: bool = True) -> dict[str, Any]:
    """Up to 3 slots, 2 tables, 4 participants, `max_requests` requests; booths may be shared;
    with `windows`, some requests are restricted to a window of at most two slots."""
    n_slots = draw(st.integers(1, 3))
    tables = [f"T{i}" for i in range(draw(st.integers(0, 2)))]
    slot_ids = [f"s{i}" for i in range(n_slots)]
    people = []
    for i in range(draw(st.integers(2, 4))):
        p: dict[str, Any] = {"id": f"p{i}", "available": draw(st.lists(st.sampled_from(slot_ids), unique=True))}
        if draw(st.booleans()):
            p["max_meetings"] = draw(st.integers(0, 2))
        if tables and draw(st.integers(0, 3)) == 0:
            p["table"] = draw(st.sampled_from(tables))
        people.append(p)
    ids = [p["id"] for p in people]
    requests = []
    for i in range(draw(st.integers(1, max_requests))):
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        r = {"id": f"r{i}", "a": a, "b": b, "priority": draw(st.integers(1, 3)),
             "online": draw(st.integers(0, 3)) == 0}
        if windows and draw(st.booleans()):
            r["slots"] = draw(st.lists(st.sampled_from(slot_ids), unique=True, max_size=2))
        requests.append(r)
    return doc(n_slots, tables, people, requests)


def brute_force(inst: Instance) -> int:
    """The optimum value by trying every (slot, table) for every request; pins are forced."""
    people = inst.participant_by_id
    owners: dict[str, set[str]] = {}
    for p in inst.participants:
        if p.table:
            owners.setdefault(p.table, set()).add(p.id)
    reqs = list(inst.requests)
    pins = inst.pinned_by_request
    busy: set[tuple[str, str]] = set()
    taken: set[tuple[str, str]] = set()
    count: dict[str, int] = {p.id: 0 for p in inst.participants}
    best = [-1]

    def options(r: Any) -> list[tuple[str, str | None]]:
        if r.id in pins:
            return [(pins[r.id].slot, pins[r.id].table)]
        out: list[tuple[str, str | None]] = [("", None)]
        for s in inst.slots:
            for t in [None] if r.online else [t.id for t in inst.tables]:
                out.append((s.id, t))
        return out

    def ok(r: Any, s: str, t: str | None) -> bool:
        a, b = people[r.a], people[r.b]
        if s not in a.available or s not in b.available or (s, a.id) in busy or (s, b.id) in busy:
            return False
        if r.slots is not None and s not in r.slots:
            return False
        for p in (a, b):
            if p.max_meetings is not None and count[p.id] >= p.max_meetings:
                return False
        if r.online:
            return t is None
        own = {p.table for p in (a, b) if p.table}
        if t is None or (s, t) in taken or (own and t not in own):
            return False
        return not (t in owners and not owners[t] & {a.id, b.id})

    def go(i: int, val: int) -> None:
        if i == len(reqs):
            best[0] = max(best[0], val)
            return
        r = reqs[i]
        for s, t in options(r):
            if not s:
                go(i + 1, val)
                continue
            if not ok(r, s, t):
                continue
            busy.update({(s, r.a), (s, r.b)})
            if t:
                taken.add((s, t))
            count[r.a] += 1
            count[r.b] += 1
            go(i + 1, val + r.priority)
            busy.difference_update({(s, r.a), (s, r.b)})
            taken.discard((s, t or ""))
            count[r.a] -= 1
            count[r.b] -= 1

    go(0, 0)
    return best[0]
