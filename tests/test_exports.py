"""Organisers' exports (CSV, XLSX) and print views: exact contents, local times, formula injection
defused, schedules and table plans in time order, and only for the event's organisers."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import event as sa_event

from matchmaking.extensions import db
from matchmaking.models import Event
from matchmaking.services import events, exports, meetings
from tests.factories import make_event, make_user, register

BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY = "Monday 20 May 2030"

MEETING_HEADER = [
    "Meeting ID", "Date", "Start", "End", "Table",
    "Participant A", "Organisation A", "Country A", "E-mail A",
    "Participant B", "Organisation B", "Country B", "E-mail B",
    "Status", "Reason unscheduled", "Reason concerns", "Attendance", "Opportunity kind", "Opportunity",
]
PARTICIPANT_HEADER = [
    "Participant ID", "Name", "E-mail", "Organisation", "Type", "Country", "Region", "Sectors", "Offer", "Seek",
    "Meeting mode", "Sessions", "Meetings scheduled", "Meetings unscheduled",
]
ANNA = ["Anna Wiśniewska", "Łomża Social Economy Cluster", "PL", "anna@example.org"]
ZANETA = ["Žaneta Rokavaldīna", "Latgales Amatnieku Kooperatīvs", "LV", "zaneta@example.org"]
EVIL = ["'=SUM(1+2)", "'+48 Trading", "PL", "evil@example.org"]
KARLIS = ["Kārlis Ozols", "Tartu Bioeconomy Cluster", "EE", "karlis@example.org"]
OLA = ["Ola Nordmann", "Oslo Social Innovation", "NO", "ola@example.org"]


@pytest.fixture
def scene(app):
    """Europe/Riga (UTC+3 in May), slots 09:00 and 09:30 local; T1 shared, T2 Žaneta's stand.

    Anna–Žaneta at 09:00 at the stand (held), =SUM–Anna at 09:30 at T1, Kārlis–Žaneta online at
    09:30, Ola–Kārlis unscheduled (Ola attends no session).
    """
    with app.app_context():
        organiser = make_user("org@example.org", "Inese Eglīte", organiser=True)
        rival = make_user("rival@example.org", "Rita Rivāle", organiser=True)
        event = make_event(organiser, tables=2)
        other_event = make_event(rival, name="Other Brokerage", tables=1)
        anna = register(make_user("anna@example.org", "Anna Wiśniewska"), event,
                        organisation="Łomża Social Economy Cluster")
        zaneta = register(make_user("zaneta@example.org", "Žaneta Rokavaldīna"), event,
                          organisation="Latgales Amatnieku Kooperatīvs", country="LV", region="Latgale",
                          organisation_type="social_cooperative", sectors=("textiles", "social_economy"),
                          offer="Linen textiles, hand-woven", seek="Shops in Poland")
        evil = register(make_user("evil@example.org", "=SUM(1+2)"), event, organisation="+48 Trading",
                        organisation_type="company", region="-Mazowieckie", offer="@everyone", seek="\tTabbed")
        karlis = register(make_user("karlis@example.org", "Kārlis Ozols"), event,
                          organisation="Tartu Bioeconomy Cluster", country="EE", region="Tartumaa",
                          sectors=("bioeconomy",), meeting_mode="both")
        ola = register(make_user("ola@example.org", "Ola Nordmann"), event, organisation="Oslo Social Innovation",
                       country="NO", region="Oslo", organisation_type="ngo", sectors=(), session_ids=())
        outsider = register(make_user("outsider@example.org", "Olga Outsider"), other_event)
        stand, shared = event.tables[1], event.tables[0]
        events.set_table_owner(table=stand, participant=zaneta)

        def meet(requester, recipient, online=False):
            request = meetings.request_meeting(requester=requester, recipient=recipient, message="", online=online)
            return meetings.accept_request(recipient=recipient, request_id=request.id)

        at_stand = meet(anna, zaneta)
        at_table = meet(evil, anna)
        online = meet(karlis, zaneta, online=True)
        unscheduled = meet(ola, karlis)
        meetings.mark_attendance(meeting=at_stand, by=organiser, value="held", now=datetime(2031, 1, 1))
        db.session.commit()
        return SimpleNamespace(
            event=event.id, other_event=other_event.id, stand=stand.id, shared=shared.id,
            other_table=other_event.tables[0].id, outsider=outsider.id,
            anna=anna.id, zaneta=zaneta.id, evil=evil.id, karlis=karlis.id, ola=ola.id,
            at_stand=at_stand.id, at_table=at_table.id, online=online.id, unscheduled=unscheduled.id,
        )


def _meeting_rows(s) -> list[list[str]]:
    return [
        [str(s.at_stand), "2030-05-20", "09:00", "09:30", "T2", *ANNA, *ZANETA, "scheduled", "", "", "held", "", ""],
        [str(s.at_table), "2030-05-20", "09:30", "10:00", "T1", *EVIL, *ANNA, "scheduled", "", "", "", "", ""],
        [str(s.online), "2030-05-20", "09:30", "10:00", "online", *KARLIS, *ZANETA, "scheduled", "", "", "", "", ""],
        [str(s.unscheduled), "", "", "", "", *OLA, *KARLIS, "unscheduled", "no_common_session", "", "", "", ""],
    ]


def _participant_rows(s) -> list[list[str]]:
    session = "2030-05-20 09:00–10:00"
    return [
        [str(s.evil), "'=SUM(1+2)", "evil@example.org", "'+48 Trading", "company", "PL", "'-Mazowieckie",
         "social_economy", "'@everyone", "'\tTabbed", "onsite", session, "1", "0"],
        [str(s.zaneta), "Žaneta Rokavaldīna", "zaneta@example.org", "Latgales Amatnieku Kooperatīvs",
         "social_cooperative", "LV", "Latgale", "social_economy; textiles", "Linen textiles, hand-woven",
         "Shops in Poland", "onsite", session, "2", "0"],
        [str(s.anna), "Anna Wiśniewska", "anna@example.org", "Łomża Social Economy Cluster", "cluster", "PL",
         "Podlaskie", "social_economy", "", "", "onsite", session, "2", "0"],
        [str(s.ola), "Ola Nordmann", "ola@example.org", "Oslo Social Innovation", "ngo", "NO", "Oslo", "", "", "",
         "onsite", "", "0", "1"],
        [str(s.karlis), "Kārlis Ozols", "karlis@example.org", "Tartu Bioeconomy Cluster", "cluster", "EE",
         "Tartumaa", "bioeconomy", "", "", "both", session, "1", "1"],
    ]


def _parse_csv(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM):], newline="")))


def _sections(html: str) -> list[str]:
    return html.split('<section class="sheet"')[1:]


def _in_order(text: str, *parts: str) -> bool:
    """Each part occurs after the one before it."""
    position = 0
    for part in parts:
        position = text.find(part, position)
        if position == -1:
            return False
        position += len(part)
    return True


def test_meetings_csv_has_local_times_and_defused_cells(scene, browser):
    browser.login("org@example.org")

    response = browser.get(f"/organiser/events/{scene.event}/exports/meetings.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f"attachment; filename=event-{scene.event}-meetings.csv"
    assert _parse_csv(response) == [MEETING_HEADER, *_meeting_rows(scene)]


def test_participants_csv_lists_profiles_and_meeting_counts(scene, browser):
    browser.login("org@example.org")

    response = browser.get(f"/organiser/events/{scene.event}/exports/participants.csv")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename=event-{scene.event}-participants.csv"
    assert _parse_csv(response) == [PARTICIPANT_HEADER, *_participant_rows(scene)]


def test_meetings_xlsx_holds_local_datetimes_and_text_not_formulas(scene, browser):
    browser.login("org@example.org")

    response = browser.get(f"/organiser/events/{scene.event}/exports/meetings.xlsx")

    assert response.status_code == 200
    assert response.mimetype == XLSX_TYPE
    assert response.headers["Content-Disposition"] == f"attachment; filename=event-{scene.event}-meetings.xlsx"
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    day, nine, half_past, ten = (datetime(2030, 5, 20, h, m) for h, m in ((0, 0), (9, 0), (9, 30), (10, 0)))
    anna, zaneta, karlis, ola = (
        [*person[:3], person[3]] for person in (ANNA, ZANETA, KARLIS, OLA)
    )
    evil = ["=SUM(1+2)", "+48 Trading", "PL", "evil@example.org"]
    assert values == [
        MEETING_HEADER,
        [scene.at_stand, day, nine, half_past, "T2", *anna, *zaneta, "scheduled", None, None, "held", None, None],
        [scene.at_table, day, half_past, ten, "T1", *evil, *anna, "scheduled", None, None, None, None, None],
        [scene.online, day, half_past, ten, "online", *karlis, *zaneta, "scheduled", None, None, None, None, None],
        [scene.unscheduled, None, None, None, None, *ola, *karlis, "unscheduled", "no_common_session",
         None, None, None, None],
    ]
    formula_like = sheet["F3"]
    assert formula_like.value == "=SUM(1+2)" and formula_like.data_type == "s"
    assert sheet["C2"].value.tzinfo is None and sheet["C2"].number_format == "hh:mm"
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["G"].width > len("Organisation A")


def test_participants_xlsx_matches_the_csv(scene, browser):
    browser.login("org@example.org")

    response = browser.get(f"/organiser/events/{scene.event}/exports/participants.xlsx")

    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "Participants"
    expected = [
        [int(v) if i in (0, 12, 13) else (v.removeprefix("'") or None) for i, v in enumerate(row)]
        for row in _participant_rows(scene)
    ]
    assert values == [PARTICIPANT_HEADER, *expected]
    assert sheet["B2"].value == "=SUM(1+2)" and sheet["B2"].data_type == "s"


@pytest.mark.parametrize("text", ["=1+1", "+48 22", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_defuse_prefixes_formula_triggers(text):
    assert exports.defuse(text) == "'" + text


@pytest.mark.parametrize("text", ["Łomża", "Žaneta", "a=b", "", "'quoted"])
def test_defuse_leaves_plain_text(text):
    assert exports.defuse(text) == text


def test_xlsx_drops_control_characters_openpyxl_refuses(ctx):
    columns = (exports.Column("text"),)

    data = exports.to_xlsx(columns, ["Text"], [["Rīga\x0b\x00 office"]], title="A/B: [x]")

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "Rīga office"
    assert sheet.title == "A B   x "


def test_xlsx_keeps_formulas_and_error_codes_as_text(ctx):
    columns = (exports.Column("text"),)

    data = exports.to_xlsx(columns, ["Text"], [["=1+1"], ["#N/A"], ["Łomża"]])

    sheet = load_workbook(io.BytesIO(data)).active
    assert [(c.value, c.data_type) for c in sheet["A"][1:]] == [("=1+1", "s"), ("#N/A", "s"), ("Łomża", "s")]


def test_exports_load_without_a_query_per_row(scene, app):
    with app.app_context():
        event = db.session.get(Event, scene.event)
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            exports.meeting_rows(event)
            meeting_queries = len(statements)
            exports.participant_rows(event)
            participant_queries = len(statements) - meeting_queries
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
    assert meeting_queries == 1
    assert participant_queries <= 4


def test_print_participants_shows_each_schedule_in_time_order(scene, browser):
    browser.login("org@example.org")

    html = browser.get(f"/organiser/events/{scene.event}/print/participants").get_data(as_text=True)

    assert 'class="site"' not in html and "print.css" in html and 'name="viewport"' in html
    order = (scene.evil, scene.zaneta, scene.anna, scene.ola, scene.karlis)  # by organisation, any diacritics
    assert re.findall(r'<section class="sheet" id="participant-(\d+)"', html) == [str(pid) for pid in order]
    sections = _sections(html)
    by_id = dict(zip(order, sections, strict=True))
    assert all(f"Baltic Cluster Brokerage · {DAY}" in s for s in sections)
    assert _in_order(by_id[scene.anna], "<h1>Anna Wiśniewska</h1>", "09:00–09:30", "T2", "Žaneta Rokavaldīna",
                     "09:30–10:00", "T1", "=SUM(1+2)", "+48 Trading")
    assert _in_order(by_id[scene.zaneta], "Your stand: T2", "09:00–09:30", "T2", "Anna Wiśniewska",
                     "09:30–10:00", "Online", "Kārlis Ozols")
    assert _in_order(by_id[scene.karlis], "09:30–10:00", "Online", "Žaneta Rokavaldīna",
                     "1 more accepted meeting has no time yet")
    assert "No meetings scheduled yet." in by_id[scene.ola]
    assert "06:00" not in html  # the stored UTC time never shows


def test_print_one_participant(scene, browser):
    browser.login("org@example.org")

    html = browser.get(f"/organiser/events/{scene.event}/print/participants?participant={scene.evil}").get_data(
        as_text=True)

    sections = _sections(html)
    assert len(sections) == 1
    assert _in_order(sections[0], "<h1>=SUM(1+2)</h1>", "09:30–10:00", "T1", "Anna Wiśniewska")


def test_print_tables_shows_each_tables_slots_with_who_meets(scene, browser):
    browser.login("org@example.org")

    html = browser.get(f"/organiser/events/{scene.event}/print/tables").get_data(as_text=True)

    sections = _sections(html)
    assert len(sections) == 2
    shared, stand = sections
    assert all(f"Baltic Cluster Brokerage · {DAY}" in s for s in sections)
    assert _in_order(shared, "<h1>T1</h1>", "09:00–09:30", "free", "09:30–10:00", "=SUM(1+2)", "Anna Wiśniewska")
    assert "Žaneta" not in shared and "Kārlis" not in shared  # the online meeting has no table
    assert _in_order(stand, "<h1>T2</h1>", "Stand of Latgales Amatnieku Kooperatīvs (Žaneta Rokavaldīna)",
                     "09:00–09:30", "Anna Wiśniewska", "Łomża Social Economy Cluster", "09:30–10:00", "free")
    assert stand.count("Žaneta Rokavaldīna") == 1  # the stand's owner is named once, not on every row


def test_print_one_table(scene, browser):
    browser.login("org@example.org")

    html = browser.get(f"/organiser/events/{scene.event}/print/tables?table={scene.stand}").get_data(as_text=True)

    sections = _sections(html)
    assert len(sections) == 1 and "<h1>T2</h1>" in sections[0]


def test_exports_page_links_downloads_and_print_views(scene, browser):
    browser.login("org@example.org")

    html = browser.get(f"/organiser/events/{scene.event}/exports").get_data(as_text=True)

    for path in ("exports/meetings.csv", "exports/meetings.xlsx", "exports/participants.csv",
                 "exports/participants.xlsx", "print/participants", "print/tables"):
        assert f"/organiser/events/{scene.event}/{path}" in html
    assert f'<option value="{scene.zaneta}">Latgales Amatnieku Kooperatīvs (Žaneta Rokavaldīna)</option>' in html


@pytest.mark.parametrize("query", ["participant={outsider}", "participant=abc", "participant=99999999999",
                                   "table={other_table}"])
def test_print_views_refuse_what_is_not_in_the_event(scene, browser, query):
    browser.login("org@example.org")
    path = "participants" if query.startswith("participant") else "tables"

    response = browser.get(f"/organiser/events/{scene.event}/print/{path}?"
                           + query.format(outsider=scene.outsider, other_table=scene.other_table))

    assert response.status_code == 404


PAGES = ("exports", "exports/meetings.csv", "exports/meetings.xlsx", "exports/participants.csv",
         "exports/participants.xlsx", "print/participants", "print/tables")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["anna@example.org", "rival@example.org"])
def test_exports_are_not_found_for_others(scene, browser, page, who):
    browser.login(who)

    response = browser.get(f"/organiser/events/{scene.event}/{page}")

    assert response.status_code == 404
    assert "zaneta@example.org" not in response.get_data(as_text=True)


@pytest.mark.parametrize("page", PAGES)
def test_exports_send_anonymous_visitors_to_log_in(scene, client, page):
    response = client.get(f"/organiser/events/{scene.event}/{page}")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_table_plans_of_an_event_without_sessions_are_empty_sheets(ctx):
    organiser = make_user("org@example.org", organiser=True)
    event = make_event(organiser, sessions=(), tables=1)
    db.session.flush()

    plans = exports.table_plans(event)

    assert [(p.table.name, p.local_day.isoformat(), p.slots) for p in plans] == [("T1", "2030-05-20", [])]


def test_schedules_follow_the_event_time_zone(ctx):
    organiser = make_user("org@example.org", organiser=True)
    event = make_event(organiser, timezone="America/New_York", sessions=((time(23, 0), time(23, 30)),), tables=1)
    a = register(make_user("a@example.org", "Aija Liepa"), event)
    b = register(make_user("b@example.org", "Bożena Łuczak"), event)
    request = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
    meetings.accept_request(recipient=b, request_id=request.id)
    db.session.flush()

    rows = exports.meeting_rows(event)
    (schedule,) = exports.participant_schedules(event, a.id)

    # 23:00 in New York is 03:00 UTC the next day: the local date stays the event's day.
    assert rows[0][1:4] == [datetime(2030, 5, 20).date(), datetime(2030, 5, 20, 23, 0), datetime(2030, 5, 20, 23, 30)]
    assert schedule.days == [datetime(2030, 5, 20).date()]
    assert schedule.entries[0].starts_at == datetime(2030, 5, 21, 3, 0)


def test_csv_is_written_in_chunks_that_join_to_the_whole_file():
    """A 20,000-meeting download streams: chunks of rows, the BOM and header once, nothing lost."""
    columns = [exports.Column("name", "text"), exports.Column("day", "date")]
    rows = [[f"Łomża {i}", date(2030, 6, 12)] for i in range(5)]

    chunks = list(exports.csv_chunks(columns, ["Name", "Day"], rows, chunk_rows=2))

    assert len(chunks) == 3 and chunks[0].startswith("\ufeffName,Day\r\n".encode())
    assert b"".join(chunks).decode("utf-8").splitlines()[1:] == [f"Łomża {i},2030-06-12" for i in range(5)]
