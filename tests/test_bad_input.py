"""Every form refuses bad input with a message, never answers 500, and saves nothing; odd URLs are 404s.

Polish and Latvian text goes in and comes out unchanged, and the directory finds it without diacritics.
"""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from matchmaking.extensions import db
from matchmaking.models import Event, EventDay, Participant, User
from matchmaking.models.base import utcnow
from matchmaking.services import meetings
from tests.conftest import mailed_link
from tests.factories import PASSWORD, make_event, make_user, register
from tests.snapshots import db_snapshot

MESSAGE_RE = re.compile(
    r'<p class="field-error">(.*?)</p>|<div class="flash (?:error|warning)" role="status">(.*?)</div>', re.S
)
REQUIRED = "This field is required."
NOT_A_CHOICE = "Not a valid choice."


def messages(response) -> list[str]:
    """The error messages a page shows: under the fields and in the flashed notices."""
    return [html.unescape(a or b).strip() for a, b in MESSAGE_RE.findall(response.get_data(as_text=True))]



def assert_refused(app, response, before, message: str) -> None:
    assert response.status_code == 200, response.status_code  # the form again, or the page redirected to
    assert message in messages(response), messages(response)
    assert db_snapshot(app) == before


@pytest.fixture
def world(app):
    """Event "Baltic" (Riga, day 20 May 2030, 09:00-10:00) by owner; anna and janis have a meeting,
    karl has sent anna a request; nora has an account and no registration. Another event by rival."""
    with app.app_context():
        owner = make_user("owner@example.org", "Olga Organizatorka", organiser=True)
        rival = make_user("rival@example.org", "Rasmus Rival", organiser=True)
        make_user("nora@example.org", "Nora Nowak")
        event = make_event(owner)
        other_event = make_event(rival, name="Nordic Wood Forum", day=date(2030, 6, 3))
        anna = register(make_user("anna@example.org", "Anna Wiśniewska"), event, organisation="Klaster Łomża")
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna SIA",
                         country="LV")
        karl = register(make_user("karl@example.org", "Karl Tamm"), event, organisation="Tartu Textiles",
                        country="EE")
        first = meetings.request_meeting(requester=anna, recipient=janis, message="Sveiki!", online=False)
        meeting = meetings.accept_request(recipient=janis, request_id=first.id)
        meetings.request_meeting(requester=karl, recipient=anna, message="Tere!", online=False)
        db.session.commit()
        ids = SimpleNamespace(
            event=event.id, other_event=other_event.id, anna=anna.id, janis=janis.id, karl=karl.id,
            meeting=meeting.id, day=event.days[0].id, session=event.days[0].sessions[0].id,
            other_session=other_event.days[0].sessions[0].id,
        )
    return ids


@pytest.fixture
def login_as(make_browser):
    def login(email: str | None):
        browser = make_browser()
        if email is not None:
            browser.login(email)
        return browser
    return login


# --- Sign-up and log-in -------------------------------------------------------------------------

GOOD_SIGNUP = {"name": "Żaneta Kowalska", "email": "zaneta@example.org", "password": "a long enough secret"}


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": ""}, REQUIRED),
    ({"name": "   "}, REQUIRED),
    ({"email": ""}, REQUIRED),
    ({"password": ""}, REQUIRED),
    ({"name": "", "email": "", "password": ""}, REQUIRED),
    ({"email": "not-an-email"}, "Invalid email address."),
    ({"email": "zaneta@"}, "Invalid email address."),
    ({"email": "a" * 250 + "@example.org"}, "Field cannot be longer than 254 characters."),
    ({"password": "elevenchars"}, "Use at least 12 characters."),
    ({"name": "Ł" * 121}, "Field cannot be longer than 120 characters."),
], ids=["no-name", "blank-name", "no-email", "no-password", "nothing", "invalid-email", "email-no-domain",
        "long-email", "short-password", "long-name"])
