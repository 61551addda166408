"""The event's look in a real browser: an organiser uploads a logo (a PNG made here by Pillow), is told a
too-light accent colour cannot be read and picks a darker one; the event's page shows the logo, the
banner and the colour; a participant uploads their organisation's logo. Every page passes axe."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw

from matchmaking.extensions import db
from matchmaking.models import User
from tests.factories import make_event, make_user, register

from .conftest import check_accessibility, flash_text, log_in, screenshot


def _png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", size, (255, 255, 255))
    ImageDraw.Draw(image).ellipse((size[0] // 8, size[1] // 8, size[0] * 7 // 8, size[1] * 7 // 8), fill=colour)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _send_look(page, accent: str) -> None:
    """The look form with a logo and a banner made here, and ``accent`` picked."""
    page.get_by_label("Event logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": _png((800, 800), (30, 107, 54))})
    page.get_by_label("Banner").set_input_files(
        {"name": "banner.png", "mimeType": "image/png", "buffer": _png((2400, 500), (11, 92, 173))})
    page.get_by_label("Accent colour").fill(accent)
    page.get_by_role("button", name="Save").click()


def _event(site) -> int:
    with site.app.app_context():
        organiser = db.session.query(User).filter_by(email=site.organiser_email).one()
        event = make_event(organiser, name="Łomża Wood and Furniture Days")
        register(make_user("look.ilze@e2e.example.org", "Ilze Bērziņa"), event, organisation="Rokavaldīna SIA",
                 country="LV")
        db.session.commit()
        event_id = event.id
        db.session.remove()
        return event_id


def test_an_organiser_gives_the_event_its_look_and_a_participant_their_logo(site, new_page):
    event_id = _event(site)
    page = new_page()
    log_in(page, site.organiser_email)
    page.goto(f"/organiser/events/{event_id}")
    page.get_by_role("link", name="Look", exact=True).click()
    page.wait_for_url(f"**/organiser/events/{event_id}/look")
    check_accessibility(page, "the event's look")

    _send_look(page, "#ffcc00")
    assert "The colour #ffcc00 has a contrast of 1.4:1" in flash_text(page)
    check_accessibility(page, "a refused accent colour")

    _send_look(page, "#1e6b36")  # the pictures again: a refused form keeps no file
    assert "The event's look is saved." in flash_text(page)

    page.goto(f"/events/{event_id}")
    logo = page.get_by_role("img", name="Logo of Łomża Wood and Furniture Days")
    banner = page.get_by_role("img", name="Banner of Łomża Wood and Furniture Days")
    assert logo.is_visible() and banner.is_visible()
    assert page.evaluate("(img) => img.naturalWidth", logo.element_handle()) == 400  # shrunk from 800
    assert page.evaluate("(img) => img.naturalWidth", banner.element_handle()) == 1600
    accent = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
    assert accent == "#1e6b36"
    check_accessibility(page, "the event's page with its look")
    screenshot(page, "event-look")

    participant = new_page()
    log_in(participant, "look.ilze@e2e.example.org")
    participant.goto(f"/events/{event_id}/profile")
    participant.get_by_label("Your organisation's logo").set_input_files(
        {"name": "rokavaldina.png", "mimeType": "image/png", "buffer": _png((300, 200), (164, 22, 26))})
    participant.get_by_role("button", name="Upload the logo").click()
    assert "Your logo is saved." in flash_text(participant)
    check_accessibility(participant, "the profile with a logo")
    participant.goto(f"/events/{event_id}/participants")
    assert participant.get_by_role("img", name="Logo of Rokavaldīna SIA").is_visible()
    check_accessibility(participant, "the directory with logos")
