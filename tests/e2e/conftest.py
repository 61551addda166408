"""Browser tests: the app served by a real HTTP server on localhost, driven by Playwright in Debian's chromium.

The server runs in a thread of the test process on its own temporary SQLite database (never the shared
PostgreSQL test database), migrated like production, with CSRF protection on. Playwright never downloads
a browser: it starts the chromium found in CHROMIUM_PATH or on PATH, and the tests fail (never skip)
without one.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from config import TestConfig
from matchmaking import create_app
from matchmaking.extensions import db
from matchmaking.services import demo, meetings
from tests.factories import PASSWORD, make_event, make_user, register

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

EVENT_NAME = "Baltic Cluster Brokerage 2030"
EVENT_TZ = "Europe/Riga"
EVENT_DAY = date(2030, 5, 20)  # a Monday; the sessions are 09:00-10:30 and 11:00-12:00 in Riga
TABLES = ("Table 1", "Table 2", "Table 3", "Table 4")


@dataclass
class Site:
    url: str
    app: object
    event_id: int
    organiser_email: str
    demo_event_id: int
    demo_organiser_email: str

    def __call__(self, path: str) -> str:
        return self.url + path


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path or not Path(path).exists():
        pytest.fail("The browser tests need Chromium: install Debian's package (apt-get install -y chromium) or set "
                    "CHROMIUM_PATH to a chromium executable. Never run 'playwright install'.", pytrace=False)
    return path


def _seed(app) -> dict:
    """Arrange through the services what the journeys do not create through the pages themselves."""
    with app.app_context():
        upgrade()
        organiser = make_user("organiser@e2e.example.org", "Olga Organizatorė", organiser=True)
        event = make_event(organiser, name=EVENT_NAME, timezone=EVENT_TZ, day=EVENT_DAY, tables=0,
                           sessions=((time(9, 0), time(10, 30)), (time(11, 0), time(12, 0))))
        from matchmaking.services import events as event_service

        event_service.add_tables(event=event, names=list(TABLES))
        # Other participants, so the directory's filters have something to filter out.
        for i, (country, kind, organisation) in enumerate([
            ("LV", "university", "Rīga Technical University"),
            ("PL", "cluster", "Klaster Morski Pomorskie"),
            ("EE", "ngo", "Tartu Social Innovation Association"),
            ("LV", "public_authority", "Vidzeme Planning Region"),
        ]):
            user = make_user(f"other{i}@e2e.example.org", f"Other Person {i}")
            register(user, event, organisation=organisation, country=country, organisation_type=kind)
        summary = demo.build_demo(participants=36)
        db.session.commit()
        return {"event_id": event.id, "demo_event_id": summary.event_id}


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[Site]:
    database = tmp_path_factory.mktemp("e2e") / "e2e.db"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
        WTF_CSRF_ENABLED = True
        BASE_URL = "http://127.0.0.1"
        MEDIA_FOLDER = str(database.parent / "media")

    app = create_app(Config)
    seeded = _seed(app)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield Site(url=f"http://127.0.0.1:{server.server_port}", app=app, event_id=seeded["event_id"],
                   organiser_email="organiser@e2e.example.org", demo_event_id=seeded["demo_event_id"],
                   demo_organiser_email="organiser@demo.example.org")
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every page reports what its Content-Security-Policy blocked (the event fires in the page; the binding
# reaches Python across navigations, and neither is itself subject to the policy).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => window.reportCspViolation(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.documentURI}:${e.lineNumber} ${e.sample}`));
"""


class CspWatch:
    """The Content-Security-Policy violations and console errors about it, of every page a test opens."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def watch(self, context) -> None:
        context.expose_function("reportCspViolation", self.report)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("page", self.watch_console)

    def report(self, violation: str) -> None:
        self.violations.append(violation)

    def watch_console(self, page) -> None:
        page.on("console", lambda message: self._console(page, message))

    def _console(self, page, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(f"console at {page.url}: {message.text}")


@pytest.fixture
def csp_watch() -> CspWatch:
    return CspWatch()


@pytest.fixture
def new_page(chromium, site, csp_watch):
    """Open pages in separate browser contexts (one per person: separate cookies), closed after the test.

    Every page of every test is watched: a test fails when the Content-Security-Policy blocked
    anything on a page it opened (an inline script or style, an on…= handler, another origin)."""
    contexts = []

    def open_page(locale: str = "en-GB"):
        context = chromium.new_context(base_url=site.url, locale=locale, viewport=VIEWPORTS["desktop"],
                                       accept_downloads=True)
        context.set_default_timeout(10_000)
        csp_watch.watch(context)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert csp_watch.violations == [], "the Content-Security-Policy blocked:\n" + "\n".join(csp_watch.violations)


# Helpers the journeys share --------------------------------------------------------------------------------

def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def mailed_link(site: Site, kind: str, email: str) -> str:
    """The path of the link in the newest ``kind`` mail to ``email``, read from the mail as it is composed."""
    from tests.conftest import mailed_link as link_in_mail

    return link_in_mail(site.app, kind, email)


def flash_text(page) -> str:
    return " ".join(page.locator(".flash").all_inner_texts())


def screenshot(page, name: str) -> None:
    """Full-page screenshots at phone and desktop widths, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    for label, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth") - size["width"]
        assert overflow <= 0, f"{name} is {overflow}px wider than a {label} screen: it scrolls sideways"
    page.set_viewport_size(before)


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def check_accessibility(page, name: str) -> list[dict]:
    """Run axe-core's WCAG 2.2 A/AA rules on the page; fail on serious or critical violations."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS.relative_to(ROOT)} is missing: run 'npm ci' at the repository root.", pytrace=False)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the browser's debugging protocol, which the page's Content-Security-Policy does
        # not govern (a <script> tag added to the page would be refused, as it should be).
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))}));
    }""", WCAG_TAGS)
    blocking = [v for v in results if v["impact"] in ("serious", "critical")]
    minor = [v for v in results if v not in blocking]
    if minor:
        print(f"\naxe ({name}, {page.url}): minor or moderate findings\n{_describe(minor)}")
    assert not blocking, (f"axe-core found serious or critical WCAG 2.2 AA violations on {name} ({page.url}):\n"
                          + _describe(blocking) + "\n" + json.dumps([v["id"] for v in blocking]))
    return results


def make_meeting(site: Site, a: tuple[str, str, str, str], b: tuple[str, str, str, str]) -> int:
    """Two registered participants (email, name, organisation, country) with an accepted meeting; its id."""
    with site.app.app_context():
        people = []
        for email, name, organisation, country in (a, b):
            user = make_user(email, name)
            from matchmaking.models import Event

            people.append(register(user, db.session.get(Event, site.event_id), organisation=organisation,
                                   country=country))
        request = meetings.request_meeting(requester=people[0], recipient=people[1], message="", online=False)
        meeting = meetings.accept_request(recipient=people[1], request_id=request.id)
        db.session.commit()
        meeting_id = meeting.id
        db.session.remove()
        return meeting_id
