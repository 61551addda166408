"""Finding partners: the directory and a participant's profile page."""
from __future__ import annotations

from flask import g, render_template, request

from ...models.base import utcnow
from ...models.participant import APPROVED, ORGANISATION_TYPES, SECTORS
from ...services import contacts, recommendations
from ...services import directory as directory_service
from ...services import marketplace as marketplace_service
from ...services import meetings as meeting_service
from ..helpers import arg_int, arg_text, page_size
from .forms import RequestForm


def directory():
    query = directory_service.DirectoryQuery(
        text=arg_text("q"),
        country=arg_text("country", 2),
        region=arg_text("region"),
        organisation_type=request.args.get("type", "") if request.args.get("type") in ORGANISATION_TYPES else "",
        sector=request.args.get("sector", "") if request.args.get("sector") in SECTORS else "",
        status=APPROVED,
        listed=True,
        page=arg_int("page"),
    )
    result = directory_service.search(event_id=g.event.id, query=query, page_size=page_size())
    recommended = recommendations.recommended_for(g.me, limit=recommendations.TEASER) if query.page == 1 else []
    countries, regions = directory_service.places_in(g.event.id, query.country)
    return render_template("participant/directory.html", event=g.event, me=g.me, query=query, result=result,
                           countries=countries, regions=regions,
                           recommended=recommended)


def partner(participant_id: int):
    me = g.me
    other = directory_service.seen_by(event=g.event, participant_id=participant_id, viewer=me)
    open_request = meeting_service.open_request_between(me, other) if other.id != me.id else None
    form = RequestForm(online=meeting_service.prefers_online(me, other), event=g.event)
    return render_template("participant/partner.html", event=g.event, me=me, other=other, form=form,
                           open_request=open_request, requests_open=g.event.requests_open(utcnow()),
                           contacts=contacts.shared_between(me, other),
                           opportunities=marketplace_service.published_of(other)
                           if other.is_listed or other.id == me.id else [])
