"""The command line: results, and a clear message with exit 2 on bad input, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .builders import doc

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = [{"id": "p1", "available": ["s0", "s1"]}, {"id": "p2", "available": ["s0", "s1"], "max_meetings": 1},
          {"id": "p3", "available": ["s1"]}]
REQUESTS = [{"id": "r1", "a": "p1", "b": "p2"}, {"id": "r2", "a": "p1", "b": "p3", "priority": 2},
            {"id": "r3", "a": "p2", "b": "p3", "online": True}]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "matchmaking.scheduling", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)


def write(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_solve_check_bound(tmp_path: Path) -> None:
    inst = write(tmp_path, "i.json", doc(2, ["T1"], PEOPLE, REQUESTS))
    solved = run("solve", inst, "--seed", "2", "--time-limit", "5")
    assert solved.returncode == 0, solved.stderr
    sol = json.loads(solved.stdout)
    assert len(sol["meetings"]) == 2 and sol["unscheduled"] == ["r3"]
    assert set(sol) == {"meetings", "unscheduled"} and "gaps 0," in solved.stderr
    ok = run("check", inst, write(tmp_path, "s.json", sol))
    assert ok.returncode == 0 and "value 3" in ok.stdout and "gaps 0" in ok.stdout
    bound = run("bound", inst)
    assert bound.returncode == 0 and int(bound.stdout) >= 3


def test_check_lists_broken_rules(tmp_path: Path) -> None:
    inst = write(tmp_path, "i.json", doc(2, ["T1"], PEOPLE, REQUESTS))
    bad = {"meetings": [{"request": "r1", "slot": "s0", "table": "T1"}, {"request": "r3", "slot": "s0", "table": "T1"}]}
    out = run("check", inst, write(tmp_path, "s.json", bad))
    assert out.returncode == 1
    assert "rule 2" in out.stdout and "p3" in out.stdout  # p3 is not available in s0
    assert "rule 5" in out.stdout and "rule 6" in out.stdout and "rule 3" in out.stdout


def bad_docs() -> list[tuple[str, Any, str]]:
    good = doc(2, ["T1"], PEOPLE, REQUESTS)
    slots = [dict(s) for s in good["slots"]]
    slots[1]["end"] = "2026-05-20T08:00:00+02:00"
    return [
        ("malformed", "{not json", "malformed JSON"),
        ("format", {**good, "format": "other/2"}, "format"),
        ("dup participant", {**good, "participants": [*PEOPLE, PEOPLE[0]]}, "duplicate participant id 'p1'"),
        ("dup request", {**good, "requests": [*REQUESTS, REQUESTS[1]]}, "duplicate request id 'r2'"),
        ("unknown participant", {**good, "requests": [{"id": "r9", "a": "p1", "b": "zz"}]}, "'zz'"),
        ("unknown slot", {**good, "participants": [{"id": "p1", "available": ["s7"]}]}, "'s7'"),
        ("slot order", {**good, "slots": slots}, "slot 's1'"),
        ("unknown pin", {**good, "pinned": [{"request": "r1", "slot": "s0", "table": "T9"}]}, "'T9'"),
        ("bad pin", {**good, "pinned": [{"request": "r2", "slot": "s0", "table": "T1"}]}, "p3"),
    ]


@pytest.mark.parametrize(("case", "content", "culprit"), bad_docs(), ids=[c[0] for c in bad_docs()])
def test_bad_instance_exit_2(tmp_path: Path, case: str, content: Any, culprit: str) -> None:
    path = write(tmp_path, "bad.json", content)
    for args in (["solve", path], ["bound", path]) if case == "bad pin" else (["bound", path],):
        out = run(*args)
        if case == "bad pin" and args[0] == "bound":
            continue  # the bound needs no feasible pins
        assert out.returncode == 2, (case, out.stdout, out.stderr)
        assert culprit in out.stderr and "Traceback" not in out.stderr


def test_missing_file_and_unknown_solution_ids(tmp_path: Path) -> None:
    out = run("bound", str(tmp_path / "nope.json"))
    assert out.returncode == 2 and "nope.json" in out.stderr and "Traceback" not in out.stderr
    inst = write(tmp_path, "i.json", doc(2, ["T1"], PEOPLE, REQUESTS))
    sol = write(tmp_path, "s.json", {"meetings": [{"request": "r42", "slot": "s0", "table": None}]})
    out = run("check", inst, sol)
    assert out.returncode == 2 and "'r42'" in out.stderr and "Traceback" not in out.stderr
