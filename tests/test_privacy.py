"""Privacy: consent to networking, who can find a participant, contact details only between partners
who have a meeting, and the event's privacy notice."""
from __future__ import annotations

import json

import pytest
from icalendar import Calendar
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Event, Meeting, MeetingRequest, Participant, WebhookDelivery
from matchmaking.services import contacts, meetings, participant_import, shapes, webhooks
from matchmaking.services.errors import ServiceError
from tests.factories import make_event, make_user, register
from tests.test_api import Api, token_for

ANNA = {"phone": "+48 58 123 45 67", "website": "https://www.klaster-lomza.pl/",
        "linkedin": "https://www.linkedin.com/company/klaster-lomza/"}
JANIS = {"phone": "+371 6700 1234", "website": "https://www.rokavaldina.lv/",
         "linkedin": "https://www.linkedin.com/company/rokavaldina/"}
JANIS_SECRETS = (JANIS["phone"], JANIS["website"], JANIS["linkedin"], "janis@example.org")


@pytest.fixture
def receiver_url() -> str:
    """A webhook endpoint that is only queued for here, never called."""
    return "https://crm.example.org/hooks/matchmaking"


@pytest.fixture
def world(app):
    """An event (times shown as soon as booked) with Anna and Jānis, who both gave contact details."""
    with app.app_context():
        organiser = make_user("org@example.org", "Olga Organizatorka", organiser=True)
        event = make_event(organiser)
        anna = register(make_user("anna@example.org", "Anna Wiśniewska"), event, organisation="Klaster Łomża",
                        **ANNA)
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna",
                         country="LV", **JANIS)
        db.session.commit()
        return {"event": event.id, "anna": anna.id, "janis": janis.id}


def _set(app, participant_id: int, **values) -> None:
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        for key, value in values.items():
            setattr(participant, key, value)
        db.session.commit()


def _request(app, requester_id: int, recipient_id: int, *, accept: bool = False) -> int:
    with app.app_context():
        made = meetings.request_meeting(requester=db.session.get(Participant, requester_id),
                                        recipient=db.session.get(Participant, recipient_id), message="Labdien!",
                                        online=False)
        if accept:
            meetings.accept_request(recipient=db.session.get(Participant, recipient_id), request_id=made.id)
        db.session.commit()
        return made.id


def _meeting_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Meeting.id))


def _text(response) -> str:
    return response.get_data(as_text=True)


def _json(response) -> str:
    return json.dumps(response.json, ensure_ascii=False)


def _api(app, email: str) -> Api:
    return Api(app.test_client(), token_for(app, email))


# --- Consent to networking ------------------------------------------------------------------------

def test_consent_is_asked_at_registration_apart_from_the_profile_and_stored_with_its_time(app, make_browser, world):
    with app.app_context():
        make_user("nora@example.org", "Nora Ozola")
        make_user("olek@example.org", "Olek Nowak")
        db.session.commit()
    profile = {"organisation_name": "Vidzemes klasteris", "organisation_type": "cluster", "country": "LV",
               "meeting_mode": "onsite", "visibility": "all"}
    nora, olek = make_browser(), make_browser()
    nora.login("nora@example.org")
    olek.login("olek@example.org")

    form = _text(nora.get(f"/events/{world['event']}/register"))
    nora.post(f"/events/{world['event']}/register", profile)  # the box left unticked
    olek.post(f"/events/{world['event']}/register", dict(profile, networking_consent="y"))

    assert "List me in the participant directory and let other participants contact me for meetings" in form
    assert 'name="networking_consent"' in form and "checked" not in form.split('name="networking_consent"')[1][:40]
    assert f"/events/{world['event']}/privacy" in form
    with app.app_context():
        by_email = {p.user.email: p for p in db.session.scalars(select(Participant))}
        assert by_email["nora@example.org"].networking_consent is False
        assert by_email["olek@example.org"].networking_consent is True
        assert by_email["nora@example.org"].networking_consent_at is not None
        assert by_email["olek@example.org"].networking_consent_at is not None


