"""Imports and scheduler runs as background jobs: queued by the page, claimed once, resumable, with progress."""
from __future__ import annotations

import io
import json
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from matchmaking.background import run_queued
from matchmaking.extensions import db
from matchmaking.models import BackgroundJob, Event, Meeting, OutboxMessage, Participant, ScheduleRun, SlotBooking, User
from matchmaking.models.background_job import DONE, FAILED, QUEUED, RUNNING
from matchmaking.models.base import utcnow
from matchmaking.services import background_jobs, meetings, participant_import
from matchmaking.services.errors import NothingToSchedule, ServiceError
from tests.factories import make_event, make_user, register

PARALLEL = 8


def _rows(count: int, start: int = 0) -> list[dict[str, str]]:
    return [{"name": f"Osoba {i}", "email": f"person{i}@example.org", "organisation": f"Spółka {i}",
             "type": "company", "country": "PL"} for i in range(start, start + count)]


def _participants(event_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Participant).where(Participant.event_id == event_id))


@pytest.fixture
def world(app):
    """Two events of two organisers; the first has two participants with an accepted meeting."""
    with app.app_context():
        organiser = make_user("org@example.org", "Olga Organizatorė", organiser=True)
        event = make_event(organiser)
        a = register(make_user("a@example.org", "Agnieszka"), event)
        b = register(make_user("b@example.org", "Bērziņš"), event)
        request = meetings.request_meeting(requester=a, recipient=b, message="", online=False)
        meetings.accept_request(recipient=b, request_id=request.id)
        other_organiser = make_user("other@example.org", organiser=True)
        other = make_event(other_organiser, name="Another event")
        db.session.commit()
        return {"event": event.id, "organiser": organiser.id, "other_event": other.id,
                "other_organiser": other_organiser.id}


def _enqueue_import(world, rows, event_key="event", organiser_key="organiser") -> int:
    job = background_jobs.enqueue_import(event=db.session.get(Event, world[event_key]),
                                         actor=db.session.get(User, world[organiser_key]), rows=rows)
    db.session.commit()
    return job.id


# Queued once, claimed once ---------------------------------------------------------------------------------

def test_an_enqueued_job_is_claimed_once(app, world):
    with app.app_context():
        job_id = _enqueue_import(world, _rows(3))
        now = utcnow()

        first = background_jobs.claim(now=now)
        second = background_jobs.claim(now=now)
        db.session.commit()

        assert first == background_jobs.Claim(job_id, 1) and second is None
        job = db.session.get(BackgroundJob, job_id)
        assert (job.status, job.attempts, job.heartbeat_at) == (RUNNING, 1, now)


def test_parallel_runners_claim_a_job_once(app, world):
    """Runners in parallel threads, each with its own connection: one claims the job, the others nothing."""
    with app.app_context():
        job_id = _enqueue_import(world, _rows(3))
    barrier = threading.Barrier(PARALLEL)
    claims: list[object] = [None] * PARALLEL

    def runner(i: int) -> None:
        with app.app_context():
            from matchmaking.extensions import set_sqlite_write_intent

            set_sqlite_write_intent(True)
            barrier.wait()
            try:
                claims[i] = background_jobs.claim(now=utcnow())
                db.session.commit()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    won = [c for c in claims if c is not None]
    assert won == [background_jobs.Claim(job_id, 1)]
    with app.app_context():
        assert db.session.get(BackgroundJob, job_id).attempts == 1


def test_parallel_run_jobs_import_every_row_once(app, world):
    with app.app_context():
        job_id = _enqueue_import(world, _rows(450))
    barrier = threading.Barrier(3)
    outcomes: list[dict] = []

    def runner() -> None:
        with app.app_context():
            barrier.wait()
            try:
                outcomes.append(run_queued())
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert sorted(o["done"] for o in outcomes) == [0, 0, 1]
    with app.app_context():
        job = db.session.get(BackgroundJob, job_id)
        assert (job.status, job.progress_done, job.result) == (DONE, 450, {"imported": 450, "already_registered": 0})
        assert _participants(world["event"]) == 452


def test_an_import_reports_its_progress_chunk_by_chunk(app, world):
    with app.app_context():
        job_id = _enqueue_import(world, _rows(450))
        owned = background_jobs.claim(now=utcnow())
        seen = []
        while not background_jobs.step(owned, now=utcnow()):
            db.session.commit()
            job = db.session.get(BackgroundJob, job_id)
            seen.append((job.status, job.progress_done, job.progress_total, _participants(world["event"])))
        db.session.commit()

        assert seen == [(RUNNING, 200, 450, 202), (RUNNING, 400, 450, 402)]
        job = db.session.get(BackgroundJob, job_id)
        assert (job.status, job.progress_done, job.input) == (DONE, 450, {})  # the rows are not kept


