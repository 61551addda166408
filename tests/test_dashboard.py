"""The organiser's dashboard: exact figures from the service and on the page, and who may see it."""
from __future__ import annotations

import html
import re
from datetime import date, time

import pytest

from matchmaking.extensions import db
from matchmaking.models import Meeting
from matchmaking.services import meetings
from matchmaking.services.dashboard import (
    Funnel,
    GroupFigures,
    RequestedParticipant,
    event_dashboard,
)
from tests.factories import make_event, make_user, register

PAST_DAY = date(2025, 3, 10)  # Riga is UTC+2 then: 09:00 local is 07:00 UTC


def _accept(requester, recipient) -> Meeting:
    request = meetings.request_meeting(requester=requester, recipient=recipient, message="", online=False)
    return meetings.accept_request(recipient=recipient, request_id=request.id)


def _build(app, *, attendance: bool = True) -> dict:
    """Seven participants from four countries; requests in every status; meetings scheduled,
    unscheduled and cancelled; two held and one no-show. Another event's data must not leak in."""
    with app.app_context():
        organiser = make_user("org@example.org", "Inese Eglīte", organiser=True)
        event = make_event(organiser, day=PAST_DAY, sessions=((time(9, 0), time(10, 30)), (time(11, 0), time(11, 30))))
        first, second = (s.id for s in event.days[0].sessions)

        def person(key, name, organisation, country, region, kind, session_ids=(first, second)):
            return register(make_user(f"{key}@example.org", name), event, organisation=organisation, country=country,
                            region=region, organisation_type=kind, session_ids=session_ids)

        p1 = person("p1", "Jędrzej Dąbrowski", "Klaster Meblarski", "PL", "Kujawsko-Pomorskie", "cluster")
        p2 = person("p2", "Żaneta Wójcik", "Spółdzielnia Socjalna Arlekin", "PL", "Kujawsko-Pomorskie",
                    "social_cooperative")
        p3 = person("p3", "Ewa Mazur", "Stowarzyszenie Rozwoju Łomży", "PL", "Podlaskie", "ngo")
        p4 = person("p4", "Kārlis Ozoliņš", "Vidzemes Pārtikas klasteris", "LV", "Vidzeme", "cluster")
        p5 = person("p5", "Dace Liepiņa", "Vidzeme Planning Region", "LV", "Vidzeme", "public_authority")
        p6 = person("p6", "Kadri Mägi", "Tartu University", "EE", "", "university", session_ids=(first,))
        p7 = person("p7", "Rūta Butkus", "Vilnius Food Ltd", "LT", "Vilnius", "company", session_ids=(second,))

        m1 = _accept(p1, p4)  # 09:00
        m2 = _accept(p2, p4)  # 09:30: p4 is busy at 09:00
        m3 = _accept(p1, p5)  # 09:30: p1 is busy at 09:00
        _accept(p3, p1)  # 10:00: p1 is busy before
        m5 = _accept(p2, p1)  # 11:00, then cancelled
        meetings.cancel_meeting(participant=p1, meeting_id=m5.id, reason="Double-booked")
        _accept(p6, p7)  # unscheduled: no session in common
        declined = meetings.request_meeting(requester=p5, recipient=p4, message="", online=False)
        meetings.decline_request(recipient=p4, request_id=declined.id)
        meetings.request_meeting(requester=p3, recipient=p4, message="", online=False)  # pending
        withdrawn = meetings.request_meeting(requester=p6, recipient=p4, message="", online=False)
        meetings.withdraw_request(requester=p6, request_id=withdrawn.id)
        if attendance:
            meetings.mark_attendance(meeting=m1, by=organiser, value="held")
            meetings.mark_attendance(meeting=m2, by=p2.user, value="held")
            meetings.mark_attendance(meeting=m3, by=organiser, value="no_show")

        other_organiser = make_user("other-org@example.org", organiser=True)
        other = make_event(other_organiser, name="Pomorskie Social Economy Fair", day=PAST_DAY)
        x = register(make_user("x@example.org"), other, country="PL", region="Pomorskie")
        y = register(make_user("y@example.org"), other, country="PL", region="Pomorskie")
        meetings.mark_attendance(meeting=_accept(x, y), by=other_organiser, value="held")
        db.session.commit()
        return {
            "event_id": event.id, "participants": {k: v.id for k, v in zip(
                ("p1", "p2", "p3", "p4", "p5", "p6", "p7"), (p1, p2, p3, p4, p5, p6, p7), strict=True)},
        }


