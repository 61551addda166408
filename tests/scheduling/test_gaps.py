"""Idle gaps: counted as runs per participant and day; compaction cuts them, keeping the meetings."""

from __future__ import annotations

from typing import Any

from matchmaking.scheduling import (
    Days,
    IncrementalScheduler,
    Meeting,
    check,
    count_gaps,
    fairness,
    parse_instance,
    solve,
    total_gaps,
    value,
)
from matchmaking.scheduling.model import FORMAT_TAG

from .builders import build
from .independent import generated, recheck
from .test_solver import medium_instance


def two_days(order: list[int] | None = None) -> Any:
    """Day 1: slots a0..a5 with a lunch break (not a slot) after a2; day 2: b0..b3."""
    slots = [{"id": f"a{i}", "start": f"2026-05-20T{[9, 10, 11, 14, 15, 16][i]:02d}:00:00+02:00",
              "end": f"2026-05-20T{[9, 10, 11, 14, 15, 16][i]:02d}:30:00+02:00"} for i in range(6)]
    slots += [{"id": f"b{i}", "start": f"2026-05-21T{9 + i:02d}:00:00+02:00",
               "end": f"2026-05-21T{9 + i:02d}:30:00+02:00"} for i in range(4)]
    if order:
        slots = [slots[i] for i in order]
    ids = [s["id"] for s in slots]
    people = [{"id": "p", "available": ids}] + [{"id": f"q{i}", "available": ids} for i in range(8)]
    requests = [{"id": f"r{i}", "a": "p", "b": f"q{i}", "online": True} for i in range(8)]
    return parse_instance({"format": FORMAT_TAG, "slots": slots, "tables": [], "participants": people,
                           "requests": requests})


def at(*slots: str) -> list[Meeting]:
    return [Meeting(f"r{i}", s, None) for i, s in enumerate(slots)]


def test_runs_are_counted_not_slots() -> None:
    inst = two_days()
    assert count_gaps(inst, at("a0", "a1", "a2"))["p"] == 0
    assert count_gaps(inst, at("a0", "a2"))["p"] == 1
    assert count_gaps(inst, at("a0", "a5"))["p"] == 1  # four free slots: still one gap
    assert count_gaps(inst, at("a0", "a2", "a4"))["p"] == 2
    gaps = count_gaps(inst, at("a0", "a2", "a4"))
    assert gaps["q0"] == 0 and set(gaps) == {"p", *(f"q{i}" for i in range(8))}
    assert total_gaps(inst, at("a0", "a2", "a4")) == 2


def test_days_are_separate_and_breaks_are_not_slots() -> None:
    inst = two_days()
    assert count_gaps(inst, at("a5", "b0"))["p"] == 0  # last of day 1, first of day 2
    assert count_gaps(inst, at("a2", "a3"))["p"] == 0  # across the lunch break
    assert count_gaps(inst, at("a0", "b0", "b3"))["p"] == 1
    assert count_gaps(inst, at("a0", "a2", "b0", "b2"))["p"] == 2


def test_slots_listed_out_of_time_order() -> None:
    inst = two_days(order=[9, 3, 0, 7, 1, 5, 2, 8, 4, 6])
    assert count_gaps(inst, at("a0", "a1", "a2"))["p"] == 0
    assert count_gaps(inst, at("a0", "a2", "a4"))["p"] == 2
    assert count_gaps(inst, at("a5", "b0", "b2"))["p"] == 1


def test_compaction_cuts_gaps_and_keeps_the_meetings() -> None:
    for inst in (medium_instance(1), generated("forum", 3)):
        plain = solve(inst, seed=2, compact_gaps=False)
        tight = solve(inst, seed=2)
        assert check(inst, tight) == [] and recheck(inst, tight) == []
        assert {m.request for m in tight.meetings} == {m.request for m in plain.meetings}
        assert value(inst, tight) == value(inst, plain) and fairness(inst, tight) == fairness(inst, plain)
        assert total_gaps(inst, tight.meetings) < total_gaps(inst, plain.meetings)
        assert tight.stats["gaps"] == total_gaps(inst, tight.meetings)


