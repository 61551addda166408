"""Personal access tokens for the API: create one (shown once), see them, revoke one."""
from __future__ import annotations

from flask import make_response, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models.base import utcnow
from ...services import api_tokens
from ..forms import ActionForm
from ..helpers import done, valid
from .forms import TokenForm

NEW_TOKEN = "new_api_token"


def tokens():
    form = TokenForm()
    if not (current_user.is_organiser or current_user.is_admin):
        form.scopes.choices = [c for c in form.scopes.choices if c.value != "organiser"]
    if form.validate_on_submit():
        token, secret = api_tokens.create_token(user=current_user, name=form.name.data,
                                                scopes=tuple(form.scopes.data), expires_days=form.expires_days.data)
        session[NEW_TOKEN] = secret  # shown on the next page once, then gone; only its hash is stored
        return done(_("The token “%(name)s” is ready.", name=token.name), url_for("account.tokens"))
    response = make_response(render_template(
        "account/tokens.html", form=form, created=session.pop(NEW_TOKEN, None), now=utcnow(),
        tokens=api_tokens.tokens_of(current_user), action_form=ActionForm()))
    response.headers["Cache-Control"] = "private, no-store"  # it may show a token
    return response


def revoke_token(token_id: int):
    valid(ActionForm())
    found = api_tokens.revoke_token(user=current_user, token_id=token_id)
    return done(_("The token “%(name)s” no longer works.", name=found.name), url_for("account.tokens"))
