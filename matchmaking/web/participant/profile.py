"""Registering for an event with the organisation's profile, and editing it later."""
from __future__ import annotations

from flask import g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models.base import utcnow
from ...services import branding, registration
from ..forms import ActionForm, ProfileForm
from ..helpers import done, upload_of, valid
from .forms import LogoForm


def register():
    event = g.event
    if g.me is not None:
        return redirect(url_for("participant.profile"))
    form = ProfileForm(event=event)
    if not form.is_submitted():
        form.sessions.data = [choice.value for choice in form.sessions.choices]  # every session, to start with
    if form.validate_on_submit():
        me = registration.register(user=current_user, event=event, profile=form.profile())
        if me.is_active and event.requires_opportunity:
            return done(_("You are registered. This event asks you to publish a first opportunity in its "
                          "marketplace before you request meetings."), url_for("participant.new_opportunity"))
        if me.is_active:
            return done(_("You are registered. Find partners in the directory."), url_for("participant.directory"))
        return done(_("You are registered. The organisers will approve your registration."),
                    url_for("participant.event"))
    return render_template("participant/profile_form.html", form=form, event=event, new=True,
                           registration_open=event.registration_open(utcnow()))


def profile():
    form = ProfileForm.of(registration.Profile.of(g.me), event=g.event)
    if form.validate_on_submit():
        registration.update_profile(participant=g.me, profile=form.profile())
        return done(_("Your profile is saved."), url_for("participant.partner", participant_id=g.me.id))
    return render_template("participant/profile_form.html", form=form, event=g.event, new=False,
                           registration_open=True, me=g.me, logo_form=LogoForm(), action_form=ActionForm())


def upload_logo():
    """One's own logo: the URL names no participant, so nobody reaches another's."""
    form = valid(LogoForm())
    branding.set_participant_logo(participant=g.me, data=upload_of(form.logo))
    return done(_("Your logo is saved."), url_for("participant.profile"))


def remove_logo():
    valid(ActionForm())
    branding.remove_participant_logo(participant=g.me)
    return done(_("Your logo is removed."), url_for("participant.profile"))
