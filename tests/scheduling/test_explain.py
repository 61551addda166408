"""Every reason code, on hand-made schedules, and always true of the schedule."""

from matchmaking.scheduling import Meeting, Reason, Solution, explain, first_come

from .builders import build
from .test_solver import medium_instance
from .truth import assert_true


def test_each_reason() -> None:
    people = [
        {"id": "a", "available": ["s0"]},
        {"id": "b", "available": ["s1"]},
        {"id": "c", "available": ["s0", "s1"], "max_meetings": 1},
        {"id": "d", "available": ["s0"]},
        {"id": "e", "available": ["s0"], "table": "B"},
        {"id": "f", "available": ["s0"]},
        {"id": "g", "available": ["s0"]},
        {"id": "h", "available": ["s0"]},
    ]
    requests = [
        {"id": "ab", "a": "a", "b": "b"},  # no common slot
        {"id": "ac", "a": "a", "b": "c"},  # scheduled in s0
        {"id": "cd", "a": "c", "b": "d"},  # c is at max
        {"id": "ad", "a": "d", "b": "a", "online": True},  # a is busy in the only common slot
        {"id": "fe", "a": "f", "b": "e"},  # scheduled at booth B
        {"id": "gh", "a": "g", "b": "h"},  # no pool table left (T is taken by ac)
        {"id": "eh", "a": "h", "b": "e"},  # e's booth... e is busy: slots taken
    ]
    inst = build(2, ["T", "B"], people, requests)
    sol = Solution((Meeting("ac", "s0", "T"), Meeting("fe", "s0", "B")))
    why = explain(inst, sol)
    assert {r: e.code for r, e in why.items()} == {
        "ab": Reason.NO_COMMON_AVAILABILITY,
        "cd": Reason.MAX_MEETINGS_REACHED,
        "ad": Reason.COMMON_SLOTS_TAKEN,
        "gh": Reason.NO_TABLE_FREE,
        "eh": Reason.COMMON_SLOTS_TAKEN,
    }
    assert why["cd"].participants == ("c",)
    assert why["ad"].participants == ("a",)
    assert why["gh"].slots == ("s0",)
    for e in why.values():
        assert_true(inst, sol, e)
        assert e.message


def test_own_table_taken_by_co_owner() -> None:
    people = [{"id": "x", "available": ["s0"], "table": "B"}, {"id": "y", "available": ["s0"], "table": "B"},
              {"id": "u", "available": ["s0"]}, {"id": "v", "available": ["s0"]}]
    inst = build(1, ["B", "T"], people, [{"id": "xu", "a": "x", "b": "u"}, {"id": "yv", "a": "y", "b": "v"}])
    sol = Solution((Meeting("xu", "s0", "B"),))
    why = explain(inst, sol)
    assert why["yv"].code == Reason.NO_TABLE_FREE
    assert_true(inst, sol, why["yv"])


def test_explanations_of_first_come_are_true() -> None:
    inst = medium_instance(8)
    sol = first_come(inst)
    for e in explain(inst, sol).values():
        assert_true(inst, sol, e)
