"""Your data: everything stored about you (a page and a JSON download), and deleting your account."""
from __future__ import annotations

import json

from flask import Response, current_app, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from wtforms.fields.core import UnboundField

from ...services import personal_data
from ...services.mail_kinds import CATEGORIES
from ..forms import ProfileForm
from ..helpers import done
from .forms import DeleteAccountForm


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"  # everything about one person
    return response


def _profile_labels() -> dict[str, str]:
    """The profile form's label of each exported profile field (a field without one shows its name)."""
    return {name: str(field.args[0]) for name in dir(ProfileForm)
            if isinstance(field := getattr(ProfileForm, name), UnboundField) and field.args}


def your_data():
    return _private(make_response(render_template(
        "account/data.html", data=personal_data.export(user=current_user), profile_labels=_profile_labels(),
        categories=CATEGORIES)))


def data_json():
    body = json.dumps(personal_data.export(user=current_user), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return _private(response)


def delete_account():
    """The confirmation page; posted with the right password, the account is deleted and logged out."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        personal_data.delete_account(user=current_user._get_current_object(), password=form.password.data,
                                     secret_key=current_app.config["SECRET_KEY"])
        logout_user()
        return done(_("Your account is deleted. Thank you for taking part."), url_for("public.index"))
    return _private(make_response(render_template(
        "account/delete.html", form=form, sole=personal_data.sole_organiser_of(current_user))))
