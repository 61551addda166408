"""Personal data: one's own export (page and JSON), deleting one's account, the retention purge with
its reminders, and the organisers' audit log of what they did with participants' data."""
from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest

from matchmaking import jobs
from matchmaking.extensions import db
from matchmaking.models import (
    AuditEntry,
    Event,
    Meeting,
    MeetingRequest,
    OutboxMessage,
    Participant,
    PartnerMark,
    User,
)
from matchmaking.models.meeting import PENDING, WITHDRAWN
from matchmaking.services import (
    accounts,
    api_tokens,
    audit,
    calendar_feed,
    dashboard,
    events,
    meetings,
    outcomes,
    participant_import,
    participants_admin,
    registration,
)
from matchmaking.services import personal_data as pd
from matchmaking.services.errors import ServiceError
from matchmaking.services.mail_kinds import CATEGORIES
from tests.factories import EVENT_DAY, PASSWORD, make_event, make_user, register

# The event's two slots are 09:00 and 09:30 in Riga (06:00 and 06:30 UTC); between them, the
# first meeting has started and the second is still to come.
BETWEEN_SLOTS = datetime.combine(EVENT_DAY, time(6, 15))
EVENT_END = datetime.combine(EVENT_DAY, time(21, 0))  # midnight after the last day, Riga (UTC+3 in May)


@pytest.fixture
def world(app):
    """Anna meets Jānis at 09:00 and Ilze at 09:30; she asked Kārlis (pending), Ilze wrote to Jānis."""
    with app.app_context():
        organiser = make_user("org@example.org", "Inese Eglīte", organiser=True)
        rival = make_user("rival@example.org", "Rasmus Rival", organiser=True)
        event = make_event(organiser)
        event.followup_enabled = False  # retention from the event's end; the follow-up's effect: its own tests
        make_event(rival, name="Nordic Wood Forum", day=EVENT_DAY + timedelta(days=30))
        anna = register(make_user("anna@example.org", "Anna Wiśniewska"), event, organisation="Klaster Łomża",
                        offer="Anna's own offer", seek="Partners in Latvia")
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna",
                         country="LV")
        ilze = register(make_user("ilze@example.org", "Ilze Ozola"), event, organisation="Kurzemes klasteris",
                        country="LV", offer="Ilze's own offer")
        karlis = register(make_user("karlis@example.org", "Kārlis Ozoliņš"), event, organisation="Vidzeme Food")
        first = meetings.accept_request(recipient=janis, request_id=meetings.request_meeting(
            requester=anna, recipient=janis, message="Anna to Jānis", online=False).id)
        second = meetings.accept_request(recipient=ilze, request_id=meetings.request_meeting(
            requester=anna, recipient=ilze, message="Anna to Ilze", online=False).id)
        assert first.slot.starts_at < BETWEEN_SLOTS < second.slot.starts_at
        pending = meetings.request_meeting(requester=anna, recipient=karlis, message="Anna to Kārlis", online=False)
        private = meetings.request_meeting(requester=ilze, recipient=janis, message="Ilze's note to Jānis only",
                                           online=False)
        _token, secret = api_tokens.create_token(user=anna.user, name="CRM sync", scopes=("participant",))
        calendar_feed.ensure_feed(anna.user, "test")
        db.session.commit()
        return {"event": event.id, "anna": anna.id, "janis": janis.id, "ilze": ilze.id, "karlis": karlis.id,
                "anna_user": anna.user_id, "first": first.id, "second": second.id, "pending": pending.id,
                "private": private.id, "secret": secret}


# --- Your data ---------------------------------------------------------------------------------------

