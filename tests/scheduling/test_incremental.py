"""Incremental placement: pins stay, moves are reported, the schedule stays feasible."""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.scheduling import (
    IncrementalScheduler,
    InputError,
    Meeting,
    Solution,
    check,
    first_come,
    parse_instance,
    place_requests,
)

from .builders import build, tiny_docs
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


@st.composite
def _tiny_with_assignment(draw: st.DrawFn) -> tuple[Any, list[Meeting]]:
    """A tiny instance and a list of meetings over its ids, feasible or not: often a feasible
    schedule (first come, first served) with a meeting or two added or moved at random."""
    inst = parse_instance(draw(tiny_docs(max_requests=5)))
    slots, tables = [s.id for s in inst.slots], [t.id for t in inst.tables]
    random_meeting = st.builds(
        Meeting, st.sampled_from([r.id for r in inst.requests]), st.sampled_from(slots),
        st.one_of(st.none(), st.sampled_from(tables)) if tables else st.none())
    base = list(first_come(inst).meetings)
    if base and draw(st.booleans()):
        base.pop(draw(st.integers(0, len(base) - 1)))
    return inst, base + draw(st.lists(random_meeting, max_size=2))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tiny_with_assignment())
def test_loading_an_assignment_refuses_exactly_what_the_referee_refuses(case) -> None:
    """The incremental scheduler verifies a live schedule with its own fast bit-mask test
    instead of the referee (feasibility.check); both must give the same verdict."""
    inst, meetings = case
    broken = check(inst, Solution(tuple(meetings)))
    try:
        sched = IncrementalScheduler(inst, meetings)
    except InputError as error:
        assert broken, f"refused a feasible assignment: {error}"
    else:
        assert not broken, f"accepted an infeasible assignment: {broken}"
        assert set(sched.solution().meetings) == set(meetings)


TABLE_CASES = {
    "one table, two meetings": [Meeting("ab", "s0", "T1"), Meeting("cd", "s0", "T1")],
    "someone else's own table": [Meeting("ab", "s0", "T2")],
    "online with a table": [Meeting("ao", "s0", "T1")],
    "onsite without a table": [Meeting("ab", "s0", None)],
    "outside the window": [Meeting("cw", "s0", "T1")],
    "twice": [Meeting("ab", "s0", "T1"), Meeting("ab", "s1", "T1")],
    "a participant twice in a slot": [Meeting("ab", "s0", "T1"), Meeting("ao", "s0", None)],
    "over max_meetings": [Meeting("cd", "s0", "T2"), Meeting("ce", "s1", "T1")],
    "at the own table": [Meeting("de", "s0", "T2")],
}


@pytest.mark.parametrize("name", sorted(TABLE_CASES))
def test_loading_an_assignment_refuses_each_broken_rule(name: str) -> None:
    people = [{"id": x, "available": ["s0", "s1"]} for x in "abco"] + [
        {"id": "d", "available": ["s0", "s1"], "table": "T2"}, {"id": "e", "available": ["s0", "s1"]}]
    people[2]["max_meetings"] = 1  # c
    inst = build(2, ["T1", "T2", "T3"], people, [
        {"id": "ab", "a": "a", "b": "b"}, {"id": "cd", "a": "c", "b": "d"}, {"id": "ce", "a": "c", "b": "e"},
        {"id": "ao", "a": "a", "b": "o", "online": True}, {"id": "cw", "a": "c", "b": "o", "slots": ["s1"]},
        {"id": "de", "a": "d", "b": "e"}])
    meetings = TABLE_CASES[name]
    broken = check(inst, Solution(tuple(meetings)))
    if name == "at the own table":
        assert not broken and IncrementalScheduler(inst, meetings).meeting("de") == meetings[0]
        return
    assert broken
    with pytest.raises(InputError, match="not feasible"):
        IncrementalScheduler(inst, meetings)
