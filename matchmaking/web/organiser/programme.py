"""The programme: plenaries, workshops, study visits that participants may choose."""
from __future__ import annotations

from flask import g, url_for
from flask_babel import gettext as _

from ...services import programme
from ..forms import ActionForm, translated_form
from ..helpers import done, other_languages, translations_of, valid
from .forms import PROGRAMME_TRANSLATIONS, ProgrammeForm


def add_programme():
    form = valid(translated_form(ProgrammeForm, PROGRAMME_TRANSLATIONS, other_languages())())
    programme.add_session(event=g.event, details=programme.SessionDetails(
        kind=form.kind.data, title=form.title.data.strip(), day=form.day.data, start=form.start.data,
        end=form.end.data, place=(form.place.data or "").strip(), description=(form.description.data or "").strip(),
        video_url=(form.video_url.data or "").strip(), signup=bool(form.signup.data),
        translations=translations_of(form, PROGRAMME_TRANSLATIONS, other_languages()),
    ))
    return done(_("Programme session added."), _programme_page())


def delete_programme(session_id: int):
    session = programme.get_session(g.event, session_id)
    valid(ActionForm())
    programme.delete_session(session=session)
    return done(_("Programme session removed."), _programme_page())


def _programme_page() -> str:
    return url_for("organiser.setup", _anchor="programme")
