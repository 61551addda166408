"""Downloads (CSV, XLSX) and print-ready schedules, for when the venue Wi-Fi fails."""
from __future__ import annotations

import io

from flask import Response, g, render_template, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...extensions import db
from ...models.base import utcnow
from ...services import audit, exports
from ...services.errors import NotFound

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MEETING_HEADERS = {
    "meeting_id": _l("Meeting ID"),
    "date": _l("Date"),
    "start": _l("Start"),
    "end": _l("End"),
    "table": _l("Table"),
    "a_name": _l("Participant A"),
    "a_organisation": _l("Organisation A"),
    "a_country": _l("Country A"),
    "a_email": _l("E-mail A"),
    "b_name": _l("Participant B"),
    "b_organisation": _l("Organisation B"),
    "b_country": _l("Country B"),
    "b_email": _l("E-mail B"),
    "status": _l("Status"),
    "reason": _l("Reason unscheduled"),
    "reason_about": _l("Reason concerns"),
    "attendance": _l("Attendance"),
    "opportunity_kind": _l("Opportunity kind"),
    "opportunity": _l("Opportunity"),
}

PARTICIPANT_HEADERS = {
    "participant_id": _l("Participant ID"),
    "name": _l("Name"),
    "email": _l("E-mail"),
    "organisation": _l("Organisation"),
    "organisation_type": _l("Type"),
    "country": _l("Country"),
    "region": _l("Region"),
    "sectors": _l("Sectors"),
    "offer": _l("Offer"),
    "seek": _l("Seek"),
    "meeting_mode": _l("Meeting mode"),
    "sessions": _l("Sessions"),
    "meetings": _l("Meetings scheduled"),
    "unscheduled": _l("Meetings unscheduled"),
}


def _optional_id(name: str) -> int | None:
    """``?name=<id>``: None when absent or empty; a 404 when it is not an id."""
    raw = request.args.get(name, "")
    if raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10:
        raise NotFound()
    return int(raw)


def _download(data: bytes, filename: str, mimetype: str):
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"  # personal data: e-mail addresses
    return response


def _audited(event, actor, detail: str, participant_id: int | None = None) -> None:
    """Downloads and prints carry names and e-mail addresses: each goes to the event's audit log."""
    audit.record(event=event, actor=actor, action=audit.EXPORT, detail=detail, participant_id=participant_id)
    db.session.commit()


def export_file(event, what: str, fmt: str, actor):
    """The event's meetings or participants as a CSV or XLSX download (the pages and the API)."""
    columns, headers, rows, title = {
        "meetings": (exports.MEETING_COLUMNS, MEETING_HEADERS, exports.meeting_rows, _("Meetings")),
        "participants": (exports.PARTICIPANT_COLUMNS, PARTICIPANT_HEADERS, exports.participant_rows,
                         _("Participants")),
    }[what]
    names = [str(headers[c.key]) for c in columns]
    data = rows(event)
    _audited(event, actor, f"{what}.{fmt}")
    filename = f"event-{event.id}-{what}.{fmt}"
    if fmt == "csv":  # streamed: the rows are ready, only their text is written as it goes out
        response = Response(exports.csv_chunks(columns, names, data), content_type=CSV_TYPE)
        response.headers.set("Content-Disposition", "attachment", filename=filename)
        response.headers["Cache-Control"] = "private, no-store"  # personal data: e-mail addresses
        return response
    return _download(exports.to_xlsx(columns, names, data, title=title), filename, XLSX_TYPE)


def exports_page():
    event = g.event
    return render_template("organiser/exports.html", event=event,
                           participants=exports.event_participants(event), tables=event.tables)


def export_meetings(fmt: str):
    return export_file(g.event, "meetings", fmt, current_user)


def export_participants(fmt: str):
    return export_file(g.event, "participants", fmt, current_user)


def print_participants():
    event = g.event
    participant_id = _optional_id("participant")
    schedules = exports.participant_schedules(event, participant_id)
    _audited(event, current_user, "print: participants", participant_id)
    return render_template("organiser/print_participants.html", event=event, schedules=schedules,
                           now=utcnow())


def print_tables():
    event = g.event
    plans = exports.table_plans(event, _optional_id("table"))
    _audited(event, current_user, "print: tables")
    return render_template("organiser/print_tables.html", event=event, plans=plans, now=utcnow())
