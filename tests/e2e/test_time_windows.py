"""A participant blocks time in the agenda and sends a request for a morning; the other accepts it, and
the meeting lands in the morning outside the blocked time. The block's label is the owner's alone."""
from __future__ import annotations

from matchmaking.extensions import db
from matchmaking.models import Event
from tests.factories import make_user, register

from .conftest import check_accessibility, flash_text, log_in, screenshot

RASA = ("rasa.ozola@e2e.example.org", "Rasa Ozola", "Vidzemes Koka Klasteris", "LV")
TOMASZ = ("tomasz.nowak@e2e.example.org", "Tomasz Nowak", "Podlaska Spółdzielnia Socjalna", "PL")


def _people(site) -> dict[str, int]:
    with site.app.app_context():
        event = db.session.get(Event, site.event_id)
        ids = {}
        for email, name, organisation, country in (RASA, TOMASZ):
            ids[email] = register(make_user(email, name), event, organisation=organisation, country=country).id
        db.session.commit()
        return ids


def test_block_time_in_the_agenda_and_request_a_morning_meeting(site, new_page):
    ids = _people(site)
    rasa, tomasz = new_page(), new_page()
    log_in(rasa, RASA[0])

    # Rasa blocks 09:00-10:00 of the first day (the sessions start at 09:00, in slots of 30 minutes).
    rasa.goto(f"/events/{site.event_id}/agenda")
    card = rasa.locator("#blocked-time")
    card.get_by_label("Day").select_option(label="Mon 20 May")
    card.get_by_label("From").fill("09:00")
    card.get_by_label("To", exact=True).fill("10:00")
    card.get_by_label("Label").fill("Stand duty")
    card.get_by_role("button", name="Block this time").click()
    assert "The time is blocked: no meeting will be placed in it." in flash_text(rasa)
    assert "09:00–10:00: Stand duty" in rasa.locator("#blocked-time").inner_text()
    check_accessibility(rasa, "agenda with blocked time")

    # She asks Tomasz for a meeting in the morning.
    rasa.goto(f"/events/{site.event_id}/participants/{ids[TOMASZ[0]]}")
    rasa.get_by_label("Message").fill("Labdien! Runāsim par koka mēbelēm.")
    rasa.get_by_label("When").select_option(label="Mon 20 May, morning")
    check_accessibility(rasa, "request form with a time window")
    rasa.get_by_role("button", name="Send request").click()
    assert f"Your request was sent to {TOMASZ[1]}." in flash_text(rasa)
    assert "When: Mon 20 May, morning" in rasa.locator("main").inner_text()

    # Tomasz sees the window, keeps it, and accepts.
    log_in(tomasz, TOMASZ[0])
    tomasz.goto(f"/events/{site.event_id}/requests")
    received = tomasz.locator("table.list").first
    assert "When: Mon 20 May, morning" in received.inner_text()
    assert received.get_by_label("When").input_value().endswith(":morning")
    check_accessibility(tomasz, "requests with an accept form")
    screenshot(tomasz, "accept-with-window")
    received.get_by_role("button", name="Accept").click()
    tomasz.wait_for_url("**/agenda")
    assert "Accepted. The meeting is in your agenda." in flash_text(tomasz)
    agenda = tomasz.locator("main").inner_text()
    assert "10:00–10:30" in agenda and RASA[1] in agenda  # the first morning slot outside Rasa's block
    assert "Stand duty" not in agenda

    rasa.goto(f"/events/{site.event_id}/agenda")
    mine = rasa.locator("main").inner_text()
    assert "Stand duty" in mine and "10:00–10:30" in mine and TOMASZ[1] in mine
    screenshot(rasa, "agenda-blocked-time")
