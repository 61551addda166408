"""The day itself: an organiser prints the badges, scans one (a picture of the printed badge, then a QR
image made apart from the app; and with a camera), and marks a no-show from the flag of a participant
who never came."""
from __future__ import annotations

import io
from datetime import date, datetime, time

import segno

from matchmaking.extensions import db
from matchmaking.models import Event, Meeting, Participant, User
from matchmaking.services import meetings
from tests.factories import make_event, make_user, register

from .conftest import (
    CHROMIUM_ARGS,
    SCREENSHOTS,
    VIEWPORTS,
    check_accessibility,
    chromium_path,
    flash_text,
    log_in,
    screenshot,
)

DAY = date(2025, 3, 10)  # a past day: its meetings can be marked; Riga is UTC+2 then
QUARTER_PAST_NINE = datetime(2025, 3, 10, 7, 15)  # 09:15 in Riga, the meeting began at 09:00


def _day_with_a_meeting(site) -> dict:
    with site.app.app_context():
        organiser = db.session.query(User).filter_by(email=site.organiser_email).one()
        event = make_event(organiser, name="Riga Check-in Day", timezone="Europe/Riga", day=DAY,
                           sessions=((time(9, 0), time(9, 30)),), tables=2)
        anna = register(make_user("checkin.anna@e2e.example.org", "Anna Wiśniewska"), event,
                        organisation="Klaster Łomża", country="PL")
        janis = register(make_user("checkin.janis@e2e.example.org", "Jānis Bērziņš"), event,
                         organisation="Rokavaldīna SIA", country="LV")
        request = meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        meeting = meetings.accept_request(recipient=janis, request_id=request.id)
        db.session.commit()
        ids = {"event": event.id, "anna": anna.id, "janis": janis.id, "meeting": meeting.id,
               "anna_token": anna.checkin_token}
        db.session.remove()
        return ids


def _png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def test_badges_printed_a_badge_scanned_and_a_no_show_marked(site, new_page, monkeypatch):
    ids = _day_with_a_meeting(site)
    for clock in ("matchmaking.services.checkin.utcnow", "matchmaking.web.organiser.meetings.utcnow"):
        monkeypatch.setattr(clock, lambda: QUARTER_PAST_NINE)  # the day of the meeting, 09:15
    base = f"/organiser/events/{ids['event']}"
    page = new_page()
    log_in(page, site.organiser_email)

    # The badges: eight to a page, each with the name, organisation, country and QR code.
    page.goto(f"{base}/print/badges")
    badge = page.locator(f"#badge-{ids['anna']}")
    assert "Anna Wiśniewska" in badge.inner_text() and "Klaster Łomża" in badge.inner_text()
    assert "Poland" in badge.inner_text()
    assert page.locator(".badge").count() == 2 and page.locator(".badge svg.qr").count() == 2
    check_accessibility(page, "badges")
    page.emulate_media(media="print")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "badges-print.png"), full_page=True)  # for a person to look at
    printed_badge = badge.screenshot()  # the badge as printed is what the camera sees
    page.emulate_media(media="screen")

    # The scan page reads the photo of the printed badge and checks Anna in.
    page.goto(f"{base}/checkin")
    check_accessibility(page, "check-in scan page")
    assert "0 of 2 participants checked in." in page.locator("main").inner_text()
    page.locator("#badge-photo").set_input_files(files=[{"name": "badge.png", "mimeType": "image/png",
                                                         "buffer": printed_badge}])
    result = page.locator(".scan-result.ok")
    result.wait_for()
    assert "Anna Wiśniewska is checked in." in result.inner_text()
    assert "Klaster Łomża (PL)" in result.inner_text()
    assert "1 of 2 participants checked in." in page.locator("main").inner_text()
    screenshot(page, "checkin-scanned")

    # A second helper's scan of the same code (a QR image made apart from the app): already checked in.
    code = f"{site.url}{base}/checkin/{ids['anna_token']}"
    page.locator("#badge-photo").set_input_files(files=[{"name": "qr.png", "mimeType": "image/png",
                                                         "buffer": _png(code)}])
    already = page.locator(".scan-result.already")
    already.wait_for()
    assert "Anna Wiśniewska was already checked in at 09:15." in already.inner_text()
    with site.app.app_context():
        assert db.session.get(Participant, ids["anna"]).checked_in_at == QUARTER_PAST_NINE
        assert db.session.get(Participant, ids["janis"]).checked_in_at is None

    # Jānis never came: his meeting is flagged in the grid and the list, and marked a no-show from there.
    page.goto(f"{base}/grid")
    assert page.locator("td.late").count() == 1
    page.goto(f"{base}/meetings")
    flagged = page.locator("tr", has_text="Not checked in: Jānis Bērziņš")
    assert flagged.count() == 1
    check_accessibility(page, "meetings with a flag")
    flagged.get_by_role("button", name="Mark as no-show").click()
    page.locator(".flash").wait_for()
    assert "Attendance recorded." in flash_text(page)
    assert page.locator("tr", has_text="Not checked in").count() == 0
    with site.app.app_context():
        assert db.session.get(Meeting, ids["meeting"]).attendance == "no_show"
        db.session.remove()


