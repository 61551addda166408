"""The caller's meetings: the list, one meeting, cancel with a reason, attendance; the agenda."""
from __future__ import annotations

from flask import g

from ...extensions import db
from ...models.base import utcnow
from ...services import agenda as agenda_service
from ...services import meetings as meeting_service
from ...services import shapes
from . import schemas
from .blueprint import participant_api as api

TAGS = ["meetings"]


def shown(meeting) -> dict:
    """A meeting as its participant may see it: time and table only once the schedule is published,
    the partner's contact details while it is not cancelled."""
    return shapes.meeting_data(meeting, None if g.event.schedule_visible(utcnow()) else shapes.NO_PLACE,
                               viewer=g.me)


@api.route("/events/<int:event_id>/meetings", tags=TAGS)
@api.response(200, schemas.Meeting(many=True))
def list_meetings():
    """The caller's accepted meetings: scheduled in time order, then those still waiting for a place."""
    scheduled, unscheduled = agenda_service.agenda(g.me)
    return [shown(m) for m in scheduled + unscheduled]


@api.route("/events/<int:event_id>/meetings/<int:meeting_id>", tags=TAGS)
@api.response(200, schemas.Meeting)
def meeting(meeting_id: int):
    """One of the caller's meetings (cancelled ones too); another's is a 404."""
    return shown(meeting_service.get_meeting_for(g.me, meeting_id))


@api.route("/events/<int:event_id>/meetings/<int:meeting_id>/cancel", methods=["POST"], tags=TAGS)
@api.arguments(schemas.CancelIn)
@api.response(200, schemas.Meeting)
def cancel_meeting(body: dict, meeting_id: int):
    """Cancel a meeting; the partner sees the reason."""
    found = meeting_service.get_meeting_for(g.me, meeting_id)
    meeting_service.cancel_meeting(participant=g.me, meeting_id=found.id, reason=body["reason"])
    db.session.commit()
    return shown(found)


@api.route("/events/<int:event_id>/meetings/<int:meeting_id>/attendance", methods=["PUT"], tags=TAGS)
@api.arguments(schemas.AttendanceIn)
@api.response(200, schemas.Meeting)
def attendance(body: dict, meeting_id: int):
    """Mark a started meeting held or no-show (null clears it)."""
    found = meeting_service.get_meeting_for(g.me, meeting_id)
    meeting_service.mark_attendance(meeting=found, by=g.api_user, value=body["value"])
    db.session.commit()
    return shown(found)


@api.route("/events/<int:event_id>/agenda", tags=TAGS)
@api.response(200, schemas.Agenda)
def agenda():
    """The caller's agenda: meetings and programme sessions in time order, and meetings without a place."""
    published = g.event.schedule_visible(utcnow())
    _scheduled, unscheduled = agenda_service.agenda(g.me)
    entries = agenda_service.agenda_entries(g.me) if published else []
    return {"published": published, "unscheduled": [shown(m) for m in unscheduled],
            "entries": [{"starts_at": e.starts_at, "ends_at": e.ends_at, "session": e.session,
                         "meeting": shown(e.meeting) if e.meeting else None} for e in entries
                        if e.meeting or e.session]}
