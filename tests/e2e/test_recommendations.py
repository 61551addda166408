"""Recommended partners in the browser: a partner with its reasons, and "Not for me" removes it for good."""
from __future__ import annotations

from matchmaking.background import run_queued
from matchmaking.extensions import db
from matchmaking.models import Event
from matchmaking.services import background_jobs
from matchmaking.services.demo import DEMO_PASSWORD

from .conftest import check_accessibility, flash_text, log_in, screenshot


def test_a_recommendation_shows_its_reasons_and_not_for_me_removes_it(site, new_page):
    with site.app.app_context():  # what the background process does after the organiser's button
        background_jobs.enqueue_recommendations(event=db.session.get(Event, site.demo_event_id))
        db.session.commit()
        run_queued()
        db.session.remove()
    page = new_page()
    log_in(page, "participant1@demo.example.org", DEMO_PASSWORD)
    page.goto(f"/events/{site.demo_event_id}")
    page.get_by_role("link", name="Recommended for you").click()

    first = page.locator("li.recommendation").first
    name = first.locator("h2").inner_text()
    assert first.locator("ul.reasons li").count() >= 1
    assert first.get_by_role("link", name="Request a meeting").is_visible()
    check_accessibility(page, "recommendations")
    screenshot(page, "recommendations")

    first.get_by_role("button", name="Not for me").click()

    assert flash_text(page) == "We will not recommend this participant to you again."
    names = page.locator("li.recommendation h2").all_inner_texts()
    assert name not in names
    page.reload()
    assert name not in page.locator("li.recommendation h2").all_inner_texts()
