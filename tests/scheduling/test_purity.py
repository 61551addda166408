"""The scheduling core stays pure: no web framework, no database, nothing else of the app."""

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "matchmaking" / "scheduling"
ALLOWED_THIRD_PARTY = {"numpy", "scipy", "ortools"}  # optional, imported lazily (bound.py, cp_gaps.py)


def imported_modules(path: Path) -> list[tuple[str, int]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append((node.module or "", node.level))
    return out


def test_package_imports_only_stdlib_and_itself() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) > 5
    bad = []
    for path in modules:
        for name, level in imported_modules(path):
            top = name.split(".")[0]
            if level == 1 or name.startswith("matchmaking.scheduling"):
                continue
            if level > 1 or top == "matchmaking" or (
                    top not in sys.stdlib_module_names and top not in ALLOWED_THIRD_PARTY and top != "__future__"):
                bad.append(f"{path.name}: {'.' * level}{name}")
    assert not bad, bad


def test_runs_without_the_web_app() -> None:
    """Import the package under a bare `matchmaking` (the app's __init__ imports Flask)."""
    import subprocess

    code = ("import sys, types; pkg = types.ModuleType('matchmaking'); "
            f"pkg.__path__ = [{str(PACKAGE.parent)!r}]; sys.modules['matchmaking'] = pkg; "
            "import matchmaking.scheduling, matchmaking.scheduling.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