def test_without_consent_nobody_finds_requests_or_is_requested_by_them(app, make_browser, world):
    _set(app, world["janis"], networking_consent=False)
    anna, janis = make_browser(), make_browser()
    anna.login("anna@example.org")
    janis.login("janis@example.org")
    event = world["event"]

    assert "Rokavaldīna" not in _text(anna.get(f"/events/{event}/participants"))
    assert anna.get(f"/events/{event}/participants/{world['janis']}").status_code == 404
    assert anna.post(f"/events/{event}/participants/{world['janis']}/request", {"message": "Hi"}).status_code == 404
    refused = janis.post(f"/events/{event}/participants/{world['anna']}/request", {"message": "Hi"},
                         follow_redirects=True)
    assert "You have not agreed to networking" in _text(refused)
    with app.app_context():
        assert db.session.scalar(select(MeetingRequest.id)) is None
    # The programme and their own agenda stay open to them, and the directory explains why.
    assert janis.get(f"/events/{event}").status_code == 200
    assert janis.get(f"/events/{event}/agenda").status_code == 200
    assert "You have not agreed to networking" in _text(janis.get(f"/events/{event}/participants"))

    anna_api, janis_api = _api(app, "anna@example.org"), _api(app, "janis@example.org")
    listed = anna_api.get(f"/api/v1/events/{event}/participants").json
    assert [p["id"] for p in listed["items"]] == [world["anna"]]
    assert anna_api.get(f"/api/v1/events/{event}/participants/{world['janis']}").status_code == 404
    assert anna_api.post(f"/api/v1/events/{event}/requests",
                         json={"recipient_id": world["janis"]}).status_code == 404
    assert janis_api.post(f"/api/v1/events/{event}/requests",
                          json={"recipient_id": world["anna"]}).status_code == 409


def test_a_participant_who_withdraws_consent_cannot_accept_and_cannot_be_accepted(app, world):
    request_id = _request(app, world["anna"], world["janis"])
    _set(app, world["janis"], networking_consent=False)
    with app.app_context(), pytest.raises(ServiceError, match="not agreed to networking"):
        meetings.accept_request(recipient=db.session.get(Participant, world["janis"]), request_id=request_id)

    _set(app, world["janis"], networking_consent=True)
    _set(app, world["anna"], networking_consent=False)
    with app.app_context(), pytest.raises(ServiceError, match="no longer takes part"):
        meetings.accept_request(recipient=db.session.get(Participant, world["janis"]), request_id=request_id)


# --- Visibility -----------------------------------------------------------------------------------

def test_organisers_only_hides_them_from_participants_but_not_from_organisers(app, make_browser, world):
    _set(app, world["janis"], visibility="organisers")
    anna, organiser = make_browser(), make_browser()
    anna.login("anna@example.org")
    organiser.login("org@example.org")
    event = world["event"]

    assert "Rokavaldīna" not in _text(anna.get(f"/events/{event}/participants"))
    assert "Rokavaldīna" not in _text(anna.get(f"/events/{event}/participants?q=Rokavaldina"))
    assert anna.get(f"/events/{event}/participants/{world['janis']}").status_code == 404
    assert anna.post(f"/events/{event}/participants/{world['janis']}/request", {"message": "Hi"}).status_code == 404
    assert _api(app, "anna@example.org").get(f"/api/v1/events/{event}/participants/{world['janis']}").status_code \
        == 404
    organiser_view = _text(organiser.get(f"/organiser/events/{event}/participants"))
    assert "Rokavaldīna" in organiser_view
    edit = _text(organiser.get(f"/organiser/events/{event}/participants/{world['janis']}/edit"))
    assert JANIS["phone"] in edit and JANIS["linkedin"] in edit


def test_a_hidden_participant_may_still_ask_and_the_one_asked_sees_who_asks(app, make_browser, world):
    _set(app, world["janis"], visibility="organisers")
    _request(app, world["janis"], world["anna"])
    anna = make_browser()
    anna.login("anna@example.org")

    page = anna.get(f"/events/{world['event']}/participants/{world['janis']}")

    assert page.status_code == 200 and "Rokavaldīna" in _text(page)
    assert "Contact details appear here once you both have a meeting." in _text(page)
    assert JANIS["phone"] not in _text(page)


