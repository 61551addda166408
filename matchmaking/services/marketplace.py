"""The cooperation marketplace: participants publish opportunities (offers, requests, partner
searches), others find them and request a meeting about one; organisers moderate.

Others see an opportunity only while it is published and its participant is listed
(``Participant.is_listed``); its owner and the event's organisers always see it. ``search`` is the
one entry point of the marketplace's search, so a ranked search can replace it in one place.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from ..extensions import db
from ..models import Event, Meeting, MeetingRequest, Participant, User
from ..models.opportunity import (
    DEFAULT_CATEGORIES,
    HIDDEN_BY_ORGANISER,
    OPPORTUNITY_KINDS,
    PUBLISHED,
    WITHDRAWN,
    Opportunity,
    OpportunitySector,
)
from ..models.participant import SECTORS
from . import audit, background_jobs
from .directory import in_place
from .errors import Conflict, NotFound, ServiceError
from .lookup import one_of_event
from .ranked_search import ranked_page
from .text import fold

TITLE_MAX, DESCRIPTION_MAX, CATEGORY_NAME_MAX, CATEGORIES_MAX = 200, 4000, 80, 60


# --- the event's categories ---------------------------------------------------------------------


def categories_of(event: Event) -> list[tuple[str, str]]:
    """The event's categories as (code, name); an empty name means the code's translated label."""
    if event.opportunity_categories is None:
        return [(code, "") for code in DEFAULT_CATEGORIES]
    return [(str(item.get("code", "")), str(item.get("name", ""))) for item in event.opportunity_categories
            if isinstance(item, dict) and item.get("code")]


def custom_code(name: str) -> str:
    """A stable code for a category the organiser named: ``"Social franchising"`` -> ``"c-social-franchising"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:40]
    return f"c-{slug or 'category'}"


def set_categories(*, event: Event, categories: list[tuple[str, str]]) -> None:
    """Replace the event's list (add, remove, rename); opportunities keep the code they were filed under."""
    seen: set[str] = set()
    stored = []
    for code, name in categories:
        name = name.strip()[:CATEGORY_NAME_MAX]
        if not code or code in seen:
            continue
        seen.add(code)
        stored.append({"code": code[:48], "name": "" if code in DEFAULT_CATEGORIES and not name else name})
    if not stored:
        raise ServiceError(_("Keep at least one category."))
    if len(stored) > CATEGORIES_MAX:
        raise ServiceError(ngettext("At most %(num)d category.", "At most %(num)d categories.", CATEGORIES_MAX))
    event.opportunity_categories = stored
    db.session.flush()


# --- publishing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """What a participant writes about an opportunity (the form builds one)."""

    kind: str
    category: str
    title: str
    description: str = ""
    sectors: tuple[str, ...] = field(default_factory=tuple)
    deadline: date | None = None


def _apply(opportunity: Opportunity, draft: Draft, event: Event) -> None:
    if draft.kind not in OPPORTUNITY_KINDS:
        raise ServiceError(_("Choose what kind of opportunity this is."))
    codes = [code for code, _name in categories_of(event)]
    if draft.category not in codes and draft.category != opportunity.category:
        raise ServiceError(_("Choose one of the event's categories."))
    title = draft.title.strip()[:TITLE_MAX]
    if not title:
        raise ServiceError(_("Give the opportunity a title."))
    opportunity.kind = draft.kind
    opportunity.category = draft.category
    opportunity.title = title
    opportunity.description = draft.description.strip()[:DESCRIPTION_MAX]
    opportunity.deadline = draft.deadline
    opportunity.search_text = fold(f"{title}\n{opportunity.description}")
    wanted = sorted({s for s in draft.sectors if s in SECTORS})
    if opportunity.sectors != wanted:
        opportunity.sector_rows = [OpportunitySector(sector=s) for s in wanted]


def publish(*, participant: Participant, draft: Draft) -> Opportunity:
    """A new, published opportunity of the participant."""
    if participant.anonymised_at is not None:
        raise NotFound()
    opportunity = Opportunity(event_id=participant.event_id, participant_id=participant.id, status=PUBLISHED)
    _apply(opportunity, draft, participant.event)
    db.session.add(opportunity)
    db.session.flush()
    _rank_again(participant)
    return opportunity


