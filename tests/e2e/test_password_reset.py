"""A person who forgot their password asks for a link, reads it in the mail, sets a new password and is in."""
from __future__ import annotations

from tests.factories import make_user

from .conftest import check_accessibility, flash_text, log_in, mailed_link

EMAIL, NAME = "forgetful@e2e.example.org", "Rūta Aizmārša"
NEW_PASSWORD = "seven amber ferries north"


def test_forgotten_password_reset_by_mailed_link(site, new_page):
    with site.app.app_context():
        from matchmaking.extensions import db

        make_user(EMAIL, NAME)
        db.session.commit()
        db.session.remove()
    elsewhere = new_page()
    log_in(elsewhere, EMAIL)  # a session on another device, which the reset ends

    page = new_page()
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    check_accessibility(page, "forgot-password page")
    page.get_by_label("E-mail").fill(EMAIL)
    page.locator("main").get_by_role("button", name="Send the link").click()
    page.wait_for_url("**/login")
    assert "we have sent it a link" in flash_text(page)

    page.goto(mailed_link(site, "password_reset", EMAIL))
    check_accessibility(page, "set-password page")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("The new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password and log in").click()
    page.wait_for_url(site("/"))
    assert "Your password is set and you are logged in" in flash_text(page)
    assert NAME in page.locator("header").inner_text()

    elsewhere.goto("/calendar")
    assert "/login" in elsewhere.url  # the other device was logged out

    fresh = new_page()
    log_in(fresh, EMAIL, NEW_PASSWORD)
    assert NAME in fresh.locator("header").inner_text()
