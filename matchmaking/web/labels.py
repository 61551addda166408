"""Translatable labels for the codes the models store."""
from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from ..models import meeting as reasons
from ..models.participant import COUNTRY_CODES
from ..services import time_windows
from ..services.outcomes import (  # noqa: F401 (the pages read them here, as labels.X)
    AGREEMENT_FAMILY_LABELS,
    AGREEMENT_TYPE_LABELS,
    FOLLOWUP_LABELS,
    RATING_LABELS,
)
from ..services.vocabulary import (  # noqa: F401 (the pages read them here, as labels.X)
    MATCHING_KINDS,
    ORGANISATION_TYPES,
    SECTORS,
    country_name,
    partner_reason,
    sector_names,
)

MEETING_MODES = {
    "onsite": _l("On site"),
    "online": _l("Online"),
    "both": _l("On site or online"),
}

VISIBILITIES = {
    "all": _l("All participants"),
    "organisers": _l("Organisers only"),
}

REQUEST_STATUSES = {
    "pending": _l("Pending"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
    "cancelled": _l("Cancelled"),
    "expired": _l("Expired at the deadline"),
}


def country_choices() -> list[tuple[str, str]]:
    return sorted(((c, country_name(c)) for c in COUNTRY_CODES), key=lambda pair: pair[1])


PARTICIPANT_STATUSES = {"approved": _l("Approved"), "pending": _l("Awaiting approval"),
                        "rejected": _l("Rejected"), "deactivated": _l("Deactivated")}
PROGRAMME_KINDS = {
    "plenary": _l("Plenary"),
    "workshop": _l("Workshop"),
    "study_visit": _l("Study visit"),
    "online": _l("Online meeting"),
    "networking": _l("Networking"),
    "break": _l("Break"),
}
ATTENDANCE = {"held": _l("Held"), "no_show": _l("No-show")}
WEBHOOK_STATUSES = {"pending": _l("Pending"), "delivered": _l("Delivered"), "failed": _l("Failed")}
AUDIT_ACTIONS = {
    "export": _l("Downloaded or printed"),
    "edit_profile": _l("Edited a profile on the participant's behalf"),
    "approve": _l("Approved"),
    "reject": _l("Rejected"),
    "deactivate": _l("Deactivated"),
    "reactivate": _l("Reactivated"),
    "import": _l("Imported participants"),
    "account_deleted": _l("The participant deleted their account"),
    "purge": _l("Personal data deleted after the retention period"),
    "hide_opportunity": _l("Marketplace opportunity hidden"),
    "unhide_opportunity": _l("Marketplace opportunity shown again"),
}
OPPORTUNITY_KINDS = {"offer": _l("Offer"), "request": _l("Request"),
                     "partnership": _l("Partnership / project partner search")}
OPPORTUNITY_STATUSES = {"published": _l("Published"), "withdrawn": _l("Withdrawn"),
                        "hidden_by_organiser": _l("Hidden by the organisers")}
# The default marketplace categories, after the Enterprise Europe Network's partnership types.
OPPORTUNITY_CATEGORIES = {
    "commercial_agency": _l("Business cooperation: commercial agency"),
    "distribution": _l("Business cooperation: distribution services"),
    "subcontracting": _l("Business cooperation: subcontracting"),
    "outsourcing": _l("Business cooperation: outsourcing"),
    "joint_venture": _l("Business cooperation: joint venture"),
    "manufacturing_agreement": _l("Business cooperation: manufacturing agreement"),
    "licensing": _l("Technology cooperation: licensing"),
    "technical_cooperation": _l("Technology cooperation: technical cooperation"),
    "research_consortium": _l("Research cooperation: project consortium"),
    "partner_search_call": _l("Research cooperation: partner search for a call"),
}


def category_name(code: str, name: str = "") -> str:
    """A marketplace category as shown: the organiser's name, else the default's translated label."""
    return name or str(OPPORTUNITY_CATEGORIES.get(code, code))


def event_category_name(event, code: str) -> str:
    """The name of ``code`` in the event's list (a code since removed: its default label, or the code)."""
    names = {item.get("code"): item.get("name", "") for item in event.opportunity_categories or ()
             if isinstance(item, dict)}
    return category_name(code, names.get(code) or "")


RUN_STATUSES = {"draft": _l("Draft"), "published": _l("Published"), "discarded": _l("Discarded")}


def unscheduled_reason(meeting) -> str:
    """Why an accepted meeting has no slot, in words."""
    return reason_text(meeting.unscheduled_reason, meeting.unscheduled_participant_id, meeting)


def reason_text(reason: str | None, participant_id: int | None, meeting) -> str:
    """A reason code in words; ``participant_id`` names the side it is about."""
    who = meeting.participant_a if participant_id == meeting.participant_a_id else meeting.participant_b
    if reason == reasons.NO_COMMON_SESSION:
        return str(_l("You attend no meeting session in common."))
    if reason == reasons.PARTICIPANT_FULL:
        return str(_l("%(name)s (%(organisation)s) has no free slot left in your common sessions.",
                      name=who.name, organisation=who.organisation_name))
    if reason == reasons.MAX_MEETINGS_REACHED:
        return str(_l("%(name)s (%(organisation)s) already has as many meetings as they want.",
                      name=who.name, organisation=who.organisation_name))
    if reason == reasons.NO_COMMON_FREE_SLOT:
        return str(_l("Every slot you both attend is already taken for one of you."))
    if reason == reasons.NO_TABLE_FREE:
        return str(_l("No table is free in the slots you both have free."))
    if reason == reasons.OUTSIDE_WINDOW:
        return str(_l("You both have free slots, but none in the time window you agreed on."))
    if reason == reasons.WAITING_FOR_BATCH:
        return str(_l("The organiser schedules all meetings in one run; it will get its time then."))
    return str(_l("Waiting to be scheduled."))


def time_window(window: time_windows.Window) -> str:
    """A time window in words, for a list of choices: "Any time", "Wed 20 May, morning"."""
    return str(_l("Any time")) if window.is_any else time_windows.describe(window)


def request_window(meeting_request) -> str:
    """The time window a request carries, in words ("any time" too)."""
    return time_windows.describe(time_windows.of_request(meeting_request))


def day_name(day) -> str:
    """A day of the event, as the pages show it: "Wed 20 May"."""
    return format_date(day, "EEE d MMM")
