"""The caller's own registration and profile, the directory of the event's participants and its marketplace."""
from __future__ import annotations

from dataclasses import asdict

from flask import g

from ...extensions import db
from ...models.participant import APPROVED
from ...services import directory, marketplace, registration
from . import schemas
from .blueprint import participant_api as api
from .http import page

TAGS = ["participants"]


def registration_of(me) -> dict:
    profile = asdict(registration.Profile.of(me))
    return {**profile, "id": me.id, "name": me.name, "status": me.status}


@api.route("/events/<int:event_id>/me", tags=TAGS)
@api.response(200, schemas.Registration)
def my_registration():
    """The caller's registration: their organisation's profile and its status."""
    return registration_of(g.me)


@api.route("/events/<int:event_id>/me", methods=["PUT"], tags=TAGS)
@api.arguments(schemas.ProfileIn)
@api.response(200, schemas.Registration)
def update_my_profile(profile: dict):
    """Replace the caller's organisation profile (contact details and privacy choices left out stay)."""
    kept = asdict(registration.Profile.of(g.me))
    registration.update_profile(participant=g.me, profile=registration.Profile(
        **{**kept, **profile, "sectors": tuple(profile["sectors"]), "session_ids": tuple(profile["session_ids"])}))
    db.session.commit()
    return registration_of(g.me)


@api.route("/events/<int:event_id>/participants", tags=TAGS)
@api.arguments(schemas.DirectoryArgs, location="query")
@api.response(200, schemas.page_of(schemas.Participant, "ParticipantPage"))
def participants(args: dict):
    """The directory, with the page's filters: words, country, organisation type, sector."""
    result = directory.search(event_id=g.event.id, page_size=args["per_page"], query=directory.DirectoryQuery(
        text=args["q"].replace("\x00", ""), country=args["country"], organisation_type=args["type"],
        sector=args["sector"], status=APPROVED, listed=True, page=args["page"]))
    return page(result.participants, total=result.total, page=result.page, per_page=args["per_page"])


@api.route("/events/<int:event_id>/participants/<int:participant_id>", tags=TAGS)
@api.response(200, schemas.Participant)
def participant(participant_id: int):
    """One participant of the directory (or one who already has a request with the caller)."""
    return directory.seen_by(event=g.event, participant_id=participant_id, viewer=g.me)




@api.route("/events/<int:event_id>/opportunities", tags=TAGS)
@api.arguments(schemas.OpportunityArgs, location="query")
@api.response(200, schemas.page_of(schemas.Opportunity, "OpportunityPage"))
def opportunities(args: dict):
    """The marketplace, with the page's filters: words, kind, category, sector, country, region, organisation type."""
    result = marketplace.search(event_id=g.event.id, page_size=args["per_page"], query=marketplace.MarketplaceQuery(
        text=args["q"].replace("\x00", ""), kind=args["kind"], category=args["category"].replace("\x00", ""),
        sector=args["sector"], country=args["country"].replace("\x00", ""),
        region=args["region"].replace("\x00", ""), organisation_type=args["type"],
        page=args["page"]))
    return page(result.opportunities, total=result.total, page=result.page, per_page=args["per_page"])
