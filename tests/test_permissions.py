"""People see and change only what they may: meetings, requests, calendar feeds, organiser and admin pages."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Meeting, MeetingOutcome, MeetingRequest, Participant, User
from matchmaking.models.webhook import DELIVERED
from matchmaking.services import (
    accounts,
    background_jobs,
    events,
    invitations,
    marketplace,
    meetings,
    programme,
    webhooks,
)
from tests.factories import make_event, make_user, register
from tests.snapshots import db_snapshot

NOT_FOUND = "This page does not exist, or you may not see it."
CSRF_REFUSED = "The form expired or was sent from elsewhere."
FEED_RE = re.compile(r"/calendar/feed/([0-9a-f]+)\.ics")

EMAILS = {
    "owner": "owner@example.org",
    "rival": "rival@example.org",
    "admin": "admin@example.org",
    "anna": "anna@example.org",
    "janis": "janis@example.org",
    "karl": "karl@example.org",
    "eve": "eve@example.org",
    "nobody": "nobody@example.org",
}



def request_status(app, request_id: int) -> str:
    with app.app_context():
        status = db.session.scalar(select(MeetingRequest.status).where(MeetingRequest.id == request_id))
        db.session.remove()
    return status


@pytest.fixture
def world(app):
    """Event "Baltic" run by owner: anna and janis have a meeting, karl has a pending request to anna.

    Day 2 of the event has its own session and a spare table, free for the organiser pages to change.
    A second event, run by rival, has eve. The admin runs nothing; nobody is registered nowhere.
    """
    with app.app_context():
        owner = make_user(EMAILS["owner"], "Olga Organizatorka", organiser=True)
        rival = make_user(EMAILS["rival"], "Rasmus Rival", organiser=True)
        make_user(EMAILS["admin"], "Ada Admin", admin=True)
        make_user(EMAILS["nobody"], "Nora Nobody")
        event = make_event(owner)
        other_event = make_event(rival, name="Nordic Wood Forum", day=date(2030, 6, 3))
        anna = register(make_user(EMAILS["anna"], "Anna Wiśniewska"), event, organisation="Klaster Łomża")
        janis = register(make_user(EMAILS["janis"], "Jānis Bērziņš"), event, organisation="Rokavaldīna SIA",
                         country="LV")
        karl = register(make_user(EMAILS["karl"], "Karl Tamm"), event, organisation="Tartu Textiles",
                        country="EE")
        eve = register(make_user(EMAILS["eve"], "Eve Kask"), other_event, organisation="Vilnius Wood Cluster",
                       country="LT")
        # Imported by the owner and never set a password: the invitation may be sent again.
        imported = User(name="Ivo Imported", email="ivo@example.org", password_hash=accounts.UNUSABLE_PASSWORD)
        db.session.add(imported)
        db.session.flush()
        ivo = register(imported, event, organisation="Imported OÜ", country="EE", by_organiser=True)
        first = meetings.request_meeting(requester=anna, recipient=janis, message="Sveiki!", online=False)
        meeting = meetings.accept_request(recipient=janis, request_id=first.id)
        pending = meetings.request_meeting(requester=karl, recipient=anna, message="Tere!", online=False)
        day2 = events.add_day(event=event, day=date(2030, 5, 21))
        session2 = events.add_session(day=day2, name="Afternoon", start=time(14, 0), end=time(15, 0),
                                      slot_minutes=30, breaks="")
        [spare] = events.add_tables(event=event, names=["Spare"])
        hook = webhooks.add_endpoint(event=event, url="http://127.0.0.1:9/hooks", kinds=webhooks.KINDS,
                                     base_url=app.config["BASE_URL"])
        sent = webhooks.send_test(hook)
        sent.status = DELIVERED  # as if the sender had delivered it: it may be redelivered
        job = background_jobs.enqueue_import(event=event, actor=owner, rows=[{
            "name": "Lina Lapa", "email": "lina@example.org", "organisation": "Liepāja Port", "type": "company",
            "country": "LV"}])
        invited = invitations.invite_organiser(event=event, inviter=owner, email="guest@example.org",
                                               secret_key=app.config["SECRET_KEY"])
        anna_offer = marketplace.publish(participant=anna, draft=marketplace.Draft(
            kind="offer", category="distribution", title="Dystrybucja na Podlasiu"))
        karl_request = marketplace.publish(participant=karl, draft=marketplace.Draft(
            kind="request", category="licensing", title="Litsentsipartner tekstiilile"))
        opening = programme.add_session(event=event, details=programme.SessionDetails(
            kind="workshop", title="Opening", day=date(2030, 5, 21), start=time(13, 0), end=time(13, 30),
            signup=True))
        janis.checked_in_at = datetime(2030, 5, 20, 6, 40)  # checked in on the day: the undo has something to undo
        # Anna's word on the meeting: a comment for the organisers only, and an agreement to print.
        db.session.add(MeetingOutcome(meeting_id=meeting.id, participant_id=anna.id, took_place=True,
                                      rating="cooperation_possible", comment="Only for the organisers",
                                      followup_answer="agreement", agreement_type="licence",
                                      benefit="Licensed Łomża textile patterns"))
        db.session.commit()
        assert meeting.slot_id is not None
        ids = SimpleNamespace(
            event=event.id, other_event=other_event.id, anna=anna.id, janis=janis.id, karl=karl.id, eve=eve.id,
            meeting=meeting.id, request=pending.id, day=day2.id, session=session2.id, table=spare.id,
            karl_user=karl.user_id, ivo=ivo.id, slot2=session2.slots[0].id, hook=hook.id, delivery=sent.id, job=job.id,
            invitation=invited.id, opportunity=anna_offer.id, karl_opportunity=karl_request.id,
            anna_token=anna.checkin_token, programme=opening.id,
        )
    return ids


@pytest.fixture
def login_as(make_browser):
    """A browser logged in as one of the world's people (``None``: anonymous)."""
    def login(who: str | None):
        browser = make_browser()
        if who is not None:
            browser.login(EMAILS[who])
        return browser
    return login


