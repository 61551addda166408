"""What the meetings led to: the outcome report, its XLSX download, an agreement's printable statement."""
from __future__ import annotations

from flask import g, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...models.base import utcnow
from ...models.outcome import AGREEMENT_TYPES
from ...services import outcome_report, outcomes
from ...services import personal_data as pd
from .. import labels
from .exports import XLSX_TYPE, _audited, _download

HEADERS = {
    "meeting_id": _l("Meeting ID"), "a_organisation": _l("Organisation A"), "a_country": _l("Country A"),
    "b_organisation": _l("Organisation B"), "b_country": _l("Country B"), "attendance": _l("Attendance"),
    "a_rating": _l("Rating A"), "b_rating": _l("Rating B"), "a_comment": _l("Comment A"),
    "b_comment": _l("Comment B"), "a_followup": _l("Follow-up A"), "b_followup": _l("Follow-up B"),
    "agreement_type": _l("Type of agreement"), "confirmed": _l("Confirmed by both sides"),
    "a_benefit": _l("Benefit according to A"), "b_benefit": _l("Benefit according to B"),
    "opportunity": _l("Opportunity"),
}
_LABELS = {"attendance": labels.ATTENDANCE, "rating": labels.RATING_LABELS, "followup": labels.FOLLOWUP_LABELS,
           "agreement": labels.AGREEMENT_TYPE_LABELS, "confirmed": {"yes": _l("Yes"), "no": _l("No")}}


def _label(kind: str, code: str) -> str:
    return str(_LABELS[kind].get(code, code)) if code else ""


def outcomes_page():
    event = g.event
    return render_template("organiser/outcomes.html", event=event, report=outcome_report.report(event),
                           followup_day=outcomes.followup_day(event), deletion_due=pd.deletion_due(event),
                           agreement_types=AGREEMENT_TYPES)


def outcomes_xlsx():
    event = g.event
    data = outcome_report.to_workbook(event, [str(HEADERS[c.key]) for c in outcome_report.MEETING_COLUMNS],
                                      _label, _("Outcomes"))
    _audited(event, current_user, "outcomes.xlsx")
    return _download(data, f"event-{event.id}-outcomes.xlsx", XLSX_TYPE)


def agreement_statement(meeting_id: int):
    event = g.event
    agreement = outcome_report.agreement_of(event, meeting_id)
    _audited(event, current_user, f"print: agreement {agreement.meeting.id}")
    return render_template("organiser/print_agreement.html", event=event, agreement=agreement, now=utcnow())
