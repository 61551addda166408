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
