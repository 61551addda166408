"""Sign up, log in, log out."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ...extensions import db
from ...services import accounts
from ..forms import options
from ..helpers import done, safe_path
from ..i18n import LANGUAGE_NAMES, select_locale
from .forms import LogInForm, SignUpForm


def signup():
    if current_user.is_authenticated:
        return redirect(url_for("public.index"))
    form = SignUpForm()
    form.locale.choices = options((code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"])
    if request.method == "GET":
        form.locale.data = select_locale()
    if form.validate_on_submit():
        locale = form.locale.data if form.locale.data in current_app.config["LANGUAGES"] else None
        accounts.sign_up(name=form.name.data, email=form.email.data, password=form.password.data, locale=locale)
        # The same answer whether or not the address was registered already (its owner gets a notice).
        return done(_("Thank you. We have sent a message to this address. If your account is new, log in now "
                      "and open the link in that message to confirm your address."),
                    url_for("account.login", next=safe_path(request.args.get("next"))))
    return render_template("account/signup.html", form=form)


def login():
    if current_user.is_authenticated:
        return redirect(url_for("public.index"))
    form = LogInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(email=form.email.data, password=form.password.data)
        if user is None:
            flash(_("Wrong e-mail or password."), "error")
        else:
            db.session.commit()
            start_session(user)
            return redirect(safe_path(request.args.get("next")) or url_for("public.index"))
    return render_template("account/login.html", form=form)


def start_session(user) -> None:
    """Log ``user`` in with a fresh session: nothing from before the log-in is kept (so neither is its
    CSRF token, which an attacker may have planted or read), except the chosen interface language."""
    locale = session.get("locale")
    session.clear()
    if locale is not None:
        session["locale"] = locale
    login_user(user)


def logout():
    accounts.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(_("You have logged out."), "success")
    session.pop("locale", None)  # the next person at this browser gets their own language
    return redirect(url_for("account.login"))
