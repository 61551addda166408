"""Check-in on the day: personal QR tokens, scanning (idempotent, in parallel too), search, badges,
and meetings flagged when a participant has not checked in 10 minutes after the start."""
from __future__ import annotations

import hashlib
import threading
from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matchmaking.extensions import db
from matchmaking.models import Meeting, Participant
from matchmaking.services import checkin, meetings, personal_data
from matchmaking.services.errors import Conflict, NotFound
from tests.factories import make_event, make_user, register

ROOT = Path(__file__).resolve().parents[1]
PAST_DAY = date(2025, 3, 10)  # Riga is UTC+2 then: the 09:00 slot starts at 07:00 UTC
START = datetime(2025, 3, 10, 7, 0)
PARALLEL = 12


def _event(app, *, day=PAST_DAY, online=False):
    """An event of org@ with anna and janis meeting at 09:00 (Riga); rival@ runs another event with eve."""
    with app.app_context():
        organiser = make_user("org@example.org", "Olga Organizatorė", organiser=True)
        rival = make_user("rival@example.org", organiser=True)
        event = make_event(organiser, day=day, sessions=((time(9, 0), time(9, 30)),))
        anna = register(make_user("anna@example.org", "Anna Wiśniewska"), event, organisation="Klaster Łomża")
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna SIA",
                         country="LV")
        other = make_event(rival, name="Nordic Wood Forum")
        eve = register(make_user("eve@example.org", "Eve Kask"), other, organisation="Vilnius Wood Cluster")
        request = meetings.request_meeting(requester=anna, recipient=janis, message="", online=online)
        meeting = meetings.accept_request(recipient=janis, request_id=request.id)
        db.session.commit()
        return {"event": event.id, "other": other.id, "anna": anna.id, "janis": janis.id, "eve": eve.id,
                "meeting": meeting.id, "anna_token": anna.checkin_token, "eve_token": eve.checkin_token}


def _checked_in_at(app, participant_id):
    with app.app_context():
        return db.session.get(Participant, participant_id).checked_in_at


# --- The token and the service ---------------------------------------------------------------------------------

def test_every_participant_gets_a_distinct_url_safe_token(app):
    ids = _event(app)
    with app.app_context():
        tokens = db.session.scalars(select(Participant.checkin_token)).all()
    assert len(tokens) == len(set(tokens)) == 3
    assert all(len(t) >= 32 and t.replace("-", "").replace("_", "").isalnum() for t in tokens)
    assert ids["anna_token"] in tokens


def test_check_in_is_set_once_and_a_second_scan_reports_the_first_time(app):
    ids = _event(app)
    with app.app_context():
        anna = db.session.get(Participant, ids["anna"])
        first = checkin.check_in(participant=anna, now=datetime(2025, 3, 10, 7, 12))
        second = checkin.check_in(participant=anna, now=datetime(2025, 3, 10, 7, 40))
        db.session.commit()
    assert (first.already, second.already) == (False, True)
    assert first.checked_in_at == second.checked_in_at == datetime(2025, 3, 10, 7, 12)
    assert _checked_in_at(app, ids["anna"]) == datetime(2025, 3, 10, 7, 12)


def test_tokens_of_other_events_malformed_or_anonymised_are_not_found(app):
    ids = _event(app)
    with app.app_context():
        from matchmaking.models import Event

        event = db.session.get(Event, ids["event"])
        assert checkin.participant_by_token(event=event, token=ids["anna_token"]).id == ids["anna"]
        for token in (ids["eve_token"], "", "x" * 65, ids["anna_token"][:-1], "%"):
            with pytest.raises(NotFound):
                checkin.participant_by_token(event=event, token=token)
        personal_data.anonymise_participant(participant=db.session.get(Participant, ids["anna"]),
                                            now=datetime(2025, 4, 1))
        with pytest.raises(NotFound):
            checkin.participant_by_token(event=event, token=ids["anna_token"])
        assert db.session.get(Participant, ids["anna"]).checkin_token != ids["anna_token"]  # a new, unprinted one


def test_a_participant_not_approved_cannot_be_checked_in(app):
    ids = _event(app)
    with app.app_context():
        anna = db.session.get(Participant, ids["anna"])
        anna.status = "deactivated"
        with pytest.raises(Conflict, match="not an approved participant"):
            checkin.check_in(participant=anna)
        assert anna.checked_in_at is None


def test_the_database_refuses_two_participants_with_one_token(app):
    ids = _event(app)
    with app.app_context():
        janis = db.session.get(Participant, ids["janis"])
        janis.checkin_token = ids["anna_token"]
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


# --- Flags: not checked in 10 minutes after the start ---------------------------------------------------------

