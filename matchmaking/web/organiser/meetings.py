"""Meetings: the list, the schedule grid, one meeting, and the organiser's hand changes."""
from __future__ import annotations

from datetime import date

from flask import g, jsonify, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models.base import utcnow
from ...services import agenda as agenda_service
from ...services import checkin, directory, manual_schedule, meeting_list, outcomes
from ...services import events as event_service
from ...services import meetings as meeting_service
from ...services.grid import schedule_grid
from ..formatting import event_datetime, event_time
from ..forms import AttendanceForm, CancelForm, options
from ..helpers import arg_int, arg_text, done, flash_form_errors, safe_path, valid
from ..labels import unscheduled_reason
from .forms import ArrangeForm, MoveForm


def _arg_date(name: str) -> date | None:
    try:
        return date.fromisoformat(arg_text(name, 10))
    except ValueError:
        return None


def _arg_id(name: str) -> int | None:
    value = arg_int(name, 0)
    return value or None


def meetings():
    """All meetings, filtered, sorted and paged in SQL; unknown filter values are ignored."""
    event = g.event
    status, sort = arg_text("status", 20), arg_text("sort", 20)
    wanted = meeting_list.MeetingFilter(
        status=status if status in meeting_list.STATUSES else "scheduled", day=_arg_date("day"),
        slot_id=_arg_id("slot"), table_id=_arg_id("table"), who=arg_text("who", 100),
        opportunity_id=_arg_id("opportunity"), sort=sort if sort in meeting_list.SORTS else "time")
    result = meeting_list.meeting_page(event, wanted, arg_int("page"))
    now = utcnow()
    return render_template("organiser/meetings.html", event=event, wanted=wanted, result=result,
                           slots=event_service.event_slots(event.id), attendance_form=AttendanceForm(), now=now,
                           late=checkin.not_checked_in(list(result.meetings), event=event, now=now))


def grid():
    text = arg_text("q")
    found = schedule_grid(event_id=g.event.id, text=text, page=arg_int("page"), day=_arg_date("day"),
                          online=arg_text("show", 10) == "online")
    return render_template("organiser/grid.html", event=g.event, q=text, grid=found, move_form=MoveForm(),
                           late=checkin.not_checked_in(list(found.cells.values()), event=g.event))


def meeting(meeting_id: int):
    found = agenda_service.get_event_meeting(g.event.id, meeting_id)
    move_form = MoveForm(slot_id=found.slot_id or 0, table_id=found.table_id or 0)
    _place_choices(move_form)
    return render_template("organiser/meeting.html", event=g.event, meeting=found, move_form=move_form,
                           cancel_form=CancelForm(), attendance_form=AttendanceForm(value=found.attendance or ""),
                           started=found.slot is not None and found.slot.starts_at <= utcnow(),
                           outcomes=outcomes.both_sides(found),
                           reason=unscheduled_reason(found) if not found.slot_id else "")


def move(meeting_id: int):
    found = agenda_service.get_event_meeting(g.event.id, meeting_id)
    form = valid(MoveForm())
    manual_schedule.move_meeting(event=g.event, meeting_id=found.id, slot_id=form.slot_id.data,
                                 table_id=form.table_id.data or None)
    # the grid's drag and drop comes back to the grid page it was on
    return done(_("Meeting moved and pinned."),
                safe_path(arg_text("next", 1000)) or url_for("organiser.meeting", meeting_id=found.id))


def move_check(meeting_id: int):
    """Whether the move form would take the meeting to ``slot`` and ``table`` (0: online), as JSON for
    the grid's drag and drop (``static/grid.js``): ``{"ok": true}`` or ``{"ok": false, "reason": ...}``."""
    refusal = manual_schedule.move_refusal(event=g.event, meeting_id=meeting_id, slot_id=arg_int("slot", 0),
                                           table_id=arg_int("table", 0) or None)
    return jsonify({"ok": refusal is None, "reason": refusal.message if refusal else ""})


def cancel(meeting_id: int):
    found = agenda_service.get_event_meeting(g.event.id, meeting_id)
    form = valid(CancelForm())
    manual_schedule.cancel_by_organiser(event=g.event, meeting_id=found.id, reason=form.reason.data)
    return done(_("Meeting cancelled."), url_for("organiser.grid"))


def attendance(meeting_id: int):
    found = agenda_service.get_event_meeting(g.event.id, meeting_id)
    form = valid(AttendanceForm())
    meeting_service.mark_attendance(meeting=found, by=current_user, value=form.value.data or None)
    return done(_("Attendance recorded."), url_for("organiser.meetings"))


def arrange():
    form = ArrangeForm(slot_id=arg_int("slot", 0), table_id=arg_int("table", 0))
    form.participant_a.choices = form.participant_b.choices = options(
        (p.id, f"{p.organisation_name} ({p.name})") for p in directory.all_participants(g.event.id))
    _place_choices(form)
    if form.validate_on_submit():
        made = manual_schedule.arrange_meeting(
            event=g.event, participant_a_id=form.participant_a.data, participant_b_id=form.participant_b.data,
            online=bool(form.online.data), slot_id=form.slot_id.data or None, table_id=form.table_id.data or None)
        message = _("Meeting arranged.") if made.slot_id else _(
            "Meeting arranged, but not scheduled: %(why)s", why=unscheduled_reason(made))
        return done(message, url_for("organiser.meeting", meeting_id=made.id))
    if form.is_submitted():
        flash_form_errors(form)
    return render_template("organiser/arrange.html", event=g.event, form=form)


def _place_choices(form) -> None:
    """Slots in local time and tables, for the move and arrange forms."""
    event = g.event
    first = [(0, _("First that fits"))] if isinstance(form, ArrangeForm) else []
    zone = event.timezone
    form.slot_id.choices = options(first + [
        (s.id, f"{event_datetime(s.starts_at, zone, 'EEE d MMM HH:mm')}–{event_time(s.ends_at, zone)}")
        for s in event_service.event_slots(event.id)])
    no_table = _("None (online)") if isinstance(form, MoveForm) else _("Any free table")
    form.table_id.choices = options([(0, no_table)] + [(t.id, t.name) for t in event.tables])
