"""A participant opens a meeting, adds it to their calendar, and the file their browser saves is that meeting."""
from __future__ import annotations

from pathlib import Path

import icalendar

from .conftest import EVENT_TZ, check_accessibility, log_in, make_meeting, screenshot

KASIA = ("kasia.lomza@e2e.example.org", "Katarzyna Łomżyńska", "Klaster Drzewny Łomża", "PL")
DACE = ("dace.rokavaldina@e2e.example.org", "Dace Rokavaldīna", "Rokavaldīna koka klasteris", "LV")


def test_meeting_page_adds_the_meeting_to_a_calendar(site, new_page):
    meeting_id = make_meeting(site, KASIA, DACE)
    page = new_page()
    log_in(page, KASIA[0])

    page.goto(f"/events/{site.event_id}/meetings/{meeting_id}")
    main = page.locator("main")
    assert "Rokavaldīna koka klasteris" in main.inner_text() and "Latvia" in main.inner_text()
    assert main.get_by_role("link", name="Profile of Dace Rokavaldīna").count() == 1
    assert main.get_by_role("link", name="Google Calendar").get_attribute("href").startswith(
        "https://calendar.google.com/calendar/render?")
    assert "outlook.office.com/calendar/0/deeplink/compose" in main.get_by_role(
        "link", name="Outlook on the web (work or school account)").get_attribute("href")
    check_accessibility(page, "meeting page")
    screenshot(page, "meeting-page")

    with page.expect_download() as download_info:
        main.get_by_role("link", name="Download (.ics)", exact=False).click()
    download = download_info.value
    assert download.suggested_filename == f"meeting-{meeting_id}.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())

    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Meeting: Dace Rokavaldīna (Rokavaldīna koka klasteris)"
    assert str(vevent["uid"]) == f"meeting-{meeting_id}@matchmaking"
    assert vevent["dtstart"].params["TZID"] == EVENT_TZ
