"""The organiser drags a meeting across the schedule grid: a taken cell says why it cannot go there
before anything is dropped, a free cell takes it, and the move is saved and pinned."""
from __future__ import annotations

import re
from datetime import date, time

from playwright.sync_api import expect

from matchmaking.extensions import db
from matchmaking.models import Meeting, User
from matchmaking.services import meetings
from tests.factories import make_event, make_user, register

from .conftest import check_accessibility, flash_text, log_in

DAY = date(2030, 6, 3)


def _grid_with_two_meetings(site, tag: str) -> dict:
    """(Anna, Jānis) at 09:00 at "Galds 1", (Karl, Eve) at 09:00 at "Galds 2"; "Galds 3" is free."""
    with site.app.app_context():
        organiser = db.session.query(User).filter_by(email=site.organiser_email).one()
        event = make_event(organiser, name="Rīga Grid Day", timezone="Europe/Riga", day=DAY, tables=0,
                           sessions=((time(9, 0), time(10, 30)),))
        from matchmaking.services import events

        events.add_tables(event=event, names=["Galds 1", "Galds 2", "Galds 3"])
        people = [register(make_user(f"grid.{key}.{tag}@e2e.example.org", name), event, organisation=org)
                  for key, name, org in (("anna", "Anna Wiśniewska", "Klaster Łomża"),
                                         ("janis", "Jānis Bērziņš", "Rokavaldīna SIA"),
                                         ("karl", "Karl Tamm", "Tartu Textiles"), ("eve", "Eve Saar", "Pärnu Food"))]
        placed = []
        for a, b in ((people[0], people[1]), (people[2], people[3])):
            request = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
            placed.append(meetings.accept_request(recipient=b, request_id=request.id))
        db.session.commit()
        ids = {"event": event.id, "moved": placed[0].id, "other": placed[1].id,
               "slots": [s.id for d in event.days for se in d.sessions for s in se.slots],
               "tables": [t.id for t in event.tables]}
        db.session.remove()
        return ids


def _cell(page, slot: int, table: int):
    column = page.locator("table.grid thead th").evaluate_all(
        "(headers, slot) => headers.findIndex(th => th.dataset.slot === slot)", str(slot))
    return page.locator(f'table.grid tr[data-table="{table}"] > :nth-child({column + 1})')


def _drag_over(page, locator) -> None:
    box = locator.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=6)


def test_a_meeting_dragged_over_a_taken_cell_says_why_and_dropped_on_a_free_one_moves(site, new_page):
    ids = _grid_with_two_meetings(site, "drag")
    first, second, third = ids["slots"]
    page = new_page()
    log_in(page, site.organiser_email)
    page.goto(f"/organiser/events/{ids['event']}/grid")
    meeting = page.locator(f'a.meeting[href="meetings/{ids["moved"]}"]')
    expect(meeting).to_have_attribute("title", "Klaster Łomża (Anna Wiśniewska) – Rokavaldīna SIA (Jānis Bērziņš)")
    check_accessibility(page, "schedule grid")

    _drag_over(page, meeting)
    page.mouse.down()
    taken = _cell(page, first, ids["tables"][1])
    _drag_over(page, taken)
    expect(page.locator("#grid-status")).to_have_text("Galds 2 is taken in that slot.")
    expect(taken).to_have_class("busy drop-refused")
    free = _cell(page, second, ids["tables"][2])
    _drag_over(page, free)
    expect(page.locator("#grid-status")).to_have_text("It fits here: drop to move the meeting (it will be pinned).")
    expect(free).to_have_class("empty drop-ok")
    page.mouse.move(*_centre(free, 2))  # the drop is allowed from the next move over the cell on
    page.mouse.up()

    expect(page.locator(".flash")).to_have_text("Meeting moved and pinned.")
    assert re.search(rf"/organiser/events/{ids['event']}/grid\??$", page.url)  # back on the grid
    assert flash_text(page) == "Meeting moved and pinned."
    moved_cell = _cell(page, second, ids["tables"][2])
    expect(moved_cell.locator(".pin")).to_have_text("⚑ pinned")
    expect(moved_cell.locator("a.meeting")).to_have_attribute("href", f"meetings/{ids['moved']}")
    with site.app.app_context():
        saved = db.session.get(Meeting, ids["moved"])
        assert (saved.slot_id, saved.table_id, saved.pinned) == (second, ids["tables"][2], True)
        db.session.remove()
    assert third  # three slots are shown: 09:00, 09:30, 10:00
    check_accessibility(page, "schedule grid after a move")


def _centre(locator, nudge: float = 0) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2 + nudge, box["y"] + box["height"] / 2 + nudge


def test_the_dashboard_draws_its_charts_with_their_tables(site, new_page):
    ids = _grid_with_two_meetings(site, "charts")
    page = new_page()
    log_in(page, site.organiser_email)
    page.goto(f"/organiser/events/{ids['event']}/dashboard")

    funnel = page.get_by_role("img", name=re.compile("^From registration to meetings held"))
    expect(funnel).to_be_visible()
    bars = funnel.locator("rect.bar")
    assert bars.count() == 4 and bars.first.bounding_box()["width"] > bars.last.bounding_box()["width"] == 0
    expect(page.get_by_role("img", name=re.compile("^Meetings per slot")).locator("rect.bar")).to_have_count(3)
    table = page.locator("#by-country")
    expect(table).to_be_hidden()  # in its details element until opened
    page.locator("details.chart-data", has=table).locator("summary").click()
    expect(table).to_be_visible()
    check_accessibility(page, "dashboard with charts")
