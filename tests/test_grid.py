"""The schedule grid and the organiser's hand changes."""
from __future__ import annotations

import re
from datetime import time

import pytest
from sqlalchemy import func, select

from matchmaking.extensions import db
from matchmaking.models import Meeting
from matchmaking.services import events, meetings
from tests.factories import make_event, make_user, register
from tests.snapshots import db_snapshot

THREE_SLOTS = ((time(9, 0), time(10, 30)),)  # 09:00, 09:30, 10:00 in Riga


@pytest.fixture
def world(app):
    """Four participants; (anna, janis) meet at 09:00 at T1, (karl, eve) at 09:00 at T2 (all in Riga)."""
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser, sessions=THREE_SLOTS, tables=3)
        people = {}
        for key, name, org in (("anna", "Anna Wiśniewska", "Klaster Łomża"), ("janis", "Jānis Bērziņš", "Rokavaldīna"),
                               ("karl", "Karl Tamm", "Tartu Textiles"), ("eve", "Eve Saar", "Pärnu Food"),
                               ("olaf", "Olaf Ødegård", "Vestland Maritime")):
            people[key] = register(make_user(f"{key}@example.org", name), event, organisation=org)
        first = meetings.request_meeting(requester=people["anna"], recipient=people["janis"], message="", online=False)
        m1 = meetings.accept_request(recipient=people["janis"], request_id=first.id)
        second = meetings.request_meeting(requester=people["karl"], recipient=people["eve"], message="", online=False)
        m2 = meetings.accept_request(recipient=people["eve"], request_id=second.id)
        db.session.commit()
        slots = [s.id for s in events.event_slots(event.id)]
        return {"event": event.id, "m1": m1.id, "m2": m2.id, "slots": slots,
                "tables": [t.id for t in event.tables], **{k: p.id for k, p in people.items()}}


@pytest.fixture
def organiser(browser):
    browser.login("org@example.org")
    return browser


FLASH = re.compile(r'<div class="flash (?:error|success)" role="status">([^<]*)</div>')


def _flash(response) -> list[str]:
    return FLASH.findall(response.get_data(as_text=True))


def test_grid_shows_each_meeting_in_its_cell_and_free_tables(world, organiser):
    page = organiser.get(f"/organiser/events/{world['event']}/grid").get_data(as_text=True)

    rows = re.findall(r'<tr data-table="\d+"><th class="table-name" scope="row">(T\d)(.*?)</tr>', page, re.S)
    cells = {name: re.findall(r"<td class=\"([^\"]*)\"", body) for name, body in rows}
    assert cells == {"T1": ["busy", "empty", "empty"], "T2": ["busy", "empty", "empty"],
                     "T3": ["empty", "empty", "empty"]}
    assert page.count("1 free") == 1 and page.count("3 free") == 2
    link = re.search(r'<a class="meeting" href="meetings/{}"[^>]*>(.*?)</a>'.format(world["m1"]), page, re.S)
    assert [t for t in re.findall(r">([^<]*)<", link.group(1)) if t] == ["Klaster Łomża", "Rokavaldīna"]  # in full
    assert 'title="Klaster Łomża (Anna Wiśniewska) – Rokavaldīna (Jānis Bērziņš)"' in link.group(0)  # and names
    assert organiser.get(f"/organiser/events/{world['event']}/meetings/{world['m1']}").status_code == 200
    # where each cell is: its column's slot, its row's table
    assert re.findall(r'<th scope="col" data-slot="(\d+)">', page) == [str(s) for s in world["slots"]]
    assert re.findall(r'<tr data-table="(\d+)">', page) == [str(t) for t in world["tables"]] + ["0"]


