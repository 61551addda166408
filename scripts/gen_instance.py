#!/usr/bin/env python3
"""Generate a synthetic brokerage-event scheduling instance (matchmaking-instance/1).

The format is described in docs/scheduling-format.md. Instances are deterministic for a
given --seed, so a benchmark can be repeated and compared side by side.

    python3 scripts/gen_instance.py --preset bsr > bsr.json
    python3 scripts/gen_instance.py --preset forum --seed 3 > forum3.json
    python3 scripts/gen_instance.py --participants 3000 --requests 20000 --days 3 \
        --slots-per-day 16 --tables 300 --seed 7 > large.json
"""
import argparse
import itertools
import json
import random
import sys
from datetime import datetime, timedelta, timezone

PRESETS = {
    # A BSR Stars style cluster-to-cluster afternoon and morning.
    "bsr": {"participants": 206, "requests": 600, "days": 2, "slots_per_day": 14, "tables": 40},
    # A large EEN-style brokerage event.
    "een": {"participants": 3000, "requests": 20000, "days": 3, "slots_per_day": 16, "tables": 300},
    # Stress: far beyond any single real event today.
    "stress": {"participants": 20000, "requests": 150000, "days": 3, "slots_per_day": 16, "tables": 2000},
    # A regional business forum (sizes like the Catalan brokerage forums: 42-78 companies,
    # 125-302 meetings, 8-22 slots, drawn from the seed): one day, many meetings restricted to
    # the morning or the afternoon, some participants blocked for a few slots, tables tight.
    "forum": {"participants": (42, 78), "requests": (125, 302), "days": 1, "slots_per_day": (8, 22),
              "tables": "tight", "windows": 0.4, "blocked": 0.3, "partial": 0.1},
    # bsr with windows, blocked slots and tight tables.
    "bsrw": {"participants": 206, "requests": 600, "days": 2, "slots_per_day": 14, "tables": "tight",
             "windows": 0.3, "blocked": 0.3},
}


def resolve(params, seed):
    """Draw the (low, high) ranges of a preset from the seed; 'tight' tables: about 15% more
    than the meetings per slot on average."""
    rng = random.Random(seed * 7919 + 17)
    out = {k: rng.randint(*v) if isinstance(v, tuple) else v for k, v in params.items()}
    if out.get("tables") == "tight":
        out["tables"] = max(2, round(out["requests"] / (out["days"] * out["slots_per_day"]) * 1.15))
    return out


