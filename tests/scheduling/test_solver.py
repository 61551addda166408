"""Batch solver: feasible, optimal on tiny instances, bounded, pinned, deterministic."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from matchmaking.scheduling import (
    Meeting,
    check,
    explain,
    first_come,
    parse_instance,
    solve,
    upper_bound,
    value,
)
from matchmaking.scheduling import solver as solver_module
from matchmaking.scheduling.bound import dual_bound
from matchmaking.scheduling.index import build_index

from .builders import brute_force, build, tiny_docs
from .truth import assert_true

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(tiny_docs())
def test_optimal_feasible_bounded_explained(doc: dict[str, Any]) -> None:
    inst = parse_instance(doc)
    best = brute_force(inst)
    sol = solve(inst, seed=3)
    assert check(inst, sol) == []
    assert value(inst, sol) == best
    assert upper_bound(inst).value >= best
    assert dual_bound(build_index(inst)).value >= best
    for e in explain(inst, sol).values():
        assert_true(inst, sol, e)


@SETTINGS
@given(tiny_docs(max_requests=6))
def test_heuristic_path_is_feasible_and_keeps_pins(doc: dict[str, Any]) -> None:
    inst = parse_instance(doc)
    pins = first_come(inst).meetings[:2]
    doc = {**doc, "pinned": [{"request": m.request, "slot": m.slot, "table": m.table} for m in pins]}
    inst = parse_instance(doc)
    saved = solver_module.EXACT_MAX_REQUESTS
    solver_module.EXACT_MAX_REQUESTS = -1
    try:
        sol = solve(inst, seed=1)
    finally:
        solver_module.EXACT_MAX_REQUESTS = saved
    assert check(inst, sol) == []
    assert set(pins) <= set(sol.meetings)
    assert value(inst, sol) <= brute_force(inst) <= upper_bound(inst).value
    for e in explain(inst, sol).values():
        assert_true(inst, sol, e)


def medium_instance(seed: int) -> Any:
    """Random 30-participant event, big enough to use the heuristic path."""
    import random

    rng = random.Random(seed)
    slot_ids = [f"s{i}" for i in range(6)]
    people = []
    for i in range(30):
        p: dict[str, Any] = {"id": f"p{i}", "available": sorted(rng.sample(slot_ids, rng.randint(2, 6)))}
        if rng.random() < 0.3:
            p["max_meetings"] = rng.randint(1, 4)
        if i < 3:
            p["table"] = f"B{i}"
        people.append(p)
    pairs = set()
    while len(pairs) < 90:
        a, b = rng.sample(range(30), 2)
        pairs.add((min(a, b), max(a, b)))
    requests = [{"id": f"r{k}", "a": f"p{a}", "b": f"p{b}", "priority": rng.choice([1, 1, 2]),
                 "online": rng.random() < 0.1} for k, (a, b) in enumerate(sorted(pairs))]
    return build(6, ["T0", "T1", "T2", "B0", "B1", "B2"], people, requests)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_medium_instances(seed: int) -> None:
    inst = medium_instance(seed)
    sol = solve(inst, seed=seed)
    assert check(inst, sol) == []
    assert value(inst, sol) >= value(inst, first_come(inst))
    assert value(inst, sol) <= upper_bound(inst).value
    assert sol.stats["value"] == value(inst, sol)
    for e in explain(inst, sol).values():
        assert_true(inst, sol, e)


def test_deterministic_for_a_seed() -> None:
    inst = medium_instance(4)
    assert solve(inst, seed=7).meetings == solve(inst, seed=7).meetings


def test_pinned_meetings_never_move() -> None:
    inst = medium_instance(5)
    pins = [Meeting(m.request, m.slot, m.table) for m in first_come(inst).meetings[::4]]
    pinned = parse_instance({**_doc(inst), "pinned": [vars(m) for m in pins]})
    sol = solve(pinned, seed=0)
    assert check(pinned, sol) == []
    assert set(pins) <= set(sol.meetings)
    assert value(pinned, sol) <= upper_bound(pinned).value <= upper_bound(inst).value


def _doc(inst: Any) -> dict[str, Any]:
    from matchmaking.scheduling import instance_to_dict

    return instance_to_dict(inst)


def test_time_limit_returns_feasible() -> None:
    inst = medium_instance(6)
    sol = solve(inst, time_limit=0.001)
    assert check(inst, sol) == []
    assert value(inst, sol) > 0  # out of time before the search: still a first schedule


def test_an_event_with_nothing_to_schedule_solves_to_nothing() -> None:
    inst = build(2, ["T1"], [{"id": "anna", "available": ["s0", "s1"]}], [])
    sol = solve(inst)
    assert list(sol.meetings) == [] and check(inst, sol) == []
    assert upper_bound(inst).value == 0


def test_exact_mip_runs_up_to_its_size_limit_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A triangle of online requests in two slots: six (request, slot) variables, two meetings at
    most. The MIP answers at six variables allowed and declines at five (big events skip it)."""
    pytest.importorskip("scipy")
    from matchmaking.scheduling import mip
    from matchmaking.scheduling.pinned import pinned_state

    people = [{"id": p, "available": ["s0", "s1"]} for p in ("Łomża", "Rokavaldīna", "p2")]
    pairs = [("Łomża", "Rokavaldīna"), ("Rokavaldīna", "p2"), ("Łomża", "p2")]
    inst = build(2, [], people, [{"id": f"r{i}", "a": a, "b": b, "online": True} for i, (a, b) in enumerate(pairs)])
    state = pinned_state(build_index(inst))
    monkeypatch.setattr(mip, "MAX_VARIABLES", 6)
    found = mip.mip_assignment(state, 5.0)
    assert found is not None
    chosen, bound = found
    assert len(chosen) == 2 and len({s for _r, s in chosen}) == 2 and bound == pytest.approx(2)
    monkeypatch.setattr(mip, "MAX_VARIABLES", 5)
    assert mip.mip_assignment(state, 5.0) is None