# --- Meetings of other people -----------------------------------------------------------------

def test_meeting_page_own_is_visible_to_both_sides(world, login_as):
    for who, partner in (("anna", "Jānis Bērziņš"), ("janis", "Anna Wiśniewska")):
        response = login_as(who).get(f"/events/{world.event}/meetings/{world.meeting}")

        assert response.status_code == 200
        assert f"Meeting with {partner}" in response.get_data(as_text=True)


@pytest.mark.parametrize(("who", "event_key"), [
    ("karl", "event"),  # a third participant of the same event
    ("eve", "other_event"),  # a participant of another event, through her own event's URL
    ("eve", "event"),  # ... and through the meeting's event, where she is not registered
    ("nobody", "event"),
])
def test_meeting_page_of_others_is_not_found(app, world, login_as, who, event_key):
    browser = login_as(who)

    response = browser.get(f"/events/{getattr(world, event_key)}/meetings/{world.meeting}")

    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert NOT_FOUND in page
    assert "Sveiki!" not in page and "Jānis Bērziņš" not in page


@pytest.mark.parametrize(("who", "event_key"), [("karl", "event"), ("eve", "other_event"), ("eve", "event")])
def test_meeting_cancel_by_others_is_not_found_and_changes_nothing(app, world, login_as, who, event_key):
    browser = login_as(who)
    before = db_snapshot(app)

    response = browser.post(f"/events/{getattr(world, event_key)}/meetings/{world.meeting}",
                            {"reason": "I want this slot"})

    assert response.status_code == 404
    assert db_snapshot(app) == before
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        assert meeting.cancelled_at is None
        assert meeting.slot_id is not None


# --- On the spot: walk-in proposals and meeting people of other events ------------------------------------