@pytest.mark.parametrize(("now", "flagged"), [
    (datetime(2025, 3, 10, 7, 9), False),   # 9 minutes after the start: not yet
    (datetime(2025, 3, 10, 7, 10), True),   # 10 minutes: flagged
    (datetime(2025, 3, 10, 9, 0), True),    # later the same day, still unmarked
    (datetime(2025, 3, 11, 7, 10), False),  # the next day: the day is over
])
def test_a_meeting_is_flagged_from_ten_minutes_after_its_start(app, now, flagged):
    ids = _event(app)
    with app.app_context():
        meeting = db.session.get(Meeting, ids["meeting"])
        result = checkin.not_checked_in([meeting], event=meeting.participant_a.event, now=now)
    assert (ids["meeting"] in result) is flagged
    if flagged:
        assert sorted(result[ids["meeting"]]) == sorted([ids["anna"], ids["janis"]])


def test_a_flag_names_only_who_is_missing_and_goes_once_both_came_or_it_was_marked(app):
    ids = _event(app)
    now = datetime(2025, 3, 10, 7, 15)
    with app.app_context():
        meeting = db.session.get(Meeting, ids["meeting"])
        event = meeting.participant_a.event
        checkin.check_in(participant=meeting.participant_a, now=START)
        assert checkin.not_checked_in([meeting], event=event, now=now) == {meeting.id: [ids["janis"]]}
        meetings.mark_attendance(meeting=meeting, by=meeting.participant_a.user, value="no_show")
        assert checkin.not_checked_in([meeting], event=event, now=now) == {}
        meetings.mark_attendance(meeting=meeting, by=meeting.participant_a.user, value=None)
        checkin.check_in(participant=meeting.participant_b, now=START)
        assert checkin.not_checked_in([meeting], event=event, now=now) == {}


def test_online_meetings_are_never_flagged(app):
    ids = _event(app, online=True)
    with app.app_context():
        meeting = db.session.get(Meeting, ids["meeting"])
        assert meeting.slot_id is not None and meeting.online
        assert checkin.not_checked_in([meeting], event=meeting.participant_a.event,
                                      now=datetime(2025, 3, 10, 7, 20)) == {}


# --- The scan page and its answers ------------------------------------------------------------------------------

def _scan(browser, event_id, code, **kwargs):
    return browser.post(f"/organiser/events/{event_id}/checkin/scan", {"code": code}, **kwargs)


def test_scanning_checks_in_and_a_second_scan_says_already_checked_in(app, browser):
    ids = _event(app)
    browser.login("org@example.org")
    url = f"http://localhost/organiser/events/{ids['event']}/checkin/{ids['anna_token']}"

    first = _scan(browser, ids["event"], url)
    second = _scan(browser, ids["event"], ids["anna_token"])  # the token alone works too

    assert first.status_code == second.status_code == 200
    assert first.json["ok"] and not first.json["already"]
    assert first.json["name"] == "Anna Wiśniewska" and first.json["organisation"] == "Klaster Łomża"
    assert first.json["message"] == "Anna Wiśniewska is checked in."
    assert first.json["progress"] == "1 of 2 participants checked in."
    assert second.json["already"]
    at = _checked_in_at(app, ids["anna"])
    assert second.json["message"] == f"Anna Wiśniewska was already checked in at {second.json['time']}."
    assert at is not None and second.json["time"] == first.json["time"]


def test_a_scan_without_the_csrf_token_is_refused(app, browser):
    ids = _event(app)
    browser.login("org@example.org")

    response = browser.client.post(f"/organiser/events/{ids['event']}/checkin/scan", data={"code": ids["anna_token"]})

    assert response.status_code == 400
    assert _checked_in_at(app, ids["anna"]) is None


def test_a_badge_of_another_event_is_not_found(app, browser):
    ids = _event(app)
    browser.login("org@example.org")

    assert _scan(browser, ids["event"], ids["eve_token"]).status_code == 404
    assert browser.get(f"/organiser/events/{ids['event']}/checkin/{ids['eve_token']}").status_code == 404
    assert browser.post(f"/organiser/events/{ids['event']}/checkin/{ids['eve_token']}").status_code == 404
    assert _checked_in_at(app, ids["eve"]) is None


@pytest.mark.parametrize("who", ["rival@example.org", "janis@example.org"])
def test_only_the_events_organisers_check_people_in(app, make_browser, who):
    ids = _event(app)
    browser = make_browser()
    browser.login(who)

    assert _scan(browser, ids["event"], ids["anna_token"]).status_code == 404
    assert browser.get(f"/organiser/events/{ids['event']}/checkin").status_code == 404
    assert browser.post(f"/organiser/events/{ids['event']}/checkin/participants/{ids['anna']}").status_code == 404
    assert _checked_in_at(app, ids["anna"]) is None


