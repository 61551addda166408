"""Personal data of the event: the audit log of what organisers did with it, and when it is deleted."""
from __future__ import annotations

from flask import g, make_response, render_template

from ...services import audit, outcomes, personal_data
from ..helpers import arg_int


def audit_log():
    response = make_response(render_template(
        "organiser/audit.html", event=g.event, result=audit.entries_of(event=g.event, page=arg_int("page")),
        deletion_due=personal_data.deletion_due(g.event), followup_closes=outcomes.followup_closes(g.event)))
    response.headers["Cache-Control"] = "private, no-store"
    return response
