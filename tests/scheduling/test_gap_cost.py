"""The gap compaction's per-participant cost (looked up per day, memoised) against a plain count."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.scheduling.gaps import Days
from matchmaking.scheduling.model import Slot


def make_slots(widths: list[int], shuffle_seed: int | None) -> list[Slot]:
    start = datetime(2026, 5, 20, 9, tzinfo=UTC)
    slots = [Slot(f"d{d}s{k}", start + timedelta(days=d, minutes=20 * k),
                  start + timedelta(days=d, minutes=20 * k + 15))
             for d, width in enumerate(widths) for k in range(width)]
    if shuffle_seed is not None:  # listed out of time order: bit positions are not time ranks
        random.Random(shuffle_seed).shuffle(slots)
    return slots


def plain(slots: list[Slot], mask: int) -> tuple[int, int, int]:
    """(gaps, idle slots inside the days, slots next to a meeting on its day) counted by hand."""
    gaps = idle = 0
    near = 0
    by_day: dict[object, list[int]] = {}
    for i in sorted(range(len(slots)), key=lambda i: slots[i].start):
        by_day.setdefault(slots[i].start.date(), []).append(i)
    for day in by_day.values():
        busy = [k for k, i in enumerate(day) if (mask >> i) & 1]
        if busy:
            gaps += sum(1 for x, y in pairwise(busy) if y > x + 1)
            idle += busy[-1] - busy[0] + 1 - len(busy)
        for k, i in enumerate(day):
            if any(0 <= j < len(day) and (mask >> day[j]) & 1 for j in (k - 1, k + 1)):
                near |= 1 << i
    return gaps, idle, near


@settings(max_examples=60, deadline=None)
@given(widths=st.lists(st.integers(1, 20), min_size=1, max_size=3),
       shuffle_seed=st.none() | st.integers(0, 1000), seed=st.integers(0, 10**6))
def test_cost_equals_gaps_and_idle_counted_by_hand(widths: list[int], shuffle_seed: int | None, seed: int) -> None:
    slots = make_slots(widths, shuffle_seed)
    days = Days(slots)
    rng = random.Random(seed)
    for _ in range(40):
        mask = rng.getrandbits(len(slots)) & rng.getrandbits(len(slots)) if rng.random() < 0.5 \
            else rng.getrandbits(len(slots))
        gaps, idle, near = plain(slots, mask)
        assert days.cost(mask) == gaps * days.scale + idle
        assert days.cost(mask) == days.cost(mask) == days.cost_by_day(mask)  # memo hit, reference
        assert days.gaps(mask) == gaps
        assert (days.cost(mask) >= days.scale) == (gaps > 0)  # the descent's "has gaps" test
        assert days.near(mask) & ((1 << len(slots)) - 1) == near  # used only inside common slots


def test_days_wider_than_the_table_are_counted_day_by_day() -> None:
    slots = make_slots([20, 3], None)
    days = Days(slots)
    mask = 1 | 1 << 5 | 1 << 19 | 1 << 20 | 1 << 22
    assert days.cost(mask) == 3 * days.scale + 17 + 1  # gaps 2 + 1, idle 17 + 1
