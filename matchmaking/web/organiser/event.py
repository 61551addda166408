"""The events an organiser runs: the list, a new event, its details."""
from __future__ import annotations

from flask import g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...services import events as event_service
from ...services.timezones import to_local, to_utc
from ..forms import translated_form
from ..helpers import done, other_languages, translations_of
from .forms import EVENT_TRANSLATIONS, EventForm

DATE_FIELDS = ("registration_opens_at", "registration_deadline", "requests_open_at", "request_deadline",
               "schedule_published_at")


def index():
    return render_template("organiser/index.html", events=event_service.events_organised_by(current_user))


def new_event():
    form = _event_form()
    if form.validate_on_submit():
        event = event_service.create_event(organiser=current_user, details=_details(form))
        return done(_("The event is created. Now add its days, meeting sessions and tables."),
                    url_for("organiser.setup", event_id=event.id))
    return render_template("organiser/event_form.html", form=form, event=None)


def edit_event():
    event = g.event
    form = _event_form(obj=event)
    if request.method == "GET":
        for code, texts in (event.translations or {}).items():
            for name, text in texts.items():
                if hasattr(form, f"{name}_{code}"):
                    getattr(form, f"{name}_{code}").data = text
        for name in DATE_FIELDS:
            value = getattr(event, name)
            getattr(form, name).data = to_local(value, event.timezone).replace(tzinfo=None) if value else None
    if form.validate_on_submit():
        event_service.update_event(event=event, details=_details(form, event))
        return done(_("The event is saved."), url_for("organiser.setup"))
    return render_template("organiser/event_form.html", form=form, event=event)


def _event_form(**kwargs):
    return translated_form(EventForm, EVENT_TRANSLATIONS, other_languages())(**kwargs)


def _details(form: EventForm, event=None) -> event_service.EventDetails:
    """The form's details; a retention period left empty keeps the event's (90 days for a new one)."""
    tz = form.timezone.data.strip()
    retention = form.retention_days.data
    local = {name: getattr(form, name).data for name in DATE_FIELDS}
    return event_service.EventDetails(
        name=form.name.data.strip(), venue=(form.venue.data or "").strip(),
        description=(form.description.data or "").strip(), timezone=tz,
        privacy_notice=(form.privacy_notice.data or "").strip(),
        requires_approval=bool(form.requires_approval.data),
        retention_days=retention if retention is not None else (event.retention_days if event is not None else 90),
        must_meet_quota=(form.must_meet_quota.data if form.must_meet_quota.data is not None
                         else event.must_meet_quota if event is not None else 3),
        followup_enabled=bool(form.followup_enabled.data),
        followup_on=form.followup_on.data,
        translations=translations_of(form, EVENT_TRANSLATIONS, other_languages()),
        **{name: to_utc(value, tz) if value else None for name, value in local.items()},
    )
