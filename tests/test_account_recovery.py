"""Mailed account links (password reset, invitation, address confirmation), the password rules, and a fresh
session at log-in."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from matchmaking.background import run_queued
from matchmaking.extensions import db
from matchmaking.mail.compose import compose
from matchmaking.models import MeetingRequest, OutboxMessage, Participant, User
from matchmaking.models.base import utcnow
from matchmaking.services import account_links, accounts, api_tokens, outbox
from matchmaking.services.account_links import INVITE, RESET, VERIFY, InvalidLink
from matchmaking.services.errors import ServiceError
from matchmaking.services.passwords import check_password
from tests.conftest import csrf_from, mailed_link
from tests.factories import PASSWORD, make_event, make_user, register

NEW_PASSWORD = "blue kettle over riga"
FLASH = re.compile(r'<div class="flash (?:error|success|warning)[^"]*" role="status">([^<]*)')


def mails(app, kind: str, email: str) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).join(User).where(
            OutboxMessage.kind == kind, User.email == email).order_by(OutboxMessage.id)))


def without_csrf(response) -> str:
    """A page as two visitors see it (each has a CSRF token of their own)."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r'\1"', response.get_data(as_text=True))


def token_of(path: str) -> str:
    return path.rsplit("/", 1)[1]


def logged_in_as(browser, name: str) -> bool:
    return name in browser.get("/").get_data(as_text=True) and browser.get("/calendar").status_code == 200


@pytest.fixture
def anna(app):
    with app.app_context():
        make_user("anna@example.org", "Anna Wiśniewska")
        db.session.commit()


# Password reset ------------------------------------------------------------------------------------------

