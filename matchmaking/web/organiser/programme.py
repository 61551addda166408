"""The programme: plenaries, workshops, study visits that participants may choose."""
from __future__ import annotations

from flask import g, render_template, request, url_for
from flask_babel import gettext as _

from ...services import programme
from ...services.timezones import to_local
from ..forms import ActionForm, translated_form
from ..helpers import done, other_languages, translations_of, valid
from .forms import PROGRAMME_TRANSLATIONS, ProgrammeForm


def add_programme():
    form = valid(_programme_form())
    programme.add_session(event=g.event, details=_details(form))
    return done(_("Programme session added."), _programme_page())


def edit_programme(session_id: int):
    session = programme.get_session(g.event, session_id)
    form = _programme_form(obj=session)
    if request.method == "GET":
        starts, ends = to_local(session.starts_at, g.event.timezone), to_local(session.ends_at, g.event.timezone)
        form.day.data, form.start.data, form.end.data = starts.date(), starts.time(), ends.time()
        for code, texts in (session.translations or {}).items():
            for name, text in texts.items():
                if hasattr(form, f"{name}_{code}"):
                    getattr(form, f"{name}_{code}").data = text
    if form.validate_on_submit():
        programme.update_session(event=g.event, session=session, details=_details(form))
        return done(_("Programme session saved."), _programme_page())
    return render_template("organiser/programme_session.html", event=g.event, session=session, form=form)


def _programme_form(**kwargs) -> ProgrammeForm:
    return translated_form(ProgrammeForm, PROGRAMME_TRANSLATIONS, other_languages())(**kwargs)


def _details(form: ProgrammeForm) -> programme.SessionDetails:
    return programme.SessionDetails(
        kind=form.kind.data, title=form.title.data.strip(), day=form.day.data, start=form.start.data,
        end=form.end.data, place=(form.place.data or "").strip(), description=(form.description.data or "").strip(),
        video_url=(form.video_url.data or "").strip(), signup=bool(form.signup.data),
        translations=translations_of(form, PROGRAMME_TRANSLATIONS, other_languages()),
    )


def delete_programme(session_id: int):
    session = programme.get_session(g.event, session_id)
    valid(ActionForm())
    programme.delete_session(session=session)
    return done(_("Programme session removed."), _programme_page())


def _programme_page() -> str:
    return url_for("organiser.setup", _anchor="programme")