def test_the_data_page_and_the_json_download_show_the_users_data_and_nobody_elses(app, world, browser):
    with app.app_context():  # a partner Anna marked on her recommendations page
        db.session.add(PartnerMark(participant_id=world["anna"], other_id=world["janis"], mark="interested"))
        db.session.commit()
    browser.login("anna@example.org")

    page = browser.get("/account/data")
    download = browser.get("/account/data.json")

    assert page.status_code == 200 and download.status_code == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert "no-store" in page.headers["Cache-Control"] and "no-store" in download.headers["Cache-Control"]
    data = json.loads(download.get_data(as_text=True))
    assert data["account"]["email"] == "anna@example.org"
    assert data["calendar_feed"] == {"active": True}
    assert [t["name"] for t in data["api_tokens"]] == ["CRM sync"]
    assert "token_hash" not in data["api_tokens"][0]
    (registration,) = data["registrations"]
    assert registration["profile"]["offer"] == "Anna's own offer"
    assert [r["message"] for r in registration["requests_sent"]] == ["Anna to Jānis", "Anna to Ilze", "Anna to Kārlis"]
    assert {m["with"]["name"] for m in registration["meetings"]} == {"Jānis Bērziņš", "Ilze Ozola"}
    assert [(m["with"]["name"], m["mark"]) for m in registration["partner_marks"]] == [("Jānis Bērziņš", "interested")]
    html = page.get_data(as_text=True)
    for text in ("anna@example.org", "Anna&#39;s own offer", "Anna to Kārlis", "CRM sync", "Jānis Bērziņš"):
        assert text in html
    for other in (json.dumps(data), html):  # partners appear by name and organisation only
        for secret in ("janis@example.org", "ilze@example.org", "Ilze's note", "Ilze&#39;s note", "Ilze's own offer",
                       "Ilze&#39;s own offer", world["secret"]):
            assert secret not in other


def test_the_data_pages_need_a_login(world, client):
    for url in ("/account/data", "/account/data.json", "/account/delete"):
        assert client.get(url).headers["Location"].startswith("/login")


# --- Deleting one's account ------------------------------------------------------------------------

def test_deleting_cancels_what_is_to_come_and_anonymises_what_took_place(app, world):
    with app.app_context():
        db.session.query(OutboxMessage).delete()
        anna_user = db.session.get(User, world["anna_user"])
        db.session.add(OutboxMessage(kind="digest", user_id=anna_user.id, payload="{}"))
        db.session.flush()

        pd.delete_account(user=anna_user, password=PASSWORD, secret_key="test", now=BETWEEN_SLOTS)
        db.session.commit()

        first, second = db.session.get(Meeting, world["first"]), db.session.get(Meeting, world["second"])
        assert first.is_live and second.cancelled_at is not None  # past kept, future cancelled
        assert second.cancel_reason == pd.ACCOUNT_DELETED_REASON
        mail = db.session.query(OutboxMessage).all()
        assert [(m.kind, m.user.email) for m in mail] == [("meeting_cancelled", "ilze@example.org")]
        assert db.session.get(MeetingRequest, world["pending"]).status == WITHDRAWN
        assert db.session.get(MeetingRequest, world["private"]).status == PENDING  # not hers

        anna = db.session.get(Participant, world["anna"])
        assert anna.anonymised_at is not None and anna.name == "Deleted participant" and anna.email == ""
        assert (anna.offer, anna.seek, anna.description) == ("", "", "")
        assert (anna.organisation_name, anna.country, anna.sectors) == ("Klaster Łomża", "PL", ["social_economy"])
        assert db.session.get(MeetingRequest, world["pending"]).message == ""
        assert first.participant_a.name == "Deleted participant" and first.participant_b.name == "Jānis Bērziņš"

        user = db.session.get(User, world["anna_user"])
        assert user.email == f"deleted-{user.id}@invalid" and user.name == "Deleted participant"
        assert user.feed_token_hash is None
        assert api_tokens.authenticate(world["secret"]) is None
        entry = db.session.query(AuditEntry).one()
        assert (entry.action, entry.participant_id, entry.actor_id) == (audit.ACCOUNT_DELETED, anna.id, None)


def test_a_deleted_account_cannot_log_in_and_its_address_can_sign_up_again(app, world, browser, client):
    browser.login("anna@example.org")
    assert browser.post("/account/delete", {"password": "not my password"}).status_code == 200
    with app.app_context():
        assert db.session.get(User, world["anna_user"]).email == "anna@example.org"  # wrong password: nothing

    response = browser.post("/account/delete", {"password": PASSWORD})

    assert response.headers["Location"] == "/"
    assert browser.get("/account/data").headers["Location"].startswith("/login")  # logged out
    assert "Wrong e-mail or password" in browser.post("/login", {"email": "anna@example.org", "password": PASSWORD}
                                                      ).get_data(as_text=True)
    bearer = {"Authorization": f"Bearer {world['secret']}"}
    assert client.get(f"/api/v1/events/{world['event']}/me", headers=bearer).status_code == 401
    browser.post("/signup", {"name": "Anna Nowa", "email": "anna@example.org", "password": "a brand new password"})
    browser.login("anna@example.org", "a brand new password")
    with app.app_context():
        assert db.session.query(User).filter_by(email="anna@example.org").one().name == "Anna Nowa"


