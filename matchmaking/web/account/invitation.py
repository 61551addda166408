"""An invitation to organise an event: the page its e-mail links to, and the answers."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models.base import utcnow
from ...services import invitations
from ..forms import ActionForm
from ..helpers import done, valid


def organiser_invitation(token: str):
    """Anyone holding the link sees whom it invites to what; only the account of that address can answer."""
    found = invitations.invitation_for_token(token)
    user = current_user if current_user.is_authenticated else None
    return render_template("account/invitation.html", invitation=found, status=found.status(utcnow()),
                           user=user, may_answer=user is not None and invitations.may_answer(found, user),
                           here=request.path, form=ActionForm())


def accept_organiser_invitation(token: str):
    found = invitations.invitation_for_token(token)
    valid(ActionForm())
    event = invitations.accept_invitation(invitation=found, user=current_user)
    return done(_("You are now an organiser of %(event)s.", event=event.name),
                url_for("organiser.setup", event_id=event.id))


def decline_organiser_invitation(token: str):
    found = invitations.invitation_for_token(token)
    valid(ActionForm())
    invitations.decline_invitation(invitation=found, user=current_user)
    return done(_("You declined the invitation."), url_for("public.index"))
