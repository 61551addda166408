"""The main pages of a realistic event (the demo): accessibility checks and screenshots at two widths."""
from __future__ import annotations

import pytest

from .conftest import VIEWPORTS, CspWatch, check_accessibility, log_in, screenshot


def test_the_accessibility_check_catches_a_violation(new_page):
    """A guard against a check that silently checks nothing."""
    page = new_page()
    page.set_content("<html><head><title>x</title></head><body><main><input type=text></main></body></html>")
    with pytest.raises(AssertionError, match="label"):
        check_accessibility(page, "a page with an unlabelled field")


def test_the_csp_watch_catches_what_the_policy_blocks(chromium, site):
    """A guard against a watch that silently watches nothing: an inline script and an inline style,
    added to a real page, are blocked by its policy and reported."""
    watch = CspWatch()
    context = chromium.new_context(base_url=site.url, viewport=VIEWPORTS["desktop"])
    try:
        watch.watch(context)
        page = context.new_page()
        page.goto("/login")
        page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "window.ranInline = true";
            document.body.append(script);
            document.body.setAttribute("style", "color: red");
        }""")
        page.wait_for_timeout(300)
        assert not page.evaluate("window.ranInline === true")
        assert any("script-src" in v for v in watch.violations), watch.violations
        assert any("style-src" in v for v in watch.violations), watch.violations
    finally:
        context.close()


def test_the_api_docs_work_under_their_policy(site, new_page):
    """Swagger UI's inline start-up script is allowed by its hash on that page only."""
    page = new_page()
    page.goto("/api/v1/docs/")
    page.locator(".swagger-ui .info .title").get_by_text("matchmaking").wait_for()
    page.locator(".opblock-summary-path").first.wait_for()
    assert page.locator(".opblock").count() > 10


def test_anonymous_pages_and_the_accessibility_statement(site, new_page):
    page = new_page()
    page.goto("/login")
    check_accessibility(page, "log-in page")
    page.locator("footer").get_by_role("link", name="Accessibility statement").click()
    page.wait_for_url("**/accessibility")
    page.get_by_role("heading", level=1, name="Accessibility statement").wait_for()
    text = page.locator("main").inner_text()
    assert "WCAG" in text and "2.2" in text and "keyboard" in text and "Report a problem" in text
    check_accessibility(page, "accessibility statement")
    page.goto(f"/events/{site.demo_event_id}")
    check_accessibility(page, "event page (anonymous)")
    page.locator("main").get_by_role("link", name="Privacy notice").click()
    page.wait_for_url("**/privacy")
    assert "are the controller" in page.locator("main").inner_text()
    check_accessibility(page, "privacy notice")


def test_participant_pages_of_the_demo_event(site, new_page):
    page = new_page()
    log_in(page, "participant1@demo.example.org", "demo-password-2026")
    event = f"/events/{site.demo_event_id}"
    for name, path in (("demo-agenda", "/agenda"), ("demo-directory", "/participants"),
                       ("demo-requests", "/requests")):
        page.goto(event + path)
        check_accessibility(page, name)
        screenshot(page, name)
    page.goto(event + "/participants")
    page.locator("table.list tbody a").nth(3).click()
    check_accessibility(page, "participant profile (demo)")
    screenshot(page, "demo-participant")


def test_api_tokens_page_shows_a_new_token_once(site, new_page):
    page = new_page()
    log_in(page, "participant2@demo.example.org", "demo-password-2026")
    page.goto("/account/tokens")
    page.get_by_label("Name").fill("Mūsu CRM")
    page.get_by_label("As me in the events I take part in").check()
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("mm_")
    check_accessibility(page, "API tokens")
    screenshot(page, "api-tokens")
    page.reload()
    assert page.locator("#new-token").count() == 0 and "Mūsu CRM" in page.locator("main").inner_text()


def test_organiser_pages_of_the_demo_event(site, new_page):
    page = new_page()
    log_in(page, site.demo_organiser_email, "demo-password-2026")
    event = f"/organiser/events/{site.demo_event_id}"
    for name, path in (("demo-grid", "/grid"), ("demo-dashboard", "/dashboard"), ("demo-setup", "")):
        page.goto(event + path)
        check_accessibility(page, name)
        screenshot(page, name)
    assert page.goto(event + "/dashboard") and page.locator("svg.chart-svg rect.bar").first.bounding_box()["width"] > 0
    page.goto(event + "/print/tables")
    page.evaluate("window.print = () => { window.printed = true; }")  # headless: no dialogue to open
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed === true")  # the button works from the static script
