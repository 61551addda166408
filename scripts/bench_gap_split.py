#!/usr/bin/env python3
"""Compare ways to split the gap stage's time on the forum and open cases, repeated and alternated.

    python scripts/bench_gap_split.py                       # every setting, forum1-5 and open1-5, 3 repetitions
    python scripts/bench_gap_split.py --reps 5 --only forum4 open4 --settings split cp

Each solve (10 s limit, seed 1) runs in its own subprocess; the settings take turns within each
repetition, so machine load hits them alike. A setting overrides the solver's split:
"local": the share of the gap time the compaction's local search may take before the exact stage
(it stops earlier when it stalls); "lns": the share of the stage for the HiGHS neighbourhoods
before the CP-SAT model (0: CP-SAT alone); "workers": CP-SAT's search workers. The last table
gives per case and setting the gaps' mean, min and max, how often the stage proved them optimal
and the slowest solve.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from bench_scheduling import generate  # noqa: E402

SETTINGS: dict[str, dict[str, float]] = {
    "split": {"local": 0.6, "lns": 0.2, "workers": 2},
    "cp": {"local": 0.6, "lns": 0.0, "workers": 2},
    "cp-ls80": {"local": 0.8, "lns": 0.0, "workers": 2},
    "stall": {"local": 1.0, "lns": 0.0, "workers": 2},
    "cp-w4": {"local": 0.6, "lns": 0.0, "workers": 4},
}
CASES = [f"forum{s}" for s in range(1, 6)] + [f"open{s}" for s in range(1, 6)]


def worker(path: str, setting: str) -> dict[str, Any]:
    """Runs inside the subprocess: apply the setting, solve, count."""
    sys.path.insert(0, str(ROOT))
    from matchmaking.scheduling import check, count_gaps, cp_gaps, load_instance, solve, solver

    conf = SETTINGS[setting]
    solver.CP_LOCAL_SHARE = conf["local"]
    cp_gaps.LNS_SHARE = conf["lns"]
    n = int(conf["workers"])
    cp_gaps.workers = lambda: n  # type: ignore[assignment]
    inst = load_instance(path)
    sol = solve(inst, time_limit=10.0, seed=1)
    stage = sol.stats.get("gap_mip", {})
    return {"gaps": sum(count_gaps(inst, sol.meetings).values()), "value": sol.stats["value"],
            "local": sol.stats.get("gaps_local_search"), "status": stage.get("status", "-"),
            "lower": stage.get("lower_bound"), "seconds": sol.stats["seconds"], "feasible": not check(inst, sol)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", nargs="+", choices=CASES, default=CASES)
    ap.add_argument("--settings", nargs="+", choices=list(SETTINGS), default=list(SETTINGS))
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    gen = ROOT / "scripts" / "gen_instance.py"
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    print(f"{'case':<8}{'rep':>4} {'setting':<9}{'value':>6}{'local':>6}{'gaps':>6}{'>=':>4}{'solve s':>8}  stage")
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.only:
            preset, seed = case.rstrip("0123456789"), int(case.lstrip("forumpen"))
            path = Path(tmp) / f"{case}.json"
            generate(gen, preset, seed, path)
            for rep in range(args.reps):
                for setting in args.settings:
                    out = subprocess.run([sys.executable, __file__, "--worker", str(path), setting],
                                         capture_output=True, text=True)
                    if out.returncode:
                        raise SystemExit(out.stderr)
                    r = json.loads(out.stdout)
                    results.setdefault((case, setting), []).append(r)
                    print(f"{case:<8}{rep + 1:>4} {setting:<9}{r['value']:>6}{r['local'] or '-':>6}{r['gaps']:>6}"
                          f"{r['lower'] if r['lower'] is not None else '-':>4}{r['seconds']:>8.2f}  {r['status']}"
                          f"{'' if r['feasible'] else ' INFEASIBLE'}", flush=True)
    print(f"\n{'case':<8}" + "".join(f"{s:>22}" for s in args.settings))
    print(f"{'':<8}" + "".join(f"{'gaps mean (min-max) opt':>22}" for _ in args.settings))
    for case in args.only:
        cells = []
        for setting in args.settings:
            rs = results[(case, setting)]
            gaps = [r["gaps"] for r in rs]
            opt = sum(r["status"] == "optimal" for r in rs)
            cells.append(f"{statistics.mean(gaps):.1f} ({min(gaps)}-{max(gaps)}) {opt}/{len(rs)}")
        print(f"{case:<8}" + "".join(f"{c:>22}" for c in cells))
    slowest = {s: max(r["seconds"] for (c, t), rs in results.items() if t == s for r in rs) for s in args.settings}
    print(f"{'slowest':<8}" + "".join(f"{slowest[s]:>21.2f}s" for s in args.settings))


if __name__ == "__main__":
    main()
