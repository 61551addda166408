"""The cooperation marketplace: publishing, finding, moderating, and meetings about an opportunity."""
from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import AuditEntry, Event, Meeting, MeetingRequest, Opportunity, Participant
from matchmaking.services import marketplace
from tests.factories import make_event, make_user, register


@pytest.fixture
def world(app):
    """An event with a Polish cluster (me), a Latvian cooperative with two opportunities, and a
    participant visible to organisers only with one."""
    with app.app_context():
        organiser = make_user("org@example.org", organiser=True)
        event = make_event(organiser)
        me = register(make_user("me@example.org", "Paweł Zieliński"), event, organisation="Bydgoski Klaster Meblarski",
                      sectors=("wood_furniture",))
        lv = register(make_user("lv@example.org", "Līga Ozoliņa"), event, organisation="Latgales Amatnieku Kooperatīvs",
                      country="LV", region="Latgale", organisation_type="social_cooperative", sectors=("textiles",))
        hidden = register(make_user("hidden@example.org", "Jonas Jonaitis"), event, organisation="Kauno Klasteris",
                          country="LT", visibility="organisers")
        offer = marketplace.publish(participant=lv, draft=marketplace.Draft(
            kind="offer", category="distribution", title="Lina audumi: meklējam izplatītājus Polijā",
            description="Roku darba lina tekstilizstrādājumi, mēbeļu audumi.", sectors=("textiles",)))
        partnership = marketplace.publish(participant=lv, draft=marketplace.Draft(
            kind="partnership", category="research_consortium", title="Interreg Baltic Sea Region partner search",
            sectors=("social_economy",)))
        secret = marketplace.publish(participant=hidden, draft=marketplace.Draft(
            kind="request", category="subcontracting", title="Ieškome subrangovų baldų gamybai"))
        db.session.commit()
        return {"event": event.id, "me": me.id, "lv": lv.id, "hidden": hidden.id, "offer": offer.id,
                "partnership": partnership.id, "secret": secret.id}


def _login(browser, email: str) -> None:
    """Log in as ``email``, whoever was logged in before."""
    browser.logout()
    browser.login(email)


def _titles(response) -> list[str]:
    return re.findall(r'<a href="/events/\d+/marketplace/\d+">([^<]+)</a>', response.get_data(as_text=True))


def _opportunity(app, opportunity_id: int) -> Opportunity:
    with app.app_context():
        found = db.session.get(Opportunity, opportunity_id)
        db.session.expunge(found)
        return found


def test_publish_edit_and_withdraw_an_opportunity(app, browser, world):
    event = world["event"]
    _login(browser, "me@example.org")
    response = browser.post(f"/events/{event}/marketplace/new", {
        "kind": "request", "category": "distribution", "title": "Szukamy dystrybutorów mebli na Łotwie",
        "description": "Meble z drewna litego.", "sectors": ["wood_furniture"], "deadline": "2030-05-01"})
    assert response.status_code == 302
    with app.app_context():
        mine = db.session.scalars(select(Opportunity).where(Opportunity.participant_id == world["me"])).one()
        assert (mine.kind, mine.status, mine.sectors) == ("request", "published", ["wood_furniture"])
        assert mine.search_text.startswith("szukamy dystrybutorow mebli na lotwie")
        opportunity_id = mine.id
    assert "Szukamy dystrybutorów mebli na Łotwie" in browser.get(f"/events/{event}/marketplace/mine").get_data(
        as_text=True)

    browser.post(f"/events/{event}/marketplace/{opportunity_id}/edit", {
        "kind": "offer", "category": "joint_venture", "title": "Wspólne przedsięwzięcie", "deadline": ""})
    edited = _opportunity(app, opportunity_id)
    assert (edited.kind, edited.category, edited.title, edited.deadline) == ("offer", "joint_venture",
                                                                            "Wspólne przedsięwzięcie", None)

    browser.post(f"/events/{event}/marketplace/{opportunity_id}/withdraw")
    assert _opportunity(app, opportunity_id).status == "withdrawn"
    _login(browser, "lv@example.org")
    assert browser.get(f"/events/{event}/marketplace/{opportunity_id}").status_code == 404
    assert "Wspólne przedsięwzięcie" not in _titles(browser.get(f"/events/{event}/marketplace"))


