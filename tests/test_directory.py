"""Finding partners: search, filters, pagination, profile page."""
from __future__ import annotations

import re

import pytest

from matchmaking.extensions import db
from tests.factories import make_event, make_user, register


@pytest.fixture
def event_id(app):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser)
        register(make_user("me@example.org", "Paweł Zieliński"), event, organisation="Bydgoski Klaster Przemysłowy",
                 region="Kujawsko-Pomorskie", sectors=("manufacturing",))
        register(make_user("lv@example.org", "Līga Ozoliņa"), event, organisation="Vidzemes Pārtikas klasteris",
                 country="LV", region="Vidzeme", organisation_type="cluster", sectors=("agrifood",),
                 offer="Pārtikas testēšanas laboratorija")
        register(make_user("coop@example.org", "Żaneta Wójcik"), event, organisation="Spółdzielnia Socjalna Żuraw",
                 organisation_type="social_cooperative", region="Podlaskie", sectors=("social_economy",),
                 seek="Odbiorców usług cateringowych w Łomży")
        for i in range(25):
            register(make_user(f"de{i}@example.org", f"Jörg Müller {i}"), event,
                     organisation=f"Hamburg Cluster {i:02d}", country="DE", region="Hamburg", sectors=("maritime",))
        db.session.commit()
        return event.id


@pytest.fixture
def me(browser, event_id):
    browser.login("me@example.org")
    return browser


def _names(page) -> list[str]:
    return re.findall(r'<td><a href="/events/\d+/participants/\d+">([^<]+)</a>', page.get_data(as_text=True))


@pytest.mark.parametrize(("query", "expected"), [
    ("q=łomży", ["Spółdzielnia Socjalna Żuraw"]),
    ("q=lomzy", ["Spółdzielnia Socjalna Żuraw"]),
    ("q=ZURAW", ["Spółdzielnia Socjalna Żuraw"]),
    ("q=partikas laboratorija", ["Vidzemes Pārtikas klasteris"]),
    ("q=liga", ["Vidzemes Pārtikas klasteris"]),
    ("country=LV", ["Vidzemes Pārtikas klasteris"]),
    ("type=social_cooperative", ["Spółdzielnia Socjalna Żuraw"]),
    ("sector=manufacturing", ["Bydgoski Klaster Przemysłowy"]),
    ("country=PL&sector=agrifood", []),
    ("q=100%25", []),
])
def test_directory_search_and_filters(me, event_id, query, expected):
    assert _names(me.get(f"/events/{event_id}/participants?{query}")) == expected


def test_directory_pages_through_participants(me, event_id):
    first = _names(me.get(f"/events/{event_id}/participants?country=DE"))
    second_page = me.get(f"/events/{event_id}/participants?country=DE&page=2")

    assert first == [f"Hamburg Cluster {i:02d}" for i in range(20)]
    assert _names(second_page) == [f"Hamburg Cluster {i:02d}" for i in range(20, 25)]
    assert "Page 2 of 2" in second_page.get_data(as_text=True)
    assert "25 participants" in second_page.get_data(as_text=True)


def test_profile_page_shows_offer_and_request_form(me, event_id, app):
    with app.app_context():
        from matchmaking.models import Participant

        lv_id = db.session.scalar(db.select(Participant.id).where(Participant.country == "LV"))

    page = me.get(f"/events/{event_id}/participants/{lv_id}").get_data(as_text=True)

    assert "Pārtikas testēšanas laboratorija" in page and "Līga Ozoliņa" in page
    assert "Request a meeting" in page and "Latvia" in page
