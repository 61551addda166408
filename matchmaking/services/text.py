"""Text folding for search: case- and diacritic-insensitive, the same on SQLite and PostgreSQL."""
from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter plus a mark.
_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae", "Æ": "ae"})


def fold(text: str) -> str:
    """``"Łomża Rokavaldīna"`` -> ``"lomza rokavaldina"``, so either spelling finds the other."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def has_control_characters(text: str) -> bool:
    """Line breaks, tabs and other control characters: never part of a one-line value (a name, a
    title), where they would break e-mail headers, CSV rows and calendar lines."""
    return any(unicodedata.category(char) == "Cc" for char in text)