def test_a_category_outside_the_events_list_is_refused(app, browser, world):
    _login(browser, "me@example.org")
    response = browser.post(f"/events/{world['event']}/marketplace/new", {
        "kind": "offer", "category": "no_such_category", "title": "X"})
    assert response.status_code == 200  # the form again, with its error
    with app.app_context():
        assert db.session.scalar(select(Opportunity).where(Opportunity.participant_id == world["me"])) is None


def test_another_participants_opportunity_cannot_be_edited_or_withdrawn(app, browser, world):
    event, offer = world["event"], world["offer"]
    _login(browser, "me@example.org")
    assert browser.get(f"/events/{event}/marketplace/{offer}/edit").status_code == 404
    assert browser.post(f"/events/{event}/marketplace/{offer}/edit",
                        {"kind": "offer", "category": "distribution", "title": "Mine now"}).status_code == 404
    assert browser.post(f"/events/{event}/marketplace/{offer}/withdraw").status_code == 404
    found = _opportunity(app, offer)
    assert (found.title, found.status) == ("Lina audumi: meklējam izplatītājus Polijā", "published")


def test_unlisted_participants_opportunities_are_shown_to_nobody_else(browser, world):
    event = world["event"]
    _login(browser, "me@example.org")
    assert _titles(browser.get(f"/events/{event}/marketplace")) == [
        "Interreg Baltic Sea Region partner search", "Lina audumi: meklējam izplatītājus Polijā"]
    assert browser.get(f"/events/{event}/marketplace/{world['secret']}").status_code == 404
    _login(browser, "hidden@example.org")  # the owner sees their own
    assert browser.get(f"/events/{event}/marketplace/{world['secret']}").status_code == 200


def test_hidden_by_the_organiser_is_invisible_to_others_but_not_to_the_organiser(app, browser, world):
    event, offer = world["event"], world["offer"]
    _login(browser, "org@example.org")
    assert browser.post(f"/organiser/events/{event}/marketplace/{offer}/hide").status_code == 302
    assert _opportunity(app, offer).status == "hidden_by_organiser"
    assert "Lina audumi" in browser.get(f"/organiser/events/{event}/marketplace").get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.event_id == event)).one()
        assert (entry.action, entry.participant_id) == ("hide_opportunity", world["lv"])

    _login(browser, "me@example.org")
    assert browser.get(f"/events/{event}/marketplace/{offer}").status_code == 404
    assert "Lina audumi: meklējam izplatītājus Polijā" not in _titles(browser.get(f"/events/{event}/marketplace"))
    _login(browser, "lv@example.org")  # the owner still sees it, marked hidden, and cannot withdraw it around the ban
    assert "Hidden by the organisers" in browser.get(f"/events/{event}/marketplace/{offer}").get_data(as_text=True)

    _login(browser, "org@example.org")
    browser.post(f"/organiser/events/{event}/marketplace/{offer}/unhide")
    assert _opportunity(app, offer).status == "published"


def test_participants_cannot_moderate(browser, world):
    _login(browser, "me@example.org")
    assert browser.post(f"/organiser/events/{world['event']}/marketplace/{world['offer']}/hide").status_code == 404


@pytest.mark.parametrize(("query", "expected"), [
    ("q=IZPLATITAJUS", ["Lina audumi: meklējam izplatītājus Polijā"]),
    ("q=mebelu", ["Lina audumi: meklējam izplatītājus Polijā"]),
    ("kind=partnership", ["Interreg Baltic Sea Region partner search"]),
    ("category=distribution", ["Lina audumi: meklējam izplatītājus Polijā"]),
    ("sector=social_economy", ["Interreg Baltic Sea Region partner search"]),
    ("country=LV&kind=offer", ["Lina audumi: meklējam izplatītājus Polijā"]),
    ("country=PL", []),
    ("region=Latgale", ["Interreg Baltic Sea Region partner search", "Lina audumi: meklējam izplatītājus Polijā"]),
    ("country=LV&region=Latgale&kind=offer", ["Lina audumi: meklējam izplatītājus Polijā"]),
    ("region=Podlaskie", []),  # the unlisted Lithuanian's region: their opportunity stays hidden
    ("country=PL&region=Latgale", []),
    ("type=cluster", []),
    ("type=social_cooperative&sector=textiles", ["Lina audumi: meklējam izplatītājus Polijā"]),
    ("kind=nonsense", ["Interreg Baltic Sea Region partner search", "Lina audumi: meklējam izplatītājus Polijā"]),
    ("q=100%25", []),
])
def test_marketplace_search_and_filters(browser, world, query, expected):
    _login(browser, "me@example.org")
    assert _titles(browser.get(f"/events/{world['event']}/marketplace?{query}")) == expected


