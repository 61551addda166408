"""The day itself: a no-show or cancellation frees its place, which is offered to checked-in participants
free then (accepted meetings first, then mutual interest, then recommendations); who is free; walk-ins;
the live table plan; and two people racing for one freed place (exactly one wins)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import Event, Meeting, MeetingRequest, Participant, SlotBooking, User
from matchmaking.models.recommendation import PartnerMark, Recommendation
from matchmaking.services import manual_schedule, meetings, on_the_day, recommendations
from matchmaking.services.errors import Conflict, NotFound
from tests.conftest import post_at_once
from tests.factories import make_event, make_user, register

DAY = date(2025, 3, 10)  # Riga is UTC+2 then: the 09:00 slot starts at 07:00 UTC
AT_0910 = datetime(2025, 3, 10, 7, 10)
AT_0925 = datetime(2025, 3, 10, 7, 25)
PEOPLE = ("anna", "janis", "karl", "liga", "mara", "olaf")
TAKEN = "Someone else has just taken this place"


def _day(app):
    """One table, slots at 09:00 and 09:30 (Riga), batch mode (accepting places nothing by itself).

    anna meets janis at 09:00 at T1; anna has an accepted meeting with karl still without a place,
    mutual interest with liga, mara recommended; olaf is recommended too but has not checked in, nor has janis.
    """
    with app.app_context():
        organiser = make_user("org@example.org", "Olga Organizatorė", organiser=True)
        event = make_event(organiser, day=DAY, tables=1)
        event.scheduling_mode = "batch"
        p = {name: register(make_user(f"{name}@example.org", name.capitalize() + " Bērziņa"), event,
                            organisation=f"{name.capitalize()} Łomża") for name in PEOPLE}
        slots = [s for d in event.days for s in d.sessions[0].slots]
        first = meetings.request_meeting(requester=p["anna"], recipient=p["janis"], message="", online=False)
        meeting = meetings.accept_request(recipient=p["janis"], request_id=first.id)
        manual_schedule.move_meeting(event=event, meeting_id=meeting.id, slot_id=slots[0].id,
                                     table_id=event.tables[0].id)
        second = meetings.request_meeting(requester=p["karl"], recipient=p["anna"], message="", online=False)
        unplaced = meetings.accept_request(recipient=p["anna"], request_id=second.id)
        for a, b in (("anna", "liga"), ("liga", "anna")):
            recommendations.mark(viewer=p[a], other_id=p[b].id, mark="interested")
        for rank, name in enumerate(("olaf", "mara"), start=1):
            db.session.add(Recommendation(event_id=event.id, participant_id=p["anna"].id, other_id=p[name].id,
                                          rank=rank, score=0.9))
        for name in ("anna", "karl", "liga", "mara"):
            p[name].checked_in_at = datetime(2025, 3, 10, 6, 40)
        db.session.commit()
        ids = {name: person.id for name, person in p.items()}
        return {**ids, "event": event.id, "meeting": meeting.id, "unplaced": unplaced.id,
                "slot1": slots[0].id, "slot2": slots[1].id, "table": event.tables[0].id}


def _get(model, ident):
    return db.session.get(model, ident)


def _mutual(a_id, b_id):
    db.session.add_all([PartnerMark(participant_id=a_id, other_id=b_id, mark="interested"),
                        PartnerMark(participant_id=b_id, other_id=a_id, mark="interested")])
    db.session.flush()


def _no_show(ids, now=AT_0910):
    meeting = _get(Meeting, ids["meeting"])
    meetings.mark_attendance(meeting=meeting, by=meeting.participant_a.user, value="no_show", now=now)
    db.session.flush()


def test_a_no_show_frees_seats_and_table_and_can_be_taken_back_while_nobody_took_them(app):
    ids = _day(app)
    with app.app_context():
        event = _get(Event, ids["event"])
        assert on_the_day.freed_slots(event, AT_0910) == []
        _no_show(ids)
        assert [s.id for s in on_the_day.freed_slots(event, AT_0910)] == [ids["slot1"]]
        assert db.session.scalars(select(SlotBooking).where(SlotBooking.meeting_id == ids["meeting"])).all() == []
        meetings.mark_attendance(meeting=_get(Meeting, ids["meeting"]), by=_get(User, 1), value=None, now=AT_0910)
        db.session.flush()
        assert on_the_day.freed_slots(event, AT_0910) == []
        assert len(db.session.scalars(select(SlotBooking).where(SlotBooking.meeting_id == ids["meeting"])).all()) == 2


def test_a_freed_slot_is_offered_accepted_meeting_first_then_mutual_interest_then_recommendations(app):
    ids = _day(app)
    with app.app_context():
        _no_show(ids)
        anna = _get(Participant, ids["anna"])
        offers = on_the_day.offers_for(anna, now=AT_0910)
    assert [(o.slot.id, o.other.id, o.kind) for o in offers] == [
        (ids["slot1"], ids["karl"], on_the_day.MEETING), (ids["slot1"], ids["liga"], on_the_day.INTERESTED_BOTH),
        (ids["slot1"], ids["mara"], on_the_day.RECOMMENDED)]  # olaf has not checked in


def test_an_accepted_meeting_is_not_offered_a_freed_slot_outside_the_window_the_two_agreed(app):
    ids = _day(app)
    with app.app_context():
        request = _get(Meeting, ids["unplaced"]).request
        request.window_part, request.window_date = "afternoon", DAY  # karl and anna agreed on the afternoon
        _no_show(ids)
        offers = on_the_day.offers_for(_get(Participant, ids["anna"]), now=AT_0910)  # the freed slot: 09:00
    assert [(o.other.id, o.kind) for o in offers] == [
        (ids["liga"], on_the_day.INTERESTED_BOTH), (ids["mara"], on_the_day.RECOMMENDED)]


def test_nothing_is_offered_to_someone_not_checked_in_nor_once_too_little_of_the_slot_is_left(app):
    ids = _day(app)
    with app.app_context():
        _no_show(ids)
        assert on_the_day.offers_for(_get(Participant, ids["olaf"]), now=AT_0910) == []
        assert on_the_day.offers_for(_get(Participant, ids["anna"]), now=AT_0925) == []  # 5 minutes left


def test_taking_the_offer_books_the_accepted_meeting_at_the_freed_table_and_a_second_taker_is_told(app):
    ids = _day(app)
    with app.app_context():
        _no_show(ids)
        _mutual(ids["liga"], ids["mara"])
        anna, liga = _get(Participant, ids["anna"]), _get(Participant, ids["liga"])
        booked = on_the_day.meet_now(viewer=anna, other_id=ids["karl"], slot_id=ids["slot1"], now=AT_0910)
        assert (booked.id, booked.slot_id, booked.table_id, booked.pinned) == (
            ids["unplaced"], ids["slot1"], ids["table"], True)
        with pytest.raises(Conflict, match=TAKEN):
            on_the_day.meet_now(viewer=liga, other_id=ids["mara"], slot_id=ids["slot1"], now=AT_0910)
        with pytest.raises(Conflict, match="cannot be taken back"):  # janis's no-show: the table is gone
            meetings.mark_attendance(meeting=_get(Meeting, ids["meeting"]), by=_get(User, 1), value="held",
                                     now=AT_0910)


def test_mutual_interest_books_at_once_a_recommendation_is_a_proposal_the_other_accepts(app):
    ids = _day(app)
    with app.app_context():
        _no_show(ids)
        anna, mara = _get(Participant, ids["anna"]), _get(Participant, ids["mara"])
        proposal = on_the_day.meet_now(viewer=anna, other_id=ids["mara"], slot_id=ids["slot1"], now=AT_0910)
        assert isinstance(proposal, MeetingRequest) and (proposal.status, proposal.walk_in) == ("pending", True)
        assert [r.id for r in on_the_day.proposals_to(mara)] == [proposal.id]
        with pytest.raises(Conflict, match="already asked"):
            on_the_day.meet_now(viewer=anna, other_id=ids["mara"], now=AT_0910)
        meeting = on_the_day.meet_now(viewer=anna, other_id=ids["liga"], slot_id=ids["slot1"], now=AT_0910)
        assert (meeting.slot_id, meeting.table_id, meeting.request.walk_in) == (ids["slot1"], ids["table"], True)
        # mara accepts: 09:00 is taken now, anna is busy then; the next slot both are free in is 09:30
        meeting = on_the_day.accept_walk_in(viewer=mara, request_id=proposal.id, now=AT_0910)
        assert (meeting.slot_id, meeting.table_id, meeting.request.status) == (ids["slot2"], ids["table"], "accepted")


def test_a_walk_in_cannot_be_booked_when_no_slot_is_left_and_stays_open(app):
    ids = _day(app)
    with app.app_context():
        anna, mara = _get(Participant, ids["anna"]), _get(Participant, ids["mara"])
        proposal = on_the_day.meet_now(viewer=mara, other_id=ids["anna"], now=AT_0910)
        db.session.commit()
        with pytest.raises(Conflict, match="No slot left today"):
            on_the_day.accept_walk_in(viewer=anna, request_id=proposal.id, now=datetime(2025, 3, 10, 7, 55))
        db.session.rollback()
        assert _get(MeetingRequest, proposal.id).status == "pending"


def test_only_checked_in_people_meet_on_the_spot_and_others_requests_are_not_found(app):
    ids = _day(app)
    with app.app_context():
        anna, karl = _get(Participant, ids["anna"]), _get(Participant, ids["karl"])
        with pytest.raises(Conflict, match="has not checked in"):
            on_the_day.meet_now(viewer=anna, other_id=ids["olaf"], now=AT_0910)
        with pytest.raises(NotFound):
            on_the_day.meet_now(viewer=anna, other_id=ids["anna"], now=AT_0910)
        proposal = on_the_day.meet_now(viewer=anna, other_id=ids["mara"], now=AT_0910)
        with pytest.raises(NotFound):
            on_the_day.accept_walk_in(viewer=karl, request_id=proposal.id, now=AT_0910)


def test_who_is_free_lists_checked_in_people_without_a_meeting_then(app):
    ids = _day(app)
    with app.app_context():
        event = _get(Event, ids["event"])
        anna = _get(Participant, ids["anna"])
        current, upcoming = on_the_day.now_and_next(event, AT_0910)
        assert (current.id, upcoming.id) == (ids["slot1"], ids["slot2"])
        assert [p.id for p in on_the_day.who_is_free(event=event, slot=current, viewer=anna)] == [
            ids["karl"], ids["liga"], ids["mara"]]  # anna herself is in a meeting; janis and olaf are not here
        _no_show(ids)
        assert ids["anna"] in [p.id for p in on_the_day.who_is_free(event=event, slot=current)]
        liga = _get(Participant, ids["liga"])
        liga.visibility = "organisers"
        db.session.flush()
        assert ids["liga"] not in [p.id for p in on_the_day.who_is_free(event=event, slot=current, viewer=anna)]
        assert ids["liga"] in [p.id for p in on_the_day.who_is_free(event=event, slot=current)]


def test_the_organiser_arranges_a_walk_in_directly_and_the_live_plan_shows_it(app):
    ids = _day(app)
    with app.app_context():
        event = _get(Event, ids["event"])
        meeting = on_the_day.arrange_now(event=event, participant_a_id=ids["liga"], participant_b_id=ids["mara"],
                                         now=AT_0910)
        assert (meeting.slot_id, meeting.pinned) == (ids["slot2"], True)  # T1 is taken at 09:00
        plan = on_the_day.live_plan(event, now=AT_0910)
        assert [(p.slot.id, [m.id for m in p.meetings]) for p in plan] == [
            (ids["slot1"], [ids["meeting"]]), (ids["slot2"], [meeting.id])]
        with pytest.raises(Conflict, match="has not checked in"):
            on_the_day.arrange_now(event=event, participant_a_id=ids["karl"], participant_b_id=ids["olaf"],
                                   now=AT_0910)


def test_a_cancellation_on_the_day_frees_the_place_too(app):
    ids = _day(app)
    with app.app_context():
        meetings.cancel(meeting=_get(Meeting, ids["meeting"]), by=None, reason="Ill")
        offers = on_the_day.offers_for(_get(Participant, ids["karl"]), now=AT_0910)
    assert [(o.other.id, o.kind) for o in offers] == [(ids["anna"], on_the_day.MEETING)]


# --- Two people race for one freed place ----------------------------------------------------------------------

PARALLEL = 4


def test_four_people_taking_the_one_freed_place_at_once_one_wins_the_others_are_told(app, make_browser, monkeypatch):
    ids = _day(app)
    with app.app_context():
        _no_show(ids)
        _mutual(ids["liga"], ids["mara"])
        event = _get(Event, ids["event"])
        for name in ("vera", "wiktor", "zane", "ugne"):  # two more pairs with accepted meetings without a place
            person = register(make_user(f"{name}@example.org", name.capitalize()), event, organisation=name)
            person.checked_in_at = AT_0910
            ids[name] = person.id
        for a, b in (("vera", "wiktor"), ("zane", "ugne")):
            manual_schedule.new_accepted_meeting(event=event, requester=_get(Participant, ids[a]),
                                                 recipient=_get(Participant, ids[b]), online=False)
        db.session.commit()
    monkeypatch.setattr(on_the_day, "utcnow", lambda: AT_0910)
    # anna takes her accepted meeting with karl, liga her mutual interest with mara, vera and zane theirs
    takers = (("anna", "karl"), ("liga", "mara"), ("vera", "wiktor"), ("zane", "ugne"))
    browsers = []
    for who, _other in takers:
        b = make_browser()
        b.login(f"{who}@example.org")
        browsers.append(b)
    responses = post_at_once(browsers, [f"/events/{ids['event']}/now/meet/{ids[other]}" for _who, other in takers],
                             {"slot_id": str(ids["slot1"])})

    assert [r.status_code for r in responses] == [200] * PARALLEL
    pages = [r.get_data(as_text=True) for r in responses]
    assert sorted(TAKEN in page for page in pages) == [False] + [True] * (PARALLEL - 1)
    [winner] = [i for i, page in enumerate(pages) if "Booked: 09:00 at T1" in page]
    with app.app_context():
        at_table = db.session.scalars(select(Meeting).where(
            Meeting.slot_id == ids["slot1"], Meeting.table_id == ids["table"], Meeting.holds_place)).all()
        assert [{m.participant_a_id, m.participant_b_id} for m in at_table] == [
            {ids[takers[winner][0]], ids[takers[winner][1]]}]


# --- The pages --------------------------------------------------------------------------------------------------

@pytest.fixture
def at_0910(monkeypatch):
    monkeypatch.setattr(on_the_day, "utcnow", lambda: AT_0910)
    monkeypatch.setattr("matchmaking.web.participant.on_the_day.utcnow", lambda: AT_0910)
    monkeypatch.setattr("matchmaking.web.organiser.on_the_day.utcnow", lambda: AT_0910)


def test_the_agenda_and_the_now_page_offer_the_freed_slot_and_one_tap_books_it(app, browser, at_0910):
    ids = _day(app)
    with app.app_context():
        _no_show(ids)
        db.session.commit()
    browser.login("anna@example.org")

    agenda = browser.get(f"/events/{ids['event']}/agenda").get_data(as_text=True)
    page = browser.get(f"/events/{ids['event']}/now").get_data(as_text=True)

    assert "Today, on the spot" in agenda and "with Karl Bērziņa, Karl Łomża" in agenda
    assert "data-live" in page and "live.js" in page
    assert page.index("Karl Bērziņa") < page.index("Liga Bērziņa") < page.index("Mara Bērziņa")
    assert "your accepted meeting without a place" in page and "Ask to meet then" in page
    response = browser.post(f"/events/{ids['event']}/now/meet/{ids['karl']}", {"slot_id": str(ids["slot1"])},
                            follow_redirects=True)
    assert "Booked: 09:00 at T1 with Karl Bērziņa." in response.get_data(as_text=True)
    with app.app_context():
        assert _get(Meeting, ids["unplaced"]).slot_id == ids["slot1"]


def test_a_walk_in_is_proposed_from_the_free_list_and_accepted_by_the_other(app, make_browser, at_0910):
    ids = _day(app)
    karl, mara = make_browser(), make_browser()
    karl.login("karl@example.org")
    mara.login("mara@example.org")

    page = karl.get(f"/events/{ids['event']}/now").get_data(as_text=True)
    assert "Free now, until 09:30" in page and "Meet Mara Bērziņa" in page
    assert "Janis Bērziņa" not in page  # not checked in
    said = karl.post(f"/events/{ids['event']}/now/meet/{ids['mara']}", {"slot_id": str(ids["slot1"])},
                     follow_redirects=True).get_data(as_text=True)
    assert "Mara Bērziņa has been asked; the meeting is booked as soon as they accept." in said
    asked = mara.get(f"/events/{ids['event']}/now").get_data(as_text=True)
    assert "Asked to meet you now" in asked and "Karl Bērziņa" in asked
    with app.app_context():
        [proposal] = on_the_day.proposals_to(_get(Participant, ids["mara"]))
        proposal_id = proposal.id
    said = mara.post(f"/events/{ids['event']}/now/proposals/{proposal_id}/accept",
                     follow_redirects=True).get_data(as_text=True)
    assert "Booked: 09:30 at T1 with Karl Bērziņa." in said  # T1 is anna's and janis's at 09:00


def test_someone_not_checked_in_is_told_to_check_in_and_cannot_meet(app, browser, at_0910):
    ids = _day(app)
    browser.login("olaf@example.org")

    page = browser.get(f"/events/{ids['event']}/now").get_data(as_text=True)
    said = browser.post(f"/events/{ids['event']}/now/meet/{ids['karl']}", {}, follow_redirects=True)

    assert "Check in at the entrance" in page and "Meet Karl" not in page
    assert "Olaf Bērziņa has not checked in at the event." in said.get_data(as_text=True)


def test_the_organiser_books_a_walk_in_and_the_live_plan_shows_it(app, browser, at_0910):
    ids = _day(app)
    browser.login("org@example.org")

    page = browser.get(f"/organiser/events/{ids['event']}/now").get_data(as_text=True)
    said = browser.post(f"/organiser/events/{ids['event']}/now/arrange",
                        {"participant_a": str(ids["liga"]), "participant_b": str(ids["mara"])}, follow_redirects=True)
    plan = browser.get(f"/organiser/events/{ids['event']}/live-plan").get_data(as_text=True)

    assert "Book a meeting now" in page and "Karl Bērziņa, Karl Łomża" in page
    assert "Booked: 09:30 at T1, Liga Bērziņa with Mara Bērziņa." in said.get_data(as_text=True)
    assert 'data-live data-every="30"' in plan and "live.js" in plan
    assert "Now: 09:00–09:30" in plan and "Next: 09:30–10:00" in plan
    now_part, next_part = plan.split("Next: ")
    assert "Anna Bērziņa" in now_part and "Janis Bērziņa" in now_part
    assert "Liga Bērziņa" in next_part and "Mara Bērziņa" in next_part


def test_the_grid_shows_the_meeting_that_took_a_no_shows_table(app, browser, at_0910):
    ids = _day(app)
    with app.app_context():
        _no_show(ids)
        on_the_day.meet_now(viewer=_get(Participant, ids["anna"]), other_id=ids["karl"], slot_id=ids["slot1"],
                            now=AT_0910)
        db.session.commit()
    browser.login("org@example.org")

    grid = browser.get(f"/organiser/events/{ids['event']}/grid").get_data(as_text=True)

    assert "Karl Łomża" in grid and "Janis Łomża" not in grid


def test_a_walk_in_accepted_from_the_requests_page_is_booked_on_the_spot_too(app, browser, monkeypatch):
    ids = _day(app)
    with app.app_context():
        proposal = on_the_day.meet_now(viewer=_get(Participant, ids["mara"]), other_id=ids["karl"], now=AT_0910)
        db.session.commit()
        proposal_id = proposal.id
    monkeypatch.setattr(on_the_day, "utcnow", lambda: AT_0925)  # 09:00 is nearly over: 09:30 is the first slot left
    browser.login("karl@example.org")

    page = browser.post(f"/events/{ids['event']}/requests/{proposal_id}/accept", {}, follow_redirects=True)

    assert "The meeting is in your agenda." in page.get_data(as_text=True)
    with app.app_context():
        meeting = _get(MeetingRequest, proposal_id).meeting
        assert (meeting.slot_id, meeting.table_id) == (ids["slot2"], ids["table"])


def test_without_consent_to_networking_only_an_accepted_meeting_is_offered_and_booked(app):
    ids = _day(app)
    with app.app_context():
        _no_show(ids)
        anna = _get(Participant, ids["anna"])
        anna.networking_consent = False
        db.session.flush()
        offers = on_the_day.offers_for(anna, now=AT_0910)
        assert [(o.other.id, o.kind) for o in offers] == [(ids["karl"], on_the_day.MEETING)]
        with pytest.raises(Conflict, match="not agreed to networking"):
            on_the_day.meet_now(viewer=anna, other_id=ids["liga"], slot_id=ids["slot1"], now=AT_0910)
        booked = on_the_day.meet_now(viewer=anna, other_id=ids["karl"], slot_id=ids["slot1"], now=AT_0910)
        assert booked.slot_id == ids["slot1"]
