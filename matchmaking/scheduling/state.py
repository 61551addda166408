"""A mutable schedule over an `Index` with O(1) place/remove and an undo journal.

Pool tables (tables nobody owns) are interchangeable, so during the search a pool meeting only
takes one unit of its slot's pool capacity; a concrete table is chosen by `assign_tables`
(meetings that already have one, e.g. pinned ones, keep it).
"""

from __future__ import annotations

from .index import BOOTH, ONLINE, POOL, Index
from .model import Meeting, Solution

NO_TABLE = -1


class State:
    def __init__(self, index: Index) -> None:
        self.ix = index
        n_r, n_p, n_s = len(index.request_ids), len(index.person_ids), index.n_slots
        self.slot_of = [-1] * n_r
        self.table_of = [NO_TABLE] * n_r
        self.fixed = [False] * n_r
        self.busy = [0] * n_p
        self.count = [0] * n_p
        self.at: list[dict[int, int]] = [{} for _ in range(n_p)]
        self.pool_size = len(index.pool_tables)
        self.pool_used = [0] * n_s
        self.pool_tables_used: list[set[int]] = [set() for _ in range(n_s)]
        self.pool_at: list[set[int]] = [set() for _ in range(n_s)]
        self.all_slots = (1 << n_s) - 1
        self.pool_full = 0 if self.pool_size else self.all_slots
        self.booth_busy: dict[int, int] = {}
        self.value = 0
        self.journal: list[tuple[int, int, int]] | None = None
        self.depth = 0

    # -- queries -------------------------------------------------------------------------
    def free_slots(self, r: int) -> int:
        """Slots where request r could be placed right now without moving anything."""
        ix = self.ix
        a, b = ix.ra[r], ix.rb[r]
        if self.count[a] >= ix.cap[a] or self.count[b] >= ix.cap[b]:
            return 0
        mask = ix.common[r] & ~(self.busy[a] | self.busy[b])
        kind = ix.kind[r]
        if kind == POOL:
            mask &= ~self.pool_full
        elif kind == BOOTH:
            open_ = 0
            for t in ix.booths[r]:
                open_ |= ~self.booth_busy.get(t, 0)
            mask &= open_
        return mask

    def booth_for(self, r: int, s: int) -> int:
        for t in self.ix.booths[r]:
            if not (self.booth_busy.get(t, 0) >> s) & 1:
                return t
        return NO_TABLE

    def scheduled(self) -> list[int]:
        return [r for r, s in enumerate(self.slot_of) if s >= 0]

    # -- changes -------------------------------------------------------------------------
    def place(self, r: int, s: int, table: int = NO_TABLE) -> None:
        """Put r into slot s; the caller has checked that s is free for r."""
        ix = self.ix
        a, b = ix.ra[r], ix.rb[r]
        bit = 1 << s
        self.slot_of[r] = s
        self.busy[a] |= bit
        self.busy[b] |= bit
        self.count[a] += 1
        self.count[b] += 1
        self.at[a][s] = r
        self.at[b][s] = r
        self.value += ix.weight[r]
        kind = ix.kind[r]
        if kind == POOL:
            self.pool_used[s] += 1
            self.pool_at[s].add(r)
            if table != NO_TABLE:
                self.pool_tables_used[s].add(table)
            if self.pool_used[s] >= self.pool_size:
                self.pool_full |= bit
        elif kind == BOOTH:
            if table == NO_TABLE:
                table = self.booth_for(r, s)
            self.booth_busy[table] = self.booth_busy.get(table, 0) | bit
        self.table_of[r] = table if kind != ONLINE else NO_TABLE
        if self.journal is not None:
            self.journal.append((0, r, s))

    def remove(self, r: int) -> None:
        ix = self.ix
        s, table = self.slot_of[r], self.table_of[r]
        a, b = ix.ra[r], ix.rb[r]
        bit = 1 << s
        self.busy[a] &= ~bit
        self.busy[b] &= ~bit
        self.count[a] -= 1
        self.count[b] -= 1
        del self.at[a][s]
        del self.at[b][s]
        self.value -= ix.weight[r]
        kind = ix.kind[r]
        if kind == POOL:
            self.pool_used[s] -= 1
            self.pool_at[s].discard(r)
            self.pool_tables_used[s].discard(table)
            self.pool_full &= ~bit
        elif kind == BOOTH:
            self.booth_busy[table] &= ~bit
        self.slot_of[r] = -1
        self.table_of[r] = NO_TABLE
        if self.journal is not None:
            self.journal.append((1, r, s | (table + 1) << 16))

    # -- undo ----------------------------------------------------------------------------
    def mark(self) -> int:
        """Open a (nestable) transaction; pair every `mark` with one `commit`."""
        if self.journal is None:
            self.journal = []
        self.depth += 1
        return len(self.journal)

    def savepoint(self) -> int:
        """A position to `rollback` to inside an open transaction."""
        assert self.journal is not None
        return len(self.journal)

    def rollback(self, mark: int) -> None:
        journal = self.journal
        assert journal is not None
        self.journal = None
        while len(journal) > mark:
            op, r, code = journal.pop()
            if op == 0:
                self.remove(r)
            else:
                self.place(r, code & 0xFFFF, (code >> 16) - 1)
        self.journal = journal

    def commit(self, mark: int) -> None:
        """Close the transaction opened by `mark`; the journal goes when none is left open."""
        self.depth -= 1
        if self.depth == 0:
            self.journal = None

    # -- output --------------------------------------------------------------------------
    def assign_table(self, r: int) -> None:
        """Give pool meeting r, if it has no concrete table yet, the lowest free pool table."""
        s = self.slot_of[r]
        if s < 0 or self.ix.kind[r] != POOL or self.table_of[r] != NO_TABLE:
            return
        used = self.pool_tables_used[s]
        t = next(t for t in self.ix.pool_tables if t not in used)
        self.table_of[r] = t
        used.add(t)

    def assign_tables(self) -> None:
        """`assign_table` for every pool meeting, in one sweep of the tables per slot (the
        lowest free table only grows within a slot, so the scan never restarts)."""
        ix = self.ix
        for s in range(ix.n_slots):
            used = self.pool_tables_used[s]
            free = (t for t in ix.pool_tables if t not in used)
            for r in sorted(self.pool_at[s]):
                if self.table_of[r] == NO_TABLE:
                    t = next(free)
                    self.table_of[r] = t
                    used.add(t)

    def solution(self, stats: dict[str, object] | None = None) -> Solution:
        self.assign_tables()
        ix = self.ix
        meetings, unscheduled = [], []
        for r, s in enumerate(self.slot_of):
            if s < 0:
                unscheduled.append(ix.request_ids[r])
                continue
            t = self.table_of[r]
            meetings.append(Meeting(ix.request_ids[r], ix.slot_ids[s], None if t == NO_TABLE else ix.table_ids[t]))
        return Solution(tuple(meetings), tuple(unscheduled), stats or {})
