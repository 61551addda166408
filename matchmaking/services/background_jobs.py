"""Long work as background jobs: queued by a web request, claimed once by the background process.

A web request only queues a row (``enqueue_schedule_run``; an import's rows are stored when its
check page is shown, ``enqueue_import(confirmed=False)``, and queued by ``confirm_import``) and
shows it (``status_of``). The runner (``matchmaking.background``) claims the oldest due job with a
conditional update (``claim``), so of two processes exactly one gets it, then calls ``step`` until
the job is finished, committing after each step. Each step writes its progress with a conditional
update that only the current claim may make (``record``): a runner that lost its claim (its
heartbeat went stale and another process took the job over) cannot write over the new one.

A job whose process died is left ``running`` with a stale heartbeat; the next ``claim`` takes it
again and it continues from the progress it recorded. After MAX_ATTEMPTS claims it fails with a
message. An import commits CHUNK rows at a time; importing is idempotent per e-mail address (a row
whose address is already registered for the event is counted as such and skipped), so a chunk that
is done twice does no harm. Publishing a draft run is one step, so one transaction: it commits whole
with the job's end, or not at all, and is then done again whole by the next claim.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, delete, or_, select, update

from ..extensions import db
from ..models import BackgroundJob, Event, ScheduleRun, User
from ..models.background_job import (
    CHECKED,
    DONE,
    FAILED,
    PARTICIPANT_IMPORT,
    QUEUED,
    RECOMMENDATIONS,
    RUNNING,
    SCHEDULE_PUBLISH,
    SCHEDULE_RUN,
)
from ..models.schedule_run import DRAFT
from . import audit, participant_import, recommendations, scheduling_runs
from .errors import Conflict, NothingToSchedule, ServiceError
from .lookup import one_of_event

CHUNK = 200  # import rows per transaction: the progress the page shows, and the work redone after a crash
STALE_AFTER = timedelta(minutes=10)  # a running job whose heartbeat is older was abandoned by its process
MAX_ATTEMPTS = 3  # claims before a job that keeps stopping is failed
PREVIEW_MAX_AGE = timedelta(hours=1)  # an import's check page may be confirmed this long


class LostClaim(Exception):
    """Another process took the job over (this one was presumed dead): stop without writing."""


@dataclass(frozen=True)
class Claim:
    """A job this process owns: its id and the claim's number (the job's ``attempts`` at the claim)."""

    job_id: int
    attempt: int


def enqueue_import(*, event: Event, actor: User, rows: list[dict[str, str]], confirmed: bool = True) -> BackgroundJob:
    """Queue the import of checked rows; refused when a row has an error (the check page shows them).

    ``confirmed=False`` keeps the rows for the check page's "Import" button (``confirm_import``): they
    stay on the server, so however large the file, the confirmation posts only the job's id."""
    checked = participant_import.check_rows(event, rows, registered_is_error=False)
    if not checked or any(row.errors for row in checked):
        raise ServiceError(_("Some rows have errors; nothing was imported."))
    return _enqueue(event, actor, PARTICIPANT_IMPORT, {"rows": [row.values for row in checked]}, total=len(checked),
                    status=QUEUED if confirmed else CHECKED)


def confirm_import(*, event: Event, job_id: int, now: datetime) -> BackgroundJob:
    """Queue an import the organiser saw checked; refused once it is older than PREVIEW_MAX_AGE (or
    already confirmed: a second click queues nothing more)."""
    job = one_of_event(BackgroundJob, event.id, job_id, BackgroundJob.kind == PARTICIPANT_IMPORT)
    confirmed = db.session.execute(
        update(BackgroundJob).where(BackgroundJob.id == job.id, BackgroundJob.status == CHECKED,
                                    BackgroundJob.created_at >= now - PREVIEW_MAX_AGE)
        .values(status=QUEUED).execution_options(synchronize_session=False))
    if confirmed.rowcount != 1:
        raise ServiceError(_("The preview expired; upload the file again."))
    db.session.refresh(job)
    return job