def test_deleting_needs_the_csrf_token_and_the_own_password(app, world, make_browser):
    janis = make_browser()
    janis.login("janis@example.org")

    without_token = janis.client.post("/account/delete", data={"password": "correct horse battery"})
    with_annas_password_for_annas_account = janis.post("/account/delete", {"password": "someone else's"})

    assert without_token.status_code == 400
    assert with_annas_password_for_annas_account.status_code == 200
    with app.app_context():
        assert db.session.query(User).filter(User.email.like("deleted-%")).count() == 0
        assert db.session.query(Participant).filter(Participant.anonymised_at.is_not(None)).count() == 0


def test_the_only_organiser_of_an_event_hands_it_over_first(app, world, browser):
    browser.login("org@example.org")

    refused = browser.post("/account/delete", {"password": PASSWORD})

    assert "You are the only organiser of Baltic Cluster Brokerage" in refused.get_data(as_text=True)
    with app.app_context():
        event = db.session.get(Event, world["event"])
        event.organisers.append(make_user("co@example.org", "Co Organiser", organiser=True))
        db.session.commit()
    assert browser.post("/account/delete", {"password": PASSWORD}).headers["Location"] == "/"
    with app.app_context():
        assert [o.email for o in db.session.get(Event, world["event"]).organisers] == ["co@example.org"]


def test_the_last_administrator_makes_another_one_first(app, world):
    with app.app_context():
        admin = make_user("admin@example.org", "Ada Admin", admin=True)
        db.session.commit()
        with pytest.raises(ServiceError, match="only administrator"):
            pd.delete_account(user=admin, password=PASSWORD, secret_key="test")
        make_user("admin2@example.org", "Second Admin", admin=True)
        pd.delete_account(user=admin, password=PASSWORD, secret_key="test")
        assert not admin.is_admin and admin.password_hash == accounts.UNUSABLE_PASSWORD


def test_a_deleted_participant_is_no_longer_in_the_directory(app, world, make_browser):
    anna = make_browser()
    anna.login("anna@example.org")
    anna.post("/account/delete", {"password": PASSWORD})
    janis = make_browser()
    janis.login("janis@example.org")

    directory = janis.get(f"/events/{world['event']}/participants").get_data(as_text=True)

    assert "Klaster Łomża" not in directory and "Kurzemes klasteris" in directory
    assert janis.get(f"/events/{world['event']}/participants/{world['anna']}").status_code == 404


# --- Retention ---------------------------------------------------------------------------------------

def test_an_event_past_its_retention_period_is_purged_once_and_its_figures_stay(app, world, make_browser):
    with app.app_context():
        before = dashboard.event_dashboard(world["event"])
        assert pd.deletion_due(db.session.get(Event, world["event"])) == EVENT_END + timedelta(days=90)
        for days_ahead in (14, 1):  # the organisers' warnings, which the deletion waits for
            pd.queue_retention_reminders(now=EVENT_END + timedelta(days=90 - days_ahead, hours=1))
        assert jobs.purge_expired_personal_data(EVENT_END + timedelta(days=89)) == []

        assert jobs.purge_expired_personal_data(EVENT_END + timedelta(days=91)) == [world["event"]]
        assert jobs.purge_expired_personal_data(EVENT_END + timedelta(days=91, minutes=1)) == []

        rows = db.session.query(Participant).filter_by(event_id=world["event"]).all()
        assert all(p.anonymised_at is not None and p.name == "Deleted participant" and p.offer == "" for p in rows)
        assert db.session.get(User, world["anna_user"]).email == "anna@example.org"  # the account is the person's
        assert db.session.get(MeetingRequest, world["private"]).message == ""
        with pytest.raises(ServiceError):  # the data is not filled in again afterwards
            registration.update_profile(participant=rows[0], profile=registration.Profile.of(rows[0]))
        after = dashboard.event_dashboard(world["event"])
        assert (after.funnel, after.slots, after.by_country) == (before.funnel, before.slots, before.by_country)
        assert [e.action for e in db.session.query(AuditEntry)] == [audit.PURGE]
    organiser = make_browser()
    organiser.login("org@example.org")
    page = organiser.get(f"/organiser/events/{world['event']}/dashboard")
    assert page.status_code == 200 and "Deleted participant" in page.get_data(as_text=True)  # most requested
    participants = organiser.get(f"/organiser/events/{world['event']}/participants").get_data(as_text=True)
    assert "anna@example.org" not in participants and "Deleted participant" in participants


