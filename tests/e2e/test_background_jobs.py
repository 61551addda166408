"""Long work in the background: the organiser imports participants and runs the scheduler, sees a progress
bar, and the page shows the result by itself once the background process has done the work."""
from __future__ import annotations

import re

from matchmaking.background import run_queued
from matchmaking.extensions import db
from matchmaking.services.demo import DEMO_PASSWORD

from .conftest import check_accessibility, flash_text, log_in, screenshot

CSV = "\n".join([
    "name,email,organisation,type,country,region,sectors",
    "Ieva Ozola,ieva.import@e2e.example.org,Latgales Sociālā uzņēmējdarbība,ngo,LV,Latgale,social_economy",
    "Żaneta Wójcik,zaneta.import@e2e.example.org,Spółdzielnia Socjalna Żuraw,social_cooperative,PL,Podlaskie,",
    "Kadri Kask,kadri.import@e2e.example.org,Tartu Loomemajandus,company,EE,,",
]).encode()


def _run_background_process(site) -> None:
    """What ``flask scheduler`` does every few seconds, here while the page is open and polling."""
    with site.app.app_context():
        run_queued()
        db.session.remove()


def test_an_import_shows_a_progress_bar_then_its_result(site, new_page):
    page = new_page()
    log_in(page, site.organiser_email)
    page.goto(f"/organiser/events/{site.event_id}/participants/import")
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": CSV}])
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 3 participants").click()

    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    assert "The import has started" in flash_text(page)
    bar = page.locator("progress#job-progress")
    assert bar.is_visible() and bar.get_attribute("max") == "3" and bar.get_attribute("value") == "0"
    assert page.locator("#job-text").inner_text() == "Waiting for the background process to start it."
    assert page.get_by_role("link", name="Refresh").is_visible()
    check_accessibility(page, "background job in progress")
    screenshot(page, "background-job")

    _run_background_process(site)

    result = page.locator("#job-result")
    result.wait_for(timeout=15_000)  # the page's script notices and shows the result without a click
    assert result.inner_text() == "3 participants imported."
    assert page.locator("progress").count() == 0
    check_accessibility(page, "background job done")
    page.get_by_role("link", name="See the participants").click()
    page.wait_for_url(re.compile(r"/participants$"))
    assert "Żaneta Wójcik" in page.locator("main").inner_text()


def test_a_scheduler_run_ends_with_a_link_to_its_draft(site, new_page):
    page = new_page()
    log_in(page, site.demo_organiser_email, DEMO_PASSWORD)
    page.goto(f"/organiser/events/{site.demo_event_id}/schedule")
    page.get_by_label("Time limit (seconds)").fill("2")
    page.get_by_role("button", name="Run the scheduler").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    assert page.locator("#job-text").inner_text() == "Waiting for the background process to start it."
    _run_background_process(site)

    page.locator("#job-result").wait_for(timeout=15_000)
    assert page.locator("#job-result").inner_text().startswith("Draft ready: ")
    page.get_by_role("link", name="Review the draft").click()
    page.wait_for_url(re.compile(r"/schedule#draft$"))
    assert page.get_by_role("button", name="Publish this schedule").is_visible()
