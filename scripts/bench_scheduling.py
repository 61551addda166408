#!/usr/bin/env python3
"""Benchmark the scheduling core on generated instances (issue 3 targets).

    python scripts/bench_scheduling.py                 # bsr seeds 1-5, een 1, stress 1, incremental
    python scripts/bench_scheduling.py --only bsr een  # a subset

Each case runs in its own subprocess, which reports its peak resident memory (ru_maxrss).
Targets: bsr value == bound in < 1 s; een >= 99% of the bound within 10 s; stress >= 98%
within 60 s and 2 GB; incremental placement p95 < 20 ms.
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
CASES = {"bsr": [(s, 1.0) for s in range(1, 6)], "een": [(1, 10.0)], "stress": [(1, 60.0)]}


def generate(gen: Path, preset: str, seed: int, out: Path) -> None:
    with out.open("w") as fh:
        subprocess.run([sys.executable, str(gen), "--preset", preset, "--seed", str(seed)], stdout=fh, check=True)


def worker(path: str, time_limit: float) -> dict[str, Any]:
    """Runs inside the subprocess: solve, bound, baseline, feasibility, peak memory."""
    sys.path.insert(0, str(ROOT))
    from matchmaking.scheduling import check, first_come, load_instance, solve, upper_bound, value

    t0 = time.perf_counter()
    inst = load_instance(path)
    t1 = time.perf_counter()
    sol = solve(inst, time_limit=time_limit, seed=1)
    t2 = time.perf_counter()
    bound = upper_bound(inst)
    t3 = time.perf_counter()
    return {"value": value(inst, sol), "bound": bound.value, "method": bound.method,
            "solver_bound": sol.stats["bound"], "first_come": value(inst, first_come(inst)),
            "feasible": not check(inst, sol), "load_s": t1 - t0, "solve_s": t2 - t1, "bound_s": t3 - t2,
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
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        kind, path, *rest = args.worker
        result = worker(path, float(rest[0])) if kind == "solve" else incremental_worker(path)
        print(json.dumps(result))
        return
    gen = args.gen.resolve()
    if not gen.exists():
        raise SystemExit(f"generator not found: {gen} (use --gen)")
    print(f"{'case':<10}{'value':>8}{'bound':>8}{'ratio':>8}{'1st-come':>10}{'solve s':>9}{'total s':>9}"
          f"{'peak MB':>9}  target")
    with tempfile.TemporaryDirectory() as tmp:
        for preset in [p for p in CASES if p in args.only]:
            for seed, limit in CASES[preset]:
                path = Path(tmp) / f"{preset}{seed}.json"
                generate(gen, preset, seed, path)
                t = time.perf_counter()
                r = spawn("solve", str(path), str(limit))
                total = time.perf_counter() - t
                ratio = r["value"] / r["bound"] if r["bound"] else 1.0
                target = {"bsr": r["value"] == r["bound"] and r["solve_s"] < 1,
                          "een": ratio >= 0.99 and r["solve_s"] <= 10,
                          "stress": ratio >= 0.98 and r["solve_s"] <= 60 and r["peak_mb"] <= 2048}[preset]
                print(f"{preset + str(seed):<10}{r['value']:>8}{r['bound']:>8}{ratio:>8.2%}{r['first_come']:>10}"
                      f"{r['solve_s']:>9.2f}{total:>9.2f}{r['peak_mb']:>9.0f}  "
                      f"{'met' if target and r['feasible'] else 'NOT MET'}"
                      f"{'' if r['feasible'] else ' (INFEASIBLE)'} [{r['method']} bound]", flush=True)
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