def forget_unconfirmed(*, now: datetime) -> int:
    """Delete the checked imports nobody confirmed in time, and the people's data they hold."""
    return db.session.execute(delete(BackgroundJob).where(
        BackgroundJob.status == CHECKED, BackgroundJob.created_at < now - PREVIEW_MAX_AGE)).rowcount


def enqueue_schedule_run(*, event: Event, actor: User, time_limit: float) -> BackgroundJob:
    """Queue a scheduler run, or give the one already queued or running for the event (a second
    click must not solve twice). An event without meetings is refused: nothing to schedule."""
    scheduling_runs.ensure_something_to_schedule(event)
    active = active_schedule_run(event)
    if active is not None:
        return active
    return _enqueue(event, actor, SCHEDULE_RUN, {"time_limit": float(time_limit)}, total=0)


def active_schedule_run(event: Event) -> BackgroundJob | None:
    """The scheduler run queued or running for the event, if any (the scheduling page links to it)."""
    return db.session.scalar(select(BackgroundJob).where(
        BackgroundJob.event_id == event.id, BackgroundJob.kind == SCHEDULE_RUN,
        BackgroundJob.status.in_((QUEUED, RUNNING))).order_by(BackgroundJob.id).limit(1))


def enqueue_publish(*, event: Event, actor: User, run: ScheduleRun) -> BackgroundJob:
    """Queue the publishing of a draft run, or give the job already publishing it (a second click, a
    retried API call, must not publish twice). A run that is no longer a draft is refused, and so is a
    draft while another one is being published (publishing it discards this one)."""
    if run.status != DRAFT:
        raise Conflict(_("This run is no longer a draft."))
    active = active_publish(event)
    if active is not None:
        if active.input.get("run_id") == run.id:
            return active
        raise Conflict(_("Another draft is being published; wait until it is done."))
    return _enqueue(event, actor, SCHEDULE_PUBLISH, {"run_id": run.id}, total=1)


def active_publish(event: Event) -> BackgroundJob | None:
    """The publishing queued or running for the event, if any (the scheduling page links to it)."""
    return db.session.scalar(select(BackgroundJob).where(
        BackgroundJob.event_id == event.id, BackgroundJob.kind == SCHEDULE_PUBLISH,
        BackgroundJob.status.in_((QUEUED, RUNNING))).order_by(BackgroundJob.id).limit(1))


def enqueue_recommendations(*, event: Event, actor: User | None = None,
                            on_change: bool = False) -> BackgroundJob | None:
    """Queue the ranking of the event's partners, or give the one already waiting: however many
    profiles change before the background process gets to it, it ranks once, with all of them.

    A job already running does not count: it may have read the profiles before this change.
    ``on_change``: queued because a profile changed, which the setting RECOMMENDATIONS_ON_CHANGE
    may turn off (None is returned then); the organiser's button always queues."""
    if on_change and not current_app.config.get("RECOMMENDATIONS_ON_CHANGE", True):
        return None
    waiting = db.session.scalar(select(BackgroundJob).where(
        BackgroundJob.event_id == event.id, BackgroundJob.kind == RECOMMENDATIONS,
        BackgroundJob.status == QUEUED).order_by(BackgroundJob.id).limit(1))
    if waiting is not None:
        return waiting
    return _enqueue(event, actor, RECOMMENDATIONS, {}, total=0)


def _enqueue(event: Event, actor: User | None, kind: str, payload: dict, *, total: int,
             status: str = QUEUED) -> BackgroundJob:
    job = BackgroundJob(kind=kind, event_id=event.id, requested_by_id=actor.id if actor else None, status=status,
                        progress_total=total,
                        input_json=json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
                        result_json="{}", error="", attempts=0, progress_done=0)
    db.session.add(job)
    db.session.flush()
    return job


def get_job(event: Event, job_id: int) -> BackgroundJob:
    """A started job of this event (another event's job does not exist for this organiser)."""
    return one_of_event(BackgroundJob, event.id, job_id, BackgroundJob.status != CHECKED)


def status_of(job: BackgroundJob) -> dict:
    """What the job page polls: status, progress and (once finished) the result or the error."""
    return {"id": job.id, "kind": job.kind, "status": job.status, "done": job.progress_done,
            "total": job.progress_total, "finished": job.finished, "result": job.result,
            "error": job.error if job.status == FAILED else ""}