def build(participants, requests, days, slots_per_day, tables, seed,
          partial=0.2, online=0.1, fixed_tables=0.05, pinned=0.0, slot_minutes=30, windows=0.0, blocked=0.0):
    rng = random.Random(seed)
    tz = timezone(timedelta(hours=2))
    slots = []
    for d in range(days):
        start = datetime(2026, 5, 20 + d, 9, 0, tzinfo=tz)
        for k in range(slots_per_day):
            # a lunch break after the 6th slot of each day
            begin = start + timedelta(minutes=slot_minutes * k + (60 if k >= 6 else 0))
            slots.append({"id": f"d{d + 1}s{k + 1:02d}",
                          "start": begin.isoformat(),
                          "end": (begin + timedelta(minutes=slot_minutes)).isoformat()})
    slot_ids = [s["id"] for s in slots]
    table_ids = [f"T{i + 1}" for i in range(tables)]

    people = []
    booths = iter(table_ids[::-1])
    for i in range(participants):
        avail = slot_ids
        if rng.random() < partial:
            # attends only some days, or leaves early
            if days > 1 and rng.random() < 0.5:
                keep = set(rng.sample(range(days), rng.randint(1, days - 1)))
                avail = [s for s in slot_ids if int(s[1:s.index("s")]) - 1 in keep]
            else:
                cut = rng.randint(len(slot_ids) // 3, len(slot_ids) - 1)
                avail = slot_ids[:cut] if rng.random() < 0.5 else slot_ids[-cut:]
        p = {"id": f"p{i + 1}", "available": list(avail)}
        if rng.random() < 0.3:
            p["max_meetings"] = rng.randint(4, max(5, len(avail) // 2))
        if rng.random() < fixed_tables and tables > 0:
            booth = next(booths, None)
            if booth:
                p["table"] = booth
        people.append(p)

    # Popularity is skewed: a few participants attract many requests.
    weights = [1.0 / (r + 1) ** 0.8 for r in range(participants)]
    order = list(range(participants))
    rng.shuffle(order)
    popularity = [0.0] * participants
    for rank, idx in enumerate(order):
        popularity[idx] = weights[rank]
    cum = list(itertools.accumulate(popularity))
    everyone = range(participants)
    seen = set()
    reqs = []
    attempts = 0
    while len(reqs) < requests and attempts < requests * 50:
        attempts += 1
        a = rng.randrange(participants)
        b = rng.choices(everyone, cum_weights=cum)[0]
        if a == b or (min(a, b), max(a, b)) in seen:
            continue
        seen.add((min(a, b), max(a, b)))
        r = {"id": f"r{len(reqs) + 1}", "a": f"p{a + 1}", "b": f"p{b + 1}",
             "priority": 2 if rng.random() < 0.15 else 1}
        if rng.random() < online:
            r["online"] = True
        reqs.append(r)

    restrict(slot_ids, slots_per_day, people, reqs, random.Random(seed * 7919 + 1), windows, blocked)
    inst = {"format": "matchmaking-instance/1",
            "slots": slots,
            "tables": [{"id": t} for t in table_ids],
            "participants": people,
            "requests": reqs,
            "pinned": []}
    return inst


def restrict(slot_ids, slots_per_day, people, reqs, rng, windows, blocked):
    """A share `windows` of the requests may only take place in the morning or the afternoon of
    one day (before / from the 7th slot, or the first / second half of a shorter day); a share
    `blocked` of the participants are unavailable for one to three slots."""
    split = 6 if slots_per_day > 12 else slots_per_day // 2
    if windows:
        for r in reqs:
            if rng.random() < windows:
                day = rng.randrange(len(slot_ids) // slots_per_day)
                day_slots = slot_ids[day * slots_per_day:(day + 1) * slots_per_day]
                r["slots"] = day_slots[:split] if rng.random() < 0.5 else day_slots[split:]
    if blocked:
        for p in people:
            if rng.random() < blocked and len(p["available"]) > 3:
                gone = set(rng.sample(p["available"], rng.randint(1, 3)))
                p["available"] = [s for s in p["available"] if s not in gone]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS))
    ap.add_argument("--participants", type=int)
    ap.add_argument("--requests", type=int)
    ap.add_argument("--days", type=int)
    ap.add_argument("--slots-per-day", type=int)
    ap.add_argument("--tables", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--partial", type=float, default=None,
                    help="share of participants with partial availability (default 0.2)")
    ap.add_argument("--windows", type=float, default=None,
                    help="share of requests restricted to a morning or an afternoon (default 0)")
    ap.add_argument("--blocked", type=float, default=None,
                    help="share of participants unavailable for one to three slots (default 0)")
    ap.add_argument("--online", type=float, default=0.1, help="share of online meetings (need no table)")
    ap.add_argument("--fixed-tables", type=float, default=0.05,
                    help="share of participants with their own table (booth)")
    args = ap.parse_args(argv)
    params = dict(PRESETS.get(args.preset, {}))
    for key in ("participants", "requests", "days", "slots_per_day", "tables"):
        if getattr(args, key) is not None:
            params[key] = getattr(args, key)
    missing = [k for k in ("participants", "requests", "days", "slots_per_day", "tables") if k not in params]
    if missing:
        ap.error("give --preset or all of: " + ", ".join("--" + m.replace("_", "-") for m in missing))
    for key in ("partial", "windows", "blocked"):
        if getattr(args, key) is not None:
            params[key] = getattr(args, key)
    inst = build(seed=args.seed, online=args.online, fixed_tables=args.fixed_tables, **resolve(params, args.seed))
    json.dump(inst, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
