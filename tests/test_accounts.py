"""Sign-up, log-in and log-out."""
from __future__ import annotations

from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import User
from tests.conftest import CSRF_RE
from tests.factories import PASSWORD, make_user


def csrf_free(html: str) -> str:
    return CSRF_RE.sub("", html)


def test_signup_stores_an_argon2id_hash_and_allows_login(app, browser):
    response = browser.post("/signup", {"name": "Żaneta Kozłowska", "email": "Zaneta@Example.org",
                                        "password": PASSWORD})

    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.name) == ("zaneta@example.org", "Żaneta Kozłowska")
        assert user.password_hash.startswith("$argon2id$")
    browser.login("zaneta@example.org")
    assert "Żaneta Kozłowska" in browser.get("/").get_data(as_text=True)


def test_signup_with_a_registered_email_answers_the_same_and_changes_nothing(app, browser):
    with app.app_context():
        make_user("taken@example.org", "First Owner")
        db.session.commit()
    fresh = browser.post("/signup", {"name": "New", "email": "new@example.org", "password": PASSWORD},
                         follow_redirects=True)
    taken = browser.post("/signup", {"name": "Intruder", "email": "taken@example.org",
                                     "password": "another password 123"}, follow_redirects=True)

    # (the CSRF token carries the second it was made in: two pages a second apart differ there only)
    assert csrf_free(fresh.get_data(as_text=True)) == csrf_free(taken.get_data(as_text=True))
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "taken@example.org"))
        assert owner.name == "First Owner"
    browser.login("taken@example.org", PASSWORD)  # the old password still works


def test_login_does_not_reveal_whether_the_email_exists(app, browser):
    with app.app_context():
        make_user("known@example.org")
        db.session.commit()

    wrong_password = browser.post("/login", {"email": "known@example.org", "password": "wrong password!!"})
    unknown_email = browser.post("/login", {"email": "nobody@example.org", "password": "wrong password!!"})

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert "Wrong e-mail or password." in wrong_password.get_data(as_text=True)
    assert wrong_password.get_data(as_text=True).replace("known@", "X@") == \
        unknown_email.get_data(as_text=True).replace("nobody@", "X@")


def test_logout_ends_the_session_even_for_a_copied_cookie(app, browser, make_browser):
    with app.app_context():
        make_user("anna@example.org")
        db.session.commit()
    browser.login("anna@example.org")
    stolen = browser.client.get_cookie("session").value
    assert browser.get("/calendar").status_code == 200

    browser.logout()
    replay = make_browser()
    replay.client.set_cookie("session", stolen)

    assert browser.get("/calendar").status_code == 302
    assert replay.get("/calendar").status_code == 302


def test_login_redirects_only_to_paths_on_this_site(app, browser):
    with app.app_context():
        make_user("anna@example.org")
        db.session.commit()

    response = browser.post("/login?next=https://evil.example.com/", {"email": "anna@example.org",
                                                                      "password": PASSWORD})

    assert response.headers["Location"] == "/"


def test_make_admin_command_and_admin_makes_an_organiser(app, browser):
    with app.app_context():
        make_user("boss@example.org")
        make_user("coordinator@example.org", "Kārlis Ozoliņš")
        db.session.commit()
        coordinator_id = db.session.scalar(select(User.id).where(User.email == "coordinator@example.org"))
    result = app.test_cli_runner().invoke(args=["make-admin", "boss@example.org"])
    assert result.exit_code == 0 and "is now an admin" in result.output
    missing = app.test_cli_runner().invoke(args=["make-admin", "ghost@example.org"])
    assert missing.exit_code == 1 and "No user with the e-mail ghost@example.org" in missing.output

    browser.login("boss@example.org")
    browser.post(f"/admin/users/{coordinator_id}/organiser", {"value": "1"})

    with app.app_context():
        assert db.session.get(User, coordinator_id).is_organiser is True


def test_the_language_chosen_before_log_in_goes_at_log_out(app, browser):
    """At a shared computer on the venue's desk, the next person gets their browser's language,
    not the one the last participant chose (the goodbye itself is still in theirs)."""
    with app.app_context():
        make_user("anna@example.org")
        db.session.commit()
    browser.post("/language", {"locale": "lv"})
    browser.login("anna@example.org")
    assert 'lang="lv"' in browser.get("/calendar").get_data(as_text=True)

    goodbye = browser.post("/logout", follow_redirects=True)

    assert 'lang="lv"' in goodbye.get_data(as_text=True)
    assert 'lang="en"' in browser.get("/login").get_data(as_text=True)
