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

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, lazyload

from .. import matching
from ..extensions import db
from ..models import Event, Opportunity, Participant, PartnerMark, Recommendation
from ..models.base import utcnow
from ..models.opportunity import OFFER, PARTNERSHIP, PUBLISHED, REQUEST
from ..models.recommendation import INTERESTED, MARKS, NOT_FOR_ME
from .directory import seen_by
from .errors import NotFound
from .sentence_vectors import StoredEncoder, stored_keys, text_hash

TOP = 20  # partners stored per participant
SCORE_TOLERANCE = 0.02  # a stored list whose scores moved less than this is kept (see _same)
TEASER = 3  # partners the event page and the directory show, above a link to all of them
ENCODE_CHUNK = 25  # participants whose sentences one step of the job encodes (a second or two of work)
LEXICAL, AUTO = "lexical", "auto"  # engines: never load the text model, or use it where installed


def _listed(event: Event) -> list[Participant]:
    return list(db.session.scalars(select(Participant).where(Participant.event_id == event.id, Participant.is_listed)
                                   .order_by(Participant.id)))


def profiles_of(event: Event, listed: list[Participant] | None = None) -> list[matching.Profile]:
    """The core's input: every listed participant of the event (approved, consenting, visible, a person),
    or those of ``listed``, their published opportunities counted as offers (offers, partnerships) and
    seeks (requests, partnerships)."""
    if listed is None:
        listed = _listed(event)
    offers: dict[int, list[str]] = {p.id: [p.offer] for p in listed}
    seeks: dict[int, list[str]] = {p.id: [p.seek] for p in listed}
    for o in db.session.scalars(select(Opportunity).where(Opportunity.event_id == event.id,
                                                         Opportunity.participant_id.in_(list(offers)),
                                                         Opportunity.status == PUBLISHED).order_by(Opportunity.id)):
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


def _model(engine: str) -> matching.Encoder | None:
    """The text model, or None: the lexical engine was asked for, or the model is not installed."""
    return None if engine == LEXICAL else matching.load_encoder()


def to_encode(event: Event, *, engine: str = AUTO) -> list[int]:
    """The listed participants with a sentence whose vector is not stored yet (none without the text
    model): what the job encodes, a chunk per step, before it ranks. After one profile changed, one."""
    model = _model(engine)
    if model is None:
        return []
    stored = stored_keys(event_id=event.id, model=model.name)
    missing = []
    for profile in profiles_of(event):
        queries, passages = matching.texts_to_encode(profile)
        keys = [(True, text_hash(t)) for t in queries] + [(False, text_hash(t)) for t in passages]
        if any(k not in stored for k in keys):
            missing.append(int(profile.id))
    return missing


def encode_some(*, event: Event, participant_ids: list[int], engine: str = AUTO) -> None:
    """Encode and store the sentences of these participants (those still listed) that are not stored
    yet. A piece of the job that can be repeated: stored sentences are not encoded again."""
    model = _model(engine)
    if model is None or not participant_ids:
        return
    chunk = list(db.session.scalars(select(Participant).where(
        Participant.event_id == event.id, Participant.is_listed, Participant.id.in_(participant_ids))
        .order_by(Participant.id)))
    queries: list[str] = []
    passages: list[str] = []
    for profile in profiles_of(event, chunk):
        seeks, offers = matching.texts_to_encode(profile)
        queries += seeks
        passages += offers
    encoder = StoredEncoder(model, event_id=event.id)  # one batch per side: the model is fastest that way
    encoder.encode(queries, query=True)
    encoder.encode(passages, query=False)


