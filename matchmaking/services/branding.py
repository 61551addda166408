"""The event's look (logo, banner, accent colour) and participants' organisation logos.

Pictures go through ``images.prepare`` (checked, shrunk, stripped of metadata) and are kept in the
one store (``storage``) under their content's hash; the rows hold that name. A name no row holds any
more is removed from the store once the change commits.

The accent colour is the background of buttons (white text on it) and the colour of links on the
page's background, so it must reach WCAG 2's AA contrast of 4.5:1 against both; a lighter one is
refused with a darker shade of it to try instead.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Event, Participant
from . import images, storage
from .errors import ServiceError

AA_CONTRAST = 4.5
# What the accent is read against: the white text of buttons, and the page's background (style.css --bg).
WHITE, PAGE_BACKGROUND = "#ffffff", "#f6f7f9"
DEFAULT_ACCENT = "#0b5cad"  # style.css --accent: an event that chose it keeps following the app's own
COLOUR_RE = re.compile(r"#[0-9a-fA-F]{6}")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a ``#rrggbb`` colour (0: black, 1: white)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two ``#rrggbb`` colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def accent_contrast(colour: str) -> float:
    """The accent's lowest contrast where it is used: behind white text, and as text on the page."""
    return min(contrast(colour, WHITE), contrast(colour, PAGE_BACKGROUND))


def darker_shade(colour: str) -> str:
    """The lightest shade of ``colour`` (its channels scaled down together) that reaches AA."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    for step in range(100, -1, -1):
        shade = "#{:02x}{:02x}{:02x}".format(*(round(c * step / 100) for c in (r, g, b)))
        if accent_contrast(shade) >= AA_CONTRAST:
            return shade
    return "#000000"


def check_accent(colour: str) -> str:
    """``colour`` as stored (``#rrggbb``, lower case; "" for the default), or a ServiceError: not a
    colour, or too light for white text."""
    colour = colour.strip().lower()
    if not colour:
        return ""
    if not COLOUR_RE.fullmatch(colour):
        raise ServiceError(_("Write the colour as # and six hexadecimal digits, for example #0b5cad."))
    ratio = accent_contrast(colour)
    if ratio < AA_CONTRAST:
        raise ServiceError(_(
            "The colour %(colour)s has a contrast of %(ratio)s:1 with white text and the page's background; "
            "it needs at least 4.5:1 to be readable (WCAG AA). Try %(shade)s, a darker shade of it.",
            colour=colour, ratio=f"{ratio:.1f}", shade=darker_shade(colour)))
    return colour


def _store(data: bytes, kind: str) -> str:
    picture = images.prepare(data, kind=kind)
    key = storage.key_for(picture.data, picture.extension)
    storage.current().put(key, picture.data)
    return key


def _release(key: str) -> None:
    """Remove ``key`` from the store after the commit, unless a row still shows it (the same picture
    uploaded twice is one file)."""
    if not key:
        return
    db.session.flush()
    used = db.session.scalar(select(func.count()).select_from(Event).where(
        or_(Event.logo == key, Event.banner == key))) + db.session.scalar(
        select(func.count()).select_from(Participant).where(Participant.logo == key))
    if not used:
        storage.delete_after_commit(db.session(), key)


def _replace(row, field: str, key: str) -> None:
    old = getattr(row, field)
    setattr(row, field, key)
    if old != key:
        _release(old)


def set_event_look(*, event: Event, accent: str, logo: bytes | None = None, banner: bytes | None = None,
                   remove_logo: bool = False, remove_banner: bool = False) -> None:
    """Change the event's look: the accent colour always, a picture when one is given or removed."""
    accent = check_accent(accent)
    event.accent_color = "" if accent == DEFAULT_ACCENT else accent
    for field, upload, remove, kind in (("logo", logo, remove_logo, images.LOGO),
                                        ("banner", banner, remove_banner, images.BANNER)):
        if upload:
            _replace(event, field, _store(upload, kind))
        elif remove:
            _replace(event, field, "")
    db.session.flush()


def set_participant_logo(*, participant: Participant, data: bytes) -> None:
    """The participant's organisation logo (theirs alone: the caller passes their own row)."""
    if not data:
        raise ServiceError(_("Choose a picture to upload."))
    _replace(participant, "logo", _store(data, images.LOGO))
    db.session.flush()


def remove_participant_logo(*, participant: Participant) -> None:
    _replace(participant, "logo", "")
    db.session.flush()