def test_the_scan_page_says_when_a_picture_has_no_code_or_another_events(site, new_page):
    with site.app.app_context():
        other = db.session.get(Event, site.demo_event_id)
        stranger_token = db.session.query(Participant).filter_by(event_id=other.id).first().checkin_token
        db.session.remove()
    page = new_page()
    log_in(page, site.organiser_email)
    page.goto(f"/organiser/events/{site.event_id}/checkin")

    page.locator("#badge-photo").set_input_files(files=[{"name": "blank.png", "mimeType": "image/png",
                                                         "buffer": _blank_png()}])
    page.locator(".scan-result.error").wait_for()
    assert "No QR code found in this picture" in page.locator(".scan-result").inner_text()

    page.locator("#badge-photo").set_input_files(files=[{"name": "other.png", "mimeType": "image/png",
                                                         "buffer": _png(stranger_token)}])
    page.locator(".scan-result.error", has_text="not a badge of this event").wait_for()


def _blank_png() -> bytes:
    """A white picture with no code in it (a QR code's PNG with every dark module turned light)."""
    out = io.BytesIO()
    segno.make("x").save(out, kind="png", scale=8, dark="white", light="white")
    return out.getvalue()


def _y4m(text: str, path, *, width: int = 640, height: int = 480, frames: int = 10) -> None:
    """A short video (YUV4MPEG2, which Chromium's fake camera plays in a loop) of a QR code on white."""
    rows = list(segno.make(text, error="m").matrix_iter(scale=8, border=4))
    top, left = (height - len(rows)) // 2, (width - len(rows[0])) // 2
    luma = bytearray(b"\xeb" * (width * height))
    for y, row in enumerate(rows):
        line = bytes(0x10 if dark else 0xeb for dark in row)
        start = (top + y) * width + left
        luma[start:start + len(line)] = line
    chroma = b"\x80" * (width // 2 * height // 2)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F5:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def test_the_camera_reads_a_badge_held_up_to_it(site, chromium, csp_watch, tmp_path):
    with site.app.app_context():
        event = db.session.get(Event, site.event_id)
        kadri = register(make_user("checkin.kadri@e2e.example.org", "Kadri Tamm"), event,
                         organisation="Tartu Food Cluster", country="EE")
        db.session.commit()
        kadri_id, token = kadri.id, kadri.checkin_token
        db.session.remove()
    base = f"/organiser/events/{site.event_id}"
    video = tmp_path / "badge.y4m"
    _y4m(f"{site.url}{base}/checkin/{token}", video)
    # A browser of its own: its fake camera films the badge (the shared one has no camera at all).
    camera = chromium.browser_type.launch(executable_path=chromium_path(), args=[
        *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = camera.new_context(base_url=site.url, viewport=VIEWPORTS["phone"], permissions=["camera"])
        context.set_default_timeout(15_000)
        csp_watch.watch(context)
        page = context.new_page()
        log_in(page, site.organiser_email)
        page.goto(f"{base}/checkin")
        page.get_by_role("button", name="Start the camera").click()
        result = page.locator(".scan-result.ok")
        result.wait_for()
        assert "Kadri Tamm is checked in." in result.inner_text()
        assert page.locator("video").is_visible()
    finally:
        camera.close()
    assert csp_watch.violations == []
    with site.app.app_context():
        assert db.session.get(Participant, kadri_id).checked_in_at is not None
        db.session.remove()