@pytest.mark.parametrize(("who", "event_key"), [
    ("janis", "event"),  # neither side of karl's proposal to anna
    ("karl", "event"),  # the one who proposed cannot accept for anna
    ("eve", "other_event"),
    ("eve", "event"),
])
def test_walk_in_proposal_accepted_by_anyone_but_its_recipient_is_not_found(app, world, login_as, who, event_key):
    with app.app_context():
        db.session.get(MeetingRequest, world.request).walk_in = True
        db.session.commit()
    before = db_snapshot(app)

    response = login_as(who).post(f"/events/{getattr(world, event_key)}/now/proposals/{world.request}/accept")

    assert response.status_code == 404
    assert request_status(app, world.request) == "pending"
    assert db_snapshot(app) == before


def test_meeting_on_the_spot_someone_of_another_event_is_not_found(app, world, login_as):
    with app.app_context():
        db.session.get(Participant, world.anna).checked_in_at = datetime(2030, 5, 20, 6, 30)
        db.session.commit()
    before = db_snapshot(app)

    response = login_as("anna").post(f"/events/{world.event}/now/meet/{world.eve}")

    assert response.status_code == 404
    assert db_snapshot(app) == before


# --- Requests of other people -----------------------------------------------------------------

@pytest.mark.parametrize(("who", "event_key", "action"), [
    ("janis", "event", "accept"),  # janis is neither side of karl -> anna
    ("janis", "event", "decline"),
    ("janis", "event", "withdraw"),
    ("karl", "event", "accept"),  # the requester cannot answer his own request
    ("karl", "event", "decline"),
    ("anna", "event", "withdraw"),  # the recipient cannot withdraw it
    ("eve", "other_event", "accept"),
    ("eve", "other_event", "decline"),
    ("eve", "other_event", "withdraw"),
    ("eve", "event", "accept"),
    ("nobody", "event", "decline"),
])
def test_request_answer_by_wrong_person_is_not_found_and_changes_nothing(app, world, login_as, who, event_key, action):
    browser = login_as(who)
    before = db_snapshot(app)

    response = browser.post(f"/events/{getattr(world, event_key)}/requests/{world.request}/{action}")

    assert response.status_code == 404
    assert NOT_FOUND in response.get_data(as_text=True)
    assert request_status(app, world.request) == "pending"
    assert db_snapshot(app) == before


@pytest.mark.parametrize(("who", "action", "status"), [
    ("anna", "accept", "accepted"), ("anna", "decline", "declined"), ("karl", "withdraw", "withdrawn"),
])
def test_request_answer_by_right_person_changes_status(app, world, login_as, who, action, status):
    browser = login_as(who)

    response = browser.post(f"/events/{world.event}/requests/{world.request}/{action}")

    assert response.status_code == 302
    assert request_status(app, world.request) == status


@pytest.mark.parametrize(("who", "event_key"), [
    ("anna", "event"),  # the recipient may answer it, not rewrite it
    ("janis", "event"), ("eve", "other_event"), ("eve", "event"), ("nobody", "event"), ("owner", "event"),
])
def test_request_message_of_others_is_not_found_and_changes_nothing(app, world, login_as, who, event_key):
    browser = login_as(who)
    url = f"/events/{getattr(world, event_key)}/requests/{world.request}/message"
    before = db_snapshot(app)

    page, posted = browser.get(url), browser.post(url, {"message": "Rewritten"})

    assert (page.status_code, posted.status_code) == (404, 404)
    assert db_snapshot(app) == before


def test_request_message_is_changed_by_its_requester(app, world, login_as):
    browser = login_as("karl")
    url = f"/events/{world.event}/requests/{world.request}/message"

    assert browser.get(url).status_code == 200
    assert browser.post(url, {"message": "Tere, Anna!"}).status_code == 302
    with app.app_context():
        assert db.session.get(MeetingRequest, world.request).message == "Tere, Anna!"


def test_request_list_shows_only_own_requests(world, login_as):
    page = login_as("janis").get(f"/events/{world.event}/requests").get_data(as_text=True)

    assert "Tere!" not in page  # karl -> anna
    assert "Sveiki!" in page  # anna -> janis


# --- Private calendar feed ------------------------------------------------------------------

