"""The daily digest: the requests waiting for each participant's answer, and the partners newly
recommended to them. One mail a day at most; each part can be turned off on its own (the mail
categories "digest" and "recommendations"): a participant who turned off one part still gets the other.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import MeetingRequest, Participant
from ..models.meeting import PENDING
from . import new_partners, outbox

DIGEST_HOUR = 8  # UTC hour from which the day's digest goes out
REQUESTS, PARTNERS = "digest", "recommendations"  # the mail categories of the two parts


def queue_digests(*, now: datetime) -> int:
    """Once a day (from ``DIGEST_HOUR``), each participant with requests waiting for their answer or
    partners not announced yet gets one mail. Idempotent: one digest per participant and day.

    The mail is the kind ``digest`` when it lists requests, else ``new_partners``; both share the
    day's de-duplication key, so they never both go."""
    if now.hour < DIGEST_HOUR:
        return 0
    waiting: dict[int, list[int]] = defaultdict(list)
    for request_id, recipient_id in db.session.execute(
        select(MeetingRequest.id, MeetingRequest.recipient_id).where(MeetingRequest.status == PENDING)
        .order_by(MeetingRequest.created_at)
    ):
        waiting[recipient_id].append(request_id)
    partners = new_partners.unannounced(now=now)
    queued = 0
    for participant_id in sorted(waiting.keys() | partners.keys()):
        participant = db.session.get(Participant, participant_id)
        muted = outbox.muted(participant.user)
        request_ids = waiting.get(participant_id, []) if REQUESTS not in muted else []
        partner_ids = partners.get(participant_id, []) if PARTNERS not in muted else []
        if not request_ids and not partner_ids:
            continue
        payload: dict = {"participant": participant_id, "requests": request_ids}
        if partner_ids:
            payload.update(partners=partner_ids[:new_partners.LISTED_IN_MAIL],
                           more_partners=len(partner_ids) - len(partner_ids[:new_partners.LISTED_IN_MAIL]))
        message = outbox.enqueue("digest" if request_ids else "new_partners", participant.user, payload,
                                 dedupe_key=f"digest:{participant_id}:{now.date()}")
        if message is None:
            continue
        queued += 1
        if partner_ids:
            new_partners.record_announced(participant_id=participant_id, other_ids=partner_ids, now=now)
    return queued
