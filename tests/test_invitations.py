"""Co-organisers are invited by e-mail and become organisers only by accepting, with the invited address."""
from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.mail.compose import compose
from matchmaking.models import Event, OrganiserInvitation, OutboxMessage, User
from matchmaking.models.base import utcnow
from tests.factories import make_event, make_user
from tests.snapshots import db_snapshot
from tests.test_bad_input import messages as errors

LINK_RE = re.compile(r"https?://[^/\s]+(/organiser-invitations/[0-9a-f]+)\s")


@pytest.fixture
def events(app):
    """Owner's event and a rival's; nora has an account and organises nothing."""
    with app.app_context():
        owner = make_user("owner@example.org", "Olga Organizatorka", organiser=True)
        rival = make_user("rival@example.org", "Rasmus Rival", organiser=True)
        make_user("nora@example.org", "Nora Nowak")
        event, other = make_event(owner), make_event(rival, name="Nordic Wood Forum")
        db.session.commit()
        return event.id, other.id


FLASH_RE = re.compile(r'<div class="flash \w+" role="status">(.*?)</div>', re.S)


def messages(response) -> list[str]:
    """The flashed notices (successes too) and the fields' errors a page shows."""
    text = response.get_data(as_text=True)
    return [html.unescape(m).strip() for m in FLASH_RE.findall(text)] + errors(response)


def _invite(make_browser, event_id: int, email: str, who: str = "owner@example.org"):
    organiser = make_browser()
    organiser.login(who)
    return organiser, organiser.post(f"/organiser/events/{event_id}/organisers", {"email": email},
                                     follow_redirects=True)


def _mailed_link(app, email: str) -> str:
    """The path of the invitation link in the last e-mail queued to ``email``, as it would be sent."""
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "organiser_invitation")
                                  .order_by(OutboxMessage.id)).all()
        row = [r for r in rows if (r.user.email if r.user else r.to_email).lower() == email.lower()][-1]
        mail = compose(row)
        assert mail is not None
        assert email.lower() in mail["To"].lower()
        match = LINK_RE.search(mail.get_body(("plain",)).get_content())
        assert match, mail.get_body(("plain",)).get_content()
        return match.group(1)


def _organises(app, event_id: int, email: str) -> bool:
    with app.app_context():
        return any(o.email == email for o in db.session.get(Event, event_id).organisers)


def test_invited_address_without_account_signs_up_and_accepts(app, events, make_browser):
    event_id, _other = events
    _organiser, page = _invite(make_browser, event_id, "Zaneta@Example.org")
    assert "Invitation sent to Zaneta@Example.org. They become an organiser when they accept it." in messages(page)
    assert "Zaneta@Example.org" in page.get_data(as_text=True)  # listed as waiting
    link = _mailed_link(app, "zaneta@example.org")
    with app.app_context():
        invitation = db.session.scalar(select(OrganiserInvitation))
        assert link.rsplit("/", 1)[1] not in (invitation.token_hash, invitation.nonce)  # only a hash is stored

    visitor = make_browser()
    landing = visitor.get(link).get_data(as_text=True)
    assert "Nordic" not in landing and "Baltic Cluster Brokerage" in landing
    assert f"/signup?next={link}" in landing.replace("%2F", "/")
    signed_up = visitor.post(f"/signup?next={link}", {"name": "Żaneta Kowalska", "email": "zaneta@example.org",
                                                     "password": "a long enough secret", "locale": "pl"})
    assert signed_up.status_code == 302 and "next=" in signed_up.headers["Location"]
    visitor.login("zaneta@example.org", "a long enough secret")
    assert not _organises(app, event_id, "zaneta@example.org")  # opening and logging in is not accepting
    assert visitor.get(f"/organiser/events/{event_id}").status_code == 404

    accepted = visitor.post(f"{link}/accept", follow_redirects=True)

    assert "Jesteś teraz organizatorem wydarzenia Baltic Cluster Brokerage." in messages(accepted)  # she chose pl
    assert _organises(app, event_id, "zaneta@example.org")
    assert visitor.get(f"/organiser/events/{event_id}").status_code == 200
    with app.app_context():  # the link came to her mailbox: her address counts as confirmed
        assert db.session.scalar(select(User).filter_by(email="zaneta@example.org")).email_verified_at is not None


def test_another_account_is_refused_and_the_right_one_accepts(app, events, make_browser):
    event_id, _other = events
    _invite(make_browser, event_id, "nora@example.org")
    link = _mailed_link(app, "nora@example.org")
    intruder = make_browser()
    intruder.login("rival@example.org")
    before = db_snapshot(app)

    page = intruder.get(link).get_data(as_text=True)
    refused = intruder.post(f"{link}/accept", follow_redirects=True)

    assert "This invitation was sent to nora@example.org; log in with the account of that address" in page
    assert "Accept and become an organiser" not in page
    assert "This invitation was sent to nora@example.org; log in with the account of that address to answer it." \
        in messages(refused)
    assert db_snapshot(app) == before and not _organises(app, event_id, "rival@example.org")

    nora = make_browser()
    nora.login("nora@example.org")
    assert "Accept and become an organiser" in nora.get(link).get_data(as_text=True)
    nora.post(f"{link}/accept")
    assert _organises(app, event_id, "nora@example.org")


