"""Organiser pages: the event's dashboard of figures and charts."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..services import dashboard as dashboard_service
from ..services import events as event_service

bp = Blueprint("dashboard", __name__, url_prefix="/organiser/events/<int:event_id>")


@bp.route("/dashboard")
@login_required
def overview(event_id: int):
    event = event_service.get_organised_event(current_user, event_id)
    return render_template("organiser/dashboard.html", event=event,
                           dashboard=dashboard_service.event_dashboard(event.id))
