"""The cooperation marketplace: browse and search the event's opportunities, publish one's own,
and request a meeting about someone else's."""
from __future__ import annotations

from flask import g, render_template, request, url_for
from flask_babel import gettext as _

from ...models.base import utcnow
from ...models.opportunity import OPPORTUNITY_KINDS
from ...models.participant import ORGANISATION_TYPES, SECTORS
from ...services import directory as directory_service
from ...services import marketplace as marketplace_service
from ...services import meetings as meeting_service
from ...services import registration
from ..forms import ActionForm
from ..helpers import arg_int, arg_text, done, page_size, valid
from .forms import OpportunityForm, RequestForm


def _choice(name: str, allowed) -> str:
    value = request.args.get(name, "")
    return value if value in allowed else ""


def marketplace():
    categories = marketplace_service.categories_of(g.event)
    query = marketplace_service.MarketplaceQuery(
        text=arg_text("q"),
        kind=_choice("kind", OPPORTUNITY_KINDS),
        category=_choice("category", {code for code, _name in categories}),
        sector=_choice("sector", SECTORS),
        country=arg_text("country", 2),
        region=arg_text("region"),
        organisation_type=_choice("type", ORGANISATION_TYPES),
        page=arg_int("page"),
    )
    result = marketplace_service.search(event_id=g.event.id, query=query, page_size=page_size())
    countries, regions = directory_service.places_in(g.event.id, query.country)
    return render_template("participant/marketplace.html", event=g.event, me=g.me, query=query, result=result,
                           categories=categories, countries=countries, regions=regions,
                           must_publish=g.event.requires_opportunity and not marketplace_service.has_published(g.me))


def my_opportunities():
    return render_template("participant/my_opportunities.html", event=g.event, me=g.me,
                           opportunities=marketplace_service.mine(g.me), action_form=ActionForm())


def new_opportunity():
    form = OpportunityForm(event=g.event)
    if form.validate_on_submit():
        opportunity = marketplace_service.publish(participant=g.me, draft=form.draft())
        return done(_("Your opportunity is published."),
                    url_for("participant.opportunity", opportunity_id=opportunity.id))
    return render_template("participant/opportunity_form.html", event=g.event, me=g.me, form=form, new=True)


def edit_opportunity(opportunity_id: int):
    opportunity = marketplace_service.own(g.me, opportunity_id)
    form = OpportunityForm.of(opportunity, event=g.event)
    if form.validate_on_submit():
        marketplace_service.update(participant=g.me, opportunity_id=opportunity.id, draft=form.draft())
        return done(_("Your opportunity is saved."), url_for("participant.opportunity", opportunity_id=opportunity.id))
    return render_template("participant/opportunity_form.html", event=g.event, me=g.me, form=form, new=False,
                           opportunity=opportunity)


def withdraw_opportunity(opportunity_id: int):
    valid(ActionForm())
    marketplace_service.withdraw(participant=g.me, opportunity_id=opportunity_id)
    return done(_("Your opportunity is withdrawn: nobody else sees it now."), url_for("participant.my_opportunities"))


def opportunity(opportunity_id: int):
    me = g.me
    item = marketplace_service.seen_by(event=g.event, opportunity_id=opportunity_id, viewer=me)
    other = item.participant
    open_request = meeting_service.open_request_between(me, other) if other.id != me.id else None
    form = RequestForm(online=meeting_service.prefers_online(me, other), event=g.event)
    return render_template("participant/opportunity.html", event=g.event, me=me, opportunity=item, other=other,
                           form=form, open_request=open_request, requests_open=g.event.requests_open(utcnow()),
                           must_publish=(g.event.requires_opportunity and other.id != me.id
                                         and not marketplace_service.has_published(me)),
                           action_form=ActionForm())


def request_about(opportunity_id: int):
    item = marketplace_service.seen_by(event=g.event, opportunity_id=opportunity_id, viewer=g.me)
    other = registration.get_participant_in(g.event, item.participant_id)
    form = valid(RequestForm(event=g.event))
    meeting_service.request_meeting(requester=g.me, recipient=other, message=form.message.data or "",
                                    online=bool(form.online.data), opportunity_id=item.id,
                                    window=form.chosen_window(), must_meet=form.chosen_must_meet())
    return done(_("Your request about “%(title)s” was sent to %(name)s.", title=item.title, name=other.name),
                url_for("participant.requests"))
