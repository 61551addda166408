"""The organiser's lists: participants, meetings, and the unscheduled ones with their reasons."""
from __future__ import annotations

from datetime import time

from matchmaking.extensions import db
from matchmaking.services import meetings
from tests.factories import make_event, make_user, register


def test_organiser_sees_participants_meetings_and_reasons(app, browser):
    with app.app_context():
        organiser = make_user("org@example.org", "Inese Eglīte", organiser=True)
        event = make_event(organiser, sessions=((time(9, 0), time(9, 30)),), tables=1)
        a = register(make_user("a@example.org", "Jędrzej Dąbrowski"), event, organisation="Klaster Meblarski")
        b = register(make_user("b@example.org", "Kadri Mägi"), event, organisation="Tartu Bioeconomy Cluster",
                     country="EE")
        c = register(make_user("c@example.org", "Søren Møller"), event, organisation="Syddansk Cluster", country="DK")
        d = register(make_user("d@example.org", "Åsa Öhman"), event, organisation="Skåne Food", country="SE")
        for x, y in ((a, b), (c, d)):
            request = meetings.request_meeting(requester=x, recipient=y, message="", online=False)
            meetings.accept_request(recipient=y, request_id=request.id)
        db.session.commit()
        event_id = event.id
    browser.login("org@example.org")

    people = browser.get(f"/organiser/events/{event_id}/participants").get_data(as_text=True)
    scheduled = browser.get(f"/organiser/events/{event_id}/meetings").get_data(as_text=True)
    unscheduled = browser.get(f"/organiser/events/{event_id}/meetings?status=unscheduled").get_data(as_text=True)

    assert "4 participants" in people
    assert "c@example.org" in people and "Tartu Bioeconomy Cluster" in people
    assert "Scheduled (1)" in scheduled and "Accepted but unscheduled (1)" in scheduled
    assert "Jędrzej Dąbrowski (Klaster Meblarski) — Kadri Mägi (Tartu Bioeconomy Cluster)" in scheduled
    assert "<td>T1</td>" in scheduled and "09:00–09:30" in scheduled
    assert "Søren Møller (Syddansk Cluster) — Åsa Öhman (Skåne Food)" in unscheduled
    assert "Søren Møller" not in scheduled and "Jędrzej Dąbrowski" not in unscheduled
    assert "No table is free in the slots you both have free." in unscheduled


def test_all_meetings_filter_sort_and_page_in_sql(app, browser):
    """Twelve meetings over two tables: a page of five, filters by participant (any diacritics),
    table, slot and day, the unscheduled and cancelled ones on their own tab; bad values ignored."""
    from matchmaking.models import Meeting
    from matchmaking.services import meeting_list

    with app.app_context():
        organiser = make_user("org@example.org", "Inese Eglīte", organiser=True)
        event = make_event(organiser, sessions=((time(9, 0), time(12, 0)),), tables=2)
        people = [register(make_user(f"p{i}@example.org", f"Osoba {i}"), event, organisation=f"Klaster {i}")
                  for i in range(6)]
        people.append(register(make_user("lomza@example.org", "Żaneta Łukasiewicz"), event,
                               organisation="Spółdzielnia Łomża"))
        made = []
        for i, x in enumerate(people):
            for y in people[i + 1:i + 3]:
                request = meetings.request_meeting(requester=x, recipient=y, message="", online=False)
                made.append(meetings.accept_request(recipient=y, request_id=request.id))
        meetings.cancel_meeting(participant=made[0].participant_a, meeting_id=made[0].id, reason="Ill")
        db.session.commit()
        event_id, table_ids = event.id, [t.id for t in event.tables]
        counts = meeting_list.status_counts(event_id)
        live = db.session.query(Meeting).filter(Meeting.event_id == event_id, Meeting.cancelled_at.is_(None))
        scheduled = [m for m in live if m.slot_id]
        first_slot = min(m.slot.starts_at for m in scheduled)
        in_first = sum(1 for m in scheduled if m.slot.starts_at == first_slot)
        first_slot_id = next(m.slot_id for m in scheduled if m.slot.starts_at == first_slot)
        on_t1 = sum(1 for m in scheduled if m.table_id == table_ids[0])
        day = event.days[0].date.isoformat()
        lomza = [sum(1 for m in ms if "Łomża" in m.participant_a.organisation_name + m.participant_b.organisation_name)
                 for ms in (scheduled, [m for m in live if not m.slot_id])]
    assert counts == {"scheduled": len(scheduled), "unscheduled": 10 - len(scheduled), "cancelled": 1}
    browser.login("org@example.org")
    base = f"/organiser/events/{event_id}/meetings"

    def rows(query: str) -> list[str]:
        page = browser.get(base + query).get_data(as_text=True)
        return [r for r in page.split("<tr>")[2:] if "No meeting matches" not in r]

    page_one = browser.get(base).get_data(as_text=True)
    assert f"Scheduled ({len(scheduled)})" in page_one and "Cancelled (1)" in page_one
    assert len(rows("?per_page=ignored")) == len(scheduled)
    assert [len(rows("?who=lomza")), len(rows("?who=LOMŻA&status=unscheduled"))] == lomza and sum(lomza) == 2
    assert len(rows(f"?table={table_ids[0]}")) == on_t1
    assert len(rows(f"?slot={first_slot_id}")) == in_first
    assert len(rows(f"?day={day}")) == len(scheduled) and rows("?day=2031-01-01") == []
    assert len(rows("?status=cancelled")) == 1 and "Ill" in rows("?status=cancelled")[0]
    for bad in ("?status=nonsense", "?day=31-31-2030", "?slot=abc", "?table=-1", "?sort=%00", "?page=99999"):
        assert browser.get(base + bad).status_code == 200
    with app.app_context():
        from matchmaking.models import Event

        event = db.session.get(Event, event_id)
        paged = meeting_list.meeting_page(event, meeting_list.MeetingFilter(sort="organisation"), page=2, page_size=3)
        everything = meeting_list.meeting_page(event, meeting_list.MeetingFilter(sort="organisation"), page_size=100)
    assert paged.pages == -(-len(scheduled) // 3) and [m.id for m in paged.meetings] == [
        m.id for m in everything.meetings[3:6]]
