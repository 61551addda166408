"""Check-in on the day: the personal QR code's token, checking a participant in, who has not come.

Each participant's ``checkin_token`` is the secret in their QR code (badge, agenda, mail); the event's
organisers check them in by scanning it or by finding their name. Checking in is idempotent: a
conditional ``UPDATE ... WHERE checked_in_at IS NULL`` sets the time once, so two helpers scanning
one badge at once both succeed, and both see the first scan's time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Event, Meeting, Participant
from ..models.base import utcnow
from .errors import Conflict, NotFound
from .lookup import one_of_event
from .text import fold
from .timezones import to_local

# A meeting whose participant has not checked in this long after its start is flagged.
LATE_AFTER = timedelta(minutes=10)
TOKEN_MAX = 64
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class CheckIn:
    participant: Participant
    checked_in_at: datetime
    already: bool  # checked in before this scan (by anyone)


def participant_by_token(*, event: Event, token: str) -> Participant:
    """The event's participant whose QR code holds ``token``; NotFound for any other token.

    A token of another event, of an anonymised row, or one that is malformed all look the same.
    """
    token = (token or "").strip()
    if not token or len(token) > TOKEN_MAX:
        raise NotFound()
    found = db.session.scalar(select(Participant).where(
        Participant.event_id == event.id, Participant.checkin_token == token, Participant.anonymised_at.is_(None)))
    if found is None:
        raise NotFound()
    return found


def participant_of_event(*, event: Event, participant_id: int) -> Participant:
    return one_of_event(Participant, event.id, participant_id, Participant.anonymised_at.is_(None))


def check_in(*, participant: Participant, now: datetime | None = None) -> CheckIn:
    """Check the participant in, once; a second check-in reports the first one's time.

    Only an approved participant may come in: one awaiting approval, rejected or deactivated is refused.
    """
    if not participant.is_active:
        raise Conflict(_("%(name)s is not an approved participant of this event.", name=participant.name))
    result = db.session.execute(
        update(Participant).where(Participant.id == participant.id, Participant.checked_in_at.is_(None))
        .values(checked_in_at=now or utcnow()).execution_options(synchronize_session=False)
    )
    db.session.refresh(participant, ["checked_in_at"])
    return CheckIn(participant=participant, checked_in_at=participant.checked_in_at, already=result.rowcount != 1)


def undo_check_in(*, participant: Participant) -> None:
    """A mistaken check-in taken back (the wrong name picked from the search)."""
    participant.checked_in_at = None
    db.session.flush()


def find(*, event: Event, text: str) -> list[Participant]:
    """Participants whose name, organisation or other searchable text has every word typed; at most 20."""
    words = fold(text).split()
    if not words:
        return []
    stmt = select(Participant).where(Participant.event_id == event.id, Participant.anonymised_at.is_(None))
    for word in words[:8]:
        stmt = stmt.where(Participant.search_text.contains(word, autoescape=True))
    return list(db.session.scalars(stmt.order_by(func.lower(Participant.organisation_name), Participant.id)
                                   .limit(SEARCH_LIMIT)))


def badge_participants(*, event: Event, participant_id: int | None = None) -> list[Participant]:
    """Approved participants, by name of organisation, for printing badges (or the one asked for)."""
    stmt = select(Participant).where(Participant.event_id == event.id, Participant.anonymised_at.is_(None),
                                     Participant.status == "approved")
    if participant_id is not None:
        stmt = stmt.where(Participant.id == participant_id)
    return list(db.session.scalars(stmt.order_by(func.lower(Participant.organisation_name), Participant.id)))


def checked_in_count(event_id: int) -> tuple[int, int]:
    """(checked in, approved participants) of the event."""
    row = db.session.execute(select(func.count(Participant.checked_in_at), func.count()).where(
        Participant.event_id == event_id, Participant.status == "approved", Participant.anonymised_at.is_(None)
    )).one()
    return row[0], row[1]


def not_checked_in(meetings: list[Meeting], *, event: Event, now: datetime | None = None) -> dict[int, list[int]]:
    """Meeting id -> the ids of its participants who have not checked in, for the meetings to flag.

    A meeting is flagged on the event's day, from ``LATE_AFTER`` past its start, while it is on site,
    live and not yet marked held or no-show, and one of its two sides has not checked in.
    """
    now = now or utcnow()
    today = to_local(now, event.timezone).date()
    flagged: dict[int, list[int]] = {}
    for m in meetings:
        if not m.is_live or m.online or m.slot is None or m.attendance is not None:
            continue
        if now < m.slot.starts_at + LATE_AFTER or to_local(m.slot.starts_at, event.timezone).date() != today:
            continue
        missing = [p.id for p in (m.participant_a, m.participant_b) if p.checked_in_at is None]
        if missing:
            flagged[m.id] = missing
    return flagged

