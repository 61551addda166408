"""The README's walk through, step by step in a real browser on the demo event: each step asserts what the
person sees, is checked by axe, and refreshes its screenshot in docs/guide/ (the pictures of the README).

Run it alone to refresh the pictures: .venv/bin/python -m pytest tests/e2e/test_guide.py
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import icalendar
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Participant, User
from matchmaking.services.demo import DEMO_PASSWORD

from .conftest import ROOT, check_accessibility, flash_text, log_in

GUIDE = ROOT / "docs" / "guide"
ME, PARTNER = "participant1@demo.example.org", "participant2@demo.example.org"


def step(page, name: str, show=None) -> None:
    """The page as the guide shows it: accessible, and its picture at desktop width (one screenful, scrolled
    to ``show`` when given)."""
    check_accessibility(page, f"guide: {name}")
    if show is not None:
        show.scroll_into_view_if_needed()
    GUIDE.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(GUIDE / f"{name}.png"))


def _partner(site) -> Participant:
    """The demo's second participant: the demo leaves no request between the first two, for this walk."""
    with site.app.app_context():
        partner = db.session.scalar(select(Participant).join(User).where(
            User.email == PARTNER, Participant.event_id == site.demo_event_id))
        db.session.expunge(partner)
        db.session.remove()
        return partner


def _first_day(site) -> str:
    from matchmaking.models import Event

    with site.app.app_context():
        first = min(day.date for day in db.session.get(Event, site.demo_event_id).days).isoformat()
        db.session.remove()
        return first


def _run_background_process(site) -> None:
    from matchmaking.background import run_queued

    with site.app.app_context():
        run_queued()
        db.session.remove()


def test_participant_walk_through(site, new_page):
    partner = _partner(site)
    event = f"/events/{site.demo_event_id}"
    page = new_page()

    # 1. Log in with the demo's first participant, and open the event's participant directory.
    log_in(page, ME, DEMO_PASSWORD)
    page.goto(event + "/participants")
    page.get_by_label("Search").fill(partner.organisation_name)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/participants\?"))
    assert partner.organisation_name in page.locator("table.list tbody").inner_text()
    step(page, "participant-1-directory")

    # 2. Open a partner's profile and ask for a meeting.
    page.locator("table.list tbody").get_by_role("link", name=partner.organisation_name).first.click()
    page.get_by_label("Message").fill("Dzień dobry! Shall we talk about birch plywood for our members?")
    step(page, "participant-2-request")
    page.get_by_role("button", name="Send request").click()
    assert f"Your request was sent to {partner.name}." in flash_text(page)

    # 3. The request waits for an answer; its message can still be changed.
    page.goto(event + "/requests")
    page.get_by_role("link", name=f"Change the message to {partner.name}").click()
    check_accessibility(page, "changing a request's message")
    page.get_by_label("Message").fill("Dzień dobry! Shall we talk about birch plywood and boards?")
    page.get_by_role("button", name="Save").click()
    assert f"Your message to {partner.name} is changed." in flash_text(page)
    step(page, "participant-3-requests", page.locator("table.list tr", has_text="birch plywood and boards"))

    # 4. The partner accepts (or declines, saying why): the meeting is placed in both agendas at once.
    other = new_page()
    log_in(other, PARTNER, DEMO_PASSWORD)
    other.goto(event + "/requests")
    row = other.locator("table.list tbody tr", has_text="birch plywood and boards")
    row.get_by_text("Decline", exact=True).click()  # the reason the requester would see, then accept instead
    assert row.get_by_label("Reason (optional, shown to the requester)").is_visible()
    step(other, "participant-4-answer", row)
    row.get_by_role("button", name="Accept").click()
    assert "Accepted. The meeting is in your agenda." in flash_text(other)

    # 5. The agenda, then the meeting's page: the partner's card and "add to calendar".
    page.goto(event + "/agenda")
    assert partner.organisation_name in page.locator("main").inner_text()
    step(page, "participant-5-agenda")
    page.locator("table.list tbody tr", has_text=partner.organisation_name).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    main = page.locator("main")
    assert partner.organisation_name in main.inner_text() and "Add to calendar" in main.inner_text()
    step(page, "participant-6-meeting")
    with page.expect_download() as download:
        main.get_by_role("link", name="Download (.ics)", exact=False).click()
    [vevent] = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert str(vevent["summary"]) == f"Meeting: {partner.name} ({partner.organisation_name})"

    # 6. Subscribe to all one's meetings: the private calendar feed.
    page.goto("/calendar")
    assert page.locator("#feed-url").input_value().startswith(site.url + "/calendar/feed/")
    step(page, "participant-7-calendar")


def test_organiser_walk_through(site, new_page):
    console = f"/organiser/events/{site.demo_event_id}"
    page = new_page()

    # 1. The organiser's console: the event's dashboard.
    log_in(page, site.demo_organiser_email, DEMO_PASSWORD)
    page.goto(console + "/dashboard")
    step(page, "organiser-1-dashboard")

    # 2. Set-up: days, meeting sessions, tables, and the programme (added, edited, removed).
    page.goto(console)
    page.get_by_text("Add a programme session").click()
    form = page.locator("form[action$='/programme']")
    form.get_by_label("Kind").select_option(label="Plenary")
    form.get_by_label("Title", exact=True).fill("Opening plenary")
    form.locator("input[name=day]").fill(_first_day(site))  # the set-up page has a start and end per day too
    form.locator("input[name=start]").fill("12:00")
    form.locator("input[name=end]").fill("12:45")
    form.get_by_role("button", name="Add session").click()
    assert "Programme session added." in flash_text(page)
    page.get_by_role("link", name="Edit Opening plenary").first.click()
    page.get_by_label("Place or room").fill("Hall A, AmberExpo")
    step(page, "organiser-2-programme")
    page.get_by_role("button", name="Save").click()
    assert "Programme session saved." in flash_text(page)

    # 3. Scheduling: run the scheduler (in the background), review the draft, publish it.
    page.goto(console + "/schedule")
    page.get_by_label("Time limit (seconds)").fill("2")
    page.get_by_role("button", name="Run the scheduler").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    _run_background_process(site)
    page.locator("#job-result").wait_for(timeout=15_000)
    page.get_by_role("link", name="Review the draft").click()
    page.wait_for_url(re.compile(r"/schedule#draft$"))
    step(page, "organiser-3-draft")
    page.get_by_role("button", name="Publish this schedule").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    _run_background_process(site)
    page.locator("#job-result").wait_for(timeout=15_000)
    assert page.locator("#job-result").inner_text().startswith("Schedule published")

    # 4. The schedule grid and the list of every meeting.
    page.goto(console + "/grid")
    step(page, "organiser-4-grid")
    page.goto(console + "/meetings")
    step(page, "organiser-5-meetings")

    # 5. Export the meeting list.
    page.goto(console + "/exports")
    step(page, "organiser-6-exports")
    with page.expect_download() as download:
        page.get_by_role("link", name="Meetings (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) > 10 and any("Scheduled" in cell or "scheduled" in cell for cell in rows[1])
