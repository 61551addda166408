"""The event's look and participants' logos through the pages: uploads (CSRF, who may), what is shown,
how the pictures are served, and that deleting a person's data removes their logo."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from matchmaking.extensions import db
from matchmaking.models import Event, Participant, User
from matchmaking.services import personal_data
from tests.factories import PASSWORD
from tests.snapshots import db_snapshot
from tests.test_images import NOT_A_PICTURE, picture
from tests.test_permissions import EMAILS, world  # noqa: F401 (the fixture)

MEDIA_RE = re.compile(r'<img class="logo (?:small|medium)" src="/media/([0-9a-f]{64}\.\w+)" alt="([^"]*)"')


def _upload(data: bytes, name: str = "logo.png"):
    return (io.BytesIO(data), name)


def _files(app) -> set[str]:
    folder = Path(app.config["MEDIA_FOLDER"])
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")} if folder.exists() else set()


@pytest.fixture
def owner(world, make_browser):  # noqa: F811
    browser = make_browser()
    browser.login(EMAILS["owner"])
    return browser


def _look(browser, world, **data):  # noqa: F811
    return browser.post(f"/organiser/events/{world.event}/look", data, content_type="multipart/form-data")


def test_the_organiser_sets_logo_banner_and_accent_and_participants_see_them(app, world, owner, make_browser):  # noqa: F811
    response = _look(owner, world, accent="#1E6B36", logo=_upload(picture("PNG", (800, 400))),
                     banner=_upload(picture("JPEG", (3000, 600)), "banner.jpg"))
    assert response.status_code == 302

    with app.app_context():
        event = db.session.get(Event, world.event)
        assert event.accent_color == "#1e6b36"
        assert event.logo.endswith(".png") and event.banner.endswith(".jpg")
        logo, banner = event.logo, event.banner
    assert _files(app) == {logo, banner}

    anna = make_browser()
    anna.login(EMAILS["anna"])
    page = anna.get(f"/events/{world.event}").get_data(as_text=True)
    assert f'src="/media/{banner}" alt="Banner of Baltic Cluster Brokerage"' in page
    assert f'src="/media/{logo}" alt="Logo of Baltic Cluster Brokerage"' in page
    assert '<link rel="stylesheet" href="/accent/1e6b36.css">' in page
    css = anna.get("/accent/1e6b36.css")
    assert css.mimetype == "text/css" and "--accent: #1e6b36;" in css.get_data(as_text=True)

    served = anna.get(f"/media/{logo}")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    from PIL import Image
    assert Image.open(io.BytesIO(served.data)).size == (400, 200)


def test_a_light_accent_is_refused_on_the_page_with_a_darker_shade(app, world, owner):  # noqa: F811
    before = db_snapshot(app)

    page = _look(owner, world, accent="#ffcc00")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "The colour #ffcc00 has a contrast of 1.4:1" in text and "Try #" in text
    assert db_snapshot(app) == before


def test_a_text_file_named_png_is_refused_with_a_form_error_and_nothing_kept(app, world, owner):  # noqa: F811
    before = db_snapshot(app)

    page = _look(owner, world, accent="#0b5cad", logo=_upload(b"Rokavaldina: not a picture", "logo.png"))

    assert page.status_code == 200
    assert NOT_A_PICTURE in page.get_data(as_text=True)
    assert db_snapshot(app) == before
    assert _files(app) == set()


def test_an_upload_over_5_mb_gets_the_too_large_page(app, world, owner):  # noqa: F811
    page = _look(owner, world, accent="#0b5cad", logo=_upload(b"\x89PNG" + b"0" * (5 * 1024 * 1024)))

    assert page.status_code == 413
    assert "a file or a form may have at most 5 MB" in page.get_data(as_text=True)


def test_removing_the_banner_removes_its_file_after_the_change_is_saved(app, world, owner):  # noqa: F811
    _look(owner, world, accent="", banner=_upload(picture("PNG", (900, 300))))
    [banner] = _files(app)

    _look(owner, world, accent="", remove_banner="y")

    with app.app_context():
        assert db.session.get(Event, world.event).banner == ""
    assert _files(app) == set()
    assert owner.get(f"/media/{banner}").status_code == 404


@pytest.mark.parametrize("who", [None, "anna", "rival"])
def test_only_the_event_s_organisers_change_its_look(app, world, make_browser, who):  # noqa: F811
    browser = make_browser()
    if who:
        browser.login(EMAILS[who])
    before = db_snapshot(app)

    response = _look(browser, world, accent="#1e6b36", logo=_upload(picture()))

    assert response.status_code == (302 if who is None else 404)
    assert db_snapshot(app) == before and _files(app) == set()


def test_the_look_form_needs_its_csrf_token(app, world, owner):  # noqa: F811
    before = db_snapshot(app)

    response = owner.client.post(f"/organiser/events/{world.event}/look",
                                 data={"accent": "#1e6b36", "logo": _upload(picture())},
                                 content_type="multipart/form-data")

    assert response.status_code == 400
    assert db_snapshot(app) == before and _files(app) == set()


def _with_logo(make_browser, world, who: str, data: bytes):  # noqa: F811
    """``who`` logged in, having uploaded ``data`` as their logo: their browser."""
    browser = make_browser()
    browser.login(EMAILS[who])
    response = browser.post(f"/events/{world.event}/profile/logo", {"logo": _upload(data)},
                            content_type="multipart/form-data")
    assert response.status_code == 302
    return browser


def _logo_of(app, participant_id: int) -> str:
    with app.app_context():
        return db.session.get(Participant, participant_id).logo


def test_a_participant_uploads_their_logo_and_it_shows_where_they_appear(app, world, make_browser):  # noqa: F811
    _with_logo(make_browser, world, "anna", picture("WEBP", (600, 600)))
    key = _logo_of(app, world.anna)
    assert key.endswith(".webp")

    janis = make_browser()
    janis.login(EMAILS["janis"])
    expected = (key, "Logo of Klaster Łomża")
    for path in ("participants", f"participants/{world.anna}", "agenda", f"meetings/{world.meeting}"):
        page = janis.get(f"/events/{world.event}/{path}").get_data(as_text=True)
        assert expected in MEDIA_RE.findall(page), path
    owner = make_browser()
    owner.login(EMAILS["owner"])
    badges = owner.get(f"/organiser/events/{world.event}/print/badges").get_data(as_text=True)
    assert expected in MEDIA_RE.findall(badges)


def test_a_refused_logo_says_why_on_the_profile_page(app, world, make_browser):  # noqa: F811
    anna = make_browser()
    anna.login(EMAILS["anna"])
    before = db_snapshot(app)

    page = anna.post(f"/events/{world.event}/profile/logo", {"logo": _upload(picture("GIF"), "logo.gif")},
                     content_type="multipart/form-data", headers={"Referer": f"/events/{world.event}/profile"},
                     follow_redirects=True)

    assert NOT_A_PICTURE in page.get_data(as_text=True)
    assert db_snapshot(app) == before


@pytest.mark.parametrize("who", ["eve", "nobody", "owner"])
def test_nobody_uploads_a_logo_for_an_event_they_are_not_registered_for(app, world, make_browser, who):  # noqa: F811
    browser = make_browser()
    browser.login(EMAILS[who])
    before = db_snapshot(app)

    response = browser.post(f"/events/{world.event}/profile/logo", {"logo": _upload(picture())},
                            content_type="multipart/form-data")

    assert response.status_code == 404
    assert db_snapshot(app) == before and _files(app) == set()


def test_the_logo_upload_needs_its_csrf_token(app, world, make_browser):  # noqa: F811
    anna = make_browser()
    anna.login(EMAILS["anna"])

    response = anna.client.post(f"/events/{world.event}/profile/logo", data={"logo": _upload(picture())},
                                content_type="multipart/form-data")

    assert response.status_code == 400
    assert _logo_of(app, world.anna) == ""


def test_the_same_picture_of_two_participants_is_one_file_kept_until_neither_shows_it(app, world, make_browser):  # noqa: F811
    anna, karl = (_with_logo(make_browser, world, who, picture()) for who in ("anna", "karl"))
    [key] = _files(app)
    assert _logo_of(app, world.anna) == _logo_of(app, world.karl) == key

    anna.post(f"/events/{world.event}/profile/logo/remove")
    assert _logo_of(app, world.anna) == "" and _files(app) == {key}

    karl.post(f"/events/{world.event}/profile/logo/remove")
    assert _files(app) == set()


def test_deleting_one_s_account_removes_one_s_logo(app, world, make_browser):  # noqa: F811
    anna = _with_logo(make_browser, world, "anna", picture())
    [key] = _files(app)

    with app.test_request_context():
        user = db.session.query(User).filter_by(email=EMAILS["anna"]).one()
        assert personal_data.export(user=user)["registrations"][0]["logo"] == key  # in her copy of her data
        personal_data.delete_account(user=user, password=PASSWORD, secret_key=app.config["SECRET_KEY"])
        db.session.commit()

    assert _logo_of(app, world.anna) == ""
    assert _files(app) == set()
    assert anna.get(f"/media/{key}").status_code == 404


def test_the_retention_purge_removes_the_logos(app, world, make_browser):  # noqa: F811
    from datetime import datetime

    _with_logo(make_browser, world, "janis", picture("JPEG"))
    assert len(_files(app)) == 1

    with app.test_request_context():
        assert personal_data.purge_event(event_id=world.event, now=datetime(2031, 1, 1))
        db.session.commit()

    assert _logo_of(app, world.janis) == "" and _files(app) == set()


def test_a_rolled_back_removal_keeps_the_file(app, world, make_browser):  # noqa: F811
    from matchmaking.services import branding

    _with_logo(make_browser, world, "anna", picture())
    [key] = _files(app)

    with app.test_request_context():
        branding.remove_participant_logo(participant=db.session.get(Participant, world.anna))
        db.session.rollback()
        db.session.commit()

    assert _files(app) == {key} and _logo_of(app, world.anna) == key


@pytest.mark.parametrize("path", ["/media/" + "0" * 64 + ".png", "/media/../config.py", "/media/x.svg",
                                  "/accent/fff.css", "/accent/XYZXYZ.css", "/accent/0b5cad00.css"])
def test_media_and_accent_urls_answer_only_their_own_names(client, path):
    assert client.get(path).status_code == 404
