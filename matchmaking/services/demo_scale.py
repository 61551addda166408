"""A large event for benchmarks: ``flask seed-demo --scale een`` (3,000 participants, about 20,000
accepted meetings over three days, 360 tables, programme sign-ups and some pending requests).

The small demo (``services/demo.py``) goes through the services row by row, as the web app would;
at this size that takes many minutes, so this module writes the rows in bulk (``services/bulk.py``)
instead, under the same rules the database enforces: one open request per pair, a participant and a
table at most once per slot (the meetings are placed greedily into free slots both sides attend,
tables for those on site; what does not fit stays accepted and unscheduled, waiting for the batch
run). The event schedules in batch mode, so an organiser's run (or ``scripts/bench_publish.py``)
can be measured on it. People and organisations are the demo's: made-up names from around the
Baltic Sea with their diacritics.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time, timedelta

from sqlalchemy import func, insert, select, text

from ..extensions import db
from ..models import Event, Meeting, MeetingRequest, Participant, ParticipantSector, SlotBooking, User
from ..models.base import utcnow
from ..models.meeting import ACCEPTED, DECLINED, PENDING, WAITING_FOR_BATCH
from ..models.participant import participant_session
from ..models.programme import programme_attendance
from ..models.user import new_nonce
from . import accounts, bulk, events, programme, scheduling_runs
from .demo import COUNTRY_WEIGHTS, DEMO_PASSWORD, PEOPLE, _contact_details, _organisation, _weighted
from .text import fold

SCALE_EVENT_NAME = "EEN Baltic Matchmaking Forum (benchmark scale)"
ORGANISER_EMAIL = "organiser@een.example.org"
CHUNK = 1000  # rows per executemany


@dataclass(frozen=True)
class Scale:
    """How big: the een preset, or a smaller one of the same shape (the tests use a few dozen people)."""

    participants: int = 3000
    meetings: int = 20000  # accepted requests, each a meeting
    pending: int = 1500  # requests still waiting for an answer
    declined: int = 1000
    tables: int = 360
    days: int = 3
    online_share: float = 0.08  # meetings held online take no table

    @classmethod
    def of(cls, participants: int) -> Scale:
        """The een event's proportions for ``participants`` people."""
        ratio = participants / cls.participants
        return cls(participants=participants, meetings=int(cls.meetings * ratio), pending=int(cls.pending * ratio),
                   declined=int(cls.declined * ratio), tables=max(4, int(cls.tables * ratio)))


SCALES = {"een": Scale()}


@dataclass(frozen=True)
class ScaleSummary:
    event_id: int
    participants: int
    meetings: int
    scheduled: int
    pending: int
    tables: int
    slots: int


def existing_scale_event() -> Event | None:
    return db.session.scalar(select(Event).where(Event.name == SCALE_EVENT_NAME))


def _insert(model, rows: list[dict], returning=None) -> list[int]:
    """Insert ``rows`` in chunks of executemany; with ``returning`` (a primary key), their ids in order."""
    if returning is None:
        bulk.insert_rows(getattr(model, "__table__", model), rows)
        return []
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        ids += db.session.scalars(insert(model).returning(returning, sort_by_parameter_order=True), chunk).all()
    return ids


def _event(scale: Scale) -> tuple[Event, list[tuple[int, list[int]]], list[int]]:
    """The event, its days and sessions (two per day, 20-minute slots), tables and programme; returns
    each meeting session's id with its slot ids, and the table ids."""
    organiser = accounts.find_user_by_email(ORGANISER_EMAIL)
    if organiser is None:
        organiser = User(name="Forum Organiser", email=ORGANISER_EMAIL, is_organiser=True, email_verified_at=utcnow(),
                         password_hash=accounts.hash_password(DEMO_PASSWORD))
        db.session.add(organiser)
        db.session.flush()
    start_day = (utcnow() + timedelta(days=90)).date()
    event = events.create_event(organiser=organiser, details=events.EventDetails(
        name=SCALE_EVENT_NAME, venue="Ķīpsala International Exhibition Centre, Rīga", timezone="Europe/Riga",
        description="Three days of one-to-one meetings of companies, clusters and research organisations.",
        registration_deadline=utcnow() + timedelta(days=80), request_deadline=utcnow() + timedelta(days=85)))
    sessions = []
    for offset in range(scale.days):
        day = events.add_day(event=event, day=start_day + timedelta(days=offset))
        sessions.append(events.add_session(day=day, name="Morning meetings", start=time(9, 0), end=time(13, 0),
                                           slot_minutes=20, breaks=""))
        sessions.append(events.add_session(day=day, name="Afternoon meetings", start=time(14, 0),
                                           end=time(18, 0), slot_minutes=20, breaks=""))
        # Sessions one signs up for, outside the meeting hours: they take no meeting slot.
        for start, end, kind, title in ((time(8, 0), time(8, 50), "workshop", "Interreg project clinic"),
                                        (time(18, 30), time(20, 0), "study_visit", "Visit to Rīga's technology park")):
            programme.add_session(event=event, details=programme.SessionDetails(
                kind=kind, title=f"{title} (day {offset + 1})", day=day.date, start=start, end=end, signup=True))
    tables = events.add_tables(event=event, names=events.numbered_table_names(event, scale.tables, "Table"))
    scheduling_runs.set_mode(event=event, mode="batch")
    db.session.flush()
    return event, [(session.id, [s.id for s in sorted(session.slots, key=lambda s: s.starts_at)])
                   for session in sessions], [t.id for t in tables]


