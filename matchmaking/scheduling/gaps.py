"""Idle gaps in participants' days: the third objective, after value and fairness.

For each participant and day (slots grouped by the calendar date of their start, in time
order), a gap is a run of one or more free slots between two of the participant's meetings.
Runs are counted, not slots: meetings in slots 1, 2, 5 and 8 of a day make two gaps. Only the
instance's slots are positions, so a lunch break that is not a slot never makes a gap.

`Days` does the arithmetic on slot bit masks (see index.py) so that the solver can evaluate
a move in a few integer operations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import Instance, Meeting, Slot

TABLE_WIDTH = 16  # slots per day up to which a day's cost is looked up (2**16 entries)
MEMO_SIZE = 250_000  # masks whose cost is kept (a miss costs a few table lookups)


class Days:
    """The instance's slots grouped by day, with gap counting over slot bit masks."""

    def __init__(self, slots: Sequence[Slot]) -> None:
        order = sorted(range(len(slots)), key=lambda i: (slots[i].start, i))
        self.identity = order == list(range(len(slots)))
        self.rank = [0] * len(slots)
        for k, i in enumerate(order):
            self.rank[i] = k
        self.order = order
        self.day_masks: list[int] = []
        self.first = 0
        self.last = 0
        previous = None
        for k, i in enumerate(order):
            day = slots[i].start.date()
            if day != previous:
                if self.day_masks:
                    self.last |= 1 << (k - 1)
                self.day_masks.append(0)
                self.first |= 1 << k
                previous = day
            self.day_masks[-1] |= 1 << k
        if order:
            self.last |= 1 << (len(order) - 1)
        self.scale = len(slots) + 1
        self.costs = _CostMemo(self)
        # days are runs of consecutive time ranks: with at most TABLE_WIDTH slots each, a day's
        # cost is one lookup of its bits in a table (shared by the days of the same width)
        self._tables: list[tuple[int, int, list[int]]] | None = None
        if self.day_masks and max(d.bit_count() for d in self.day_masks) <= TABLE_WIDTH:
            by_width: dict[int, list[int]] = {}
            self._tables = []
            for d in self.day_masks:
                width = d.bit_count()
                if width not in by_width:
                    by_width[width] = [self._day_cost(m) for m in range(1 << width)]
                self._tables.append(((d & -d).bit_length() - 1, (1 << width) - 1, by_width[width]))

    def _timed(self, mask: int) -> int:
        """`mask` (bits = slot positions) with bits at time ranks instead."""
        if self.identity:
            return mask
        out = 0
        for i, k in enumerate(self.rank):
            if (mask >> i) & 1:
                out |= 1 << k
        return out

    def _untimed(self, timed: int) -> int:
        if self.identity:
            return timed
        out = 0
        for k, i in enumerate(self.order):
            if (timed >> k) & 1:
                out |= 1 << i
        return out

    def gaps(self, mask: int) -> int:
        """The gaps of a participant whose meetings are in the slots of `mask`."""
        t = self._timed(mask)
        if not t:
            return 0
        starts = t & ~((t << 1) & ~self.first)
        return starts.bit_count() - sum(1 for d in self.day_masks if t & d)

    def gap_runs(self, mask: int) -> list[list[int]]:
        """The gaps themselves: for each, the positions (bits of `mask`'s numbering) of its free
        slots in time order; as many as `gaps(mask)` counts."""
        t = self._timed(mask)
        out: list[list[int]] = []
        for d in self.day_masks:
            m = t & d
            if not m:
                continue
            run: list[int] = []
            for k in range((m & -m).bit_length() - 1, m.bit_length()):
                if (m >> k) & 1:
                    if run:
                        out.append(run)
                        run = []
                else:
                    run.append(self.order[k])
        return out

    def idle(self, mask: int) -> int:
        """The free slots inside the participant's days (between its first and last meeting of
        each day): a finer measure than `gaps`, so that narrowing a gap counts as progress."""
        t = self._timed(mask)
        out = 0
        for d in self.day_masks:
            m = t & d
            if m:
                out += m.bit_length() - (m & -m).bit_length() + 1 - m.bit_count()
        return out

    def cost(self, mask: int) -> int:
        """gaps * scale + idle as one integer (idle < scale), memoised: the local search's
        objective for one participant. Hot loops index `costs` directly (a dict lookup, no call)."""
        return self.costs[mask]

    def cost_uncached(self, mask: int) -> int:
        t = self._timed(mask)
        if self._tables is not None:
            return sum([table[(t >> shift) & full] for shift, full, table in self._tables])
        return self.cost_by_day(mask)

    def cost_by_day(self, mask: int) -> int:
        """`cost` computed day by day, without tables or memo (the reference)."""
        t = self._timed(mask)
        return sum(self._day_cost(t & d) for d in self.day_masks)

    def _day_cost(self, m: int) -> int:
        if not m:
            return 0
        # runs of the day minus one, then the free slots inside the day's span
        return (((m & ~(m << 1)).bit_count() - 1) * self.scale
                + m.bit_length() - (m & -m).bit_length() + 1 - m.bit_count())

    def near(self, mask: int) -> int:
        """The slots right before or after a slot of `mask` on the same day."""
        if self.identity:
            return ((mask << 1) & ~self.first) | ((mask >> 1) & ~self.last)
        t = self._timed(mask)
        return self._untimed(((t << 1) & ~self.first) | ((t >> 1) & ~self.last))


class _CostMemo(dict[int, int]):
    """`Days.cost` by mask, computed on a miss; cleared past a million masks to bound memory."""

    def __init__(self, days: Days) -> None:
        super().__init__()
        self.days = days

    def __missing__(self, mask: int) -> int:
        got = self.days.cost_uncached(mask)
        if len(self) > MEMO_SIZE:
            self.clear()
        self[mask] = got
        return got


def count_gaps(instance: Instance, meetings: Iterable[Meeting]) -> dict[str, int]:
    """Gaps per participant id (every participant of the instance, 0 for none)."""
    pos = {s.id: i for i, s in enumerate(instance.slots)}
    masks = {p.id: 0 for p in instance.participants}
    for m in meetings:
        r = instance.request_by_id[m.request]
        for p in (r.a, r.b):
            masks[p] |= 1 << pos[m.slot]
    days = Days(instance.slots)
    return {p: days.gaps(mask) for p, mask in masks.items()}


def total_gaps(instance: Instance, meetings: Iterable[Meeting]) -> int:
    """The sum of `count_gaps` over participants."""
    return sum(count_gaps(instance, meetings).values())
