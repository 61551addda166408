"""The organiser's dashboard: an event's figures, each from one GROUP BY query.

Definitions used throughout:
- a *live* meeting is one not cancelled (scheduled in a slot or accepted but still unscheduled);
- *held* and *no-show* count live meetings whose attendance was marked so;
- a group's *meetings* are the live meetings in which at least one participant of the group takes
  part, counted once per meeting per group: a meeting between Poland and Latvia counts once for
  each country, a meeting between two Poles counts once for Poland. The groups' meetings therefore
  add up to more than the event's meetings whenever groups meet each other.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Meeting, MeetingRequest, Participant, Slot, User
from ..models.meeting import ACCEPTED, DECLINED, HELD, NO_SHOW, PENDING, WITHDRAWN
from ..models.participant import ANONYMOUS_NAME
from .schedule_instance import Gaps, idle_gaps

TOP_REQUESTED = 10


@dataclass(frozen=True)
class Funnel:
    """From registration to meetings held. ``accepted`` counts requests whose meeting is live
    (``scheduled + unscheduled``); a meeting cancelled after acceptance is only in ``cancelled``."""

    participants: int
    requests_sent: int
    accepted: int
    declined: int
    pending: int
    withdrawn: int
    scheduled: int
    unscheduled: int
    held: int
    no_show: int
    cancelled: int


@dataclass(frozen=True)
class SlotLoad:
    """Live meetings booked in one slot (``held`` of them marked held)."""

    slot_id: int
    starts_at: datetime  # naive UTC
    ends_at: datetime
    meetings: int
    held: int


@dataclass(frozen=True)
class GroupFigures:
    """One group: a country, a region of a country, or an organisation type (the other keys empty)."""

    participants: int
    meetings: int
    held: int
    country: str = ""
    region: str = ""
    organisation_type: str = ""


@dataclass(frozen=True)
class RequestedParticipant:
    participant_id: int
    name: str
    organisation_name: str
    country: str
    organisation_type: str
    requests_received: int
    accepted: int  # received requests whose meeting is live


@dataclass(frozen=True)
class Dashboard:
    event_id: int
    funnel: Funnel
    slots: tuple[SlotLoad, ...]
    by_country: tuple[GroupFigures, ...]
    by_region: tuple[GroupFigures, ...]
    by_organisation_type: tuple[GroupFigures, ...]
    most_requested: tuple[RequestedParticipant, ...]
    gaps: Gaps  # idle gaps between participants' meetings in the live schedule

    @property
    def attendance_recorded(self) -> bool:
        """Whether any meeting was marked held or no-show yet."""
        return self.funnel.held + self.funnel.no_show > 0


def event_dashboard(event_id: int) -> Dashboard:
    """Every figure of the dashboard, in a fixed number of queries whatever the event's size."""
    participants = _participants_by_group(event_id)
    places = _side_pairs(event_id, ("country", "region"))
    return Dashboard(
        event_id=event_id,
        funnel=_funnel(event_id, sum(participants.values())),
        slots=_slots(event_id),
        by_country=_groups(participants, places, ("country", "region"), ("country",)),
        by_region=_groups(participants, places, ("country", "region"), ("country", "region")),
        by_organisation_type=_groups(participants, _side_pairs(event_id, ("organisation_type",)),
                                     ("organisation_type",), ("organisation_type",)),
        most_requested=_most_requested(event_id),
        gaps=idle_gaps(event_id),
    )


def _count_if(condition) -> object:
    return func.count(case((condition, 1)))


def _funnel(event_id: int, participants: int) -> Funnel:
    statuses = dict(db.session.execute(
        select(MeetingRequest.status, func.count())
        .where(MeetingRequest.event_id == event_id)
        .group_by(MeetingRequest.status)
    ).tuples().all())
    live = Meeting.is_live
    row = db.session.execute(
        select(
            _count_if(and_(live, Meeting.slot_id.is_not(None))),
            _count_if(and_(live, Meeting.slot_id.is_(None))),
            _count_if(and_(live, Meeting.attendance == HELD)),
            _count_if(and_(live, Meeting.attendance == NO_SHOW)),
            _count_if(~Meeting.is_live),
        ).where(Meeting.event_id == event_id)
    ).one()
    scheduled, unscheduled, held, no_show, cancelled = (int(value) for value in row)
    return Funnel(
        participants=participants, requests_sent=sum(statuses.values()),
        accepted=statuses.get(ACCEPTED, 0), declined=statuses.get(DECLINED, 0),
        pending=statuses.get(PENDING, 0), withdrawn=statuses.get(WITHDRAWN, 0),
        scheduled=scheduled, unscheduled=unscheduled, held=held, no_show=no_show, cancelled=cancelled,
    )


