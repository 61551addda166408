"""Forms of this area."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    TextAreaField,
)
from wtforms.validators import (
    Length,
    Optional,
)

from ..forms import Form


class RequestForm(Form):
    message = TextAreaField(_l("Message"), validators=[Optional(), Length(max=1000)],
                            description=_l("What would you like to talk about?"))
    online = BooleanField(_l("Meet online"))
