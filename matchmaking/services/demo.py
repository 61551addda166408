"""A realistic demo event: a BSR Stars style cluster-to-cluster brokerage around the Baltic Sea.

Names and organisations are made up from common first names, surnames and place names of each
country, with their real diacritics; no real person is named.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import time, timedelta

from sqlalchemy import delete

from ..extensions import db
from ..models import Opportunity, OutboxMessage, User
from ..models.base import utcnow
from . import accounts, events, marketplace, meetings, outcomes, registration, scheduling_runs
from .demo_profiles import COOPERATIVES, PL_FURNITURE, REGIONS, Kind, kinds_of
from .errors import Conflict
from .text import fold

DEMO_PASSWORD = "demo-password-2026"
DEMO_EVENT_NAME = "BSR Stars Cluster-to-Cluster Matchmaking (demo)"

PEOPLE = {
    "PL": (["Agnieszka", "Małgorzata", "Katarzyna", "Łukasz", "Paweł", "Bartłomiej", "Zofia", "Jędrzej", "Grzegorz",
            "Żaneta", "Wojciech", "Joanna", "Michał", "Ewa", "Tomasz", "Aleksandra"],
           ["Kowalczyk", "Wiśniewska", "Zieliński", "Wójcik", "Kamińska", "Lewandowski", "Dąbrowska", "Szymański",
            "Woźniak", "Kozłowska", "Jankowski", "Mazur", "Krawczyk", "Piotrowska", "Grabowski", "Nowakowska"]),
    "LV": (["Ilze", "Jānis", "Līga", "Kārlis", "Dace", "Mārtiņš", "Inese", "Andris", "Zane", "Edgars", "Sanita",
            "Raimonds"],
           ["Bērziņš", "Kalniņa", "Ozoliņš", "Liepiņa", "Krūmiņš", "Zariņa", "Vītols", "Kļaviņa", "Balodis",
            "Eglīte", "Pētersons", "Šmite"]),
    "LT": (["Rūta", "Giedrius", "Aušra", "Tomas", "Eglė", "Mindaugas", "Jurgita", "Žydrūnas"],
           ["Kazlauskas", "Petrauskienė", "Jankauskas", "Žukauskaitė", "Butkus", "Paulauskienė", "Vasiliauskas"]),
    "EE": (["Tiina", "Märt", "Kadri", "Jüri", "Külli", "Tõnu", "Liis", "Priit"],
           ["Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kõiv", "Rebane", "Ilves"]),
    "DE": (["Jürgen", "Sabine", "Jörg", "Björn", "Ulrike", "Sören", "Käthe", "Matthias"],
           ["Müller", "Schröder", "Weiß", "Köhler", "Groß", "Schäfer", "Krüger", "Böhm"]),
    "FI": (["Päivi", "Jyrki", "Sanna", "Mikko", "Hanna-Leena", "Jussi"], ["Mäkinen", "Hämäläinen", "Virtanen",
                                                                           "Järvinen", "Lehtonen", "Heikkilä"]),
    "SE": (["Åsa", "Björn", "Märta", "Göran", "Linnéa", "Ola"], ["Åberg", "Lindström", "Öhman", "Ström", "Sjögren"]),
    "DK": (["Søren", "Mette", "Jørgen", "Birthe", "Rasmus"], ["Jørgensen", "Sørensen", "Møller", "Kjær", "Thomsen"]),
    "NO": (["Øystein", "Ingrid", "Håkon", "Solveig"], ["Haugen", "Bråten", "Løvaas", "Ødegård"]),
}
COUNTRY_WEIGHTS = {"PL": 40, "LV": 22, "LT": 10, "EE": 8, "DE": 8, "FI": 5, "SE": 4, "DK": 2, "NO": 1}


@dataclass(frozen=True)
class DemoSummary:
    event_id: int
    event_name: str
    participants: int
    requests: int
    scheduled: int
    unscheduled: int
    organiser_email: str
    participant_email: str
    partner_email: str


def _fill(template: str, country: str, region: str, coop: str) -> str:
    return template.format(of=REGIONS[country][region], adj=region[:-1] + "ego", region=region, coop=coop)


def _organisation(rng: random.Random, country: str, kind: Kind | None, used: set[str]) -> tuple[Kind, str, str]:
    """A kind of organisation of the country (``kind`` when given), a name not used yet, and its region."""
    for _attempt in range(200):
        chosen = kind or rng.choices(kinds_of(country), weights=[k.weight for k in kinds_of(country)])[0]
        template = rng.choice(chosen.names)
        if isinstance(template, tuple):
            name, region = template
        else:
            region = rng.choice(chosen.regions or sorted(REGIONS[country]))
            name = _fill(template, country, region, rng.choice(COOPERATIVES.get(country, ["Horizon"])))
        if name not in used:
            used.add(name)
            return chosen, name, region
    chosen = kind or kinds_of(country)[0]
    region = sorted(REGIONS[country])[0]
    name = f"{_fill(str(chosen.names[0]), country, region, 'Horizon')} {len(used) + 1}"
    used.add(name)
    return chosen, name, region


# Country calling codes and web domains of the demo's countries; others get a .eu site.
PHONE_PREFIX = {"PL": "+48", "LV": "+371", "LT": "+370", "EE": "+372", "DE": "+49", "SE": "+46", "FI": "+358",
                "DK": "+45"}


def _contact_details(rng: random.Random, country: str, organisation: str) -> dict[str, str]:
    """A phone, a website and a LinkedIn page that look like the organisation's own (all made up)."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(organisation)).strip("-")[:60]
    domain = country.lower() if country in ("PL", "LV", "LT", "EE", "DE", "SE", "FI", "DK") else "eu"
    prefix = PHONE_PREFIX.get(country, "+48")
    if country == "LV":
        phone = f"{prefix} {rng.randint(6000, 6799)} {rng.randint(1000, 9999)}"
    else:
        phone = f"{prefix} {rng.randint(12, 99)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    return {"phone": phone, "website": f"https://www.{slug}.{domain}/",
            "linkedin": f"https://www.linkedin.com/company/{slug}/"}


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _publish_opportunities(rng: random.Random, people: list, kinds: list[Kind]) -> dict[int, Opportunity]:
    """About three in four organisations publish what their kind of organisation would; returns each one's first.

    A partner search is published once (one lead partner looks for the others: two identical searches
    would only find each other), any other text by at most three organisations."""
    first: dict[int, Opportunity] = {}
    published_times: Counter[str] = Counter()
    for person, kind in zip(people, kinds, strict=True):
        if not kind.opportunities or rng.random() < 0.25:
            continue
        for what, category, title, description in rng.sample(kind.opportunities, k=len(kind.opportunities)):
            if published_times[title] >= (1 if what == "partnership" else 3):
                continue
            published_times[title] += 1
            published = marketplace.publish(participant=person, draft=marketplace.Draft(
                kind=what, category=category, title=title.format(region=person.region),
                description=description.format(region=person.region), sectors=tuple(person.sectors)))
            first.setdefault(person.id, published)
    return first


