"""A participant looks at their data, downloads it, and deletes their account from the pages."""
from __future__ import annotations

import json
from pathlib import Path

from matchmaking.extensions import db
from matchmaking.models import Meeting, OutboxMessage

from .conftest import check_accessibility, flash_text, log_in, make_meeting

AUSTRA = ("austra.kalnina@e2e.example.org", "Austra Kalniņa", "Latgale Textile Cluster", "LV")
PIOTR = ("piotr.zielinski@e2e.example.org", "Piotr Zieliński", "Pomorskie Food Cooperative", "PL")


def test_looking_at_downloading_and_deleting_ones_data(site, new_page):
    meeting_id = make_meeting(site, AUSTRA, PIOTR)
    page = new_page()
    log_in(page, AUSTRA[0])

    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Your data").click()
    check_accessibility(page, "your data page")
    assert AUSTRA[0] in page.locator("#account").inner_text()
    assert PIOTR[1] in page.locator(".registration").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == AUSTRA[0]
    assert PIOTR[0] not in json.dumps(data)

    page.get_by_role("link", name="Delete my account").click()
    check_accessibility(page, "delete account page")
    page.get_by_label("Your password, to confirm").fill("not the password")
    page.get_by_role("button", name="Delete my account").click()
    assert "The password is not right" in flash_text(page)
    page.get_by_label("Your password, to confirm").fill("correct horse battery")
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(site("/"))
    assert "Your account is deleted" in flash_text(page)
    assert page.get_by_role("link", name="Log in").count() >= 1

    page.goto("/login")
    page.get_by_label("E-mail").fill(AUSTRA[0])
    page.get_by_label("Password").fill("correct horse battery")
    page.locator("main").get_by_role("button", name="Log in").click()
    assert "Wrong e-mail or password" in flash_text(page)
    with site.app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.cancelled_at is not None
        notified = db.session.query(OutboxMessage).filter_by(kind="meeting_cancelled").all()
        assert PIOTR[0] in {m.user.email for m in notified}
        db.session.remove()
