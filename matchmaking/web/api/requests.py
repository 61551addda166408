"""Meeting requests: the caller's, a new one (idempotent), accept, decline (with a reason), withdraw, and
a new message for one still pending."""
from __future__ import annotations

from flask import g

from ...extensions import db
from ...services import meetings as meeting_service
from ...services import registration, shapes, time_windows
from .. import limits
from . import schemas
from .blueprint import participant_api as api
from .http import idempotent

TAGS = ["requests"]


def request_json(meeting_request) -> dict:
    """The shared shape, with what only the two sides see: the message, the meeting it became, and
    whether the caller marked it "must meet" (the other side's mark is theirs alone)."""
    mine = (meeting_request.requester_must_meet if meeting_request.requester_id == g.me.id
            else meeting_request.recipient_must_meet)
    return {**shapes.request_data(meeting_request), "message": meeting_request.message,
            "meeting_id": meeting_request.meeting.id if meeting_request.meeting else None, "must_meet": mine,
            "decline_reason": meeting_request.decline_reason}


@api.route("/events/<int:event_id>/requests", tags=TAGS)
@api.response(200, schemas.Requests)
def list_requests():
    """Requests the caller received and sent."""
    received, sent = meeting_service.requests_of(g.me)
    return {"received": [request_json(r) for r in received], "sent": [request_json(r) for r in sent]}


@api.route("/events/<int:event_id>/requests", methods=["POST"], tags=TAGS)
@api.arguments(schemas.RequestIn)
@api.response(201, schemas.MeetingRequest)
@api.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string"},
                      "description": "Send the same key again to retry safely: the first answer comes back."}])
@limits.meeting_requests
def create_request(body: dict):
    """Ask a participant for a meeting."""
    def create():
        other = registration.get_participant_in(g.event, body["recipient_id"])
        made = meeting_service.request_meeting(requester=g.me, recipient=other, message=body["message"],
                                               online=body["online"], opportunity_id=body["opportunity_id"],
                                               window=time_windows.parse(body["window"]),
                                               must_meet=body["must_meet"])
        return schemas.MeetingRequest().dump(request_json(made)), 201

    return idempotent(create)


@api.route("/events/<int:event_id>/requests/<int:request_id>/accept", methods=["POST"], tags=TAGS)
@api.arguments(schemas.AcceptIn)
@api.response(200, schemas.MeetingRequest)
def accept_request(body: dict, request_id: int):
    """Accept a request one received: the meeting is scheduled as the event's mode says, within the
    time window (the requester's, or the one given here)."""
    window = None if body["window"] is None else time_windows.parse(body["window"])
    meeting = meeting_service.accept_request(recipient=g.me, request_id=request_id, window=window,
                                             must_meet=body["must_meet"])
    db.session.commit()
    return request_json(meeting.request)


@api.route("/events/<int:event_id>/requests/<int:request_id>/decline", methods=["POST"], tags=TAGS)
@api.arguments(schemas.DeclineIn)
@api.response(200, schemas.MeetingRequest)
def decline_request(body: dict, request_id: int):
    """Decline a request one received, optionally saying why (the requester sees the reason)."""
    answered = meeting_service.decline_request(recipient=g.me, request_id=request_id, reason=body["reason"])
    db.session.commit()
    return request_json(answered)


@api.route("/events/<int:event_id>/requests/<int:request_id>/withdraw", methods=["POST"], tags=TAGS)
@api.response(200, schemas.MeetingRequest)
def withdraw_request(request_id: int):
    """Withdraw a request one sent."""
    answered = meeting_service.withdraw_request(requester=g.me, request_id=request_id)
    db.session.commit()
    return request_json(answered)


@api.route("/events/<int:event_id>/requests/<int:request_id>/message", methods=["PUT"], tags=TAGS)
@api.arguments(schemas.MessageIn)
@api.response(200, schemas.MeetingRequest)
def edit_message(body: dict, request_id: int):
    """Change the message of a request one sent, while it is pending (answered: a 409 problem)."""
    changed = meeting_service.edit_message(requester=g.me, request_id=request_id, message=body["message"])
    db.session.commit()
    return request_json(changed)
