"""What meetings led to: each side's word right after (agenda, meeting page, mailed link), the follow-up
months later through a signed link, and the organisers' report, download and agreement statement."""
from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Meeting, MeetingOutcome, OutboxMessage, Participant
from matchmaking.services import marketplace, meetings, outbox, outcome_report, outcomes, personal_data
from matchmaking.services.errors import Conflict, ServiceError
from tests.conftest import csrf_from
from tests.factories import make_event, make_user, register

PAST_DAY = date(2025, 3, 10)  # meetings 09:00-10:00 in Riga (07:00-08:00 UTC)


@pytest.fixture
def met(app):
    """Anna (Łomża) met Jānis (Rokavaldīna) on a past day; Karl is a third participant; rival organises elsewhere."""
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        make_user("rival@example.org", organiser=True)
        event = make_event(organiser, day=PAST_DAY)
        anna_user = make_user("anna@example.org", "Anna Wiśniewska")
        anna_user.locale = "pl"
        anna = register(anna_user, event, organisation="Klaster Łomża")
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna",
                         country="LV", region="Kurzeme", organisation_type="company")
        karl = register(make_user("karl@example.org", "Karl Tamm"), event, organisation="Tartu Textiles",
                        country="EE")
        request = meetings.request_meeting(requester=anna, recipient=janis, message="", online=False)
        meeting = meetings.accept_request(recipient=janis, request_id=request.id)
        db.session.query(OutboxMessage).delete()
        db.session.commit()
        return {"event": event.id, "meeting": meeting.id, "anna": anna.id, "janis": janis.id, "karl": karl.id}


def _get(model, key):
    return db.session.get(model, key)


def test_one_didnt_makes_a_no_show_and_either_side_may_correct(app, met):
    with app.app_context():
        meeting = _get(Meeting, met["meeting"])
        anna, janis = _get(Participant, met["anna"]), _get(Participant, met["janis"])
        outcomes.answer(meeting=meeting, participant=anna, took_place=True, rating="cooperation_possible",
                        comment="Strong partner")
        assert meeting.attendance == "held"
        outcomes.answer(meeting=meeting, participant=janis, took_place=False)
        assert meeting.attendance == "no_show"
        outcomes.answer(meeting=meeting, participant=janis, took_place=True)  # a mistaken tap, corrected
        assert meeting.attendance == "held"
        mine = outcomes.outcome_of(meeting, anna)
        assert (mine.took_place, mine.rating, mine.comment) == (True, "cooperation_possible", "Strong partner")


def test_a_future_meeting_and_a_stranger_are_refused(app, met):
    with app.app_context():
        meeting = _get(Meeting, met["meeting"])
        anna = _get(Participant, met["anna"])
        with pytest.raises(Conflict, match="not started yet"):
            outcomes.answer(meeting=meeting, participant=anna, took_place=True, now=datetime(2025, 3, 10, 6, 0))
        with pytest.raises(ServiceError, match="ratings"):
            outcomes.answer(meeting=meeting, participant=anna, took_place=True, rating="great")