# The runner's side -------------------------------------------------------------------------------

def _due(now: datetime, stale_after: timedelta):
    return or_(BackgroundJob.status == QUEUED,
               and_(BackgroundJob.status == RUNNING, BackgroundJob.heartbeat_at < now - stale_after))


def claim(*, now: datetime, stale_after: timedelta = STALE_AFTER) -> Claim | None:
    """Take the oldest queued job, or a running one whose heartbeat is stale; None when none is due.

    The conditional UPDATE re-checks that the job is still due, so of two processes that pick the
    same row one updates it and the other updates nothing. A job claimed more than MAX_ATTEMPTS
    times is failed instead of run again."""
    while True:
        job_id = db.session.scalar(select(BackgroundJob.id).where(_due(now, stale_after))
                                   .order_by(BackgroundJob.id).limit(1))
        if job_id is None:
            return None
        taken = db.session.execute(
            update(BackgroundJob).where(BackgroundJob.id == job_id, _due(now, stale_after))
            .values(status=RUNNING, attempts=BackgroundJob.attempts + 1, claimed_at=now, heartbeat_at=now)
            .execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            continue  # another process took it between the select and the update
        attempt = db.session.scalar(select(BackgroundJob.attempts).where(BackgroundJob.id == job_id))
        if attempt > MAX_ATTEMPTS:
            _finish(Claim(job_id, attempt), now, status=FAILED, error=_(
                "The job was interrupted %(num)d times and was stopped. Start it again; if it stops again, "
                "tell the site's administrator.", num=MAX_ATTEMPTS))
            continue
        return Claim(job_id, attempt)


def record(owned: Claim, now: datetime, **values) -> None:
    """Write progress (and the heartbeat) only while this claim still owns the job."""
    written = db.session.execute(
        update(BackgroundJob).where(BackgroundJob.id == owned.job_id, BackgroundJob.attempts == owned.attempt,
                                    BackgroundJob.status == RUNNING)
        .values(heartbeat_at=now, **values).execution_options(synchronize_session=False))
    if written.rowcount != 1:
        raise LostClaim()


def _finish(owned: Claim, now: datetime, *, status: str, result: dict | None = None, error: str = "",
            **values) -> None:
    extra = {"result_json": json.dumps(result, separators=(",", ":"))} if result is not None else {}
    # The input of an import is people's personal data: once the job is over, only the result is kept.
    record(owned, now, status=status, error=error, finished_at=now, input_json="{}", **extra, **values)


def fail(owned: Claim, now: datetime, message: str) -> None:
    """The job cannot succeed (a refused row, an infeasible schedule): record why, for the organiser."""
    _finish(owned, now, status=FAILED, error=message)


def release(owned: Claim, now: datetime, error: str) -> str:
    """An unexpected error: queue the job again (it resumes from its progress) until it has used
    MAX_ATTEMPTS claims, then fail it with a message; the status it is left in."""
    if owned.attempt >= MAX_ATTEMPTS:
        fail(owned, now, _("The job failed %(num)d times and was stopped. Start it again; if it fails again, "
                           "tell the site's administrator.", num=MAX_ATTEMPTS))
        return FAILED
    record(owned, now, status=QUEUED, error=error[:2000])
    return QUEUED


def step(owned: Claim, *, now: datetime) -> bool:
    """Do the next piece of the job and record it (flushed, not committed); True once it is finished.

    Raises ServiceError when the job cannot succeed (the runner records it with ``fail``) and
    LostClaim when another process owns the job now."""
    job = db.session.get(BackgroundJob, owned.job_id)
    db.session.refresh(job)
    event = db.session.get(Event, job.event_id)
    if job.kind == PARTICIPANT_IMPORT:
        return _import_chunk(owned, job, event, now)
    if job.kind == SCHEDULE_RUN:
        return _schedule_run(owned, job, event, now)
    if job.kind == RECOMMENDATIONS:
        return _recommendations_step(owned, job, event, now)
    if job.kind == SCHEDULE_PUBLISH:
        return _publish(owned, job, now)
    raise ServiceError(_("Unknown kind of job."))


def _recommendations_step(owned: Claim, job: BackgroundJob, event: Event, now: datetime) -> bool:
    """First list the participants whose sentences are not encoded yet (all of them after an import,
    one after a profile changed), then encode them a chunk per step (the progress bar counts them; a
    crash redoes one chunk), then rank everyone from the stored vectors and store the lists that
    changed (the last unit of progress)."""
    engine = current_app.config.get("MATCHING_ENGINE", "auto")
    if job.progress_total == 0:
        todo = recommendations.to_encode(event, engine=engine)
        record(owned, now, progress_total=len(todo) + 1,
               input_json=json.dumps({"encode": todo}, separators=(",", ":")))
        return False
    todo = job.input.get("encode", [])
    if job.progress_done < len(todo):
        chunk = todo[job.progress_done:job.progress_done + recommendations.ENCODE_CHUNK]
        recommendations.encode_some(event=event, participant_ids=chunk, engine=engine)
        record(owned, now, progress_done=job.progress_done + len(chunk))
        return False
    result = recommendations.compute(event=event, now=now, engine=engine)
    _finish(owned, now, status=DONE, result=result, progress_done=job.progress_total)
    return True


def _import_chunk(owned: Claim, job: BackgroundJob, event: Event, now: datetime) -> bool:
    rows = job.input.get("rows", [])
    start = job.progress_done
    if start == 0:  # nothing imported yet: the whole file is checked again before the first row
        checked = participant_import.check_rows(event, rows, registered_is_error=False)
        if not checked or any(row.errors for row in checked):
            raise ServiceError(_("Some rows have errors; nothing was imported."))
    chunk = rows[start:start + CHUNK]
    already = participant_import.registered_emails(event, [row["email"] for row in chunk])
    sessions = participant_import.all_session_ids(event)
    counts = {"imported": 0, "already_registered": 0, **job.result}
    for row in chunk:
        if row["email"] in already:
            counts["already_registered"] += 1
        else:
            participant_import.import_row(event, row, sessions)
            counts["imported"] += 1
    done = start + len(chunk)
    result = json.dumps(counts, separators=(",", ":"))
    if done >= len(rows):
        audit.record(event=event, actor=job.requested_by, action=audit.IMPORT, detail=str(counts["imported"]))
        _finish(owned, now, status=DONE, result=counts, progress_done=done)
        return True
    record(owned, now, progress_done=done, result_json=result)
    return False


def _schedule_run(owned: Claim, job: BackgroundJob, event: Event, now: datetime) -> bool:
    actor = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
    try:
        run = scheduling_runs.create_draft(event=event, actor=actor,
                                           time_limit=float(job.input.get("time_limit", 10.0)))
    except NothingToSchedule:  # the meetings were cancelled since the run was asked for
        _finish(owned, now, status=DONE, result={"nothing_to_schedule": True})
        return True
    _finish(owned, now, status=DONE, result={"run_id": run.id, "value": run.value, "bound": run.bound},
            progress_done=1, progress_total=1)
    return True


def _publish(owned: Claim, job: BackgroundJob, now: datetime) -> bool:
    """Publish the draft in one step, so in one transaction with the job's end: the meetings, their
    bookings, the mails and the webhooks commit together with "done", or not at all. A process that dies
    mid-way leaves the draft a draft and the job claimable again; the next claim publishes it whole,
    once (a published run is no longer a draft, and the mails carry de-duplication keys)."""
    run = db.session.get(ScheduleRun, job.input.get("run_id"))
    if run is None:
        raise ServiceError(_("This run no longer exists."))
    changed = scheduling_runs.publish(run=run)
    _finish(owned, now, status=DONE, result={"run_id": run.id, "changed": len(changed)}, progress_done=1,
            progress_total=1)
    return True


def requester_locale(owned: Claim) -> str | None:
    """The language of the organiser who asked: refusals recorded for them are written in it."""
    return db.session.scalar(select(User.locale).join(BackgroundJob, BackgroundJob.requested_by_id == User.id)
                             .where(BackgroundJob.id == owned.job_id))
