"""Read, validate and write the instance and solution JSON formats.

Every problem raises `InputError` with a message that names the culprit, so that the CLI
can print it and exit 2 instead of showing a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from .model import (
    FORMAT_TAG,
    InputError,
    Instance,
    Meeting,
    Participant,
    Request,
    Slot,
    Solution,
    Table,
)


def read_json(path: str | Path) -> Any:
    """Load a JSON document, turning I/O and syntax problems into `InputError`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected an object")
    return value


def _list(doc: dict[str, Any], key: str, where: str, required: bool = True) -> list[Any]:
    if key not in doc:
        if required:
            raise InputError(f"{where}: missing '{key}'")
        return []
    value = doc[key]
    if not isinstance(value, list):
        raise InputError(f"{where}: '{key}' must be a list")
    return value


def _str(doc: dict[str, Any], key: str, where: str) -> str:
    value = doc.get(key)
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}: '{key}' must be a non-empty string")
    return value


def _int(doc: dict[str, Any], key: str, where: str, default: int | None, minimum: int) -> int | None:
    value = doc.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(f"{where}: '{key}' must be an integer >= {minimum}, got {value!r}")
    return value


def _unique(ids: Iterable[str], kind: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise InputError(f"duplicate {kind} id '{i}'")
        seen.add(i)


def _time(doc: dict[str, Any], key: str, where: str) -> datetime:
    raw = _str(doc, key, where)
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise InputError(f"{where}: '{key}' is not an ISO 8601 time: {raw!r}") from None


def _slot(doc: Any, i: int) -> Slot:
    d = _obj(doc, f"slots[{i}]")
    sid = _str(d, "id", f"slots[{i}]")
    where = f"slot '{sid}'"
    start, end = _time(d, "start", where), _time(d, "end", where)
    try:
        ordered = end > start
    except TypeError:
        raise InputError(f"{where}: start and end mix times with and without a UTC offset") from None
    if not ordered:
        raise InputError(f"{where}: ends ({d['end']}) before or when it starts ({d['start']})")
    return Slot(sid, start, end)


def _slot_list(d: dict, key: str, where: str, slot_ids: set[str]) -> tuple[str, ...]:
    """A list of known slot ids, none twice (a participant's `available`, a request's `slots`)."""
    found = _list(d, key, where)
    for s in found:
        if s not in slot_ids:
            raise InputError(f"{where}: unknown slot '{s}' in '{key}'")
    if len(set(found)) != len(found):
        raise InputError(f"{where}: a slot is listed twice in '{key}'")
    return tuple(found)


def _participant(doc: Any, i: int, slot_ids: set[str], table_ids: set[str]) -> Participant:
    d = _obj(doc, f"participants[{i}]")
    pid = _str(d, "id", f"participants[{i}]")
    where = f"participant '{pid}'"
    available = _slot_list(d, "available", where, slot_ids)
    table = d.get("table")
    if table is not None and table not in table_ids:
        raise InputError(f"{where}: unknown table '{table}'")
    return Participant(pid, available, _int(d, "max_meetings", where, None, 0), table)


def _request(doc: Any, i: int, people: set[str], slot_ids: set[str]) -> Request:
    d = _obj(doc, f"requests[{i}]")
    rid = _str(d, "id", f"requests[{i}]")
    where = f"request '{rid}'"
    a, b = _str(d, "a", where), _str(d, "b", where)
    for p in (a, b):
        if p not in people:
            raise InputError(f"{where}: unknown participant '{p}'")
    if a == b:
        raise InputError(f"{where}: participant '{a}' cannot meet themself")
    online = d.get("online", False)
    if not isinstance(online, bool):
        raise InputError(f"{where}: 'online' must be true or false")
    priority = _int(d, "priority", where, 1, 0)
    assert priority is not None
    window = _slot_list(d, "slots", where, slot_ids) if d.get("slots") is not None else None
    return Request(rid, a, b, priority, online, window)


def parse_meeting(doc: Any, where: str) -> Meeting:
    """Parse one {"request", "slot", "table"} object (ids are checked by the caller)."""
    d = _obj(doc, where)
    table = d.get("table")
    if table is not None and not isinstance(table, str):
        raise InputError(f"{where}: 'table' must be a string or null")
    return Meeting(_str(d, "request", where), _str(d, "slot", where), table)


def parse_instance(doc: Any) -> Instance:
    """Validate a decoded instance document and build the immutable `Instance`."""
    d = _obj(doc, "instance")
    if d.get("format") != FORMAT_TAG:
        raise InputError(f"instance: format must be '{FORMAT_TAG}', got {d.get('format')!r}")
    slots = tuple(_slot(s, i) for i, s in enumerate(_list(d, "slots", "instance")))
    _unique((s.id for s in slots), "slot")
    tables = []
    for i, t in enumerate(_list(d, "tables", "instance")):
        tables.append(Table(_str(_obj(t, f"tables[{i}]"), "id", f"tables[{i}]")))
    _unique((t.id for t in tables), "table")
    slot_ids, table_ids = {s.id for s in slots}, {t.id for t in tables}
    people = tuple(_participant(p, i, slot_ids, table_ids) for i, p in enumerate(_list(d, "participants", "instance")))
    _unique((p.id for p in people), "participant")
    person_ids = {p.id for p in people}
    requests = tuple(_request(r, i, person_ids, slot_ids) for i, r in enumerate(_list(d, "requests", "instance")))
    _unique((r.id for r in requests), "request")
    request_ids = {r.id for r in requests}
    pinned = []
    for i, p in enumerate(_list(d, "pinned", "instance", required=False)):
        m = parse_meeting(p, f"pinned[{i}]")
        _check_meeting_ids(m, request_ids, slot_ids, table_ids, "pinned meeting")
        pinned.append(m)
    _unique((m.request for m in pinned), "pinned request")
    return Instance(slots, tuple(tables), people, requests, tuple(pinned))


def _check_meeting_ids(m: Meeting, requests: set[str], slots: set[str], tables: set[str], kind: str) -> None:
    if m.request not in requests:
        raise InputError(f"{kind}: unknown request '{m.request}'")
    if m.slot not in slots:
        raise InputError(f"{kind} of request '{m.request}': unknown slot '{m.slot}'")
    if m.table is not None and m.table not in tables:
        raise InputError(f"{kind} of request '{m.request}': unknown table '{m.table}'")


def parse_solution(doc: Any, instance: Instance) -> Solution:
    """Validate a decoded solution's ids against `instance` (feasibility is `check`'s job)."""
    d = _obj(doc, "solution")
    requests, slots = set(instance.request_by_id), set(instance.slot_by_id)
    meetings = []
    for i, m in enumerate(_list(d, "meetings", "solution")):
        meeting = parse_meeting(m, f"meetings[{i}]")
        _check_meeting_ids(meeting, requests, slots, set(instance.table_ids), "meeting")
        meetings.append(meeting)
    unscheduled = _list(d, "unscheduled", "solution", required=False)
    for r in unscheduled:
        if not isinstance(r, str) or r not in requests:
            raise InputError(f"solution: unknown request {r!r} in 'unscheduled'")
    return Solution(tuple(meetings), tuple(unscheduled))


def load_instance(path: str | Path) -> Instance:
    return parse_instance(read_json(path))


def load_solution(path: str | Path, instance: Instance) -> Solution:
    return parse_solution(read_json(path), instance)


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    return {
        "meetings": [{"request": m.request, "slot": m.slot, "table": m.table} for m in solution.meetings],
        "unscheduled": list(solution.unscheduled),
    }


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """The inverse of `parse_instance` (used by tests and by the web app's export)."""
    people = []
    for p in instance.participants:
        doc: dict[str, Any] = {"id": p.id, "available": list(p.available)}
        if p.max_meetings is not None:
            doc["max_meetings"] = p.max_meetings
        if p.table is not None:
            doc["table"] = p.table
        people.append(doc)
    return {
        "format": FORMAT_TAG,
        "slots": [{"id": s.id, "start": s.start.isoformat(), "end": s.end.isoformat()} for s in instance.slots],
        "tables": [{"id": t.id} for t in instance.tables],
        "participants": people,
        "requests": [
            {"id": r.id, "a": r.a, "b": r.b, "priority": r.priority, **({"online": True} if r.online else {}),
             **({"slots": list(r.slots)} if r.slots is not None else {})}
            for r in instance.requests
        ],
        "pinned": [{"request": m.request, "slot": m.slot, "table": m.table} for m in instance.pinned],
    }
