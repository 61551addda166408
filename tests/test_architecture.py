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


WEB = PACKAGE / "web"
AREAS = ("organiser", "participant", "account")
GATED = (*AREAS, "api")


def _calls(path: Path):
    """Every call in a module as its dotted name: ``db.session.scalars``, ``bp.route``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            yield ast.unparse(node.func)
        elif isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                yield ast.unparse(decorator.func if isinstance(decorator, ast.Call) else decorator)


def test_no_handler_queries_the_database():
    """Handlers call services; the session is only committed or rolled back in the web layer."""
    offenders = []
    for path in WEB.rglob("*.py"):
        for module, _names, _level in _imports(path):
            if module.startswith("sqlalchemy"):
                offenders.append(f"{path.relative_to(WEB)}: imports {module}")
        for call in _calls(path):
            if call.startswith("db.session.") and call not in ("db.session.commit", "db.session.rollback"):
                offenders.append(f"{path.relative_to(WEB)}: {call}")
            if call.endswith((".query.get", ".query.filter_by", ".query.all")):
                offenders.append(f"{path.relative_to(WEB)}: {call}")
    assert offenders == []


def test_every_url_of_an_area_is_declared_in_its_blueprint_file():
    """A newcomer finds every URL (and who may open it) of an area in ``web/<area>/blueprint.py``."""
    offenders = []
    for area in AREAS:
        for path in (WEB / area).glob("*.py"):
            if path.name == "blueprint.py":
                continue
            for call in _calls(path):
                if call.endswith((".route", ".add_url_rule", ".before_request", "Blueprint")):
                    offenders.append(f"{area}/{path.name}: {call}")
    assert offenders == []


def test_permission_is_checked_once_per_area_not_per_handler():
    """The organiser's and participant's gates load the event; handlers never look it up themselves."""
    gate_calls = ("get_organised_event", "require_participant", "participant_for", "login_required",
                  "event_service.get_event")
    offenders = [f"{area}/{path.name}: {call}"
                 for area in GATED for path in (WEB / area).glob("*.py") if path.name != "blueprint.py"
                 for call in _calls(path) if call.endswith(gate_calls)]
    assert offenders == []


def test_every_url_of_the_app_belongs_to_one_area(app):
    areas = {"organiser", "organiser_home", "participant", "public", "account", "admin", "static",
             "api", "api_organiser", "api-docs", "api_docs"}
    outside = [rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] not in areas]
    assert outside == []
    organiser = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/organiser/events/<")}
    assert organiser and all(endpoint.startswith("organiser.") for endpoint in organiser)


def test_the_scheduling_core_stays_pure():
    offenders = []
    for path in (PACKAGE / "scheduling").rglob("*.py"):
        for module, _names, level in _imports(path):
            top = module.split(".")[0]
            if top in ("flask", "flask_sqlalchemy", "flask_login", "sqlalchemy", "werkzeug") or (
                    level >= 2 or module.startswith("matchmaking.")):
                offenders.append(f"{path.name}: {module}")
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


def test_only_the_recommendations_bridge_imports_the_matching_core():
    """Like the scheduling core's one bridge: the app reaches the matching core through one service only.

    The one exception is services/text.py, which reuses the core's pure text normaliser (diacritic
    folding and prefix stems, no database, no model) so search and matching stem words alike."""
    importers = set()
    for path in PACKAGE.rglob("*.py"):
        part = path.relative_to(PACKAGE).parts
        if part[0] == "matching":
            continue
        for module, names, level in _imports(path):
            if (module == "matchmaking.matching" or module.startswith("matchmaking.matching.")
                    or (level and (module == "matching" or module.startswith("matching.")))
                    or (level and module == "" and "matching" in names)):
                importers.add("/".join(part))
    assert importers == {"services/recommendations.py", "services/text.py"}
