"""Settings: password, language and time zone, which e-mails to get."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from ...extensions import db
from ...services import accounts, outbox
from ..helpers import done, safe_path, valid
from .forms import LanguageForm, MailPreferencesForm, PasswordForm, PreferencesForm


def password():
    form = PasswordForm()
    if form.validate_on_submit():
        accounts.change_password(user=current_user, current=form.current.data, new=form.new.data,
                                 secret_key=current_app.config["SECRET_KEY"])
        response = done(_("Your password is changed. Other devices are logged out, and your calendar feed has "
                          "a new address."), url_for("account.calendar"))
        login_user(current_user._get_current_object())  # this browser stays logged in with the new nonce
        return response
    return render_template("account/password.html", form=form)


def language():
    """Switch the interface language (kept on the account when logged in, else in the session)."""
    form = LanguageForm()
    choice = form.locale.data if form.validate_on_submit() else None
    if choice in current_app.config["LANGUAGES"]:
        session["locale"] = choice
        if current_user.is_authenticated:
            accounts.set_locale(user=current_user, locale=choice)
            db.session.commit()
    return redirect(safe_path(request.form.get("next")) or url_for("public.index"))


def preferences():
    form = valid(PreferencesForm(languages=current_app.config["LANGUAGES"]))
    accounts.set_preferences(user=current_user, locale=form.locale.data, timezone=form.timezone.data)
    session["locale"] = form.locale.data
    return done(_("Your preferences are saved."), url_for("account.calendar"))


def mail_preferences():
    form = valid(MailPreferencesForm())
    outbox.set_muted(current_user, set(outbox.MAIL_CATEGORIES) - set(form.categories.data or ()))
    return done(_("Your e-mail choices are saved."), url_for("account.calendar"))


def settings_page(feed_url: str, webcal_url: str, form):
    """The settings page (it is the calendar page): feed address, language and zone, e-mail choices."""
    mail_form = MailPreferencesForm(categories=sorted(set(outbox.MAIL_CATEGORIES) - outbox.muted(current_user)))
    preferences_form = PreferencesForm(languages=current_app.config["LANGUAGES"],
                                       locale=current_user.locale or "en", timezone=current_user.timezone or "")
    return render_template("account/calendar.html", form=form, feed_url=feed_url, webcal_url=webcal_url,
                           mail_form=mail_form, preferences_form=preferences_form)
