"""The organiser's scheduling runs: mode, draft, review, publish."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..extensions import db
from ..models import Meeting, ScheduleRun
from ..services import events as event_service
from ..services import scheduling_runs
from .forms import ActionForm, ScheduleRunForm, SchedulingModeForm
from .helpers import commit_or_flash

bp = Blueprint("schedule", __name__, url_prefix="/organiser/events/<int:event_id>/schedule")


def _event(event_id: int):
    return event_service.get_organised_event(current_user, event_id)


def _back(event_id: int):
    return redirect(url_for("schedule.overview", event_id=event_id))


def _counts(event_id: int) -> dict[str, int]:
    live = (Meeting.event_id == event_id, Meeting.cancelled_at.is_(None))
    count = lambda *where: db.session.scalar(select(func.count()).select_from(Meeting).where(*live, *where))  # noqa: E731
    return {"scheduled": count(Meeting.slot_id.is_not(None)), "unscheduled": count(Meeting.slot_id.is_(None)),
            "pinned": count(Meeting.pinned.is_(True))}


@bp.route("")
@login_required
def overview(event_id: int):
    event = _event(event_id)
    draft = scheduling_runs.latest_draft(event)
    runs = db.session.scalars(select(ScheduleRun).where(ScheduleRun.event_id == event.id)
                              .order_by(ScheduleRun.id.desc()).limit(10)).all()
    return render_template(
        "organiser/schedule.html", event=event, counts=_counts(event.id), draft=draft,
        review=scheduling_runs.review(draft) if draft else None, runs=runs,
        mode_form=SchedulingModeForm(mode=event.scheduling_mode), run_form=ScheduleRunForm(), action_form=ActionForm(),
    )


@bp.route("/mode", methods=["POST"])
@login_required
def mode(event_id: int):
    event = _event(event_id)
    form = SchedulingModeForm()
    if form.validate_on_submit():
        scheduling_runs.set_mode(event=event, mode=form.mode.data)
        db.session.commit()
        flash(_("Scheduling mode saved."), "success")
    else:
        flash(_("Choose a scheduling mode from the list."), "error")
    return _back(event.id)


@bp.route("/run", methods=["POST"])
@login_required
def run(event_id: int):
    event = _event(event_id)
    form = ScheduleRunForm()
    if not form.validate_on_submit():
        for message in form.time_limit.errors:
            flash(f"{form.time_limit.label.text}: {message}", "error")
        return _back(event.id)
    commit_or_flash(
        lambda: scheduling_runs.create_draft(event=event, actor=current_user, time_limit=form.time_limit.data),
        lambda draft: _("Draft ready: %(value)d meetings scheduled (at most %(bound)d are possible). "
                        "Review it, then publish.", value=draft.value, bound=draft.bound))
    return _back(event.id)


@bp.route("/runs/<int:run_id>/publish", methods=["POST"])
@login_required
def publish(event_id: int, run_id: int):
    event = _event(event_id)
    found = scheduling_runs.get_run(event, run_id)
    if ActionForm().validate_on_submit():
        commit_or_flash(lambda: scheduling_runs.publish(run=found), lambda changed: _(
            "Schedule published: %(n)d meetings changed; every scheduled meeting is now pinned.", n=len(changed)))
    return _back(event.id)


@bp.route("/runs/<int:run_id>/discard", methods=["POST"])
@login_required
def discard(event_id: int, run_id: int):
    event = _event(event_id)
    found = scheduling_runs.get_run(event, run_id)
    if ActionForm().validate_on_submit():
        commit_or_flash(lambda: scheduling_runs.discard(run=found), _("Draft discarded; nothing changed."))
    return _back(event.id)


@bp.route("/release", methods=["POST"])
@login_required
def release(event_id: int):
    event = _event(event_id)
    if ActionForm().validate_on_submit():
        released = scheduling_runs.release_pins(event=event)
        db.session.commit()
        flash(_("%(n)d meetings released: the next run may move them.", n=released), "success")
    return _back(event.id)
