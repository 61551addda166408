"""The event's dashboard of figures and charts."""
from __future__ import annotations

from flask import g, render_template
from flask_babel import gettext as _

from ...services import dashboard as dashboard_service
from ...services import marketplace as marketplace_service
from ...services.dashboard import Dashboard, GroupFigures
from .. import charts
from ..charts import Row
from ..formatting import event_datetime
from ..labels import ORGANISATION_TYPES, country_name

GROUPS_DRAWN = 15  # the groups with most meetings are drawn; the table under each chart has them all


def dashboard():
    figures = dashboard_service.event_dashboard(g.event.id)
    return render_template("organiser/dashboard.html", event=g.event, dashboard=figures,
                           charts=_charts(figures, g.event.timezone),
                           marketplace=marketplace_service.figures(g.event.id))


def region_label(group: GroupFigures) -> str:
    country = country_name(group.country)
    return f"{group.region} ({country})" if group.region else f"{country} ({_('no region given')})"


def _charts(figures: Dashboard, zone: str) -> dict[str, charts.Chart]:
    """The dashboard's charts, drawn from the figures its tables show."""
    f = figures.funnel

    def groups(rows: tuple[GroupFigures, ...], label) -> charts.Chart:
        ranked = sorted(rows, key=lambda r: -r.meetings)  # stable: ties keep the service's order
        return charts.horizontal_bars([Row(label(r), r.meetings, r.held) for r in ranked], limit=GROUPS_DRAWN)

    return {
        "funnel": charts.horizontal_bars([
            Row(_("Meeting requests sent"), f.requests_sent), Row(_("Accepted"), f.accepted),
            Row(_("Scheduled in a slot"), f.scheduled), Row(_("Held"), f.held)]),
        "slots": charts.columns([Row(event_datetime(s.starts_at, zone, "EEE HH:mm"), s.meetings, s.held)
                                 for s in figures.slots]),
        "country": groups(figures.by_country, lambda r: country_name(r.country)),
        "type": groups(figures.by_organisation_type,
                       lambda r: str(ORGANISATION_TYPES.get(r.organisation_type, r.organisation_type))),
        "region": groups(figures.by_region, region_label),
    }
