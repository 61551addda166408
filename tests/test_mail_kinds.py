"""Every kind of e-mail in the table renders in every language, and the table agrees with the templates."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from matchmaking.extensions import db
from matchmaking.mail.compose import compose
from matchmaking.models import OutboxMessage, Participant, Recommendation
from matchmaking.services import invitations, meetings
from matchmaking.services.mail_kinds import ALWAYS_SENT, CATEGORIES, KINDS
from tests.factories import make_event, make_user, register

MAIL_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "mail"
SHARED_TEMPLATES = {"layout.html"}  # besides the partials, whose names start with "_"
DAY = date(2030, 5, 20)


@pytest.fixture
def rows(app):
    """Participants, requests and meetings for every kind; returns the example (recipient, payload) per kind."""
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, day=DAY)
        anna = register(make_user("anna@example.org", "Anna Wiśniewska"), event, organisation="Klaster Łomża")
        janis = register(make_user("janis@example.org", "Jānis Bērziņš"), event, organisation="Rokavaldīna")
        ilze = register(make_user("ilze@example.org", "Ilze Ozola"), event, organisation="Kurzemes klasteris")
        accepted = meetings.request_meeting(requester=anna, recipient=janis, message="Sveiki! 🙂", online=False)
        meeting = meetings.accept_request(recipient=janis, request_id=accepted.id)
        assert meeting.slot_id is not None
        waiting = meetings.request_meeting(requester=anna, recipient=ilze, message="Dzień dobry", online=False)
        declined = meetings.request_meeting(requester=janis, recipient=ilze, message="", online=True)
        meetings.decline_request(recipient=ilze, request_id=declined.id)
        to_cancel = meetings.request_meeting(requester=ilze, recipient=janis, message="", online=False)
        cancelled = meetings.accept_request(recipient=janis, request_id=to_cancel.id)
        meetings.cancel_meeting(participant=janis, meeting_id=cancelled.id, reason="Lidojums atcelts")
        invitation = invitations.invite_organiser(event=event, inviter=organiser, email="anna@example.org",
                                                  secret_key=app.config["SECRET_KEY"])
        for viewer, other in ((anna, janis), (ilze, anna)):
            db.session.add(Recommendation(event_id=event.id, participant_id=viewer.id, other_id=other.id, rank=1,
                                          score=0.5, reasons_json=json.dumps([
                                              {"kind": "offer_answers_seek", "their": "Mēbeļu dizains",
                                               "yours": "Projektowanie mebli"},
                                              {"kind": "shared_sectors", "sectors": ["wood_furniture"]}])))
        db.session.query(OutboxMessage).delete()
        db.session.commit()
        return {
            "request_received": (ilze.id, {"request": waiting.id}),
            "request_accepted": (anna.id, {"meeting": meeting.id}),
            "request_declined": (janis.id, {"request": declined.id}),
            "meeting_scheduled": (janis.id, {"meeting": meeting.id}),
            "meeting_moved": (anna.id, {"meeting": meeting.id}),
            "meeting_cancelled": (ilze.id, {"meeting": cancelled.id}),
            "reminder_evening": (anna.id, {"participant": anna.id, "meetings": [meeting.id]}),
            "reminder_soon": (janis.id, {"meeting": meeting.id}),
            "digest": (ilze.id, {"participant": ilze.id, "requests": [waiting.id], "partners": [anna.id],
                                 "more_partners": 0}),
            "new_partners": (anna.id, {"participant": anna.id, "requests": [], "partners": [janis.id],
                                       "more_partners": 3}),
            "organiser_message": (anna.id, {"participant": anna.id, "subject": "Zmiana sali / Room change",
                                            "body": "Spotkania w sali B."}),
            "password_reset": (anna.id, {}),
            "invitation": (janis.id, {"event": event.id}),
            "verify_email": (ilze.id, {}),
            "signup_notice": (anna.id, {}),
            "retention_reminder": (anna.id, {"event": event.id, "days": 14, "due": "2030-08-19T22:00:00"}),
            "organiser_invitation": (anna.id, {"invitation": invitation.id}),
            "evening_summary": (anna.id, {"participant": anna.id, "day": DAY.isoformat()}),
            "followup": (janis.id, {"participant": janis.id}),
            "followup_reminder": (anna.id, {"participant": anna.id}),
        }


def _compose(kind: str, participant_id: int, payload: dict, language: str) -> tuple[str, str, str]:
    participant = db.session.get(Participant, participant_id)
    participant.user.locale = language
    message = OutboxMessage(kind=kind, user_id=participant.user_id, payload=json.dumps(payload))
    db.session.add(message)
    db.session.flush()
    email = compose(message)
    assert email is not None, f"{kind}: nothing to send"
    return (email["Subject"], email.get_body(("plain",)).get_content(), email.get_body(("html",)).get_content())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_renders_in_every_language(app, rows, kind):
    assert kind in rows, f"add an example {kind!r} message to the rows fixture"
    participant_id, payload = rows[kind]
    languages = app.config["LANGUAGES"]
    assert languages[0] == "en"
    with app.app_context():
        rendered = {language: _compose(kind, participant_id, payload, language) for language in languages}
        db.session.rollback()

    english_subject, english_body, _html = rendered["en"]
    for language, (subject, body, html) in rendered.items():
        where = f"{kind} in {language}"
        assert subject.strip() and body.strip() and html.strip(), where
        assert "%(" not in subject + body, f"{where}: a placeholder was not filled"
        if KINDS[kind].subject is None:  # the subject is the organiser's own
            assert subject == payload["subject"], where
        elif language != "en":
            assert subject != english_subject, f"{where}: the subject is not translated: {subject!r}"
            assert english_subject not in body, f"{where}: the English subject is in the body"
        if language != "en":
            assert body != english_body, f"{where}: the body is not translated"


def test_the_examples_cover_exactly_the_kinds(rows):
    assert set(rows) == set(KINDS)


def test_every_kind_has_a_known_category_and_every_category_a_kind():
    assert all(k.kind == name for name, k in KINDS.items())
    assert {k.category for k in KINDS.values()} == set(CATEGORIES) | {ALWAYS_SENT}
    assert ALWAYS_SENT not in CATEGORIES  # account mails and deletion warnings cannot be turned off
    assert all(len(name) <= 40 for name in KINDS)  # OutboxMessage.kind is a String(40)


def test_the_table_and_the_template_files_agree():
    files = {p.name for p in MAIL_TEMPLATES.iterdir() if p.is_file()}
    missing = sorted(f"{k.template}.txt" for k in KINDS.values() if f"{k.template}.txt" not in files)
    assert not missing, f"templates named in mail_kinds.KINDS but not in templates/mail: {missing}"
    used = {f"{k.template}{suffix}" for k in KINDS.values() for suffix in (".txt", ".html")}
    unused = sorted(f for f in files if f not in used and f not in SHARED_TEMPLATES and not f.startswith("_"))
    assert not unused, f"mail templates no kind in mail_kinds.KINDS uses: {unused}"
