"""The organiser's side of the marketplace: every opportunity (hide and show again), whether
participants must publish one, and the event's list of categories."""
from __future__ import annotations

from flask import g, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...services import marketplace as marketplace_service
from ...services.text import fold
from .. import labels
from ..forms import ActionForm
from ..helpers import done, valid
from .forms import CategoriesForm, MarketplaceSettingsForm


def _category_lines() -> str:
    return "\n".join(labels.category_name(code, name) for code, name in marketplace_service.categories_of(g.event))


def _parse_categories(text: str) -> list[tuple[str, str]]:
    """Lines as (code, name): a line that reads as an existing category (as shown now, or a default's
    label) keeps its code; any other line is a new category named by the organiser."""
    known: dict[str, tuple[str, str]] = {}
    for code, label in labels.OPPORTUNITY_CATEGORIES.items():
        known[fold(str(label))] = (code, "")
    for code, name in marketplace_service.categories_of(g.event):
        known[fold(labels.category_name(code, name))] = (code, name)
    result = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            result.append(known.get(fold(line)) or (marketplace_service.custom_code(line), line))
    return result


def marketplace():
    return render_template(
        "organiser/marketplace.html", event=g.event, opportunities=marketplace_service.all_of_event(g.event.id),
        settings_form=MarketplaceSettingsForm(requires_opportunity=g.event.requires_opportunity),
        categories_form=CategoriesForm(categories=_category_lines()), action_form=ActionForm())


def marketplace_settings():
    form = valid(MarketplaceSettingsForm())
    marketplace_service.set_required(event=g.event, required=bool(form.requires_opportunity.data))
    return done(_("Marketplace settings saved."), url_for("organiser.marketplace"))


def marketplace_categories():
    form = valid(CategoriesForm())
    marketplace_service.set_categories(event=g.event, categories=_parse_categories(form.categories.data or ""))
    return done(_("Categories saved."), url_for("organiser.marketplace"))


def moderate_opportunity(opportunity_id: int, action: str):
    valid(ActionForm())
    marketplace_service.moderate(event=g.event, actor=current_user, opportunity_id=opportunity_id,
                                 hide=action == "hide")
    return done(_("The opportunity is hidden from participants.") if action == "hide"
                else _("The opportunity is shown again."), url_for("organiser.marketplace"))