def test_signup_bad_input_is_refused(app, login_as, changes, message):
    browser = login_as(None)
    before = db_snapshot(app)

    response = browser.post("/signup", {**GOOD_SIGNUP, **changes})

    assert_refused(app, response, before, message)


def test_signup_name_of_120_characters_is_accepted(app, login_as):
    response = login_as(None).post("/signup", {**GOOD_SIGNUP, "name": "Ł" * 120})

    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.name).where(User.email == "zaneta@example.org")) == "Ł" * 120


@pytest.mark.parametrize(("data", "message"), [
    ({"email": "", "password": ""}, REQUIRED),
    ({"email": "anna@example.org", "password": ""}, REQUIRED),
    ({"email": "", "password": PASSWORD}, REQUIRED),
    ({"email": "anna@example.org", "password": "wrong password!"}, "Wrong e-mail or password."),
    ({"email": "nobody@example.org", "password": PASSWORD}, "Wrong e-mail or password."),
], ids=["nothing", "no-password", "no-email", "wrong-password", "unknown-email"])
def test_login_bad_input_is_refused(app, world, login_as, data, message):
    browser = login_as(None)
    before = db_snapshot(app)

    response = browser.post("/login", data)

    assert_refused(app, response, before, message)
    assert browser.get(f"/events/{world.event}/agenda").status_code == 302  # still logged out


# --- Event form ---------------------------------------------------------------------------------

GOOD_EVENT = {"name": "Gdańsk Social Economy Days", "venue": "Gdańsk", "timezone": "Europe/Riga",
              "registration_deadline": "2030-05-01T18:00", "request_deadline": "2030-05-15T18:00"}
EVENT_CASES = [
    ({"name": ""}, REQUIRED),
    ({"name": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"timezone": ""}, REQUIRED),
    ({"timezone": "Mars/Olympus"}, "Unknown time zone; use a name such as Europe/Warsaw."),
    ({"timezone": "../../etc/passwd"}, "Unknown time zone; use a name such as Europe/Warsaw."),
    ({"registration_deadline": "2026-13-45T99:99"}, "Not a valid datetime value."),
    ({"request_deadline": "2026-13-45T99:99"}, "Not a valid datetime value."),
    ({"request_deadline": "tomorrow"}, "Not a valid datetime value."),
]
EVENT_IDS = ["no-name", "long-name", "no-timezone", "mars-timezone", "path-timezone", "bad-registration-deadline",
             "bad-request-deadline", "word-deadline"]


@pytest.mark.parametrize("url", ["/organiser/events/new", "/organiser/events/{event}/edit"])
@pytest.mark.parametrize(("changes", "message"), EVENT_CASES, ids=EVENT_IDS)
def test_event_form_bad_input_is_refused(app, world, login_as, url, changes, message):
    browser = login_as("owner@example.org")
    before = db_snapshot(app)

    response = browser.post(url.format(event=world.event), {**GOOD_EVENT, **changes})

    assert_refused(app, response, before, message)


def test_event_form_timezone_change_with_slots_is_refused(app, world, login_as):
    browser = login_as("owner@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/organiser/events/{world.event}/edit",
                            {**GOOD_EVENT, "timezone": "Europe/Warsaw"}, follow_redirects=True)

    assert_refused(app, response, before,
                   "The time zone cannot change once meeting slots exist; remove the sessions first.")


@pytest.mark.parametrize(("deadline", "timezone"), [
    ("9999-12-31T23:30", "America/New_York"),  # in UTC this is past the year 9999
    ("0001-01-01T00:30", "Asia/Tokyo"),  # in UTC this is before the year 1
])
def test_event_form_deadline_out_of_range_is_never_500(app, world, login_as, deadline, timezone):
    browser = login_as("owner@example.org")
    with app.app_context():
        events_before = db.session.scalar(select(func.count(Event.id)))

    response = browser.post("/organiser/events/new", {**GOOD_EVENT, "timezone": timezone,
                                                      "registration_deadline": deadline}, follow_redirects=True)

    assert response.status_code == 200
    with app.app_context():
        events_after = db.session.scalar(select(func.count(Event.id)))
    if events_after == events_before:  # refused: it must say why
        assert messages(response)