def _people(rng: random.Random, event: Event, scale: Scale, password_hash: str, tag: str) -> list[int]:
    """Users and their registrations, with sectors; returns the participant ids."""
    now = utcnow()
    users, profiles, used = [], [], set()
    contact_rng = random.Random(rng.random())
    for i in range(scale.participants):
        if profiles and rng.random() < 0.25:  # a colleague from an organisation already registered
            country, kind, organisation, region, _name = profiles[rng.randrange(len(profiles))]
        else:
            country = _weighted(rng, COUNTRY_WEIGHTS)
            kind, organisation, region = _organisation(rng, country, None, used)
        first_names, surnames = PEOPLE[country]
        name = f"{rng.choice(first_names)} {rng.choice(surnames)}"
        users.append({"email": f"p{i + 1}{tag}@een.example.org", "name": name, "password_hash": password_hash,
                      "is_admin": False, "is_organiser": False, "locale": None, "timezone": None, "mail_muted": "",
                      "session_nonce": new_nonce(), "feed_nonce": new_nonce(), "created_at": now,
                      "email_verified_at": now})
        profiles.append((country, kind, organisation, region, name))
    user_ids = _insert(User, users, returning=User.id)
    rows = []
    for user_id, (country, kind, organisation, region, name) in zip(user_ids, profiles, strict=True):
        rows.append({"event_id": event.id, "user_id": user_id, "organisation_name": organisation,
                     "organisation_type": kind.organisation_type, "country": country, "region": region,
                     "description": kind.description, "offer": kind.offer, "seek": kind.seek,
                     "meeting_mode": rng.choices(["onsite", "online", "both"], weights=[88, 4, 8])[0],
                     "video_url": "", "max_meetings": None, **_contact_details(contact_rng, country, organisation),
                     "networking_consent": True, "networking_consent_at": now, "visibility": "all",
                     "status": "approved", "anonymised_at": None, "created_at": now, "updated_at": now,
                     "search_text": fold(" ".join((name, organisation, region, kind.description, kind.offer,
                                                   kind.seek)))})
    participant_ids = _insert(Participant, rows, returning=Participant.id)
    _insert(ParticipantSector, [{"participant_id": pid, "sector": sector}
                                for pid, (_c, kind, *_rest) in zip(participant_ids, profiles, strict=True)
                                for sector in sorted(set(kind.sectors))])
    return participant_ids



def _attendance(rng: random.Random, participant_ids: list[int], sessions: list[tuple[int, list[int]]],
                event: Event) -> list[set[int]]:
    """Who attends which meeting sessions (most all three days, some two) and signs up for the
    programme; returns each participant's slot ids."""
    available, rows = [], []
    days = len(sessions) // 2
    for pid in participant_ids:
        attended = range(days) if days == 1 or rng.random() < 0.7 else rng.sample(range(days), k=days - 1)
        chosen = [sessions[2 * day + half] for day in attended for half in (0, 1)]
        rows += [{"participant_id": pid, "session_id": session_id} for session_id, _slots in chosen]
        available.append({slot for _session_id, slots in chosen for slot in slots})
    _insert(participant_session, rows)
    programme_ids = [s.id for s in programme.event_programme(event.id)]
    _insert(programme_attendance, [{"participant_id": pid, "programme_session_id": session}
                                   for pid in participant_ids if rng.random() < 0.4
                                   for session in rng.sample(programme_ids, k=rng.randint(1, 2))])
    return available


def _pairs(rng: random.Random, count: int, people: int) -> list[tuple[int, int]]:
    """``count`` distinct pairs (requester, recipient) of people's indexes; popularity is skewed, as at
    real events, and nobody is asked more than a day's worth of slots allows."""
    weights = [1.0 / (rank + 1) ** 0.6 for rank in range(people)]
    rng.shuffle(weights)
    cap = 40
    asked = [0] * people
    pairs: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    recipients = rng.choices(range(people), weights=weights, k=count * 3)
    for b in recipients:
        if len(pairs) >= count:
            break
        a = rng.randrange(people)
        key = (min(a, b), max(a, b))
        if a == b or key in seen or asked[a] >= cap or asked[b] >= cap:
            continue
        seen.add(key)
        asked[a] += 1
        asked[b] += 1
        pairs.append((a, b))
    return pairs