def _rows(page: str, table_id: str) -> list[str]:
    """The text of each body row of a table, whitespace collapsed."""
    table = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", "<tr" + row)).split())
            for row in body.split("<tr")[1:]]


def test_dashboard_funnel_counts_every_status(app):
    built = _build(app)
    with app.app_context():
        funnel = event_dashboard(built["event_id"]).funnel

    assert funnel == Funnel(participants=7, requests_sent=9, accepted=5, declined=1, pending=1, withdrawn=1,
                            scheduled=4, unscheduled=1, held=2, no_show=1, cancelled=1)


def test_dashboard_meetings_per_slot_count_live_meetings_only(app):
    built = _build(app)
    with app.app_context():
        slots = event_dashboard(built["event_id"]).slots

    assert [(s.starts_at.strftime("%H:%M"), s.meetings, s.held) for s in slots] == [
        ("07:00", 1, 1), ("07:30", 2, 1), ("08:00", 1, 0), ("09:00", 0, 0),  # UTC; the 11:00 one was cancelled
    ]


def test_dashboard_groups_count_each_meeting_once_per_group(app):
    built = _build(app)
    with app.app_context():
        dashboard = event_dashboard(built["event_id"])

    assert dashboard.by_country == (
        GroupFigures(participants=3, meetings=4, held=2, country="PL"),  # p3 with p1 counts once for Poland
        GroupFigures(participants=2, meetings=3, held=2, country="LV"),
        GroupFigures(participants=1, meetings=1, held=0, country="EE"),
        GroupFigures(participants=1, meetings=1, held=0, country="LT"),
    )
    assert dashboard.by_region == (
        GroupFigures(participants=2, meetings=4, held=2, country="PL", region="Kujawsko-Pomorskie"),
        GroupFigures(participants=2, meetings=3, held=2, country="LV", region="Vidzeme"),
        GroupFigures(participants=1, meetings=1, held=0, country="EE", region=""),
        GroupFigures(participants=1, meetings=1, held=0, country="LT", region="Vilnius"),
        GroupFigures(participants=1, meetings=1, held=0, country="PL", region="Podlaskie"),
    )
    assert dashboard.by_organisation_type == (
        GroupFigures(participants=2, meetings=4, held=2, organisation_type="cluster"),  # p1 meets p4: once
        GroupFigures(participants=1, meetings=1, held=0, organisation_type="company"),
        GroupFigures(participants=1, meetings=1, held=0, organisation_type="ngo"),
        GroupFigures(participants=1, meetings=1, held=0, organisation_type="public_authority"),
        GroupFigures(participants=1, meetings=1, held=1, organisation_type="social_cooperative"),
        GroupFigures(participants=1, meetings=1, held=0, organisation_type="university"),
    )


def test_dashboard_most_requested_ranks_by_requests_received(app):
    built = _build(app)
    ids = built["participants"]
    with app.app_context():
        ranking = event_dashboard(built["event_id"]).most_requested

    assert ranking == (
        RequestedParticipant(ids["p4"], "Kārlis Ozoliņš", "Vidzemes Pārtikas klasteris", "LV", "cluster", 5, 2),
        RequestedParticipant(ids["p1"], "Jędrzej Dąbrowski", "Klaster Meblarski", "PL", "cluster", 2, 1),
        RequestedParticipant(ids["p5"], "Dace Liepiņa", "Vidzeme Planning Region", "LV", "public_authority", 1, 1),
        RequestedParticipant(ids["p7"], "Rūta Butkus", "Vilnius Food Ltd", "LT", "company", 1, 1),
    )


