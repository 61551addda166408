"""WTForms forms (Flask-WTF adds the CSRF token to each)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..services.accounts import MIN_PASSWORD_LENGTH
from ..services.slots import BreaksError, parse_breaks
from ..services.timezones import is_valid_timezone
from . import labels

EARLIEST_YEAR, LATEST_YEAR = 2000, 2199


def _drop_nul(value):
    """PostgreSQL text cannot hold NUL characters, and no person types one: drop them."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class Form(FlaskForm):
    """Every form of the app: CSRF-protected (Flask-WTF), with NUL characters dropped from input."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            options["filters"] = (*options.get("filters", ()), _drop_nul)
            return unbound_field.bind(form=form, **options)


def _reasonable_date(_form, field) -> None:
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


class EventForm(Form):
    name = StringField(_l("Event name"), validators=[DataRequired(), Length(max=200)])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    timezone = StringField(_l("Time zone"), default="Europe/Warsaw", validators=[DataRequired(), Length(max=64)],
                           description=_l("For example Europe/Warsaw, Europe/Riga, Europe/Berlin."))
    registration_opens_at = DateTimeLocalField(_l("Registration opens (local time)"),
                                               validators=[Optional(), _reasonable_date], format="%Y-%m-%dT%H:%M")
    registration_deadline = DateTimeLocalField(_l("Registration closes (local time)"),
                                               validators=[Optional(), _reasonable_date],
                                               format="%Y-%m-%dT%H:%M")
    requests_open_at = DateTimeLocalField(_l("Meeting requests open (local time)"),
                                          validators=[Optional(), _reasonable_date], format="%Y-%m-%dT%H:%M")
    schedule_published_at = DateTimeLocalField(
        _l("Participants see the schedule from (local time)"), validators=[Optional(), _reasonable_date],
        format="%Y-%m-%dT%H:%M", description=_l("Leave empty to show each meeting's time as soon as it is booked."))
    request_deadline = DateTimeLocalField(_l("Meeting requests close (local time)"),
                                          validators=[Optional(), _reasonable_date],
                                          format="%Y-%m-%dT%H:%M")
    requires_approval = BooleanField(_l("Organisers approve each registration"))

    def validate_timezone(self, field) -> None:
        if not is_valid_timezone(field.data.strip()):
            raise ValidationError(_l("Unknown time zone; use a name such as Europe/Warsaw."))


class DayForm(Form):
    date = DateField(_l("Date"), validators=[InputRequired(), _reasonable_date])


class SessionForm(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    start = TimeField(_l("Starts"), validators=[InputRequired()])
    end = TimeField(_l("Ends"), validators=[InputRequired()])
    slot_minutes = IntegerField(_l("Slot length (minutes)"), default=30,
                                validators=[InputRequired(), NumberRange(min=5, max=240)])
    breaks = StringField(_l("Breaks"), validators=[Optional(), Length(max=300)],
                         description=_l("Local times, for example 10:30-10:45, 12:00-13:00"))

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("The session must end after it starts."))

    def validate_breaks(self, field) -> None:
        try:
            parse_breaks(field.data or "")
        except BreaksError as exc:
            raise ValidationError(_l("Not a break: %(part)s (write 12:00-13:00)", part=str(exc))) from None


class TablesForm(Form):
    count = IntegerField(_l("Number of tables"), validators=[Optional(), NumberRange(min=1, max=1000)])
    prefix = StringField(_l("Name prefix"), default="Table", validators=[Optional(), Length(max=40)])
    names = TextAreaField(_l("Or a list of names, one per line"), validators=[Optional(), Length(max=20000)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        names = [n.strip() for n in (self.names.data or "").splitlines() if n.strip()]
        if valid and not self.count.data and not names:
            self.names.errors.append(_l("Give a number of tables or a list of names."))
            return False
        if any(len(n) > 80 for n in names):
            self.names.errors.append(_l("A table name may have at most 80 characters."))
            return False
        return valid


class TableOwnerForm(Form):
    # Checked by the service (the participant must belong to the event), not against a long list.
    participant_id = SelectField(_l("Exhibitor"), coerce=int, validate_choice=False)


class OrganiserForm(Form):
    email = EmailField(_l("E-mail of a registered user"), validators=[DataRequired(), Length(max=254)])


class ProfileForm(Form):
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

    def __init__(self, *args, event=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = options(labels.country_choices())
        self.sessions.choices = options(session_choices(event)) if event is not None else []


def session_choices(event) -> list[tuple[int, str]]:
    from flask_babel import format_date

    choices = []
    for day in event.days:
        for s in day.sessions:
            label = f"{format_date(day.date, 'EEE d MMM')} {s.start_time:%H:%M}-{s.end_time:%H:%M}"
            choices.append((s.id, f"{label} {s.name}".strip()))
    return choices


class RequestForm(Form):
    message = TextAreaField(_l("Message"), validators=[Optional(), Length(max=1000)],
                            description=_l("What would you like to talk about?"))
    online = BooleanField(_l("Meet online"))


class CancelForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class SchedulingModeForm(Form):
    mode = SelectField(_l("When an accepted request is scheduled"), choices=options([
        ("immediate", _l("At once, into the earliest place that fits")),
        ("batch", _l("In the organiser's scheduling run")),
    ]), validators=[DataRequired()])


class ScheduleRunForm(Form):
    time_limit = IntegerField(_l("Time limit (seconds)"), default=10, validators=[InputRequired(), NumberRange(1, 60)])


class AttendanceForm(Form):
    value = SelectField(_l("Did the meeting take place?"), choices=options([
        ("held", _l("Held")), ("no_show", _l("No-show")), ("", _l("Not marked")),
    ]))


class MoveForm(Form):
    # Checked by the service against the event's own slots and tables, not against long lists.
    slot_id = SelectField(_l("Slot"), coerce=int, validate_choice=False, validators=[InputRequired()])
    table_id = SelectField(_l("Table"), coerce=int, validate_choice=False, default=0)


class ArrangeForm(Form):
    participant_a = SelectField(_l("Participant"), coerce=int, validate_choice=False, validators=[InputRequired()])
    participant_b = SelectField(_l("Meets"), coerce=int, validate_choice=False, validators=[InputRequired()])
    online = BooleanField(_l("Online"))
    slot_id = SelectField(_l("Slot"), coerce=int, validate_choice=False, default=0,
                          description=_l("Leave on “first that fits” to let the scheduler choose."))
    table_id = SelectField(_l("Table"), coerce=int, validate_choice=False, default=0)


class ImportForm(Form):
    file = FileField(_l("CSV or XLSX file"), validators=[
        FileRequired(_l("Choose a file.")), FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
    ], description=_l("First row: name, email, organisation, type, country, region, sectors, description, offer, "
                      "seek, meeting_mode. Sectors separated by semicolons."))


class ImportConfirmForm(Form):
    payload = HiddenField(validators=[DataRequired()])


class ProgrammeForm(Form):
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    day = DateField(_l("Date"), validators=[InputRequired(), _reasonable_date])
    start = TimeField(_l("Starts"), validators=[InputRequired()])
    end = TimeField(_l("Ends"), validators=[InputRequired()])
    place = StringField(_l("Place or room"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    video_url = StringField(_l("Video link (online sessions)"), validators=[Optional(), Length(max=500)])
    signup = BooleanField(_l("Participants sign up for it"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = options(labels.PROGRAMME_KINDS.items())

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("The session must end after it starts."))


class TableForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    location = StringField(_l("Where it is"), validators=[Optional(), Length(max=120)],
                           description=_l("For example Hall B, 1st floor"))
    closed = MultiCheckboxField(_l("Closed in these slots"), coerce=int, validate_choice=False)


class PasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])
    new = PasswordField(_l("New password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256,
                               message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH))])


class MailPreferencesForm(Form):
    categories = MultiCheckboxField(_l("E-mail me about"), choices=options([
        ("requests", _l("Meeting requests and answers")), ("schedule", _l("Meetings scheduled, moved or cancelled")),
        ("reminders", _l("Reminders before meetings")), ("digest", _l("A daily list of requests waiting for me")),
        ("organiser", _l("Messages from the organisers")),
    ]))


class OrganiserMessageForm(Form):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=10000)])
    country = SelectField(_l("Only participants from"), default="")
    organisation_type = SelectField(_l("Only organisations of type"), default="")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = options([("", _l("All countries")), *labels.country_choices()])
        self.organisation_type.choices = options([("", _l("All types")), *labels.ORGANISATION_TYPES.items()])


COMMON_ZONES = ("Europe/Warsaw", "Europe/Riga", "Europe/Vilnius", "Europe/Tallinn", "Europe/Helsinki",
                "Europe/Stockholm", "Europe/Copenhagen", "Europe/Oslo", "Europe/Berlin", "Europe/London", "UTC")


class PreferencesForm(Form):
    locale = SelectField(_l("Language"))
    timezone = SelectField(_l("Show times in"), default="")

    def __init__(self, *args, languages=(), **kwargs) -> None:
        from .i18n import LANGUAGE_NAMES

        super().__init__(*args, **kwargs)
        self.locale.choices = options((code, LANGUAGE_NAMES.get(code, code)) for code in languages)
        self.timezone.choices = options([("", _l("Each event's own time zone")), *((z, z) for z in COMMON_ZONES)])


class LanguageForm(Form):
    locale = SelectField(_l("Language"), validate_choice=False)


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


EVENT_TRANSLATIONS = {"name": (StringField, _l("Event name"), 200),
                      "description": (TextAreaField, _l("Description"), 5000)}
PROGRAMME_TRANSLATIONS = {"title": (StringField, _l("Title"), 200)}
