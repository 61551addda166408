#!/usr/bin/env python3
"""The load test against an older commit's server and this checkout's, one after the other, in one run.

    .venv/bin/python scripts/load_compare.py --before 690c4c3 \\
        --database-url postgresql://postgres@127.0.0.1:5432/load_compare --users 100 --duration 180

Each side gets its own database, ``<name>_before`` and ``<name>_after`` (dropped and made again: never
name a database you care about), seeded by that side's own code (``flask db upgrade`` and
``flask seed-demo --scale een``, so that its password hashes are the ones it makes), and its own gunicorn
started in its own folder (the older commit in a temporary git worktree, with its ``gunicorn.conf.py``).
Both are driven by this checkout's ``scripts/load_test.py`` with the same options, so only the server
differs; the two seeds run first, then the two load tests back to back. It prints each side's summary
and then both side by side: requests, errors, p50 and p95 per kind of request, and the CPU taken.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def recreate(url: str) -> None:
    """Drop and create the database of ``url`` (through the server's ``postgres`` database)."""
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed(folder: Path, url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "PYTHONPATH": str(folder)}
    for command in (["db", "upgrade"], ["seed-demo", "--scale", "een"]):
        done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *command], cwd=folder, env=env,
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"flask {' '.join(command)} failed in {folder}:\n{done.stderr[-3000:]}")
    with psycopg.connect(url, autocommit=True) as conn:  # the planner's statistics, as autovacuum makes them
        conn.execute("ANALYZE")


def worktree(stack: ExitStack, ref: str) -> Path:
    """A temporary checkout of ``ref``, removed at the end."""
    folder = Path(tempfile.mkdtemp(prefix="load-before-")) / "checkout"
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), ref], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stack.callback(subprocess.run, ["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=False)
    return folder


def run(folder: Path, url: str, args, passed: list[str]) -> dict:
    out = Path(tempfile.mkstemp(prefix="load-", suffix=".json")[1])
    subprocess.run([sys.executable, str(ROOT / "scripts" / "load_test.py"), "--spawn", "--app-dir", str(folder),
                    "--database-url", url, "--json", str(out), *passed], cwd=ROOT, check=False)
    return json.loads(out.read_text())


def side_by_side(before: dict, after: dict, names: tuple[str, str]) -> None:
    kinds = [k for k in after if k not in ("ALL", "_")] + ["ALL"]
    print(f"\n{'':<16}{names[0]:>30}  |{names[1]:>30}")
    print(f"{'kind':<16}" + f"{'requests':>9}{'errors':>7}{'p50 ms':>7}{'p95 ms':>7}  |" * 2)
    for kind in kinds:
        cells = []
        for side in (before, after):
            row = side.get(kind)
            cells.append(f"{row['requests']:>9}{row['errors']:>7}{row['p50']:>7.0f}{row['p95']:>7.0f}  |" if row
                         else f"{'-':>9}{'':>7}{'':>7}{'':>7}  |")
        print(f"{kind:<16}" + "".join(cells))
    for name, side in zip(names, (before, after), strict=True):
        extra = side["_"]
        cpu = ", ".join(f"{who} {seconds:.0f} s" for who, seconds in extra.get("cpu_s", {}).items())
        busy = extra.get("machine_busy", 0)
        print(f"{name}: {extra['throughput']:.1f} requests/s; CPU {cpu}; machine {busy:.0%} busy")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="the older commit (any git revision)")
    parser.add_argument("--database-url", required=True, help="postgresql://...; its _before and _after are used")
    args, passed = parser.parse_known_args()  # the rest goes to load_test.py (--users, --duration, --think ...)
    urls = {side: f"{args.database_url}_{side}" for side in ("before", "after")}
    with ExitStack() as stack:
        folders = {"before": worktree(stack, args.before), "after": ROOT}
        for side in ("before", "after"):
            print(f"seeding {urls[side]} with the {side} code", flush=True)
            recreate(urls[side])
            seed(folders[side], urls[side])
        results = {}
        for side in ("before", "after"):
            print(f"\n=== {side}: {folders[side]}", flush=True)
            results[side] = run(folders[side], urls[side], args, passed)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    side_by_side(results["before"], results["after"], (f"before ({args.before})", f"after ({head.strip()})"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
