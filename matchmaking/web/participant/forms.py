"""Forms of this area."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
)

from ...services import marketplace
from .. import labels
from ..forms import Form, MultiCheckboxField, options, reasonable_date


class RequestForm(Form):
    message = TextAreaField(_l("Message"), validators=[Optional(), Length(max=1000)],
                            description=_l("What would you like to talk about?"))
    online = BooleanField(_l("Meet online"))


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
