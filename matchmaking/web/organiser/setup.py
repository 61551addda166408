"""Set-up: days and meeting sessions, tables and their closed slots, exhibitors, co-organisers."""
from __future__ import annotations

from flask import current_app, g, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...services import directory, invitations, programme, registration
from ...services import events as event_service
from ..formatting import event_datetime
from ..forms import ActionForm, options, translated_form
from ..helpers import done, other_languages, valid
from .forms import (
    PROGRAMME_TRANSLATIONS,
    DayForm,
    OrganiserForm,
    ProgrammeForm,
    SessionForm,
    TableForm,
    TableOwnerForm,
    TablesForm,
)


def setup():
    event = g.event
    return render_template(
        "organiser/setup.html", event=event, day_form=DayForm(), session_form=SessionForm(),
        programme_form=translated_form(ProgrammeForm, PROGRAMME_TRANSLATIONS, other_languages())(),
        programme=programme.event_programme(event.id), attendees=programme.attendee_counts(event.id),
        tables_form=TablesForm(), organiser_form=OrganiserForm(),
        invitations=invitations.pending_invitations(event.id),
        action_form=ActionForm(), slots=event_service.event_slots(event.id),
    )


def add_day():
    form = valid(DayForm())
    event_service.add_day(event=g.event, day=form.date.data)
    return done(_("Day added."), _setup_page())


def delete_day(day_id: int):
    day = event_service.get_day(g.event, day_id)
    valid(ActionForm())
    event_service.delete_day(day=day)
    return done(_("Day removed."), _setup_page())


def add_session(day_id: int):
    day = event_service.get_day(g.event, day_id)
    form = valid(SessionForm())
    event_service.add_session(day=day, name=(form.name.data or "").strip(), start=form.start.data,
                              end=form.end.data, slot_minutes=form.slot_minutes.data,
                              breaks=(form.breaks.data or "").strip())
    return done(_("Meeting session added; its slots are listed below."), _setup_page())


def delete_session(session_id: int):
    session = event_service.get_session(g.event, session_id)
    valid(ActionForm())
    event_service.delete_session(session=session)
    return done(_("Session removed."), _setup_page())


def add_tables():
    form = valid(TablesForm())
    names = [n for n in (form.names.data or "").splitlines() if n.strip()]
    if not names:
        names = event_service.numbered_table_names(g.event, form.count.data, (form.prefix.data or "").strip())
    event_service.add_tables(event=g.event, names=names)
    return done(_("Tables added."), _setup_page())


def table(table_id: int):
    event = g.event
    found = event_service.get_table(event, table_id)
    form = TableForm(obj=found)
    form.closed.choices = options((s.id, event_datetime(s.starts_at, event.timezone, "EEE d MMM HH:mm"))
                                  for s in event_service.event_slots(event.id))
    if request.method == "GET":
        form.closed.data = [s.id for s in found.closed_slots]
    if form.validate_on_submit():
        event_service.update_table(table=found, name=form.name.data, location=form.location.data or "",
                                   closed_slot_ids=set(form.closed.data or ()))
        return done(_("Table saved."), url_for("organiser.table", table_id=found.id))
    owner_form = TableOwnerForm()
    owner_form.participant_id.choices = options([(0, "—")] + [
        (p.id, f"{p.organisation_name} ({p.name})") for p in directory.all_participants(event.id)
    ])
    return render_template("organiser/table.html", event=event, table=found, owner_form=owner_form,
                           action_form=ActionForm(), form=form)


def table_owner(table_id: int):
    found = event_service.get_table(g.event, table_id)
    form = valid(TableOwnerForm())
    owner = registration.get_participant_in(g.event, form.participant_id.data) if form.participant_id.data else None
    event_service.set_table_owner(table=found, participant=owner)
    return done(_("Table updated."), _setup_page())


def delete_table(table_id: int):
    found = event_service.get_table(g.event, table_id)
    valid(ActionForm())
    event_service.delete_table(table=found)
    return done(_("Table removed."), _setup_page())


def invite_organiser():
    """Invite a co-organiser by e-mail: they become one only when they accept (see services.invitations)."""
    form = valid(OrganiserForm())
    invitations.invite_organiser(event=g.event, inviter=current_user, email=form.email.data,
                                 secret_key=current_app.config["SECRET_KEY"], locale=str(get_locale() or "") or None)
    return done(_("Invitation sent to %(email)s. They become an organiser when they accept it.",
                  email=form.email.data.strip()), _setup_page())


def revoke_invitation(invitation_id: int):
    valid(ActionForm())
    invitation = invitations.revoke_invitation(event=g.event, invitation_id=invitation_id)
    return done(_("The invitation to %(email)s is withdrawn.", email=invitation.email), _setup_page())


def _setup_page() -> str:
    return url_for("organiser.setup")


