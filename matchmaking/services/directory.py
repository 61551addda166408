"""The searchable list of an event's participants, and finding one participant as another sees them.

Participants see only those who are listed (``Participant.is_listed``: approved, consenting to
networking, visible to all); organisers see everyone.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import lazyload

from ..extensions import db
from ..models import Event, MeetingRequest, Participant, ParticipantSector
from .errors import NotFound
from .lookup import one_of_event
from .ranked_search import ranked_page


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    country: str = ""
    region: str = ""
    organisation_type: str = ""
    sector: str = ""
    status: str | None = None  # None: every status (the organiser's view)
    listed: bool = False  # True: only those other participants may find (the participants' view)
    page: int = 1


@dataclass(frozen=True)
class DirectoryPage:
    participants: list[Participant]
    total: int
    page: int
    pages: int


def in_place(stmt: Select, *, country: str, region: str) -> Select:
    """``stmt`` (which selects or joins ``Participant``) kept to a country and a region, when given:
    the place filter of the directory and the marketplace."""
    if country:
        stmt = stmt.where(Participant.country == country)
    if region:
        stmt = stmt.where(Participant.region == region)
    return stmt


def search(*, event_id: int, query: DirectoryQuery, page_size: int) -> DirectoryPage:
    """Filter by country, region, type and sector; every search word must be found in the profile
    in any inflection, case or diacritics (``services.text.relevance``). With words, the best
    matches come first (a word in the organisation's name weighs more); without, by organisation."""
    stmt = select(Participant).where(Participant.event_id == event_id)
    if query.status:
        stmt = stmt.where(Participant.status == query.status)
    if query.listed:
        stmt = stmt.where(Participant.is_listed)
    stmt = in_place(stmt, country=query.country, region=query.region)
    if query.organisation_type:
        stmt = stmt.where(Participant.organisation_type == query.organisation_type)
    if query.sector:
        stmt = stmt.where(
            Participant.id.in_(select(ParticipantSector.participant_id).where(ParticipantSector.sector == query.sector))
        )
    # by the index on (event, lower(name), id): a page is read in order, not sorted out of the whole event
    stmt = stmt.order_by(func.lower(Participant.organisation_name), Participant.id).options(
        lazyload(Participant.sessions))  # never shown in a list; a query less
    rows, total, page, pages = ranked_page(stmt, search_column=Participant.search_text, text=query.text,
                                           title_column=Participant.organisation_name, page=query.page,
                                           page_size=page_size)
    return DirectoryPage(participants=rows, total=total, page=page, pages=pages)

def places_in(event_id: int, country: str = "") -> tuple[list[str], list[str]]:
    """The countries of the listed participants, and their regions (of ``country`` when given): the
    filters of the directory and the marketplace, from one pass over the event's participants."""
    pairs = db.session.execute(select(Participant.country, Participant.region)
                               .where(Participant.event_id == event_id, Participant.is_listed).distinct()).all()
    countries = sorted({c for c, _r in pairs})
    regions = sorted({r for c, r in pairs if r and (not country or c == country)})
    return countries, regions


def all_participants(event_id: int) -> list[Participant]:
    """Every participant of the event, by organisation: the organiser's pickers (exhibitor, arranged meeting)."""
    return list(db.session.scalars(
        select(Participant).where(Participant.event_id == event_id)
        .order_by(func.lower(Participant.organisation_name), Participant.id)
    ))


def seen_by(*, event: Event, participant_id: int, viewer: Participant) -> Participant:
    """A participant of the event as ``viewer`` may open them; NotFound when hidden from them.

    Listed participants are open to all; one who is not listed (visible to organisers only, or not
    consenting) only to themselves and to whoever they already have a request or meeting with, so
    a request one received can always be looked at.
    """
    other = one_of_event(Participant, event.id, participant_id)
    if other.id == viewer.id or other.is_listed:
        return other
    if other.is_active and db.session.scalar(
            select(MeetingRequest.id).where(MeetingRequest.event_id == event.id,
                                            MeetingRequest.pair_low_id == min(other.id, viewer.id),
                                            MeetingRequest.pair_high_id == max(other.id, viewer.id)).limit(1)):
        return other
    raise NotFound()
