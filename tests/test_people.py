"""The organiser manages participants: approval, deactivation, editing on their behalf, import."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from matchmaking.background import run_queued
from matchmaking.extensions import db
from matchmaking.models import BackgroundJob, Event, Meeting, Participant, User
from matchmaking.models.base import utcnow
from matchmaking.services import meetings
from tests.factories import PASSWORD, make_event, make_user, register
from tests.snapshots import db_snapshot

HEADER = "name,email,organisation,type,country,region,sectors,description,offer,seek,meeting_mode"
FLASH = re.compile(r'<div class="flash (?:error|success)" role="status">([^<]*)</div>')


@pytest.fixture
def world(app):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, tables=3)
        event.requires_approval = True
        anna = register(make_user("anna@example.org", "Anna Wiśniewska"), event, organisation="Klaster Łomża",
                        by_organiser=True)
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna",
                         by_organiser=True)
        request = meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        meeting = meetings.accept_request(recipient=janis, request_id=request.id)
        make_user("late@example.org", "Liis Saar")
        db.session.commit()
        return {"event": event.id, "anna": anna.id, "janis": janis.id, "meeting": meeting.id}


@pytest.fixture
def organiser(browser):
    browser.login("org@example.org")
    return browser


def _status(app, participant_id):
    with app.app_context():
        return db.session.get(Participant, participant_id).status


def test_registration_waits_for_approval_then_opens_the_event(app, world, make_browser, organiser):
    liis = make_browser()
    liis.login("late@example.org")
    liis.post(f"/events/{world['event']}/register", {
        "organisation_name": "Pärnu Food Cluster", "organisation_type": "cluster", "country": "EE",
        "meeting_mode": "onsite", "networking_consent": "y"})
    with app.app_context():
        pid = db.session.scalar(select(Participant.id).where(Participant.organisation_name == "Pärnu Food Cluster"))
    waiting = liis.get(f"/events/{world['event']}/participants")
    hidden = make_browser()
    hidden.login("anna@example.org")
    assert waiting.status_code == 403 and "organisers approve each registration" in waiting.get_data(as_text=True)
    assert "Pärnu Food Cluster" not in hidden.get(f"/events/{world['event']}/participants").get_data(as_text=True)
    assert hidden.get(f"/events/{world['event']}/participants/{pid}").status_code == 404

    organiser.post(f"/organiser/events/{world['event']}/participants/{pid}/approve")

    assert _status(app, pid) == "approved"
    assert liis.get(f"/events/{world['event']}/participants").status_code == 200
    assert "Pärnu Food Cluster" in hidden.get(f"/events/{world['event']}/participants").get_data(as_text=True)


def test_deactivating_cancels_meetings_with_a_reason_the_partner_sees(app, world, organiser, make_browser):
    response = organiser.post(f"/organiser/events/{world['event']}/participants/{world['anna']}/deactivate",
                              follow_redirects=True)

    assert FLASH.findall(response.get_data(as_text=True)) == [
        "Anna Wiśniewska is deactivated; their meetings are cancelled."]
    assert _status(app, world["anna"]) == "deactivated"
    janis = make_browser()
    janis.login("janis@example.org")
    page = janis.get(f"/events/{world['event']}/meetings/{world['meeting']}").get_data(as_text=True)
    assert "The organiser deactivated a participant of this meeting." in page
    with app.app_context():
        assert db.session.get(Meeting, world["meeting"]).cancelled_at is not None
    organiser.post(f"/organiser/events/{world['event']}/participants/{world['anna']}/reactivate")
    assert _status(app, world["anna"]) == "approved"


def test_organiser_edits_a_profile_on_behalf_of_a_participant(app, world, organiser):
    organiser.post(f"/organiser/events/{world['event']}/participants/{world['janis']}/edit", {
        "organisation_name": "Rokavaldīna biedrība", "organisation_type": "ngo", "country": "LV", "region": "Kurzeme",
        "meeting_mode": "both"})

    with app.app_context():
        janis = db.session.get(Participant, world["janis"])
        assert (janis.organisation_name, janis.organisation_type, janis.region) == \
            ("Rokavaldīna biedrība", "ngo", "Kurzeme")


def _upload(browser, event_id, name, content: bytes):
    return browser.post(f"/organiser/events/{event_id}/participants/import",
                        {"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def test_import_with_a_bad_row_shows_each_error_and_imports_nothing(app, world, organiser):
    csv_text = "\n".join([
        HEADER,
        "Żaneta Wójcik,zaneta@example.org,Spółdzielnia Socjalna Żuraw,social_cooperative,PL,Podlaskie,"
        "social_economy,,Catering,Buyers,onsite",
        "Bad Row,not-an-email,Org,spaceship,XX,,dance,,,,",
        "Dup,zaneta@example.org,Other,ngo,LV,,,,,,",
        "Anna again,anna@example.org,Klaster,cluster,PL,,,,,,",
    ])
    before = db_snapshot(app)

    page = _upload(organiser, world["event"], "people.csv", csv_text.encode()).get_data(as_text=True)

    assert "3 rows have errors; nothing will be imported" in page
    errors = re.findall(r'<p class="field-error">([^<]*)</p>', page)
    assert errors == [
        "email: not an e-mail address: not-an-email",
        "type: unknown (spaceship); use one of cluster, social_cooperative, ngo, company, public_authority, "
        "university, business_support, other",
        "country: unknown code XX (use two letters, such as PL or LV)",
        "sectors: unknown dance",
        "email: also on line 2",
        "email: already registered for this event",
    ]
    assert "Import 1 participant" not in page
    assert db_snapshot(app) == before


def test_import_xlsx_previews_then_imports_all_rows(app, world, organiser):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["Ilze Kalniņa", "Ilze@Example.org", "Vidzemes Pārtikas klasteris", "cluster", "lv", "Vidzeme",
                  "agrifood; bioeconomy", "", "Testing lab", "", ""])
    sheet.append(["Liis Saar", "late@example.org", "Pärnu Food", "Cluster", "EE", "", "", "", "", "", "online"])
    data = io.BytesIO()
    book.save(data)

    preview = _upload(organiser, world["event"], "people.xlsx", data.getvalue()).get_data(as_text=True)
    assert "2 rows are ready to import." in preview
    job = re.search(r'name="job" type="hidden" value="(\d+)"', preview).group(1)
    queued = organiser.post(f"/organiser/events/{world['event']}/participants/import/confirm",
                            {"job": job})
    job_page = queued.headers["Location"]
    with app.app_context():  # the request only queued the work: nothing is imported yet
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 2
        assert run_queued()["done"] == 1  # what the background process does
    done = organiser.get(job_page).get_data(as_text=True)

    assert "2 participants imported." in done
    with app.app_context():
        ilze = db.session.scalar(select(Participant).join(User).where(User.email == "ilze@example.org"))
        assert (ilze.country, ilze.sectors, ilze.status) == ("LV", ["agrifood", "bioeconomy"], "approved")
        assert len(ilze.sessions) == len(db.session.get(Event, world["event"]).days[0].sessions)
        liis = db.session.scalar(select(User).where(User.email == "late@example.org"))
        assert liis.name == "Liis Saar" and liis.password_hash.startswith("$argon2")  # the existing account
    organiser.logout()
    assert organiser.post("/login", {"email": "ilze@example.org", "password": PASSWORD}).status_code == 200


def test_an_unknown_or_old_import_is_refused(app, world, organiser):
    preview = _upload(organiser, world["event"], "people.csv",
                      f"{HEADER}\nIlze Kalniņa,ilze@example.org,Klasteris,cluster,LV,,,,,,".encode())
    job = int(re.search(r'name="job" type="hidden" value="(\d+)"', preview.get_data(as_text=True)).group(1))
    confirm = f"/organiser/events/{world['event']}/participants/import/confirm"
    with app.app_context():  # the check page was left open for more than an hour
        db.session.get(BackgroundJob, job).created_at = utcnow() - timedelta(hours=1, minutes=1)
        db.session.commit()

    for attempt in (job, 99999, "²"):
        page = organiser.post(confirm, {"job": attempt}, follow_redirects=True)
        assert page.status_code in (200, 404)
        if attempt == job:
            assert "The preview expired; upload the file again." in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 2
        assert db.session.get(BackgroundJob, job).status == "checked"
        run_queued()  # forgets the unconfirmed rows
        assert db.session.get(BackgroundJob, job) is None


def test_an_import_is_confirmed_once(app, world, organiser):
    preview = _upload(organiser, world["event"], "people.csv",
                      f"{HEADER}\nIlze Kalniņa,ilze@example.org,Klasteris,cluster,LV,,,,,,".encode())
    job = re.search(r'name="job" type="hidden" value="(\d+)"', preview.get_data(as_text=True)).group(1)
    confirm = f"/organiser/events/{world['event']}/participants/import/confirm"

    first = organiser.post(confirm, {"job": job})
    second = organiser.post(confirm, {"job": job}, follow_redirects=True)

    assert first.status_code == 302 and first.headers["Location"].endswith(f"/jobs/{job}")
    assert "The preview expired; upload the file again." in second.get_data(as_text=True)
    with app.app_context():
        assert run_queued()["done"] == 1
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 3


@pytest.mark.parametrize(("name", "content", "message"), [
    ("people.txt", b"x", "Upload a .csv or .xlsx file."),
    ("people.csv", b"", "The file is empty."),
    ("people.csv", b"name;email\nA;a@example.org",
     "The first row must name the columns; missing: organisation, type, country"),
    ("people.xlsx", b"not a zip", "This is not a readable .xlsx file."),
    ("people.csv", b"name,email,organisation,type,country\n,,,,\n", "The file has only the header row"),
    ("people.csv", "name,email,organisation,type,country\nŁ,ł@x.pl,O,ngo,PL".encode("cp1250"),
     "Save the CSV file as UTF-8."),
])
def test_import_refuses_unreadable_files_with_a_message(app, world, organiser, name, content, message):
    page = _upload(organiser, world["event"], name, content).get_data(as_text=True)

    assert message in page


def test_import_without_a_file_asks_for_one(world, organiser):
    page = organiser.post(f"/organiser/events/{world['event']}/participants/import", {},
                          content_type="multipart/form-data").get_data(as_text=True)

    assert "Choose a file." in page


def test_the_stored_deactivation_reason_reads_in_the_partners_language(app, world, organiser, make_browser):
    organiser.post(f"/organiser/events/{world['event']}/participants/{world['anna']}/deactivate")
    janis = make_browser()
    janis.login("janis@example.org")
    janis.post("/language", {"locale": "pl", "next": "/"})

    page = janis.get(f"/events/{world['event']}/meetings/{world['meeting']}").get_data(as_text=True)

    assert "Organizator wyłączył uczestnika tego spotkania." in page
