"""Rendering one outbox message as an e-mail (plain text and HTML, with the meeting's .ics)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app, render_template, url_for
from flask_babel import force_locale, get_locale

from ..extensions import db
from ..models import Event, Meeting, MeetingRequest, OrganiserInvitation, OutboxMessage, Participant
from ..models.base import utcnow
from ..models.invitation import PENDING
from ..services import account_links, ical, invitations, new_partners, outcomes
from ..services.localized import localized
from ..services.mail_kinds import KINDS
from ..services.vocabulary import first_partner_reason

# Kinds that carry a signed link per meeting to answer about it (services/outcomes.py).
OUTCOME_KINDS = ("evening_summary", "followup", "followup_reminder")


@dataclass(frozen=True)
class Address:
    """The recipient of a message to an address with no account: what templates read of a user."""

    email: str
    locale: str | None = None
    name: str = ""
    timezone: str | None = None


def _recipient(message: OutboxMessage, payload: dict):
    """The user the message is for, or a stand-in for an address with no account (in the sender's language)."""
    if message.user is not None:
        return message.user
    return Address(email=message.to_email or "", locale=payload.get("locale"))


def _context(message: OutboxMessage) -> dict | None:
    """What the templates need, or None when the message is about something that is gone."""
    payload = json.loads(message.payload or "{}")
    user = _recipient(message, payload)
    context: dict = {"user": user, "payload": payload}
    if "invitation" in payload:
        invitation = db.session.get(OrganiserInvitation, payload["invitation"])
        if invitation is None or invitation.status(utcnow()) != PENDING:  # withdrawn (or answered) before it went
            return None
        context.update(invitation=invitation, event=invitation.event, invitation_token=invitations.link_token(
            invitation, current_app.config["SECRET_KEY"]))
    if "meeting" in payload:
        meeting = db.session.get(Meeting, payload["meeting"])
        if meeting is None:
            return None
        me = meeting.participant_a if meeting.participant_a.user_id == message.user_id else meeting.participant_b
        context.update(meeting=meeting, me=me, partner=meeting.other(me.id), event=me.event,
                       visible=me.event.schedule_visible(utcnow()))
    if "request" in payload:
        request = db.session.get(MeetingRequest, payload["request"])
        if request is None:
            return None
        me = request.recipient if request.recipient.user_id == message.user_id else request.requester
        context.update(request=request, me=me, partner=request.other(me.id), event=me.event)
    if "meetings" in payload:
        context["meetings"] = [m for m in (db.session.get(Meeting, i) for i in payload["meetings"]) if m]
    if "requests" in payload:
        context["requests"] = [r for r in (db.session.get(MeetingRequest, i) for i in payload["requests"]) if r]
    if "event" in payload:  # a notice to an organiser about their event
        context["event"] = db.session.get(Event, payload["event"])
        if context["event"] is None:
            return None
        if "due" in payload:
            context["due"] = datetime.fromisoformat(payload["due"])
    if "participant" in payload:
        context["me"] = db.session.get(Participant, payload["participant"])
        context["event"] = context["me"].event if context["me"] else None
    if "event" in payload:  # an invitation names the event the person was added to
        context["event"] = db.session.get(Event, payload["event"])
        if context["event"] is None:
            return None
    if "partners" in payload and context.get("me") is not None:  # the digest's newly recommended partners
        context["partners"] = new_partners.listed_in_mail(context["me"], payload["partners"])
        context["partner_reason"] = first_partner_reason
        if not context["partners"] and not context.get("requests"):
            return None  # all hidden or marked since: nothing left to say
    if message.kind in OUTCOME_KINDS:  # a signed link per meeting, made now (the outbox never stores it)
        me = context.get("me")
        if me is None or me.anonymised_at is not None:
            return None
        asked = (outcomes.summary_meetings(me, date.fromisoformat(payload["day"])) if "day" in payload
                 else outcomes.followup_meetings(me))
        if not asked:
            return None
        context["outcome_links"] = [
            (m, m.other(me.id), outcomes.link_token(m, me, secret_key=current_app.config["SECRET_KEY"]))
            for m in asked]
    purpose = account_links.PURPOSE_OF_KIND.get(message.kind)
    if purpose is not None:  # made now, from the user's state: the outbox never stores it
        context["token"] = account_links.make_token(message.user, purpose,
                                                    secret_key=current_app.config["SECRET_KEY"])
    if context.get("event") is not None:  # times in the recipient's own zone, if they chose one
        context["zone"] = user.timezone or context["event"].timezone
    return context


def compose(message: OutboxMessage) -> EmailMessage | None:
    """The e-mail for an outbox row, in the recipient's language; None if there is nothing to say."""
    context = _context(message)
    if context is None:
        return None
    config = current_app.config
    with current_app.test_request_context(base_url=config["BASE_URL"]), \
            force_locale(context["user"].locale or config["BABEL_DEFAULT_LOCALE"]):
        kind = KINDS[message.kind]
        partner, event = context.get("partner"), context.get("event")
        email = EmailMessage()
        email["Subject"] = kind.subject_text(context["payload"], name=partner.name if partner is not None else "",
                                             event=_event_name(event))
        email["From"] = config["MAIL_FROM"]
        email["To"] = formataddr((context["user"].name, context["user"].email))
        if "invitation_token" in context:  # an invitation to organise an event
            context["link"] = url_for("account.organiser_invitation", token=context["invitation_token"],
                                      _external=True)
        # A stable id lets mail systems drop a duplicate if a send is ever repeated after a crash.
        email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=config["MAIL_DOMAIN"])
        text = render_template(f"mail/{kind.template}.txt", **context)
        email.set_content(text)
        # The kind's own HTML template if it has one, else the text in the common layout.
        email.add_alternative(render_template([f"mail/{kind.template}.html", "mail/layout.html"], body=text,
                                              **context), subtype="html")
        meeting = context.get("meeting")
        if meeting is not None and meeting.slot is not None and context.get("visible", True):
            vevent = ical.meeting_vevent(meeting, context["me"], config.get("ICAL_UID_DOMAIN", "matchmaking"),
                                         ical.translated_labels())
            body = ical.calendar_document([vevent], name=context["event"].name, feed=False)
            email.add_attachment(body, maintype="text", subtype="calendar", filename="meeting.ics",
                                 params={"method": "PUBLISH"})
    return email


def _event_name(event) -> str:
    """The event's name in the language being composed (for subjects that name it)."""
    return "" if event is None else localized(event, "name", str(get_locale() or ""))