# --- Day, session and tables forms -----------------------------------------------------------------

@pytest.mark.parametrize(("value", "message"), [
    ("", f"Date: {REQUIRED}"),
    ("2030-02-30", "Date: Not a valid date value."),
    ("20.05.2030", "Date: Not a valid date value."),
    ("2030-05-20", "That day is already part of the event."),
], ids=["empty", "no-such-day", "wrong-format", "already-in-event"])
def test_day_form_bad_input_is_refused(app, world, login_as, value, message):
    browser = login_as("owner@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/organiser/events/{world.event}/days", {"date": value}, follow_redirects=True)

    assert_refused(app, response, before, message)


GOOD_SESSION = {"name": "Afternoon", "start": "14:00", "end": "16:00", "slot_minutes": "30", "breaks": ""}


@pytest.mark.parametrize(("changes", "message"), [
    ({"end": "13:00"}, "Ends: The session must end after it starts."),
    ({"end": "14:00"}, "Ends: The session must end after it starts."),
    ({"start": ""}, f"Starts: {REQUIRED}"),
    ({"start": "25:00"}, "Starts: Not a valid time value."),
    ({"slot_minutes": "0"}, "Slot length (minutes): Number must be between 5 and 240."),
    ({"slot_minutes": "4"}, "Slot length (minutes): Number must be between 5 and 240."),
    ({"slot_minutes": "1000"}, "Slot length (minutes): Number must be between 5 and 240."),
    ({"slot_minutes": "-30"}, "Slot length (minutes): Number must be between 5 and 240."),
    ({"slot_minutes": "half an hour"}, "Slot length (minutes): Not a valid integer value."),
    ({"breaks": "lunch"}, "Breaks: Not a break: lunch (write 12:00-13:00)"),
    ({"breaks": "13:00-12:00"}, "Breaks: Not a break: 13:00-12:00 (write 12:00-13:00)"),
    ({"breaks": "15:00-15:15, 25:00-26:00"}, "Breaks: Not a break: 25:00-26:00 (write 12:00-13:00)"),
    ({"start": "09:30", "end": "10:30"}, "It overlaps the session 09:00-10:00."),
    ({"start": "14:00", "end": "14:20"}, "No slot fits into this session; make it longer or the slots shorter."),
], ids=["end-before-start", "end-at-start", "no-start", "hour-25", "slot-0", "slot-4", "slot-1000", "slot-negative",
        "slot-words", "breaks-lunch", "breaks-reversed", "breaks-hour-25", "overlap", "no-slot-fits"])
def test_session_form_bad_input_is_refused(app, world, login_as, changes, message):
    browser = login_as("owner@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/organiser/events/{world.event}/days/{world.day}/sessions",
                            {**GOOD_SESSION, **changes}, follow_redirects=True)

    assert_refused(app, response, before, message)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_session_on_extreme_day_is_never_500(app, world, login_as, day):
    browser = login_as("owner@example.org")
    browser.post(f"/organiser/events/{world.event}/days", {"date": day}, follow_redirects=True)
    with app.app_context():
        day_id = db.session.scalar(select(EventDay.id).where(EventDay.date == date.fromisoformat(day)))
    if day_id is None:
        return  # the day form refused the date: nothing more to try

    response = browser.post(f"/organiser/events/{world.event}/days/{day_id}/sessions",
                            {**GOOD_SESSION, "start": "00:00", "end": "23:30"}, follow_redirects=True)

    assert response.status_code == 200
    assert browser.get(f"/organiser/events/{world.event}").status_code == 200


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Or a list of names, one per line: Give a number of tables or a list of names."),
    ({"count": "", "names": "  \n "}, "Or a list of names, one per line: Give a number of tables or a list of names."),
    ({"names": "Stand A\nStand B\nStand A"}, "These table names are already used: Stand A"),
    ({"names": "stand a\nStand A"}, "These table names are already used: Stand A, stand a"),
    ({"names": "T1"}, "These table names are already used: T1"),
    ({"names": "Ł" * 81}, "Or a list of names, one per line: A table name may have at most 80 characters."),
    ({"count": "0"}, "Number of tables: Number must be between 1 and 1000."),
    ({"count": "1001"}, "Number of tables: Number must be between 1 and 1000."),
    ({"count": "many"}, "Number of tables: Not a valid integer value."),
], ids=["nothing", "blank", "duplicate", "duplicate-case", "existing", "name-81", "count-0", "count-1001",
        "count-words"])
