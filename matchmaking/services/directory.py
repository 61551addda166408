"""The searchable list of an event's participants."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Participant, ParticipantSector
from ..models.participant import APPROVED
from .text import fold


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    country: str = ""
    organisation_type: str = ""
    sector: str = ""
    status: str | None = None  # None: every status (the organiser's view)
    page: int = 1


@dataclass(frozen=True)
class DirectoryPage:
    participants: list[Participant]
    total: int
    page: int
    pages: int


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(*, event_id: int, query: DirectoryQuery, page_size: int) -> DirectoryPage:
    """Filter by country, type and sector; each word must occur in the profile (any case, any diacritics)."""
    stmt = select(Participant).where(Participant.event_id == event_id)
    if query.status:
        stmt = stmt.where(Participant.status == query.status)
    if query.status == APPROVED:  # the participants' directory: people who deleted their data are gone
        stmt = stmt.where(Participant.anonymised_at.is_(None))
    if query.country:
        stmt = stmt.where(Participant.country == query.country)
    if query.organisation_type:
        stmt = stmt.where(Participant.organisation_type == query.organisation_type)
    if query.sector:
        stmt = stmt.where(
            Participant.id.in_(select(ParticipantSector.participant_id).where(ParticipantSector.sector == query.sector))
        )
    for word in fold(query.text).split()[:10]:
        stmt = stmt.where(Participant.search_text.like(_like(word), escape="\\"))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, query.page), pages)
    rows = db.session.scalars(
        stmt.order_by(func.lower(Participant.organisation_name), Participant.id)
        .limit(page_size).offset((page - 1) * page_size)
    )
    return DirectoryPage(participants=list(rows), total=total, page=page, pages=pages)


def countries_in(event_id: int) -> list[str]:
    return list(db.session.scalars(
        select(Participant.country).where(Participant.event_id == event_id, Participant.status == APPROVED)
        .distinct().order_by(Participant.country)
    ))


def all_participants(event_id: int) -> list[Participant]:
    """Every participant of the event, by organisation: the organiser's pickers (exhibitor, arranged meeting)."""
    return list(db.session.scalars(
        select(Participant).where(Participant.event_id == event_id)
        .order_by(func.lower(Participant.organisation_name), Participant.id)
    ))
