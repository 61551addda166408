"""Reasons as small data the app can translate, each with an English `text` rendering.

Kinds (docs/matching-format.md):
- `offer_answers_seek`: their offer sentence answers your seek sentence (`their`, `yours`);
- `seek_answered_by_your_offer`: your offer sentence answers their seek sentence (`their`, `yours`);
- `shared_sectors`: `sectors` you both name;
- `complementary_types`: `yours` and `their` organisation kinds that often work together;
- `organisation`: who they are (`organisation_type`, `country`), always last, so no item is bare.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .text import fold

MAX_QUOTE = 160

# Organisation kinds, recognised from free text by folded keywords in the six languages.
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "social_economy": ("social", "spoldziel", "sociala", "socialin", "sotsiaal", "sozial", "cooperative"),
    "cluster": ("cluster", "klaster", "klasteris", "klasteri", "klasters", "netzwerk"),
    "university": ("universit", "uczelni", "politechn", "research", "institute", "instytut", "augstskol",
                   "ulikool", "hochschul", "forschung", "universitat", "universitet", "college"),
    "public_authority": ("public", "municipal", "authority", "agency", "gmina", "urzad", "samorzad", "pasvaldib",
                         "savivaldyb", "vald", "ministry", "ministr", "behord", "kommune", "stadt", "region"),
    "ngo": ("ngo", "association", "foundation", "fundacj", "stowarzysz", "biedrib", "nodibinajum", "asociacij",
            "mtu", "verein", "stiftung", "non-profit", "nonprofit"),
    "company": ("company", "sme", "enterprise", "firma", "przedsiebior", "spolka", "uznemum", "sia", "imone",
                "uab", "ettevote", "ou", "as", "gmbh", "unternehmen", "startup", "manufacturer", "producer"),
}
_COMPLEMENTARY = {
    frozenset(p) for p in (
        ("company", "cluster"), ("company", "university"), ("company", "social_economy"),
        ("public_authority", "ngo"), ("public_authority", "social_economy"), ("university", "cluster"),
        ("university", "public_authority"), ("ngo", "social_economy"), ("company", "public_authority"),
        ("ngo", "company"),
    )
}


def organisation_kind(organisation_type: str) -> str:
    """The kind of organisation a free-text type names, or '' when unknown."""
    words = fold(organisation_type).replace("-", " ").split()
    text = " ".join(words)
    for kind, keys in _KIND_WORDS.items():
        for key in keys:
            if (len(key) <= 3 and key in words) or (len(key) > 3 and key in text):
                return kind
    return ""


def complementary(kind_a: str, kind_b: str) -> bool:
    return bool(kind_a and kind_b and kind_a != kind_b and frozenset((kind_a, kind_b)) in _COMPLEMENTARY)


@lru_cache(maxsize=65536)
def _quote(sentence: str) -> str:
    s = " ".join(sentence.split())
    return s if len(s) <= MAX_QUOTE else s[: MAX_QUOTE - 1].rstrip() + "…"


def offer_answers_seek(their_offer: str, your_seek: str) -> dict[str, Any]:
    their, yours = _quote(their_offer), _quote(your_seek)
    return {"kind": "offer_answers_seek", "their": their, "yours": yours,
            "text": f"Their offer \u201c{their}\u201d answers your request \u201c{yours}\u201d"}


def seek_answered_by_your_offer(their_seek: str, your_offer: str) -> dict[str, Any]:
    their, yours = _quote(their_seek), _quote(your_offer)
    return {"kind": "seek_answered_by_your_offer", "their": their, "yours": yours,
            "text": f"Your offer \u201c{yours}\u201d answers their request \u201c{their}\u201d"}


def shared_sectors(sectors: list[str]) -> dict[str, Any]:
    return {"kind": "shared_sectors", "sectors": sectors, "text": "Shared sectors: " + ", ".join(sectors)}


def complementary_types(yours: str, their: str) -> dict[str, Any]:
    return {"kind": "complementary_types", "yours": yours, "their": their,
            "text": f"A {their.replace('_', ' ')} and a {yours.replace('_', ' ')} often work together"}


def organisation(organisation_type: str, country: str) -> dict[str, Any]:
    what = organisation_type.strip() or "An organisation"
    text = f"{what} from {country.strip()}" if country.strip() else what
    return {"kind": "organisation", "organisation_type": organisation_type, "country": country, "text": text}
