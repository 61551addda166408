"""Recommended partners: the list the background process computed, and the participant's marks on it."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _

from ...models.recommendation import INTERESTED
from ...services import recommendations as recommendation_service
from ..forms import ActionForm
from ..helpers import done, valid


def recommendations():
    """Only reads what is stored: the ranking itself never runs in a web request."""
    return render_template("participant/recommendations.html", event=g.event, me=g.me,
                           suggestions=recommendation_service.recommended_for(g.me),
                           computed=recommendation_service.has_been_computed(g.event), action_form=ActionForm())


def mark_partner(participant_id: int, mark: str):
    valid(ActionForm())
    recommendation_service.mark(viewer=g.me, other_id=participant_id, mark=mark)
    message = (_("Marked as interesting. The organisers see it when they plan the meetings.") if mark == INTERESTED
               else _("We will not recommend this participant to you again."))
    return done(message, url_for("participant.recommendations"))
