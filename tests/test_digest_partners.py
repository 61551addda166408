"""Newly recommended partners in the daily digest: announced once, in the reader's language, never
someone hidden or marked, and not at all when the participant turned the category off."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.mail.compose import compose
from matchmaking.models import AnnouncedPartner, OutboxMessage, Participant, Recommendation
from matchmaking.models.participant import VISIBLE_TO_ORGANISERS
from matchmaking.services import digests, meetings, outbox, recommendations
from tests.factories import make_event, make_user, register

MORNING = datetime(2030, 5, 10, 9, 0)  # after the digest hour, before the event
THEIR = "Zāģēti bērza dēļi mēbelēm"
YOURS = "Szukamy dostawców sklejki"


@pytest.fixture
def world(app):
    """Anna (reads Polish) has stored recommendations: Jānis, Ilze, a participant since hidden, and
    Olaf, whom she marked not for me, and Marta, whom she marked interested."""
    with app.app_context():
        event = make_event(make_user("org@example.org", organiser=True), day=date(2030, 5, 20))
        anna_user = make_user("anna@example.org", "Anna Wiśniewska")
        anna_user.locale = "pl"
        anna = register(anna_user, event, organisation="Klaster Łomża")
        people = {key: register(make_user(f"{key}@example.org", name), event, organisation=org, **extra)
                  for key, name, org, extra in (
                      ("janis", "Jānis Bērziņš", "Rokavaldīna", {}),
                      ("ilze", "Ilze Ozola", "Kurzemes klasteris", {}),
                      ("hidden", "Hanna Hidden", "Hidden Plywood", {"visibility": VISIBLE_TO_ORGANISERS}),
                      ("olaf", "Olaf Nowak", "Olaf Meble", {}),
                      ("marta", "Marta Kowal", "Marta Drewno", {}))}
        for rank, key in enumerate(("janis", "ilze", "hidden", "olaf", "marta"), start=1):
            _recommend(anna, people[key], rank)
        recommendations.mark(viewer=anna, other_id=people["olaf"].id, mark="not_for_me")
        recommendations.mark(viewer=anna, other_id=people["marta"].id, mark="interested")
        db.session.query(OutboxMessage).delete()
        db.session.commit()
        return {"event": event.id, "anna": anna.id, **{k: p.id for k, p in people.items()}}


def _recommend(viewer: Participant, other: Participant, rank: int) -> None:
    db.session.add(Recommendation(event_id=viewer.event_id, participant_id=viewer.id, other_id=other.id, rank=rank,
                                  score=1.0 / rank, reasons_json=json.dumps([
                                      {"kind": "offer_answers_seek", "their": THEIR, "yours": YOURS},
                                      {"kind": "shared_sectors", "sectors": ["wood_furniture"]}])))


def _mails(participant_id: int) -> list[OutboxMessage]:
    user_id = db.session.get(Participant, participant_id).user_id
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == user_id)
                                   .order_by(OutboxMessage.id)))


def test_new_partners_are_announced_once_in_the_readers_language(app, world):
    with app.app_context():
        assert digests.queue_digests(now=MORNING) == 1
        assert digests.queue_digests(now=MORNING + timedelta(hours=2)) == 0  # one a day

        [mail] = _mails(world["anna"])
        assert mail.kind == "new_partners"
        assert json.loads(mail.payload)["partners"] == [world["janis"], world["ilze"]]  # best first
        email = compose(mail)
        body = email.get_body(("plain",)).get_content()
        assert email["Subject"] == "Nowi partnerzy polecani dla Ciebie"
        assert f"- Rokavaldīna: Ich oferta „{THEIR}” odpowiada na Twoje zapytanie „{YOURS}”." in body
        assert "- Kurzemes klasteris: Ich oferta" in body
        for never in ("Hidden Plywood", "Olaf Meble", "Marta Drewno", "Wspólne sektory"):  # one reason each
            assert never not in body
        assert f"/events/{world['event']}/recommendations" in body
        assert set(db.session.scalars(select(AnnouncedPartner.other_id))) == {world["janis"], world["ilze"]}
        db.session.commit()

        # The next day: nothing new, nothing sent. A partner who appears later is announced alone.
        assert digests.queue_digests(now=MORNING + timedelta(days=1)) == 0
        anna = db.session.get(Participant, world["anna"])
        newcomer = register(make_user("karlis@example.org", "Kārlis Liepa"), anna.event, organisation="Liepa SIA")
        _recommend(anna, newcomer, 6)
        db.session.commit()
        assert digests.queue_digests(now=MORNING + timedelta(days=2)) == 1
        assert json.loads(_mails(world["anna"])[-1].payload)["partners"] == [newcomer.id]


def test_a_muted_category_gets_nothing_and_announces_nothing(app, world):
    with app.app_context():
        anna = db.session.get(Participant, world["anna"])
        outbox.set_muted(anna.user, {"recommendations"})
        db.session.commit()

        assert digests.queue_digests(now=MORNING) == 0
        assert _mails(world["anna"]) == []
        assert db.session.scalar(select(AnnouncedPartner.other_id)) is None


def test_the_two_parts_of_the_digest_are_turned_off_separately(app, world):
    with app.app_context():
        anna, janis = db.session.get(Participant, world["anna"]), db.session.get(Participant, world["janis"])
        meetings.request_meeting(requester=janis, recipient=anna, message="", online=False)
        db.session.query(OutboxMessage).delete()
        db.session.commit()

        assert digests.queue_digests(now=MORNING) == 1  # one mail with both parts
        [both] = _mails(world["anna"])
        body = compose(both).get_body(("plain",)).get_content()
        assert both.kind == "digest" and "Jānis Bērziņš, Rokavaldīna" in body and "- Kurzemes klasteris:" in body
        db.session.rollback()

        outbox.set_muted(anna.user, {"recommendations"})  # requests only
        assert digests.queue_digests(now=MORNING) == 1
        [requests_only] = _mails(world["anna"])
        assert requests_only.kind == "digest" and "partners" not in json.loads(requests_only.payload)
        db.session.rollback()

        outbox.set_muted(anna.user, {"digest"})  # partners only
        assert digests.queue_digests(now=MORNING) == 1
        [partners_only] = _mails(world["anna"])
        assert partners_only.kind == "new_partners" and json.loads(partners_only.payload)["requests"] == []


def test_more_than_five_new_partners_are_counted_and_all_announced(app, world):
    with app.app_context():
        anna = db.session.get(Participant, world["anna"])
        for i in range(5):
            _recommend(anna, register(make_user(f"p{i}@example.org", f"P {i}"), anna.event,
                                      organisation=f"Firma {i}"), 10 + i)
        db.session.commit()

        assert digests.queue_digests(now=MORNING) == 1
        [mail] = _mails(world["anna"])
        body = compose(mail).get_body(("plain",)).get_content()
        assert len(json.loads(mail.payload)["partners"]) == 5 and "i jeszcze 2" in body
        assert len(db.session.scalars(select(AnnouncedPartner)).all()) == 7
        assert digests.queue_digests(now=MORNING + timedelta(days=1)) == 0


def test_a_partner_hidden_or_marked_after_the_mail_was_queued_is_left_out_when_it_is_sent(app, world):
    with app.app_context():
        assert digests.queue_digests(now=MORNING) == 1
        anna = db.session.get(Participant, world["anna"])
        recommendations.mark(viewer=anna, other_id=world["janis"], mark="not_for_me")
        db.session.get(Participant, world["ilze"]).visibility = VISIBLE_TO_ORGANISERS
        db.session.flush()
        assert compose(_mails(world["anna"])[0]) is None  # nothing left to say