def _feed_token(browser) -> str:
    page = browser.get("/calendar")
    assert page.status_code == 200
    match = FEED_RE.search(page.get_data(as_text=True))
    assert match, "no feed address on the calendar page"
    return match.group(1)


@pytest.mark.parametrize("token", ["0" * 40, "nottoken", "a" * 101])
def test_calendar_feed_wrong_token_is_not_found(app, world, login_as, client, token):
    _feed_token(login_as("anna"))  # the owner has a feed address

    response = client.get(f"/calendar/feed/{token}.ics")

    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.data


def test_calendar_feed_token_with_one_char_changed_is_not_found(world, login_as, client):
    token = _feed_token(login_as("anna"))
    wrong = token[:-1] + ("0" if token[-1] != "0" else "1")

    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200
    assert client.get(f"/calendar/feed/{wrong}.ics").status_code == 404


def test_calendar_feed_new_address_retires_old_one(app, world, login_as, client):
    anna = login_as("anna")
    old = _feed_token(anna)
    old_feed = client.get(f"/calendar/feed/{old}.ics")
    assert old_feed.status_code == 200
    assert "Jānis Bērziņš" in old_feed.get_data(as_text=True)

    made = anna.post("/calendar")

    assert made.status_code == 302
    new = _feed_token(anna)
    assert new != old
    assert client.get(f"/calendar/feed/{old}.ics").status_code == 404
    new_feed = client.get(f"/calendar/feed/{new}.ics")
    assert new_feed.status_code == 200
    assert "Jānis Bērziņš" in new_feed.get_data(as_text=True)


def test_calendar_feed_shows_only_owner_meetings(world, login_as, client):
    token = _feed_token(login_as("karl"))  # karl has a pending request only, no meeting

    feed = client.get(f"/calendar/feed/{token}.ics").get_data(as_text=True)

    assert "BEGIN:VCALENDAR" in feed
    assert "BEGIN:VEVENT" not in feed


# --- Organiser and admin pages --------------------------------------------------------------

ROLES = ("anonymous", "participant", "rival", "owner", "admin")
ROLE_LOGIN = {"anonymous": None, "participant": "anna", "rival": "rival", "owner": "owner", "admin": "admin"}

