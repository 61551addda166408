"""The exact gap stage: its MIP finds the fewest gaps a re-timing of the same meetings allows
(held against a brute force over every re-timing), and the solver runs it on small events only."""

from __future__ import annotations

import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.scheduling import (
    Instance,
    Meeting,
    Solution,
    check,
    count_gaps,
    parse_instance,
    solve,
    total_gaps,
    value,
)
from matchmaking.scheduling.gap_mip import MAX_CELLS, eligible, exact_gaps, exact_stage, lower_bound
from matchmaking.scheduling.index import build_index
from matchmaking.scheduling.model import FORMAT_TAG
from matchmaking.scheduling.pinned import load_state

from .independent import generated, recheck


@st.composite
def small_docs(draw: st.DrawFn) -> dict[str, Any]:
    """4 to 6 slots over one or two days, up to 2 tables, 4 participants (some with own tables,
    blocked slots and max_meetings), up to 5 requests, most with p0, some with a window."""
    n_slots = draw(st.integers(4, 6))
    second_day = draw(st.integers(3, n_slots + 1))  # slots from this index on are on day 2
    slots = []
    for i in range(n_slots):
        day, hour = (21, 9 + i - second_day) if i >= second_day else (20, 9 + i)
        slots.append({"id": f"s{i}", "start": f"2026-05-{day}T{hour:02d}:00:00+02:00",
                      "end": f"2026-05-{day}T{hour:02d}:30:00+02:00"})
    ids = [s["id"] for s in slots]
    tables = [f"T{i}" for i in range(draw(st.integers(0, 2)))]
    people = []
    for i in range(4):
        p: dict[str, Any] = {"id": f"p{i}", "available": sorted(draw(st.sets(st.sampled_from(ids), min_size=3)))}
        if draw(st.integers(0, 5)) == 0:
            p["max_meetings"] = draw(st.integers(1, 3))
        if tables and draw(st.integers(0, 3)) == 0:
            p["table"] = draw(st.sampled_from(tables))
        people.append(p)
    requests = []
    for i in range(draw(st.integers(2, 5))):
        a, b = draw(st.sampled_from([("p0", "p1"), ("p0", "p2"), ("p0", "p3"), ("p1", "p2"), ("p1", "p3"),
                                     ("p2", "p3"), ("p0", "p1"), ("p0", "p2")]))
        r: dict[str, Any] = {"id": f"r{i}", "a": a, "b": b, "online": draw(st.integers(0, 3)) == 0}
        if draw(st.integers(0, 2)) == 0:
            r["slots"] = sorted(draw(st.sets(st.sampled_from(ids), min_size=1, max_size=3)))
        requests.append(r)
    return {"format": FORMAT_TAG, "slots": slots, "tables": [{"id": t} for t in tables], "participants": people,
            "requests": requests}


def retimings(inst: Instance, meetings: list[Meeting], pinned: set[str]) -> tuple[int, list[Meeting]]:
    """Every (slot, table) for every meeting not pinned, pruned on the obvious clashes: the
    fewest gaps among the re-timings that `check` accepts, and a re-timing with the most."""
    requests = inst.request_by_id
    tables: list[str | None] = [t.id for t in inst.tables]
    best = [total_gaps(inst, meetings)]
    worst: list[Any] = [best[0], meetings]

    def go(i: int, chosen: list[Meeting], taken: set[tuple[str, str]]) -> None:
        if i == len(meetings):
            if not check(inst, Solution(tuple(chosen))):
                gaps = total_gaps(inst, chosen)
                best[0] = min(best[0], gaps)
                if gaps > worst[0]:
                    worst[:] = [gaps, chosen]
            return
        m = meetings[i]
        r = requests[m.request]
        options = [(m.slot, m.table)] if m.request in pinned else \
            [(s.id, t) for s in inst.slots for t in ([None] if r.online else tables)]
        for s, t in options:
            keys = {(r.a, s), (r.b, s)} | ({("table " + t, s)} if t else set())
            if keys & taken:
                continue
            go(i + 1, [*chosen, Meeting(m.request, s, t)], taken | keys)

    go(0, [], set())
    return best[0], worst[1]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_docs(), st.booleans())
def test_the_mip_finds_the_fewest_gaps_of_the_same_meetings(doc: dict[str, Any], pin_one: bool) -> None:
    """Starting from the re-timing with the most gaps (the pinned meeting stays)."""
    inst = parse_instance(doc)
    meetings = list(solve(inst, compact_gaps=False).meetings)
    pinned = {meetings[0].request} if pin_one and meetings else set()
    fewest, worst = retimings(inst, meetings, pinned)
    start = Solution(tuple(worst))
    state = load_state(build_index(inst), start.meetings, pinned)
    floors = lower_bound(state, 30.0)
    assert all(0 < floor <= count_gaps(inst, start.meetings)[inst.participants[p].id] for p, floor in floors.items())
    assert sum(floors.values()) <= fewest
    result = exact_gaps(state, 30.0, total_gaps(inst, start.meetings), floors)
    after = state.solution()

    assert result.status == "optimal"
    assert result.gaps == total_gaps(inst, after.meetings) == fewest
    assert check(inst, after) == [] and recheck(inst, after) == []
    assert {m.request for m in after.meetings} == {m.request for m in start.meetings}
    for m in start.meetings:
        if m.request in pinned:
            assert m in after.meetings


def test_the_stage_keeps_the_meetings_and_never_adds_gaps_on_a_forum() -> None:
    inst = generated("forum", 5)
    start = solve(inst, seed=1, time_limit=2, exact_gaps=False)
    ix = build_index(inst)
    pinned = [m.request for m in start.meetings[:10]]
    state = load_state(ix, start.meetings, pinned)
    cut_short = exact_gaps(state, 0.3, total_gaps(inst, start.meetings))  # the full model, timed out
    if cut_short.status == "no better found":
        assert set(state.solution().meetings) == set(start.meetings)
    result = exact_stage(state, time.perf_counter() + 3, seed=1)
    after = state.solution()

    assert result.status in {"optimal", "improved", "no better found"}
    assert result.bound <= result.gaps == total_gaps(inst, after.meetings) <= total_gaps(inst, start.meetings)
    assert check(inst, after) == [] and recheck(inst, after) == []
    assert {m.request for m in after.meetings} == {m.request for m in start.meetings}
    assert {m for m in start.meetings if m.request in pinned} <= set(after.meetings)


def test_the_solver_runs_the_stage_on_forums_only() -> None:
    forum = generated("forum", 2)
    sol = solve(forum, seed=1, time_limit=4, gap_solver="highs")
    plain = solve(forum, seed=1, time_limit=4, exact_gaps=False)
    assert sol.stats["gap_stage"] == "mip" and plain.stats["gap_stage"] == "local search"
    assert sol.stats["gaps"] == total_gaps(forum, sol.meetings) <= sol.stats["gaps_local_search"]  # type: ignore[operator]
    assert value(forum, sol) == value(forum, plain)
    assert check(forum, sol) == [] and recheck(forum, sol) == []

    bsr = generated("bsr", 1)
    state = load_state(build_index(bsr), solve(bsr, seed=1, time_limit=1, compact_gaps=False).meetings)
    assert len(state.scheduled()) * len(bsr.slots) > MAX_CELLS and not eligible(state)