def build_demo(*, participants: int = 200, seed: int = 2026) -> DemoSummary:
    """Create the demo event through the same services the web app uses."""
    rng = random.Random(seed)
    password_hash = accounts.hash_password(DEMO_PASSWORD)

    def user(name: str, email: str, **flags) -> User:
        found = accounts.find_user_by_email(email)
        if found:
            return found
        account = User(name=name, email=email, password_hash=password_hash, email_verified_at=utcnow(), **flags)
        db.session.add(account)
        return account

    organiser = user("Event Organiser", "organiser@demo.example.org", is_organiser=True)
    db.session.flush()
    start_day = (utcnow() + timedelta(days=60)).date()
    event = events.create_event(organiser=organiser, details=events.EventDetails(
        name=DEMO_EVENT_NAME,
        venue="AmberExpo, Gdańsk",
        description=("One-to-one meetings of cluster coordinators, social-economy organisations and public "
                     "authorities from the Baltic Sea region, to start cooperation on social and ecological "
                     "innovation."),
        timezone="Europe/Warsaw",
        registration_deadline=utcnow() + timedelta(days=50),
        request_deadline=utcnow() + timedelta(days=55),
    ))
    day1 = events.add_day(event=event, day=start_day)
    day2 = events.add_day(event=event, day=start_day + timedelta(days=1))
    first = events.add_session(day=day1, name="Afternoon meetings", start=time(13, 0), end=time(17, 30),
                               slot_minutes=30, breaks="15:00-15:30")
    second = events.add_session(day=day2, name="Morning meetings", start=time(9, 0), end=time(12, 30),
                                slot_minutes=30, breaks="10:30-11:00")
    tables = events.add_tables(event=event, names=events.numbered_table_names(event, 40, "Table"))
    # Collect the accepted requests first and schedule them in one run, as organisers of a
    # brokerage day do at the request deadline; afterwards new acceptances are booked at once.
    scheduling_runs.set_mode(event=event, mode="batch")

    people, kinds, used = [], [], set()
    contact_rng = random.Random(seed + 1)  # its own stream: the people and requests stay as they were
    for i in range(participants):
        # The participant the README logs in as is a Polish furniture cluster: its partners are Baltic.
        country = "PL" if i == 0 else _weighted(rng, COUNTRY_WEIGHTS)
        first_names, surnames = PEOPLE[country]
        name = f"{rng.choice(first_names)} {rng.choice(surnames)}"
        kind, organisation, region = _organisation(rng, country, PL_FURNITURE if i == 0 else None, used)
        account = user(name, f"participant{i + 1}@demo.example.org")
        db.session.flush()
        attendance = rng.random()
        session_ids = (first.id,) if attendance < 0.08 else (second.id,) if attendance < 0.15 else (first.id, second.id)
        kinds.append(kind)
        people.append(registration.register(user=account, event=event, profile=registration.Profile(
            organisation_name=organisation, **_contact_details(contact_rng, country, organisation),
            organisation_type=kind.organisation_type, country=country, region=region, sectors=kind.sectors,
            description=kind.description, offer=kind.offer, seek=kind.seek,
            meeting_mode=rng.choices(["onsite", "online", "both"], weights=[90, 4, 6])[0],
            session_ids=session_ids,
        )))
    # Most organisations publish one or two opportunities in the marketplace, in their own language.
    offers = _publish_opportunities(random.Random(seed + 2), people, kinds)
    # A few exhibitors meet visitors at their own stands.
    for table, exhibitor in zip(tables[-4:], people[5:9], strict=True):
        events.set_table_owner(table=table, participant=exhibitor)
    db.session.flush()

    # Popularity is skewed, as at real events: some coordinators attract many requests.
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(participants)]
    rng.shuffle(weights)
    target = int(participants * 3.2)
    sent = 0
    pairs: set[tuple[int, int]] = set()
    demo_me, demo_partner = people[0], people[1]
    for _ in range(target * 4):
        if sent >= target:
            break
        a = rng.randrange(participants)
        b = rng.choices(range(participants), weights=weights)[0]
        key = (min(a, b), max(a, b))
        if a == b or key in pairs or {people[a].id, people[b].id} == {demo_me.id, demo_partner.id}:
            continue
        pairs.add(key)
        requester, recipient = people[a], people[b]
        about = offers.get(recipient.id)
        try:
            request = meetings.request_meeting(
                requester=requester, recipient=recipient, online=meetings.prefers_online(requester, recipient),
                message=f"Dzień dobry / Labdien! You seek: {recipient.seek[:80]}. Shall we meet?",
                opportunity_id=about.id if about is not None and about.participant_id != requester.id else None,
            )
        except Conflict:
            continue
        sent += 1
        roll = rng.random()
        if roll < 0.75:
            meetings.accept_request(recipient=recipient, request_id=request.id)
        elif roll < 0.85:
            meetings.decline_request(recipient=recipient, request_id=request.id)
    # The participant the README logs in as has meetings to look at and requests to answer.
    for other in people[10:14]:
        if meetings.open_request_between(demo_me, other) is None:
            request = meetings.request_meeting(requester=demo_me, recipient=other, online=False,
                                               message="Labdien! Shall we compare our cluster services?")
            meetings.accept_request(recipient=other, request_id=request.id)
    for other in people[14:17]:
        if meetings.open_request_between(other, demo_me) is None:
            meetings.request_meeting(requester=other, recipient=demo_me, online=False,
                                     message="Dzień dobry! We look for partners for an Interreg proposal.")
            sent += 1
    scheduling_runs.run_and_publish(event=event, time_limit=10)
    scheduling_runs.set_mode(event=event, mode="immediate")
    _record_outcomes(random.Random(seed + 3), event)
    # The demo's people have made-up addresses: keep their would-be notifications out of the outbox.
    db.session.execute(delete(OutboxMessage))
    db.session.flush()
    summary = existing_demo()
    assert summary is not None
    return summary