def test_the_marketplace_offers_the_regions_of_the_chosen_country(browser, world):
    _login(browser, "me@example.org")
    every = browser.get(f"/events/{world['event']}/marketplace").get_data(as_text=True)
    latvian = browser.get(f"/events/{world['event']}/marketplace?country=LV").get_data(as_text=True)
    assert '<select id="region" name="region">' in every
    assert '<option value="Latgale" >Latgale</option>' in latvian.replace("  ", " ")
    assert 'value="Podlaskie"' in every and 'value="Podlaskie"' not in latvian


def test_marketplace_pages(app, browser, world):
    app.config["DIRECTORY_PAGE_SIZE"], size = 1, app.config["DIRECTORY_PAGE_SIZE"]
    try:
        _login(browser, "me@example.org")
        first = _titles(browser.get(f"/events/{world['event']}/marketplace"))
        second = _titles(browser.get(f"/events/{world['event']}/marketplace?page=2"))
        beyond = _titles(browser.get(f"/events/{world['event']}/marketplace?page=99"))
    finally:
        app.config["DIRECTORY_PAGE_SIZE"] = size
    assert first == ["Interreg Baltic Sea Region partner search"]
    assert second == beyond == ["Lina audumi: meklējam izplatītājus Polijā"]


def _request_about(app, browser, world) -> int:
    _login(browser, "me@example.org")
    response = browser.post(f"/events/{world['event']}/marketplace/{world['offer']}/request",
                            {"message": "Chętnie porozmawiamy o dystrybucji."})
    assert response.status_code == 302
    with app.app_context():
        sent = db.session.scalars(select(MeetingRequest)).one()
        assert (sent.requester_id, sent.recipient_id, sent.opportunity_id) == (world["me"], world["lv"],
                                                                               world["offer"])
        return sent.id


