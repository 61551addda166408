"""Two new users sign up, register, find each other, request and accept a meeting, and see it in their agendas."""
from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path

import icalendar
from babel.dates import format_datetime
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Meeting, Participant
from matchmaking.services.timezones import to_local

from .conftest import EVENT_NAME, EVENT_TZ, TABLES, check_accessibility, flash_text, log_in, mailed_link, screenshot

PASSWORD = "a long and unusual passphrase 2030"
ANNA = ("anna.wisniewska@e2e.example.org", "Anna Wiśniewska", "Klaster Ekonomii Społecznej Pomorskie", "Poland")
JANIS = ("janis.ozolins@e2e.example.org", "Jānis Ozoliņš", "Kurzeme Wood and Furniture Cluster", "Latvia")
PHONES = {ANNA[0]: "+48 58 123 45 67", JANIS[0]: "+371 6345 6789"}
JANIS_LINKEDIN = "https://www.linkedin.com/company/kurzeme-wood-cluster/"


def sign_up(page, email: str, name: str) -> None:
    page.goto("/signup")
    check_accessibility(page, "sign-up page")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/login")
    assert "We have sent a message to this address" in flash_text(page)


def confirm_address(site, page, email: str) -> None:
    """Open the link of the confirmation mail, as the new user would from their inbox."""
    assert "Please confirm your e-mail address" in page.locator("main").inner_text()
    page.goto(mailed_link(site, "verify_email", email))
    assert "your e-mail address is confirmed" in flash_text(page)


def register_for_event(page, event_id: int, organisation: str, country: str, email: str) -> None:
    page.goto(f"/events/{event_id}")
    check_accessibility(page, "event page")
    page.get_by_role("link", name="Register for this event").click()
    page.get_by_label("Organisation", exact=True).fill(organisation)
    page.get_by_label("Type of organisation").select_option(label="Cluster organisation")
    page.get_by_label("Country", exact=True).select_option(label=country)
    page.get_by_label("Wood and furniture", exact=False).first.check()
    page.get_by_label("What we offer").fill("Joint pilots, study visits and partner search in the Baltic Sea region.")
    page.get_by_label("Phone").fill(PHONES[email])
    if email == JANIS[0]:
        page.get_by_label("LinkedIn").fill(JANIS_LINKEDIN)
    assert page.get_by_role("link", name="privacy notice").count() == 1
    page.get_by_label("List me in the participant directory and let other participants contact me").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"**/events/{event_id}/participants")
    assert "You are registered" in flash_text(page)