# (method, URL template, form data, needs_event_rights): without event rights any organiser may use it.
ORGANISER_ENDPOINTS = [
    ("GET", "/organiser/", None, False),
    ("GET", "/organiser/events/new", None, False),
    ("GET", "/organiser/events/{event}", None, True),
    ("GET", "/organiser/events/{event}/edit", None, True),
    ("GET", "/organiser/events/{event}/look", None, True),
    ("GET", "/organiser/events/{event}/participants", None, True),
    ("GET", "/organiser/events/{event}/meetings", None, True),
    ("GET", "/organiser/events/{event}/tables/{table}", None, True),
    ("POST", "/organiser/events/new", {"name": "Gdańsk Social Economy Days", "timezone": "Europe/Warsaw"}, False),
    ("POST", "/organiser/events/{event}/edit",
     {"name": "Baltic Cluster Brokerage 2030", "venue": "Rīga", "timezone": "Europe/Riga"}, True),
    ("POST", "/organiser/events/{event}/look", {"accent": "#1e6b36"}, True),
    ("POST", "/organiser/events/{event}/days", {"date": "2030-05-22"}, True),
    ("POST", "/organiser/events/{event}/days/{day}/delete", {}, True),
    ("POST", "/organiser/events/{event}/days/{day}/sessions",
     {"start": "10:00", "end": "11:00", "slot_minutes": "20", "breaks": ""}, True),
    ("POST", "/organiser/events/{event}/sessions/{session}/delete", {}, True),
    ("POST", "/organiser/events/{event}/tables", {"count": "2", "prefix": "Stand"}, True),
    ("POST", "/organiser/events/{event}/tables/{table}/owner", {"participant_id": "{karl}"}, True),
    ("POST", "/organiser/events/{event}/tables/{table}/delete", {}, True),
    ("POST", "/organiser/events/{event}/organisers", {"email": "karl@example.org"}, True),
    ("POST", "/organiser/events/{event}/invitations/{invitation}/revoke", {}, True),
    ("GET", "/organiser/events/{event}/schedule", None, True),
    ("POST", "/organiser/events/{event}/schedule/mode", {"mode": "batch"}, True),
    ("POST", "/organiser/events/{event}/schedule/run", {"time_limit": "5"}, True),
    ("GET", "/organiser/events/{event}/jobs/{job}", None, True),
    ("GET", "/organiser/events/{event}/interest", None, True),
    ("POST", "/organiser/events/{event}/recommendations/refresh", {}, True),
    ("GET", "/organiser/events/{event}/jobs/{job}/status", None, True),
    ("GET", "/organiser/events/{event}/grid", None, True),
    ("GET", "/organiser/events/{event}/meetings/{meeting}", None, True),
    ("GET", "/organiser/events/{event}/meetings/new", None, True),
    ("POST", "/organiser/events/{event}/meetings/{meeting}/move", {"slot_id": "{slot2}", "table_id": "{table}"}, True),
    ("GET", "/organiser/events/{event}/meetings/{meeting}/move-check?slot={slot2}&table={table}", None, True),
    ("POST", "/organiser/events/{event}/meetings/{meeting}/cancel", {"reason": "Venue closed"}, True),
    ("POST", "/organiser/events/{event}/meetings/new",
     {"participant_a": "{karl}", "participant_b": "{janis}", "slot_id": "0", "table_id": "0"}, True),
    ("GET", "/organiser/events/{event}/dashboard", None, True),
    ("GET", "/organiser/events/{event}/exports", None, True),
    ("GET", "/organiser/events/{event}/exports/meetings.csv", None, True),
    ("GET", "/organiser/events/{event}/print/participants", None, True),
    ("GET", "/organiser/events/{event}/print/tables", None, True),
    ("GET", "/organiser/events/{event}/print/badges", None, True),
    ("GET", "/organiser/events/{event}/outcomes", None, True),
    ("GET", "/organiser/events/{event}/outcomes.xlsx", None, True),
    ("GET", "/organiser/events/{event}/outcomes/agreements/{meeting}", None, True),
    ("GET", "/organiser/events/{event}/checkin", None, True),
    ("GET", "/organiser/events/{event}/checkin/{anna_token}", None, True),
    ("POST", "/organiser/events/{event}/checkin/{anna_token}", {}, True),
    ("POST", "/organiser/events/{event}/checkin/participants/{karl}", {}, True),
    ("POST", "/organiser/events/{event}/checkin/participants/{janis}/undo", {}, True),
    ("GET", "/organiser/events/{event}/now", None, True),
    ("GET", "/organiser/events/{event}/live-plan", None, True),
    ("POST", "/organiser/events/{event}/now/arrange", {"participant_a": "{karl}", "participant_b": "{janis}"}, True),
    ("GET", "/organiser/events/{event}/participants/{karl}/edit", None, True),
    ("GET", "/organiser/events/{event}/participants/import", None, True),
    ("POST", "/organiser/events/{event}/participants/{karl}/deactivate", {}, True),
    ("POST", "/organiser/events/{event}/participants/{ivo}/invitation", {}, True),
    ("POST", "/organiser/events/{event}/participants/{karl}/edit",
     {"organisation_name": "Tartu Textiles OÜ", "organisation_type": "company", "country": "EE",
      "meeting_mode": "onsite"}, True),
    ("POST", "/organiser/events/{event}/programme",
     {"kind": "plenary", "title": "Opening", "day": "2030-05-21", "start": "08:00", "end": "09:00"}, True),
    ("GET", "/organiser/events/{event}/programme/{programme}", None, True),
    ("POST", "/organiser/events/{event}/programme/{programme}",
     {"kind": "plenary", "title": "Opening of the day", "day": "2030-05-21", "start": "13:00", "end": "13:45"}, True),
    ("POST", "/organiser/events/{event}/tables/{table}", {"name": "Spare 2", "location": "Hall B"}, True),
    ("GET", "/organiser/events/{event}/participants/message", None, True),
    ("POST", "/organiser/events/{event}/participants/message", {"subject": "Hello", "body": "Room B"}, True),
    ("GET", "/organiser/events/{event}/marketplace", None, True),
    ("POST", "/organiser/events/{event}/marketplace/settings", {"requires_opportunity": "y"}, True),
    ("POST", "/organiser/events/{event}/marketplace/categories", {"categories": "Social franchising"}, True),
    ("POST", "/organiser/events/{event}/marketplace/{opportunity}/hide", {}, True),
    ("GET", "/organiser/events/{event}/webhooks", None, True),
    ("GET", "/organiser/events/{event}/audit", None, True),
    ("POST", "/organiser/events/{event}/webhooks/new",
     {"url": "https://crm.example.net/hooks", "kinds": "meeting.scheduled"}, True),
    ("POST", "/organiser/events/{event}/webhooks/{hook}/test", {}, True),
    ("POST", "/organiser/events/{event}/webhooks/{hook}/delete", {}, True),
    ("POST", "/organiser/events/{event}/webhooks/deliveries/{delivery}/redeliver", {}, True),
]