def test_tables_form_bad_input_is_refused(app, world, login_as, data, message):
    browser = login_as("owner@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/organiser/events/{world.event}/tables", data, follow_redirects=True)

    assert_refused(app, response, before, message)


def test_tables_form_name_of_80_characters_is_accepted(app, world, login_as):
    response = login_as("owner@example.org").post(f"/organiser/events/{world.event}/tables", {"names": "Ł" * 80},
                                                  follow_redirects=True)

    assert response.status_code == 200
    assert "Tables added." in response.get_data(as_text=True)
    with app.app_context():
        assert "Ł" * 80 in [t.name for t in db.session.get(Event, world.event).tables]


def test_organiser_form_inviting_an_organiser_is_refused(app, world, login_as):
    browser = login_as("owner@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/organiser/events/{world.event}/organisers", {"email": "Owner@example.org"},
                            follow_redirects=True)

    assert_refused(app, response, before, "Owner@example.org already organises this event.")


# --- Registration and profile forms ---------------------------------------------------------------

def _good_profile(world) -> dict:
    return {"organisation_name": "Spółdzielnia Socjalna Łomża", "organisation_type": "social_cooperative",
            "country": "PL", "region": "Podlaskie", "sectors": ["social_economy", "textiles"],
            "offer": "Szycie", "seek": "Partnerzy", "meeting_mode": "both", "sessions": [str(world.session)],
            "networking_consent": "y"}


PROFILE_CASES = [
    ({"organisation_name": ""}, REQUIRED),
    ({"organisation_name": "  "}, REQUIRED),
    ({"organisation_name": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"organisation_type": "spaceship"}, NOT_A_CHOICE),
    ({"organisation_type": ""}, REQUIRED),
    ({"country": "XX"}, NOT_A_CHOICE),
    ({"country": "Polska"}, NOT_A_CHOICE),
    ({"country": ""}, REQUIRED),
    ({"sectors": ["social_economy", "bogus"]}, "'bogus' is not a valid choice for this field."),
    ({"sessions": ["{other_session}"]}, "'{other_session}' is not a valid choice for this field."),
    ({"sessions": ["first"]}, "Invalid choice(s): one or more data inputs could not be coerced."),
    ({"meeting_mode": "teleport"}, NOT_A_CHOICE),
    ({"offer": "ż" * 2001}, "Field cannot be longer than 2000 characters."),
    ({"seek": "x" * 2001}, "Field cannot be longer than 2000 characters."),
    ({"region": "x" * 121}, "Field cannot be longer than 120 characters."),
]
PROFILE_IDS = ["no-organisation", "blank-organisation", "long-organisation", "unknown-type", "no-type",
               "unknown-country", "country-name", "no-country", "unknown-sector", "other-event-session",
               "session-words", "unknown-mode", "long-offer", "long-seek", "long-region"]


@pytest.mark.parametrize(("who", "url"), [("nora@example.org", "/events/{event}/register"),
                                          ("anna@example.org", "/events/{event}/profile")],
                         ids=["register", "profile"])
