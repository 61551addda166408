"""Participants' contact details: checked when saved, shown to a partner only while they have a meeting.

A brokerage meeting is the point where two organisations agree to talk, so that is when each gets
the other's e-mail, phone, website and LinkedIn: on the meeting's page and calendar entry, the
partner's profile page and the API's answer for that meeting. Until then (and again once the
meeting is cancelled) nothing of it is shown to other participants; organisers always see it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from ..extensions import db
from ..models import Meeting, Participant
from .errors import ServiceError
from .text import has_control_characters

PHONE_MAX, URL_MAX = 40, 300
# Digits with the usual separators and an optional leading +: "+48 58 123 45 67", "(371) 6700-1234".
_PHONE = re.compile(r"\+?[0-9 ()./-]{3,39}")


@dataclass(frozen=True)
class Contacts:
    """How to reach a participant; empty strings for what they did not give."""

    email: str
    phone: str
    website: str
    linkedin: str

    def as_dict(self) -> dict[str, str]:
        return {"email": self.email, "phone": self.phone, "website": self.website, "linkedin": self.linkedin}


def contacts_of(participant: Participant) -> Contacts:
    return Contacts(email=participant.user.email, phone=participant.phone, website=participant.website,
                    linkedin=participant.linkedin)


def is_web_address(value: str) -> bool:
    """An http(s) address with a host and nothing that breaks a line: never ``javascript:`` or ``data:``."""
    if has_control_characters(value) or " " in value:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # a malformed IPv6 host, for one
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def is_linkedin_address(value: str) -> bool:
    if not is_web_address(value):
        return False
    host = urlsplit(value).hostname or ""
    return host == "linkedin.com" or host.endswith(".linkedin.com")


def is_phone_number(value: str) -> bool:
    return bool(_PHONE.fullmatch(value)) and any(c.isdigit() for c in value)


def check(*, phone: str, website: str, linkedin: str) -> None:
    """Refuse contact details that are not what they claim to be (the forms check the same first)."""
    if phone and (len(phone) > PHONE_MAX or not is_phone_number(phone)):
        raise ServiceError(_("Enter a phone number with digits, spaces and + ( ) - . / only."))
    if website and (len(website) > URL_MAX or not is_web_address(website)):
        raise ServiceError(_("Enter a web address starting with https:// or http://"))
    if linkedin and (len(linkedin) > URL_MAX or not is_linkedin_address(linkedin)):
        raise ServiceError(_("Enter a LinkedIn address, such as https://www.linkedin.com/company/..."))


def partner_contacts(meeting: Meeting, me: Participant) -> Contacts | None:
    """The other side's contact details for one side of the meeting; None once it is cancelled."""
    if not meeting.is_live or me.id not in (meeting.participant_a_id, meeting.participant_b_id):
        return None
    return contacts_of(meeting.other(me.id))


def shared_between(me: Participant, other: Participant) -> Contacts | None:
    """``other``'s contact details when the two have a meeting that is not cancelled, else None."""
    if me.id == other.id or me.event_id != other.event_id:
        return None
    live = db.session.scalar(select(Meeting.id).where(
        Meeting.event_id == me.event_id, Meeting.is_live,
        or_(and_(Meeting.participant_a_id == me.id, Meeting.participant_b_id == other.id),
            and_(Meeting.participant_a_id == other.id, Meeting.participant_b_id == me.id))).limit(1))
    return contacts_of(other) if live is not None else None