def test_grid_marks_pinned_meetings_in_words_and_closed_cells_as_no_drop_target(app, world, organiser):
    with app.app_context():
        from matchmaking.models import MeetingTable, Slot

        table = db.session.get(MeetingTable, world["tables"][2])
        table.closed_slots = [db.session.get(Slot, world["slots"][1])]
        db.session.commit()
    organiser.post(f"/organiser/events/{world['event']}/meetings/{world['m1']}/move",
                   {"slot_id": world["slots"][2], "table_id": world["tables"][0]})

    page = organiser.get(f"/organiser/events/{world['event']}/grid").get_data(as_text=True)

    rows = dict(re.findall(r'<tr data-table="\d+"><th class="table-name" scope="row">(T\d)(.*?)</tr>', page, re.S))
    cells = {name: re.findall(r'<td class="([^"]*)"', body) for name, body in rows.items()}
    assert cells["T3"] == ["empty", "closed", "empty"]  # a closed cell: no drop (grid.js), no "+"
    assert "closed" in rows["T3"] and rows["T3"].count("+</a>") == 2
    assert cells["T1"] == ["empty", "empty", "pinned"]
    pinned = rows["T1"].split('class="pinned"')[1]
    assert '<span class="pin"><span aria-hidden="true">⚑</span> pinned</span>' in pinned


def test_grid_filter_keeps_the_tables_of_matching_participants(world, organiser):
    page = organiser.get(f"/organiser/events/{world['event']}/grid?q=lomza").get_data(as_text=True)

    assert re.findall(r'scope="row">(T\d)', page) == ["T1"]


def test_grid_pages_through_300_tables(app, world, organiser):
    with app.app_context():
        from matchmaking.models import Event

        event = db.session.get(Event, world["event"])
        events.add_tables(event=event, names=events.numbered_table_names(event, 297, "Stół"))
        db.session.commit()

    first = organiser.get(f"/organiser/events/{world['event']}/grid").get_data(as_text=True)
    last = organiser.get(f"/organiser/events/{world['event']}/grid?page=8").get_data(as_text=True)

    assert first.count('class="table-name" scope="row"') == 40 and "Page 1 of 8" in first and "300 tables" in first
    assert last.count('class="table-name" scope="row"') == 20 and "Stół 300" in last


def test_moving_into_an_occupied_cell_is_refused_and_changes_nothing(app, world, organiser):
    before = db_snapshot(app)

    response = organiser.post(f"/organiser/events/{world['event']}/meetings/{world['m1']}/move",
                              {"slot_id": world["slots"][0], "table_id": world["tables"][1]}, follow_redirects=True)

    assert response.status_code == 200
    assert _flash(response) == ["T2 is taken in that slot."]
    assert db_snapshot(app) == before


def test_moving_into_a_slot_where_a_participant_is_busy_names_them(app, world, organiser):
    with app.app_context():
        from matchmaking.models import Participant

        anna, karl = db.session.get(Participant, world["anna"]), db.session.get(Participant, world["karl"])
        request = meetings.request_meeting(requester=anna, recipient=karl, message="", online=False)
        later = meetings.accept_request(recipient=karl, request_id=request.id)  # 09:30
        db.session.commit()
        later_id = later.id
    before = db_snapshot(app)

    response = organiser.post(f"/organiser/events/{world['event']}/meetings/{later_id}/move",
                              {"slot_id": world["slots"][0], "table_id": world["tables"][2]}, follow_redirects=True)

    assert _flash(response) == ["Anna Wiśniewska (Klaster Łomża) already has a meeting in that slot."]
    assert db_snapshot(app) == before


def test_moving_into_a_free_cell_moves_and_pins(app, world, organiser):
    response = organiser.post(f"/organiser/events/{world['event']}/meetings/{world['m1']}/move",
                              {"slot_id": world["slots"][2], "table_id": world["tables"][2]}, follow_redirects=True)

    assert _flash(response) == ["Meeting moved and pinned."]
    with app.app_context():
        meeting = db.session.get(Meeting, world["m1"])
        assert (meeting.slot_id, meeting.table_id, meeting.pinned, meeting.sequence) == \
            (world["slots"][2], world["tables"][2], True, 1)


def test_a_stand_is_only_for_its_exhibitor(app, world, organiser):
    with app.app_context():
        from matchmaking.models import MeetingTable, Participant

        events.set_table_owner(table=db.session.get(MeetingTable, world["tables"][2]),
                               participant=db.session.get(Participant, world["olaf"]))
        db.session.commit()

    response = organiser.post(f"/organiser/events/{world['event']}/meetings/{world['m1']}/move",
                              {"slot_id": world["slots"][1], "table_id": world["tables"][2]}, follow_redirects=True)

    assert _flash(response) == ["T3 is the stand of Vestland Maritime."]