def test_the_database_refuses_an_agreement_without_its_type_and_a_second_row_per_side(app, met):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        db.session.add(MeetingOutcome(meeting_id=met["meeting"], participant_id=met["anna"],
                                      followup_answer="agreement"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        for _ in range(2):
            db.session.add(MeetingOutcome(meeting_id=met["meeting"], participant_id=met["anna"]))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_one_tap_on_the_agenda_then_rating_and_comment_on_the_meeting_page(app, met, make_browser):
    anna = make_browser()
    anna.login("anna@example.org")
    agenda = anna.get(f"/events/{met['event']}/agenda").get_data(as_text=True)
    assert "Odbyło się" in agenda  # "It took place", in Anna's Polish

    tapped = anna.post(f"/events/{met['event']}/meetings/{met['meeting']}/outcome", {"took_place": "yes"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Dziękujemy: odpowiedź została zapisana." in tapped and "Twoja odpowiedź: Odbyło się" in tapped
    with app.app_context():
        assert _get(Meeting, met["meeting"]).attendance == "held"
    page = anna.post(f"/events/{met['event']}/meetings/{met['meeting']}/outcome",
                     {"took_place": "yes", "rating": "informative", "comment": "Nie dla nas", "full": "1"},
                     follow_redirects=True).get_data(as_text=True)

    assert "Dziękujemy: odpowiedź została zapisana." in page
    with app.app_context():
        row = outcomes.outcome_of(_get(Meeting, met["meeting"]), _get(Participant, met["anna"]))
        assert (row.took_place, row.rating, row.comment) == (True, "informative", "Nie dla nas")
        assert _get(Meeting, met["meeting"]).attendance == "held"
    # a later one-tap changes only whether it took place, and keeps the comment
    anna.post(f"/events/{met['event']}/meetings/{met['meeting']}/outcome", {"took_place": "no"})
    with app.app_context():
        row = outcomes.outcome_of(_get(Meeting, met["meeting"]), _get(Participant, met["anna"]))
        assert (row.took_place, row.comment) == (False, "Nie dla nas")
        assert _get(Meeting, met["meeting"]).attendance == "no_show"


def test_organisers_read_the_comment_and_the_other_side_never_does(app, met, make_browser):
    anna = make_browser()
    anna.login("anna@example.org")
    anna.post(f"/events/{met['event']}/meetings/{met['meeting']}/outcome",
              {"took_place": "yes", "rating": "informative", "comment": "Słaba oferta cenowa", "full": "1"})

    janis, organiser = make_browser(), make_browser()
    janis.login("janis@example.org")
    organiser.login("org@example.org")
    janis_pages = [janis.get(f"/events/{met['event']}/meetings/{met['meeting']}").get_data(as_text=True),
                   janis.get(f"/events/{met['event']}/agenda").get_data(as_text=True),
                   janis.get("/account/data.json").get_data(as_text=True)]
    organiser_page = organiser.get(f"/organiser/events/{met['event']}/meetings/{met['meeting']}")

    assert all("Słaba oferta cenowa" not in page for page in janis_pages)
    assert "Słaba oferta cenowa" in organiser_page.get_data(as_text=True)
    assert "Słaba oferta cenowa" in anna.get("/account/data.json").get_data(as_text=True)  # her own data


@pytest.mark.parametrize("who", ["karl@example.org", "rival@example.org"])
def test_only_the_two_sides_answer_and_others_get_a_404(app, met, make_browser, who):
    browser = make_browser()
    browser.login(who)

    answer = browser.post(f"/events/{met['event']}/meetings/{met['meeting']}/outcome", {"took_place": "no"})
    report = browser.get(f"/organiser/events/{met['event']}/outcomes")

    assert (answer.status_code, report.status_code) == (404, 404)
    with app.app_context():
        assert db.session.scalar(select(MeetingOutcome)) is None
        assert _get(Meeting, met["meeting"]).attendance is None


def _link(app, met, who: str = "janis") -> str:
    with app.app_context():
        return "/outcomes/" + outcomes.link_token(_get(Meeting, met["meeting"]), _get(Participant, met[who]),
                                                  secret_key=app.config["SECRET_KEY"])


def test_the_signed_link_answers_the_follow_up_without_logging_in(app, met, client):
    link = _link(app, met)
    page = client.get(link).get_data(as_text=True)
    assert "What came of the meeting?" in page and "Your meeting with Anna Wiśniewska" in page
    token = csrf_from(page)

    refused = client.post(link, data={"f-csrf_token": token, "f-answer": "agreement", "f-agreement_type": "",
                                "f-benefit": ""},
                          follow_redirects=True)
    assert "Choose the type of the agreement." in refused.get_data(as_text=True)
    client.post(link, data={"f-csrf_token": token, "f-answer": "agreement", "f-agreement_type": "licence",
                            "f-benefit": "Rokavaldīna licenses Łomża's patterns"})

    with app.app_context():
        row = outcomes.outcome_of(_get(Meeting, met["meeting"]), _get(Participant, met["janis"]))
        assert (row.followup_answer, row.agreement_type, row.benefit) == (
            "agreement", "licence", "Rokavaldīna licenses Łomża's patterns")
    # Anna's link shows her Jānis's agreement to confirm
    anna_page = client.get(_link(app, met, "anna")).get_data(as_text=True)
    assert "Rokavaldīna reported a cooperation agreement: Licence agreement." in anna_page


@pytest.mark.parametrize("tamper", ["garbage", "expired", "other-salt"])
def test_a_bad_or_expired_link_is_a_clear_400(app, met, client, monkeypatch, tamper):
    from itsdangerous import URLSafeTimedSerializer

    link = _link(app, met)
    if tamper == "garbage":
        link = link[:-6] + "AAAAAA"
    elif tamper == "other-salt":
        link = "/outcomes/" + URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="x").dumps({"m": 1, "p": 1})
    else:
        monkeypatch.setattr(outcomes, "LINK_MAX_AGE", timedelta(seconds=-1))

    response = client.get(link)

    assert response.status_code == 400
    assert "This link cannot be used" in response.get_data(as_text=True)


def test_follow_ups_go_once_per_event_in_bulk_and_not_to_anonymised_people(app, met):
    with app.app_context():
        karl, anna = _get(Participant, met["karl"]), _get(Participant, met["anna"])
        assert outcomes.followup_day(karl.event) == date(2025, 9, 10)  # six months after the last day
        personal_data.anonymise_participant(participant=anna, now=datetime(2025, 6, 1))
        before = datetime(2025, 9, 9, 12, 0)
        assert outcomes.queue_followups(now=before) == 0
        assert outcomes.queue_followups(now=datetime(2025, 9, 10, 8, 0)) == 1  # Jānis; Karl had no meeting
        assert outcomes.queue_followups(now=datetime(2025, 9, 10, 9, 0)) == 0
        kinds = db.session.execute(select(OutboxMessage.kind, OutboxMessage.user_id)).all()
        assert kinds == [("followup", _get(Participant, met["janis"]).user_id)]


def test_those_who_turned_outcome_mails_off_get_no_follow_up(app, met):
    with app.app_context():
        janis = _get(Participant, met["janis"])
        outbox.set_muted(janis.user, {"outcomes"})
        assert outcomes.queue_followups(now=datetime(2025, 9, 10, 8, 0)) == 1  # Anna's only
        assert db.session.scalar(select(OutboxMessage.user_id)) == _get(Participant, met["anna"]).user_id


def test_the_report_counts_meetings_about_a_marketplace_opportunity(app, met):
    with app.app_context():
        janis, karl = _get(Participant, met["janis"]), _get(Participant, met["karl"])
        offer = marketplace.publish(participant=janis, draft=marketplace.Draft(
            kind="offer", category="distribution", title="Izplatīšana Baltijā"))
        request = meetings.request_meeting(requester=karl, recipient=janis, message="", online=False,
                                           opportunity_id=offer.id)
        meeting = meetings.accept_request(recipient=janis, request_id=request.id)
        outcomes.answer(meeting=meeting, participant=karl, took_place=True, rating="cooperation_possible")

        report = outcome_report.report(janis.event)

        [about] = report.by_opportunity
        assert (about.label, about.held, about.cooperation_possible, about.agreements) == (
            "Izplatīšana Baltijā", 1, 1, 0)


def test_the_evening_summary_goes_once_to_those_who_have_not_answered(app, met):
    with app.app_context():
        meeting, anna = _get(Meeting, met["meeting"]), _get(Participant, met["anna"])
        outcomes.answer(meeting=meeting, participant=anna, took_place=True, now=datetime(2025, 3, 10, 8, 0))
        afternoon, evening = datetime(2025, 3, 10, 14, 0), datetime(2025, 3, 10, 17, 30)  # 16:00, 19:30 in Riga
        assert outcomes.queue_evening_summaries(now=afternoon) == 0
        assert outcomes.queue_evening_summaries(now=evening) == 1
        assert outcomes.queue_evening_summaries(now=evening + timedelta(minutes=15)) == 0
        message = db.session.scalar(select(OutboxMessage))
        assert (message.kind, message.user_id) == ("evening_summary", _get(Participant, met["janis"]).user_id)


def _answer_all(app, met):
    with app.app_context():
        meeting = _get(Meeting, met["meeting"])
        anna, janis = _get(Participant, met["anna"]), _get(Participant, met["janis"])
        for side in (anna, janis):
            outcomes.answer(meeting=meeting, participant=side, took_place=True, rating="cooperation_possible",
                            comment=f"Komentarz {side.id}")
            outcomes.answer_followup(meeting=meeting, participant=side, answer="agreement",
                                     agreement_type="joint_venture", benefit=f"Wspólna spółka {side.id}")
        db.session.commit()


def test_the_report_counts_answers_and_agreements_by_type_country_and_region(app, met):
    _answer_all(app, met)
    with app.app_context():
        report = outcome_report.report(_get(Meeting, met["meeting"]).request.requester.event)
        assert (report.requests, report.accepted, report.held, report.no_show) == (1, 1, 1, 0)
        assert report.no_show_rate == 0
        assert report.ratings["cooperation_possible"] == 2 and report.followup["agreement"] == 2
        assert report.by_type == {"joint_venture": 1}
        [agreement] = report.agreements
        assert agreement.confirmed
        assert {g.key: g.agreements for g in report.by_country} == {"PL": 1, "LV": 1}
        assert {g.key: g.held for g in report.by_region} == {"Podlaskie": 1, "Kurzeme": 1}
        assert {g.key for g in report.by_organisation_type} == {"cluster", "company"}


def test_organisers_download_the_report_and_print_an_agreement(app, met, make_browser):
    _answer_all(app, met)
    organiser = make_browser()
    organiser.login("org@example.org")

    page = organiser.get(f"/organiser/events/{met['event']}/outcomes").get_data(as_text=True)
    download = organiser.get(f"/organiser/events/{met['event']}/outcomes.xlsx")
    statement = organiser.get(f"/organiser/events/{met['event']}/outcomes/agreements/{met['meeting']}")

    assert "Joint venture" in page and "Klaster Łomża — Rokavaldīna" in page
    # the page says when the data goes (with the follow-up on, after its answers: test_personal_data.py)
    assert "The follow-up e-mail goes to the participants on" in page and "personal data is deleted on" in page
    sheet = load_workbook(io.BytesIO(download.data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Meeting ID" and rows[1][1] == "Klaster Łomża" and "Joint venture" in rows[1]
    assert any(str(cell).startswith("Komentarz") for cell in rows[1])  # organisers see the comments
    text = statement.get_data(as_text=True)
    assert statement.status_code == 200 and "Both sides confirmed the agreement." in text
    assert "Wspólna spółka" in text


def test_a_meeting_without_an_agreement_has_no_statement(app, met, make_browser):
    organiser = make_browser()
    organiser.login("org@example.org")

    response = organiser.get(f"/organiser/events/{met['event']}/outcomes/agreements/{met['meeting']}")

    assert response.status_code == 404


def test_anonymising_removes_what_they_wrote_and_keeps_the_answers(app, met):
    _answer_all(app, met)
    with app.app_context():
        anna = _get(Participant, met["anna"])
        personal_data.anonymise_participant(participant=anna, now=datetime(2026, 1, 1))
        row = outcomes.outcome_of(_get(Meeting, met["meeting"]), anna)
        assert (row.comment, row.benefit, row.followup_answer, row.rating) == ("", "", "agreement",
                                                                               "cooperation_possible")


def test_the_follow_up_day_is_set_in_the_event_settings_and_must_follow_the_event(app, met, make_browser):
    organiser = make_browser()
    organiser.login("org@example.org")
    form = {"name": "Baltic Cluster Brokerage", "timezone": "Europe/Riga", "followup_enabled": "y"}

    refused = organiser.post(f"/organiser/events/{met['event']}/edit", {**form, "followup_on": "2025-03-01"},
                             follow_redirects=True)
    organiser.post(f"/organiser/events/{met['event']}/edit", {**form, "followup_on": "2025-12-01"})

    assert "The follow-up must come after the event&#39;s last day." in refused.get_data(as_text=True)
    with app.app_context():
        event = _get(Participant, met["anna"]).event
        assert outcomes.followup_day(event) == date(2025, 12, 1)
        assert outcomes.followup_starts(event) == datetime.combine(date(2025, 11, 30), time(22, 0))
