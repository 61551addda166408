"""One background process at a time on PostgreSQL: a second `flask scheduler` waits for the first's lock.

Two real processes on the suite's database: the second says it waits and runs no jobs until the first
is killed, then takes over. On SQLite (one machine) there is no lock to test; the PostgreSQL run of the
suite (CI's second pass) runs this.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLASK = Path(sys.executable).parent / "flask"


def _wait_for(log: Path, text: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while text not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"waited for {text!r}; the process wrote:\n{log.read_text()[-2000:]}")
        time.sleep(0.1)


def test_a_second_background_process_waits_for_the_first(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("the advisory lock is PostgreSQL's; this runs in the suite's PostgreSQL pass")
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
           "SECRET_KEY": "background-lock-test-secret-key-0123456789"}
    env.pop("TEST_DATABASE_URL", None)
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    command = [str(FLASK), "--app", "wsgi", "scheduler"]
    with first_log.open("w") as out:
        first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    second = None
    try:
        _wait_for(first_log, "Background jobs running", first)
        with second_log.open("w") as out:
            second = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _wait_for(second_log, "holds the lock; waiting", second)
        time.sleep(1)
        assert "Background jobs running" not in second_log.read_text()

        first.kill()  # a crash: PostgreSQL drops the dead session's lock
        first.wait(timeout=30)
        _wait_for(second_log, "Background jobs running", second)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=30)
