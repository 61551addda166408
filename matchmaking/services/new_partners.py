"""Recommended partners a participant has not been told about yet: the daily digest's second part.

A partner is new to a participant while the stored list (``Recommendation``) holds them, both are
still listed, the participant has not marked them (interested or not for me) and no digest named
them before (``AnnouncedPartner``). Once a digest is queued, every new partner of that day counts as
announced, the ones it lists and the ones it only counts ("and 3 more"): a partner is announced once.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import AnnouncedPartner, Event, Participant, PartnerMark, Recommendation
from .recommendations import Suggestion, recommended_for

LISTED_IN_MAIL = 5  # partners named in one digest; the others are counted and are on the page


def unannounced(*, now: datetime) -> dict[int, list[int]]:
    """For each participant with new partners, their ids best first (events whose requests are still open)."""
    me, other = aliased(Participant), aliased(Participant)
    rows = db.session.execute(
        select(Recommendation.participant_id, Recommendation.other_id)
        .join(me, me.id == Recommendation.participant_id)
        .join(other, other.id == Recommendation.other_id)
        .join(Event, Event.id == me.event_id)
        .where(me.is_listed, other.is_listed, other.event_id == me.event_id,
               or_(Event.request_deadline.is_(None), Event.request_deadline >= now),
               ~exists().where(PartnerMark.participant_id == me.id, PartnerMark.other_id == other.id),
               ~exists().where(AnnouncedPartner.participant_id == me.id, AnnouncedPartner.other_id == other.id))
        .order_by(Recommendation.participant_id, Recommendation.rank))
    found: dict[int, list[int]] = defaultdict(list)
    for participant_id, other_id in rows:
        found[participant_id].append(other_id)
    return dict(found)


def record_announced(*, participant_id: int, other_ids: list[int], now: datetime) -> None:
    """Remember that a digest told the participant about these partners (flushed)."""
    db.session.add_all(AnnouncedPartner(participant_id=participant_id, other_id=other_id, announced_at=now)
                       for other_id in other_ids)
    db.session.flush()


def listed_in_mail(viewer: Participant, other_ids: list[int]) -> list[Suggestion]:
    """The partners a queued digest names, as they stand when it is sent: still listed, not marked not for me."""
    wanted = set(other_ids)
    return [s for s in recommended_for(viewer) if s.other.id in wanted]
