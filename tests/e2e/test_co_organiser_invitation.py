"""An organiser invites a co-organiser by e-mail; the invited person signs up from the link and accepts."""
from __future__ import annotations

import re

from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.mail.compose import compose
from matchmaking.models import OutboxMessage

from .conftest import check_accessibility, flash_text, log_in

INVITED = "ruta.invited@e2e.example.org"


def _link_in_mail(site) -> str:
    """The path of the link in the invitation e-mail, as the sender would compose it."""
    with site.app.app_context():
        row = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "organiser_invitation",
                                                             OutboxMessage.to_email == INVITED)).one()
        body = compose(row).get_body(("plain",)).get_content()
        db.session.remove()
    return re.search(r"https?://\S+?(/organiser-invitations/[0-9a-f]+)\s", body).group(1)


def test_an_invited_person_signs_up_from_the_link_and_becomes_an_organiser(site, new_page):
    organiser = new_page()
    log_in(organiser, site.organiser_email)
    organiser.goto(f"/organiser/events/{site.event_id}")
    invite = organiser.locator("form[action$='/organisers']")
    invite.get_by_label("E-mail of the person to invite").fill(INVITED)
    invite.get_by_role("button", name="Invite organiser").click()
    assert f"Invitation sent to {INVITED}" in flash_text(organiser)
    assert INVITED in organiser.locator(".invitations").inner_text()

    invited = new_page()
    invited.goto(_link_in_mail(site))
    check_accessibility(invited, "invitation page")
    invited.locator("main").get_by_role("link", name="Sign up").click()
    invited.get_by_label("Full name").fill("Rūta Kalniņa")
    invited.get_by_label("E-mail").fill(INVITED.upper())
    invited.get_by_label("Password").fill("a long enough secret")
    invited.get_by_role("button", name="Sign up").click()
    invited.wait_for_url(re.compile(r"/login\?next="))
    invited.get_by_label("E-mail").fill(INVITED)
    invited.get_by_label("Password").fill("a long enough secret")
    invited.locator("main").get_by_role("button", name="Log in").click()
    invited.wait_for_url(re.compile(r"/organiser-invitations/"))
    assert invited.goto(f"/organiser/events/{site.event_id}").status == 404  # not before accepting
    invited.go_back()

    invited.get_by_role("button", name="Accept and become an organiser").click()

    invited.wait_for_url(re.compile(rf"/organiser/events/{site.event_id}$"))
    assert "You are now an organiser of" in flash_text(invited)
    organiser.reload()
    assert organiser.locator(".invitations").count() == 0  # no longer waiting
    assert "Rūta Kalniņa" in organiser.locator("main").inner_text()
