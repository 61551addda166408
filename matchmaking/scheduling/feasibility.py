"""The seven feasibility rules of docs/scheduling-format.md, the value and the fairness measures.

`check` is deliberately written independently of the solver's data structures (plain dicts
over ids) so that it can serve as the referee in tests and in the CLI.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from .model import Instance, Solution


@dataclass(frozen=True)
class Violation:
    rule: int
    message: str
    ids: tuple[str, ...]

    def __str__(self) -> str:
        return f"rule {self.rule}: {self.message}"


def check(instance: Instance, solution: Solution) -> list[Violation]:
    """Return every broken rule with the culprit ids; an empty list means feasible."""
    out: list[Violation] = []
    req, people = instance.request_by_id, instance.participant_by_id
    # 1. each request at most once; pinned meetings exactly as pinned
    counts = Counter(m.request for m in solution.meetings)
    for rid, n in sorted(counts.items()):
        if n > 1:
            out.append(Violation(1, f"request {rid} is scheduled {n} times", (rid,)))
    for rid in sorted(set(solution.unscheduled) & set(counts)):
        out.append(Violation(1, f"request {rid} is both scheduled and unscheduled", (rid,)))
    placed = {(m.request, m.slot, m.table) for m in solution.meetings}
    for p in instance.pinned:
        if (p.request, p.slot, p.table) not in placed:
            out.append(Violation(1, f"pinned request {p.request} is not at slot {p.slot}, table {p.table}",
                                 (p.request, p.slot, str(p.table))))
    owners: dict[str, set[str]] = defaultdict(set)
    for person in instance.participants:
        if person.table is not None:
            owners[person.table].add(person.id)
    by_slot_person: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_slot_table: dict[tuple[str, str], list[str]] = defaultdict(list)
    per_person: Counter[str] = Counter()
    for m in solution.meetings:
        r = req[m.request]
        pair = (people[r.a], people[r.b])
        # 7. inside the request's window
        if r.slots is not None and m.slot not in r.slots:
            out.append(Violation(7, f"request {r.id} is in slot {m.slot}, outside its window "
                                    f"({', '.join(r.slots) or 'no slot'})", (r.id, m.slot)))
        # 2. both available
        for person in pair:
            if m.slot not in person.available:
                out.append(Violation(2, f"participant {person.id} is not available in slot {m.slot} (request {r.id})",
                                     (person.id, m.slot, r.id)))
            by_slot_person[(m.slot, person.id)].append(r.id)
            per_person[person.id] += 1
        if r.online:
            # 5. online meetings take no table
            if m.table is not None:
                out.append(Violation(5, f"online request {r.id} has table {m.table}", (r.id, m.table)))
            continue
        # 4. onsite: a table, the own table when there is one, nobody else's own table
        if m.table is None:
            out.append(Violation(4, f"onsite request {r.id} has no table", (r.id,)))
            continue
        by_slot_table[(m.slot, m.table)].append(r.id)
        own = {person.table for person in pair if person.table is not None}
        if own and m.table not in own:
            out.append(Violation(4, f"request {r.id} is at table {m.table}, not at its participant's own table "
                                    f"{' or '.join(sorted(own))}", (r.id, m.table)))
        elif owners.get(m.table) and not owners[m.table] & {r.a, r.b}:
            holder = sorted(owners[m.table])[0]
            out.append(Violation(4, f"request {r.id} uses table {m.table}, the own table of {holder}",
                                 (r.id, m.table, holder)))
    # 3. one meeting per participant and slot
    for (slot, pid), rids in sorted(by_slot_person.items()):
        if len(rids) > 1:
            out.append(Violation(3, f"participant {pid} has {len(rids)} meetings in slot {slot}: {', '.join(rids)}",
                                 (pid, slot, *rids)))
    for (slot, table), rids in sorted(by_slot_table.items()):
        if len(rids) > 1:
            out.append(Violation(4, f"table {table} holds {len(rids)} meetings in slot {slot}: {', '.join(rids)}",
                                 (table, slot, *rids)))
    # 6. max_meetings
    for pid, n in sorted(per_person.items()):
        cap = people[pid].max_meetings
        if cap is not None and n > cap:
            out.append(Violation(6, f"participant {pid} has {n} meetings, more than max_meetings {cap}", (pid,)))
    return sorted(out, key=lambda v: v.rule)


def value(instance: Instance, solution: Solution) -> int:
    """Sum of the priorities of the scheduled requests (counted once each)."""
    req = instance.request_by_id
    return sum(req[r].priority for r in {m.request for m in solution.meetings})


@dataclass(frozen=True, order=True)
class Fairness:
    """Secondary objectives, smaller is better: participants left with no meeting, then the
    sum over participants of the squared share of their requests left unmet."""

    without_meeting: int
    unmet_share_squares: float


def fairness(instance: Instance, solution: Solution) -> Fairness:
    req = instance.request_by_id
    wanted: Counter[str] = Counter()
    for r in instance.requests:
        wanted[r.a] += 1
        wanted[r.b] += 1
    met: Counter[str] = Counter()
    for m in solution.meetings:
        r = req[m.request]
        met[r.a] += 1
        met[r.b] += 1
    none = sum(1 for p in wanted if met[p] == 0)
    squares = sum((1 - met[p] / n) ** 2 for p, n in wanted.items())
    return Fairness(none, round(squares, 6))
