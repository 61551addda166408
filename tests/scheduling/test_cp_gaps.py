"""The CP-SAT gap stage: its model finds (and proves) the fewest gaps a re-timing of the same
meetings allows, held against a brute force over every re-timing; the stage never breaks a
window, a blocked slot or a pinned meeting, and never adds gaps."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.scheduling import Solution, check, parse_instance, solve, total_gaps, value
from matchmaking.scheduling.gap_mip import lower_bound
from matchmaking.scheduling.index import build_index
from matchmaking.scheduling.pinned import load_state

from .independent import generated, recheck
from .test_gap_mip import retimings, small_docs

pytest.importorskip("ortools")
from matchmaking.scheduling import cp_gaps


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_docs(), st.booleans(), st.booleans())
def test_cp_sat_finds_and_proves_the_fewest_gaps_of_the_same_meetings(doc: dict[str, Any], pin_one: bool,
                                                                      floors: bool) -> None:
    """Starting from the re-timing with the most gaps (the pinned meeting stays); with and
    without the participants' own floors as cuts."""
    inst = parse_instance(doc)
    meetings = list(solve(inst, compact_gaps=False).meetings)
    pinned = {meetings[0].request} if pin_one and meetings else set()
    fewest, worst = retimings(inst, meetings, pinned)
    start = Solution(tuple(worst))
    state = load_state(build_index(inst), start.meetings, pinned)
    cuts = lower_bound(state, 30.0) if floors else None
    result = cp_gaps.cp_gaps(state, 30.0, cuts)
    after = state.solution()

    assert result.status == "optimal"
    assert result.gaps == result.bound == total_gaps(inst, after.meetings) == fewest
    assert check(inst, after) == [] and recheck(inst, after) == []
    assert {m.request for m in after.meetings} == {m.request for m in start.meetings}
    for m in start.meetings:
        if m.request in pinned:
            assert m in after.meetings


def test_the_stage_keeps_windows_pins_and_meetings_on_a_forum() -> None:
    inst = generated("forum", 5)
    start = solve(inst, seed=1, time_limit=2, exact_gaps=False)
    pinned = [m.request for m in start.meetings[:10]]
    state = load_state(build_index(inst), start.meetings, pinned)
    result = cp_gaps.cp_stage(state, time.perf_counter() + 4, seed=1)
    after = state.solution()

    assert result.status in {"optimal", "improved", "no better found"}
    assert result.bound <= result.gaps == total_gaps(inst, after.meetings) <= total_gaps(inst, start.meetings)
    assert check(inst, after) == [] and recheck(inst, after) == []
    assert {m.request for m in after.meetings} == {m.request for m in start.meetings}
    assert {m for m in start.meetings if m.request in pinned} <= set(after.meetings)


def test_the_solver_runs_cp_sat_by_default_and_highs_on_request() -> None:
    forum = generated("forum", 2)
    sol = solve(forum, seed=1, time_limit=4)
    highs = solve(forum, seed=1, time_limit=4, gap_solver="highs")
    assert sol.stats["gap_stage"] == "cp-sat" and highs.stats["gap_stage"] == "mip"
    assert sol.stats["gaps"] == total_gaps(forum, sol.meetings) <= sol.stats["gaps_local_search"]  # type: ignore[operator]
    assert sol.stats["gap_mip"]["lower_bound"] <= sol.stats["gaps"]  # type: ignore[index]
    assert value(forum, sol) == value(forum, highs)
    assert check(forum, sol) == [] and recheck(forum, sol) == []

    bsrw = generated("bsrw", 1)
    state = load_state(build_index(bsrw), solve(bsrw, seed=1, time_limit=1, compact_gaps=False).meetings)
    assert not cp_gaps.eligible(state)  # left to the local search
