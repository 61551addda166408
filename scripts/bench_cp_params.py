#!/usr/bin/env python3
"""Compare CP-SAT parameter sets for the gap stage's full model, on the same starting schedules.

    python scripts/bench_cp_params.py                      # forum1-5, open1-5, 3 repetitions, 3 s each
    python scripts/bench_cp_params.py --seconds 2 --only forum2 open4 --variants core2 default2

Per case, one subprocess solves once without the exact stage (`exact_gaps=False`, 10 s) and then
runs `cp_gaps.cp_gaps` from copies of that schedule, the same floors and the same time, once per
variant per repetition, variants taking turns so machine load hits them alike. Variants:
"core2": two workers, one of them core-guided (the stage's choice); "default2": CP-SAT's own
two-worker mix; "core4": four workers with the core one on two cores; "repair": core2 with
`repair_hint`; "nohint": core2 without the local search's schedule as the hint.
The table gives the gaps' mean, min and max and how often they were proven optimal.
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

VARIANTS: dict[str, dict[str, Any]] = {
    "core2": {},
    "default2": {"subsolvers": []},
    "core4": {"num_workers": 4},
    "repair": {"repair_hint": True},
    "nohint": {"hint": False},
}
CASES = [f"forum{s}" for s in range(1, 6)] + [f"open{s}" for s in range(1, 6)]


def worker(path: str, variants: list[str], reps: int, seconds: float) -> dict[str, list[dict[str, Any]]]:
    """Runs inside the subprocess: the local search's schedule, then each variant from a copy of it."""
    sys.path.insert(0, str(ROOT))
    from ortools.sat.python import cp_model

    from matchmaking.scheduling import cp_gaps, load_instance, solve
    from matchmaking.scheduling.gap_mip import lower_bound
    from matchmaking.scheduling.index import build_index
    from matchmaking.scheduling.pinned import load_state

    inst = load_instance(path)
    ix = build_index(inst)
    start = solve(inst, time_limit=10.0, seed=1, index=ix, exact_gaps=False)
    floors = lower_bound(load_state(ix, start.meetings), 1.0)
    original = cp_model.CpSolver.Solve
    current: dict[str, Any] = {}

    def patched(self: Any, model: Any, *a: Any, **k: Any) -> Any:
        for key, val in current.items():
            if key == "subsolvers":
                self.parameters.subsolvers.clear()
            elif key != "hint":
                setattr(self.parameters, key, val)
        return original(self, model, *a, **k)

    cp_model.CpSolver.Solve = patched  # type: ignore[method-assign]
    out: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
    for _ in range(reps):
        for v in variants:
            current.clear()
            current.update(VARIANTS[v])
            state = load_state(ix, start.meetings)
            r = cp_gaps.cp_gaps(state, seconds, floors, hint=VARIANTS[v].get("hint", True))
            out[v].append({"start": start.stats["gaps"], "gaps": r.gaps, "status": r.status, "bound": r.bound,
                           "seconds": round(r.seconds, 2)})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--only", nargs="+", choices=CASES, default=CASES)
    ap.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    ap.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        path, names, reps, seconds = args.worker
        print(json.dumps(worker(path, names.split(","), int(reps), float(seconds))))
        return
    gen = ROOT / "scripts" / "gen_instance.py"
    print(f"{'case':<8}{'start':>6}" + "".join(f"{v:>24}" for v in args.variants))
    print(f"{'':<8}{'':>6}" + "".join(f"{'gaps mean (min-max) opt':>24}" for _ in args.variants))
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.only:
            preset, seed = case.rstrip("0123456789"), int(case.lstrip("forumpen"))
            path = Path(tmp) / f"{case}.json"
            generate(gen, preset, seed, path)
            run = subprocess.run([sys.executable, __file__, "--worker", str(path), ",".join(args.variants),
                                  str(args.reps), str(args.seconds)], capture_output=True, text=True)
            if run.returncode:
                raise SystemExit(run.stderr)
            res = json.loads(run.stdout)
            cells = []
            for v in args.variants:
                gaps = [r["gaps"] for r in res[v]]
                opt = sum(r["status"] == "optimal" for r in res[v])
                cells.append(f"{statistics.mean(gaps):.1f} ({min(gaps)}-{max(gaps)}) {opt}/{len(gaps)}")
            print(f"{case:<8}{res[args.variants[0]][0]['start']:>6}" + "".join(f"{c:>24}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