# --- Contact details ------------------------------------------------------------------------------

def test_contacts_are_hidden_everywhere_before_a_meeting(app, make_browser, world, receiver_url):
    with app.app_context():
        webhooks.add_endpoint(event=db.session.get(Event, world["event"]), url=receiver_url, kinds=webhooks.KINDS,
                              base_url=app.config["BASE_URL"])
        db.session.commit()
    _request(app, world["anna"], world["janis"])
    anna = make_browser()
    anna.login("anna@example.org")
    event = world["event"]
    anna_api = _api(app, "anna@example.org")

    surfaces = {
        "directory": _text(anna.get(f"/events/{event}/participants")),
        "profile": _text(anna.get(f"/events/{event}/participants/{world['janis']}")),
        "requests": _text(anna.get(f"/events/{event}/requests")),
        "api participants": _json(anna_api.get(f"/api/v1/events/{event}/participants")),
        "api participant": _json(anna_api.get(f"/api/v1/events/{event}/participants/{world['janis']}")),
        "api requests": _json(anna_api.get(f"/api/v1/events/{event}/requests")),
    }
    with app.app_context():
        surfaces["webhooks"] = " ".join(d.payload for d in db.session.scalars(select(WebhookDelivery)))
        janis = db.session.get(Participant, world["janis"])
        surfaces["participant shape"] = json.dumps(shapes.participant_data(janis), ensure_ascii=False)
    assert "Contact details appear here once you both have a meeting." in surfaces["profile"]
    assert "Rokavaldīna" in surfaces["directory"] and "Rokavaldīna" in surfaces["api participant"]
    assert "request.created" in surfaces["webhooks"]
    for name, text in surfaces.items():
        for secret in JANIS_SECRETS:
            assert secret not in text, (name, secret)


def test_contacts_are_shown_to_both_partners_once_a_meeting_exists(app, make_browser, world, receiver_url):
    with app.app_context():
        webhooks.add_endpoint(event=db.session.get(Event, world["event"]), url=receiver_url, kinds=webhooks.KINDS,
                              base_url=app.config["BASE_URL"])
        db.session.commit()
    _request(app, world["anna"], world["janis"], accept=True)
    meeting_id = _meeting_id(app)
    anna = make_browser()
    anna.login("anna@example.org")
    event = world["event"]

    meeting_page = _text(anna.get(f"/events/{event}/meetings/{meeting_id}"))
    profile_page = _text(anna.get(f"/events/{event}/participants/{world['janis']}"))
    agenda_page = _text(anna.get(f"/events/{event}/agenda"))
    answer = _api(app, "anna@example.org").get(f"/api/v1/events/{event}/meetings/{meeting_id}").json
    janis_answer = _api(app, "janis@example.org").get(f"/api/v1/events/{event}/meetings/{meeting_id}").json
    one_off = Calendar.from_ical(anna.get(f"/events/{event}/meetings/{meeting_id}.ics").data)
    agenda_file = Calendar.from_ical(anna.get(f"/events/{event}/agenda.ics").data)

    for secret in JANIS_SECRETS:
        assert secret in meeting_page and secret in profile_page
    assert "janis@example.org" in agenda_page
    assert answer["partner_contacts"] == {"email": "janis@example.org", **JANIS}
    assert janis_answer["partner_contacts"] == {"email": "anna@example.org", **ANNA}
    for calendar in (one_off, agenda_file):
        [vevent] = calendar.walk("VEVENT")
        description = str(vevent["DESCRIPTION"])
        assert "janis@example.org" in description and JANIS["phone"] in description
        assert JANIS["linkedin"] in description
    with app.app_context():  # webhook bodies and the organisers' sync shape never carry them
        bodies = " ".join(d.payload for d in db.session.scalars(select(WebhookDelivery)))
        assert "meeting.scheduled" in bodies or "request.accepted" in bodies
        plain = json.dumps(shapes.meeting_data(db.session.get(Meeting, meeting_id)), ensure_ascii=False)
    for secret in JANIS_SECRETS:
        assert secret not in bodies and secret not in plain


