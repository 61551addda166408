"""Finding one row of an event by its id: the shared "X of this event, or 404" look-up."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm.interfaces import ORMOption

from ..extensions import db
from ..models import Event, EventDay, MeetingSession
from ..models.base import MAX_ID
from .errors import NotFound

T = TypeVar("T")


def is_valid_id(value: object) -> bool:
    """Whether ``value`` can be a primary key at all (PostgreSQL refuses a bigger integer outright)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def _of_event(model: type, event_id: int) -> ColumnElement[bool]:
    """The condition that a row of ``model`` belongs to the event."""
    if model is Event:
        return Event.id == event_id
    if model is MeetingSession:  # a meeting session belongs to the event through its day
        return MeetingSession.day.has(EventDay.event_id == event_id)
    return model.event_id == event_id


def one_of_event(model: type[T], event_id: int, object_id: Any, *extra_where: ColumnElement[bool],
                 options: Sequence[ORMOption] = ()) -> T:
    """The ``model`` row with id ``object_id`` of the event ``event_id`` that also meets ``extra_where``.

    Raises NotFound when there is no such row, when it belongs to another event or fails a condition
    (the caller may not see it: the two look the same), and for an id no row can have (None, 0, too big).
    ``get_event`` passes the event's id twice: ``one_of_event(Event, event_id, event_id)``. ``options``
    are loading rules for what comes with the row (services/loads.py).
    """
    if not is_valid_id(event_id):
        raise NotFound()
    return one_of(model, object_id, _of_event(model, event_id), *extra_where, options=options)


def one_of(model: type[T], object_id: Any, *where: ColumnElement[bool], options: Sequence[ORMOption] = ()) -> T:
    """The ``model`` row with id ``object_id`` that meets ``where``; NotFound otherwise (or for a bad id)."""
    if not is_valid_id(object_id):
        raise NotFound()
    found = db.session.scalar(select(model).where(model.id == object_id, *where).options(*options))
    if found is None:
        raise NotFound()
    return found
