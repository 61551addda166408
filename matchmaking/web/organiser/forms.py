"""Forms of this area."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    ColorField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from ...services.slots import BreaksError, parse_breaks
from ...services.timezones import is_valid_timezone
from ...services.webhooks import KINDS as WEBHOOK_KINDS
from .. import labels
from ..forms import Form, MultiCheckboxField, options, reasonable_date

PRIVACY_NOTICE_MAX = 20000


class EventForm(Form):
    name = StringField(_l("Event name"), validators=[DataRequired(), Length(max=200)])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    timezone = StringField(_l("Time zone"), default="Europe/Warsaw", validators=[DataRequired(), Length(max=64)],
                           description=_l("For example Europe/Warsaw, Europe/Riga, Europe/Berlin."))
    registration_opens_at = DateTimeLocalField(_l("Registration opens (local time)"),
                                               validators=[Optional(), reasonable_date], format="%Y-%m-%dT%H:%M")
    registration_deadline = DateTimeLocalField(_l("Registration closes (local time)"),
                                               validators=[Optional(), reasonable_date],
                                               format="%Y-%m-%dT%H:%M")
    requests_open_at = DateTimeLocalField(_l("Meeting requests open (local time)"),
                                          validators=[Optional(), reasonable_date], format="%Y-%m-%dT%H:%M")
    schedule_published_at = DateTimeLocalField(
        _l("Participants see the schedule from (local time)"), validators=[Optional(), reasonable_date],
        format="%Y-%m-%dT%H:%M", description=_l("Leave empty to show each meeting's time as soon as it is booked."))
    request_deadline = DateTimeLocalField(_l("Meeting requests close (local time)"),
                                          validators=[Optional(), reasonable_date],
                                          format="%Y-%m-%dT%H:%M")
    requires_approval = BooleanField(_l("Organisers approve each registration"))
    privacy_notice = TextAreaField(
        _l("Privacy notice"), validators=[Optional(), Length(max=PRIVACY_NOTICE_MAX)],
        description=_l("You are the controller of the participants' personal data: say who you are, why you "
                       "collect the data, how long you keep it and how to reach you. Leave empty to show the "
                       "standard text."))
    retention_days = IntegerField(
        _l("Delete participants' personal data this many days after the event"), default=90,
        validators=[Optional(), NumberRange(min=0, max=3650)],
        description=_l("0 to 3650, counted from the event's last day, or from 30 days after the follow-up "
                       "e-mail when it goes (its answers need the data). Names, e-mail addresses and texts "
                       "are removed; anonymous figures stay. You get a reminder 14 days and 1 day before."))
    must_meet_quota = IntegerField(
        _l("“Must meet” requests per participant"), default=3, validators=[Optional(), NumberRange(min=0, max=50)],
        description=_l("0 to 50. Each participant may mark this many of the requests they send or accept "
                       "“must meet”; such meetings weigh more in scheduling runs. 0 turns the mark off."))
    followup_enabled = BooleanField(
        _l("Ask participants by e-mail, months later, what their meetings led to"), default=True,
        description=_l("The follow-up reports contacts, negotiations and agreements (as Enterprise Europe "
                       "Network partners report them). Turned off, no follow-up e-mail goes and the personal "
                       "data is deleted counting from the event's last day."))
    followup_on = DateField(
        _l("Follow-up e-mail about what the meetings led to"), validators=[Optional(), reasonable_date],
        description=_l("Leave empty for six months after the event's last day."))

    def validate_timezone(self, field) -> None:
        if not is_valid_timezone(field.data.strip()):
            raise ValidationError(_l("Unknown time zone; use a name such as Europe/Warsaw."))


class DayForm(Form):
    date = DateField(_l("Date"), validators=[InputRequired(), reasonable_date])


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
    """Invite a co-organiser: any address; they accept with an account of that address."""

    email = EmailField(_l("E-mail of the person to invite"),
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])


class SchedulingModeForm(Form):
    mode = SelectField(_l("When an accepted request is scheduled"), choices=options([
        ("immediate", _l("At once, into the earliest place that fits")),
        ("batch", _l("In the organiser's scheduling run")),
    ]), validators=[DataRequired()])


class ScheduleRunForm(Form):
    time_limit = IntegerField(_l("Time limit (seconds)"), default=10, validators=[InputRequired(), NumberRange(1, 60)])


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


class ArrangeNowForm(Form):
    """Two checked-in participants the organiser pairs on the spot (the service checks they are of the event)."""

    participant_a = SelectField(_l("Participant"), coerce=int, validate_choice=False, validators=[InputRequired()])
    participant_b = SelectField(_l("Meets"), coerce=int, validate_choice=False, validators=[InputRequired()])


class ImportForm(Form):
    file = FileField(_l("CSV or XLSX file"), validators=[
        FileRequired(_l("Choose a file.")), FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
    ], description=_l("First row: name, email, organisation, type, country, region, sectors, description, offer, "
                      "seek, meeting_mode, networking. Sectors separated by semicolons. networking: yes (listed "
                      "in the directory and contactable for meetings; the default when empty) or no."))


class ImportConfirmForm(Form):
    job = IntegerField(widget=HiddenInput(), validators=[DataRequired()])  # the checked rows, kept on the server


class ProgrammeForm(Form):
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    day = DateField(_l("Date"), validators=[InputRequired(), reasonable_date])
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


class OrganiserMessageForm(Form):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=10000)])
    country = SelectField(_l("Only participants from"), default="")
    organisation_type = SelectField(_l("Only organisations of type"), default="")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = options([("", _l("All countries")), *labels.country_choices()])
        self.organisation_type.choices = options([("", _l("All types")), *labels.ORGANISATION_TYPES.items()])


EVENT_TRANSLATIONS = {"name": (StringField, _l("Event name"), 200),
                      "description": (TextAreaField, _l("Description"), 5000),
                      "privacy_notice": (TextAreaField, _l("Privacy notice"), PRIVACY_NOTICE_MAX)}
PROGRAMME_TRANSLATIONS = {"title": (StringField, _l("Title"), 200)}


class WebhookForm(Form):
    """A new webhook endpoint; the secret is generated, the kinds are the protocol's own names."""

    url = StringField(_l("URL"), validators=[DataRequired(), Length(max=500)],
                      description=_l("Where the changes are POSTed, for example https://crm.example.org/hooks/matchmaking"))
    kinds = MultiCheckboxField(_l("Changes to send"), choices=options((kind, kind) for kind in WEBHOOK_KINDS),
                               default=list(WEBHOOK_KINDS), validators=[DataRequired()])


