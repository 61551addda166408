"""``flask seed-demo`` loads a BSR Stars sized event that the app can show."""
from __future__ import annotations

from sqlalchemy import func, select

from matchmaking.extensions import db
from matchmaking.models import Event, Meeting, MeetingRequest, MeetingTable, Participant, Slot, SlotBooking
from matchmaking.services import contacts, outcome_report


def test_seed_demo_builds_a_realistic_event_once(app, browser):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])

    assert first.exit_code == 0, first.output
    assert "Log in as organiser:   organiser@demo.example.org / demo-password-2026" in first.output
    assert "Log in as participant: participant1@demo.example.org" in first.output
    assert "loaded already" in second.output
    with app.app_context():
        def count(stmt):
            return db.session.scalar(stmt)

        assert count(select(func.count()).select_from(Event)) == 1
        assert count(select(func.count()).select_from(Participant)) == 200
        assert count(select(func.count()).select_from(MeetingTable)) == 40
        assert count(select(func.count()).where(MeetingTable.owner_participant_id.is_not(None))) == 4
        assert count(select(func.count(func.distinct(func.date(Slot.starts_at))))) == 2
        requests = count(select(func.count()).select_from(MeetingRequest))
        scheduled = count(select(func.count()).where(Meeting.slot_id.is_not(None)))
        assert requests >= 300 and scheduled >= requests // 2
        holding = count(select(func.count()).where(Meeting.slot_id.is_not(None), Meeting.holds_place))
        assert scheduled - 20 <= holding < scheduled  # the demo's few no-shows give their seats back
        assert count(select(func.count()).select_from(SlotBooking)) == 2 * holding
        names = " ".join(db.session.scalars(select(Participant.organisation_name)))
        countries = set(db.session.scalars(select(Participant.country)))
        assert any(ch in names for ch in "ąęłńóśźż") and any(ch in names for ch in "āēīūņļķ")
        assert {"PL", "LV", "LT", "EE", "DE"} <= countries
        people = db.session.scalars(select(Participant)).all()
        assert all(p.networking_consent and p.is_listed for p in people)
        assert all(contacts.is_linkedin_address(p.linkedin) and contacts.is_web_address(p.website)
                   and contacts.is_phone_number(p.phone) for p in people)
        assert {p.phone.split()[0] for p in people if p.country in ("PL", "LV")} == {"+48", "+371"}
        assert any(p.linkedin.startswith("https://www.linkedin.com/company/klaster-") for p in people)
        event_id = db.session.scalar(select(Event.id))
        report = outcome_report.report(db.session.get(Event, event_id))  # the outcome report is not empty
        assert report.held > 0 and report.no_show > 0 and sum(report.ratings.values()) > 0
        assert report.agreements and sum(report.followup.values()) > len(report.agreements)
        assert any(a.confirmed for a in report.agreements) and not all(a.confirmed for a in report.agreements)

    browser.login("participant1@demo.example.org", "demo-password-2026")
    agenda = browser.get(f"/events/{event_id}/agenda")
    assert agenda.status_code == 200 and "My agenda" in agenda.get_data(as_text=True)
    assert "Table" in agenda.get_data(as_text=True) or "No meetings scheduled yet." in agenda.get_data(as_text=True)


def test_the_scale_seeding_gives_a_valid_event(app):
    """``seed-demo --scale een`` at a small size: the same shape, in bulk, within the database's rules and
    the scheduling core's (nobody twice in a slot, only in sessions they attend, a free table each)."""
    from matchmaking import scheduling as core
    from matchmaking.models import ProgrammeSession
    from matchmaking.models.meeting import PENDING
    from matchmaking.models.programme import programme_attendance
    from matchmaking.services import demo_scale
    from matchmaking.services.schedule_instance import load_live_schedule

    with app.app_context():
        summary = demo_scale.build_scale(demo_scale.Scale.of(90), seed=7)
        db.session.commit()

        event = db.session.get(Event, summary.event_id)
        assert (summary.participants, summary.meetings, summary.tables, summary.slots) == (90, 600, 10, 72)
        assert event.scheduling_mode == "batch" and len(event.days) == 3
        assert summary.scheduled >= 500 and summary.pending == 45
        assert db.session.scalar(select(func.count()).select_from(SlotBooking)) == 2 * summary.scheduled
        live = load_live_schedule(event.id)
        assert len(live.assignment) == summary.scheduled
        assert core.check(live.instance, core.Solution(meetings=live.assignment)) == []
        pending = db.session.scalar(select(func.count()).where(MeetingRequest.status == PENDING))
        assert pending == 45 and db.session.scalar(select(func.count()).select_from(programme_attendance)) > 0
        assert db.session.scalar(select(func.count()).select_from(ProgrammeSession)) == 6
        names = " ".join(db.session.scalars(select(Participant.organisation_name)))
        people = " ".join(p.name for p in db.session.scalars(select(Participant)))
        assert any(ch in names + people for ch in "ąęłńóśźż") and any(ch in names + people for ch in "āēīūņļķš")
        assert all(contacts.is_phone_number(p.phone) for p in db.session.scalars(select(Participant)))


def test_seed_demo_scale_runs_once(app, monkeypatch):
    from matchmaking.services import demo_scale

    monkeypatch.setitem(demo_scale.SCALES, "een", demo_scale.Scale.of(30))
    runner = app.test_cli_runner()

    first = runner.invoke(args=["seed-demo", "--scale", "een"])
    second = runner.invoke(args=["seed-demo", "--scale", "een"])
    wrong = runner.invoke(args=["seed-demo", "--scale", "huge"])

    assert first.exit_code == 0, first.output
    assert "30 participants, 200 accepted meetings" in first.output
    assert "loaded already" in second.output and "30 participants" in second.output
    assert wrong.exit_code == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Event)) == 1
