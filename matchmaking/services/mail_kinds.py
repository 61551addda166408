"""Every kind of e-mail the app sends, in one table: its category, its subject and its template.

Adding a kind of e-mail is one row here, one template (``templates/mail/<template>.txt``, and
``<template>.html`` if the kind has its own HTML; otherwise the text is wrapped in ``mail/layout.html``)
and the producer that queues it with ``outbox.enqueue(kind, ...)``. ``tests/test_mail_kinds.py``
renders every kind in every language and checks the table against the template files.

The table lives in services, not in ``matchmaking.mail``: the outbox (a service) needs each kind's
category, and ``matchmaking.mail`` already imports services (iCalendar, events). Dependencies stay one
way: web -> services -> models, mail -> services. This module imports nothing but Flask-Babel.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# The categories a user can turn off, with their labels, in the order the settings page lists them.
CATEGORIES: Mapping[str, LazyString] = MappingProxyType({
    "requests": _l("Meeting requests and answers"),
    "schedule": _l("Meetings scheduled, moved or cancelled"),
    "reminders": _l("Reminders before meetings"),
    "digest": _l("A daily list of requests waiting for me"),
    "recommendations": _l("New partners recommended for me (in the daily list)"),
    "organiser": _l("Messages from the organisers"),
    "outcomes": _l("Questions about how my meetings went (the evening after, and months later)"),
})

# Mails no one can turn off (not a key of CATEGORIES; outbox.enqueue never mutes them): about the
# account itself (reset, invitation, confirming the address, a sign-up attempt), and the organisers'
# warning before an event's personal data is deleted (the deletion waits for it).
ALWAYS_SENT = "always"

# When a message has no subject of its own (an organiser's message with an empty subject).
FALLBACK_SUBJECT = _l("News from your brokerage event")


@dataclass(frozen=True)
class MailKind:
    kind: str  # stored in OutboxMessage.kind
    category: str  # a key of CATEGORIES, or ALWAYS_SENT
    # Translated when the mail is composed, in the recipient's language; ``%(name)s`` is the other
    # participant's name. None: the subject is the one in the message's payload (an organiser's message).
    subject: LazyString | None
    template: str  # templates/mail/<template>.txt (and .html, if the kind has one)

    def subject_text(self, payload: Mapping, *, name: str = "", event: str = "") -> str:
        """The subject in the current locale (``%(event)s``: the event's name, where the kind has one)."""
        text = payload.get("subject", "") if self.subject is None else str(self.subject) % {"name": name,
                                                                                            "event": event}
        return text or str(FALLBACK_SUBJECT)


KINDS: Mapping[str, MailKind] = MappingProxyType({k.kind: k for k in (
    MailKind("request_received", "requests", _l("%(name)s would like to meet you"), "request_received"),
    MailKind("request_accepted", "requests", _l("%(name)s accepted your meeting request"), "request_accepted"),
    MailKind("request_declined", "requests", _l("%(name)s declined your meeting request"), "request_declined"),
    MailKind("meeting_scheduled", "schedule", _l("Your meeting with %(name)s is scheduled"), "meeting_scheduled"),
    MailKind("meeting_moved", "schedule", _l("Your meeting with %(name)s has moved"), "meeting_moved"),
    MailKind("meeting_cancelled", "schedule", _l("Your meeting with %(name)s is cancelled"), "meeting_cancelled"),
    MailKind("reminder_evening", "reminders", _l("Tomorrow: your meetings"), "reminder_evening"),
    MailKind("reminder_soon", "reminders", _l("In a few minutes: meeting with %(name)s"), "reminder_soon"),
    MailKind("digest", "digest", _l("Meeting requests waiting for your answer"), "digest"),
    # The same daily mail when it has no requests to list, only new partners (services/digests.py).
    MailKind("new_partners", "recommendations", _l("New partners recommended for you"), "digest"),
    MailKind("organiser_message", "organiser", None, "organiser_message"),
    MailKind("evening_summary", "outcomes", _l("Today's meetings: did they take place?"), "evening_summary"),
    MailKind("followup", "outcomes", _l("What came of your meetings at %(event)s?"), "followup"),
    MailKind("followup_reminder", "outcomes", _l("Reminder: what came of your meetings at %(event)s?"),
             "followup"),
    MailKind("password_reset", ALWAYS_SENT, _l("Set a new password"), "password_reset"),
    MailKind("invitation", ALWAYS_SENT, _l("You are registered: set your password"), "invitation"),
    MailKind("verify_email", ALWAYS_SENT, _l("Confirm your e-mail address"), "verify_email"),
    MailKind("signup_notice", ALWAYS_SENT, _l("Someone tried to sign up with your address"), "signup_notice"),
    MailKind("retention_reminder", ALWAYS_SENT, _l("Participants' personal data will soon be deleted"),
             "retention_reminder"),
    MailKind("organiser_invitation", ALWAYS_SENT, _l("You are invited to organise %(event)s"), "organiser_invitation"),
)})
