"""The JSON shapes of participants, requests and meetings: webhook bodies and API answers alike.

Times are ISO-8601 in UTC (``Z``). A participant inside a request or meeting is a small reference.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Meeting, MeetingRequest, MeetingTable, Participant, Slot
from . import time_windows
from .contacts import partner_contacts


def iso(value: datetime | None) -> str | None:
    """A stored (naive UTC) time as ISO-8601 UTC: ``2030-05-20T06:00:00Z``."""
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def participant_ref(participant: Participant) -> dict:
    """A participant as named inside a request or meeting."""
    return {"id": participant.id, "name": participant.name, "organisation": participant.organisation_name}


def participant_data(participant: Participant) -> dict:
    return {
        **participant_ref(participant),
        "organisation_type": participant.organisation_type,
        "country": participant.country,
        "status": participant.status,
        "meeting_mode": participant.meeting_mode,
        "created_at": iso(participant.created_at),
    }


def request_data(meeting_request: MeetingRequest) -> dict:
    return {
        "id": meeting_request.id,
        "status": meeting_request.status,
        "online": meeting_request.online,
        "requester": participant_ref(meeting_request.requester),
        "recipient": participant_ref(meeting_request.recipient),
        "created_at": iso(meeting_request.created_at),
        "responded_at": iso(meeting_request.responded_at),
        "opportunity_id": meeting_request.opportunity_id,  # the marketplace opportunity it is about, or None
        # the agreed time window: "any", "2026-05-20", "2026-05-20:morning" or "2026-05-20:afternoon"
        "window": time_windows.of_request(meeting_request).code,
    }


class Places:
    """An event's slots and tables by id, loaded once, for describing many meetings."""

    def __init__(self, event_id: int) -> None:
        self.slots = {s.id: s for s in db.session.scalars(select(Slot).where(Slot.event_id == event_id))}
        self.tables = {t.id: t for t in db.session.scalars(
            select(MeetingTable).where(MeetingTable.event_id == event_id))}

    def slot(self, slot_id: int | None) -> Slot | None:
        return None if slot_id is None else self.slots.get(slot_id) or db.session.get(Slot, slot_id)

    def table(self, table_id: int | None) -> MeetingTable | None:
        return None if table_id is None else self.tables.get(table_id) or db.session.get(MeetingTable, table_id)


class _ById:
    @staticmethod
    def slot(slot_id: int | None) -> Slot | None:
        return None if slot_id is None else db.session.get(Slot, slot_id)

    @staticmethod
    def table(table_id: int | None) -> MeetingTable | None:
        return None if table_id is None else db.session.get(MeetingTable, table_id)


class _NoPlace:
    """Before the schedule is published a participant sees neither the time nor the table."""

    @staticmethod
    def slot(_slot_id: int | None) -> None:
        return None

    table = slot


NO_PLACE = _NoPlace()


def meeting_data(meeting: Meeting, places: Places | _NoPlace | None = None, *,
                 viewer: Participant | None = None) -> dict:
    """The meeting's shape. Only with ``viewer`` (one of its two sides: the API's answer to them)
    does it carry ``partner_contacts``, the other side's contact details, null once cancelled;
    webhook bodies and the organiser's sync never do."""
    # By id, not through ``meeting.slot``: a relationship loaded before apply_schedule changed the
    # foreign key still holds the old row. ``places`` saves a query per meeting when there are many.
    places = places or _ById
    slot, table = places.slot(meeting.slot_id), places.table(meeting.table_id)
    data = {
        "id": meeting.id,
        "request_id": meeting.request_id,
        "status": meeting.status,
        "participants": [participant_ref(meeting.participant_a), participant_ref(meeting.participant_b)],
        "online": meeting.online,
        "slot": None if slot is None else {"id": slot.id, "start": iso(slot.starts_at), "end": iso(slot.ends_at)},
        "table": None if table is None else {"id": table.id, "name": table.name, "location": table.location},
        "unscheduled_reason": meeting.unscheduled_reason if meeting.is_live and slot is None else None,
        "cancelled_at": iso(meeting.cancelled_at),
        "cancel_reason": meeting.cancel_reason if meeting.cancelled_at else "",
        "attendance": meeting.attendance,
        "pinned": meeting.pinned,
        "video_url": meeting.video_url,
        "updated_at": iso(meeting.updated_at),
    }
    if viewer is not None:
        shared = partner_contacts(meeting, viewer)
        data["partner_contacts"] = None if shared is None else shared.as_dict()
    return data


def schedule_data(*, run_id: int, published_at: datetime | None, changed: int, scheduled: int,
                  unscheduled: int) -> dict:
    return {"run_id": run_id, "published_at": iso(published_at), "changed": changed, "scheduled": scheduled,
            "unscheduled": unscheduled}
