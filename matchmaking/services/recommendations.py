"""Recommended partners: the one bridge between the app and the matching core (``matchmaking.matching``).

The background process (a ``recommendations`` job, ``services/background_jobs.py``) builds the core's
input from the event's listed participants, ranks them and stores each participant's list with its
reasons, replacing the event's previous lists at once. Web requests only read what is stored, so a
page never waits for the ranking. Reasons are stored as the core's structured data (a kind, and the
participants' own sentences or sectors) and rendered in the reader's language by the page.

Whoever is not listed (``Participant.is_listed``) is never ranked, and is filtered out again when a
list is read, so a participant who hides since the last run disappears at once. A "not for me"
mark hides the partner for good; "interested" marks are shown to the organiser, mutual ones first.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from .. import matching
from ..extensions import db
from ..models import Event, Opportunity, Participant, PartnerMark, Recommendation
from ..models.base import utcnow
from ..models.opportunity import OFFER, PARTNERSHIP, PUBLISHED, REQUEST
from ..models.recommendation import INTERESTED, MARKS, NOT_FOR_ME
from .directory import seen_by
from .errors import NotFound

TOP = 20  # partners stored per participant
LEXICAL, AUTO = "lexical", "auto"  # engines: never load the text model, or use it where installed


def profiles_of(event: Event) -> list[matching.Profile]:
    """The core's input: every listed participant of the event (approved, consenting, visible, a person),
    their published opportunities counted as offers (offers, partnerships) and seeks (requests, partnerships)."""
    listed = list(db.session.scalars(select(Participant).where(Participant.event_id == event.id,
                                                               Participant.is_listed).order_by(Participant.id)))
    offers: dict[int, list[str]] = {p.id: [p.offer] for p in listed}
    seeks: dict[int, list[str]] = {p.id: [p.seek] for p in listed}
    for o in db.session.scalars(select(Opportunity).where(Opportunity.event_id == event.id,
                                                         Opportunity.status == PUBLISHED).order_by(Opportunity.id)):
        if o.participant_id not in offers:
            continue
        text = "\n".join(part.strip() for part in (o.title, o.description) if part.strip())
        if o.kind in (OFFER, PARTNERSHIP):
            offers[o.participant_id].append(text)
        if o.kind in (REQUEST, PARTNERSHIP):
            seeks[o.participant_id].append(text)
    return [matching.Profile(id=str(p.id), organisation_name=p.organisation_name,
                             organisation_type=p.organisation_type, country=p.country, region=p.region,
                             sectors=tuple(p.sectors), description=p.description,
                             offer="\n".join(t for t in offers[p.id] if t.strip()),
                             seek="\n".join(t for t in seeks[p.id] if t.strip()))
            for p in listed]


def compute(*, event: Event, now: datetime, engine: str = AUTO) -> dict[str, object]:
    """Rank the event's listed participants and store every list (flushed); counts for the job's result.

    ``engine``: ``lexical`` ranks without the text model (tests, machines without it)."""
    profiles = profiles_of(event)
    ranking = matching.rank(profiles, top=TOP, **({"encoder": None} if engine == LEXICAL else {}))
    db.session.execute(delete(Recommendation).where(Recommendation.event_id == event.id))
    stored = 0
    for pid, matches in ranking.rankings.items():
        for position, match in enumerate(matches, start=1):
            db.session.add(Recommendation(
                event_id=event.id, participant_id=int(pid), other_id=int(match.id), rank=position,
                score=float(match.score), computed_at=now,
                reasons_json=json.dumps(match.reasons, ensure_ascii=False, separators=(",", ":"))))
            stored += 1
    db.session.flush()
    return {"participants": len(profiles), "recommendations": stored, "engine": ranking.engine}


@dataclass(frozen=True)
class Suggestion:
    """One stored recommendation as the page shows it."""

    other: Participant
    score: float
    reasons: list[dict]
    interested: bool


def recommended_for(viewer: Participant) -> list[Suggestion]:
    """The viewer's stored partners, best first: only those still listed, never one marked not for me.

    A viewer who is not listed themselves gets none (they were not ranked, and a hidden person does
    not browse others' profiles through this list)."""
    if not viewer.is_listed:
        return []
    other = aliased(Participant)
    marks = {m.other_id: m.mark for m in db.session.scalars(
        select(PartnerMark).where(PartnerMark.participant_id == viewer.id))}
    rows = db.session.execute(
        select(Recommendation, other).join(other, other.id == Recommendation.other_id)
        .where(Recommendation.participant_id == viewer.id, other.is_listed, other.event_id == viewer.event_id)
        .order_by(Recommendation.rank)).all()
    return [Suggestion(other=p, score=rec.score, reasons=rec.reasons, interested=marks.get(p.id) == INTERESTED)
            for rec, p in rows if marks.get(p.id) != NOT_FOR_ME]


def has_been_computed(event: Event) -> bool:
    """Whether the event's recommendations were computed at least once (else the page says they are coming)."""
    return db.session.scalar(select(Recommendation.id).where(Recommendation.event_id == event.id).limit(1)) is not None


def mark(*, viewer: Participant, other_id: int, mark: str) -> None:
    """Mark a partner the viewer may see as interesting or not for them; the latest mark replaces the last."""
    if mark not in MARKS:
        raise NotFound()
    other = seen_by(event=viewer.event, participant_id=other_id, viewer=viewer)
    if other.id == viewer.id:
        raise NotFound()
    find = select(PartnerMark).where(PartnerMark.participant_id == viewer.id, PartnerMark.other_id == other.id)
    row = db.session.scalar(find)
    if row is None:
        try:
            with db.session.begin_nested():  # a double click may insert the same pair twice at once
                db.session.add(PartnerMark(participant_id=viewer.id, other_id=other.id, mark=mark,
                                           created_at=utcnow()))
            return
        except IntegrityError:  # the other click won (the pair is unique): change its row instead
            row = db.session.scalar(find)
    row.mark, row.created_at = mark, utcnow()
    db.session.flush()


@dataclass(frozen=True)
class Interest:
    """Whom one participant marked interested, for the organiser; ``mutual``: the partner did too."""

    participant: Participant
    others: list[tuple[Participant, bool]]


def interest_of(event: Event) -> list[Interest]:
    """Every participant of the event who marked someone interested, with whom, mutual interest first."""
    rows = db.session.scalars(
        select(PartnerMark).join(Participant, Participant.id == PartnerMark.participant_id)
        .where(Participant.event_id == event.id, PartnerMark.mark == INTERESTED)).all()
    pairs = {(m.participant_id, m.other_id) for m in rows}
    ids = {i for pair in pairs for i in pair}
    people = {p.id: p for p in db.session.scalars(select(Participant).where(Participant.id.in_(ids)))} if ids else {}
    grouped: dict[int, list[tuple[Participant, bool]]] = {}
    for a, b in sorted(pairs):
        grouped.setdefault(a, []).append((people[b], (b, a) in pairs))
    result = [Interest(people[a], sorted(others, key=lambda o: (not o[1], o[0].organisation_name.lower())))
              for a, others in grouped.items()]
    return sorted(result, key=lambda i: i.participant.organisation_name.lower())
