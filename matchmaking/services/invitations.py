"""Co-organisers are invited by e-mail and become organisers only by accepting.

An organiser enters an address; an invitation is stored and an e-mail queued with a link. Whoever
opens the link logs in (or signs up) with an account of that address and accepts or declines.
The link's token is derived from a stored nonce and the app's secret key (see
``models.invitation``); only its hash is looked up.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import Event, OrganiserInvitation, User
from ..models.base import utcnow
from ..models.invitation import ACCEPTED, DECLINED, EXPIRED, PENDING, REVOKED
from ..models.user import new_nonce
from . import outbox
from .accounts import find_user_by_email, normalise_email
from .errors import NotFound, ServiceError
from .lookup import one_of_event
from .text import has_control_characters

VALID_FOR = timedelta(days=14)
MAX_TOKEN_LENGTH = 100


def link_token(invitation: OrganiserInvitation, secret_key: str) -> str:
    """The token in the invitation's link; recomputable when the e-mail is composed, never stored."""
    message = f"organiser-invitation:{invitation.id}:{invitation.nonce}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:40]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_organiser(*, event: Event, inviter: User, email: str, secret_key: str,
                     locale: str | None = None, now: datetime | None = None) -> OrganiserInvitation:
    """Store an invitation to ``email`` and queue its e-mail (in ``locale`` when the address has no account)."""
    now = now or utcnow()
    address = normalise_email(email)
    if not address or has_control_characters(address):
        raise ServiceError(_("Enter an e-mail address."))
    if any(normalise_email(o.email) == address for o in event.organisers):
        raise ServiceError(_("%(email)s already organises this event.", email=email.strip()))
    if any(i.status(now) == PENDING for i in _invitations_to(event.id, address)):
        raise ServiceError(_("%(email)s is already invited and has not answered yet.", email=email.strip()))
    invitation = OrganiserInvitation(event_id=event.id, email=email.strip(), invited_by_id=inviter.id,
                                     nonce=new_nonce(), token_hash="", created_at=now, expires_at=now + VALID_FOR)
    db.session.add(invitation)
    db.session.flush()  # the id is part of the token
    invitation.token_hash = _hash(link_token(invitation, secret_key))
    payload = {"invitation": invitation.id, "locale": locale}
    user = find_user_by_email(address)
    if user is not None:
        outbox.enqueue("organiser_invitation", user, payload)
    else:
        outbox.enqueue_to_address("organiser_invitation", invitation.email, payload)
    db.session.flush()
    return invitation


def _invitations_to(event_id: int, address: str) -> list[OrganiserInvitation]:
    return list(db.session.scalars(select(OrganiserInvitation).where(
        OrganiserInvitation.event_id == event_id, func.lower(OrganiserInvitation.email) == address)))


def pending_invitations(event_id: int, now: datetime | None = None) -> list[OrganiserInvitation]:
    """The invitations of an event still waiting for an answer, oldest first."""
    now = now or utcnow()
    rows = db.session.scalars(select(OrganiserInvitation).where(
        OrganiserInvitation.event_id == event_id, OrganiserInvitation.accepted_at.is_(None),
        OrganiserInvitation.declined_at.is_(None), OrganiserInvitation.revoked_at.is_(None),
        OrganiserInvitation.expires_at > now).order_by(OrganiserInvitation.id))
    return list(rows)


def invitation_for_token(token: str) -> OrganiserInvitation:
    """The invitation a link opens (in any state), or NotFound."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound()
    invitation = db.session.scalar(select(OrganiserInvitation).where(OrganiserInvitation.token_hash == _hash(token)))
    if invitation is None:
        raise NotFound()
    return invitation


def may_answer(invitation: OrganiserInvitation, user: User) -> bool:
    """Whether ``user``'s account is the one the invitation was sent to (the address, in any case)."""
    return normalise_email(user.email) == normalise_email(invitation.email)


def _check_answerable(invitation: OrganiserInvitation, user: User, now: datetime) -> None:
    status = invitation.status(now)
    if status != PENDING:
        raise ServiceError({
            ACCEPTED: _("This invitation has been accepted already."),
            DECLINED: _("This invitation has been declined."),
            REVOKED: _("The organisers have withdrawn this invitation."),
            EXPIRED: _("This invitation has expired; ask the organisers for a new one."),
        }[status])
    if not may_answer(invitation, user):
        raise ServiceError(_("This invitation was sent to %(email)s; log in with the account of that address "
                             "to answer it.", email=invitation.email))


def accept_invitation(*, invitation: OrganiserInvitation, user: User, now: datetime | None = None) -> Event:
    """The invited person becomes an organiser of the event; the invitation cannot be used again."""
    now = now or utcnow()
    _check_answerable(invitation, user, now)
    invitation.accepted_at = now
    if user.email_verified_at is None:  # the link came by mail to this very address: that confirms it
        user.email_verified_at = now
    event = invitation.event
    if user not in event.organisers:
        event.organisers.append(user)
    db.session.flush()
    return event


def decline_invitation(*, invitation: OrganiserInvitation, user: User, now: datetime | None = None) -> None:
    now = now or utcnow()
    _check_answerable(invitation, user, now)
    invitation.declined_at = now
    db.session.flush()


def revoke_invitation(*, event: Event, invitation_id: int, now: datetime | None = None) -> OrganiserInvitation:
    """An organiser withdraws an invitation of their event that has not been answered; its link stops working."""
    now = now or utcnow()
    invitation = one_of_event(OrganiserInvitation, event.id, invitation_id)
    if invitation.status(now) != PENDING:
        raise ServiceError(_("This invitation is no longer waiting for an answer."))
    invitation.revoked_at = now
    db.session.flush()
    return invitation