@pytest.mark.parametrize(("changes", "message"), PROFILE_CASES, ids=PROFILE_IDS)
def test_profile_form_bad_input_is_refused(app, world, login_as, who, url, changes, message):
    browser = login_as(who)
    data = _good_profile(world)
    data.update({k: [x.format(**vars(world)) for x in v] if isinstance(v, list) else v for k, v in changes.items()})
    before = db_snapshot(app)

    response = browser.post(url.format(event=world.event), data)

    assert_refused(app, response, before, message.format(**vars(world)))


def test_register_after_deadline_is_refused(app, world, login_as):
    with app.app_context():
        db.session.get(Event, world.event).registration_deadline = datetime(2020, 1, 1, 12, 0)
        db.session.commit()
    browser = login_as("nora@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/events/{world.event}/register", _good_profile(world))

    assert response.status_code == 200
    assert "Registration for this event has closed." in response.get_data(as_text=True)
    assert db_snapshot(app) == before


# --- Meeting requests and cancellations --------------------------------------------------------------

@pytest.mark.parametrize(("who", "to", "data", "message"), [
    ("anna", "karl", {"message": "ż" * 1001}, "Message: Field cannot be longer than 1000 characters."),
    ("anna", "anna", {"message": "Hello me"}, "You cannot request a meeting with yourself."),
    ("anna", "janis", {"message": "Again?"}, "There is already an open request or meeting between you two."),
    ("janis", "anna", {"message": "Again?"}, "There is already an open request or meeting between you two."),
    ("karl", "anna", {"message": "Again?"}, "There is already an open request or meeting between you two."),
    ("anna", "karl", {"message": "Back?"}, "There is already an open request or meeting between you two."),
], ids=["long-message", "self", "accepted-same-way", "accepted-reverse", "pending-same-way", "pending-reverse"])
def test_meeting_request_bad_input_is_refused(app, world, login_as, who, to, data, message):
    browser = login_as(f"{who}@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/events/{world.event}/participants/{getattr(world, to)}/request", data,
                            follow_redirects=True)

    assert_refused(app, response, before, message)


def test_meeting_request_after_deadline_is_refused(app, world, login_as):
    with app.app_context():
        db.session.get(Event, world.event).request_deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()
    browser = login_as("janis@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/events/{world.event}/participants/{world.karl}/request", {"message": "Late"},
                            follow_redirects=True)

    assert_refused(app, response, before, "The deadline for meeting requests has passed.")


def test_meeting_request_message_of_1000_characters_is_accepted(app, world, login_as):
    response = login_as("janis@example.org").post(f"/events/{world.event}/participants/{world.karl}/request",
                                                  {"message": "ž" * 1000}, follow_redirects=True)

    assert response.status_code == 200
    assert "Your request was sent to Karl Tamm." in response.get_data(as_text=True)


@pytest.mark.parametrize(("reason", "message"), [
    ("", REQUIRED), ("   ", REQUIRED), ("x" * 501, "Field cannot be longer than 500 characters."),
], ids=["empty", "blank", "too-long"])
def test_cancel_form_bad_input_is_refused(app, world, login_as, reason, message):
    browser = login_as("anna@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/events/{world.event}/meetings/{world.meeting}", {"reason": reason})

    assert_refused(app, response, before, message)


def test_cancel_form_without_reason_field_is_refused(app, world, login_as):
    browser = login_as("anna@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/events/{world.event}/meetings/{world.meeting}", {})

    assert_refused(app, response, before, REQUIRED)


NUL_CASES = [
    (None, "/signup", {**GOOD_SIGNUP, "name": "Żaneta\x00Kowalska"}),
    (None, "/login", {"email": "anna\x00@example.org", "password": PASSWORD}),
    ("owner@example.org", "/organiser/events/new", {**GOOD_EVENT, "name": "Gdańsk\x00Days"}),
    ("anna@example.org", "/events/{event}/profile", {"organisation_name": "Klaster\x00Łomża",
                                                     "organisation_type": "cluster", "country": "PL",
                                                     "meeting_mode": "onsite"}),
    ("janis@example.org", "/events/{event}/participants/{karl}/request", {"message": "Labdien\x00"}),
    ("anna@example.org", "/events/{event}/meetings/{meeting}", {"reason": "Slima\x00"}),
]


