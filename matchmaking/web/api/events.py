"""Events: the list, one event, its programme, slots and tables (any participant token)."""
from __future__ import annotations

from flask import g

from ...services import events as event_service
from ...services import programme
from . import schemas
from .blueprint import EVENT_INFO
from .blueprint import participant_api as api

TAGS = ["events"]


def _event_info(view):
    EVENT_INFO.add(f"{api.name}.{view.__name__}")
    return view


@api.route("/events", tags=TAGS)
@api.response(200, schemas.Event(many=True))
def list_events():
    """Every event."""
    return event_service.list_events()


@api.route("/events/<int:event_id>", tags=TAGS)
@api.response(200, schemas.Event)
@_event_info
def event():
    """One event's public details."""
    return g.event


@api.route("/events/<int:event_id>/programme", tags=TAGS)
@api.response(200, schemas.ProgrammeSession(many=True))
@_event_info
def event_programme():
    """The programme: plenaries, workshops, study visits."""
    return programme.event_programme(g.event.id)


@api.route("/events/<int:event_id>/slots", tags=TAGS)
@api.response(200, schemas.Slot(many=True))
@_event_info
def slots():
    """The meeting slots."""
    return event_service.event_slots(g.event.id)


@api.route("/events/<int:event_id>/tables", tags=TAGS)
@api.response(200, schemas.Table(many=True))
@_event_info
def tables():
    """The meeting tables and where they are."""
    return g.event.tables