def test_a_scanned_code_that_is_not_a_check_in_code_is_answered_in_json(app, browser):
    ids = _event(app)
    browser.login("org@example.org")

    empty = _scan(browser, ids["event"], "")
    unknown = _scan(browser, ids["event"], "https://example.org/some/other/qr")

    assert empty.status_code == 400 and empty.json == {"ok": False, "message": "This is not a check-in code."}
    assert unknown.status_code == 404


def test_a_scanned_participant_awaiting_approval_is_refused_in_json(app, browser):
    ids = _event(app)
    with app.app_context():
        db.session.get(Participant, ids["anna"]).status = "pending"
        db.session.commit()
    browser.login("org@example.org")

    response = _scan(browser, ids["event"], ids["anna_token"])

    assert response.status_code == 409
    assert response.json["message"] == "Anna Wiśniewska is not an approved participant of this event."
    assert _checked_in_at(app, ids["anna"]) is None


def test_the_scan_page_may_use_the_camera_and_serves_the_vendored_decoder(app, browser):
    ids = _event(app)
    browser.login("org@example.org")

    page = browser.get(f"/organiser/events/{ids['event']}/checkin")

    assert "camera=(self)" in page.headers["Permissions-Policy"]
    assert "microphone=()" in page.headers["Permissions-Policy"]
    html = page.get_data(as_text=True)
    assert "/static/vendor/jsQR.js" in html and 'capture="environment"' in html
    assert browser.get("/static/vendor/jsQR.js").status_code == 200
    # Every other page keeps the camera off.
    assert "camera=()" in browser.get(f"/organiser/events/{ids['event']}/grid").headers["Permissions-Policy"]


def test_the_qr_codes_link_opens_the_person_and_its_button_checks_them_in(app, browser):
    ids = _event(app)
    browser.login("org@example.org")
    url = f"/organiser/events/{ids['event']}/checkin/{ids['anna_token']}"

    page = browser.get(url).get_data(as_text=True)
    assert "Anna Wiśniewska" in page and "Klaster Łomża" in page and "Check in Anna Wiśniewska" in page
    assert _checked_in_at(app, ids["anna"]) is None  # opening the link alone changes nothing

    done = browser.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Anna Wiśniewska is checked in." in done
    again = browser.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Anna Wiśniewska was already checked in at" in again


def test_search_by_name_finds_and_checks_in_and_undo_takes_it_back(app, browser):
    ids = _event(app)
    browser.login("org@example.org")
    base = f"/organiser/events/{ids['event']}/checkin"

    found = browser.get(base, query_string={"q": "berzins"}).get_data(as_text=True)
    assert "Jānis Bērziņš" in found and "Anna Wiśniewska" not in found
    assert "Eve Kask" not in browser.get(base, query_string={"q": "kask"}).get_data(as_text=True)

    page = browser.post(f"{base}/participants/{ids['janis']}", follow_redirects=True).get_data(as_text=True)
    assert "Jānis Bērziņš is checked in." in page
    assert "1 of 2 participants checked in." in page
    assert _checked_in_at(app, ids["janis"]) is not None

    browser.post(f"{base}/participants/{ids['janis']}/undo")
    assert _checked_in_at(app, ids["janis"]) is None
    assert browser.post(f"{base}/participants/{ids['eve']}").status_code == 404


def test_parallel_scans_of_one_badge_all_succeed_and_check_in_once(app, make_browser):
    ids = _event(app)
    browsers = []
    for _ in range(PARALLEL):
        b = make_browser()
        b.login("org@example.org")
        browsers.append(b)
    tokens = [b.token() for b in browsers]
    barrier = threading.Barrier(PARALLEL)
    responses = [None] * PARALLEL
    url = f"/organiser/events/{ids['event']}/checkin/scan"

    def run(i):
        barrier.wait()
        responses[i] = browsers[i].client.post(url, data={"csrf_token": tokens[i], "code": ids["anna_token"]})

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert [r.status_code for r in responses] == [200] * PARALLEL
    assert sorted(r.json["already"] for r in responses) == [False] + [True] * (PARALLEL - 1)
    assert len({r.json["time"] for r in responses}) == 1


# --- Badges, the personal code, the mail --------------------------------------------------------------------------

def test_badges_print_eight_per_page_with_name_organisation_country_and_qr(app, browser):
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser)
        for i in range(9):
            register(make_user(f"p{i}@example.org", f"Person {i}"), event, organisation=f"Org {i}", country="LV")
        db.session.commit()
        event_id = event.id
    browser.login("org@example.org")

    page = browser.get(f"/organiser/events/{event_id}/print/badges").get_data(as_text=True)

    assert page.count('<section class="sheet badges">') == 2
    assert page.count('class="badge"') == 9
    assert page.count('<svg viewBox=') == 9 and "<title>Check-in code of Person 0</title>" in page
    assert "Person 8" in page and "Org 8" in page and "Latvia" in page
    assert "9 badges, eight per page" in page