def test_a_cancelled_meeting_hides_the_contacts_again(app, make_browser, world):
    _request(app, world["anna"], world["janis"], accept=True)
    meeting_id = _meeting_id(app)
    with app.app_context():
        meetings.cancel_meeting(participant=db.session.get(Participant, world["janis"]), meeting_id=meeting_id,
                                reason="Ill")
        db.session.commit()
    anna = make_browser()
    anna.login("anna@example.org")
    event = world["event"]

    meeting_page = _text(anna.get(f"/events/{event}/meetings/{meeting_id}"))
    profile_page = _text(anna.get(f"/events/{event}/participants/{world['janis']}"))
    answer = _api(app, "anna@example.org").get(f"/api/v1/events/{event}/meetings/{meeting_id}").json
    [vevent] = Calendar.from_ical(anna.get(f"/events/{event}/meetings/{meeting_id}.ics").data).walk("VEVENT")
    description = str(vevent["DESCRIPTION"])

    assert "Contact details appear here once you both have a meeting." in meeting_page
    assert "Contact details appear here once you both have a meeting." in profile_page
    assert answer["partner_contacts"] is None
    assert vevent["STATUS"] == "CANCELLED" and "Ill" in description
    for secret in JANIS_SECRETS:
        assert secret not in meeting_page and secret not in profile_page and secret not in description


def test_contacts_of_a_meeting_belong_to_its_two_sides_only(app, world):
    _request(app, world["anna"], world["janis"], accept=True)
    with app.app_context():
        stranger = register(make_user("ruta@example.org", "Rūta Kalniņa"), db.session.get(Event, world["event"]),
                            organisation="Latgales klasteris", country="LV")
        meeting = db.session.get(Meeting, _meeting_id(app))
        janis = db.session.get(Participant, world["janis"])
        assert contacts.partner_contacts(meeting, stranger) is None
        assert contacts.shared_between(stranger, janis) is None
        assert contacts.shared_between(db.session.get(Participant, world["anna"]), janis).phone == JANIS["phone"]


# --- Validation of the new fields -----------------------------------------------------------------

PROFILE = {"organisation_name": "Klaster Łomża", "organisation_type": "cluster", "country": "PL",
           "meeting_mode": "onsite", "visibility": "all", "networking_consent": "y"}


@pytest.mark.parametrize(("field", "value", "error"), [
    ("website", "javascript:alert(1)", "Enter a web address starting with https:// or http://"),
    ("website", "data:text/html,hi", "Enter a web address starting with https:// or http://"),
    ("linkedin", "https://evil.example.org/company/x", "Enter a LinkedIn address"),
    ("linkedin", "javascript://www.linkedin.com/%0aalert(1)", "Enter a LinkedIn address"),
    ("phone", "call me maybe", "Enter a phone number"),
    ("phone", "+48 58\r\n123", "Use one line, without line breaks or tabs."),
    ("website", "https://example.org/\x1b[2J", "Use one line, without line breaks or tabs."),
    ("phone", "1" * 1_000_000, "Field cannot be longer than 40 characters."),
    ("website", "https://example.org/" + "a" * 1_000_000, "Field cannot be longer than 300 characters."),
], ids=["javascript", "data", "not-linkedin", "javascript-linkedin", "letters", "line-break", "escape", "1mb-phone",
        "1mb-website"])
def test_contact_fields_refuse_what_is_not_a_contact(app, browser, world, field, value, error):
    browser.login("anna@example.org")

    page = browser.post(f"/events/{world['event']}/profile", dict(PROFILE, **{field: value}))

    assert page.status_code == 200
    assert error in _text(page)
    with app.app_context():
        assert getattr(db.session.get(Participant, world["anna"]), field) == ANNA[field]


@pytest.mark.parametrize(("field", "value"), [("website", "javascript:alert(1)"), ("linkedin", "https://x.org/a"),
                                              ("phone", "+48\n58"), ("website", "https://" + "a" * 400 + ".pl")])
