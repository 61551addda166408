"""The password hash's cost profiles: production never drops under OWASP's minimum for Argon2id."""
from __future__ import annotations

import importlib

import pytest
from argon2 import extract_parameters
from sqlalchemy import select

import config
from matchmaking.extensions import db
from matchmaking.models import User
from matchmaking.services import accounts
from tests.factories import PASSWORD, make_user


@pytest.fixture
def profile():
    """Switch the hasher to a production profile for one test, then back to the suite's cheap one."""
    yield lambda name: accounts.configure_hasher(fast=False, profile=name)
    accounts.configure_hasher(fast=True)


def test_the_default_profile_is_owasp_s_argon2id_minimum(monkeypatch, profile):
    monkeypatch.delenv("PASSWORD_HASH", raising=False)
    assert importlib.reload(config).Config.PASSWORD_HASH == "owasp"
    profile("owasp")
    made = extract_parameters(accounts.hash_password(PASSWORD))
    assert made.type.name == "ID"
    assert made.memory_cost >= 19 * 1024 and made.time_cost >= 2 and made.parallelism >= 1


def test_a_hash_of_the_other_profile_still_logs_in_and_is_made_again(app, browser, profile):
    profile("rfc9106")
    with app.app_context():
        make_user("ona@example.org", "Ona")
        db.session.commit()
        old = db.session.scalar(select(User.password_hash))
    assert extract_parameters(old).memory_cost == 64 * 1024
    profile("owasp")
    browser.login("ona@example.org")
    with app.app_context():
        new = db.session.scalar(select(User.password_hash))
    assert new != old and extract_parameters(new).memory_cost == 19 * 1024


def test_an_unknown_profile_stops_the_app_starting():
    with pytest.raises(RuntimeError, match="PASSWORD_HASH"):
        accounts.configure_hasher(fast=False, profile="md5")
