"""Organisers give their texts in several languages; each reader gets theirs, or the original."""
from __future__ import annotations

from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Event
from tests.factories import make_user


def test_event_name_and_description_in_the_readers_language_with_fallback(app, browser):
    with app.app_context():
        make_user("org@example.org", organiser=True)
        db.session.commit()
    browser.login("org@example.org")
    browser.post("/organiser/events/new", {
        "name": "Social Economy Fair", "name_pl": "Targi Ekonomii Społecznej",
        "name_lv": "Sociālās ekonomikas gadatirgus",
        "description": "Stands and meetings", "description_pl": "Stoiska i spotkania", "description_lv": "",
        "timezone": "Europe/Warsaw"})
    with app.app_context():
        event = db.session.scalar(select(Event))
        assert event.translations == {"pl": {"name": "Targi Ekonomii Społecznej", "description": "Stoiska i spotkania"},
                                      "lv": {"name": "Sociālās ekonomikas gadatirgus"}}
        event_id = event.id

    pages = {}
    for code in ("en", "pl", "lv"):
        browser.post("/language", {"locale": code, "next": "/"})
        pages[code] = browser.get(f"/events/{event_id}").get_data(as_text=True)

    assert "<h1>Social Economy Fair</h1>" in pages["en"] and "Stands and meetings" in pages["en"]
    assert "<h1>Targi Ekonomii Społecznej</h1>" in pages["pl"] and "Stoiska i spotkania" in pages["pl"]
    assert "<h1>Sociālās ekonomikas gadatirgus</h1>" in pages["lv"]
    assert "Stands and meetings" in pages["lv"]  # no Latvian description given: the original
    edit = browser.get(f"/organiser/events/{event_id}/edit").get_data(as_text=True)
    assert 'value="Targi Ekonomii Społecznej"' in edit
