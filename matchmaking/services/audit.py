"""The audit log of organiser actions on personal data (the organiser is the controller under the
GDPR and must be able to show who did what with whose data).

Services write an entry in the same transaction as the action itself, so an action that is rolled
back leaves no entry. The actions, stored as codes (the web layer labels them):
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import AuditEntry, Event, Participant, User

EXPORT = "export"  # a download or print of the participants' data (detail: what and which format)
EDIT_PROFILE = "edit_profile"  # a profile changed by an organiser on the participant's behalf
APPROVE, REJECT, DEACTIVATE, REACTIVATE = "approve", "reject", "deactivate", "reactivate"
IMPORT = "import"  # participants imported from a file (detail: how many)
ACCOUNT_DELETED = "account_deleted"  # a participant deleted their own account (no actor: the person)
PURGE = "purge"  # the retention period ended and the app anonymised the event's participants
HIDE_OPPORTUNITY, UNHIDE_OPPORTUNITY = "hide_opportunity", "unhide_opportunity"  # marketplace moderation
ACTIONS = (EXPORT, EDIT_PROFILE, APPROVE, REJECT, DEACTIVATE, REACTIVATE, IMPORT, ACCOUNT_DELETED, PURGE,
           HIDE_OPPORTUNITY, UNHIDE_OPPORTUNITY)

DETAIL_MAX = 200


def record(*, event: Event, actor: User | None, action: str, participant_id: int | None = None,
           detail: str = "") -> AuditEntry:
    """Write one entry (``actor`` None: done by the app itself or by the person concerned)."""
    assert action in ACTIONS, action
    entry = AuditEntry(event_id=event.id, actor_id=actor.id if actor is not None else None, action=action,
                       participant_id=participant_id, detail=detail[:DETAIL_MAX])
    db.session.add(entry)
    db.session.flush()
    return entry


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    pages: int
    # The participants named on this page, as organisers see them now ("Deleted participant" once anonymised).
    participants: dict[int, Participant]


def entries_of(*, event: Event, page: int = 1, page_size: int = 50) -> AuditPage:
    """The event's entries, newest first, one page of them (a page past the end shows the last)."""
    total = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.event_id == event.id))
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = db.session.scalars(
        select(AuditEntry).where(AuditEntry.event_id == event.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(page_size).offset((page - 1) * page_size)
    ).all()
    ids = {row.participant_id for row in rows if row.participant_id is not None}
    named = db.session.scalars(select(Participant).where(Participant.event_id == event.id,
                                                         Participant.id.in_(ids))).all() if ids else []
    return AuditPage(entries=list(rows), total=total, page=page, pages=pages, participants={p.id: p for p in named})