# Downloads and prints of personal data: allowed, they write one row to the event's audit log and nothing else.
AUDITED_GETS = {"/organiser/events/{event}/exports/meetings.csv", "/organiser/events/{event}/print/participants",
                "/organiser/events/{event}/print/tables", "/organiser/events/{event}/print/badges",
                "/organiser/events/{event}/outcomes.xlsx", "/organiser/events/{event}/outcomes/agreements/{meeting}"}


ARRANGE_NOW = "/organiser/events/{event}/now/arrange"


def _on_the_day(app, world, monkeypatch) -> None:
    """10:05 in Riga on the event's day, karl checked in too: a walk-in of karl and janis can be booked."""
    from matchmaking.services import on_the_day

    monkeypatch.setattr(on_the_day, "utcnow", lambda: datetime(2030, 5, 20, 6, 5))
    with app.app_context():
        db.session.get(Participant, world.karl).checked_in_at = datetime(2030, 5, 20, 6, 0)
        db.session.commit()


def _expected_status(method: str, needs_event_rights: bool, role: str) -> int:
    if role == "anonymous":
        return 302  # to the log-in page
    if role == "participant" or (role == "rival" and needs_event_rights):
        return 404
    return 200 if method == "GET" else 302


def _fill(template: str, world) -> str:
    return template.format(**vars(world))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "data", "needs_event_rights"), ORGANISER_ENDPOINTS,
                         ids=[f"{m} {u}" for m, u, _d, _n in ORGANISER_ENDPOINTS])
def test_organiser_endpoint_access_by_role(app, world, login_as, monkeypatch, method, url, data, needs_event_rights,
                                           role):
    browser = login_as(ROLE_LOGIN[role])
    target = _fill(url, world)
    if url == ARRANGE_NOW:
        _on_the_day(app, world, monkeypatch)
    before = db_snapshot(app)

    if method == "GET":
        response = browser.get(target)
    else:
        response = browser.post(target, {k: _fill(v, world) for k, v in data.items()})

    expected = _expected_status(method, needs_event_rights, role)
    assert response.status_code == expected
    if role == "anonymous":
        assert response.headers["Location"].startswith("/login?next=")
    may_change = method == "POST" and expected == 302 and role != "anonymous"
    after = db_snapshot(app)
    if url in AUDITED_GETS and expected == 200:
        assert len(after.pop("audit_entry")) == len(before.pop("audit_entry")) + 1
    assert (after != before) is may_change  # refused: nothing changed; allowed: the valid data saved
    if may_change:
        assert response.headers["Location"].startswith("/organiser/events/")
        assert 'class="flash error"' not in browser.get(response.headers["Location"]).get_data(as_text=True)


def test_organiser_index_lists_only_own_events(world, login_as):
    page = login_as("rival").get("/organiser/").get_data(as_text=True)

    assert "Nordic Wood Forum" in page
    assert "Baltic Cluster Brokerage" not in page


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), [("GET", "/admin/users"), ("GET", "/admin/users?q=anna"),
                                             ("POST", "/admin/users/{karl_user}/organiser")])