def _slots(event_id: int) -> tuple[SlotLoad, ...]:
    """Every slot of the event in time order, empty ones included."""
    rows = db.session.execute(
        select(Slot.id, Slot.starts_at, Slot.ends_at, func.count(Meeting.id),
               _count_if(Meeting.attendance == HELD))
        .outerjoin(Meeting, and_(Meeting.slot_id == Slot.id, Meeting.is_live))
        .where(Slot.event_id == event_id)
        .group_by(Slot.id, Slot.starts_at, Slot.ends_at)
        .order_by(Slot.starts_at, Slot.id)
    ).tuples().all()
    return tuple(SlotLoad(slot_id, starts_at, ends_at, int(meetings), int(held))
                 for slot_id, starts_at, ends_at, meetings, held in rows)


def _participants_by_group(event_id: int) -> dict[tuple[str, str, str], int]:
    """Participants per (country, region, organisation type); the three groupings sum from this."""
    rows = db.session.execute(
        select(Participant.country, Participant.region, Participant.organisation_type, func.count())
        .where(Participant.event_id == event_id)
        .group_by(Participant.country, Participant.region, Participant.organisation_type)
    ).tuples().all()
    return {(country, region or "", kind): int(count) for country, region, kind, count in rows}


SidePairs = list[tuple[tuple[str, ...], tuple[str, ...], int, int]]


def _side_pairs(event_id: int, keys: tuple[str, ...]) -> SidePairs:
    """Live meetings counted per pair of the two sides' groups: [(side a's group, side b's group,
    meetings, held)]. One GROUP BY over the meetings joined to both sides; the groups' figures are
    summed from it (``_groups``), and coarser groups from finer ones (countries from regions)."""
    a, b = aliased(Participant), aliased(Participant)
    columns = [getattr(side, key) for side in (a, b) for key in keys]
    rows = db.session.execute(
        select(*columns, func.count(), _count_if(Meeting.attendance == HELD))
        .join(a, a.id == Meeting.participant_a_id).join(b, b.id == Meeting.participant_b_id)
        .where(Meeting.event_id == event_id, Meeting.is_live)
        .group_by(*columns)
    ).tuples().all()
    n = len(keys)
    return [(tuple(v or "" for v in row[:n]), tuple(v or "" for v in row[n:2 * n]), int(row[-2]), int(row[-1]))
            for row in rows]


def _groups(participants: dict[tuple[str, str, str], int], pairs: SidePairs, pair_keys: tuple[str, ...],
            keys: tuple[str, ...]) -> tuple[GroupFigures, ...]:
    """Figures per group, busiest first. Each live meeting counts once for each side's group: for
    side a's group, and for side b's when it is another group."""
    meetings: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
    cut = [pair_keys.index(key) for key in keys]
    for group_a, group_b, count, held in pairs:
        ga, gb = tuple(group_a[i] for i in cut), tuple(group_b[i] for i in cut)
        for group in (ga, gb) if ga != gb else (ga,):
            meetings[group][0] += count
            meetings[group][1] += held

    positions = {"country": 0, "region": 1, "organisation_type": 2}
    people: dict[tuple[str, ...], int] = defaultdict(int)
    for group, count in participants.items():
        people[tuple(group[positions[key]] for key in keys)] += count

    figures = [
        GroupFigures(participants=people.get(group, 0), meetings=meetings.get(group, (0, 0))[0],
                     held=meetings.get(group, (0, 0))[1], **dict(zip(keys, group, strict=True)))
        for group in people.keys() | meetings.keys()
    ]
    return tuple(sorted(figures, key=lambda g: (-g.meetings, -g.participants, g.country, g.region,
                                                g.organisation_type)))


def _most_requested(event_id: int) -> tuple[RequestedParticipant, ...]:
    received = (
        select(MeetingRequest.recipient_id.label("participant_id"), func.count().label("received"),
               _count_if(MeetingRequest.status == ACCEPTED).label("accepted"))
        .where(MeetingRequest.event_id == event_id)
        .group_by(MeetingRequest.recipient_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Participant.id, User.name, Participant.organisation_name, Participant.country,
               Participant.organisation_type, received.c.received, received.c.accepted, Participant.anonymised_at)
        .join(received, received.c.participant_id == Participant.id)
        .join(User, User.id == Participant.user_id)
        .order_by(received.c.received.desc(), received.c.accepted.desc(), Participant.organisation_name,
                  Participant.id)
        .limit(TOP_REQUESTED)
    ).tuples().all()
    return tuple(
        RequestedParticipant(participant_id=pid, name=name if gone is None else ANONYMOUS_NAME,
                             organisation_name=organisation, country=country, organisation_type=kind,
                             requests_received=int(count), accepted=int(accepted))
        for pid, name, organisation, country, kind, count, accepted, gone in rows
    )