# What the demo's sides say of their meetings, and months later what came of them (weights per answer).
RATING_WEIGHTS = {"no_interest": 15, "informative": 45, "cooperation_possible": 40}
FOLLOWUP_WEIGHTS = {"no_contact": 20, "knowledge": 25, "valuable_contact": 30, "negotiation": 15, "agreement": 10}
BENEFITS = ("Wspólna oferta dla klientów w Łotwie i Polsce.", "Kopīgs projekta pieteikums Interreg programmai.",
            "Shared distribution of wooden furniture in the Baltic states.")


def _record_outcomes(rng: random.Random, event) -> None:
    """Answers for about a third of the scheduled meetings, as if the day and the follow-up had come
    (each with its own clock), so the organisers' outcome report of the demo is not empty."""
    from sqlalchemy import select

    from ..models import Meeting
    from ..models.outcome import AGREEMENT_TYPE_CODES

    followup_at = outcomes.followup_starts(event)
    scheduled = db.session.scalars(select(Meeting).where(Meeting.event_id == event.id, Meeting.is_live,
                                                         Meeting.slot_id.is_not(None)).order_by(Meeting.id)).all()
    for meeting in scheduled:
        if rng.random() > 0.35:
            continue
        held = rng.random() > 0.08
        agreed, answer = rng.choice(AGREEMENT_TYPE_CODES), ""
        for side in (meeting.participant_a, meeting.participant_b):
            outcomes.answer(meeting=meeting, participant=side, took_place=held,
                            rating=_weighted(rng, RATING_WEIGHTS) if held else "", now=meeting.slot.ends_at)
            if held and followup_at is not None and rng.random() < 0.6:
                # the second side mostly confirms an agreement the first reported
                answer = "agreement" if answer == "agreement" and rng.random() < 0.7 else _weighted(
                    rng, FOLLOWUP_WEIGHTS)
                outcomes.answer_followup(meeting=meeting, participant=side, answer=answer, agreement_type=agreed,
                                         benefit=rng.choice(BENEFITS), now=followup_at)
            if not held:
                break  # one "it didn't" is enough


def existing_demo() -> DemoSummary | None:
    """The summary of a demo event loaded earlier, so ``seed-demo`` can run again harmlessly."""
    from sqlalchemy import func, select

    from ..models import Event, Meeting, MeetingRequest, Participant

    event = db.session.scalar(select(Event).where(Event.name == DEMO_EVENT_NAME))
    if event is None:
        return None

    def count(model, *where) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(model.event_id == event.id, *where))

    return DemoSummary(
        event_id=event.id, event_name=event.name, participants=count(Participant),
        requests=count(MeetingRequest),
        scheduled=count(Meeting, Meeting.slot_id.is_not(None), Meeting.is_live),
        unscheduled=count(Meeting, Meeting.slot_id.is_(None), Meeting.is_live),
        organiser_email="organiser@demo.example.org", participant_email="participant1@demo.example.org",
        partner_email="participant2@demo.example.org",
    )
