"""The organiser's API: participants (approve, reject), all meetings for sync, schedule runs, exports."""
from __future__ import annotations

from flask import g

from ...extensions import db
from ...services import agenda as agenda_service
from ...services import directory, participants_admin, registration, scheduling_runs, shapes
from ..organiser.exports import export_file
from . import schemas
from .blueprint import organiser_api as api
from .http import idempotent, page

DECISIONS = {"approve": participants_admin.approve, "reject": participants_admin.reject}


@api.route("/participants", tags=["organiser: participants"])
@api.arguments(schemas.ParticipantArgs, location="query")
@api.response(200, schemas.page_of(schemas.OrganiserParticipant, "OrganiserParticipantPage"))
def participants(args: dict):
    """Every participant of the event, with a status filter and words to look for."""
    result = directory.search(event_id=g.event.id, page_size=args["per_page"], query=directory.DirectoryQuery(
        text=args["q"].replace("\x00", ""), status=args["status"] or None, page=args["page"]))
    return page([_participant(p) for p in result.participants], total=result.total, page=result.page,
                per_page=args["per_page"])


def _participant(p) -> dict:
    from .account import registration_of

    return {**registration_of(p), "email": p.email}


@api.route("/participants/<int:participant_id>/<any(approve, reject):decision>", methods=["POST"],
           tags=["organiser: participants"])
@api.response(200, schemas.OrganiserParticipant)
def decide(participant_id: int, decision: str):
    """Approve or reject a registration that waits for approval."""
    found = registration.get_participant_in(g.event, participant_id)
    DECISIONS[decision](found, actor=g.api_user)
    db.session.commit()
    return _participant(found)


@api.route("/meetings", tags=["organiser: meetings"])
@api.arguments(schemas.MeetingArgs, location="query")
@api.response(200, schemas.page_of(schemas.Meeting, "MeetingPage"))
def meetings(args: dict):
    """All meetings of the event, cancelled ones too, oldest change first: sync with ``updated_since``
    (the ``updated_at`` of the last meeting you saw)."""
    found, total = agenda_service.event_meetings_changed(g.event.id, since=args["updated_since"],
                                                        page=args["page"], per_page=args["per_page"])
    places = shapes.Places(g.event.id)
    return page([shapes.meeting_data(m, places) for m in found], total=total, page=args["page"],
                per_page=args["per_page"])


def _run(run) -> dict:
    review = scheduling_runs.review(run) if run.status == "draft" else None
    return {"id": run.id, "status": run.status, "value": run.value, "bound": run.bound,
            "created_at": run.created_at, "counts": review.counts if review else {},
            "stale": review.stale if review else False}


@api.route("/schedule-runs", methods=["POST"], tags=["organiser: scheduling"])
@api.arguments(schemas.RunIn)
@api.response(201, schemas.Run)
def start_run(body: dict):
    """Run the scheduler for the whole event; the result is a draft to review, then publish or discard."""
    def create():
        draft = scheduling_runs.create_draft(event=g.event, actor=g.api_user, time_limit=body["time_limit"])
        return schemas.Run().dump(_run(draft)), 201

    return idempotent(create)


@api.route("/schedule-runs/<int:run_id>", tags=["organiser: scheduling"])
@api.response(200, schemas.Run)
def run(run_id: int):
    """A run; a draft with what publishing it would change."""
    return _run(scheduling_runs.get_run(g.event, run_id))


@api.route("/schedule-runs/<int:run_id>/publish", methods=["POST"], tags=["organiser: scheduling"])
@api.response(200, schemas.Published)
def publish_run(run_id: int):
    """Publish a draft in one transaction: every scheduled meeting is then pinned."""
    changed = scheduling_runs.publish(run=scheduling_runs.get_run(g.event, run_id))
    db.session.commit()
    return {"changed": len(changed)}


@api.route("/schedule-runs/<int:run_id>/discard", methods=["POST"], tags=["organiser: scheduling"])
@api.response(200, schemas.Run)
def discard_run(run_id: int):
    """Discard a draft; nothing changes."""
    found = scheduling_runs.get_run(g.event, run_id)
    scheduling_runs.discard(run=found)
    db.session.commit()
    return _run(found)


@api.route("/exports/<any(meetings, participants):what>", tags=["organiser: exports"])
@api.arguments(schemas.ExportArgs, location="query")
@api.response(200, description="A CSV or XLSX file.", content_type="text/csv")
def export(args: dict, what: str):
    """The meetings or participants as CSV (UTF-8 with BOM) or XLSX, as on the exports page."""
    return export_file(g.event, what, args["format"], actor=g.api_user)
