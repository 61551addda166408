"""The header's language switcher turns the agenda Polish and Latvian."""
from __future__ import annotations

from pathlib import Path

from babel.dates import format_datetime
from babel.support import Translations

from matchmaking.extensions import db
from matchmaking.models import Meeting
from matchmaking.services.timezones import to_local

from .conftest import EVENT_TZ, check_accessibility, log_in, make_meeting

TRANSLATIONS = Path(__file__).resolve().parents[2] / "matchmaking" / "translations"
MONTH = {"pl": "maj", "lv": "maijs"}  # May, abbreviated in a date, in Babel's Polish and Latvian
WEEKDAY = {"pl": "pon.", "lv": "pirmd."}  # Monday


def catalogue_translation(locale: str, message: str) -> str | None:
    """The translator's text from the compiled catalogue the app uses, or None while it has none."""
    compiled = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo"
    if not compiled.exists():
        return None
    translated = Translations.load(str(TRANSLATIONS), [locale]).gettext(message)
    return translated if translated != message else None


def assert_my_agenda_heading_is_translated(page, locale: str) -> None:
    """The "My agenda" heading in the chosen language: the catalogue's translation as soon as there is one.

    While matchmaking/translations/<locale> has no translation for it, the page must show the English
    text (Flask-Babel's fallback); once the catalogue is in, exactly the translator's text.
    """
    heading = page.locator("main h2").first.inner_text().strip()
    expected = catalogue_translation(locale, "My agenda")
    assert heading == (expected or "My agenda"), (locale, heading, expected)
    if expected:
        assert heading != "My agenda"


def switch_language(page, code: str) -> None:
    page.locator("#language-switch").select_option(code)
    with page.expect_navigation():
        page.locator("header form.language").get_by_role("button").click()


def test_switch_the_agenda_to_polish_and_latvian(site, new_page):
    meeting_id = make_meeting(site, ("lang.a@e2e.example.org", "Małgorzata Dąbrowska", "Klaster ICT Pomorskie", "PL"),
                              ("lang.b@e2e.example.org", "Līga Kalniņa", "Zemgale Food Cluster", "LV"))
    with site.app.app_context():
        starts_at = db.session.get(Meeting, meeting_id).slot.starts_at
        db.session.remove()
    local = to_local(starts_at, EVENT_TZ)

    page = new_page()
    log_in(page, "lang.a@e2e.example.org")
    page.goto(f"/events/{site.event_id}/agenda")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main h2").first.inner_text().strip() == "My agenda"

    for code in ("pl", "lv"):
        switch_language(page, code)
        assert page.url.endswith(f"/events/{site.event_id}/agenda")
        assert page.locator("html").get_attribute("lang") == code
        assert page.locator("#language-switch").input_value() == code
        entry = page.locator("table.list tbody tr", has_text="Līga Kalniņa").inner_text()
        assert format_datetime(local, "EEE d MMM, HH:mm", locale=code) in entry, entry
        assert MONTH[code] in entry and WEEKDAY[code] in entry, entry
        assert_my_agenda_heading_is_translated(page, code)
        check_accessibility(page, f"agenda in {code}")

    switch_language(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "May" in page.locator("table.list tbody tr", has_text="Līga Kalniņa").inner_text()