def test_arrange_a_meeting_in_a_chosen_cell_and_refuse_a_second_for_the_pair(app, world, organiser):
    url = f"/organiser/events/{world['event']}/meetings/new"
    data = {"participant_a": world["anna"], "participant_b": world["olaf"], "slot_id": world["slots"][1],
            "table_id": world["tables"][2]}

    made = organiser.post(url, data, follow_redirects=True)
    again = organiser.post(url, data, follow_redirects=True)

    assert _flash(made) == ["Meeting arranged."]
    assert _flash(again) == ["Anna Wiśniewska and Olaf Ødegård already have an open request or meeting."]
    with app.app_context():
        arranged = db.session.scalar(select(Meeting).where(Meeting.participant_b_id == world["olaf"]))
        assert (arranged.slot_id, arranged.table_id, arranged.pinned) == (world["slots"][1], world["tables"][2], True)
        assert arranged.request.status == "accepted"


def test_arrange_without_a_place_lets_the_scheduler_choose(app, world, organiser):
    organiser.post(f"/organiser/events/{world['event']}/meetings/new",
                   {"participant_a": world["olaf"], "participant_b": world["janis"], "slot_id": 0, "table_id": 0})

    with app.app_context():
        arranged = db.session.scalar(select(Meeting).where(Meeting.participant_a_id == world["olaf"]))
        assert arranged.slot_id == world["slots"][1]  # janis is busy at 09:00
        assert arranged.pinned is False


def test_organiser_cancels_with_a_reason_both_sides_see(app, world, organiser, make_browser):
    response = organiser.post(f"/organiser/events/{world['event']}/meetings/{world['m2']}/cancel",
                              {"reason": "Stół przewrócony / table broken"}, follow_redirects=True)

    assert _flash(response) == ["Meeting cancelled."]
    eve = make_browser()
    eve.login("eve@example.org")
    page = eve.get(f"/events/{world['event']}/meetings/{world['m2']}").get_data(as_text=True)
    assert "Stół przewrócony / table broken" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Meeting.cancelled_at.is_not(None))) == 1


@pytest.mark.parametrize(("data", "status", "message"), [
    ({"slot_id": "abc", "table_id": "0"}, 200, "Slot: Invalid Choice: could not coerce."),
    ({"table_id": "0"}, 200, "Slot: This field is required."),
    ({"slot_id": "99999999999", "table_id": "0"}, 404, None),
    ({"slot_id": "{slot}", "table_id": "-5"}, 404, None),
])
def test_move_with_bad_input_gets_a_message_or_404_and_changes_nothing(app, world, organiser, data, status, message):
    before = db_snapshot(app)
    payload = {k: v.format(slot=world["slots"][1]) for k, v in data.items()}

    response = organiser.post(f"/organiser/events/{world['event']}/meetings/{world['m1']}/move", payload,
                              follow_redirects=True)

    assert response.status_code == status
    if message:
        assert message in _flash(response)
    assert db_snapshot(app) == before


def test_a_grid_page_loads_only_its_own_tables_meetings(app, world):
    """At 300 tables and 18,000 meetings the grid must cost what one page shows: a page of one
    table loads that table's meeting, while the free tables per slot still count every table."""
    with app.app_context():
        from matchmaking.services.grid import schedule_grid

        db.session.expunge_all()
        grid = schedule_grid(event_id=world["event"], page=2, page_size=1)

        loaded = {o.id for o in db.session.identity_map.values() if isinstance(o, Meeting)}
        assert [t.name for t in grid.tables] == ["T2"] and grid.pages == 3
        assert loaded == set()  # the cells are plain rows: no meeting is built as an object
        assert [cell.id for cell in grid.cells.values()] == [world["m2"]]
        assert grid.free_tables[world["slots"][0]] == 1 and grid.free_tables[world["slots"][1]] == 3


def test_the_grid_shows_one_day_at_a_time(app, world, organiser):
    """A three-day event's grid would be 72 slots wide: it shows one day, with a link to each."""
    from datetime import date, timedelta

    with app.app_context():
        from matchmaking.models import Event

        event = db.session.get(Event, world["event"])
        first = event.days[0].date
        second = events.add_day(event=event, day=first + timedelta(days=1))
        events.add_session(day=second, name="", start=time(14, 0), end=time(15, 0), slot_minutes=30, breaks="")
        db.session.commit()
    base = f"/organiser/events/{world['event']}/grid"

    day_one = organiser.get(base).get_data(as_text=True)
    day_two = organiser.get(f"{base}?day={first + timedelta(days=1)}&page=1").get_data(as_text=True)
    nonsense = organiser.get(f"{base}?day=2030-13-45")

    assert day_one.count('<th scope="col" data-slot=') == 3 and "Klaster Łomża" in day_one
    assert day_two.count('<th scope="col" data-slot=') == 2 and "Klaster Łomża" not in day_two
    assert f'day={first + timedelta(days=1)}' in day_one and 'aria-current="page"' in day_two
    assert nonsense.status_code == 200 and isinstance(first, date)


