"""An organiser sets up an event through the pages and moves a meeting in the schedule grid."""
from __future__ import annotations

import re

from matchmaking.extensions import db
from matchmaking.models import Event, Meeting
from matchmaking.services import meetings
from tests.factories import make_user, register

from .conftest import check_accessibility, flash_text, log_in


def _meeting_in(site, event_id: int) -> int:
    """Two participants register for the new event and agree to meet (placed at once: first slot, first table)."""
    with site.app.app_context():
        event = db.session.get(Event, event_id)
        a = register(make_user("grid.a@e2e.example.org", "Kadri Tamm"), event, organisation="Tartu Food Cluster",
                     country="EE")
        b = register(make_user("grid.b@e2e.example.org", "Søren Møller"), event, organisation="Aarhus Energy Cluster",
                     country="DK")
        request = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        meeting = meetings.accept_request(recipient=b, request_id=request.id)
        db.session.commit()
        assert meeting.table.name == "Stand 1"
        meeting_id = meeting.id
        db.session.remove()
        return meeting_id


def test_organiser_sets_up_an_event_and_moves_a_meeting_in_the_grid(site, new_page):
    page = new_page()
    log_in(page, site.organiser_email)
    page.goto("/organiser/events/new")
    check_accessibility(page, "new event form")
    page.get_by_label("Event name", exact=True).fill("Vilnius Social Economy Fair")
    page.get_by_label("Venue", exact=True).fill("Vilnius, Lithuania")
    page.get_by_label("Time zone", exact=True).fill("Europe/Vilnius")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/organiser/events/\d+$"))
    assert "The event is created" in flash_text(page)
    event_id = int(page.url.rsplit("/", 1)[1])
    assert "Europe/Vilnius" in page.locator("main").inner_text()

    day_form = page.locator("form[action$='/days']")
    day_form.get_by_label("Date").fill("2030-06-03")
    day_form.get_by_role("button", name="Add day").click()
    assert "Day added." in flash_text(page)
    page.get_by_text("Add a meeting session to this day").click()
    session_form = page.locator("form[action*='/sessions']")
    session_form.get_by_label("Name", exact=True).fill("Morning meetings")
    session_form.get_by_label("Starts").fill("10:00")
    session_form.get_by_label("Ends").fill("11:30")
    session_form.get_by_label("Slot length (minutes)").fill("30")
    session_form.get_by_role("button", name="Add session").click()
    assert "Meeting session added" in flash_text(page)
    tables_form = page.locator("form[action$='/tables']")
    tables_form.get_by_label("Number of tables").fill("3")
    tables_form.get_by_label("Name prefix").fill("Stand")
    tables_form.get_by_role("button", name="Add tables").click()
    assert "Tables added." in flash_text(page)
    main = page.locator("main").inner_text()
    assert "Morning meetings" in main and "3 slots" in main
    assert all(f"Stand {i}" in main for i in (1, 2, 3))
    check_accessibility(page, "organiser set-up")

    meeting_id = _meeting_in(site, event_id)
    page.goto(f"/organiser/events/{event_id}/grid")
    check_accessibility(page, "schedule grid (new event)")
    row = page.locator("table.grid tbody tr", has=page.locator("th", has_text="Stand 1"))
    row.get_by_role("link", name=re.compile("Tartu Food Cluster")).click()
    page.wait_for_url(f"**/meetings/{meeting_id}")
    check_accessibility(page, "organiser meeting page")
    slot = page.get_by_label("Slot")
    slot.select_option(label=next(o for o in slot.locator("option").all_inner_texts() if "10:30–" in o))
    page.get_by_label("Table").select_option(label="Stand 3")
    page.get_by_role("button", name="Move meeting").click()
    assert "Meeting moved and pinned." in flash_text(page)
    card = page.locator(".card").first.inner_text()
    assert "10:30–11:00" in card and "Stand 3" in card, card

    page.goto(f"/organiser/events/{event_id}/grid")
    headers = page.locator("table.grid thead th").all_inner_texts()
    column = next(i for i, h in enumerate(headers) if "10:30" in h)
    moved_row = page.locator("table.grid tbody tr", has=page.locator("th", has_text="Stand 3"))
    cell = moved_row.locator("th, td").nth(column)
    assert "Tartu Food Cluster" in cell.inner_text()
    assert "pinned" in (cell.get_attribute("class") or "")
    assert "Tartu Food Cluster" not in page.locator("table.grid tbody tr", has=page.locator(
        "th", has_text="Stand 1")).inner_text()
    with site.app.app_context():
        moved = db.session.get(Meeting, meeting_id)
        assert (moved.table.name, moved.pinned) == ("Stand 3", True)
        db.session.remove()
