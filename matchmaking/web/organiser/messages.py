"""Messages from the organisers to every participant or a group."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _

from ...services import outbox
from ..helpers import done
from .forms import OrganiserMessageForm


def message():
    form = OrganiserMessageForm()
    if form.validate_on_submit():
        sent = outbox.message_participants(event_id=g.event.id, subject=form.subject.data.strip(),
                                           body=form.body.data.strip(), country=form.country.data,
                                           organisation_type=form.organisation_type.data)
        return done(_("Your message is on its way to %(n)d participants.", n=sent), url_for("organiser.participants"))
    return render_template("organiser/message.html", event=g.event, form=form)
