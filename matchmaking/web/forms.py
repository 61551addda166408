"""WTForms forms (Flask-WTF adds the CSRF token to each)."""
from __future__ import annotations

from dataclasses import MISSING, Field, asdict, fields

from flask import g
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..models.outcome import AGREEMENT_TYPES, BENEFIT_MAX, COMMENT_MAX
from ..services import contacts, outcomes
from ..services.registration import Profile
from ..services.text import has_control_characters
from . import labels

EARLIEST_YEAR, LATEST_YEAR = 2000, 2199
# WTForms' own message for Length(max=...), so it reads (and is translated) the same as theirs.
_TOO_LONG = ("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.")
DEFAULT_CAP = 10_000  # characters of one input value of a field with no Length (choices, numbers, dates)


def _drop_nul(value):
    """PostgreSQL text cannot hold NUL characters, and no person types one: drop them."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def _is_single_line(field_class) -> bool:
    return issubclass(field_class, StringField) and not issubclass(field_class, (TextAreaField, PasswordField))


def _one_line(_form, field) -> None:
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError(_l("Use one line, without line breaks or tabs."))


def input_cap(field) -> int | None:
    """The most characters a field's input may have: its ``Length(max=...)``, else ``DEFAULT_CAP``
    (choices, numbers, dates); None for files, which MAX_CONTENT_LENGTH bounds."""
    if isinstance(field, FileField):
        return None
    caps = [v.max for v in field.validators if isinstance(v, Length) and v.max is not None and v.max >= 0]
    return min(caps) if caps else DEFAULT_CAP


def _input_length(field) -> int:
    """The longest of the field's input values (a list of checkboxes sends one per choice)."""
    return max((len(value) for value in (field.raw_data or ()) if isinstance(value, str)), default=0)