class MarketplaceSettingsForm(Form):
    requires_opportunity = BooleanField(
        _l("Participants must publish at least one opportunity before they can request meetings"),
        description=_l("After registering they are taken to the form for their first opportunity; until they "
                       "publish one, requesting a meeting is refused with a link to it."))


class CategoriesForm(Form):
    categories = TextAreaField(
        _l("Categories, one per line"), validators=[DataRequired(), Length(max=5000)],
        description=_l("Add a line to add a category, delete one to remove it. A renamed line is a new category: "
                       "opportunities filed under the old one keep it."))


class ScanForm(Form):
    """What the scan page posts: the text of a scanned QR code (the check-in URL, or its token alone)."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=500)])


class LookForm(Form):
    """The event's look: pictures are checked by the service (its content, not its name, decides)."""

    logo = FileField(_l("Event logo"), description=_l(
        "PNG, JPEG or WebP, at most 5 MB; shown at most 400 × 400 pixels. Leave empty to keep the current one."))
    remove_logo = BooleanField(_l("Remove the logo"))
    banner = FileField(_l("Banner"), description=_l(
        "A wide picture across the top of the event's page: PNG, JPEG or WebP, at most 5 MB, shown at most "
        "1600 pixels wide. Leave empty to keep the current one."))
    remove_banner = BooleanField(_l("Remove the banner"))
    accent = ColorField(_l("Accent colour"), validators=[Length(max=7)], description=_l(
        "Buttons and links on the event's pages. It must be dark enough for white text (a contrast of at "
        "least 4.5:1)."))
