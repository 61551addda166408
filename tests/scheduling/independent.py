"""Re-check a schedule from the raw instance, sharing no code with the solver or `check`."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from matchmaking.scheduling import Instance, Solution, parse_instance


def recheck(inst: Instance, sol: Solution) -> list[str]:
    """Windows, availability, and no participant or table twice in a slot; [] when all hold."""
    problems = []
    requests = {r.id: r for r in inst.requests}
    available = {p.id: set(p.available) for p in inst.participants}
    seen: set[tuple[str, str]] = set()
    for m in sol.meetings:
        r = requests[m.request]
        if r.slots is not None and m.slot not in r.slots:
            problems.append(f"{r.id} outside its window in {m.slot}")
        for who in (r.a, r.b):
            if m.slot not in available[who]:
                problems.append(f"{r.id}: {who} not available in {m.slot}")
            if ("person " + who, m.slot) in seen:
                problems.append(f"{who} twice in {m.slot}")
            seen.add(("person " + who, m.slot))
        if m.table is not None:
            if ("table " + m.table, m.slot) in seen:
                problems.append(f"table {m.table} twice in {m.slot}")
            seen.add(("table " + m.table, m.slot))
    return problems


def generated(preset: str, seed: int) -> Instance:
    """An instance from scripts/gen_instance.py (the benchmark's generator)."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "gen_instance.py"
    spec = importlib.util.spec_from_file_location("gen_instance", path)
    assert spec is not None and spec.loader is not None
    gen: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    params = gen.resolve(dict(gen.PRESETS[preset]), seed)
    return parse_instance(gen.build(seed=seed, **params))
