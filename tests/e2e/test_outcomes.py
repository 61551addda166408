"""After the meeting: Anna marks it held from her agenda and rates it on its page; months later Jānis
answers the follow-up from the link in his mail, without logging in; the organisers' report counts both."""
from __future__ import annotations

from datetime import date, time

from matchmaking.extensions import db
from matchmaking.models import User
from matchmaking.models.base import utcnow
from matchmaking.services import meetings, outcomes
from tests.factories import make_event, make_user, register

from .conftest import check_accessibility, flash_text, log_in, mailed_link, screenshot

DAY = date(2025, 3, 10)  # a past day: its meeting can be answered, and its follow-up day has come


def _past_meeting(site) -> dict:
    with site.app.app_context():
        organiser = db.session.query(User).filter_by(email=site.organiser_email).one()
        event = make_event(organiser, name="Liepāja Outcomes Day", timezone="Europe/Riga", day=DAY,
                           sessions=((time(9, 0), time(9, 30)),), tables=1)
        anna = register(make_user("outcome.anna@e2e.example.org", "Anna Wiśniewska"), event,
                        organisation="Klaster Łomża", country="PL")
        janis = register(make_user("outcome.janis@e2e.example.org", "Jānis Bērziņš"), event,
                         organisation="Rokavaldīna SIA", country="LV", region="Kurzeme")
        request = meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        meeting = meetings.accept_request(recipient=janis, request_id=request.id)
        db.session.commit()
        ids = {"event": event.id, "meeting": meeting.id}
        db.session.remove()
        return ids


def test_held_and_rated_from_the_agenda_follow_up_without_login_and_the_report_counts_it(site, new_page):
    ids = _past_meeting(site)
    anna = new_page()
    log_in(anna, "outcome.anna@e2e.example.org")

    # One tap on the agenda, then the rating and a comment for the organisers on the meeting's page.
    anna.goto(f"/events/{ids['event']}/agenda")
    check_accessibility(anna, "agenda with the after-meeting prompt")
    screenshot(anna, "outcome-agenda")  # the prompt fits a phone's width
    anna.get_by_role("button", name="It took place: Jānis Bērziņš").click()
    assert "your answer is saved" in flash_text(anna)
    anna.get_by_role("link", name="Rate it or change your answer").click()
    anna.get_by_label("How useful was it?").select_option("cooperation_possible")
    anna.get_by_label("Comment for the organisers").fill("Rokavaldīna wants samples by June")
    anna.locator("main").get_by_role("button", name="Save").click()
    assert "your answer is saved" in flash_text(anna)
    check_accessibility(anna, "meeting page with the answers")

    # Months later: the follow-up mail's link works in a browser that never logged in.
    with site.app.app_context():
        assert outcomes.queue_followups(now=utcnow()) >= 2
        db.session.commit()
    link = mailed_link(site, "followup", "outcome.janis@e2e.example.org")
    janis = new_page()
    janis.goto(link)
    check_accessibility(janis, "follow-up link page")
    screenshot(janis, "outcome-follow-up")
    janis.get_by_label("Cooperation agreement reached").check()
    janis.get_by_label("Type of agreement").select_option("joint_venture")
    janis.get_by_label("What the agreement brings, in a sentence").fill("Kopīgs uzņēmums mēbeļu eksportam")
    janis.get_by_role("button", name="Send my answer").click()
    assert "your answer is saved" in flash_text(janis)
    assert "/login" not in janis.url

    # The organisers' report counts the held meeting, the rating and the agreement.
    organiser = new_page()
    log_in(organiser, site.organiser_email)
    organiser.goto(f"/organiser/events/{ids['event']}/outcomes")
    check_accessibility(organiser, "outcome report")
    assert organiser.locator("#held-count").inner_text() == "1"
    assert "Cooperation agreement reached\t1" in organiser.locator("#followup-answers").inner_text()
    assert "Klaster Łomża — Rokavaldīna SIA" in organiser.locator("main").inner_text()
    organiser.goto(f"/organiser/events/{ids['event']}/meetings/{ids['meeting']}")
    assert "Rokavaldīna wants samples by June" in organiser.locator("#outcomes").inner_text()


def test_the_demo_events_outcome_report_and_an_agreement_statement(site, new_page):
    page = new_page()
    log_in(page, site.demo_organiser_email, "demo-password-2026")
    page.goto(f"/organiser/events/{site.demo_event_id}/outcomes")
    check_accessibility(page, "demo outcome report")
    screenshot(page, "demo-outcomes")
    assert int(page.locator("#held-count").inner_text()) > 0

    page.get_by_role("link", name="Print the statement").first.click()
    check_accessibility(page, "agreement statement")
    assert "Statement of a cooperation agreement" in page.locator("h1").inner_text()
