"""Events as participants see them: the list, registration and profile, the directory."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models.participant import APPROVED, ORGANISATION_TYPES, SECTORS
from ..services import directory, programme, registration
from ..services import events as event_service
from ..services import meetings as meeting_service
from ..services.errors import NotFound, ServiceError
from .forms import ActionForm, ProfileForm, RequestForm
from .helpers import arg_int, flash_error, my_participation, page_size

bp = Blueprint("events", __name__)


@bp.route("/")
def index():
    mine = registration.event_ids_of(current_user) if current_user.is_authenticated else set()
    return render_template("events/index.html", events=event_service.list_events(), mine=mine)


@bp.route("/events/<int:event_id>")
def show(event_id: int):
    event = event_service.get_event(event_id)
    participant = registration.participant_for(current_user, event)
    return render_template(
        "events/show.html", event=event, participant=participant,
        registration_open=registration.registration_open(event),
        slots=event_service.event_slots(event.id),
        can_organise=current_user.is_authenticated and event_service.can_organise(current_user, event),
        programme=programme.event_programme(event.id), action_form=ActionForm(),
        chosen=programme.chosen_ids(participant) if participant else set(),
    )


def profile_from(form: ProfileForm) -> registration.Profile:
    return registration.Profile(
        organisation_name=form.organisation_name.data.strip(),
        organisation_type=form.organisation_type.data,
        country=form.country.data,
        region=(form.region.data or "").strip(),
        sectors=tuple(form.sectors.data or ()),
        description=(form.description.data or "").strip(),
        offer=(form.offer.data or "").strip(),
        seek=(form.seek.data or "").strip(),
        meeting_mode=form.meeting_mode.data,
        session_ids=tuple(form.sessions.data or ()),
        max_meetings=form.max_meetings.data,
        video_url=(form.video_url.data or "").strip(),
    )


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@login_required
def register(event_id: int):
    event = event_service.get_event(event_id)
    if registration.participant_for(current_user, event):
        return redirect(url_for("events.edit_profile", event_id=event.id))
    form = ProfileForm(event=event)
    if request.method == "GET":
        form.sessions.data = [choice.value for choice in form.sessions.choices]
    if form.validate_on_submit():
        try:
            participant = registration.register(user=current_user, event=event, profile=profile_from(form))
        except ServiceError as error:
            db.session.rollback()
            flash_error(error)
        else:
            db.session.commit()
            if participant.is_active:
                flash(_("You are registered. Find partners in the directory."), "success")
                return redirect(url_for("events.directory_page", event_id=event.id))
            flash(_("You are registered. The organisers will approve your registration."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/profile_form.html", form=form, event=event, new=True,
                           registration_open=registration.registration_open(event))


@bp.route("/events/<int:event_id>/profile", methods=["GET", "POST"])
@login_required
def edit_profile(event_id: int):
    event, participant = my_participation(event_id, active=False)
    form = ProfileForm(obj=participant, event=event)
    if request.method == "GET":
        form.sectors.data = participant.sectors
        form.sessions.data = [s.id for s in participant.sessions]
    if form.validate_on_submit():
        try:
            registration.update_profile(participant=participant, profile=profile_from(form))
        except ServiceError as error:
            db.session.rollback()
            flash_error(error)
        else:
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("events.participant", event_id=event.id, participant_id=participant.id))
    return render_template("events/profile_form.html", form=form, event=event, new=False, registration_open=True)


@bp.route("/events/<int:event_id>/participants")
@login_required
def directory_page(event_id: int):
    event, me = my_participation(event_id)
    query = directory.DirectoryQuery(
        text=request.args.get("q", "")[:200].replace("\x00", ""),
        country=request.args.get("country", "")[:2].replace("\x00", ""),
        organisation_type=request.args.get("type", "") if request.args.get("type") in ORGANISATION_TYPES else "",
        sector=request.args.get("sector", "") if request.args.get("sector") in SECTORS else "",
        status=APPROVED,
        page=arg_int("page"),
    )
    result = directory.search(event_id=event.id, query=query, page_size=page_size())
    return render_template("events/directory.html", event=event, me=me, query=query, result=result,
                           countries=directory.countries_in(event.id))


@bp.route("/events/<int:event_id>/participants/<int:participant_id>")
@login_required
def participant(event_id: int, participant_id: int):
    event, me = my_participation(event_id)
    other = registration.get_participant_in(event, participant_id)
    if not other.is_active:
        raise NotFound()
    open_request = meeting_service.open_request_between(me, other) if other.id != me.id else None
    form = RequestForm(online=meeting_service.prefers_online(me, other))
    return render_template("events/participant.html", event=event, me=me, other=other, form=form,
                           open_request=open_request, requests_open=meeting_service.requests_open(event))
