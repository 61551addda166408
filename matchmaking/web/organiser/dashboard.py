"""The event's dashboard of figures and charts."""
from __future__ import annotations

from flask import g, render_template

from ...services import dashboard as dashboard_service


def dashboard():
    return render_template("organiser/dashboard.html", event=g.event,
                           dashboard=dashboard_service.event_dashboard(g.event.id))