def test_the_service_refuses_the_same(app, world, field, value):
    with app.app_context(), pytest.raises(ServiceError):
        contacts.check(**{**ANNA, field: value})


def test_the_api_refuses_a_javascript_address_and_keeps_what_is_left_out(app, world):
    anna_api = _api(app, "anna@example.org")
    url = f"/api/v1/events/{world['event']}/me"
    body = {"organisation_name": "Klaster Łomża", "organisation_type": "cluster", "country": "PL"}

    refused = anna_api.put(url, json=dict(body, website="javascript:alert(1)"))
    kept = anna_api.put(url, json=body)

    assert refused.status_code == 422
    assert kept.status_code == 200
    assert kept.json["website"] == ANNA["website"] and kept.json["networking_consent"] is True


def test_the_profile_saves_contacts_consent_and_visibility(app, browser, world):
    browser.login("anna@example.org")
    saved = browser.post(f"/events/{world['event']}/profile",
                         dict(PROFILE, phone="(58) 765-43-21", website="http://lomza.example.pl",
                              linkedin="https://pl.linkedin.com/in/anna", visibility="organisers"))

    assert saved.status_code == 302
    with app.app_context():
        anna = db.session.get(Participant, world["anna"])
        assert (anna.phone, anna.website, anna.linkedin, anna.visibility, anna.networking_consent) == (
            "(58) 765-43-21", "http://lomza.example.pl", "https://pl.linkedin.com/in/anna", "organisers", True)
        assert not anna.is_listed


# --- The organiser's import -----------------------------------------------------------------------

def test_the_import_takes_consent_from_a_column_yes_by_default(app, world):
    rows = [{"name": "Ieva Liepa", "email": "ieva@example.org", "organisation": "Zemgales klasteris",
             "type": "cluster", "country": "LV", "networking": ""},
            {"name": "Piotr Zieliński", "email": "piotr@example.org", "organisation": "Klaster Pomorski",
             "type": "cluster", "country": "PL", "networking": "no"}]
    with app.app_context():
        event = db.session.get(Event, world["event"])
        bad = participant_import.check_rows(event, [dict(rows[0], networking="maybe")])
        participant_import.import_rows(event, rows)
        db.session.commit()
        consent = {p.user.email: p.networking_consent for p in db.session.scalars(select(Participant))}

    assert bad[0].errors == ("networking: use yes or no",)
    assert consent["ieva@example.org"] is True and consent["piotr@example.org"] is False


# --- The privacy notice ---------------------------------------------------------------------------

def test_the_privacy_notice_is_the_standard_text_until_the_organiser_writes_one(app, client, make_browser, world):
    url = f"/events/{world['event']}/privacy"
    standard = _text(client.get(url))
    event_page = _text(client.get(f"/events/{world['event']}"))

    organiser = make_browser()
    organiser.login("org@example.org")
    saved = organiser.post(f"/organiser/events/{world['event']}/edit", {
        "name": "Baltic Cluster Brokerage", "timezone": "Europe/Riga",
        "privacy_notice": "Controller: Pomorskie Cluster Association, Gdańsk. Write to dpo@example.org.",
        "privacy_notice_pl": "Administrator: Stowarzyszenie Klastrów Pomorskich, Gdańsk."})
    custom = _text(client.get(url))
    polish = _text(client.get(url, headers={"Accept-Language": "pl"}))

    assert "Olga Organizatorka" in standard and "are the controller" in standard
    assert url in event_page
    assert saved.status_code == 302
    assert "Controller: Pomorskie Cluster Association" in custom and "are the controller" not in custom
    assert "Administrator: Stowarzyszenie Klastrów Pomorskich" in polish


def test_the_standard_privacy_notice_is_translated(app, client, world):
    polish = _text(client.get(f"/events/{world['event']}/privacy", headers={"Accept-Language": "pl"}))
    latvian = _text(client.get(f"/events/{world['event']}/privacy", headers={"Accept-Language": "lv"}))

    assert "Olga Organizatorka" in polish and "Olga Organizatorka" in latvian
    assert "are the controller" not in polish and "are the controller" not in latvian
