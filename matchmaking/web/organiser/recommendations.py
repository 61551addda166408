"""Partner recommendations for the organiser: who marked whom interesting, and computing them again."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...services import background_jobs
from ...services import recommendations as recommendation_service
from ..forms import ActionForm
from ..helpers import done, valid


def interest():
    """Per participant, whom they marked interested; mutual interest first and highlighted."""
    return render_template("organiser/interest.html", event=g.event,
                           interest=recommendation_service.interest_of(g.event), action_form=ActionForm())


def refresh_recommendations():
    """Queue the ranking in the background (or show the one already waiting): never computed here."""
    valid(ActionForm())
    job = background_jobs.enqueue_recommendations(event=g.event, actor=current_user)
    return done(_("The recommendations are being computed; this page shows when they are ready."),
                url_for("organiser.job", job_id=job.id))