def test_the_log_in_page_offers_a_reset(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page and "Forgot your password?" in page


def test_reset_sets_a_new_password_logs_in_and_ends_other_sessions(app, anna, browser, make_browser):
    other_device = make_browser()
    other_device.login("anna@example.org")
    assert logged_in_as(other_device, "Anna Wiśniewska")

    asked = browser.post("/password/forgot", {"email": "Anna@Example.org"}, follow_redirects=True)
    assert "we have sent it a link" in asked.get_data(as_text=True)
    link = mailed_link(app, "password_reset", "anna@example.org")
    page = browser.get(link)
    assert page.status_code == 200 and "anna@example.org" in page.get_data(as_text=True)
    response = browser.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert logged_in_as(browser, "Anna Wiśniewska")
    assert other_device.get("/calendar").status_code == 302  # logged out by the reset
    fresh = make_browser()
    assert fresh.post("/login", {"email": "anna@example.org", "password": PASSWORD}).status_code == 200
    fresh.login("anna@example.org", NEW_PASSWORD)


def test_a_reset_link_works_once(app, anna, browser, make_browser):
    browser.post("/password/forgot", {"email": "anna@example.org"})
    link = mailed_link(app, "password_reset", "anna@example.org")
    browser.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    attacker = make_browser()
    again = attacker.get(link)
    replay = attacker.post(link, {"password": "attacker chosen 2030", "confirm": "attacker chosen 2030"})

    assert again.status_code == replay.status_code == 400
    assert "used already" in again.get_data(as_text=True)
    make_browser().login("anna@example.org", NEW_PASSWORD)


def test_asking_twice_gives_two_links_and_using_one_retires_the_other(app, anna, browser):
    browser.post("/password/forgot", {"email": "anna@example.org"})
    first = mailed_link(app, "password_reset", "anna@example.org")
    with app.app_context():  # another mail, composed at another second: its link differs
        user = accounts.find_user_by_email("anna@example.org")
        second = "/password/reset/" + account_links.make_token(user, RESET, secret_key=app.config["SECRET_KEY"],
                                                               now=utcnow() - timedelta(seconds=5))
    assert first != second
    assert browser.post(second, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert browser.get(first).status_code == 400


def test_a_reset_link_expires_after_an_hour(app, anna, browser):
    with app.app_context():
        user = accounts.find_user_by_email("anna@example.org")
        secret = app.config["SECRET_KEY"]
        made = utcnow()
        token = account_links.make_token(user, RESET, secret_key=secret, now=made)
        assert account_links.read_token(token, RESET, secret_key=secret, now=made + timedelta(minutes=59)) == user
        with pytest.raises(InvalidLink) as refused:
            account_links.read_token(token, RESET, secret_key=secret, now=made + timedelta(minutes=61))
        assert refused.value.reason == account_links.EXPIRED
        old = account_links.make_token(user, RESET, secret_key=secret, now=made - timedelta(minutes=61))

    page = browser.get(f"/password/reset/{old}")
    posted = browser.post(f"/password/reset/{old}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert page.status_code == posted.status_code == 400
    assert "The link has expired." in page.get_data(as_text=True)
    browser.login("anna@example.org", PASSWORD)  # unchanged


@pytest.mark.parametrize("token", ["x", "not.a.token", "eyJ1IjoxfQ.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb", "%00", "²" * 40,
                                   "a" * 3000])
def test_forged_links_get_a_clear_page_never_a_500(app, anna, browser, token):
    for path in (f"/password/reset/{token}", f"/invitation/{token}", f"/verify/{token}"):
        page = browser.get(path)
        assert page.status_code in (400, 404), path
        if page.status_code == 400:
            assert "This link cannot be used" in page.get_data(as_text=True)


def test_a_link_for_one_purpose_or_another_user_is_refused(app, anna, browser):
    with app.app_context():
        user = accounts.find_user_by_email("anna@example.org")
        secret = app.config["SECRET_KEY"]
        verify = account_links.make_token(user, VERIFY, secret_key=secret)
        invite = account_links.make_token(user, INVITE, secret_key=secret)
        other_key = account_links.make_token(user, RESET, secret_key="another secret key")
    for path in (f"/password/reset/{verify}", f"/password/reset/{invite}", f"/invitation/{verify}",
                 f"/password/reset/{other_key}"):
        assert browser.get(path).status_code == 400, path
        assert browser.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 400


def test_an_unknown_address_gets_the_same_answer_and_no_mail(app, anna, make_browser):
    known = make_browser().post("/password/forgot", {"email": "anna@example.org"}, follow_redirects=True)
    unknown = make_browser().post("/password/forgot", {"email": "nobody@example.org"}, follow_redirects=True)

    assert known.status_code == unknown.status_code == 200
    assert FLASH.findall(known.get_data(as_text=True)) == FLASH.findall(unknown.get_data(as_text=True))
    assert without_csrf(known) == without_csrf(unknown)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_the_outbox_stores_no_token_and_account_mails_cannot_be_turned_off(app, anna, browser):
    with app.app_context():
        user = accounts.find_user_by_email("anna@example.org")
        outbox.set_muted(user, set(outbox.MAIL_CATEGORIES))
        user.mail_muted += ",account"  # even a stored value cannot mute them
        db.session.commit()
    browser.post("/password/forgot", {"email": "anna@example.org"})
    [row] = mails(app, "password_reset", "anna@example.org")
    link = mailed_link(app, "password_reset", "anna@example.org")
    assert row.payload == "{}" and token_of(link) not in row.payload


def test_the_new_password_must_follow_the_rules_and_match(app, anna, browser):
    browser.post("/password/forgot", {"email": "anna@example.org"})
    link = mailed_link(app, "password_reset", "anna@example.org")

    common = browser.post(link, {"password": "password1234", "confirm": "password1234"})
    differs = browser.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"})

    assert common.status_code == differs.status_code == 200  # the form again, with why
    assert "most common" in common.get_data(as_text=True)
    assert "The two passwords differ." in differs.get_data(as_text=True)
    assert browser.get(link).status_code == 200  # still usable
    browser.login("anna@example.org", PASSWORD)


# Invitation of imported participants ---------------------------------------------------------------------

@pytest.fixture
def imported(app, browser):
    """An organiser imports a new person (ilze@example.org); returns the event id."""
    with app.app_context():
        organiser = make_user("org@example.org", "Olga Organizatorka", organiser=True)
        event = make_event(organiser, name="Baltic Cluster Brokerage")
        db.session.commit()
        event_id = event.id
    browser.login("org@example.org")
    csv_text = "name,email,organisation,type,country\nIlze Kalniņa,ilze@example.org,Vidzemes klasteris,cluster,LV\n"
    preview = browser.post(f"/organiser/events/{event_id}/participants/import",
                           {"file": (io.BytesIO(csv_text.encode()), "people.csv")},
                           content_type="multipart/form-data").get_data(as_text=True)
    job = re.search(r'name="job" type="hidden" value="(\d+)"', preview).group(1)
    browser.post(f"/organiser/events/{event_id}/participants/import/confirm", {"job": job})
    with app.app_context():
        assert run_queued()["done"] == 1  # the background process imports
    browser.logout()
    return event_id


def test_an_import_invites_the_new_person_who_sets_a_password_and_logs_in(app, imported, browser, make_browser):
    [invitation] = mails(app, "invitation", "ilze@example.org")
    with app.app_context():
        text = compose(db.session.get(OutboxMessage, invitation.id)).get_body(("plain",)).get_content()
        assert "Baltic Cluster Brokerage" in text
        assert not accounts.find_user_by_email("ilze@example.org").is_verified
    assert make_browser().post("/login", {"email": "ilze@example.org", "password": "!unusable"}).status_code == 200

    link = mailed_link(app, "invitation", "ilze@example.org")
    assert link.startswith("/invitation/")
    response = browser.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 302
    assert logged_in_as(browser, "Ilze Kalniņa")
    assert browser.get(f"/events/{imported}/participants").status_code == 200
    with app.app_context():
        assert accounts.find_user_by_email("ilze@example.org").is_verified  # the link proved the address
    assert browser.get(link).status_code == 400  # once
    make_browser().login("ilze@example.org", NEW_PASSWORD)


def test_an_invitation_link_lasts_two_weeks(app, imported):
    with app.app_context():
        user = accounts.find_user_by_email("ilze@example.org")
        secret, made = app.config["SECRET_KEY"], utcnow()
        token = account_links.make_token(user, INVITE, secret_key=secret, now=made)
        assert account_links.read_token(token, INVITE, secret_key=secret, now=made + timedelta(days=13)) == user
        with pytest.raises(InvalidLink):
            account_links.read_token(token, INVITE, secret_key=secret, now=made + timedelta(days=15))


def test_an_import_of_an_existing_account_sends_no_invitation(app, browser):
    with app.app_context():
        organiser = make_user("org@example.org", "Olga Organizatorka", organiser=True)
        event = make_event(organiser)
        make_user("liis@example.org", "Liis Saar")
        db.session.commit()
        event_id = event.id
    browser.login("org@example.org")
    csv_text = "name,email,organisation,type,country\nLiis Saar,liis@example.org,Pärnu Food,cluster,EE\n"
    preview = browser.post(f"/organiser/events/{event_id}/participants/import",
                           {"file": (io.BytesIO(csv_text.encode()), "people.csv")},
                           content_type="multipart/form-data").get_data(as_text=True)
    job = re.search(r'name="job" type="hidden" value="(\d+)"', preview).group(1)
    browser.post(f"/organiser/events/{event_id}/participants/import/confirm", {"job": job})
    with app.app_context():
        assert run_queued()["done"] == 1  # the background process imports
    assert mails(app, "invitation", "liis@example.org") == []


def test_the_organiser_sends_the_invitation_again_only_to_who_has_no_password(app, imported, browser):
    with app.app_context():
        ilze = db.session.scalar(select(Participant).join(User).where(User.email == "ilze@example.org"))
        anna = register(make_user("anna@example.org", "Anna Wiśniewska"), ilze.event)
        db.session.commit()
        ilze_id, anna_id = ilze.id, anna.id
    browser.login("org@example.org")
    listing = browser.get(f"/organiser/events/{imported}/participants").get_data(as_text=True)
    assert f"/participants/{ilze_id}/invitation" in listing and f"/participants/{anna_id}/invitation" not in listing
    assert f"/participants/{ilze_id}/invitation" in browser.get(
        f"/organiser/events/{imported}/participants/{ilze_id}/edit").get_data(as_text=True)

    sent = browser.post(f"/organiser/events/{imported}/participants/{ilze_id}/invitation", follow_redirects=True)
    refused = browser.post(f"/organiser/events/{imported}/participants/{anna_id}/invitation", follow_redirects=True)
    no_csrf = browser.client.post(f"/organiser/events/{imported}/participants/{ilze_id}/invitation")

    assert "The invitation to Ilze Kalniņa is sent again." in FLASH.findall(sent.get_data(as_text=True))
    assert "has set a password already" in " ".join(FLASH.findall(refused.get_data(as_text=True)))
    assert no_csrf.status_code == 400
    assert len(mails(app, "invitation", "ilze@example.org")) == 2
    assert mails(app, "invitation", "anna@example.org") == []


# Confirming the address ----------------------------------------------------------------------------------

def sign_up(browser, email: str = "zaneta@example.org", password: str = NEW_PASSWORD, name: str = "Żaneta Nowak"):
    return browser.post("/signup", {"name": name, "email": email, "password": password}, follow_redirects=True)


@pytest.fixture
def open_event(app):
    with app.app_context():
        organiser = make_user("org@example.org", "Olga Organizatorka", organiser=True)
        event = make_event(organiser)
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna")
        db.session.commit()
        return event.id, janis.id


PROFILE = {"organisation_name": "Klaster Łomża", "organisation_type": "cluster", "country": "PL",
           "meeting_mode": "onsite"}


def test_sign_up_sends_a_confirmation_and_registration_waits_for_it(app, open_event, browser):
    event_id, _janis = open_event
    sign_up(browser)
    [_mail] = mails(app, "verify_email", "zaneta@example.org")
    browser.login("zaneta@example.org", NEW_PASSWORD)
    home = browser.get("/").get_data(as_text=True)
    assert "Please confirm your e-mail address" in home and "/account/verify/send" in home
    assert browser.get(f"/events/{event_id}").status_code == 200  # browsing is allowed

    refused = browser.post(f"/events/{event_id}/register", PROFILE)
    assert "Confirm your e-mail address first" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 1

    again = browser.post("/account/verify/send", follow_redirects=True)
    assert "We have sent the link again to zaneta@example.org." in FLASH.findall(again.get_data(as_text=True))
    assert len(mails(app, "verify_email", "zaneta@example.org")) == 2
    confirmed = browser.get(mailed_link(app, "verify_email", "zaneta@example.org"), follow_redirects=True)
    assert "your e-mail address is confirmed" in confirmed.get_data(as_text=True)
    assert "Please confirm your e-mail address" not in browser.get("/").get_data(as_text=True)
    already = browser.post("/account/verify/send", follow_redirects=True)
    assert "Your e-mail address is confirmed already." in FLASH.findall(already.get_data(as_text=True))
    assert len(mails(app, "verify_email", "zaneta@example.org")) == 2

    registered = browser.post(f"/events/{event_id}/register", PROFILE)
    assert registered.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 2


def test_a_confirmation_link_works_without_logging_in_and_twice(app, browser, make_browser):
    sign_up(browser)
    link = mailed_link(app, "verify_email", "zaneta@example.org")
    assert make_browser().get(link).status_code == 302
    assert make_browser().get(link).status_code == 302
    with app.app_context():
        assert accounts.find_user_by_email("zaneta@example.org").is_verified


@pytest.fixture
def unverified_participant(app, open_event):
    """Żaneta, added by the organiser but with an unconfirmed address; returns (event, Żaneta, Jānis) ids."""
    event_id, janis_id = open_event
    with app.app_context():
        user = make_user("zaneta@example.org", "Żaneta Nowak", verified=False)
        zaneta = register(user, db.session.get(Participant, janis_id).event, by_organiser=True)
        db.session.commit()
        return event_id, zaneta.id, janis_id


def test_meeting_requests_wait_for_a_confirmed_address_on_the_web(app, unverified_participant, browser):
    event_id, _zaneta, janis_id = unverified_participant
    browser.login("zaneta@example.org")
    response = browser.post(f"/events/{event_id}/participants/{janis_id}/request", {"message": "Labdien"},
                            follow_redirects=True)
    assert "Confirm your e-mail address first" in " ".join(FLASH.findall(response.get_data(as_text=True)))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MeetingRequest)) == 0


def test_meeting_requests_wait_for_a_confirmed_address_in_the_api(app, unverified_participant, client):
    event_id, _zaneta, janis_id = unverified_participant
    with app.app_context():
        _token, secret = api_tokens.create_token(user=accounts.find_user_by_email("zaneta@example.org"),
                                                 name="crm", scopes=("participant",))
        db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    response = client.post(f"/api/v1/events/{event_id}/requests", json={"recipient_id": janis_id, "message": "Hi"},
                           headers=headers)
    assert response.status_code == 422
    assert "Confirm your e-mail address first" in response.get_data(as_text=True)

    with app.app_context():
        accounts.find_user_by_email("zaneta@example.org").email_verified_at = utcnow()
        db.session.commit()
    made = client.post(f"/api/v1/events/{event_id}/requests", json={"recipient_id": janis_id, "message": "Hi"},
                       headers=headers)
    assert made.status_code == 201


def test_sign_up_with_a_registered_address_mails_its_owner_and_answers_the_same(app, anna, make_browser):
    fresh = sign_up(make_browser(), email="new@example.org")
    taken = sign_up(make_browser(), email="Anna@example.org", name="Intruder")

    assert FLASH.findall(fresh.get_data(as_text=True)) == FLASH.findall(taken.get_data(as_text=True))
    assert without_csrf(fresh) == without_csrf(taken)
    sign_up(make_browser(), email="anna@example.org", name="Intruder again")  # the same hour: no second notice
    [notice] = mails(app, "signup_notice", "anna@example.org")
    assert mails(app, "verify_email", "anna@example.org") == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
        text = compose(db.session.get(OutboxMessage, notice.id)).get_body(("plain",)).get_content()
    assert "/password/forgot" in text and "/login" in text


def test_existing_and_factory_users_count_as_confirmed(app, anna):
    with app.app_context():
        assert accounts.find_user_by_email("anna@example.org").is_verified


# Password rules ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("password", "why"), [
    ("password1234", "most common"),
    ("qwertyuiop12", "most common"),
    ("Sunshine2024!!", "most common"),
    ("short one", "at least 12"),
    ("zaneta.nowak@example.org", "e-mail address or your name"),
    ("ZANETA.NOWAK@EXAMPLE.ORG", "e-mail address or your name"),
    ("my name is zaneta.nowak", "e-mail address or your name"),
    ("Żaneta Nowak 2030", "e-mail address or your name"),
    ("nowak for president", "e-mail address or your name"),
])
def test_weak_or_personal_passwords_are_refused(ctx, password, why):
    with pytest.raises(ServiceError) as refused:
        check_password(password, email="zaneta.nowak@example.org", name="Żaneta Nowak")
    assert why in refused.value.message