def test_a_request_about_an_opportunity_links_it_for_both_sides(app, browser, world):
    event = world["event"]
    request_id = _request_about(app, browser, world)
    assert "Lina audumi: meklējam izplatītājus Polijā" in browser.get(f"/events/{event}/requests").get_data(
        as_text=True)
    _login(browser, "lv@example.org")
    received = browser.get(f"/events/{event}/requests").get_data(as_text=True)
    assert "About the opportunity" in received and "Lina audumi: meklējam izplatītājus Polijā" in received
    browser.post(f"/events/{event}/requests/{request_id}/accept")
    with app.app_context():
        meeting = db.session.scalars(select(Meeting)).one()
        assert meeting.opportunity.id == world["offer"]
        meeting_id = meeting.id
    for who in ("lv@example.org", "me@example.org"):
        _login(browser, who)
        for page in (f"/events/{event}/meetings/{meeting_id}", f"/events/{event}/agenda"):
            assert "Lina audumi: meklējam izplatītājus Polijā" in browser.get(page).get_data(as_text=True), (who, page)
    _login(browser, "org@example.org")
    assert "Lina audumi: meklējam izplatītājus Polijā" in browser.get(f"/organiser/events/{event}/meetings").get_data(
        as_text=True)

    export = browser.get(f"/organiser/events/{event}/exports/meetings.csv").get_data(as_text=True)
    header, row = list(csv.reader(io.StringIO(export.lstrip("\ufeff"))))
    assert header[-2:] == ["Opportunity kind", "Opportunity"]
    assert row[-2:] == ["offer", "Lina audumi: meklējam izplatītājus Polijā"]

    dashboard = browser.get(f"/organiser/events/{event}/dashboard").get_data(as_text=True)
    assert re.search(r"<title>Dashboard · [^<]*</title>", dashboard)  # the section is in the page, not its title
    assert dashboard.count('id="meetings-by-kind"') == 1
    section = dashboard[dashboard.index('id="meetings-by-kind"'):]
    assert re.search(r"Offer</th><td class=\"num\">1</td>", section)
    assert re.search(r"Partnership / project partner search</th><td class=\"num\">0</td>", section)
    linked = re.search(r'Lina audumi: meklējam izplatītājus Polijā<span class="detail">[^<]*</span></th>'
                       r'<td class="num"><a href="([^"]+)">1</a></td>', section)
    assert linked  # the count leads to those meetings
    listed = browser.get(linked.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Scheduled: 1 meeting" in listed and "Lina audumi" in listed


def test_dashboard_counts_only_live_meetings_per_opportunity(app, world):
    with app.app_context():
        me, lv = db.session.get(Participant, world["me"]), db.session.get(Participant, world["lv"])
        from matchmaking.services import meetings
        sent = meetings.request_meeting(requester=me, recipient=lv, message="", online=False,
                                        opportunity_id=world["partnership"])
        meeting = meetings.accept_request(recipient=lv, request_id=sent.id)
        figures = marketplace.figures(world["event"])
        assert figures.by_kind == {"offer": 0, "request": 0, "partnership": 1}
        assert [(o.id, n) for o, n in figures.top] == [(world["partnership"], 1)]
        meetings.cancel_meeting(participant=me, meeting_id=meeting.id, reason="Not needed")
        assert marketplace.figures(world["event"]).by_kind["partnership"] == 0
        db.session.rollback()


def test_a_request_about_someone_elses_or_a_withdrawn_opportunity_is_refused(app, world):
    with app.app_context():
        me, lv = db.session.get(Participant, world["me"]), db.session.get(Participant, world["lv"])
        from matchmaking.services import meetings
        from matchmaking.services.errors import NotFound
        with pytest.raises(NotFound):  # the hidden participant's opportunity, asked of the Latvian cooperative
            meetings.request_meeting(requester=me, recipient=lv, message="", online=False,
                                     opportunity_id=world["secret"])
        marketplace.withdraw(participant=lv, opportunity_id=world["offer"])
        with pytest.raises(NotFound):
            meetings.request_meeting(requester=me, recipient=lv, message="", online=False,
                                     opportunity_id=world["offer"])
        db.session.rollback()


def test_an_event_can_require_an_opportunity_before_requests(app, browser, world):
    event = world["event"]
    _login(browser, "org@example.org")
    browser.post(f"/organiser/events/{event}/marketplace/settings", {"requires_opportunity": "y"})
    with app.app_context():
        assert db.session.get(Event, event).requires_opportunity

    _login(browser, "me@example.org")
    page = browser.get(f"/events/{event}/marketplace/{world['offer']}").get_data(as_text=True)
    assert 'id="must-publish"' in page and "Request a meeting about this" not in page
    browser.post(f"/events/{event}/marketplace/{world['offer']}/request", {"message": "Hello"})
    browser.post(f"/events/{event}/participants/{world['lv']}/request", {"message": "Hello"})
    with app.app_context():
        assert db.session.scalar(select(MeetingRequest)) is None

    browser.post(f"/events/{event}/marketplace/new", {"kind": "request", "category": "distribution",
                                                       "title": "Dystrybutor mebli"})
    _request_about(app, browser, world)


def test_registration_leads_to_the_first_opportunity_when_the_event_requires_one(app, browser, world):
    with app.app_context():
        db.session.get(Event, world["event"]).requires_opportunity = True
        make_user("new@example.org", "Kadri Tamm")
        db.session.commit()
    _login(browser, "new@example.org")
    page = browser.get(f"/events/{world['event']}/register").get_data(as_text=True)
    session_ids = re.findall(r'name="sessions"[^>]*value="(\d+)"', page) or re.findall(
        r'value="(\d+)"[^>]*name="sessions"', page)
    response = browser.post(f"/events/{world['event']}/register", {
        "organisation_name": "Tartu Puiduklaster", "organisation_type": "cluster", "country": "EE",
        "meeting_mode": "onsite", "visibility": "all", "networking_consent": "y", "sessions": session_ids})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{world['event']}/marketplace/new")


def test_the_organiser_edits_the_events_categories(app, browser, world):
    event = world["event"]
    _login(browser, "org@example.org")
    page = browser.get(f"/organiser/events/{event}/marketplace").get_data(as_text=True)
    assert "Business cooperation: distribution services" in page
    browser.post(f"/organiser/events/{event}/marketplace/categories", {
        "categories": "Business cooperation: distribution services\nSocial franchising\n"})
    with app.app_context():
        assert marketplace.categories_of(db.session.get(Event, event)) == [
            ("distribution", ""), ("c-social-franchising", "Social franchising")]

    _login(browser, "me@example.org")
    form = browser.get(f"/events/{event}/marketplace/new").get_data(as_text=True)
    assert "Social franchising" in form and "Technology cooperation: licensing" not in form
    browser.post(f"/events/{event}/marketplace/new", {"kind": "offer", "category": "c-social-franchising",
                                                       "title": "Franczyza społeczna"})
    assert "Franczyza społeczna" in _titles(browser.get(f"/events/{event}/marketplace?category=c-social-franchising"))
    # an opportunity filed under a category removed since keeps it, and shows its name
    partnership = browser.get(f"/events/{event}/marketplace/{world['partnership']}").get_data(as_text=True)
    assert "Research cooperation: project consortium" in partnership


def test_the_partner_page_lists_their_published_opportunities(browser, world):
    _login(browser, "me@example.org")
    page = browser.get(f"/events/{world['event']}/participants/{world['lv']}").get_data(as_text=True)
    assert "Lina audumi: meklējam izplatītājus Polijā" in page and 'id="opportunities"' in page


def test_the_demo_marketplace_is_alive(app):
    from matchmaking.services import demo
    with app.app_context():
        summary = demo.build_demo(participants=40)
        opportunities = [(o.participant.country, o.kind, o.title) for o in marketplace.all_of_event(summary.event_id)]
        linked = [(r.opportunity.participant_id, r.recipient_id) for r in db.session.scalars(
            select(MeetingRequest).where(MeetingRequest.opportunity_id.is_not(None)))]
        db.session.rollback()
    assert len(opportunities) >= 25
    assert {"PL", "LV"} <= {country for country, _kind, _title in opportunities}
    assert {kind for _country, kind, _title in opportunities} == {"offer", "request", "partnership"}
    assert any(country == "LV" and ("meklējam" in title.lower() or "piedāvā" in title)
               for country, _kind, title in opportunities)
    assert linked and all(owner == recipient for owner, recipient in linked)


def test_the_api_lists_the_marketplace_and_requests_about_an_opportunity(app, world):
    from tests.test_api import Api, token_for
    client = Api(app.test_client(), token_for(app, "me@example.org"))

    listed = client.get(f"/api/v1/events/{world['event']}/opportunities?kind=offer").get_json()
    assert [(o["id"], o["kind"], o["organisation_name"], o["country"]) for o in listed["items"]] == [
        (world["offer"], "offer", "Latgales Amatnieku Kooperatīvs", "LV")]
    in_latgale = client.get(f"/api/v1/events/{world['event']}/opportunities?region=Latgale").get_json()
    assert {(o["id"], o["region"]) for o in in_latgale["items"]} == {(world["offer"], "Latgale"),
                                                                    (world["partnership"], "Latgale")}
    assert client.get(f"/api/v1/events/{world['event']}/opportunities?region=Kurzeme").get_json()["items"] == []
    everyone = client.get(f"/api/v1/events/{world['event']}/opportunities").get_json()
    assert world["secret"] not in {o["id"] for o in everyone["items"]}  # the unlisted participant's

    refused = client.post(f"/api/v1/events/{world['event']}/requests",
                          json={"recipient_id": world["lv"], "opportunity_id": world["secret"]})
    assert refused.status_code == 404
    made = client.post(f"/api/v1/events/{world['event']}/requests",
                       json={"recipient_id": world["lv"], "opportunity_id": world["offer"]})
    assert made.status_code == 201
    assert made.get_json()["opportunity_id"] == world["offer"]


def test_a_deleted_participants_opportunities_lose_their_texts_but_keep_their_kind(app, world):
    from datetime import datetime

    from matchmaking.services import personal_data
    with app.app_context():
        lv = db.session.get(Participant, world["lv"])
        exported = personal_data.export(user=lv.user)["registrations"][0]["opportunities"]
        assert {o["title"] for o in exported} == {"Lina audumi: meklējam izplatītājus Polijā",
                                                 "Interreg Baltic Sea Region partner search"}
        personal_data.anonymise_participant(participant=lv, now=datetime(2031, 1, 1))
        db.session.commit()
        left = [(o.kind, o.title, o.description, o.status) for o in db.session.scalars(
            select(Opportunity).where(Opportunity.participant_id == world["lv"]).order_by(Opportunity.id))]
    assert left == [("offer", "", "", "withdrawn"), ("partnership", "", "", "withdrawn")]
