"""Links mailed about the account: forgot password, set a password (reset or invitation), confirm the address.

Each URL is its own view function, so a rate limit can be put on each one.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...extensions import db
from ...services import accounts
from ...services.account_links import INVITE, RESET, InvalidLink
from ..forms import ActionForm
from ..helpers import done, same_site_referrer, valid
from .auth import start_session
from .forms import ForgotPasswordForm, NewPasswordForm


def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(email=form.email.data)
        return done(_("If an account uses this address, we have sent it a link to set a new password. "
                      "The link is valid for one hour."), url_for("account.login"))
    return render_template("account/forgot_password.html", form=form)


def reset_password(token: str):
    return _password_from_link(token, RESET)


def accept_invitation(token: str):
    return _password_from_link(token, INVITE)


def _password_from_link(token: str, purpose: str):
    """The "choose a password" page of a link; a link that cannot be used gets a page saying why."""
    secret_key = current_app.config["SECRET_KEY"]
    try:
        user = accounts.check_link(token=token, purpose=purpose, secret_key=secret_key)
    except InvalidLink as error:
        return _link_refused(error, purpose)
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = accounts.set_password_from_link(token=token, purpose=purpose, password=form.password.data,
                                               secret_key=secret_key)
        db.session.commit()
        start_session(user)  # every other session ended with the old password
        flash(_("Your password is set and you are logged in. Other devices are logged out, and your calendar "
                "feed has a new address."), "success")
        return redirect(url_for("public.index"))
    return render_template("account/new_password.html", form=form, user=user, purpose=purpose,
                           min_password_length=accounts.MIN_PASSWORD_LENGTH)


def verify_email(token: str):
    """Opening the link confirms the address (a second time changes nothing)."""
    try:
        accounts.verify_email(token=token, secret_key=current_app.config["SECRET_KEY"])
    except InvalidLink as error:
        return _link_refused(error, "verify")
    return done(_("Thank you: your e-mail address is confirmed."),
                url_for("public.index") if current_user.is_authenticated else url_for("account.login"))


def resend_verification():
    """Mail the confirmation link again (the button in the banner shown while the address is unconfirmed)."""
    valid(ActionForm())
    sent = accounts.send_verification(user=current_user)
    message = _("We have sent the link again to %(email)s.", email=current_user.email) if sent \
        else _("Your e-mail address is confirmed already.")
    return done(message, same_site_referrer() or url_for("public.index"))


def _link_refused(error: InvalidLink, purpose: str):
    db.session.rollback()
    return render_template("account/link_refused.html", reason=error.reason, purpose=purpose), 400
