"""The house rules of ARCHITECTURE.md that a test can see."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "matchmaking"
REQUEST_STATE = {"request", "session", "current_user", "flash", "render_template", "g"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield node.module or "", [alias.name for alias in node.names], node.level
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], 0


def test_services_do_not_read_the_request_or_import_the_web_layer():
    offenders = []
    for path in (PACKAGE / "services").glob("*.py"):
        for module, names, level in _imports(path):
            if module.startswith(("flask", "flask_login")) and REQUEST_STATE & set(names):
                offenders.append(f"{path.name}: from {module} import {names}")
            if (level and module.startswith("web")) or module.startswith("matchmaking.web"):
                offenders.append(f"{path.name}: imports the web layer")
    assert offenders == []


def test_nothing_outside_web_imports_web():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "web" in path.relative_to(PACKAGE).parts or (path.name == "__init__.py" and path.parent == PACKAGE):
            continue
        for module, _names, level in _imports(path):
            relative_web = level and (module == "web" or module.startswith("web."))
            if relative_web or module.startswith("matchmaking.web"):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_services_do_not_import_mail():
    """mail/ renders with the services' help; services never reach back (the e-mail kinds table is in services)."""
    offenders = []
    for path in (PACKAGE / "services").glob("*.py"):
        for module, names, level in _imports(path):
            relative_mail = level > 1 and (module == "mail" or module.startswith("mail.") or
                                           (module == "" and "mail" in names))
            if relative_mail or module.startswith("matchmaking.mail") or (module == "matchmaking" and "mail" in names):
                offenders.append(path.name)
    assert offenders == []
