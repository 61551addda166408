"""Registering for an event with the organisation's profile, and editing it later."""
from __future__ import annotations

from flask import g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models.base import utcnow
from ...services import registration
from ..forms import ProfileForm
from ..helpers import done


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
                           registration_open=True)