@pytest.mark.parametrize("password", [PASSWORD, NEW_PASSWORD, "Zanzibar dhow 1979"])
def test_good_passwords_are_accepted(ctx, password):
    check_password(password, email="zaneta.nowak@example.org", name="Żaneta Nowak")


def test_sign_up_refuses_a_common_password_or_the_address_with_a_message(app, browser):
    common = sign_up(browser, password="password1234").get_data(as_text=True)
    own = sign_up(browser, password="zaneta@example.org").get_data(as_text=True)

    assert "This password is one of the most common ones" in common
    assert "must not contain your e-mail address or your name" in own
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_changing_the_password_follows_the_rules(app, anna, browser):
    browser.login("anna@example.org")
    refused = browser.post("/account/password", {"current": PASSWORD, "new": "anna@example.org"})
    assert "must not contain your e-mail address" in refused.get_data(as_text=True)
    browser.logout()
    browser.login("anna@example.org", PASSWORD)


# A fresh session at log-in -------------------------------------------------------------------------------

def test_log_in_gives_a_new_csrf_token_and_the_old_one_stops_working(app, anna, browser):
    before = csrf_from(browser.get("/login").get_data(as_text=True))
    cookie_before = browser.client.get_cookie("session").value
    browser.client.post("/login", data={"email": "anna@example.org", "password": PASSWORD, "csrf_token": before})

    after = csrf_from(browser.get("/").get_data(as_text=True))
    assert after != before
    assert browser.client.get_cookie("session").value != cookie_before
    stale = browser.client.post("/logout", data={"csrf_token": before})
    assert stale.status_code == 400
    assert logged_in_as(browser, "Anna Wiśniewska")


