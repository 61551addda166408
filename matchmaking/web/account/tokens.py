"""Personal access tokens for the API: create one (shown once), see them, revoke one."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...models.base import utcnow
from ...services import api_tokens
from ..forms import ActionForm
from ..helpers import done, valid
from .forms import TokenForm


def tokens():
    form = TokenForm()
    if not (current_user.is_organiser or current_user.is_admin):
        form.scopes.choices = [c for c in form.scopes.choices if c.value != "organiser"]
    created = None
    if form.validate_on_submit():
        _token, created = api_tokens.create_token(user=current_user, name=form.name.data,
                                                  scopes=tuple(form.scopes.data), expires_days=form.expires_days.data)
        db.session.commit()  # shown on this page once, never stored nor sent by mail
        form = TokenForm(formdata=None)
    return render_template("account/tokens.html", form=form, created=created, now=utcnow(),
                           tokens=api_tokens.tokens_of(current_user), action_form=ActionForm())


def revoke_token(token_id: int):
    valid(ActionForm())
    found = api_tokens.revoke_token(user=current_user, token_id=token_id)
    return done(_("The token “%(name)s” no longer works.", name=found.name), url_for("account.tokens"))
