#!/usr/bin/env python3
"""Benchmark the scheduling core on generated instances.

    python scripts/bench_scheduling.py                 # every preset below, then incremental
    python scripts/bench_scheduling.py --only bsr een  # a subset
    python scripts/bench_scheduling.py --only stress --against HEAD~3  # that commit's core, then this one

Each case is solved three times, each time in its own subprocess (which reports its peak resident
memory, ru_maxrss): "before" with the gap compaction's local search only (`exact_gaps=False`),
"highs" with its exact stage finished by HiGHS's full model (the stage before CP-SAT), "cp-sat"
with it finished by CP-SAT's (small events only; "stage" shows what ran: "mip" or "cp-sat", how
it ended, its lower bound on the gaps and its seconds, or "local search").
Columns: value, bound and ratio; participants with requests but no meeting; idle gaps before any
compaction ("raw"), after it ("gaps") and per participant with meetings; participant-days with 8
or more meetings that are in at most two blocks; solve seconds and peak memory.
With `--against REV` the two runs are REV's scheduling core (taken with `git archive` into a
temporary directory) and the working tree's, both as the app runs them (the default `solve`), one
right after the other so that both see the same machine load; a line per run gives the seconds
of each phase (`stats["phases"]`, cumulative from the start of the solve).
Targets: the same value in every run; the bound on bsr, een, forum and bsrw and >= 99.9% of
it on stress; no more gaps with a stage than before, fewer than raw; forum and open
(Catalan-size events) within 10 s; incremental placement p95 < 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CASES = {"bsr": [(s, 10.0) for s in range(1, 6)], "een": [(1, 10.0)], "stress": [(1, 60.0)],
         "forum": [(s, 10.0) for s in range(1, 6)], "bsrw": [(1, 10.0)],
         "open": [(s, 10.0) for s in range(1, 6)]}
FLAGS = {"open": ["--preset", "forum", "--blocked", "0", "--tables", "40"]}
TEN_S = ("forum", "open")
"""open: the forum preset without blocked slots and with ample tables, closer to the real forums."""


def generate(gen: Path, preset: str, seed: int, out: Path) -> None:
    with out.open("w") as fh:
        args = FLAGS.get(preset, ["--preset", preset])
        subprocess.run([sys.executable, str(gen), *args, "--seed", str(seed)], stdout=fh, check=True)


RUNS = {"before": (False, None), "highs": (True, "highs"), "cp-sat": (True, "cp-sat"), "app": None}
"""Each case's runs: the local search alone; with the exact stage finished by HiGHS's full model;
with it finished by CP-SAT's; and (for --against) the default solve, as the app and older cores run it."""


STAGE = " ({status}, >= {lower_bound}, {seconds:.1f} s)"


