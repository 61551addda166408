"""Which passwords are refused: too short, too common, or made of the person's own address or name.

The common passwords are the 30,000 most frequent in public breaches, as shipped in the ``zxcvbn``
package's frequency lists (read from the installed package, never downloaded at run time).
"""
from __future__ import annotations

import string
from functools import cache

from flask_babel import gettext as _

from .errors import ServiceError

MIN_PASSWORD_LENGTH = 12
# Pieces of the address or name shorter than this may occur in a good password by chance ("ann").
MIN_PERSONAL_PIECE = 4
_TRAILING = string.digits + string.punctuation + " "


@cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _personal_pieces(email: str, name: str) -> set[str]:
    email = email.strip().lower()
    local = email.partition("@")[0]
    pieces = {email, local, name.strip().lower()}
    for text in (local, name.lower()):
        pieces.update(p for p in text.replace(".", " ").replace("_", " ").replace("-", " ").split())
    return {p for p in pieces if len(p) >= MIN_PERSONAL_PIECE}


def check_password(password: str, *, email: str, name: str) -> None:
    """Refuse (``ServiceError``) a password that is short, common or built from the address or name.

    A common password with digits or signs added at the end ("sunshine2024!") counts as common.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(_("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH))
    lowered = password.lower()
    common = common_passwords()
    if lowered in common or lowered.rstrip(_TRAILING) in common or lowered.replace(" ", "") in common:
        raise ServiceError(_("This password is one of the most common ones, which attackers try first. "
                             "Choose another, for example a few unrelated words."))
    if any(piece in lowered for piece in _personal_pieces(email, name)):
        raise ServiceError(_("Your password must not contain your e-mail address or your name."))
