"""Names of the codes a participant's profile stores, and the matching core's reasons in words.

Shared by the pages (``web/labels.py`` offers them to templates as ``labels.X``) and the e-mails
(``matchmaking.mail`` may not import ``web``). Each is translated in the current locale when read.
"""
from __future__ import annotations

from collections.abc import Mapping

from babel import Locale
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ORGANISATION_TYPES = {
    "cluster": _l("Cluster organisation"),
    "social_cooperative": _l("Social cooperative"),
    "ngo": _l("NGO / association"),
    "company": _l("Company"),
    "public_authority": _l("Public authority"),
    "university": _l("University / research"),
    "business_support": _l("Business support / incubator"),
    "other": _l("Other"),
}

SECTORS = {
    "agrifood": _l("Agri-food"),
    "bioeconomy": _l("Bioeconomy"),
    "cleantech": _l("Clean technologies"),
    "construction": _l("Construction"),
    "creative": _l("Creative industries"),
    "education": _l("Education and training"),
    "energy": _l("Energy"),
    "health": _l("Health and life sciences"),
    "ict": _l("ICT and digital"),
    "manufacturing": _l("Manufacturing"),
    "maritime": _l("Maritime and blue economy"),
    "mobility": _l("Mobility and logistics"),
    "social_economy": _l("Social economy"),
    "social_services": _l("Social services"),
    "textiles": _l("Textiles"),
    "tourism": _l("Tourism"),
    "wood_furniture": _l("Wood and furniture"),
}

# The kinds of organisation the matching core pairs up in its "complementary kinds" reason.
MATCHING_KINDS = {
    "company": _l("a company"),
    "cluster": _l("a cluster"),
    "university": _l("a university or research centre"),
    "public_authority": _l("a public authority"),
    "ngo": _l("an NGO or association"),
    "social_economy": _l("a social economy organisation"),
}


def country_name(code: str) -> str:
    locale = get_locale() or Locale("en")
    return locale.territories.get(code, code)


def sector_names(codes: list[str]) -> str:
    """Sector codes as the reader's labels, comma-separated (a code we do not know is shown as it is)."""
    return ", ".join(str(SECTORS.get(code, code)) for code in codes)


def partner_reason(reason: Mapping) -> str:
    """One of the matching core's structured reasons for recommending a partner, as a sentence in the
    reader's language (plain text: a page escapes it, a text e-mail shows it as it is); "" if unknown."""
    kind = reason.get("kind")
    if kind == "offer_answers_seek":
        return _("Their offer “%(their)s” answers your request “%(yours)s”.", their=reason.get("their", ""),
                 yours=reason.get("yours", ""))
    if kind == "seek_answered_by_your_offer":
        return _("Your offer “%(yours)s” answers their request “%(their)s”.", their=reason.get("their", ""),
                 yours=reason.get("yours", ""))
    if kind == "shared_sectors":
        return _("Shared sectors: %(sectors)s", sectors=sector_names(list(reason.get("sectors", ()))))
    if kind == "complementary_types":
        yours, their = reason.get("yours", ""), reason.get("their", "")
        return _("You are %(yours)s and they are %(their)s: the two often work together.",
                 yours=MATCHING_KINDS.get(yours, yours), their=MATCHING_KINDS.get(their, their))
    if kind == "organisation":
        kind_code = reason.get("organisation_type", "")
        return _("%(type)s from %(country)s", type=ORGANISATION_TYPES.get(kind_code, kind_code),
                 country=country_name(reason.get("country", "")))
    return ""


def first_partner_reason(reasons: list[Mapping]) -> str:
    """The first of the reasons that can be said in words (the digest names one per partner)."""
    return next((text for text in map(partner_reason, reasons) if text), "")