# Resumable after a crash ------------------------------------------------------------------------------------

def test_a_crashed_import_is_claimed_again_and_completes_without_duplicates(app, world):
    """The process died after the first chunk, while the second was half written (its rows are in the
    database but the progress is not): the next runner takes the job over once its heartbeat is stale."""
    with app.app_context():
        job_id = _enqueue_import(world, _rows(450))
        rows = db.session.get(BackgroundJob, job_id).input["rows"]  # as checked
        owned = background_jobs.claim(now=utcnow())
        assert background_jobs.step(owned, now=utcnow()) is False
        db.session.commit()
        event = db.session.get(Event, world["event"])
        sessions = participant_import.all_session_ids(event)
        for row in rows[200:300]:  # half of the next chunk, committed without its progress
            participant_import.import_row(event, row, sessions)
        db.session.execute(update(BackgroundJob).values(heartbeat_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
        assert run_queued(stale_after=timedelta(hours=1)) == {"done": 0, "failed": 0, "retry": 0, "lost": 0}

        outcome = run_queued()

        assert outcome["done"] == 1
        job = db.session.get(BackgroundJob, job_id)
        assert (job.status, job.attempts, job.progress_done) == (DONE, 2, 450)
        assert job.result == {"imported": 350, "already_registered": 100}
        assert _participants(world["event"]) == 452
        emails = db.session.scalars(select(User.email).join(Participant).where(
            Participant.event_id == world["event"])).all()
        assert len(emails) == len(set(emails)) == 452


def test_a_runner_that_lost_its_claim_writes_nothing(app, world):
    with app.app_context():
        job_id = _enqueue_import(world, _rows(450))
        stale = background_jobs.claim(now=utcnow() - timedelta(minutes=30))
        db.session.commit()
        fresh = background_jobs.claim(now=utcnow())  # the first runner looked dead: taken over
        db.session.commit()
        assert fresh == background_jobs.Claim(job_id, 2)

        with pytest.raises(background_jobs.LostClaim):
            background_jobs.step(stale, now=utcnow())
        db.session.rollback()

        assert _participants(world["event"]) == 2
        assert db.session.get(BackgroundJob, job_id).progress_done == 0


def test_a_job_interrupted_three_times_fails_with_a_message(app, world):
    with app.app_context():
        job_id = _enqueue_import(world, _rows(3))
        for _attempt in range(3):
            assert background_jobs.claim(now=utcnow()) is not None
            db.session.execute(update(BackgroundJob).values(heartbeat_at=utcnow() - timedelta(hours=1)))
            db.session.commit()

        assert run_queued()["done"] == 0

        job = db.session.get(BackgroundJob, job_id)
        assert (job.status, job.attempts) == (FAILED, 4)
        assert job.error.startswith("The job was interrupted 3 times and was stopped.")
        assert job.finished_at is not None and _participants(world["event"]) == 2


# Failures are recorded with their error -------------------------------------------------------------------

def test_a_refused_import_fails_with_its_error_and_imports_nothing(app, world):
    with app.app_context():
        job_id = _enqueue_import(world, _rows(3))
        job = db.session.get(BackgroundJob, job_id)
        job.input_json = json.dumps({"rows": [*_rows(3), {**_rows(1)[0], "email": "not-an-address"}]})
        db.session.commit()

        assert run_queued()["failed"] == 1

        job = db.session.get(BackgroundJob, job_id)
        assert (job.status, job.error) == (FAILED, "Some rows have errors; nothing was imported.")
        assert background_jobs.status_of(job)["error"] == "Some rows have errors; nothing was imported."
        assert _participants(world["event"]) == 2


def test_an_unexpected_error_is_retried_then_recorded(app, world, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(participant_import, "import_row", broken)
    with app.app_context():
        job_id = _enqueue_import(world, _rows(3))

        outcome = run_queued()

        assert outcome == {"done": 0, "failed": 1, "retry": 2, "lost": 0}
        job = db.session.get(BackgroundJob, job_id)
        assert (job.status, job.attempts) == (FAILED, 3)
        assert job.error.startswith("The job failed 3 times and was stopped.")


def test_the_error_is_written_in_the_language_of_the_organiser_who_asked(app, world):
    with app.app_context():
        db.session.get(User, world["organiser"]).locale = "pl"
        job_id = _enqueue_import(world, _rows(1))
        db.session.get(BackgroundJob, job_id).input_json = json.dumps({"rows": [{**_rows(1)[0], "type": "x"}]})
        db.session.commit()

        run_queued()

        error = db.session.get(BackgroundJob, job_id).error
        assert error == "Niektóre wiersze zawierają błędy; niczego nie zaimportowano."


def test_enqueue_refuses_rows_with_errors(app, world):
    with app.app_context(), pytest.raises(ServiceError, match="Some rows have errors"):
        _enqueue_import(world, [{**_rows(1)[0], "country": "XX"}])


# Scheduler runs ------------------------------------------------------------------------------------------

def test_a_scheduler_run_job_leaves_a_draft(app, world):
    with app.app_context():
        event = db.session.get(Event, world["event"])
        job = background_jobs.enqueue_schedule_run(event=event, actor=db.session.get(User, world["organiser"]),
                                                   time_limit=2)
        again = background_jobs.enqueue_schedule_run(event=event, actor=db.session.get(User, world["organiser"]),
                                                     time_limit=2)
        db.session.commit()
        assert again.id == job.id  # a second click while it is queued does not solve twice
        assert background_jobs.active_schedule_run(event).id == job.id

        assert run_queued()["done"] == 1

        job = db.session.get(BackgroundJob, job.id)
        run = db.session.scalar(select(ScheduleRun))
        assert job.result == {"run_id": run.id, "value": 1, "bound": 1}
        assert (run.status, run.created_by_id) == ("draft", world["organiser"])


def test_nothing_to_schedule_is_said_not_crashed(app, world):
    with app.app_context():
        empty = db.session.get(Event, world["other_event"])
        with pytest.raises(NothingToSchedule, match="Nothing to schedule"):
            background_jobs.enqueue_schedule_run(event=empty, actor=db.session.get(User, world["other_organiser"]),
                                                 time_limit=2)
        # queued while there was a meeting, which is cancelled before the run starts
        event = db.session.get(Event, world["event"])
        job = background_jobs.enqueue_schedule_run(event=event, actor=db.session.get(User, world["organiser"]),
                                                   time_limit=2)
        meetings.cancel(meeting=db.session.scalar(select(Meeting)), by=None, reason="")
        db.session.commit()

        assert run_queued()["done"] == 1

        job = db.session.get(BackgroundJob, job.id)
        assert (job.status, job.result) == (DONE, {"nothing_to_schedule": True})
        assert db.session.scalar(select(func.count()).select_from(ScheduleRun)) == 0


def test_nothing_to_schedule_from_the_page_and_the_command(app, world, make_browser):
    other = make_browser()
    other.login("other@example.org")

    page = other.post(f"/organiser/events/{world['other_event']}/schedule/run", {"time_limit": "5"},
                      follow_redirects=True)
    result = app.test_cli_runner().invoke(args=["schedule", str(world["other_event"])])

    assert page.status_code == 200
    assert "Nothing to schedule: this event has no accepted meetings yet." in page.get_data(as_text=True)
    assert (result.exit_code, result.output.strip()) == (0, "Nothing to schedule: this event has no accepted "
                                                             "meetings yet.")
    assert result.exception is None
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BackgroundJob)) == 0
        assert db.session.scalar(select(func.count()).select_from(ScheduleRun)) == 0


def test_the_run_jobs_command_runs_what_is_queued_and_exits(app, world):
    with app.app_context():
        job_id = _enqueue_import(world, _rows(2))

    result = app.test_cli_runner().invoke(args=["run-jobs"])

    assert result.exit_code == 0 and "'done': 1" in result.output
    with app.app_context():
        assert db.session.get(BackgroundJob, job_id).status == DONE


# The pages: queue, progress, result; another event's job is a 404 ---------------------------------------------

def test_the_import_page_queues_a_job_whose_page_shows_progress_then_the_result(app, world, browser):
    browser.login("org@example.org")
    header = "name,email,organisation,type,country"
    lines = [header, "Anna Nowak,a@example.org,Klaster,cluster,PL",
             *(f"Osoba {i},person{i}@example.org,Spółka {i},company,PL" for i in range(3))]
    preview = browser.post(f"/organiser/events/{world['event']}/participants/import",
                           {"file": (io.BytesIO("\n".join(lines).encode()), "people.csv")},
                           content_type="multipart/form-data").get_data(as_text=True)
    assert "email: already registered for this event" in preview  # the preview refuses it ...
    lines.pop(1)
    preview = browser.post(f"/organiser/events/{world['event']}/participants/import",
                           {"file": (io.BytesIO("\n".join(lines).encode()), "people.csv")},
                           content_type="multipart/form-data").get_data(as_text=True)
    job = re.search(r'name="job" type="hidden" value="(\d+)"', preview).group(1)
    with app.app_context():  # ... and someone registers between the preview and the import
        register(make_user("person1@example.org", "Osoba 1"), db.session.get(Event, world["event"]))
        db.session.commit()

    assert browser.get(f"/organiser/events/{world['event']}/jobs/{job}").status_code == 404  # not started yet
    queued = browser.post(f"/organiser/events/{world['event']}/participants/import/confirm", {"job": job})
    job_url = queued.headers["Location"]
    waiting = browser.get(job_url).get_data(as_text=True)
    status = browser.get(job_url + "/status").get_json()

    assert queued.status_code == 302 and re.fullmatch(rf"/organiser/events/{world['event']}/jobs/\d+", job_url)
    assert "The import has started; this page shows how far it got." in waiting
    assert '<progress id="job-progress"' in waiting and 'max="3" value="0"' in waiting
    assert 'src="/static/job.js"' in waiting and ">Refresh</a>" in waiting
    assert (status["status"], status["done"], status["total"], status["finished"]) == (QUEUED, 0, 3, False)
    assert status["text"] == "Waiting for the background process to start it."

    with app.app_context():
        run_queued()
    status = browser.get(job_url + "/status").get_json()
    finished = browser.get(job_url).get_data(as_text=True)

    assert (status["status"], status["done"], status["finished"]) == (DONE, 3, True)
    assert status["result"] == {"imported": 2, "already_registered": 1}
    assert status["text"] == "2 participants imported. 1 was already registered and was left as it was."
    assert "2 participants imported. 1 was already registered and was left as it was." in finished
    assert "<progress" not in finished
    assert f'href="/organiser/events/{world["event"]}/participants" id="job-next">See the participants' in finished


def test_a_failed_job_page_shows_the_error(app, world, browser):
    with app.app_context():
        job_id = _enqueue_import(world, _rows(1))
        db.session.get(BackgroundJob, job_id).input_json = json.dumps({"rows": [{**_rows(1)[0], "email": "x"}]})
        db.session.commit()
        run_queued()
    browser.login("org@example.org")

    page = browser.get(f"/organiser/events/{world['event']}/jobs/{job_id}").get_data(as_text=True)

    assert "It failed: Some rows have errors; nothing was imported." in page
    assert 'class="flash error"' in page and "Back to the import" in page


def test_another_events_job_is_a_404(app, world, make_browser):
    with app.app_context():
        job_id = _enqueue_import(world, _rows(1))
        theirs = _enqueue_import(world, _rows(1, start=10), event_key="other_event", organiser_key="other_organiser")
    organiser = make_browser()
    organiser.login("org@example.org")
    outsider = make_browser()
    outsider.login("other@example.org")

    assert organiser.get(f"/organiser/events/{world['event']}/jobs/{job_id}/status").status_code == 200
    for path in (f"/jobs/{job_id}", f"/jobs/{job_id}/status"):
        # the other organiser, through their own event's URL and through this event's
        assert outsider.get(f"/organiser/events/{world['other_event']}{path}").status_code == 404
        assert outsider.get(f"/organiser/events/{world['event']}{path}").status_code == 404
    assert organiser.get(f"/organiser/events/{world['event']}/jobs/{theirs}/status").status_code == 404
    assert organiser.get(f"/organiser/events/{world['event']}/jobs/99999999999/status").status_code == 404


def test_the_scheduling_page_links_to_the_run_under_way(app, world, browser):
    browser.login("org@example.org")
    schedule = f"/organiser/events/{world['event']}/schedule"

    queued = browser.post(schedule + "/run", {"time_limit": "2"})
    again = browser.post(schedule + "/run", {"time_limit": "2"})
    page = browser.get(schedule).get_data(as_text=True)

    assert queued.headers["Location"] == again.headers["Location"]
    assert "A scheduler run is under way." in page and f'href="{queued.headers["Location"]}"' in page
    with app.app_context():
        run_queued()
    page = browser.get(schedule).get_data(as_text=True)
    assert "A scheduler run is under way." not in page and 'id="draft"' in page


def test_the_scheduler_process_runs_queued_jobs(app, world):
    from datetime import datetime

    from matchmaking import jobs

    with app.app_context():
        job_id = _enqueue_import(world, _rows(2))
    scheduler = jobs.start_scheduler(app, blocking=False)
    try:
        scheduler.get_job("jobs").modify(next_run_time=datetime.now().astimezone())
        for _ in range(200):
            with app.app_context():
                if db.session.get(BackgroundJob, job_id).status == DONE:
                    break
                db.session.remove()
            threading.Event().wait(0.1)
    finally:
        scheduler.shutdown(wait=True)

    with app.app_context():
        assert db.session.get(BackgroundJob, job_id).status == DONE
        assert _participants(world["event"]) == 4


# Publishing a draft ---------------------------------------------------------------------------------------

def _batch_draft(world) -> tuple[int, int]:
    """Three participants' two meetings waiting for a batch run, and the run's draft: (run id, job id)."""
    from matchmaking.services import scheduling_runs

    event = db.session.get(Event, world["event"])
    scheduling_runs.set_mode(event=event, mode="batch")
    db.session.execute(update(Meeting).values(slot_id=None, table_id=None))
    db.session.execute(SlotBooking.__table__.delete())
    c = register(make_user("c@example.org", "Cēsis"), event)
    a = db.session.scalar(select(Participant).join(User).where(User.email == "a@example.org"))
    request = meetings.request_meeting(requester=c, recipient=a, message="", online=False)
    meetings.accept_request(recipient=a, request_id=request.id)
    run = scheduling_runs.create_draft(event=event, actor=None, time_limit=2)
    job = background_jobs.enqueue_publish(event=event, actor=db.session.get(User, world["organiser"]), run=run)
    db.session.commit()
    return run.id, job.id


def _scheduled_mails() -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.kind == "meeting_scheduled").order_by(OutboxMessage.dedupe_key)))


