"""Request windows (`requests[].slots`) are never violated, by any part of the core."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from matchmaking.scheduling import (
    IncrementalScheduler,
    Meeting,
    Reason,
    Solution,
    check,
    explain,
    first_come,
    parse_instance,
    solve,
    upper_bound,
    value,
)

from .builders import build, tiny_docs
from .independent import generated, recheck
from .truth import assert_true

PEOPLE = [{"id": x, "available": ["s0", "s1", "s2", "s3"]} for x in "abcd"]


def test_check_rule7_outside_the_window() -> None:
    inst = build(4, ["T1"], PEOPLE, [{"id": "ab", "a": "a", "b": "b", "slots": ["s2", "s3"]}])
    broken = check(inst, Solution((Meeting("ab", "s0", "T1"),)))
    assert [v.rule for v in broken] == [7] and broken[0].ids == ("ab", "s0")
    assert "outside its window" in broken[0].message
    assert check(inst, Solution((Meeting("ab", "s3", "T1"),))) == []


def test_solver_bound_and_explain_respect_windows() -> None:
    requests = [{"id": "ab", "a": "a", "b": "b", "slots": ["s3"]},
                {"id": "ac", "a": "a", "b": "c", "slots": ["s3"]},
                {"id": "bd", "a": "b", "b": "d", "slots": []}]
    inst = build(4, ["T1", "T2"], PEOPLE, requests)
    assert upper_bound(inst).value == 1  # a meets once in s3; bd has an empty window
    sol = solve(inst)
    assert value(inst, sol) == 1 and check(inst, sol) == [] and recheck(inst, sol) == []
    why = explain(inst, sol)
    assert why["bd"].code == Reason.OUTSIDE_WINDOW
    loser = next(r for r in ("ab", "ac") if r in why)
    assert why[loser].code == Reason.COMMON_SLOTS_TAKEN and why[loser].slots == ("s3",)
    for e in why.values():
        assert_true(inst, sol, e)


def test_no_common_slot_inside_the_window_is_outside_window() -> None:
    people = [{"id": "a", "available": ["s0", "s1"]}, {"id": "b", "available": ["s1", "s2"]}]
    inst = build(3, ["T1"], people, [{"id": "ab", "a": "a", "b": "b", "slots": ["s0", "s2"]}])
    e = explain(inst, solve(inst))["ab"]
    assert e.code == Reason.OUTSIDE_WINDOW and e.slots == ("s0", "s2")


def test_pin_outside_the_window_is_refused() -> None:
    from matchmaking.scheduling import InputError

    inst = build(4, ["T1"], PEOPLE, [{"id": "ab", "a": "a", "b": "b", "slots": ["s1"]}],
                 pinned=[{"request": "ab", "slot": "s0", "table": "T1"}])
    with pytest.raises(InputError, match="outside its window"):
        solve(inst)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_docs(max_requests=6))
def test_tiny_instances_never_break_a_window(doc: dict[str, Any]) -> None:
    inst = parse_instance(doc)
    for sol in (solve(inst, seed=1), first_come(inst)):
        assert recheck(inst, sol) == [] and check(inst, sol) == []


@pytest.mark.parametrize(("preset", "seed"), [("forum", 1), ("forum", 2), ("bsrw", 1)])
def test_generated_instances_with_windows(preset: str, seed: int) -> None:
    inst = generated(preset, seed)
    assert sum(r.slots is not None for r in inst.requests) > len(inst.requests) // 5
    sol = solve(inst, time_limit=10, seed=seed)
    assert recheck(inst, sol) == [] and check(inst, sol) == []
    assert value(inst, sol) <= upper_bound(inst).value
    for e in explain(inst, sol).values():
        assert_true(inst, sol, e)
    # incremental placement of the unscheduled and of removed meetings keeps windows too
    keep = sol.meetings[::2]
    sched = IncrementalScheduler(inst, keep, pinned=[m.request for m in keep[::3]])
    for m in sol.meetings[1::2]:
        sched.place(m.request)
    assert recheck(inst, sched.solution()) == [] and check(inst, sched.solution()) == []
