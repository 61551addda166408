"""Integer-indexed, bitmask form of an `Instance`, built once and shared by every algorithm.

Slots become bit positions, so "the slots where both participants are free" is one `&` of two
Python ints; this keeps the pure-Python solver and the incremental placement fast.
"""

from __future__ import annotations

from dataclasses import dataclass

from .gaps import Days
from .model import Instance

ONLINE, POOL, BOOTH = 0, 1, 2
"""Request kinds: needs no table; needs any table nobody owns; needs an own table of a or b."""

UNLIMITED = 1 << 30


@dataclass
class Index:
    instance: Instance
    slot_ids: list[str]
    slot_pos: dict[str, int]
    table_ids: list[str]
    table_pos: dict[str, int]
    pool_tables: list[int]
    person_ids: list[str]
    person_pos: dict[str, int]
    avail: list[int]
    cap: list[int]
    booth: list[int]
    request_ids: list[str]
    request_pos: dict[str, int]
    ra: list[int]
    rb: list[int]
    weight: list[int]
    kind: list[int]
    booths: list[tuple[int, ...]]
    common: list[int]
    """Per request: the slots where both participants are available and its window allows."""
    window: list[int]
    """Per request: its window `Request.slots` as a mask (every slot when it has none)."""
    incident: list[list[int]]
    pinned: dict[int, tuple[int, int]]
    days: Days

    @property
    def n_slots(self) -> int:
        return len(self.slot_ids)

    def other(self, r: int, p: int) -> int:
        return self.rb[r] if self.ra[r] == p else self.ra[r]


def build_index(instance: Instance) -> Index:
    """Compile `instance`; unknown ids must have been rejected by `io.parse_instance`."""
    slot_ids = [s.id for s in instance.slots]
    slot_pos = {s: i for i, s in enumerate(slot_ids)}
    table_ids = [t.id for t in instance.tables]
    table_pos = {t: i for i, t in enumerate(table_ids)}
    owned = {p.table for p in instance.participants if p.table is not None}
    pool_tables = [i for i, t in enumerate(table_ids) if t not in owned]
    person_ids = [p.id for p in instance.participants]
    person_pos = {p: i for i, p in enumerate(person_ids)}
    avail, cap, booth = [], [], []
    for p in instance.participants:
        mask = 0
        for s in p.available:
            mask |= 1 << slot_pos[s]
        avail.append(mask)
        limit = mask.bit_count()
        cap.append(limit if p.max_meetings is None else min(limit, p.max_meetings))
        booth.append(-1 if p.table is None else table_pos[p.table])
    every = (1 << len(slot_ids)) - 1
    ra, rb, weight, kind, booths, common, window = [], [], [], [], [], [], []
    incident: list[list[int]] = [[] for _ in person_ids]
    request_ids = [r.id for r in instance.requests]
    for i, r in enumerate(instance.requests):
        a, b = person_pos[r.a], person_pos[r.b]
        ra.append(a)
        rb.append(b)
        weight.append(r.priority)
        own = tuple(sorted({booth[a], booth[b]} - {-1}))
        booths.append(() if r.online else own)
        kind.append(ONLINE if r.online else (BOOTH if own else POOL))
        allowed = every
        if r.slots is not None:
            allowed = 0
            for s in r.slots:
                allowed |= 1 << slot_pos[s]
        window.append(allowed)
        common.append(avail[a] & avail[b] & allowed)
        incident[a].append(i)
        incident[b].append(i)
    request_pos = {r: i for i, r in enumerate(request_ids)}
    pinned = {
        request_pos[m.request]: (slot_pos[m.slot], -1 if m.table is None else table_pos[m.table])
        for m in instance.pinned
    }
    return Index(instance, slot_ids, slot_pos, table_ids, table_pos, pool_tables, person_ids, person_pos,
                 avail, cap, booth, request_ids, request_pos, ra, rb, weight, kind, booths, common,
                 window, incident, pinned, Days(instance.slots))


def bits(mask: int) -> list[int]:
    """The positions of the set bits of `mask`, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out