def test_admin_endpoint_access_by_role(app, world, login_as, method, url, role):
    browser = login_as(ROLE_LOGIN[role])
    target = _fill(url, world)
    before = db_snapshot(app)

    response = browser.get(target) if method == "GET" else browser.post(target, {"value": "1"})

    if role == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    elif role != "admin":
        assert response.status_code == 404
    else:
        assert response.status_code == (200 if method == "GET" else 302)
    with app.app_context():
        karl_is_organiser = db.session.get(User, world.karl_user).is_organiser
    if role == "admin" and method == "POST":
        assert karl_is_organiser is True
    else:
        assert karl_is_organiser is False
        assert db_snapshot(app) == before


# --- Event pages of an event one is not registered for ----------------------------------------

@pytest.mark.parametrize("who", ["eve", "nobody"])
@pytest.mark.parametrize("path", ["participants?q=lomza", "participants/{anna}", "requests",
                                  "agenda", "agenda.ics", "profile", "marketplace", "marketplace/mine",
                                  "marketplace/new", "marketplace/{opportunity}", "marketplace/{opportunity}/edit",
                                  "recommendations", "checkin-code", "now"])
def test_event_page_unregistered_is_not_found(world, login_as, who, path):
    browser = login_as(who)

    response = browser.get(f"/events/{world.event}/" + _fill(path, world))

    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert NOT_FOUND in page
    assert "Klaster Łomża" not in page


def test_event_page_unregistered_public_page_is_visible(world, login_as):
    response = login_as("eve").get(f"/events/{world.event}")

    assert response.status_code == 200
    assert "Baltic Cluster Brokerage" in response.get_data(as_text=True)


@pytest.mark.parametrize(("who", "event_key", "participant_key"), [
    ("eve", "event", "anna"),  # not registered for the event
    ("nobody", "event", "anna"),
    ("anna", "event", "eve"),  # eve belongs to another event
    ("eve", "other_event", "anna"),  # anna belongs to another event
])
def test_meeting_request_outside_own_event_is_not_found(app, world, login_as, who, event_key, participant_key):
    browser = login_as(who)
    before = db_snapshot(app)

    response = browser.post(
        f"/events/{getattr(world, event_key)}/participants/{getattr(world, participant_key)}/request",
        {"message": "Hello"},
    )

    assert response.status_code == 404
    assert db_snapshot(app) == before


@pytest.mark.parametrize(("who", "method", "path"), [
    ("janis", "GET", "marketplace/{opportunity}/edit"),  # anna's opportunity
    ("janis", "POST", "marketplace/{opportunity}/edit"),
    ("janis", "POST", "marketplace/{opportunity}/withdraw"),
    ("owner", "POST", "marketplace/{opportunity}/withdraw"),  # organisers moderate in the console, not here
    ("eve", "POST", "marketplace/{karl_opportunity}/request"),  # another event's participant
    ("eve", "POST", "marketplace/{opportunity}/withdraw"),
])
def test_someone_elses_opportunity_is_not_found(app, world, login_as, who, method, path):
    browser = login_as(who)
    before = db_snapshot(app)
    url = f"/events/{world.event}/" + _fill(path, world)
    data = {"kind": "offer", "category": "distribution", "title": "Mine now", "message": "Hi"}

    response = browser.get(url) if method == "GET" else browser.post(url, data)

    assert response.status_code == 404
    assert db_snapshot(app) == before


def test_profile_post_unregistered_is_not_found(app, world, login_as):
    browser = login_as("eve")
    before = db_snapshot(app)

    response = browser.post(f"/events/{world.event}/profile", {
        "organisation_name": "Hijack", "organisation_type": "company", "country": "LT", "meeting_mode": "onsite",
    })

    assert response.status_code == 404
    assert db_snapshot(app) == before


