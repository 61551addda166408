"""Each of the six feasibility rules is detected by `check`."""

from matchmaking.scheduling import Meeting, Solution, check, value

from .builders import build

PEOPLE = [
    {"id": "a", "available": ["s0", "s1"]},
    {"id": "b", "available": ["s0", "s1"], "max_meetings": 1},
    {"id": "c", "available": ["s0"]},
    {"id": "d", "available": ["s0", "s1"], "table": "B1"},
    {"id": "e", "available": ["s0", "s1"]},
]
REQUESTS = [
    {"id": "ab", "a": "a", "b": "b"},
    {"id": "ac", "a": "a", "b": "c", "priority": 2},
    {"id": "ad", "a": "a", "b": "d"},
    {"id": "ce", "a": "c", "b": "e", "online": True},
    {"id": "be", "a": "b", "b": "e"},
    {"id": "de", "a": "d", "b": "e"},
]
INST = build(2, ["T1", "T2", "B1"], PEOPLE, REQUESTS, [{"request": "ce", "slot": "s0", "table": None}])


def rules(*meetings: tuple[str, str, str | None]) -> set[int]:
    pinned = Meeting("ce", "s0", None)
    sol = Solution((pinned, *(Meeting(*m) for m in meetings)))
    return {v.rule for v in check(INST, sol)}


def test_feasible_schedule_passes() -> None:
    sol = Solution((Meeting("ce", "s0", None), Meeting("ab", "s1", "T1"), Meeting("de", "s1", "B1"),
                    Meeting("ad", "s0", "B1")))
    assert check(INST, sol) == []
    assert value(INST, sol) == 4


def test_rule1_duplicate_and_moved_pin() -> None:
    assert rules(("ab", "s0", "T1"), ("ab", "s1", "T2")) >= {1}
    sol = Solution((Meeting("ce", "s1", None),))
    broken = check(INST, sol)
    assert any(v.rule == 1 and "ce" in v.ids for v in broken)


def test_rule2_availability() -> None:
    broken = check(INST, Solution((Meeting("ce", "s0", None), Meeting("ac", "s1", "T1"))))
    assert [v.rule for v in broken] == [2]
    assert "c" in broken[0].ids


def test_rule3_participant_double_booked() -> None:
    assert rules(("ab", "s1", "T1"), ("ad", "s1", "B1")) == {3}


def test_rule4_tables() -> None:
    assert rules(("ab", "s1", None)) == {4}  # onsite without a table
    assert rules(("de", "s1", "T1")) == {4}  # d's meeting away from its booth
    assert rules(("ab", "s1", "B1")) == {4}  # someone else's own table
    assert rules(("ad", "s0", "T1")) == {4}  # not at d's own table
    # two meetings at one table in one slot
    inst = build(1, ["T1"], [{"id": x, "available": ["s0"]} for x in "wxyz"],
                 [{"id": "wx", "a": "w", "b": "x"}, {"id": "yz", "a": "y", "b": "z"}])
    broken = check(inst, Solution((Meeting("wx", "s0", "T1"), Meeting("yz", "s0", "T1"))))
    assert [v.rule for v in broken] == [4] and "T1" in broken[0].ids


def test_rule5_online_has_no_table() -> None:
    broken = check(INST, Solution((Meeting("ce", "s0", "T1"),)))
    assert 5 in {v.rule for v in broken}


def test_rule6_max_meetings() -> None:
    broken = check(INST, Solution((Meeting("ce", "s0", None), Meeting("ab", "s0", "T1"),
                                   Meeting("be", "s1", "T2"))))
    assert [v.rule for v in broken] == [6] and broken[0].ids == ("b",)


def test_booth_holders_may_meet_at_either_table() -> None:
    inst = build(1, ["B1", "B2"], [{"id": "x", "available": ["s0"], "table": "B1"},
                                   {"id": "y", "available": ["s0"], "table": "B2"}],
                 [{"id": "xy", "a": "x", "b": "y"}])
    assert check(inst, Solution((Meeting("xy", "s0", "B2"),))) == []
