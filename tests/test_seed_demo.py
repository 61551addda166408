"""``flask seed-demo`` loads a BSR Stars sized event that the app can show."""
from __future__ import annotations

from sqlalchemy import func, select

from matchmaking.extensions import db
from matchmaking.models import Event, Meeting, MeetingRequest, MeetingTable, Participant, Slot, SlotBooking
from matchmaking.services import contacts


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
        assert count(select(func.count()).select_from(SlotBooking)) == 2 * scheduled
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

    browser.login("participant1@demo.example.org", "demo-password-2026")
    agenda = browser.get(f"/events/{event_id}/agenda")
    assert agenda.status_code == 200 and "My agenda" in agenda.get_data(as_text=True)
    assert "Table" in agenda.get_data(as_text=True) or "No meetings scheduled yet." in agenda.get_data(as_text=True)