def test_dashboard_of_an_empty_event_is_all_zero(app, browser):
    with app.app_context():
        event = make_event(make_user("org@example.org", organiser=True), tables=0, sessions=())
        db.session.commit()
        event_id = event.id
        dashboard = event_dashboard(event_id)
    browser.login("org@example.org")

    page = browser.get(f"/organiser/events/{event_id}/dashboard")

    assert dashboard.funnel == Funnel(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert (dashboard.slots, dashboard.by_country, dashboard.by_region, dashboard.most_requested) == ((), (), (), ())
    assert page.status_code == 200
    assert "No participants yet." in page.get_data(as_text=True)


def test_dashboard_page_shows_the_figures(app, browser):
    built = _build(app)
    browser.login("org@example.org")

    response = browser.get(f"/organiser/events/{built['event_id']}/dashboard")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert _rows(page, "funnel") == [
        "Registered participants 7", "Meeting requests sent 9", "Accepted 5 56%", "Scheduled in a slot 4 80%",
        "Held 2 50%", "No-show 1 25%", "Accepted but unscheduled 1 20%", "Declined 1 11%",
        "Pending (no answer yet) 1 11%", "Withdrawn 1 11%",
    ]
    assert "1 meeting was cancelled after it was accepted; it is not counted above." in page
    assert _rows(page, "slots") == [
        "Mon 10 Mar, 09:00–09:30 1 1", "Mon 10 Mar, 09:30–10:00 2 1", "Mon 10 Mar, 10:00–10:30 1 0",
        "Mon 10 Mar, 11:00–11:30 0 0",
    ]
    assert _rows(page, "by-country") == ["Poland 3 4 2", "Latvia 2 3 2", "Estonia 1 1 0", "Lithuania 1 1 0"]
    assert _rows(page, "by-type")[:2] == ["Cluster organisation 2 4 2", "Company 1 1 0"]
    assert _rows(page, "by-region")[0] == "Kujawsko-Pomorskie (Poland) 2 4 2"
    assert "Estonia (no region given) 1 1 0" in _rows(page, "by-region")
    assert _rows(page, "most-requested")[:2] == [
        "1 Kārlis Ozoliņš Vidzemes Pārtikas klasteris · Latvia · Cluster organisation 5 2",
        "2 Jędrzej Dąbrowski Klaster Meblarski · Poland · Cluster organisation 2 1",
    ]
    assert 'id="region-sentences"' not in page  # the regions are a table, not sentences
    assert "Pomorskie Social Economy Fair" not in page


def _svg(page: str, title: str) -> str:
    """The chart whose accessible name starts with ``title``."""
    return page.split(f'role="img" aria-label="{title}', 1)[1].split("</svg>", 1)[0]


def _bars(svg: str) -> list[str]:
    """Each bar's tooltip: its label and figures."""
    return [html.unescape(t) for t in re.findall(r'<g class="bar-row"><title>([^<]*)</title>', svg)]


def test_dashboard_charts_are_svg_with_the_numbers_of_their_tables(app, browser):
    built = _build(app)
    browser.login("org@example.org")

    page = browser.get(f"/organiser/events/{built['event_id']}/dashboard").get_data(as_text=True)

    funnel = _svg(page, "From registration to meetings held")
    assert _bars(funnel) == ["Meeting requests sent: 9", "Accepted: 5", "Scheduled in a slot: 4", "Held: 2"]
    assert re.findall(r'<text class="value"[^>]*>(\d+)</text>', funnel) == ["9", "5", "4", "2"]
    widths = [float(w) for w in re.findall(r'<rect class="bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', funnel)]
    assert widths[0] > widths[1] > widths[2] > widths[3] > 0 and widths[1] / widths[0] == pytest.approx(5 / 9, 0.01)
    assert _bars(_svg(page, "Meetings per slot")) == [
        "Mon 09:00: 1 (held: 1)", "Mon 09:30: 2 (held: 1)", "Mon 10:00: 1 (held: 0)", "Mon 11:00: 0 (held: 0)"]
    assert _bars(_svg(page, "By country")) == [
        "Poland: 4 (held: 2)", "Latvia: 3 (held: 2)", "Estonia: 1 (held: 0)", "Lithuania: 1 (held: 0)"]
    assert _bars(_svg(page, "By type of organisation"))[0] == "Cluster organisation: 4 (held: 2)"
    assert _bars(_svg(page, "By region"))[:2] == ["Kujawsko-Pomorskie (Poland): 4 (held: 2)",
                                                  "Vidzeme (Latvia): 3 (held: 2)"]
    assert "Estonia (no region given): 1 (held: 0)" in _bars(_svg(page, "By region"))
    # each chart is followed by the table of its figures, for screen readers and anyone who opens it
    for table in ("funnel", "slots", "by-country", "by-type", "by-region"):
        before = page.split(f'id="{table}"', 1)[0]
        assert before.rindex("</svg>") > before.rindex("<svg") and before.rindex('<details class="chart-data">') > \
            before.rindex("</svg>")
    assert _rows(page, "by-region")[0] == "Kujawsko-Pomorskie (Poland) 2 4 2"


def test_dashboard_page_before_attendance_shows_who_takes_part_in_the_region_table(app, browser):
    built = _build(app, attendance=False)
    browser.login("org@example.org")

    page = browser.get(f"/organiser/events/{built['event_id']}/dashboard").get_data(as_text=True)

    assert "Kujawsko-Pomorskie (Poland) 2 4 0" in _rows(page, "by-region")
    assert "Vilnius (Lithuania) 1 1 0" in _rows(page, "by-region")


def test_a_chart_draws_the_groups_with_most_meetings_and_the_table_has_them_all():
    from matchmaking.web.charts import Row, columns, horizontal_bars

    chart = horizontal_bars([Row(f"Region {i}", 40 - i, 1) for i in range(20)], limit=15)
    empty = columns([Row("09:00", 0, 0), Row("09:30", 0, 0)])

    assert [b.full_label for b in chart.bars] == [f"Region {i}" for i in range(15)] and chart.left_out == 5
    plot = 640 - 250 - 56  # the chart's width less the labels and the room for a value
    assert chart.bars[0].width == plot and chart.bars[0].part_width == pytest.approx(plot / 40, 0.01)
    assert [b.height for b in empty.bars] == [0, 0] and empty.top == 1  # nothing to draw, and no division by 0
    long = horizontal_bars([Row("Kujawsko-Pomorskie Social Economy Support Centre (Poland)", 3)]).bars[0]
    assert long.label == "Kujawsko-Pomorskie Social E…" and long.full_label.endswith("(Poland)")


@pytest.mark.parametrize("who", ["p1@example.org", "other-org@example.org"])
def test_dashboard_is_hidden_from_participants_and_other_organisers(app, browser, who):
    built = _build(app)
    browser.login(who)

    assert browser.get(f"/organiser/events/{built['event_id']}/dashboard").status_code == 404


def test_dashboard_sends_anonymous_visitors_to_log_in(app, client):
    built = _build(app)

    response = client.get(f"/organiser/events/{built['event_id']}/dashboard")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_dashboard_of_an_unknown_event_is_not_found(app, browser):
    _build(app)
    browser.login("org@example.org")

    assert browser.get("/organiser/events/999999/dashboard").status_code == 404


def test_dashboard_counts_idle_gaps_of_the_live_schedule(app, browser):
    """Jędrzej meets at 09:00 and 10:00 with 09:30 free between: one gap, for one participant."""
    from matchmaking.services import events, manual_schedule
    from matchmaking.services.schedule_instance import Gaps

    with app.app_context():
        organiser = make_user("org@example.org", "Inese Eglīte", organiser=True)
        event = make_event(organiser, sessions=((time(9, 0), time(10, 30)),))
        p1, p2, p3 = (register(make_user(f"p{i}@example.org", name), event)
                      for i, name in ((1, "Jędrzej Dąbrowski"), (2, "Żaneta Wójcik"), (3, "Ewa Mazur")))
        nine, _half_past, ten = events.event_slots(event.id)
        for partner, slot in ((p2, nine), (p3, ten)):
            meeting = _accept(p1, partner)
            manual_schedule.move_meeting(event=event, meeting_id=meeting.id, slot_id=slot.id,
                                         table_id=event.tables[0].id)
        db.session.commit()
        assert event_dashboard(event.id).gaps == Gaps(total=1, participants=1)
        event_id = event.id
    browser.login("org@example.org")
    page = html.unescape(browser.get(f"/organiser/events/{event_id}/dashboard").get_data(as_text=True))
    assert "Idle gaps (runs of free slots between two of a participant's meetings in a day): 1;" in page
