#!/usr/bin/env python3
"""What one log-in's password check costs with each ``PASSWORD_HASH`` profile, side by side.

    .venv/bin/python scripts/bench_password_hash.py --runs 20

Prints per profile its Argon2id parameters and the median wall and CPU milliseconds of one verify (what
a log-in does), and how many log-ins a second one core checks at that cost.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argon2 import PasswordHasher

from matchmaking.services.accounts import PASSWORD_HASH_PROFILES


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print(f"{'profile':<10}{'memory':>10}{'passes':>8}{'lanes':>7}{'wall ms':>9}{'CPU ms':>8}{'log-ins/s a core':>18}")
    for name, parameters in PASSWORD_HASH_PROFILES.items():
        hasher = PasswordHasher(**parameters)
        stored = hasher.hash("correct horse battery staple")
        wall, cpu = [], []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            hasher.verify(stored, "correct horse battery staple")
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(f"{name:<10}{parameters['memory_cost'] // 1024:>7} MiB{parameters['time_cost']:>8}"
              f"{parameters['parallelism']:>7}{statistics.median(wall):>9.0f}{statistics.median(cpu):>8.0f}"
              f"{1000 / statistics.median(cpu):>18.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
