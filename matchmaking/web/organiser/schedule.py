"""Scheduling runs: the mode, a draft, its review, publish or discard, released pins."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...services import background_jobs, scheduling_runs
from ..forms import ActionForm
from ..helpers import done, valid
from .forms import ScheduleRunForm, SchedulingModeForm


def schedule():
    event = g.event
    draft = scheduling_runs.latest_draft(event)
    return render_template(
        "organiser/schedule.html", event=event, counts=scheduling_runs.meeting_counts(event), draft=draft,
        review=scheduling_runs.review(draft) if draft else None, runs=scheduling_runs.recent_runs(event),
        running=background_jobs.active_schedule_run(event), publishing=background_jobs.active_publish(event),
        mode_form=SchedulingModeForm(mode=event.scheduling_mode), run_form=ScheduleRunForm(), action_form=ActionForm(),
    )


def scheduling_mode():
    form = valid(SchedulingModeForm())
    scheduling_runs.set_mode(event=g.event, mode=form.mode.data)
    return done(_("Scheduling mode saved."), _schedule_page())


def run_scheduler():
    form = valid(ScheduleRunForm())
    job = background_jobs.enqueue_schedule_run(event=g.event, actor=current_user, time_limit=form.time_limit.data)
    return done(_("The scheduler is running; this page shows when the draft is ready."),
                url_for("organiser.job", job_id=job.id))


def publish_run(run_id: int):
    """Queue the publishing (tens of thousands of meetings and their mails take longer than a request
    may): the job's page shows when it is done."""
    found = scheduling_runs.get_run(g.event, run_id)
    valid(ActionForm())
    job = background_jobs.enqueue_publish(event=g.event, actor=current_user, run=found)
    return done(_("The schedule is being published; this page shows when it is done."),
                url_for("organiser.job", job_id=job.id))


def discard_run(run_id: int):
    found = scheduling_runs.get_run(g.event, run_id)
    valid(ActionForm())
    scheduling_runs.discard(run=found)
    return done(_("Draft discarded; nothing changed."), _schedule_page())


def release_pins():
    valid(ActionForm())
    released = scheduling_runs.release_pins(event=g.event)
    return done(_("%(n)d meetings released: the next run may move them.", n=released), _schedule_page())


def _schedule_page() -> str:
    return url_for("organiser.schedule")