@pytest.mark.parametrize("who", ["eve", "nobody"])
@pytest.mark.parametrize("path", ["profile/logo", "profile/logo/remove"])
def test_logo_of_an_event_one_is_not_registered_for_is_not_found(app, world, login_as, who, path):
    """One's logo URLs name no participant: only one's own registration is reached, and without one, none."""
    browser = login_as(who)
    before = db_snapshot(app)

    response = browser.post(f"/events/{world.event}/{path}", {"logo": (io.BytesIO(b"\x89PNG"), "logo.png")},
                            content_type="multipart/form-data")

    assert response.status_code == 404
    assert db_snapshot(app) == before


# --- CSRF ---------------------------------------------------------------------------------------

CSRF_CASES = [
    (None, "/signup", {"name": "Żaneta Nowak", "email": "zaneta@example.org", "password": "a long password 1"}),
    (None, "/login", {"email": "anna@example.org", "password": "correct horse battery"}),
    ("anna", "/logout", {}),
    ("anna", "/calendar", {}),
    ("anna", "/events/{event}/meetings/{meeting}", {"reason": "Sick"}),
    ("anna", "/events/{event}/meetings/{meeting}/outcome", {"took_place": "no"}),
    ("anna", "/events/{event}/requests/{request}/accept", {}),
    ("karl", "/events/{event}/requests/{request}/withdraw", {}),
    ("karl", "/events/{event}/requests/{request}/message", {"message": "Tere, Anna!"}),
    ("anna", "/events/{event}/requests/{request}/decline", {}),
    ("janis", "/events/{event}/participants/{karl}/request", {"message": "Labdien"}),
    ("janis", "/events/{event}/recommendations/{karl}/not_for_me", {}),
    ("janis", "/events/{event}/marketplace/{karl_opportunity}/request", {"message": "Labdien"}),
    ("anna", "/events/{event}/marketplace/{opportunity}/withdraw", {}),
    ("anna", "/events/{event}/marketplace/new", {"kind": "offer", "category": "distribution", "title": "Nowa"}),
    ("anna", "/events/{event}/profile", {"organisation_name": "Changed", "organisation_type": "company",
                                         "country": "PL", "meeting_mode": "onsite"}),
    ("nobody", "/events/{event}/register", {"organisation_name": "New", "organisation_type": "company",
                                            "country": "PL", "meeting_mode": "onsite"}),
    ("owner", "/organiser/events/new", {"name": "Sneaky", "timezone": "Europe/Warsaw"}),
    ("owner", "/organiser/events/{event}/days", {"date": "2030-05-22"}),
    ("owner", "/organiser/events/{event}/look", {"accent": "#1e6b36"}),
    ("anna", "/events/{event}/profile/logo/remove", {}),
    ("owner", "/organiser/events/{event}/tables/{table}/delete", {}),
    ("admin", "/admin/users/{karl_user}/organiser", {"value": "1"}),
]


@pytest.mark.parametrize(("who", "url", "data"), CSRF_CASES, ids=[f"{w}:{u}" for w, u, _d in CSRF_CASES])
def test_post_without_csrf_token_is_refused_and_changes_nothing(app, world, login_as, who, url, data):
    browser = login_as(who)
    before = db_snapshot(app)

    response = browser.client.post(_fill(url, world), data=data)  # no csrf_token

    assert response.status_code == 400
    assert CSRF_REFUSED in response.get_data(as_text=True)
    assert db_snapshot(app) == before


@pytest.mark.parametrize("token", ["", "IjEyMyI.ZZZ.bad"])
def test_post_with_wrong_csrf_token_is_refused_and_changes_nothing(app, world, login_as, token):
    browser = login_as("anna")
    before = db_snapshot(app)

    response = browser.client.post(f"/events/{world.event}/meetings/{world.meeting}",
                                   data={"reason": "Sick", "csrf_token": token})

    assert response.status_code == 400
    assert CSRF_REFUSED in response.get_data(as_text=True)
    assert db_snapshot(app) == before


def test_login_without_csrf_token_does_not_log_in(world, client):
    client.post("/login", data={"email": EMAILS["anna"], "password": "correct horse battery"})

    response = client.get(f"/events/{world.event}/agenda")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
