"""Input of the matching core: one profile per participant, validated once at the boundary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class InputError(ValueError):
    """The input cannot be ranked; the message names the culprit."""


@dataclass(frozen=True)
class Profile:
    """What a participant says about itself. Texts are free, in any language."""

    id: str
    organisation_name: str = ""
    organisation_type: str = ""
    country: str = ""
    region: str = ""
    sectors: tuple[str, ...] = ()
    description: str = ""
    offer: str = ""
    seek: str = ""


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"{where} must be a string")


def _texts(value: Any, where: str) -> str:
    """`offer` and `seek` may be a string or a list of strings (one per opportunity)."""
    if isinstance(value, (list, tuple)):
        return "\n".join(_text(v, f"{where}[{i}]") for i, v in enumerate(value) if v is not None)
    return _text(value, where)


def profile_from_dict(raw: Any, index: int) -> Profile:
    """One participant of the JSON input; other keys are ignored."""
    where = f"participants[{index}]"
    if not isinstance(raw, Mapping):
        raise InputError(f"{where} must be an object")
    pid = raw.get("id")
    if pid is None or isinstance(pid, (bool, list, dict)) or str(pid).strip() == "":
        raise InputError(f"{where}.id is missing")
    sectors = raw.get("sectors") or []
    if isinstance(sectors, str):
        sectors = sectors.split(",")
    if not isinstance(sectors, Sequence):
        raise InputError(f"{where}.sectors must be a list of strings")
    return Profile(
        id=str(pid),
        organisation_name=_text(raw.get("organisation_name"), f"{where}.organisation_name"),
        organisation_type=_text(raw.get("organisation_type"), f"{where}.organisation_type"),
        country=_text(raw.get("country"), f"{where}.country"),
        region=_text(raw.get("region"), f"{where}.region"),
        sectors=tuple(s.strip() for s in (_text(x, f"{where}.sectors") for x in sectors) if s.strip()),
        description=_texts(raw.get("description"), f"{where}.description"),
        offer=_texts(raw.get("offer"), f"{where}.offer"),
        seek=_texts(raw.get("seek"), f"{where}.seek"),
    )


def profiles_from_document(doc: Any) -> list[Profile]:
    """`{"participants": [...]}` to profiles; ids must be unique."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get("participants"), list):
        raise InputError('the input must be an object with a "participants" list')
    profiles = [profile_from_dict(raw, i) for i, raw in enumerate(doc["participants"])]
    seen: set[str] = set()
    for p in profiles:
        if p.id in seen:
            raise InputError(f"participant id {p.id!r} appears twice")
        seen.add(p.id)
    return profiles