def _rank_again(participant: Participant) -> None:
    """Opportunities count as offers and seeks: a change queues the event's recommendations again."""
    if participant.is_listed:
        background_jobs.enqueue_recommendations(event=participant.event, actor=participant.user, on_change=True)


def own(participant: Participant, opportunity_id: int) -> Opportunity:
    """One of the participant's own opportunities; anyone else's is NotFound."""
    return one_of_event(Opportunity, participant.event_id, opportunity_id,
                        Opportunity.participant_id == participant.id)


def update(*, participant: Participant, opportunity_id: int, draft: Draft) -> Opportunity:
    """Edit one's own opportunity; a withdrawn one is published again."""
    opportunity = own(participant, opportunity_id)
    _apply(opportunity, draft, participant.event)
    if opportunity.status == WITHDRAWN:
        opportunity.status = PUBLISHED
    db.session.flush()
    _rank_again(participant)
    return opportunity


def withdraw(*, participant: Participant, opportunity_id: int) -> Opportunity:
    """Take one's own opportunity off the marketplace (requests already made about it keep the link)."""
    opportunity = own(participant, opportunity_id)
    if opportunity.status == WITHDRAWN:
        raise Conflict(_("This opportunity is already withdrawn."))
    if opportunity.status == PUBLISHED:
        opportunity.status = WITHDRAWN
    else:  # hidden by the organiser: withdrawing keeps it hidden, and off the marketplace either way
        raise Conflict(_("The organisers have hidden this opportunity; it is not shown to anyone."))
    db.session.flush()
    _rank_again(participant)
    return opportunity


def mine(participant: Participant) -> list[Opportunity]:
    """The participant's opportunities, newest first, whatever their status."""
    return list(db.session.scalars(
        select(Opportunity).where(Opportunity.participant_id == participant.id)
        .order_by(Opportunity.created_at.desc(), Opportunity.id.desc())
    ))


def has_published(participant: Participant) -> bool:
    """Whether the participant has at least one published opportunity (the event may require one)."""
    return db.session.scalar(
        select(Opportunity.id).where(Opportunity.participant_id == participant.id,
                                     Opportunity.status == PUBLISHED).limit(1)
    ) is not None


def published_of(participant: Participant) -> list[Opportunity]:
    """A participant's published opportunities, shown on their profile page to those who may see it."""
    return list(db.session.scalars(
        select(Opportunity).where(Opportunity.participant_id == participant.id, Opportunity.status == PUBLISHED)
        .order_by(Opportunity.created_at.desc(), Opportunity.id.desc())
    ))


def seen_by(*, event: Event, opportunity_id: int, viewer: Participant) -> Opportunity:
    """An opportunity as ``viewer`` may open it: their own, or a published one of a listed participant."""
    opportunity = one_of_event(Opportunity, event.id, opportunity_id)
    if opportunity.participant_id == viewer.id:
        return opportunity
    if opportunity.status == PUBLISHED and opportunity.participant.is_listed:
        return opportunity
    raise NotFound()


def requestable(*, recipient: Participant, opportunity_id: int | None) -> Opportunity | None:
    """The opportunity a meeting request is about: published, of the recipient; else NotFound."""
    if opportunity_id is None:
        return None
    opportunity = one_of_event(Opportunity, recipient.event_id, opportunity_id,
                               Opportunity.participant_id == recipient.id)
    if opportunity.status != PUBLISHED:
        raise NotFound()
    return opportunity


# --- finding ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketplaceQuery:
    text: str = ""
    kind: str = ""
    category: str = ""
    sector: str = ""
    country: str = ""
    region: str = ""
    organisation_type: str = ""
    page: int = 1


@dataclass(frozen=True)
class MarketplacePage:
    opportunities: list[Opportunity]
    total: int
    page: int
    pages: int


