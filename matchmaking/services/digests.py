"""The daily digest: one list of the requests waiting for each participant's answer."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import MeetingRequest, Participant
from ..models.meeting import PENDING
from . import outbox

DIGEST_HOUR = 8  # UTC hour from which the day's digest goes out


def queue_digests(*, now: datetime) -> int:
    """Once a day (from ``DIGEST_HOUR``), each participant with requests waiting for their answer gets one
    list of them. Idempotent: one digest per participant and day."""
    if now.hour < DIGEST_HOUR:
        return 0
    waiting: dict[int, list[int]] = defaultdict(list)
    for request_id, recipient_id in db.session.execute(
        select(MeetingRequest.id, MeetingRequest.recipient_id).where(MeetingRequest.status == PENDING)
        .order_by(MeetingRequest.created_at)
    ):
        waiting[recipient_id].append(request_id)
    queued = 0
    for participant_id, request_ids in waiting.items():
        participant = db.session.get(Participant, participant_id)
        queued += outbox.enqueue("digest", participant.user, {"participant": participant_id, "requests": request_ids},
                                 dedupe_key=f"digest:{participant_id}:{now.date()}") is not None
    return queued
