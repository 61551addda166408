"""The event's dashboard of figures and charts."""
from __future__ import annotations

from flask import g, render_template

from ...services import dashboard as dashboard_service
from ...services import marketplace as marketplace_service


def dashboard():
    return render_template("organiser/dashboard.html", event=g.event,
                           dashboard=dashboard_service.event_dashboard(g.event.id),
                           marketplace=marketplace_service.figures(g.event.id))