def search(*, event_id: int, query: MarketplaceQuery, page_size: int) -> MarketplacePage:
    """The published opportunities of listed participants: filters, and each word in the title or
    description in any inflection, case or diacritics; best matches first (a word in the title
    weighs more), else newest first. The marketplace's one search function."""
    stmt = (select(Opportunity).join(Participant, Opportunity.participant_id == Participant.id)
            .where(Opportunity.event_id == event_id, Opportunity.status == PUBLISHED, Participant.is_listed))
    if query.kind:
        stmt = stmt.where(Opportunity.kind == query.kind)
    if query.category:
        stmt = stmt.where(Opportunity.category == query.category)
    if query.sector:
        stmt = stmt.where(Opportunity.id.in_(
            select(OpportunitySector.opportunity_id).where(OpportunitySector.sector == query.sector)))
    stmt = in_place(stmt, country=query.country, region=query.region)
    if query.organisation_type:
        stmt = stmt.where(Participant.organisation_type == query.organisation_type)
    stmt = stmt.order_by(Opportunity.created_at.desc(), Opportunity.id.desc())
    rows, total, page, pages = ranked_page(stmt, search_column=Opportunity.search_text, text=query.text,
                                           title_column=Opportunity.title, page=query.page, page_size=page_size)
    return MarketplacePage(opportunities=rows, total=total, page=page, pages=pages)

# --- the organisers -----------------------------------------------------------------------------


def all_of_event(event_id: int) -> list[Opportunity]:
    """Every opportunity of the event, whatever its status: the organiser's moderation list."""
    return list(db.session.scalars(
        select(Opportunity).where(Opportunity.event_id == event_id)
        .order_by(Opportunity.created_at.desc(), Opportunity.id.desc())
    ))


def moderate(*, event: Event, actor: User, opportunity_id: int, hide: bool) -> Opportunity:
    """Hide an opportunity from the marketplace, or show it again (a withdrawn one stays withdrawn)."""
    opportunity = one_of_event(Opportunity, event.id, opportunity_id)
    if hide:
        if opportunity.status != PUBLISHED:
            raise Conflict(_("Only a published opportunity can be hidden."))
        opportunity.status = HIDDEN_BY_ORGANISER
    else:
        if opportunity.status != HIDDEN_BY_ORGANISER:
            raise Conflict(_("This opportunity is not hidden."))
        opportunity.status = PUBLISHED
    audit.record(event=event, actor=actor, action=audit.HIDE_OPPORTUNITY if hide else audit.UNHIDE_OPPORTUNITY,
                 participant_id=opportunity.participant_id, detail=opportunity.title)
    db.session.flush()
    return opportunity


def set_required(*, event: Event, required: bool) -> None:
    """Whether participants must publish an opportunity before they can request meetings."""
    event.requires_opportunity = required
    db.session.flush()


@dataclass(frozen=True)
class MarketplaceFigures:
    """Live meetings about opportunities: per kind, and the opportunities with the most."""

    by_kind: dict[str, int]
    top: list[tuple[Opportunity, int]]
    opportunities: int


def figures(event_id: int, top: int = 10) -> MarketplaceFigures:
    """The dashboard's marketplace figures: live meetings per opportunity and per kind."""
    rows = db.session.execute(
        select(MeetingRequest.opportunity_id, func.count(Meeting.id))
        .join(Meeting, Meeting.request_id == MeetingRequest.id)
        .where(MeetingRequest.event_id == event_id, MeetingRequest.opportunity_id.is_not(None), Meeting.is_live)
        .group_by(MeetingRequest.opportunity_id)
    ).all()
    counts = {opportunity_id: int(count) for opportunity_id, count in rows}
    opportunities = {o.id: o for o in db.session.scalars(
        select(Opportunity).where(Opportunity.id.in_(counts)))} if counts else {}
    by_kind: Counter[str] = Counter()
    for opportunity_id, count in counts.items():
        by_kind[opportunities[opportunity_id].kind] += count
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    total = db.session.scalar(select(func.count(Opportunity.id)).where(Opportunity.event_id == event_id)) or 0
    return MarketplaceFigures(by_kind={kind: by_kind.get(kind, 0) for kind in OPPORTUNITY_KINDS},
                              top=[(opportunities[i], n) for i, n in ranked], opportunities=total)