def test_with_its_follow_up_on_the_data_is_kept_until_the_follow_up_is_answered(app, world, make_browser):
    """The defaults (90 days' retention, a follow-up six months after) must not delete the data first."""
    organiser = make_browser()
    organiser.login("org@example.org")
    form = {"name": "Baltic Cluster Brokerage", "timezone": "Europe/Riga", "retention_days": "90",
            "followup_enabled": "y", "followup_on": "2030-11-20"}
    assert organiser.post(f"/organiser/events/{world['event']}/edit", form).status_code == 302
    followup_day = datetime(2030, 11, 19, 22, 0)  # local midnight of 20 November in Riga (UTC+2), as UTC
    assert "90 days after the follow-up" in organiser.get(f"/organiser/events/{world['event']}/audit").get_data(
        as_text=True)
    with app.app_context():
        event = db.session.get(Event, world["event"])
        assert event.followup_enabled
        assert pd.deletion_due(event) == followup_day + timedelta(days=30 + 90)
        assert outcomes.queue_followups(now=followup_day + timedelta(hours=1)) == 3  # Anna, Jānis and Ilze
        db.session.commit()
        for days_ahead in (14, 1):
            pd.queue_retention_reminders(now=pd.deletion_due(event) - timedelta(days=days_ahead, hours=-1))
        assert jobs.purge_expired_personal_data(EVENT_END + timedelta(days=91)) == []
        assert jobs.purge_expired_personal_data(followup_day + timedelta(days=121)) == [world["event"]]



def test_turning_the_follow_up_off_deletes_counting_from_the_event_and_sends_none(app, world, make_browser):
    organiser = make_browser()
    organiser.login("org@example.org")
    assert "sends no follow-up e-mail" in organiser.get(
        f"/organiser/events/{world['event']}/outcomes").get_data(as_text=True)
    with app.app_context():
        event = db.session.get(Event, world["event"])
        event.followup_enabled, event.followup_on = False, EVENT_DAY + timedelta(days=10)
        assert pd.deletion_due(event) == EVENT_END + timedelta(days=90)
        assert outcomes.queue_followups(now=EVENT_END + timedelta(days=11)) == 0
        event.followup_enabled = True
        assert pd.deletion_due(event) == EVENT_END + timedelta(days=9 + 30 + 90)  # its day: 9 days after
        assert outcomes.queue_followups(now=EVENT_END + timedelta(days=11)) > 0


def test_organisers_are_reminded_14_days_and_1_day_before_once_each(app, world):
    with app.app_context():
        db.session.query(OutboxMessage).delete()
        due = EVENT_END + timedelta(days=90)
        runs = [due - timedelta(days=15), due - timedelta(days=14) + timedelta(hours=1),
                due - timedelta(days=13), due - timedelta(hours=23), due - timedelta(hours=22)]

        queued = [pd.queue_retention_reminders(now=now) for now in runs]

        assert queued == [0, 1, 0, 1, 0]
        mail = db.session.query(OutboxMessage).order_by(OutboxMessage.id).all()
        assert [(m.kind, m.user.email, json.loads(m.payload)["days"]) for m in mail] == [
            ("retention_reminder", "org@example.org", 14), ("retention_reminder", "org@example.org", 1)]


def test_an_event_found_past_its_period_gets_a_days_warning_before_anything_goes(app, world):
    """After an upgrade (or a shortened period) nothing is deleted unannounced, even if the organiser
    turned every e-mail off."""
    with app.app_context():
        db.session.query(OutboxMessage).delete()
        db.session.query(User).filter_by(email="org@example.org").one().mail_muted = ",".join(CATEGORIES)
        found = EVENT_END + timedelta(days=200)
        assert jobs.purge_expired_personal_data(found) == []

        pd.queue_retention_reminders(now=found)
        pd.queue_retention_reminders(now=found + timedelta(hours=1))
        [mail] = [m for m in db.session.query(OutboxMessage) if json.loads(m.payload)["event"] == world["event"]]
        assert mail.user.email == "org@example.org"
        assert json.loads(mail.payload) == {"event": world["event"], "days": 1,
                                            "due": (found + timedelta(days=1)).isoformat()}
        assert jobs.purge_expired_personal_data(found + timedelta(hours=23)) == []
        assert world["event"] in jobs.purge_expired_personal_data(found + timedelta(days=1, minutes=1))


