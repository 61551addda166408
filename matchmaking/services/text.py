"""Text folding for search: case- and diacritic-insensitive, the same on SQLite and PostgreSQL."""
from __future__ import annotations

import re
import unicodedata

from ..matching import text as matching_text

# Letters that Unicode does not decompose into a base letter plus a mark.
_WORD = re.compile(r"\w+", re.UNICODE)
_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae", "Æ": "ae"})


def fold(text: str) -> str:
    """``"Łomża Rokavaldīna"`` -> ``"lomza rokavaldina"``, so either spelling finds the other."""
    if text.isascii():  # most stored search texts are folded already: the same answer, 30 times sooner
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def has_control_characters(text: str) -> bool:
    """Line breaks, tabs and other control characters: never part of a one-line value (a name, a
    title), where they would break e-mail headers, CSV rows and calendar lines."""
    return any(unicodedata.category(char) == "Cc" for char in text)


# --- search across inflections ------------------------------------------------------------------
# The matching core's normaliser (diacritics folded, words cut to a prefix stem) is pure text code
# with no database or web in it; search reuses it so "spółdzielni" finds "spółdzielnia" and
# "producentów" finds "producenci" the same way on every database.


def stems(text: str) -> set[str]:
    """Every word of a text, folded and cut to its stem: what a search word is compared with."""
    return {matching_text.stem(word) for word in _WORD.findall(fold(text or ""))}


def query_stems(text: str, limit: int = 10) -> list[str]:
    """The stems of a search's words, in order, at most ``limit``; function words ("the", "i",
    "und") are left out unless the search is nothing else. Punctuation alone ("%") is kept as it
    is: it is no word of any text, so such a search finds nothing rather than everything."""
    words = list(dict.fromkeys(_WORD.findall(fold(text or ""))))
    if not words:
        return fold(text or "").split()[:limit]
    meaningful = [w for w in words if w not in matching_text.STOPWORDS]
    return list(dict.fromkeys(matching_text.stem(w) for w in (meaningful or words)))[:limit]


def matched(query: list[str], stored: set[str]) -> int:
    """How many query stems begin some stored stem ("meb" finds "mebli"; "produc" finds "producentów")."""
    return sum(1 for q in query if any(s.startswith(q) for s in stored))


def relevance(query: list[str], *, title: str, body: str) -> int | None:
    """None unless every query word is found in ``title`` or ``body``; else a score where a word
    found in the title (organisation name, opportunity title) weighs twice a word found only in
    the rest, so the more telling matches come first.

    The same answer as ``matched`` over ``stems`` of each text, without stemming every word of every
    candidate (a common word has thousands of candidates per search): only the words that begin
    with a query stem are stemmed, as a stored stem is a prefix of its word."""
    folded_title, folded_body = fold(title or ""), fold(body or "")
    score = 0
    for q in query:
        if _begins_a_word(q, folded_title):
            score += 2
        elif _begins_a_word(q, folded_body):
            score += 1
        else:
            return None
    return score


def _begins_a_word(stem: str, folded: str) -> bool:
    """Whether some word of ``folded`` has a stem beginning with ``stem`` (``matched`` for one text)."""
    if stem not in folded or not _WORD.fullmatch(stem):  # punctuation begins no word
        return False
    for found in re.finditer(re.escape(stem) + r"\w*", folded):
        at_word_start = found.start() == 0 or not _WORD.match(folded, found.start() - 1)
        if at_word_start and matching_text.stem(found.group()).startswith(stem):
            return True
    return False