def test_sign_up_register_request_accept_agenda_and_ics(site, new_page):
    anna, janis = new_page(), new_page()
    sign_up(anna, ANNA[0], ANNA[1])
    sign_up(janis, JANIS[0], JANIS[1])
    log_in(anna, ANNA[0], PASSWORD)
    check_accessibility(anna, "event list")
    confirm_address(site, anna, ANNA[0])
    log_in(janis, JANIS[0], PASSWORD)
    confirm_address(site, janis, JANIS[0])
    register_for_event(anna, site.event_id, ANNA[2], ANNA[3], ANNA[0])
    register_for_event(janis, site.event_id, JANIS[2], JANIS[3], JANIS[0])

    # Anna finds Jānis: country and type filters narrow the directory, then the search box.
    anna.goto(f"/events/{site.event_id}/participants")
    rows = anna.locator("table.list tbody tr")
    everyone = rows.count()
    anna.get_by_label("Country").select_option(label="Latvia")
    anna.get_by_label("Type").select_option(label="Cluster organisation")
    anna.get_by_role("button", name="Filter").click()
    anna.wait_for_url(re.compile(r"country=LV"))
    assert rows.count() < everyone
    results = " ".join(rows.all_inner_texts())
    assert JANIS[2] in results
    assert "Rīga Technical University" not in results  # Latvian, but a university
    assert "Klaster Morski Pomorskie" not in results  # a cluster, but Polish
    anna.get_by_role("searchbox", name="Search").fill("Kurzeme")
    anna.get_by_role("button", name="Filter").click()
    anna.wait_for_url(re.compile(r"q=Kurzeme"))
    assert rows.count() == 1
    check_accessibility(anna, "directory")
    screenshot(anna, "directory")
    anna.get_by_role("link", name=JANIS[2]).click()
    anna.get_by_role("heading", level=1, name=JANIS[2]).wait_for()
    check_accessibility(anna, "participant profile")
    profile = anna.locator("main").inner_text()
    assert "Contact details appear here once you both have a meeting." in profile
    assert PHONES[JANIS[0]] not in profile and JANIS[0] not in profile
    anna.get_by_label("Message").fill("Labdien! Shall we talk about a joint Interreg proposal?")
    anna.get_by_role("button", name="Send request").click()
    anna.wait_for_url(f"**/events/{site.event_id}/requests")
    assert f"Your request was sent to {JANIS[1]}" in flash_text(anna)
    check_accessibility(anna, "requests (sent)")

    # Jānis accepts.
    janis.goto(f"/events/{site.event_id}/requests")
    check_accessibility(janis, "requests (received)")
    row = janis.locator("tr", has_text=ANNA[1])
    row.get_by_role("button", name="Accept").click()
    janis.wait_for_url(f"**/events/{site.event_id}/agenda")
    assert "Accepted. The meeting is in your agenda." in flash_text(janis)

    with site.app.app_context():
        names = {p.id: p.name for p in db.session.scalars(select(Participant).where(
            Participant.event_id == site.event_id))}
        meeting = next(m for m in db.session.scalars(select(Meeting).where(Meeting.event_id == site.event_id))
                       if {names[m.participant_a_id], names[m.participant_b_id]} == {ANNA[1], JANIS[1]})
        starts_at, table = meeting.slot.starts_at, meeting.table.name
        db.session.remove()
    local = to_local(starts_at, EVENT_TZ)
    assert table in TABLES
    assert (local.date().isoformat(), local.hour) >= ("2030-05-20", 9), local  # the Riga time, not UTC
    when = format_datetime(local, "EEE d MMM, HH:mm", locale="en")

    # Both agendas show the meeting with its table and local time.
    for page, partner in ((janis, ANNA), (anna, JANIS)):
        page.goto(f"/events/{site.event_id}/agenda")
        page.get_by_role("heading", name="My agenda").wait_for()
        entry = page.locator("table.list tbody tr", has_text=partner[1])
        assert entry.count() == 1
        text = entry.inner_text()
        assert when in text and table in text and partner[2] in text, text
        assert "Times in Europe/Riga" in page.locator("main").inner_text()
    check_accessibility(anna, "agenda")
    screenshot(anna, "agenda")

    # Now that they meet, each sees the other's contact details on the meeting's page.
    anna.locator("table.list tbody tr", has_text=JANIS[1]).get_by_role("link").first.click()
    contacts = anna.locator("#contacts")
    contacts.wait_for()
    text = contacts.inner_text()
    assert JANIS[0] in text and PHONES[JANIS[0]] in text and JANIS_LINKEDIN in text, text
    check_accessibility(anna, "meeting page")
    anna.goto(f"/events/{site.event_id}/agenda")

    # The .ics download parses, and its meeting starts at the slot's instant.
    with anna.expect_download() as info:
        anna.get_by_role("link", name="Download (.ics)").click()
    body = Path(info.value.path()).read_bytes()
    calendar = icalendar.Calendar.from_ical(body)
    events = [c for c in calendar.walk("VEVENT")
              if JANIS[1] in str(c.get("SUMMARY", "")) + str(c.get("DESCRIPTION", ""))]
    assert len(events) == 1, body.decode()[:2000]
    start = events[0].decoded("DTSTART")
    assert start.tzinfo is not None
    assert start.astimezone(UTC).replace(tzinfo=None) == starts_at
    assert JANIS[0] in str(events[0]["DESCRIPTION"]) and PHONES[JANIS[0]] in str(events[0]["DESCRIPTION"])
    assert EVENT_NAME in body.decode() or table in body.decode()
