"""Incremental placement: pins stay, moves are reported, the schedule stays feasible."""

import pytest

from matchmaking.scheduling import IncrementalScheduler, InputError, Meeting, check, first_come, place_requests

from .builders import build
from .test_solver import medium_instance
from .truth import assert_true


def test_places_new_requests_and_keeps_pins() -> None:
    inst = medium_instance(9)
    base = first_come(inst)
    existing = base.meetings[::2]
    pinned = [m.request for m in existing[::3]]
    new = [r.id for r in inst.requests if r.id not in {m.request for m in existing}]
    sched = IncrementalScheduler(inst, existing, pinned)
    placed = 0
    for rid in new:
        before = {m.request: m for m in sched.solution().meetings}
        result = sched.place(rid)
        after = {m.request: m for m in sched.solution().meetings}
        assert check(inst, sched.solution()) == []
        for p in pinned:
            assert after[p] == before[p]
        changed = {r for r in before if before[r] != after[r]}
        assert changed == {m.request for m in result.moved}
        if result.meeting is None:
            assert_true(inst, sched.solution(), result.explanation)  # type: ignore[arg-type]
        else:
            placed += 1
            assert after[rid] == result.meeting
    assert placed > 0


def test_moves_an_unpinned_meeting_to_make_room() -> None:
    people = [{"id": "a", "available": ["s0", "s1"]}, {"id": "b", "available": ["s0", "s1"]},
              {"id": "c", "available": ["s0"]}]
    inst = build(2, ["T1", "T2"], people, [{"id": "ab", "a": "a", "b": "b"}, {"id": "ac", "a": "a", "b": "c"}])
    sched = IncrementalScheduler(inst, [Meeting("ab", "s0", "T1")])
    result = sched.place("ac")
    assert result.meeting is not None and result.meeting.slot == "s0"
    assert [m.request for m in result.moved] == ["ab"] and result.moved[0].slot == "s1"
    pinned = IncrementalScheduler(inst, [Meeting("ab", "s0", "T1")], pinned=["ab"])
    blocked = pinned.place("ac")
    assert blocked.meeting is None and blocked.explanation is not None
    assert blocked.explanation.participants == ("a",)


def test_bad_input() -> None:
    inst = medium_instance(9)
    with pytest.raises(InputError, match="unknown request 'nope'"):
        IncrementalScheduler(inst).place("nope")
    with pytest.raises(InputError, match="not feasible"):
        m = first_come(inst).meetings[0]
        IncrementalScheduler(inst, [m, m])
    sol, placements = place_requests(inst, [], [r.id for r in inst.requests[:5]])
    assert check(inst, sol) == [] and len(placements) == 5