def test_compaction_closes_a_simple_gap_and_never_moves_pins() -> None:
    people = [{"id": x, "available": ["s0", "s1", "s2", "s3"]} for x in "abcd"]
    requests = [{"id": "ab", "a": "a", "b": "b"}, {"id": "ac", "a": "a", "b": "c"},
                {"id": "ad", "a": "a", "b": "d"}]
    pinned = [{"request": "ab", "slot": "s0", "table": "T1"}]
    inst = build(4, ["T1"], people, requests, pinned)
    sol = solve(inst)
    assert Meeting("ab", "s0", "T1") in sol.meetings
    assert sorted(m.slot for m in sol.meetings) == ["s0", "s1", "s2"]
    assert total_gaps(inst, sol.meetings) == 0


def test_incremental_placement_goes_next_to_existing_meetings() -> None:
    slots = [f"s{i}" for i in range(6)]
    people: list[dict[str, Any]] = [{"id": x, "available": slots} for x in "abcde"]
    requests = [{"id": "ab", "a": "a", "b": "b"}, {"id": "cd", "a": "c", "b": "d"},
                {"id": "ac", "a": "a", "b": "c", "online": True}, {"id": "ae", "a": "a", "b": "e"}]
    inst = build(6, ["T1", "T2"], people, requests)
    sched = IncrementalScheduler(inst, [Meeting("ab", "s3", "T1"), Meeting("cd", "s4", "T1")])
    placed = sched.place("ac").meeting
    assert placed is not None and placed.slot in {"s2", "s5"}  # s0, s1 would leave a gap
    assert count_gaps(inst, sched.solution().meetings)["a"] == 0
    nxt = sched.place("ae").meeting
    assert nxt is not None and count_gaps(inst, sched.solution().meetings)["a"] == 0
    assert check(inst, sched.solution()) == []


def test_the_iterated_search_leaves_fewer_gaps_than_the_descent_alone() -> None:
    """On a Catalan-forum-sized instance the descent stops at a local optimum; kicking a day and
    descending again finds fewer gaps, with the same meetings and every rule kept."""
    from matchmaking.scheduling.compact import _descend, compact, person_gaps, total
    from matchmaking.scheduling.index import build_index
    from matchmaking.scheduling.pinned import load_state

    inst = generated("forum", 1)
    plain = solve(inst, seed=1, compact_gaps=False)
    ix = build_index(inst)
    descended, iterated = load_state(ix, plain.meetings), load_state(ix, plain.meetings)
    _descend(descended, [p for p in range(len(ix.person_ids)) if person_gaps(descended, p)], lambda: False, 10**6)
    compact(iterated, lambda: False, seed=1)

    result = iterated.solution()
    assert total(iterated) < total(descended) < total_gaps(inst, plain.meetings)
    assert check(inst, result) == [] and recheck(inst, result) == []
    assert {m.request for m in result.meetings} == {m.request for m in plain.meetings}
    assert total(iterated) == total_gaps(inst, result.meetings)


def test_gap_runs_are_the_gaps_counted_in_time_order() -> None:
    """The runs an agenda shows as "free" are exactly the gaps counted, each in time order."""
    for order in (None, [9, 3, 0, 7, 1, 5, 2, 8, 4, 6]):
        inst = two_days(order)
        ids = [s.id for s in inst.slots]
        days = Days(inst.slots)
        for booked in (["a0", "a5"], ["a0", "a2", "a4", "b0", "b3"], ["a1"], [], ["a2", "a3"]):
            mask = sum(1 << ids.index(s) for s in booked)
            runs = [[ids[i] for i in run] for run in days.gap_runs(mask)]
            assert len(runs) == days.gaps(mask)
            expected = {("a0", "a5"): [["a1", "a2", "a3", "a4"]],
                        ("a0", "a2", "a4", "b0", "b3"): [["a1"], ["a3"], ["b1", "b2"]]}.get(tuple(booked), [])
            assert runs == expected