def test_a_used_link_cannot_be_used_again(app, events, make_browser):
    event_id, _other = events
    _invite(make_browser, event_id, "nora@example.org")
    link = _mailed_link(app, "nora@example.org")
    nora = make_browser()
    nora.login("nora@example.org")
    nora.post(f"{link}/accept")
    with app.app_context():  # removed again by hand: the link must not bring her back
        event = db.session.get(Event, event_id)
        event.organisers[:] = [o for o in event.organisers if o.email != "nora@example.org"]
        db.session.commit()

    again = nora.post(f"{link}/accept", follow_redirects=True)
    declined = nora.post(f"{link}/decline", follow_redirects=True)

    assert "This invitation has been accepted already." in messages(again)
    assert "This invitation has been accepted already." in messages(declined)
    assert not _organises(app, event_id, "nora@example.org")


def test_declining_makes_nobody_an_organiser(app, events, make_browser):
    event_id, _other = events
    _invite(make_browser, event_id, "nora@example.org")
    link = _mailed_link(app, "nora@example.org")
    nora = make_browser()
    nora.login("nora@example.org")

    declined = nora.post(f"{link}/decline", follow_redirects=True)
    accepted = nora.post(f"{link}/accept", follow_redirects=True)

    assert "You declined the invitation." in messages(declined)
    assert "This invitation has been declined." in messages(accepted)
    assert not _organises(app, event_id, "nora@example.org")


def test_a_withdrawn_invitation_is_neither_sent_nor_accepted(app, events, make_browser):
    event_id, _other = events
    organiser, _page = _invite(make_browser, event_id, "nora@example.org")
    link = _mailed_link(app, "nora@example.org")
    with app.app_context():
        invitation_id = db.session.scalar(select(OrganiserInvitation.id))

    withdrawn = organiser.post(f"/organiser/events/{event_id}/invitations/{invitation_id}/revoke",
                               follow_redirects=True)

    assert "The invitation to nora@example.org is withdrawn." in messages(withdrawn)
    assert "Invited, waiting for an answer" not in withdrawn.get_data(as_text=True)
    with app.app_context():  # still queued: the sender finds nothing to say
        assert compose(db.session.scalar(select(OutboxMessage))) is None
    nora = make_browser()
    nora.login("nora@example.org")
    assert "The organisers have withdrawn this invitation." in nora.get(link).get_data(as_text=True)
    refused = nora.post(f"{link}/accept", follow_redirects=True)
    assert "The organisers have withdrawn this invitation." in messages(refused)
    assert not _organises(app, event_id, "nora@example.org")


def test_an_expired_invitation_cannot_be_accepted(app, events, make_browser):
    event_id, _other = events
    _invite(make_browser, event_id, "nora@example.org")
    link = _mailed_link(app, "nora@example.org")
    with app.app_context():
        invitation = db.session.scalar(select(OrganiserInvitation))
        assert timedelta(days=13) < invitation.expires_at - utcnow() <= timedelta(days=14)
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    nora = make_browser()
    nora.login("nora@example.org")

    refused = nora.post(f"{link}/accept", follow_redirects=True)

    assert "This invitation has expired; ask the organisers for a new one." in messages(refused)
    assert not _organises(app, event_id, "nora@example.org")
    _organiser, again = _invite(make_browser, event_id, "nora@example.org")  # a new one may be sent
    assert any(m.startswith("Invitation sent to nora@example.org") for m in messages(again))


@pytest.mark.parametrize(("email", "message"), [
    ("OWNER@example.org", "OWNER@example.org already organises this event."),
    ("not-an-address", "Invalid email address."),
    ("x" * 1_000_000, "Field cannot be longer than 254 characters."),
], ids=["organiser-already", "not-an-address", "a-megabyte"])
def test_inviting_is_refused_with_a_reason(app, events, make_browser, email, message):
    event_id, _other = events
    organiser = make_browser()
    organiser.login("owner@example.org")
    before = db_snapshot(app)

    page = organiser.post(f"/organiser/events/{event_id}/organisers", {"email": email}, follow_redirects=True)

    assert page.status_code == 200
    assert any(message in m for m in messages(page)), messages(page)
    assert db_snapshot(app) == before
    assert len(page.get_data()) < 100_000  # a megabyte is not shown back


def test_inviting_twice_is_refused(app, events, make_browser):
    event_id, _other = events
    organiser, _page = _invite(make_browser, event_id, "nora@example.org")

    again = organiser.post(f"/organiser/events/{event_id}/organisers", {"email": "Nora@Example.org"},
                           follow_redirects=True)

    assert "Nora@Example.org is already invited and has not answered yet." in messages(again)
    with app.app_context():
        assert len(db.session.scalars(select(OrganiserInvitation)).all()) == 1


def test_another_events_invitation_is_not_found(app, events, make_browser):
    event_id, other_id = events
    _invite(make_browser, other_id, "nora@example.org", who="rival@example.org")
    with app.app_context():
        invitation_id = db.session.scalar(select(OrganiserInvitation.id))
    organiser = make_browser()
    organiser.login("owner@example.org")
    before = db_snapshot(app)

    response = organiser.post(f"/organiser/events/{event_id}/invitations/{invitation_id}/revoke")

    assert response.status_code == 404
    assert db_snapshot(app) == before


@pytest.mark.parametrize("token", ["0" * 40, "x" * 5000, "%00", "²"])
def test_an_unknown_link_is_not_found(events, make_browser, token):
    nora = make_browser()
    nora.login("nora@example.org")

    assert nora.get(f"/organiser-invitations/{token}").status_code == 404
    assert nora.post(f"/organiser-invitations/{token}/accept").status_code == 404