@pytest.mark.parametrize(("who", "url", "data"), NUL_CASES, ids=["signup", "login", "event", "profile", "request",
                                                                 "cancel"])
def test_form_nul_byte_is_never_500(world, login_as, who, url, data):
    """PostgreSQL refuses NUL in text: the app must refuse it too (or strip it), not crash."""
    browser = login_as(who)

    response = browser.post(url.format(**vars(world)), data, follow_redirects=True)

    assert response.status_code == 200


# --- URLs ---------------------------------------------------------------------------------------------

HUGE = ["99999999999", "9223372036854775808"]  # past PostgreSQL's INTEGER; past SQLite's 64-bit INTEGER


@pytest.mark.parametrize("path", [
    "/events/abc", "/events/-1", "/events/1.5", "/events/0",
    "/events/{event}/participants/abc", "/events/{event}/meetings/abc", "/events/abc/agenda",
    "/organiser/events/abc", "/calendar/feed/.ics",
    *[f"/events/{n}" for n in HUGE],
    *[f"/events/{n}/participants" for n in HUGE],
    *[f"/events/{{event}}/participants/{n}" for n in HUGE],
    *[f"/events/{{event}}/meetings/{n}" for n in HUGE],
])
def test_url_bad_id_is_not_found(world, login_as, path):
    response = login_as("anna@example.org").get(path.format(event=world.event))

    assert response.status_code == 404


@pytest.mark.parametrize(("method", "path"), [
    *[("GET", f"/organiser/events/{n}") for n in HUGE],
    *[("POST", f"/organiser/events/{{event}}/days/{n}/delete") for n in HUGE],
])
def test_url_bad_id_for_organiser_is_not_found(app, world, login_as, method, path):
    browser = login_as("owner@example.org")
    before = db_snapshot(app)

    response = browser.get(path.format(event=world.event)) if method == "GET" else \
        browser.post(path.format(event=world.event))

    assert response.status_code == 404
    assert db_snapshot(app) == before


@pytest.mark.parametrize("action", ["accept", "decline", "withdraw"])
@pytest.mark.parametrize("request_id", ["99999999999", "9223372036854775808"])
def test_url_huge_request_id_is_not_found(app, world, login_as, action, request_id):
    browser = login_as("anna@example.org")
    before = db_snapshot(app)

    response = browser.post(f"/events/{world.event}/requests/{request_id}/{action}")

    assert response.status_code == 404
    assert db_snapshot(app) == before


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999999", "99999999999999999999", "%00"])
@pytest.mark.parametrize("url", ["/events/{event}/participants", "/organiser/events/{event}/participants"])
def test_directory_bad_page_shows_a_page(world, login_as, url, page):
    who = "owner@example.org" if url.startswith("/organiser") else "anna@example.org"

    response = login_as(who).get(url.format(event=world.event) + f"?page={page}")

    assert response.status_code == 200
    assert "Klaster Łomża" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["q=" + "ą" * 500, "country=ZZZ", "type=../x", "sector=%00", "q=%00",
                                   "country=%00"])
def test_directory_odd_filters_show_a_page(world, login_as, query):
    response = login_as("anna@example.org").get(f"/events/{world.event}/participants?{query}")

    assert response.status_code == 200


def test_directory_wildcards_match_literally(world, login_as):
    browser = login_as("anna@example.org")

    for q in ("%25", "_"):
        page = browser.get(f"/events/{world.event}/participants?q={q}").get_data(as_text=True)
        assert "Nobody matches these filters." in page


# --- Polish and Latvian text -------------------------------------------------------------------------

