"""Sign up, log in, log out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db
from ..services import accounts
from .forms import LanguageForm, LogInForm, PasswordForm, PreferencesForm, SignUpForm, options
from .helpers import commit_or_flash
from .i18n import LANGUAGE_NAMES, select_locale

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths; an absolute URL in ?next= would be an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("events.index"))
    form = SignUpForm()
    form.locale.choices = options((code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"])
    if request.method == "GET":
        form.locale.data = select_locale()
    if form.validate_on_submit():
        user = accounts.sign_up(name=form.name.data, email=form.email.data, password=form.password.data)
        if user is not None and form.locale.data in current_app.config["LANGUAGES"]:
            user.locale = form.locale.data
        db.session.commit()
        # The same answer whether or not the address was registered already.
        flash(_("Thank you. If this address was not registered yet, your account is ready: log in now. "
                "If you already had an account, log in with your existing password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("events.index"))
    form = LogInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(email=form.email.data, password=form.password.data)
        if user is None:
            flash(_("Wrong e-mail or password."), "error")
        else:
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("events.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    accounts.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(_("You have logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit() and commit_or_flash(
        lambda: accounts.change_password(user=current_user, current=form.current.data, new=form.new.data,
                                         secret_key=current_app.config["SECRET_KEY"]) or True,
        _("Your password is changed. Other devices are logged out, and your calendar feed has a new address."),
    ):
        login_user(current_user._get_current_object())  # this browser stays logged in with the new nonce
        return redirect(url_for("calendar.settings"))
    return render_template("auth/password.html", form=form)


@bp.route("/language", methods=["POST"])
def language():
    """Switch the interface language (kept on the account when logged in, else in the session)."""
    form = LanguageForm()
    choice = form.locale.data if form.validate_on_submit() else None
    if choice in current_app.config["LANGUAGES"]:
        session["locale"] = choice
        if current_user.is_authenticated:
            current_user.locale = choice
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("events.index"))


@bp.route("/account/preferences", methods=["POST"])
@login_required
def preferences():
    form = PreferencesForm(languages=current_app.config["LANGUAGES"])
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        current_user.timezone = form.timezone.data or None
        session["locale"] = form.locale.data
        db.session.commit()
        flash(_("Your preferences are saved."), "success")
    return redirect(url_for("calendar.settings"))
