"""Forms of this area."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)
from wtforms.widgets import HiddenInput

from ...services import blocked_time, marketplace, time_windows
from .. import labels
from ..forms import Form, MultiCheckboxField, options, reasonable_date


def window_choices(event) -> list[SelectChoice]:
    """The time windows of the event's request and accept forms, "any time" first."""
    return options((w.code, labels.time_window(w)) for w in time_windows.choices(event))


class WindowFields(Form):
    """The time window and the "must meet" mark, on the request form and the accept form alike."""

    window = SelectField(_l("When"), default=time_windows.ANY.code, validators=[DataRequired()],
                         description=_l("A morning holds the slots starting before 12:00 (event time), an "
                                        "afternoon those from 12:00."))
    must_meet = BooleanField(_l("Must meet"))

    def __init__(self, *args, event=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.window.choices = window_choices(event) if event is not None else options([("any", "")])
        if event is None or event.must_meet_quota <= 0:
            del self.must_meet
        else:
            self.must_meet.description = _l(
                "Matters most to you: it weighs more when the organisers schedule. You may mark at most "
                "%(quota)d open requests.", quota=event.must_meet_quota)

    def chosen_window(self) -> time_windows.Window:
        return time_windows.parse(self.window.data)

    def chosen_must_meet(self) -> bool:
        return bool(getattr(self, "must_meet", None) and self.must_meet.data)


class RequestForm(WindowFields):
    message = TextAreaField(_l("Message"), validators=[Optional(), Length(max=1000)],
                            description=_l("What would you like to talk about?"))
    online = BooleanField(_l("Meet online"))


class DeclineForm(Form):
    reason = TextAreaField(_l("Reason (optional, shown to the requester)"), validators=[Optional(), Length(max=500)])


class MessageForm(Form):
    message = TextAreaField(_l("Message"), validators=[Optional(), Length(max=1000)],
                            description=_l("What would you like to talk about?"))


class AcceptForm(WindowFields):
    """Accepting a request: agree to its time window or change it, and mark it "must meet"."""


class BlockForm(Form):
    """Block time in one's agenda: a day of the event, from and to (event time), a private label."""

    day = SelectField(_l("Day"), validators=[DataRequired()])
    start = TimeField(_l("From"), validators=[InputRequired()])
    end = TimeField(_l("To"), validators=[InputRequired()])
    label = StringField(_l("Label"), validators=[Optional(), Length(max=100)],
                        description=_l("Only you see it, for example “stand duty”; others see that you are "
                                       "unavailable."))

    def __init__(self, *args, event=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.day.choices = options((d.date.isoformat(), labels.day_name(d.date)) for d in event.days) if event else []

    def block(self) -> blocked_time.Block:
        return blocked_time.Block(day=date.fromisoformat(self.day.data), start=self.start.data, end=self.end.data,
                                  label=self.label.data or "")


class OpportunityForm(Form):
    """An opportunity in the marketplace; its fields carry the names of ``marketplace.Draft``."""

    kind = SelectField(_l("Kind"), choices=options(labels.OPPORTUNITY_KINDS.items()), validators=[DataRequired()])
    category = SelectField(_l("Category"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)],
                        description=_l("For example: Distributor of wooden furniture sought in Latvia"))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)],
                                description=_l("What you offer or seek, for whom, and what kind of partner you want."))
    sectors = MultiCheckboxField(_l("Sectors"), choices=options(labels.SECTORS.items()), validators=[Optional()])
    deadline = DateField(_l("Open until"), validators=[Optional(), reasonable_date],
                         description=_l("Optional: the last day this opportunity is relevant."))

    def __init__(self, *args, event=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = options(
            (code, labels.category_name(code, name)) for code, name in marketplace.categories_of(event))

    @classmethod
    def of(cls, opportunity, *, event) -> OpportunityForm:
        """The form filled from a saved opportunity (a GET); a POST's data wins over it."""
        form = cls(data={"kind": opportunity.kind, "category": opportunity.category, "title": opportunity.title,
                         "description": opportunity.description, "sectors": opportunity.sectors,
                         "deadline": opportunity.deadline}, event=event)
        if opportunity.category not in {choice.value for choice in form.category.choices}:
            # a category the organisers removed since: it stays choosable for this opportunity
            form.category.choices.append(SelectChoice(opportunity.category,
                                                      labels.event_category_name(event, opportunity.category)))
        return form

    def draft(self) -> marketplace.Draft:
        return marketplace.Draft(kind=self.kind.data, category=self.category.data, title=self.title.data or "",
                                 description=self.description.data or "", sectors=tuple(self.sectors.data or ()),
                                 deadline=self.deadline.data)


class LogoForm(Form):
    logo = FileField(_l("Your organisation's logo"), description=_l(
        "PNG, JPEG or WebP, at most 5 MB; shown at most 400 × 400 pixels in the directory, on your profile, "
        "in your partners' agendas and on your badge."))


class MeetNowForm(Form):
    """Meet someone now: in the freed slot offered (``slot_id``), or without one in the first slot that fits."""

    slot_id = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=0)])