def test_log_in_keeps_the_chosen_language(app, anna, browser):
    browser.post("/language", {"locale": "lv", "next": "/"})
    browser.login("anna@example.org")
    assert '<html lang="lv">' in browser.get("/").get_data(as_text=True)


def test_the_reset_token_is_bound_to_the_secret_key_and_user(app, anna):
    with app.app_context():
        user = accounts.find_user_by_email("anna@example.org")
        token = account_links.make_token(user, RESET, secret_key=app.config["SECRET_KEY"])
        with pytest.raises(InvalidLink):
            account_links.read_token(token, RESET, secret_key="not the app's key")
        with pytest.raises(InvalidLink):
            account_links.read_token(token, VERIFY, secret_key=app.config["SECRET_KEY"])


def test_reset_mails_to_one_address_are_limited_whoever_asks(app, anna, make_browser):
    """Nobody can flood an inbox through the forgotten-password form: 3 mails an hour per recipient."""
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        browser = make_browser()
        form = {"email": "anna@example.org", "csrf_token": browser.token()}
        asked = browser.client.post("/password/forgot", data=form, environ_base={"REMOTE_ADDR": address})
        assert asked.status_code == 302
    browser = make_browser()
    refused = browser.client.post("/password/forgot", data={"email": "anna@example.org", "csrf_token": browser.token()},
                                  environ_base={"REMOTE_ADDR": "192.0.2.4"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert len(mails(app, "password_reset", "anna@example.org")) == 3


def test_new_confirmation_mails_are_limited_per_account(app, open_event, browser):
    sign_up(browser)
    browser.login("zaneta@example.org", NEW_PASSWORD)
    for _ in range(3):
        assert browser.post("/account/verify/send").status_code == 302
    assert browser.post("/account/verify/send").status_code == 429
    assert len(mails(app, "verify_email", "zaneta@example.org")) == 4  # the sign-up's and three more
