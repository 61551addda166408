"""Line breaks and other control characters never get into one-line values (names, titles), where
they would break e-mail headers; non-ASCII digits in ids are refused rather than crashing."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from matchmaking.extensions import db
from matchmaking.models import Participant, User
from matchmaking.services import accounts, registration
from matchmaking.services.errors import ServiceError
from tests.snapshots import db_snapshot
from tests.test_bad_input import messages
from tests.test_people import HEADER, _upload

ONE_LINE = "Use one line, without line breaks or tabs."


@pytest.mark.parametrize("name", ["Eve\r\nBcc: everyone@example.org", "Eve\tTab", "Eve\x1b[31m"])
def test_sign_up_refuses_a_name_with_control_characters(app, browser, name):
    page = browser.post("/signup", {"name": name, "email": "eve@example.org", "password": "correct horse battery",
                                    "locale": "en"})

    assert page.status_code == 200 and ONE_LINE in messages(page)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        with pytest.raises(ServiceError):  # the service refuses too, whoever calls it
            accounts.sign_up(name=name, email="eve@example.org", password="correct horse battery")


def test_profile_form_refuses_a_line_break_and_keeps_what_was_typed(app, pair, make_browser):
    event_id, _a, _b = pair
    browser = make_browser()
    browser.login("a@example.org")
    before = db_snapshot(app)

    page = browser.post(f"/events/{event_id}/profile", {
        "organisation_name": "Klaster\nŁomża", "organisation_type": "cluster", "country": "PL",
        "meeting_mode": "onsite", "offer": "Two lines\nare fine here"})

    assert page.status_code == 200 and ONE_LINE in messages(page)
    assert "are fine here" in html.unescape(page.get_data(as_text=True))
    assert db_snapshot(app) == before


def test_the_service_refuses_a_control_character_in_a_profile(app, pair):
    _event_id, a, _b = pair
    with app.app_context():
        me = db.session.get(Participant, a)
        profile = registration.Profile.of(me)
        with pytest.raises(ServiceError, match="one line"):
            registration.update_profile(participant=me, profile=profile.__class__(
                **{**profile.__dict__, "region": "Podlaskie\r\nX-Header: 1"}))


def test_an_import_row_with_a_line_break_in_a_name_is_an_error(app, pair, make_browser):
    event_id, _a, _b = pair
    organiser = make_browser()
    organiser.login("org@example.org")
    csv_text = HEADER + '\n"Żaneta\nWójcik",zaneta@example.org,Spółdzielnia Żuraw,social_cooperative,PL,,,,,,onsite'

    page = _upload(organiser, event_id, "people.csv", csv_text.encode()).get_data(as_text=True)

    assert "name: use one line, without line breaks or tabs" in page


@pytest.mark.parametrize("url", ["/organiser/events/{event}/print/participants?participant=²",
                                 "/organiser/events/{event}/print/tables?table=١٢"])
def test_non_ascii_digits_in_an_id_are_a_404_not_an_error(app, pair, make_browser, url):
    event_id, _a, _b = pair
    organiser = make_browser()
    organiser.login("org@example.org")
    assert organiser.get(url.format(event=event_id)).status_code == 404


def test_non_ascii_digits_in_a_page_number_fall_back_to_the_first_page(app, pair, make_browser):
    event_id, _a, _b = pair
    browser = make_browser()
    browser.login("a@example.org")
    assert browser.get(f"/events/{event_id}/participants?page=²").status_code == 200