def test_a_publish_that_died_mid_way_publishes_once_when_claimed_again(app, world, monkeypatch):
    """The process died after the meetings were written but before the job's end was committed: nothing
    of it is left (one transaction), and the next claim publishes the draft whole, with each mail once."""
    from matchmaking.services import scheduling_runs, webhooks

    with app.app_context():
        run_id, job_id = _batch_draft(world)
        before = _scheduled_mails()  # the first meeting's, when it was placed at its acceptance
        owned = background_jobs.claim(now=utcnow())
        db.session.commit()
        with monkeypatch.context() as patched:
            patched.setattr(webhooks, "emit", lambda **_kwargs: (_ for _ in ()).throw(SystemExit("killed")))
            with pytest.raises(SystemExit):
                background_jobs.step(owned, now=utcnow())
        db.session.rollback()  # the dead process's transaction never commits
        assert db.session.get(ScheduleRun, run_id).status == "draft" and _scheduled_mails() == before
        db.session.execute(update(BackgroundJob).values(heartbeat_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()

        assert run_queued()["done"] == 1
        assert run_queued()["done"] == 0  # claimed once: nothing left to do

        job = db.session.get(BackgroundJob, job_id)
        assert (job.status, job.attempts, job.result) == (DONE, 2, {"run_id": run_id, "changed": 2})
        assert db.session.get(ScheduleRun, run_id).status == "published"
        mails = _scheduled_mails()
        assert len(before) == 2 and len(mails) == len(set(mails)) == 4  # both sides of both meetings, once
        assert db.session.scalar(select(func.count()).select_from(SlotBooking)) == 4
        with pytest.raises(ServiceError, match="no longer a draft"):
            background_jobs.enqueue_publish(event=db.session.get(Event, world["event"]), actor=None,
                                            run=scheduling_runs.get_run(db.session.get(Event, world["event"]), run_id))


def test_a_publish_refused_as_stale_fails_with_the_reason_and_changes_nothing(app, world):
    with app.app_context():
        run_id, job_id = _batch_draft(world)
        before = _scheduled_mails()
        db.session.execute(update(Meeting).where(Meeting.id == db.session.scalar(select(func.min(Meeting.id))))
                           .values(cancelled_at=utcnow()))
        db.session.commit()

        assert run_queued()["failed"] == 1

        job = db.session.get(BackgroundJob, job_id)
        assert job.status == FAILED and job.error.startswith("The schedule changed since this draft was made")
        assert db.session.get(ScheduleRun, run_id).status == "draft" and _scheduled_mails() == before


def test_a_second_draft_is_refused_while_another_is_being_published(app, world):
    from matchmaking.services import scheduling_runs

    with app.app_context():
        run_id, job_id = _batch_draft(world)
        event = db.session.get(Event, world["event"])
        other = scheduling_runs.create_draft(event=event, actor=None, time_limit=2)
        same = background_jobs.enqueue_publish(event=event, actor=None, run=scheduling_runs.get_run(event, run_id))

        assert same.id == job_id
        with pytest.raises(ServiceError, match="Another draft is being published"):
            background_jobs.enqueue_publish(event=event, actor=None, run=other)
