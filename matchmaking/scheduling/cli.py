"""Command line: solve, check, bound, explain and the first-come baseline.

Bad input exits 2 with one line on stderr naming the culprit; `check` exits 1 when the
solution breaks a rule, listing each broken rule with the culprit ids.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from .bound import upper_bound
from .explain import explain
from .feasibility import check, fairness, value
from .gaps import total_gaps
from .greedy import first_come
from .io import load_instance, load_solution, solution_to_dict
from .model import InputError
from .solver import solve


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m matchmaking.scheduling",
                                 description="Schedule one-to-one meetings of a brokerage event.")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("solve", help="write a schedule (JSON) to stdout")
    p.add_argument("instance")
    p.add_argument("--time-limit", type=float, default=None, metavar="S", help="seconds (default: none)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--explain", action="store_true", help="add an 'explanations' list for unscheduled requests")
    p = sub.add_parser("check", help="check a schedule against the seven feasibility rules")
    p.add_argument("instance")
    p.add_argument("solution")
    p = sub.add_parser("bound", help="print an upper bound on the value of any schedule")
    p.add_argument("instance")
    p = sub.add_parser("explain", help="why each unscheduled request of a schedule is unscheduled (JSON)")
    p.add_argument("instance")
    p.add_argument("solution")
    p = sub.add_parser("greedy", help="the first-come earliest-slot baseline schedule (JSON)")
    p.add_argument("instance")
    return ap


def _explanations(instance: Any, solution: Any) -> list[dict[str, Any]]:
    return [{"request": e.request, "code": str(e.code), "participants": list(e.participants),
             "slots": list(e.slots), "message": e.message} for e in explain(instance, solution).values()]


def run(args: argparse.Namespace) -> int:
    instance = load_instance(args.instance)
    if args.command == "check":
        solution = load_solution(args.solution, instance)
        broken = check(instance, solution)
        for v in broken:
            print(f"rule {v.rule} broken: {v.message} [{', '.join(v.ids)}]")
        if broken:
            return 1
        f = fairness(instance, solution)
        print(f"feasible; value {value(instance, solution)}; participants without meeting {f.without_meeting}; "
              f"gaps {total_gaps(instance, solution.meetings)}")
        return 0
    if args.command == "bound":
        print(upper_bound(instance).value)
        return 0
    if args.command == "explain":
        print(json.dumps(_explanations(instance, load_solution(args.solution, instance)), indent=1))
        return 0
    if args.command == "greedy":
        solution = first_come(instance)
    else:
        if args.time_limit is not None and args.time_limit <= 0:
            raise InputError(f"--time-limit must be positive, got {args.time_limit}")
        solution = solve(instance, time_limit=args.time_limit, seed=args.seed)
        print(f"value {solution.stats['value']}, bound {solution.stats['bound']}, "
              f"gaps {solution.stats['gaps']}, {solution.stats['seconds']} s", file=sys.stderr)
    doc = solution_to_dict(solution)
    if getattr(args, "explain", False):
        doc["explanations"] = _explanations(instance, solution)
    json.dump(doc, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
