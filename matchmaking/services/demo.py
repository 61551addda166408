"""A realistic demo event: a BSR Stars style cluster-to-cluster brokerage around the Baltic Sea.

Names and organisations are made up from common first names, surnames and place names of each
country, with their real diacritics; no real person is named.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import time, timedelta

from sqlalchemy import delete

from ..extensions import db
from ..models import Opportunity, OutboxMessage, User
from ..models.base import utcnow
from . import accounts, events, marketplace, meetings, registration, scheduling_runs
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
REGIONS = {
    "PL": ["Pomorskie", "Kujawsko-Pomorskie", "Podlaskie", "Zachodniopomorskie", "Warmińsko-Mazurskie", "Mazowieckie"],
    "LV": ["Rīga", "Vidzeme", "Kurzeme", "Zemgale", "Latgale"],
    "LT": ["Vilnius", "Kaunas", "Klaipėda", "Šiauliai"],
    "EE": ["Harjumaa", "Tartumaa", "Pärnumaa"],
    "DE": ["Hamburg", "Schleswig-Holstein", "Mecklenburg-Vorpommern", "Berlin"],
    "FI": ["Uusimaa", "Varsinais-Suomi", "Pirkanmaa"],
    "SE": ["Skåne", "Västra Götaland", "Stockholm"],
    "DK": ["Hovedstaden", "Syddanmark"],
    "NO": ["Viken", "Vestland"],
}
COUNTRY_WEIGHTS = {"PL": 40, "LV": 22, "LT": 10, "EE": 8, "DE": 8, "FI": 5, "SE": 4, "DK": 2, "NO": 1}
TYPE_WEIGHTS = {"cluster": 55, "social_cooperative": 10, "ngo": 9, "public_authority": 8, "university": 7,
                "business_support": 8, "company": 3}
SECTOR_NAMES = {
    "PL": {"ict": "ICT", "maritime": "Morski", "agrifood": "Rolno-Spożywczy", "energy": "Energetyczny",
           "social_economy": "Ekonomii Społecznej", "wood_furniture": "Meblarski", "health": "Medyczny",
           "manufacturing": "Przemysłowy", "cleantech": "Czystych Technologii", "tourism": "Turystyczny"},
    "LV": {"ict": "IKT", "maritime": "Jūras", "agrifood": "Pārtikas", "energy": "Enerģētikas",
           "social_economy": "Sociālās ekonomikas", "wood_furniture": "Kokrūpniecības", "health": "Veselības",
           "manufacturing": "Metālapstrādes", "cleantech": "Zaļo tehnoloģiju", "tourism": "Tūrisma"},
}
SECTOR_EN = {"ict": "ICT", "maritime": "Maritime", "agrifood": "Food", "energy": "Energy",
             "social_economy": "Social Economy", "wood_furniture": "Wood and Furniture", "health": "Health",
             "manufacturing": "Manufacturing", "cleantech": "Cleantech", "tourism": "Tourism"}
OFFERS = [
    "Access to 60 member companies in {sector_en} and a testbed for pilots",
    "Experience with Interreg Baltic Sea Region projects and partner search",
    "Training programmes for social enterprises and work integration",
    "Study visits to our members and matchmaking with SMEs in {region}",
    "Shared laboratory and prototyping workshop",
    "Mentoring for start-ups and a pre-incubation programme",
]
SEEKS = [
    "Partners for a Horizon Europe or Interreg proposal on {sector_en}",
    "Clusters to exchange good practice on social and ecological innovation",
    "Buyers for products of social cooperatives",
    "Cooperation on joint export promotion in the Nordic countries",
    "Public authorities interested in social procurement",
    "Universities for joint R&D and student placements",
]

# Marketplace opportunities in each organisation's own language: (kind, category, title, description).
OPPORTUNITIES = {
    "PL": [
        ("request", "distribution", "Szukamy dystrybutorów mebli na Łotwie i Litwie",
         "Nasi członkowie, producenci mebli z litego drewna z regionu {region}, szukają dystrybutorów i "
         "salonów meblowych w krajach bałtyckich."),
        ("offer", "subcontracting", "Podwykonawstwo: obróbka CNC i spawanie dla przemysłu morskiego",
         "Firmy z klastra w regionie {region} oferują wolne moce produkcyjne: cięcie laserowe, obróbka CNC, spawanie."),
        ("partnership", "research_consortium", "Partnerzy do projektu Interreg Baltic Sea Region o ekonomii społecznej",
         "Szukamy klastrów i spółdzielni socjalnych z Łotwy, Litwy i Estonii do wspólnego wniosku."),
        ("offer", "technical_cooperation", "Laboratorium badań żywności dla spółdzielni i MŚP",
         "Akredytowane laboratorium w regionie {region}: badania trwałości i etykiety żywieniowe."),
        ("request", "commercial_agency", "Agent handlowy dla produktów spółdzielni socjalnych w Skandynawii",
         "Rękodzieło i tekstylia naszych spółdzielni szukają agenta w Szwecji i Danii."),
    ],
    "LV": [
        ("offer", "distribution", "Lina audumi un tekstilizstrādājumi: meklējam izplatītājus Polijā",
         "Latgales amatnieku kooperatīvs piedāvā roku darba lina audumus un mēbeļu audumus."),
        ("partnership", "partner_search_call", "Meklējam partnerus Horizon Europe projektam par bioekonomiku",
         "Klasteris no reģiona {region} meklē universitātes un uzņēmumus kopīgam projekta pieteikumam."),
        ("offer", "joint_venture", "Mēbeļu ražotāju tīkls piedāvā kopuzņēmumu eksportam",
         "Mūsu kokrūpniecības klasteris apvieno 30 mēbeļu ražotājus un meklē partnerus kopīgam eksportam."),
        ("request", "licensing", "Meklējam licenci pārtikas atkritumu pārstrādes tehnoloģijai",
         "Pārtikas klasteris meklē tehnoloģiju licencēšanu no Polijas vai Vācijas partneriem."),
    ],
    "LT": [
        ("offer", "manufacturing_agreement", "Siūlome baldų gamybą pagal užsakymą",
         "Baldų gamintojai iš regiono {region} siūlo gamybą pagal partnerio dizainą ir prekės ženklą."),
        ("partnership", "research_consortium", "Ieškome partnerių Interreg projektui apie socialinį verslą",
         "Klasteris ieško socialinių kooperatyvų ir savivaldybių iš Lenkijos ir Latvijos."),
        ("request", "subcontracting", "Ieškome subrangovų metalo apdirbimui",
         "Jūrų pramonės įmonės ieško patikimų metalo apdirbimo subrangovų Baltijos jūros regione."),
    ],
    "EE": [
        ("offer", "technical_cooperation", "Pakume digilahendusi klastritele ja VKEdele",
         "IKT klaster piirkonnast {region} pakub andmeplatvorme ja koolitusi digipöörde toetamiseks."),
        ("partnership", "partner_search_call", "Otsime partnereid ringmajanduse projekti jaoks",
         "Otsime klastreid ja ülikoole Poolast ja Lätist ühise taotluse koostamiseks."),
        ("request", "distribution", "Otsime turustajaid Eesti puittoodetele Poolas",
         "Puidutööstuse klaster otsib edasimüüjaid ja turustajaid Poola turul."),
    ],
    "EN": [
        ("offer", "technical_cooperation", "Testbed and pilot sites for {sector_en} innovations",
         "Our cluster in {region} offers test sites and access to member companies for pilots."),
        ("partnership", "research_consortium", "Partner search: Interreg Baltic Sea Region consortium",
         "We look for clusters and public authorities to join a proposal on social and ecological innovation."),
        ("request", "commercial_agency", "Looking for commercial agents in Poland and the Baltic states",
         "Members of our cluster in {region} seek agents to represent their products."),
    ],
}


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


def _organisation(rng: random.Random, country: str, kind: str, region: str, sector: str) -> str:
    native = SECTOR_NAMES.get(country, {}).get(sector)
    if kind == "cluster":
        if country == "PL" and native:
            return f"Klaster {native} {region}"
        if country == "LV" and native:
            return f"{region} {native} klasteris"
        return f"{region} {SECTOR_EN[sector]} Cluster"
    if kind == "social_cooperative":
        name = rng.choice(["Poezja Smaku", "Arlekin Bis", "Zielona Łąka", "Pod Dębem", "Tęcza", "Żuraw"])
        return f"Spółdzielnia Socjalna {name}" if country == "PL" else f"{region} Social Cooperative"
    if kind == "ngo":
        return f"Stowarzyszenie Rozwoju {region}" if country == "PL" else f"{region} Development Association"
    if kind == "public_authority":
        return f"Urząd Marszałkowski Województwa {region}" if country == "PL" else f"{region} Planning Region"
    if kind == "university":
        return f"{region} University of Technology"
    if kind == "business_support":
        return f"Ośrodek Wsparcia Ekonomii Społecznej {region}" if country == "PL" else f"{region} Business Incubator"
    return f"{region} {SECTOR_EN[sector]} Ltd"


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


def _publish_opportunities(rng: random.Random, people: list) -> dict[int, Opportunity]:
    """Give about three in four participants one or two opportunities; returns each one's first."""
    first: dict[int, Opportunity] = {}
    for person in people:
        if rng.random() < 0.25:
            continue
        choices = OPPORTUNITIES.get(person.country, OPPORTUNITIES["EN"])
        sector = person.sectors[0] if person.sectors else ""
        for kind, category, title, description in rng.sample(choices, k=rng.choice((1, 1, 2))):
            values = {"region": person.region, "sector_en": SECTOR_EN.get(sector, "cluster").lower()}
            published = marketplace.publish(participant=person, draft=marketplace.Draft(
                kind=kind, category=category, title=title.format(**values),
                description=description.format(**values), sectors=tuple(person.sectors)))
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

    people = []
    contact_rng = random.Random(seed + 1)  # its own stream: the people and requests stay as they were
    for i in range(participants):
        country = _weighted(rng, COUNTRY_WEIGHTS)
        first_names, surnames = PEOPLE[country]
        name = f"{rng.choice(first_names)} {rng.choice(surnames)}"
        kind = _weighted(rng, TYPE_WEIGHTS)
        region = rng.choice(REGIONS[country])
        sectors = rng.sample(sorted(SECTOR_NAMES["PL"]), k=rng.randint(1, 3))
        if kind in ("social_cooperative", "ngo", "business_support"):
            sectors = ["social_economy", *[s for s in sectors if s != "social_economy"][:1]]
        account = user(name, f"participant{i + 1}@demo.example.org")
        db.session.flush()
        attendance = rng.random()
        session_ids = (first.id,) if attendance < 0.08 else (second.id,) if attendance < 0.15 else (first.id, second.id)
        sector_en = SECTOR_EN[sectors[0]] if sectors[0] == "ict" else SECTOR_EN[sectors[0]].lower()
        organisation = _organisation(rng, country, kind, region, sectors[0])
        people.append(registration.register(user=account, event=event, profile=registration.Profile(
            organisation_name=organisation, **_contact_details(contact_rng, country, organisation),
            organisation_type=kind, country=country, region=region, sectors=tuple(sectors),
            description=f"{name.split()[0]} coordinates cooperation of our members in {region}.",
            offer=rng.choice(OFFERS).format(sector_en=sector_en, region=region),
            seek=rng.choice(SEEKS).format(sector_en=sector_en, region=region),
            meeting_mode=rng.choices(["onsite", "online", "both"], weights=[90, 4, 6])[0],
            session_ids=session_ids,
        )))
    # Most organisations publish one or two opportunities in the marketplace, in their own language.
    offers = _publish_opportunities(random.Random(seed + 2), people)
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
    # The demo's people have made-up addresses: keep their would-be notifications out of the outbox.
    db.session.execute(delete(OutboxMessage))
    db.session.flush()
    summary = existing_demo()
    assert summary is not None
    return summary


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
