#!/usr/bin/env python3
"""Run one benchmark on an earlier commit's code and on the working tree's, one after the other.

    .venv/bin/python scripts/bench_before_after.py --before 690c4c3 -- \\
        scripts/bench_accept_seeded.py --database-url postgresql://postgres@127.0.0.1:5432/bench --reset

The earlier commit's files (``git archive``) go to a temporary folder, with this tree's ``scripts/``
over them: the same benchmark, with the same flags, measures the old application code and then the
new, so a change that is not a switch is still compared in one run. --rounds N alternates them
(before, after, before, ...) so that a busy machine weighs on both alike. Each run's output is
printed as it comes, under a heading naming the code it measured.

Whatever the benchmark does to its database it does twice: give it --reset (or a fresh database).
"""
from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def checkout(commit: str, into: Path) -> None:
    """The commit's files in ``into``, then this tree's scripts over them."""
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    shutil.rmtree(into / "scripts")
    shutil.copytree(ROOT / "scripts", into / "scripts")


def run(label: str, tree: Path, command: list[str]) -> int:
    print(f"\n===== {label} =====", flush=True)
    script, *args = command
    return subprocess.run([sys.executable, str(tree / script), *args], cwd=tree).returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", required=True, help="the earlier commit (hash, tag or branch)")
    ap.add_argument("--rounds", type=int, default=1, help="before/after pairs, alternating")
    ap.add_argument("command", nargs=argparse.REMAINDER, help="-- scripts/<bench>.py and its flags")
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("give the benchmark after --")
    commit = subprocess.run(["git", "rev-parse", "--short", args.before], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="bench_before_") as tmp:
        before = Path(tmp)
        checkout(commit, before)
        failed = 0
        for round_ in range(1, args.rounds + 1):
            failed |= run(f"before: {commit} (round {round_})", before, command)
            failed |= run(f"after: working tree (round {round_})", ROOT, command)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