def worker(path: str, time_limit: float, run: str, root: str = str(ROOT)) -> dict[str, Any]:
    """Runs inside the subprocess: solve, bound, feasibility, gaps, peak memory."""
    sys.path.insert(0, root)
    from matchmaking.scheduling import check, count_gaps, fairness, load_instance, solve, upper_bound, value
    from matchmaking.scheduling.gaps import Days

    inst = load_instance(path)
    t1 = time.perf_counter()
    if RUNS[run] is None:
        sol = solve(inst, time_limit=time_limit, seed=1)
    else:
        exact, gap_solver = RUNS[run]
        sol = solve(inst, time_limit=time_limit, seed=1, exact_gaps=exact, gap_solver=gap_solver)
    t2 = time.perf_counter()
    bound = upper_bound(inst)
    gaps = count_gaps(inst, sol.meetings)
    pos = {s.id: i for i, s in enumerate(inst.slots)}
    busy = dict.fromkeys(gaps, 0)
    for m in sol.meetings:
        r = inst.request_by_id[m.request]
        busy[r.a] |= 1 << pos[m.slot]
        busy[r.b] |= 1 << pos[m.slot]
    days = Days(inst.slots)
    full_days = [days.gaps(mask & d) + 1 for mask in busy.values() for d in days.day_masks
                 if (mask & d).bit_count() >= 8]
    return {"value": value(inst, sol), "bound": bound.value, "method": bound.method,
            "without": fairness(inst, sol).without_meeting, "gaps": sum(gaps.values()),
            "met": sum(1 for mask in busy.values() if mask), "full_days": len(full_days),
            "two_blocks": sum(1 for n in full_days if n <= 2),
            "feasible": not check(inst, sol), "solve_s": t2 - t1, "raw": sol.stats["gaps_before_compaction"],
            "stage": sol.stats["gap_stage"] + (STAGE.format(**sol.stats["gap_mip"])  # type: ignore[arg-type]
                                               if "gap_mip" in sol.stats else ""),
            "phases": sol.stats.get("phases", {}),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def incremental_worker(path: str, removed: int = 300, seed: int = 1) -> dict[str, Any]:
    """Solve een, take `removed` meetings out, then put them back one `place` call at a time."""
    sys.path.insert(0, str(ROOT))
    from matchmaking.scheduling import IncrementalScheduler, check, load_instance, solve

    inst = load_instance(path)
    full = solve(inst, time_limit=10, seed=seed)
    rng = random.Random(seed)
    meetings = list(full.meetings)
    rng.shuffle(meetings)
    keep, out = meetings[removed:], [m.request for m in meetings[:removed]]
    pinned = [m.request for m in keep[: len(keep) // 5]]
    never = rng.sample(list(full.unscheduled), min(100, len(full.unscheduled)))
    t0 = time.perf_counter()
    sched = IncrementalScheduler(inst, keep, pinned)
    build_s = time.perf_counter() - t0
    times, placed, moved = [], 0, 0
    for rid in out + never:
        t = time.perf_counter()
        result = sched.place(rid)
        times.append((time.perf_counter() - t) * 1000)
        placed += result.meeting is not None
        moved += len(result.moved)
    times.sort()
    return {"calls": len(times), "placed": placed, "moved": moved, "build_s": build_s,
            "p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))],
            "max_ms": times[-1], "feasible": not check(inst, sched.solution())}


def spawn(*args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--worker", *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"worker {args} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gen", type=Path, default=ROOT / "scripts" / "gen_instance.py")
    ap.add_argument("--only", nargs="+", choices=[*CASES, "incremental"], default=[*CASES, "incremental"])
    ap.add_argument("--against", metavar="REV", help="compare this git revision's core with the working tree's")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        kind, path, *rest = args.worker
        result = worker(path, float(rest[0]), rest[1], *rest[2:]) if kind == "solve" \
            else incremental_worker(path)
        print(json.dumps(result))
        return
    gen = args.gen.resolve()
    if not gen.exists():
        raise SystemExit(f"generator not found: {gen} (use --gen)")
    print(f"{'case':<9}{'run':<7}{'value':>7}{'bound':>7}{'ratio':>9}{'no mtg':>7}{'raw':>6}{'gaps':>6}{'gaps/p':>7}"
          f"{'8+/day in <=2 blocks':>21}{'solve s':>8}{'peak MB':>8}  target  stage")
    with tempfile.TemporaryDirectory() as tmp:
        old_root = Path(tmp) / "old"
        if args.against:
            old_root.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against, "matchmaking"],
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "x", "-C", str(old_root)], input=archive, check=True)
        for preset in [p for p in CASES if p in args.only]:
            for seed, limit in CASES[preset]:
                path = Path(tmp) / f"{preset}{seed}.json"
                generate(gen, preset, seed, path)
                if args.against:
                    results = {"before": spawn("solve", str(path), str(limit), "app", str(old_root)),
                               "after": spawn("solve", str(path), str(limit), "app")}
                else:
                    results = {run: spawn("solve", str(path), str(limit), run) for run in RUNS if run != "app"}
                before = results["before"]
                for run, r in results.items():
                    ratio = r["value"] / r["bound"] if r["bound"] else 1.0
                    ok = r["feasible"] and (ratio >= 0.999 if preset == "stress" else r["value"] == r["bound"])
                    ok = ok and (r["gaps"] < r["raw"] or not r["gaps"]) and (preset not in TEN_S or r["solve_s"] <= 10)
                    if run != "before":
                        ok = ok and r["value"] == before["value"] and r["gaps"] <= before["gaps"]
                    blocks = f"{r['two_blocks']}/{r['full_days']}" if r["full_days"] else "-"
                    print(f"{preset + str(seed):<9}{run:<7}{r['value']:>7}{r['bound']:>7}{ratio:>9.3%}{r['without']:>7}"
                          f"{r['raw']:>6}{r['gaps']:>6}"
                          f"{r['gaps'] / max(1, r['met']):>7.2f}{blocks:>21}{r['solve_s']:>8.2f}"
                          f"{r['peak_mb']:>8.0f}  {'met' if ok else 'NOT MET'}"
                          f"{'' if r['feasible'] else ' (INFEASIBLE)'}  {r['stage']}", flush=True)
                    if args.against:
                        label = args.against if run == "before" else "working tree"
                        print(f"  {label} phases (s): " + ", ".join(f"{k} {v:.2f}" for k, v in r["phases"].items()))
        if "incremental" in args.only:
            path = Path(tmp) / "een1.json"
            if not path.exists():
                generate(gen, "een", 1, path)
            r = spawn("incremental", str(path))
            ok = r["p95_ms"] < 20 and r["feasible"]
            print(f"incremental (een1): {r['calls']} place() calls, {r['placed']} placed, {r['moved']} moves; "
                  f"p50 {r['p50_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms, max {r['max_ms']:.2f} ms; "
                  f"index built once in {r['build_s']:.2f} s  {'met' if ok else 'NOT MET'}")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