def compute(*, event: Event, now: datetime, engine: str = AUTO) -> dict[str, object]:
    """Rank the event's listed participants and store every list (flushed); counts for the job's result.

    With the text model, vectors come from the database (``encode_some`` stored them) and only
    sentences not seen yet are encoded. Only the lists that changed are rewritten, so re-ranking after
    one profile changed touches the few lists it moved. ``engine``: ``lexical`` ranks without the model."""
    profiles = profiles_of(event)
    model = _model(engine)
    encoder = StoredEncoder(model, event_id=event.id, preload=True) if model is not None else None
    ranking = matching.rank(profiles, top=TOP, encoder=encoder)
    changed = _store(event, ranking, now)
    result: dict[str, object] = {"participants": len(profiles), "engine": ranking.engine, "lists_changed": changed,
                                 "recommendations": sum(len(m) for m in ranking.rankings.values())}
    if encoder is not None:
        result["sentences_encoded"] = encoder.encoded
        encoder.prune()
    return result


def _same(old: list[tuple] | None, new: list[tuple] | None) -> bool:
    """The same partners in the same order with the same reasons, and scores within SCORE_TOLERANCE
    (one changed profile moves every score a little: that alone is no reason to rewrite a list)."""
    if old is None or new is None or len(old) != len(new):
        return old == new
    return all(a[0] == b[0] and a[1] == b[1] and a[3] == b[3] and abs(a[2] - b[2]) <= SCORE_TOLERANCE
               for a, b in zip(old, new, strict=True))


def _store(event: Event, ranking: matching.Ranking, now: datetime) -> int:
    """Replace the stored lists that differ from the ranking; the others only get ``computed_at``."""
    stored: dict[int, list[tuple]] = {}
    for row in db.session.execute(
            select(Recommendation.participant_id, Recommendation.other_id, Recommendation.rank, Recommendation.score,
                   Recommendation.reasons_json).where(Recommendation.event_id == event.id)
            .order_by(Recommendation.participant_id, Recommendation.rank)):
        stored.setdefault(row[0], []).append(tuple(row[1:]))
    fresh = {int(pid): [(int(m.id), position, float(m.score),
                         json.dumps(m.reasons, ensure_ascii=False, separators=(",", ":")))
                        for position, m in enumerate(matches, start=1)]
             for pid, matches in ranking.rankings.items()}
    changed = [pid for pid in stored.keys() | fresh.keys() if not _same(stored.get(pid), fresh.get(pid))]
    for start in range(0, len(changed), 500):
        db.session.execute(delete(Recommendation).where(Recommendation.event_id == event.id,
                                                        Recommendation.participant_id.in_(changed[start:start + 500])))
    db.session.execute(update(Recommendation).where(Recommendation.event_id == event.id).values(computed_at=now)
                       .execution_options(synchronize_session=False))
    rows = [{"event_id": event.id, "participant_id": pid, "other_id": other, "rank": position, "score": score,
             "reasons_json": reasons, "computed_at": now}
            for pid in changed for other, position, score, reasons in fresh.get(pid, [])]
    if rows:
        db.session.execute(insert(Recommendation), rows)
    return len(changed)


@dataclass(frozen=True)
class Suggestion:
    """One stored recommendation as the page shows it."""

    other: Participant
    score: float
    reasons: list[dict]
    interested: bool


def recommended_for(viewer: Participant, *, limit: int | None = None) -> list[Suggestion]:
    """The viewer's stored partners, best first (the first ``limit``): only those still listed, never
    one marked not for me.

    A viewer who is not listed themselves gets none (they were not ranked, and a hidden person does
    not browse others' profiles through this list)."""
    if not viewer.is_listed:
        return []
    other = aliased(Participant)
    marked = aliased(PartnerMark)
    rows = db.session.execute(
        select(Recommendation, other, marked.mark).join(other, other.id == Recommendation.other_id)
        .outerjoin(marked, and_(marked.participant_id == viewer.id, marked.other_id == other.id))
        .where(Recommendation.participant_id == viewer.id, other.is_listed, other.event_id == viewer.event_id,
               or_(marked.mark.is_(None), marked.mark != NOT_FOR_ME))
        .order_by(Recommendation.rank).limit(limit)
        # the page shows the partner's own columns only: not their sessions, sectors or account
        .options(lazyload(other.sessions), lazyload(other.sector_rows), lazyload(other.user))).all()
    return [Suggestion(other=p, score=rec.score, reasons=rec.reasons, interested=mark == INTERESTED)
            for rec, p, mark in rows]


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
