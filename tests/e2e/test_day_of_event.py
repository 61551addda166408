"""The day itself in a browser: a no-show is marked, the freed slot is offered to a checked-in participant
who books it with one tap, two others arrange a walk-in, and the live table plan shows both meetings."""
from __future__ import annotations

from datetime import date, datetime, time

from matchmaking.extensions import db
from matchmaking.models import Meeting, User
from matchmaking.services import manual_schedule, meetings
from tests.factories import make_event, make_user, register

from .conftest import check_accessibility, flash_text, log_in, screenshot

DAY = date(2025, 3, 10)  # Riga is UTC+2 then
QUARTER_PAST_NINE = datetime(2025, 3, 10, 7, 15)
CLOCKS = ("matchmaking.services.checkin.utcnow", "matchmaking.services.on_the_day.utcnow",
          "matchmaking.web.organiser.meetings.utcnow", "matchmaking.web.organiser.on_the_day.utcnow",
          "matchmaking.web.participant.on_the_day.utcnow")
PEOPLE = {"anna": ("Anna Wiśniewska", "Klaster Łomża"), "janis": ("Jānis Bērziņš", "Rokavaldīna SIA"),
          "karl": ("Karl Tamm", "Tartu Textiles"), "liga": ("Līga Ozola", "Liepāja Port"),
          "mara": ("Māra Kalniņa", "Valmiera Wood")}


def _email(name: str) -> str:
    return f"day.{name}@e2e.example.org"


def _the_day(site) -> dict:
    """One table; anna meets janis at 09:00, her accepted meeting with karl has no place yet (batch mode).
    Everyone has checked in but janis."""
    with site.app.app_context():
        organiser = db.session.query(User).filter_by(email=site.organiser_email).one()
        event = make_event(organiser, name="Riga Brokerage Day", timezone="Europe/Riga", day=DAY,
                           sessions=((time(9, 0), time(10, 0)),), tables=1)
        event.scheduling_mode = "batch"
        p = {key: register(make_user(_email(key), name), event, organisation=org, country="LV")
             for key, (name, org) in PEOPLE.items()}
        first = meetings.request_meeting(requester=p["anna"], recipient=p["janis"], message="", online=False)
        meeting = meetings.accept_request(recipient=p["janis"], request_id=first.id)
        manual_schedule.move_meeting(event=event, meeting_id=meeting.id, slot_id=event.days[0].sessions[0].slots[0].id,
                                     table_id=event.tables[0].id)
        second = meetings.request_meeting(requester=p["karl"], recipient=p["anna"], message="", online=False)
        unplaced = meetings.accept_request(recipient=p["anna"], request_id=second.id)
        for key in ("anna", "karl", "liga", "mara"):
            p[key].checked_in_at = datetime(2025, 3, 10, 6, 45)
        db.session.commit()
        ids = {"event": event.id, "meeting": meeting.id, "unplaced": unplaced.id}
        db.session.remove()
        return ids


def test_a_no_show_frees_a_slot_that_is_offered_and_booked_a_walk_in_and_the_live_plan(site, new_page, monkeypatch):
    ids = _the_day(site)
    for clock in CLOCKS:
        monkeypatch.setattr(clock, lambda: QUARTER_PAST_NINE)
    organiser = new_page()
    log_in(organiser, site.organiser_email)

    # Jānis never came: the organiser marks the no-show from the meeting list's flag.
    organiser.goto(f"/organiser/events/{ids['event']}/meetings")
    organiser.locator("tr", has_text="Not checked in: Jānis Bērziņš").get_by_role(
        "button", name="Mark as no-show").click()
    organiser.locator(".flash").wait_for()
    assert "Attendance recorded." in flash_text(organiser)

    # Anna's agenda offers the freed 09:00 slot with Karl, her accepted meeting without a place: one tap books it.
    anna = new_page()
    log_in(anna, _email("anna"))
    anna.goto(f"/events/{ids['event']}/agenda")
    offer = anna.locator("ul.offers li", has_text="Karl Tamm")
    assert "09:00–09:30" in offer.inner_text() and "your accepted meeting without a place" in offer.inner_text()
    check_accessibility(anna, "agenda with an offer")
    offer.get_by_role("button", name="Book it").click()
    anna.locator(".flash").wait_for()
    assert "Booked: 09:00 at T1 with Karl Tamm." in flash_text(anna)
    with site.app.app_context():
        booked = db.session.get(Meeting, ids["unplaced"])
        assert (booked.slot.starts_at, booked.table.name) == (datetime(2025, 3, 10, 7, 0), "T1")
        db.session.remove()

    # The live table plan for the screen at the venue, open from now on: Anna and Karl at T1 now.
    organiser.goto(f"/organiser/events/{ids['event']}/live-plan")
    now_part = organiser.locator("section.plan-slot").nth(0).inner_text()
    assert "Now: 09:00–09:30" in now_part and "Anna Wiśniewska" in now_part and "Karl Tamm" in now_part
    assert "Jānis Bērziņš" not in now_part
    assert organiser.locator("[data-live]").get_attribute("data-every") == "30"
    check_accessibility(organiser, "live table plan")

    # Līga sees Māra free at 09:30 and proposes a walk-in; Māra accepts it with one tap.
    liga = new_page()
    log_in(liga, _email("liga"))
    liga.goto(f"/events/{ids['event']}/now")
    check_accessibility(liga, "on the spot")
    pause = liga.get_by_role("button", name="Pause updates")
    pause.click()
    resume = liga.get_by_role("button", name="Resume updates")
    assert resume.get_attribute("aria-pressed") == "true"
    liga.get_by_role("button", name="Meet Māra Kalniņa").first.click()
    liga.locator(".flash").wait_for()
    assert "Māra Kalniņa has been asked" in flash_text(liga)
    mara = new_page()
    log_in(mara, _email("mara"))
    mara.goto(f"/events/{ids['event']}/now")
    asked = mara.locator("ul.offers li", has_text="Līga Ozola")
    asked.get_by_role("button", name="Accept: book the next free slot").click()
    mara.locator(".flash").wait_for()
    assert "Booked: 09:30 at T1 with Līga Ozola." in flash_text(mara)
    screenshot(mara, "on-the-spot")

    # The plan on the screen updates itself (no reload): Līga and Māra at T1 next.
    upcoming = organiser.locator("section.plan-slot", has_text="Māra Kalniņa")
    upcoming.wait_for(timeout=45_000)
    assert "Next: 09:30–10:00" in upcoming.inner_text() and "Līga Ozola" in upcoming.inner_text()
    screenshot(organiser, "live-plan")