def test_diacritics_round_trip_through_signup_registration_and_directory(app, world, login_as):
    signup = login_as(None).post("/signup", {"name": "Žaneta Ķirse", "email": "zaneta@example.org",
                                             "password": "rokavaldīna łomża"})
    assert signup.status_code == 302
    zaneta = login_as(None)
    zaneta.login("zaneta@example.org", "rokavaldīna łomża")
    zaneta.get(mailed_link(app, "verify_email", "zaneta@example.org"))  # registering needs a confirmed address
    profile = {**_good_profile(world), "organisation_name": "Łomża Rokavaldīna Kooperatywa",
               "region": "Vidzeme", "offer": "Szkolenia w Łodzi i Gdańsku; apmācības Rīgā"}

    registered = zaneta.post(f"/events/{world.event}/register", profile)

    assert registered.status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(Participant).where(Participant.organisation_name.like("%Kooperatywa")))
        assert (stored.organisation_name, stored.region, stored.offer, stored.user.name) == (
            "Łomża Rokavaldīna Kooperatywa", "Vidzeme", "Szkolenia w Łodzi i Gdańsku; apmācības Rīgā",
            "Žaneta Ķirse")
        zaneta_id = stored.id
    page = login_as("janis@example.org").get(f"/events/{world.event}/participants/{zaneta_id}")
    text = page.get_data(as_text=True)
    assert "Łomża Rokavaldīna Kooperatywa" in text and "Žaneta Ķirse" in text
    assert "Szkolenia w Łodzi i Gdańsku; apmācības Rīgā" in text


ORGANISATION_LINK_RE = re.compile(r'<a href="/events/\d+/participants/\d+">([^<]+)</a>')


@pytest.mark.parametrize(("query", "found"), [
    ("lomza", {"Klaster Łomża", "Łomża Rokavaldīna"}),
    ("ŁOMŻA", {"Klaster Łomża", "Łomża Rokavaldīna"}),
    ("rokavaldina", {"Rokavaldīna SIA", "Łomża Rokavaldīna"}),
    ("lomza rokavaldina", {"Łomża Rokavaldīna"}),
    ("zaneta", {"Łomża Rokavaldīna"}),
    ("kirse", {"Łomża Rokavaldīna"}),
    ("lodzi", {"Łomża Rokavaldīna"}),
    ("riga", {"Łomża Rokavaldīna"}),
    ("wisniewska", {"Klaster Łomża"}),
    ("berzins", {"Rokavaldīna SIA"}),
    ("tallinn", set()),
])
def test_directory_search_ignores_case_and_diacritics(app, world, login_as, query, found):
    with app.app_context():
        event = db.session.get(Event, world.event)
        register(make_user("zaneta@example.org", "Žaneta Ķirse"), event, organisation="Łomża Rokavaldīna",
                 offer="Szkolenia w Łodzi; apmācības Rīgā")
        db.session.commit()

    response = login_as("karl@example.org").get(f"/events/{world.event}/participants", query_string={"q": query})

    assert response.status_code == 200
    assert set(ORGANISATION_LINK_RE.findall(response.get_data(as_text=True))) == found


def test_profile_edit_diacritics_round_trip_and_search(app, world, login_as):
    anna = login_as("anna@example.org")
    profile = {**_good_profile(world), "organisation_name": "Żółć Gęślą Jaźń", "region": "Łódzkie",
               "description": "Ģērbšanās, ķēķis, ņemšana"}

    saved = anna.post(f"/events/{world.event}/profile", profile)

    assert saved.status_code == 302
    with app.app_context():
        anna_row = db.session.get(Participant, world.anna)
        assert (anna_row.organisation_name, anna_row.region, anna_row.description) == (
            "Żółć Gęślą Jaźń", "Łódzkie", "Ģērbšanās, ķēķis, ņemšana")
    janis = login_as("janis@example.org")
    for query in ("zolc gesla jazn", "lodzkie", "gerbsanas kekis"):
        page = janis.get(f"/events/{world.event}/participants", query_string={"q": query}).get_data(as_text=True)
        assert "Żółć Gęślą Jaźń" in page, query
