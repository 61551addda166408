"""Organiser-entered text in several languages, falling back to the text as first entered."""
from __future__ import annotations


def localized(obj, field: str, locale: str | None) -> str:
    """``obj.<field>`` in ``locale`` when the organiser gave it, else the original text."""
    translations = getattr(obj, "translations", None) or {}
    text = (translations.get(str(locale or ""), {}) or {}).get(field)
    return text if text else getattr(obj, field)


def translations_from(values: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Drop empty entries, so a language without text falls back instead of showing nothing."""
    return {code: kept for code, fields in values.items()
            if (kept := {f: t.strip() for f, t in fields.items() if t and t.strip()})}


def system_text(text: str) -> str:
    """Texts the app itself stores (a request "arranged by the organiser", a deactivation reason)
    are saved in English, so that each reader can get them in their own language."""
    from flask_babel import gettext as _

    from .manual_schedule import ARRANGED_MESSAGE
    from .participants_admin import DEACTIVATION_REASON
    from .personal_data import ACCOUNT_DELETED_REASON

    known = {
        ARRANGED_MESSAGE: lambda: _("Arranged by the organiser"),
        DEACTIVATION_REASON: lambda: _("The organiser deactivated a participant of this meeting."),
        ACCOUNT_DELETED_REASON: lambda: _("The other participant deleted their account."),
    }
    return known[text]() if text in known else text