def _meet(app, requester: int, recipient: int, online: bool = False) -> tuple[int, int]:
    """An accepted meeting of the two (placed where it fits): its id and slot."""
    with app.app_context():
        from matchmaking.models import Participant

        a, b = db.session.get(Participant, requester), db.session.get(Participant, recipient)
        request = meetings.request_meeting(requester=a, recipient=b, message="", online=online)
        made = meetings.accept_request(recipient=b, request_id=request.id)
        db.session.commit()
        return made.id, made.slot_id


def _check(browser, world, meeting: int, slot: int, table: int):
    return browser.get(f"/organiser/events/{world['event']}/meetings/{meeting}/move-check?slot={slot}&table={table}")


def test_move_check_says_ok_for_a_free_cell_and_changes_nothing(app, world, organiser):
    before = db_snapshot(app)

    response = _check(organiser, world, world["m1"], world["slots"][2], world["tables"][2])

    assert response.status_code == 200 and response.get_json() == {"ok": True, "reason": ""}
    assert db_snapshot(app) == before


@pytest.mark.parametrize(("slot", "table", "reason"), [
    (0, 1, "T2 is taken in that slot."),
    (0, 0, "Choose a table for a meeting on site."),
])
def test_move_check_gives_the_reason_the_move_form_refuses_with(app, world, organiser, slot, table, reason):
    slot_id, table_id = world["slots"][slot], world["tables"][table] if table else 0
    before = db_snapshot(app)

    checked = _check(organiser, world, world["m1"], slot_id, table_id).get_json()
    moved = organiser.post(f"/organiser/events/{world['event']}/meetings/{world['m1']}/move",
                           {"slot_id": slot_id, "table_id": table_id}, follow_redirects=True)

    assert checked == {"ok": False, "reason": reason}
    assert _flash(moved) == [reason]
    assert db_snapshot(app) == before


def test_move_check_names_a_participant_busy_in_that_slot(app, world, organiser):
    later_id, _slot = _meet(app, world["anna"], world["karl"])  # 09:30

    checked = _check(organiser, world, later_id, world["slots"][0], world["tables"][2]).get_json()

    assert checked == {"ok": False, "reason": "Anna Wiśniewska (Klaster Łomża) already has a meeting in that slot."}


def test_move_check_of_another_events_meeting_or_place_is_not_found(app, world, organiser):
    with app.app_context():
        from matchmaking.models import User

        owner = db.session.scalar(select(User).where(User.email == "org@example.org"))
        other = make_event(owner, name="Nordic Wood Forum", tables=1)
        a = register(make_user("lena@example.org", "Lena Ström"), other, organisation="Skåne Trä")
        b = register(make_user("mikk@example.org", "Mikk Kask"), other, organisation="Tartu Puit")
        request = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        theirs = meetings.accept_request(recipient=b, request_id=request.id)
        db.session.commit()
        other_meeting, other_slot, other_table = theirs.id, theirs.slot_id, other.tables[0].id

    assert _check(organiser, world, other_meeting, world["slots"][2], world["tables"][2]).status_code == 404
    assert _check(organiser, world, world["m1"], other_slot, world["tables"][2]).status_code == 404
    assert _check(organiser, world, world["m1"], world["slots"][2], other_table).status_code == 404
    assert _check(organiser, world, world["m1"], 0, 0).status_code == 404


@pytest.mark.parametrize("who", ["anna@example.org", None])
def test_move_check_is_hidden_from_participants_and_anonymous_visitors(app, world, make_browser, who):
    browser = make_browser()
    if who:
        browser.login(who)

    response = _check(browser, world, world["m1"], world["slots"][2], world["tables"][2])

    assert response.status_code == (404 if who else 302)
    assert b'"ok"' not in response.get_data()


