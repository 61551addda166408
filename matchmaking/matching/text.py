"""Language-light text handling: sentences, diacritic folding, tokens and prefix stems.

No language is detected: Polish, Latvian, Lithuanian, Estonian, German and English all inflect
mostly at the end of a word, so folding diacritics and keeping a word's first letters ("prefix
stemming") makes "spółdzielni" and "spółdzielnia", or "klasteri" and "klasteris", the same term
without a dictionary per language.
"""

from __future__ import annotations

import re
import unicodedata

STEM_LENGTH = 6
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|\s+[•·]\s+|\s*[\r\n]+\s*[-*•]\s*")
_WORD = re.compile(r"\w+", re.UNICODE)
# Letters that NFKD does not split into a base letter and a mark.
_EXTRA_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "æ": "ae"})

# Frequent function words of the six languages: no topical meaning, so not worth a term.
_STOPWORD_TEXT = """
a an and are as at be by for from in is it of on or our the to we with who which that this us your you
i w we z ze na do dla od o oraz lub jest są się nasz nasza nasze naszych który która które jak po przy
un ir ar no uz par kā arī mēs mūsu kas lai vai tiek
ir su iš į ar kad mes mūsų kurie kuri yra bei apie per už
ja on ning või et me meie mis kes see ka oma
der die das und oder in im mit für von zu zur zum ein eine einen wir unsere unser ist sind den dem des auf
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


# "We are looking for" in the six languages: it says nothing about *what* is sought, and left in
# it makes every seek look like every other seek to the text model.
_SEEK_INTENT = re.compile(
    r"^\s*(?:außerdem\s+|also\s+|ponadto\s+|taip pat\s+)?"
    r"(?:we are (?:also )?(?:looking|searching) for|we are seeking|we seek|we need|we want|looking for|seeking"
    r"|szukamy|poszukujemy|potrzebujemy|meklējam(?: arī)?|vēlamies atrast|ieškome|norime rasti|otsime|soovime leida"
    r"|wir suchen|suchen wir|wir brauchen)\s+(?:(?:auch|arī|ka|taip pat|także|też)\s+)?",
    re.IGNORECASE)


def without_intent(sentence: str) -> str:
    """A seek sentence without its leading "we are looking for" (the object of the search stays)."""
    rest = _SEEK_INTENT.sub("", sentence, count=1)
    return rest if rest.strip() else sentence


def sentences(text: str) -> list[str]:
    """Split an offer or a seek into sentences (or list items); blanks dropped."""
    parts = _SENTENCE_END.split(text or "")
    return [s.strip(" \t-*•·") for s in parts if s and len(_WORD.findall(s)) >= 1 and s.strip(" \t-*•·")]


def fold(text: str) -> str:
    """Lower case without diacritics: 'Mēbeļu Łódź' -> 'mebelu lodz'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_VOWELS = "aeiouy"


def stem(word: str) -> str:
    """A folded word cut to its first letters, then without the vowels it ends in, so inflected
    forms meet: "baldai" and "baldu" (Lithuanian), "mebelu" and "mebeles" (Latvian), "klasteri" and
    "klasteris" all keep the same stem; a word keeps at least three letters."""
    cut = word[:STEM_LENGTH]
    while len(cut) > 3 and cut[-1] in _VOWELS:
        cut = cut[:-1]
    return cut


def terms(text: str) -> list[str]:
    """The index terms of a text: folded, stopwords and one-letter words out, stemmed."""
    out = []
    for w in _WORD.findall(fold(text or "")):
        if len(w) < 2 or w in STOPWORDS or w.isdigit():
            continue
        out.append(stem(w))
    return out
