"""The organiser's API: participants (approve, reject), all meetings for sync, schedule runs (background
jobs), exports."""
from __future__ import annotations

from flask import g, url_for

from ...extensions import db
from ...models.background_job import QUEUED, RUNNING
from ...services import agenda as agenda_service
from ...services import background_jobs, directory, participants_admin, registration, scheduling_runs, shapes
from ..organiser.exports import export_file
from . import schemas
from .blueprint import organiser_api as api
from .http import PROBLEM_TYPE, idempotent, page

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


POLL_SECONDS = 5  # Retry-After of an unfinished job: the background process looks for work this often
JOB_HEADERS = {
    "Location": {"description": "The job: poll it until it is done or failed.", "schema": {"type": "string"}},
    "Retry-After": {"description": "Seconds to wait before asking again; only while the job is unfinished.",
                    "schema": {"type": "integer"}},
}
RETRY_HEADER = {"Retry-After": JOB_HEADERS["Retry-After"]}
QUEUED_EXAMPLE = {"id": 7, "kind": "schedule_run", "status": "queued", "done": 0, "total": 0, "result": {},
                  "error": "", "created_at": "2026-05-12T08:00:00Z", "finished_at": None}
DONE_EXAMPLE = {**QUEUED_EXAMPLE, "status": "done", "done": 1, "total": 1, "finished_at": "2026-05-12T08:00:14Z",
                "result": {"run_id": 3, "run": "/api/v1/organiser/events/1/schedule-runs/3", "value": 118,
                           "bound": 120}}

PUBLISH_EXAMPLE = {**QUEUED_EXAMPLE, "kind": "schedule_publish", "total": 1}


def _job(job) -> dict:
    """A job as the API shows it; a scheduler run's result links to its draft."""
    status = background_jobs.status_of(job)
    result = status["result"]
    if result.get("run_id"):
        result = {**result, "run": url_for("api_organiser.run", run_id=result["run_id"])}
    return {"id": job.id, "kind": job.kind, "status": job.status, "done": status["done"], "total": status["total"],
            "result": result, "error": status["error"], "created_at": job.created_at, "finished_at": job.finished_at}


def _job_headers(job: dict) -> dict[str, str]:
    """Where the job is, and while it is unfinished when to ask again."""
    headers = {"Location": url_for("api_organiser.job", job_id=job["id"])}
    if job["status"] in (QUEUED, RUNNING):
        headers["Retry-After"] = str(POLL_SECONDS)
    return headers


@api.route("/schedule-runs", methods=["POST"], tags=["organiser: scheduling"])
@api.arguments(schemas.RunIn)
@api.response(202, schemas.Job, description="Queued: poll the job at Location; once it is done, its result "
              "links to the draft.", headers=JOB_HEADERS, example=QUEUED_EXAMPLE)
@api.alt_response(422, schema=schemas.Problem, description="Invalid input, or nothing to schedule (code "
                  "`nothing_to_schedule`: the event has no accepted meetings).", content_type=PROBLEM_TYPE)
def start_run(body: dict):
    """Run the scheduler for the whole event, in the background; the result is a draft to review, then publish
    or discard. One run at a time: while one is queued or running, this answers with that job."""
    def create():
        job = background_jobs.enqueue_schedule_run(event=g.event, actor=g.api_user, time_limit=body["time_limit"])
        return schemas.Job().dump(_job(job)), 202

    return idempotent(create, headers=_job_headers)


@api.route("/jobs/<int:job_id>", tags=["organiser: jobs"])
@api.response(200, schemas.Job, headers=RETRY_HEADER, example=DONE_EXAMPLE)
def job(job_id: int):
    """Long work of the event (a scheduler run, an import): its progress, then its result or why it failed."""
    found = _job(background_jobs.get_job(g.event, job_id))
    return found, 200, {k: v for k, v in _job_headers(found).items() if k == "Retry-After"}


@api.route("/schedule-runs/<int:run_id>", tags=["organiser: scheduling"])
@api.response(200, schemas.Run)
def run(run_id: int):
    """A run; a draft with what publishing it would change."""
    return _run(scheduling_runs.get_run(g.event, run_id))


@api.route("/schedule-runs/<int:run_id>/publish", methods=["POST"], tags=["organiser: scheduling"])
@api.response(202, schemas.Job, description="Queued: poll the job at Location; once it is done, its result "
              "says how many meetings changed.", headers=JOB_HEADERS, example=PUBLISH_EXAMPLE)
@api.alt_response(409, schema=schemas.Problem, description="The run is no longer a draft, or another draft is "
                  "being published.", content_type=PROBLEM_TYPE)
def publish_run(run_id: int):
    """Publish a draft, in the background and in one transaction: every scheduled meeting is then pinned,
    and both sides of each changed meeting get an e-mail. While it is queued or running, asking again
    answers with the same job. The job fails, its ``error`` saying why, if the live schedule changed
    since the draft was made."""
    def create():
        job = background_jobs.enqueue_publish(event=g.event, actor=g.api_user,
                                              run=scheduling_runs.get_run(g.event, run_id))
        return schemas.Job().dump(_job(job)), 202

    return idempotent(create, headers=_job_headers)


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