def test_the_participant_sees_their_own_code_and_the_mail_links_to_it(app, browser):
    ids = _event(app)
    browser.login("anna@example.org")

    agenda = browser.get(f"/events/{ids['event']}/agenda").get_data(as_text=True)
    assert f"/events/{ids['event']}/checkin-code" in agenda
    page = browser.get(f"/events/{ids['event']}/checkin-code").get_data(as_text=True)
    assert "<svg" in page and "<title>Check-in code of Anna Wiśniewska</title>" in page
    browser.logout()
    browser.login("eve@example.org")
    assert browser.get(f"/events/{ids['event']}/checkin-code").status_code == 404


def test_the_vendored_decoder_is_the_one_npm_installed():
    vendored = ROOT / "matchmaking" / "static" / "vendor" / "jsQR.js"
    installed = ROOT / "node_modules" / "jsqr" / "dist" / "jsQR.js"
    assert installed.exists(), "node_modules/jsqr is missing: run 'npm ci' at the repository root"
    assert hashlib.sha256(vendored.read_bytes()).hexdigest() == hashlib.sha256(installed.read_bytes()).hexdigest(), \
        "matchmaking/static/vendor/jsQR.js differs from node_modules: run scripts/vendor_js.sh"


# --- Flags on the organiser's pages and the partner's, and marking the no-show ------------------------------------

@pytest.fixture
def fifteen_past(monkeypatch):
    """The clock of the flags at 09:15 in Riga on the meeting's day."""
    now = datetime(2025, 3, 10, 7, 15)
    monkeypatch.setattr("matchmaking.services.checkin.utcnow", lambda: now)
    monkeypatch.setattr("matchmaking.web.organiser.meetings.utcnow", lambda: now)
    return now


def test_the_meeting_list_and_grid_flag_who_has_not_checked_in(app, browser, fifteen_past):
    ids = _event(app)
    with app.app_context():
        checkin.check_in(participant=db.session.get(Participant, ids["anna"]), now=START)
        db.session.commit()
    browser.login("org@example.org")

    listing = browser.get(f"/organiser/events/{ids['event']}/meetings").get_data(as_text=True)
    grid = browser.get(f"/organiser/events/{ids['event']}/grid").get_data(as_text=True)

    assert "Not checked in: Jānis Bērziņš" in listing and "Mark as no-show" in listing
    assert listing.count('<span class="visually-hidden"> checked in</span>') == 1  # anna's mark
    assert " late" in grid and "not checked in</span>" in grid


def test_the_organiser_marks_the_no_show_from_the_flag(app, browser, fifteen_past):
    ids = _event(app)
    browser.login("org@example.org")

    browser.post(f"/organiser/events/{ids['event']}/meetings/{ids['meeting']}/attendance", {"value": "no_show"})

    with app.app_context():
        assert db.session.get(Meeting, ids["meeting"]).attendance == "no_show"
    listing = browser.get(f"/organiser/events/{ids['event']}/meetings").get_data(as_text=True)
    assert "Not checked in" not in listing  # marked: the flag is gone


def test_the_table_partner_sees_the_flag_and_marks_the_no_show(app, browser, fifteen_past):
    ids = _event(app)
    with app.app_context():
        checkin.check_in(participant=db.session.get(Participant, ids["janis"]), now=START)
        db.session.commit()
    browser.login("janis@example.org")

    page = browser.get(f"/events/{ids['event']}/meetings/{ids['meeting']}").get_data(as_text=True)
    assert "Anna Wiśniewska has not checked in at the event." in page
    browser.post(f"/events/{ids['event']}/meetings/{ids['meeting']}/attendance", {"value": "no_show"})

    with app.app_context():
        assert db.session.get(Meeting, ids["meeting"]).attendance == "no_show"


@pytest.mark.parametrize("kind", ["invitation", "reminder_evening"])
def test_the_invitation_and_the_evening_reminder_link_to_the_personal_code(app, kind):
    from matchmaking.mail.compose import compose
    from matchmaking.services import outbox

    ids = _event(app)
    with app.app_context():
        anna = db.session.get(Participant, ids["anna"])
        payload = {"event": ids["event"]} if kind == "invitation" else {"participant": anna.id,
                                                                         "meetings": [ids["meeting"]]}
        message = outbox.enqueue(kind, anna.user, payload)
        db.session.commit()
        text = compose(message).get_body(("plain",)).get_content()
    assert "Your personal check-in code, to show at the entrance (also on your badge):" in text
    assert f"/events/{ids['event']}/checkin-code" in text