def test_online_meetings_have_their_own_row_which_takes_drops_without_a_table(app, world, organiser):
    """Each table page has the row (a drop target in each slot) with the day's online meetings counted;
    the page of online meetings lists them."""
    online_id, online_slot = _meet(app, world["olaf"], world["eve"], online=True)
    base = f"/organiser/events/{world['event']}/grid"

    tables = organiser.get(base).get_data(as_text=True)
    online = organiser.get(f"{base}?show=online").get_data(as_text=True)
    checked = _check(organiser, world, online_id, world["slots"][2], 0).get_json()

    def row(page: str) -> list[tuple[str, str]]:
        body = page.split('<tbody class="online">', 1)[1].split("</tbody>", 1)[0]
        assert body.startswith('\n    <tr data-table="0">')  # a drop target in each slot, with no table
        return list(zip(world["slots"], re.findall(r'<td class="online-cell">(.*?)</td>', body, re.S), strict=True))

    assert [" ".join(re.sub(r"<[^>]+>", " ", body).split()) for _slot, body in row(tables)] == \
        ["1 online meeting" if slot == online_slot else "" for slot in world["slots"]]
    assert "Vestland Maritime" not in tables and 'scope="row">T1' in tables
    assert [f'href="meetings/{online_id}"' in body for _slot, body in row(online)] == \
        [slot == online_slot for slot in world["slots"]]
    assert "Vestland Maritime" in online and 'scope="row">T1' not in online and "Back to the tables" in online
    assert checked == {"ok": True, "reason": ""}


def test_a_move_from_the_grid_comes_back_to_the_grid_page_it_was_on(app, world, organiser):
    from urllib.parse import quote

    back = quote(f"/organiser/events/{world['event']}/grid?page=1&q=lomza", safe="")

    response = organiser.post(f"/organiser/events/{world['event']}/meetings/{world['m1']}/move?next={back}",
                              {"slot_id": world["slots"][2], "table_id": world["tables"][2]})
    elsewhere = organiser.post(f"/organiser/events/{world['event']}/meetings/{world['m1']}/move?next=//evil.example",
                               {"slot_id": world["slots"][1], "table_id": world["tables"][2]})

    assert response.status_code == 302 and response.headers["Location"].endswith("/grid?page=1&q=lomza")
    assert elsewhere.headers["Location"].endswith(f"/meetings/{world['m1']}")


def test_the_grid_page_asks_the_same_statements_however_many_meetings_it_shows(app, world, organiser):
    """Both sides' names come with their meetings: no statement per meeting shown (at 960 cells a page,
    one each made the page take seconds)."""
    from sqlalchemy import event as sa_event

    def statements() -> int:
        seen = []
        with app.app_context():
            listener = lambda *args: seen.append(1)  # noqa: E731
            sa_event.listen(db.engine, "before_cursor_execute", listener)
            try:
                assert organiser.get(f"/organiser/events/{world['event']}/grid").status_code == 200
            finally:
                sa_event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    before = statements()
    _meet(app, world["anna"], world["karl"])
    _meet(app, world["janis"], world["eve"])
    _meet(app, world["olaf"], world["karl"])

    assert statements() == before


def test_a_cell_names_each_side_as_the_meeting_page_does_and_hides_an_anonymised_person(app, world, organiser):
    """The cells are read as plain rows: the names, checked-in marks and deleted people match the model's."""
    from matchmaking.models import Participant
    from matchmaking.models.base import utcnow
    from matchmaking.services.personal_data import anonymise_participant

    with app.app_context():
        db.session.get(Participant, world["janis"]).checked_in_at = utcnow()
        anonymise_participant(participant=db.session.get(Participant, world["karl"]), now=utcnow())
        db.session.commit()
    page = organiser.get(f"/organiser/events/{world['event']}/grid").get_data(as_text=True)

    titles = re.findall(r'<a class="meeting" href="meetings/\d+" title="([^"]*)">(.*?)</a>', page)
    assert titles[0][0] == "Klaster Łomża (Anna Wiśniewska) – Rokavaldīna (Jānis Bērziņš)"
    assert titles[0][1].count("checked-in") == 1  # Jānis only
    assert "(Deleted participant) – Pärnu Food (Eve Saar)" in titles[1][0] and "Karl Tamm" not in page
