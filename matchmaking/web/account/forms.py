"""Forms of this area."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    NumberRange,
    Optional,
)

from ...services.accounts import MIN_PASSWORD_LENGTH
from ...services.mail_kinds import CATEGORIES
from ..forms import Form, MultiCheckboxField, options


class SignUpForm(Form):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    locale = SelectField(_l("Language"), validate_choice=False)
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256,
                                           message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH))],
    )


class LogInForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class PasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])
    new = PasswordField(_l("New password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256,
                               message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH))])


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])


class NewPasswordForm(Form):
    """Choosing a password through a mailed link (a reset or an invitation)."""

    password = PasswordField(_l("New password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256,
                               message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH))])
    confirm = PasswordField(_l("The new password again"), validators=[
        DataRequired(), Length(max=256), EqualTo("password", message=_l("The two passwords differ."))])


class DeleteAccountForm(Form):
    password = PasswordField(_l("Your password, to confirm"), validators=[DataRequired(), Length(max=256)])


class MailPreferencesForm(Form):
    categories = MultiCheckboxField(_l("E-mail me about"), choices=options(CATEGORIES.items()))


COMMON_ZONES = ("Europe/Warsaw", "Europe/Riga", "Europe/Vilnius", "Europe/Tallinn", "Europe/Helsinki",
                "Europe/Stockholm", "Europe/Copenhagen", "Europe/Oslo", "Europe/Berlin", "Europe/London", "UTC")


class PreferencesForm(Form):
    locale = SelectField(_l("Language"))
    timezone = SelectField(_l("Show times in"), default="")

    def __init__(self, *args, languages=(), **kwargs) -> None:
        from ..i18n import LANGUAGE_NAMES

        super().__init__(*args, **kwargs)
        self.locale.choices = options((code, LANGUAGE_NAMES.get(code, code)) for code in languages)
        self.timezone.choices = options([("", _l("Each event's own time zone")), *((z, z) for z in COMMON_ZONES)])


class LanguageForm(Form):
    locale = SelectField(_l("Language"), validate_choice=False)


class TokenForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What the token is for, for example “CRM sync”."))
    scopes = MultiCheckboxField(_l("It may act"), validators=[DataRequired()], choices=options([
        ("participant", _l("As me in the events I take part in")),
        ("organiser", _l("As organiser of the events I organise")),
    ]))
    expires_days = IntegerField(_l("Expires after (days)"), default=90,
                                validators=[Optional(), NumberRange(1, 3650)],
                                description=_l("Leave empty for a token that does not expire."))
