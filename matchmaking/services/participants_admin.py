"""The organiser's decisions about participants: approve, reject, deactivate, reactivate.

Each decision is written to the event's audit log, with the organiser who made it (``actor``)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from ..extensions import db
from ..models import Meeting, MeetingRequest, Participant, User
from ..models.meeting import DECLINED, PENDING
from ..models.participant import APPROVED, DEACTIVATED, PENDING_APPROVAL, REJECTED
from . import audit, background_jobs, shapes, webhooks
from . import meetings as meeting_service
from .errors import Conflict

DEACTIVATION_REASON = "The organiser deactivated a participant of this meeting."


def approve(participant: Participant, *, actor: User | None = None) -> None:
    if participant.status not in (PENDING_APPROVAL, REJECTED):
        raise Conflict(_("%(name)s is not waiting for approval.", name=participant.name))
    participant.status = APPROVED
    audit.record(event=participant.event, actor=actor, action=audit.APPROVE, participant_id=participant.id)
    if participant.is_listed:  # a new partner for the others
        background_jobs.enqueue_recommendations(event=participant.event, actor=actor, on_change=True)
    webhooks.emit(event_id=participant.event_id, kind="participant.approved",
                  data=lambda: shapes.participant_data(participant))


def reject(participant: Participant, *, actor: User | None = None) -> None:
    if participant.status != PENDING_APPROVAL:
        raise Conflict(_("%(name)s is not waiting for approval.", name=participant.name))
    participant.status = REJECTED
    audit.record(event=participant.event, actor=actor, action=audit.REJECT, participant_id=participant.id)


def deactivate(participant: Participant, *, actor: User | None = None) -> int:
    """Take a participant out of the event: their meetings are cancelled and open requests closed.

    Returns how many meetings were cancelled (their partners see the reason).
    """
    if participant.status == DEACTIVATED:
        raise Conflict(_("%(name)s is already deactivated.", name=participant.name))
    live = db.session.scalars(select(Meeting).where(
        Meeting.is_live,
        or_(Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id))).all()
    for meeting in live:
        meeting_service.cancel(meeting=meeting, by=None, reason=DEACTIVATION_REASON)
    db.session.execute(
        update(MeetingRequest)
        .where(MeetingRequest.status == PENDING,
               or_(MeetingRequest.requester_id == participant.id, MeetingRequest.recipient_id == participant.id))
        .values(status=DECLINED).execution_options(synchronize_session=False)
    )
    participant.status = DEACTIVATED
    audit.record(event=participant.event, actor=actor, action=audit.DEACTIVATE, participant_id=participant.id,
                 detail=str(len(live)))
    return len(live)


def reactivate(participant: Participant, *, actor: User | None = None) -> None:
    if participant.status != DEACTIVATED:
        raise Conflict(_("%(name)s is not deactivated.", name=participant.name))
    participant.status = APPROVED
    audit.record(event=participant.event, actor=actor, action=audit.REACTIVATE, participant_id=participant.id)
