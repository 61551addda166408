"""Requesting and accepting a meeting with the keyboard alone: Tab reaches every control, Enter submits."""
from __future__ import annotations

from matchmaking.extensions import db
from matchmaking.models import Event
from tests.factories import make_user, register

from .conftest import flash_text, log_in

ACTIVE = """() => { const e = document.activeElement; const s = getComputedStyle(e);
    return {tag: e.tagName, name: e.getAttribute('name') || '', text: (e.innerText || e.value || '').trim(),
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }"""


def tab_to(page, button_text: str, *, on_the_way=None, limit: int = 80) -> list[dict]:
    """Press Tab until the button with this text has the focus; returns every element focused on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        seen.append(active)
        if on_the_way:
            on_the_way(active)
        if active["tag"] == "BUTTON" and active["text"] == button_text:
            assert active["outline"], f"the focused {button_text!r} button has no visible focus outline"
            return seen
    raise AssertionError(f"Tab never reached the {button_text!r} button; focus went through "
                         + ", ".join(f"{a['tag']} {a['name'] or a['text'][:20]}" for a in seen))


def test_request_and_accept_with_the_keyboard_only(site, new_page):
    with site.app.app_context():
        event = db.session.get(Event, site.event_id)
        register(make_user("keys.a@e2e.example.org", "Jüri Tamm"), event, organisation="Tallinn ICT Cluster",
                 country="EE")
        other = register(make_user("keys.b@e2e.example.org", "Inese Liepiņa"), event,
                         organisation="Latgale Creative Industries Cluster", country="LV")
        db.session.commit()
        other_id = other.id
        db.session.remove()

    requester = new_page()
    log_in(requester, "keys.a@e2e.example.org")
    requester.goto(f"/events/{site.event_id}/participants/{other_id}")
    typed = []

    def type_message(active):
        if active["tag"] == "TEXTAREA" and active["name"] == "message" and not typed:
            requester.keyboard.type("Tere! Shall we meet about creative industries?")
            typed.append(True)

    tab_to(requester, "Send request", on_the_way=type_message)
    assert typed, "Tab never reached the message field"
    with requester.expect_navigation():
        requester.keyboard.press("Enter")
    assert requester.url.endswith(f"/events/{site.event_id}/requests")
    assert "Your request was sent to Inese Liepiņa" in flash_text(requester)

    recipient = new_page()
    log_in(recipient, "keys.b@e2e.example.org")
    recipient.goto(f"/events/{site.event_id}/requests")
    assert "Shall we meet about creative industries?" in recipient.locator("main").inner_text()
    tab_to(recipient, "Accept")
    with recipient.expect_navigation():
        recipient.keyboard.press("Enter")
    assert recipient.url.endswith(f"/events/{site.event_id}/agenda")
    assert "Accepted. The meeting is in your agenda." in flash_text(recipient)
    assert recipient.locator("table.list tbody tr", has_text="Jüri Tamm").count() == 1
