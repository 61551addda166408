"""The event's look: logo, banner and accent colour."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _

from ...services import branding
from ..helpers import done, upload_of
from .forms import LookForm


def look():
    event = g.event
    form = LookForm(accent=event.accent_color or branding.DEFAULT_ACCENT)
    if form.validate_on_submit():
        branding.set_event_look(event=event, accent=form.accent.data or "",
                                logo=upload_of(form.logo) or None, banner=upload_of(form.banner) or None,
                                remove_logo=bool(form.remove_logo.data), remove_banner=bool(form.remove_banner.data))
        return done(_("The event's look is saved."), url_for("organiser.look"))
    return render_template("organiser/look.html", form=form, event=event)
