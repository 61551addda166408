"""The organiser's pages: set up an event, see its participants and meetings."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models.base import utcnow
from ..models.participant import PARTICIPANT_STATUSES
from ..services import agenda as agenda_service
from ..services import directory, programme, registration
from ..services import events as event_service
from ..services.errors import NotFound, ServiceError
from ..services.timezones import to_utc
from .formatting import event_datetime
from .forms import (
    EVENT_TRANSLATIONS,
    PROGRAMME_TRANSLATIONS,
    ActionForm,
    AttendanceForm,
    DayForm,
    EventForm,
    OrganiserForm,
    ProgrammeForm,
    SessionForm,
    TableForm,
    TableOwnerForm,
    TablesForm,
    options,
    translated_form,
)
from .helpers import (
    arg_int,
    commit_or_flash,
    flash_error,
    flash_form_errors,
    other_languages,
    record_attendance,
    translations_of,
)

bp = Blueprint("organiser", __name__, url_prefix="/organiser")


def _event_form(**kwargs):
    return translated_form(EventForm, EVENT_TRANSLATIONS, other_languages())(**kwargs)


def _details(form: EventForm) -> event_service.EventDetails:
    tz = form.timezone.data.strip()

    def utc(field):
        return to_utc(field.data, tz) if field.data else None

    return event_service.EventDetails(
        name=form.name.data.strip(), venue=(form.venue.data or "").strip(),
        description=(form.description.data or "").strip(), timezone=tz,
        registration_deadline=to_utc(form.registration_deadline.data, tz) if form.registration_deadline.data else None,
        request_deadline=to_utc(form.request_deadline.data, tz) if form.request_deadline.data else None,
        requires_approval=bool(form.requires_approval.data),
        registration_opens_at=utc(form.registration_opens_at), requests_open_at=utc(form.requests_open_at),
        schedule_published_at=utc(form.schedule_published_at),
        translations=translations_of(form, EVENT_TRANSLATIONS, other_languages()),
    )


def _event(event_id: int):
    return event_service.get_organised_event(current_user, event_id)


def _back(event_id: int):
    return redirect(url_for("organiser.setup", event_id=event_id))


def _run(event_id: int, action, success: str):
    """Run a set-up change, flash the outcome, and go back to the set-up page."""
    commit_or_flash(action, success)
    return _back(event_id)




@bp.route("/")
@login_required
def index():
    if not (current_user.is_organiser or current_user.is_admin):
        raise NotFound()
    return render_template("organiser/index.html", events=event_service.events_organised_by(current_user))


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new_event():
    if not (current_user.is_organiser or current_user.is_admin):
        raise NotFound()
    form = _event_form()
    if form.validate_on_submit():
        try:
            event = event_service.create_event(organiser=current_user, details=_details(form))
        except ServiceError as error:
            db.session.rollback()
            flash_error(error)
        else:
            db.session.commit()
            flash(_("The event is created. Now add its days, meeting sessions and tables."), "success")
            return _back(event.id)
    return render_template("organiser/event_form.html", form=form, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit_event(event_id: int):
    event = _event(event_id)
    form = _event_form(obj=event)
    if form.is_submitted() is False:
        for code, fields in (event.translations or {}).items():
            for name, text in fields.items():
                if hasattr(form, f"{name}_{code}"):
                    getattr(form, f"{name}_{code}").data = text
        from ..services.timezones import to_local

        for field in ("registration_opens_at", "registration_deadline", "requests_open_at", "request_deadline",
                      "schedule_published_at"):
            value = getattr(event, field)
            getattr(form, field).data = to_local(value, event.timezone).replace(tzinfo=None) if value else None
    if form.validate_on_submit():
        try:
            event_service.update_event(event=event, details=_details(form))
        except ServiceError as error:
            db.session.rollback()
            flash_error(error)
        else:
            db.session.commit()
            flash(_("The event is saved."), "success")
            return _back(event.id)
    return render_template("organiser/event_form.html", form=form, event=event)


@bp.route("/events/<int:event_id>")
@login_required
def setup(event_id: int):
    event = _event(event_id)
    return render_template(
        "organiser/setup.html", event=event, day_form=DayForm(), session_form=SessionForm(),
        programme_form=translated_form(ProgrammeForm, PROGRAMME_TRANSLATIONS, other_languages())(),
        programme=programme.event_programme(event.id),
        tables_form=TablesForm(), organiser_form=OrganiserForm(),
        action_form=ActionForm(), slots=event_service.event_slots(event.id),
    )


@bp.route("/events/<int:event_id>/tables/<int:table_id>", methods=["GET", "POST"])
@login_required
def table(event_id: int, table_id: int):
    event = _event(event_id)
    found = event_service.get_table(event, table_id)
    form = TableForm(obj=found)
    form.closed.choices = options((s.id, f"{event_datetime(s.starts_at, event.timezone, 'EEE d MMM HH:mm')}")
                                  for s in event_service.event_slots(event.id))
    if request.method == "GET":
        form.closed.data = [s.id for s in found.closed_slots]
    if form.validate_on_submit() and commit_or_flash(lambda: event_service.update_table(
        table=found, name=form.name.data, location=form.location.data or "",
        closed_slot_ids=set(form.closed.data or ()),
    ) or True, _("Table saved.")):
        return redirect(url_for("organiser.table", event_id=event.id, table_id=found.id))
    participants = directory.search(event_id=event.id, query=directory.DirectoryQuery(), page_size=10_000)
    owner_form = TableOwnerForm()
    owner_form.participant_id.choices = options([(0, "—")] + [
        (p.id, f"{p.organisation_name} ({p.name})") for p in participants.participants
    ])
    return render_template("organiser/table.html", event=event, table=found, owner_form=owner_form,
                           action_form=ActionForm(), form=form)


@bp.route("/events/<int:event_id>/days", methods=["POST"])
@login_required
def add_day(event_id: int):
    event = _event(event_id)
    form = DayForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(event.id)
    return _run(event.id, lambda: event_service.add_day(event=event, day=form.date.data), _("Day added."))


@bp.route("/events/<int:event_id>/days/<int:day_id>/delete", methods=["POST"])
@login_required
def delete_day(event_id: int, day_id: int):
    event = _event(event_id)
    day = event_service.get_day(event, day_id)
    if not ActionForm().validate_on_submit():
        return _back(event.id)
    return _run(event.id, lambda: event_service.delete_day(day=day), _("Day removed."))


@bp.route("/events/<int:event_id>/days/<int:day_id>/sessions", methods=["POST"])
@login_required
def add_session(event_id: int, day_id: int):
    event = _event(event_id)
    day = event_service.get_day(event, day_id)
    form = SessionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(event.id)
    return _run(event.id, lambda: event_service.add_session(
        day=day, name=(form.name.data or "").strip(), start=form.start.data, end=form.end.data,
        slot_minutes=form.slot_minutes.data, breaks=(form.breaks.data or "").strip(),
    ), _("Meeting session added; its slots are listed below."))


@bp.route("/events/<int:event_id>/sessions/<int:session_id>/delete", methods=["POST"])
@login_required
def delete_session(event_id: int, session_id: int):
    event = _event(event_id)
    session = event_service.get_session(event, session_id)
    if not ActionForm().validate_on_submit():
        return _back(event.id)
    return _run(event.id, lambda: event_service.delete_session(session=session), _("Session removed."))


@bp.route("/events/<int:event_id>/tables", methods=["POST"])
@login_required
def add_tables(event_id: int):
    event = _event(event_id)
    form = TablesForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(event.id)
    names = [n for n in (form.names.data or "").splitlines() if n.strip()]
    if not names:
        names = event_service.numbered_table_names(event, form.count.data, (form.prefix.data or "").strip())
    return _run(event.id, lambda: event_service.add_tables(event=event, names=names), _("Tables added."))


@bp.route("/events/<int:event_id>/tables/<int:table_id>/owner", methods=["POST"])
@login_required
def table_owner(event_id: int, table_id: int):
    event = _event(event_id)
    table = event_service.get_table(event, table_id)
    form = TableOwnerForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(event.id)
    participant = registration.get_participant_in(event, form.participant_id.data) if form.participant_id.data else None
    return _run(event.id, lambda: event_service.set_table_owner(table=table, participant=participant),
                _("Table updated."))


@bp.route("/events/<int:event_id>/tables/<int:table_id>/delete", methods=["POST"])
@login_required
def delete_table(event_id: int, table_id: int):
    event = _event(event_id)
    table = event_service.get_table(event, table_id)
    if not ActionForm().validate_on_submit():
        return _back(event.id)
    return _run(event.id, lambda: event_service.delete_table(table=table), _("Table removed."))


@bp.route("/events/<int:event_id>/organisers", methods=["POST"])
@login_required
def add_organiser(event_id: int):
    event = _event(event_id)
    form = OrganiserForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(event.id)
    return _run(event.id, lambda: event_service.add_organiser(event=event, email=form.email.data),
                _("Organiser added."))


@bp.route("/events/<int:event_id>/participants")
@login_required
def participants(event_id: int):
    event = _event(event_id)
    status = request.args.get("status", "")
    status = status if status in PARTICIPANT_STATUSES else ""
    text = request.args.get("q", "")[:200].replace("\x00", "")
    result = directory.search(event_id=event.id, page_size=100, query=directory.DirectoryQuery(
        text=text, status=status or None, page=arg_int("page")))
    return render_template("organiser/participants.html", event=event, result=result, status=status, q=text,
                           action_form=ActionForm())


@bp.route("/events/<int:event_id>/meetings")
@login_required
def meetings(event_id: int):
    event = _event(event_id)
    scheduled, unscheduled = agenda_service.event_meetings(event.id)
    return render_template("organiser/meetings.html", event=event, scheduled=scheduled, unscheduled=unscheduled,
                           attendance_form=AttendanceForm(), now=utcnow())


@bp.route("/events/<int:event_id>/meetings/<int:meeting_id>/attendance", methods=["POST"])
@login_required
def attendance(event_id: int, meeting_id: int):
    event = _event(event_id)
    meeting = agenda_service.get_event_meeting(event.id, meeting_id)
    record_attendance(meeting, current_user, _("Attendance recorded."))
    return redirect(url_for("organiser.meetings", event_id=event.id))