def test_the_organiser_sets_the_retention_period(app, world, make_browser):
    organiser = make_browser()
    organiser.login("org@example.org")
    form = {"name": "Baltic Cluster Brokerage", "timezone": "Europe/Riga"}

    organiser.post(f"/organiser/events/{world['event']}/edit", {**form, "retention_days": "30"})
    refused = organiser.post(f"/organiser/events/{world['event']}/edit", {**form, "retention_days": "3651"})

    assert refused.status_code == 200
    with app.app_context():
        event = db.session.get(Event, world["event"])
        assert event.retention_days == 30
        with pytest.raises(ServiceError):  # the service refuses too
            events.update_event(event=event, details=events.EventDetails(
                name=event.name, venue="", description="", timezone=event.timezone, registration_deadline=None,
                request_deadline=None, retention_days=-1))


# --- The audit log -----------------------------------------------------------------------------------

def test_organiser_actions_on_personal_data_are_logged_for_that_events_organisers_only(app, world, make_browser):
    organiser = make_browser()
    organiser.login("org@example.org")
    base = f"/organiser/events/{world['event']}"

    organiser.get(f"{base}/exports/participants.csv")
    organiser.get(f"{base}/print/participants?participant={world['janis']}")
    organiser.post(f"{base}/participants/{world['karlis']}/edit", {
        "organisation_name": "Vidzeme Food SIA", "organisation_type": "company", "country": "LV",
        "meeting_mode": "onsite"})
    organiser.post(f"{base}/participants/{world['karlis']}/deactivate")
    organiser.post(f"{base}/participants/{world['karlis']}/reactivate")
    with app.app_context():
        participant_import.import_rows(db.session.get(Event, world["event"]), [{
            "name": "Rūta Butkus", "email": "ruta@example.org", "organisation": "Vilnius Food", "type": "company",
            "country": "LT", "region": "", "sectors": "", "description": "", "offer": "", "seek": "",
            "meeting_mode": ""}], actor=db.session.query(User).filter_by(email="org@example.org").one())
        db.session.commit()
        entries = db.session.query(AuditEntry).order_by(AuditEntry.id).all()
        assert [(e.action, e.participant_id, e.actor.email, e.detail) for e in entries] == [
            ("export", None, "org@example.org", "participants.csv"),
            ("export", world["janis"], "org@example.org", "print: participants"),
            ("edit_profile", world["karlis"], "org@example.org", ""),
            ("deactivate", world["karlis"], "org@example.org", "0"),
            ("reactivate", world["karlis"], "org@example.org", ""),
            ("import", None, "org@example.org", "1"),
        ]

    page = organiser.get(f"{base}/audit").get_data(as_text=True)
    assert page.index("Imported participants") < page.index("Downloaded or printed")  # newest first
    assert "Vidzeme Food SIA" in page and "Jānis Bērziņš" in page
    rival = make_browser()
    rival.login("rival@example.org")
    assert rival.get(f"{base}/audit").status_code == 404
    participant = make_browser()
    participant.login("anna@example.org")
    assert participant.get(f"{base}/audit").status_code == 404


def test_approval_and_rejection_are_logged(app, world):
    with app.app_context():
        organiser = db.session.query(User).filter_by(email="org@example.org").one()
        janis, ilze = db.session.get(Participant, world["janis"]), db.session.get(Participant, world["ilze"])
        janis.status = ilze.status = "pending"
        participants_admin.approve(janis, actor=organiser)
        participants_admin.reject(ilze, actor=organiser)

        entries = db.session.query(AuditEntry).order_by(AuditEntry.id).all()
        assert [(e.action, e.participant_id, e.actor_id) for e in entries] == [
            ("approve", janis.id, organiser.id), ("reject", ilze.id, organiser.id)]


def test_the_audit_log_is_paginated(app, world, make_browser):
    with app.app_context():
        event = db.session.get(Event, world["event"])
        for number in range(55):
            audit.record(event=event, actor=None, action=audit.EXPORT, detail=f"file {number}")
        db.session.commit()
    organiser = make_browser()
    organiser.login("org@example.org")

    first = organiser.get(f"/organiser/events/{world['event']}/audit").get_data(as_text=True)
    second = organiser.get(f"/organiser/events/{world['event']}/audit?page=2").get_data(as_text=True)

    assert "file 54<" in first and "file 5<" in first and "file 4<" not in first and "Page 1 of 2" in first
    assert "file 4<" in second and "file 0<" in second and "file 5<" not in second