class Form(FlaskForm):
    """Every form of the app: CSRF-protected (Flask-WTF), with NUL characters dropped from input.

    An input longer than its field's cap (``input_cap``) is refused with "Field cannot be longer
    than N characters" and **emptied** as soon as the form reads it: neither its data nor the
    raw text a re-rendered page would show keep it. Emptying was chosen over cutting the text to
    the cap because a cut text looks accepted, and whoever pasted a megabyte gets nothing back
    that a page, an error message ("'…' is not a valid choice") or a log would have to carry.
    """

    class Meta:
        def bind_field(self, form, unbound_field, options):
            declared = unbound_field.kwargs.get("filters", ())  # bind() would replace them, not add
            options["filters"] = (*declared, *options.get("filters", ()), _drop_nul)
            return unbound_field.bind(form=form, **options)

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs) -> None:
        """Read the input, then empty every field whose input is over its cap (remembered for validate)."""
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)
        self._oversized: dict[str, int] = {}
        for name, field in self._fields.items():
            cap = input_cap(field)
            if cap is not None and _input_length(field) > cap:
                self._oversized[name] = cap
                field.process(None)  # back to the field's default
                field.raw_data = []

    def validate(self, extra_validators=None) -> bool:
        """Every one-line field (not text areas, not passwords) refuses control characters too;
        an input that was over its cap is refused with that reason alone."""
        extra = {name: list(validators) for name, validators in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if _is_single_line(type(field)):
                extra.setdefault(name, []).append(_one_line)
        valid = super().validate(extra)
        for name, cap in getattr(self, "_oversized", {}).items():
            field = self._fields[name]
            field.errors = [field.ngettext(*_TOO_LONG, cap) % {"max": cap}]
            valid = False
        return valid

    def validate_on_submit(self, extra_validators=None) -> bool:
        """False while a page is shown again after its service refused the form (see web.refused):
        the page keeps what was typed and shows the refusal, without acting a second time."""
        return not g.get("refused", False) and super().validate_on_submit(extra_validators)


def reasonable_date(_form, field) -> None:
    """Dates an event can have; far-off years would overflow when converted between time zones."""
    value = field.data
    if value is not None and not (EARLIEST_YEAR <= value.year <= LATEST_YEAR):
        raise ValidationError(_l("Enter a date between %(start)d and %(end)d.", start=EARLIEST_YEAR, end=LATEST_YEAR))


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(Form):
    """A button that changes something: only the CSRF token."""


def _phone(_form, field) -> None:
    if field.data and not contacts.is_phone_number(field.data.strip()):
        raise ValidationError(_l("Enter a phone number with digits, spaces and + ( ) - . / only."))


def _web_address(_form, field) -> None:
    if field.data and not contacts.is_web_address(field.data.strip()):
        raise ValidationError(_l("Enter a web address starting with https:// or http://"))


def _linkedin(_form, field) -> None:
    if field.data and not contacts.is_linkedin_address(field.data.strip()):
        raise ValidationError(_l("Enter a LinkedIn address, such as https://www.linkedin.com/company/..."))


class ProfileForm(Form):
    """The organisation profile, for participants and for organisers editing on their behalf.

    Its fields carry the names of ``registration.Profile`` (the sessions' ids excepted), so the
    form fills from a profile and builds one by looping over the fields.
    """

    organisation_name = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=200)])
    organisation_type = SelectField(_l("Type of organisation"), validators=[DataRequired()],
                                    choices=options(labels.ORGANISATION_TYPES.items()))
    country = SelectField(_l("Country"), validators=[DataRequired()])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=120)],
                         description=_l("For example Pomorskie, Vidzeme, Kujawsko-Pomorskie"))
    sectors = MultiCheckboxField(_l("Sectors"), choices=options(labels.SECTORS.items()), validators=[Optional()])
    description = TextAreaField(_l("About the organisation"), validators=[Optional(), Length(max=2000)])
    offer = TextAreaField(_l("What we offer"), validators=[Optional(), Length(max=2000)])
    seek = TextAreaField(_l("What we seek"), validators=[Optional(), Length(max=2000)])
    meeting_mode = SelectField(_l("Preferred meeting mode"), choices=options(labels.MEETING_MODES.items()),
                               validators=[DataRequired()])
    sessions = MultiCheckboxField(_l("Meeting sessions I attend"), coerce=int, validators=[Optional()])
    video_url = StringField(_l("My video room for online meetings"), validators=[Optional(), Length(max=500)],
                            description=_l("An https:// link to Zoom, Teams, Jitsi or similar."))
    max_meetings = IntegerField(_l("At most this many meetings"), validators=[Optional(), NumberRange(1, 100)],
                                description=_l("Leave empty for no limit."))
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=contacts.PHONE_MAX), _phone],
                        description=_l("Shown, with your e-mail address, only to partners you have a meeting with."))
    website = StringField(_l("Website"), validators=[Optional(), Length(max=contacts.URL_MAX), _web_address])
    linkedin = StringField(_l("LinkedIn"), validators=[Optional(), Length(max=contacts.URL_MAX), _linkedin],
                           description=_l("For example https://www.linkedin.com/company/your-organisation"))
    networking_consent = BooleanField(
        _l("List me in the participant directory and let other participants contact me for meetings"),
        description=_l("Without this you are not listed and cannot request or be requested; you still see the "
                       "programme and your agenda. You can change it at any time."))
    visibility = SelectField(_l("Who can find me"), choices=options(labels.VISIBILITIES.items()),
                             default="all", validators=[DataRequired()],
                             description=_l("Organisers only: other participants do not see you in the directory "
                                            "and cannot request a meeting with you; you can still request."))

    def __init__(self, *args, event=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # No country chosen until the person chooses one (the first in the list would be a guess).
        self.country.choices = options([("", _l("Choose a country…")), *labels.country_choices()])
        self.sessions.choices = options(session_choices(event)) if event is not None else []

    @classmethod
    def of(cls, profile: Profile, *, event):
        """The form filled from a saved profile (a GET); a POST's data wins over it."""
        values = {_FORM_NAME.get(name, name): value for name, value in asdict(profile).items()}
        return cls(data={k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}, event=event)

    def profile(self) -> Profile:
        """The service's value object from the posted fields: texts stripped, lists as tuples."""
        return Profile(**{item.name: _profile_value(self[_FORM_NAME.get(item.name, item.name)].data, item)
                          for item in fields(Profile)})


_FORM_NAME = {"session_ids": "sessions"}  # Profile field -> form field, where they differ


def _profile_value(data, item: Field):
    if isinstance(data, str):
        return data.strip()
    if isinstance(data, list):
        return tuple(data)
    if data is None and item.default is not MISSING:
        return item.default
    return data


def session_choices(event) -> list[tuple[int, str]]:
    from flask_babel import format_date

    choices = []
    for day in event.days:
        for s in day.sessions:
            label = f"{format_date(day.date, 'EEE d MMM')} {s.start_time:%H:%M}-{s.end_time:%H:%M}"
            choices.append((s.id, f"{label} {s.name}".strip()))
    return choices


class CancelForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class AttendanceForm(Form):
    value = SelectField(_l("Did the meeting take place?"), choices=options([
        ("held", _l("Held")), ("no_show", _l("No-show")), ("", _l("Not marked")),
    ]))


class OutcomeForm(Form):
    """A side's word right after a meeting; ``full`` marks the whole form (a one-tap button sends only
    ``took_place``, and leaves the rating and comment as they were)."""

    took_place = SelectField(_l("Did the meeting take place?"), choices=options([
        ("yes", _l("It took place")), ("no", _l("It didn't take place")), ("", _l("Not said")),
    ]), default="")
    rating = SelectField(_l("How useful was it?"), choices=options([
        ("", _l("Not rated")), *((code, label) for code, label in outcomes.RATING_LABELS.items()),
    ]), default="")
    comment = TextAreaField(_l("Comment for the organisers"), validators=[Optional(), Length(max=COMMENT_MAX)],
                            description=_l("Only the organisers read it; the other side never sees it."))
    full = HiddenField(default="", validators=[Optional(), Length(max=1)])

    def took_place_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.took_place.data)


class FollowupForm(Form):
    answer = RadioField(_l("What came of the meeting?"), validators=[InputRequired()],
                        choices=options(outcomes.FOLLOWUP_LABELS.items()))
    agreement_type = SelectField(_l("Type of agreement"), choices=options([
        ("", _l("Not an agreement")), *((code, outcomes.AGREEMENT_TYPE_LABELS[code])
                                        for codes in AGREEMENT_TYPES.values() for code in codes)]))
    benefit = StringField(_l("What the agreement brings, in a sentence"),
                          validators=[Optional(), Length(max=BENEFIT_MAX)])


_TRANSLATED: dict = {}


def translated_form(form_class, fields: dict[str, tuple], languages: tuple[str, ...]):
    """``form_class`` with an optional "<field>_<language>" input per field and extra language.

    ``fields`` maps a field name to (field class, label, max length). Adding a language to
    LANGUAGES adds its inputs here too: nothing else to change for organiser-entered content.
    """
    from .i18n import LANGUAGE_NAMES

    key = (form_class, tuple(fields), languages)
    if key not in _TRANSLATED:
        extra = {}
        for code in languages:
            for name, (field_class, label, max_length) in fields.items():
                extra[f"{name}_{code}"] = field_class(
                    _l("%(field)s in %(language)s", field=label, language=LANGUAGE_NAMES.get(code, code)),
                    validators=[Optional(), Length(max=max_length)])
        _TRANSLATED[key] = type(form_class.__name__, (form_class,), extra)
    return _TRANSLATED[key]