def _place(rng: random.Random, pairs: list[tuple[int, int]], online: list[bool], available: list[set[int]],
           table_ids: list[int]) -> list[tuple[int | None, int | None]]:
    """A (slot, table) for each meeting where one fits, greedily: a random free slot that both attend,
    and a free table in it for a meeting on site; (None, None) where none fits."""
    busy: list[set[int]] = [set() for _ in available]
    tables_used: dict[int, int] = {}
    places = []
    for (a, b), is_online in zip(pairs, online, strict=True):
        free = sorted((available[a] & available[b]) - busy[a] - busy[b])
        if not is_online:
            free = [slot for slot in free if tables_used.get(slot, 0) < len(table_ids)]
        if not free:
            places.append((None, None))
            continue
        slot = rng.choice(free)
        busy[a].add(slot)
        busy[b].add(slot)
        table = None
        if not is_online:
            table = table_ids[tables_used.get(slot, 0)]
            tables_used[slot] = tables_used.get(slot, 0) + 1
        places.append((slot, table))
    return places


def build_scale(scale: Scale, *, seed: int = 2026, tag: str = "") -> ScaleSummary:
    """Create the event at ``scale`` with bulk inserts (flushed, not committed). Participants log
    in as ``p<n><tag>@een.example.org``: a ``tag`` lets a benchmark load two events side by side."""
    rng = random.Random(seed)
    event, sessions, table_ids = _event(scale)
    participant_ids = _people(rng, event, scale, accounts.hash_password(DEMO_PASSWORD), tag)
    available = _attendance(rng, participant_ids, sessions, event)
    total = scale.meetings + scale.pending + scale.declined
    pairs = _pairs(rng, total, len(participant_ids))
    statuses = [ACCEPTED] * scale.meetings + [PENDING] * scale.pending + [DECLINED] * scale.declined
    rng.shuffle(statuses)
    now = utcnow()
    requests = []
    for (a, b), status in zip(pairs, statuses, strict=False):
        requester, recipient = participant_ids[a], participant_ids[b]
        requests.append({"event_id": event.id, "requester_id": requester, "recipient_id": recipient,
                         "pair_low_id": min(requester, recipient), "pair_high_id": max(requester, recipient),
                         "message": rng.choice(MESSAGES), "online": rng.random() < scale.online_share,
                         "status": status, "created_at": now, "responded_at": None if status == PENDING else now,
                         "opportunity_id": None})
    request_ids = _insert(MeetingRequest, requests, returning=MeetingRequest.id)
    accepted = [(i, pair) for i, pair in enumerate(pairs[:len(requests)]) if requests[i]["status"] == ACCEPTED]
    places = _place(rng, [pair for _i, pair in accepted], [requests[i]["online"] for i, _pair in accepted],
                    available, table_ids)
    meetings = []
    for (i, (a, b)), (slot, table) in zip(accepted, places, strict=True):
        meetings.append({"event_id": event.id, "request_id": request_ids[i], "participant_a_id": participant_ids[a],
                         "participant_b_id": participant_ids[b], "online": requests[i]["online"], "slot_id": slot,
                         "table_id": table, "unscheduled_reason": None if slot else WAITING_FOR_BATCH,
                         "unscheduled_participant_id": None, "cancel_reason": "", "pinned": False, "sequence": 0,
                         "created_at": now, "updated_at": now})
    meeting_ids = _insert(Meeting, meetings, returning=Meeting.id)
    _insert(SlotBooking, [{"participant_id": pid, "slot_id": row["slot_id"], "meeting_id": mid}
                          for mid, row in zip(meeting_ids, meetings, strict=True) if row["slot_id"] is not None
                          for pid in sorted((row["participant_a_id"], row["participant_b_id"]))])
    db.session.flush()
    return summary(event.id)


def analyse() -> None:
    """PostgreSQL: refresh the planner's statistics after the bulk load (committed), as autovacuum
    would a minute later. Until then the planner takes the fresh tables for nearly empty and joins
    20,000 meetings row by row: the organiser's meeting list took 0.4 s instead of 0.04 s."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def summary(event_id: int) -> ScaleSummary:
    def count(model, *where) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(model.event_id == event_id, *where))

    from ..models import MeetingTable, Slot

    return ScaleSummary(event_id=event_id, participants=count(Participant), meetings=count(Meeting),
                        scheduled=count(Meeting, Meeting.slot_id.is_not(None)),
                        pending=count(MeetingRequest, MeetingRequest.status == PENDING),
                        tables=count(MeetingTable), slots=count(Slot))


MESSAGES = (
    "Dzień dobry! Szukamy partnerów do projektu Interreg; porozmawiajmy.",
    "Labdien! Mūs interesē sadarbība kokapstrādē un mēbeļu ražošanā.",
    "Laba diena! Ieškome partnerių bendram projektui.",
    "Tere! Would you like to compare our cluster services?",
    "Hello, we look for distributors in the Baltic states. Shall we meet?",
    "Guten Tag! Wir suchen Partner für ein gemeinsames Pilotprojekt.",
)
