"""The organisers' outcome report: from requests to agreements, overall and by country, region, type of
organisation and marketplace opportunity; its XLSX download; one agreement's printable statement."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload

from ..extensions import db
from ..models import Event, Meeting, MeetingOutcome, MeetingRequest
from ..models.meeting import HELD, NO_SHOW
from ..models.outcome import AGREEMENT, COOPERATION_POSSIBLE
from .errors import NotFound
from .exports import Column, Value, to_xlsx
from .lookup import one_of_event


@dataclass(frozen=True)
class Agreement:
    """A meeting after which at least one side reported an agreement; confirmed when both did."""

    meeting: Meeting
    sides: dict[int, MeetingOutcome]  # participant id -> that side's answers

    @property
    def reports(self) -> list[MeetingOutcome]:
        return sorted((o for o in self.sides.values() if o.followup_answer == AGREEMENT),
                      key=lambda o: (o.followup_answered_at is None, o.followup_answered_at, o.id))

    @property
    def confirmed(self) -> bool:
        return len(self.reports) == 2

    @property
    def agreement_type(self) -> str:
        """The type the first side to report it gave."""
        return self.reports[0].agreement_type or ""


@dataclass
class Group:
    """One row of a breakdown: meetings held, "cooperation possible" ratings, agreements, per group."""

    key: str
    label: str = ""
    held: int = 0
    cooperation_possible: int = 0
    agreements: int = 0


@dataclass
class OutcomeReport:
    requests: int = 0
    accepted: int = 0
    held: int = 0
    no_show: int = 0
    ratings: Counter = field(default_factory=Counter)
    followup: Counter = field(default_factory=Counter)
    agreements: list[Agreement] = field(default_factory=list)
    by_type: Counter = field(default_factory=Counter)
    by_country: list[Group] = field(default_factory=list)
    by_region: list[Group] = field(default_factory=list)
    by_organisation_type: list[Group] = field(default_factory=list)
    by_opportunity: list[Group] = field(default_factory=list)

    @property
    def no_show_rate(self) -> float | None:
        """No-shows among the meetings whose attendance is known; None when none is."""
        marked = self.held + self.no_show
        return self.no_show / marked if marked else None


def _meetings(event: Event) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).where(Meeting.event_id == event.id, Meeting.is_live).options(
        joinedload(Meeting.participant_a).options(lazyload("*")), joinedload(Meeting.participant_b).options(
            lazyload("*")), joinedload(Meeting.request).options(lazyload(MeetingRequest.requester),
                                                                lazyload(MeetingRequest.recipient)),
        lazyload(Meeting.table)).order_by(Meeting.id)).unique())


def _answers(event: Event) -> dict[int, dict[int, MeetingOutcome]]:
    """Meeting id -> participant id -> that side's answers, for the event's live meetings."""
    answers: dict[int, dict[int, MeetingOutcome]] = defaultdict(dict)
    for row in db.session.scalars(select(MeetingOutcome).join(Meeting, Meeting.id == MeetingOutcome.meeting_id)
                                  .where(Meeting.event_id == event.id, Meeting.is_live)):
        answers[row.meeting_id][row.participant_id] = row
    return answers


def report(event: Event) -> OutcomeReport:
    """Every figure of the report, from a few queries (the event's live meetings and their answers)."""
    out = OutcomeReport()
    out.requests = db.session.scalar(select(func.count()).select_from(MeetingRequest)
                                     .where(MeetingRequest.event_id == event.id)) or 0
    out.accepted = db.session.scalar(select(func.count()).select_from(Meeting).where(Meeting.event_id == event.id)) or 0
    meetings, answers = _meetings(event), _answers(event)
    groups: dict[str, dict[str, Group]] = {name: {} for name in ("country", "region", "type", "opportunity")}

    def count(name: str, key: str, label: str, what: Callable[[Group], None]) -> None:
        what(groups[name].setdefault(key, Group(key=key, label=label)))

    for meeting in meetings:
        sides = answers.get(meeting.id, {})
        out.held += meeting.attendance == HELD
        out.no_show += meeting.attendance == NO_SHOW
        for row in sides.values():
            if row.rating:
                out.ratings[row.rating] += 1
            if row.followup_answer:
                out.followup[row.followup_answer] += 1
        agreement = Agreement(meeting=meeting, sides=sides) if any(
            o.followup_answer == AGREEMENT for o in sides.values()) else None
        if agreement is not None:
            out.agreements.append(agreement)
            out.by_type[agreement.agreement_type] += 1
        possible = sum(o.rating == COOPERATION_POSSIBLE for o in sides.values())

        def add(group: Group, agreement=agreement, possible=possible, held=meeting.attendance == HELD) -> None:
            group.held += held
            group.cooperation_possible += possible
            group.agreements += agreement is not None

        for side in (meeting.participant_a, meeting.participant_b):
            count("country", side.country, side.country, add)
            count("region", side.region or "", side.region or "", add)
            count("type", side.organisation_type, side.organisation_type, add)
        opportunity = meeting.request.opportunity if meeting.request is not None else None
        if opportunity is not None:
            count("opportunity", str(opportunity.id), opportunity.title, add)
    order = lambda g: (-g.agreements, -g.held, g.label)  # noqa: E731
    out.by_country, out.by_region, out.by_organisation_type, out.by_opportunity = (
        sorted(groups[name].values(), key=order) for name in ("country", "region", "type", "opportunity"))
    return out


def agreement_of(event: Event, meeting_id: int) -> Agreement:
    """One meeting's agreement (for its printable statement); NotFound when nobody reported one."""
    meeting = one_of_event(Meeting, event.id, meeting_id)
    sides = {o.participant_id: o for o in db.session.scalars(
        select(MeetingOutcome).where(MeetingOutcome.meeting_id == meeting.id))}
    if not any(o.followup_answer == AGREEMENT for o in sides.values()):
        raise NotFound()
    return Agreement(meeting=meeting, sides=sides)


MEETING_COLUMNS: tuple[Column, ...] = (
    Column("meeting_id", "int"), Column("a_organisation"), Column("a_country"), Column("b_organisation"),
    Column("b_country"), Column("attendance"), Column("a_rating"), Column("b_rating"), Column("a_comment"),
    Column("b_comment"), Column("a_followup"), Column("b_followup"), Column("agreement_type"),
    Column("confirmed"), Column("a_benefit"), Column("b_benefit"), Column("opportunity"),
)


def meeting_rows(event: Event, labels: Callable[[str, str], str]) -> list[list[Value]]:
    """A row per live meeting with both sides' answers; ``labels(kind, code)`` names a code."""
    rows: list[list[Value]] = []
    answers = _answers(event)
    for meeting in _meetings(event):
        sides = answers.get(meeting.id, {})
        a, b = sides.get(meeting.participant_a_id), sides.get(meeting.participant_b_id)
        agreement = Agreement(meeting=meeting, sides=sides) if any(
            o.followup_answer == AGREEMENT for o in sides.values()) else None
        opportunity = meeting.request.opportunity if meeting.request is not None else None
        rows.append([
            meeting.id, meeting.participant_a.organisation_name, meeting.participant_a.country,
            meeting.participant_b.organisation_name, meeting.participant_b.country,
            labels("attendance", meeting.attendance or ""),
            labels("rating", a.rating or "") if a else "", labels("rating", b.rating or "") if b else "",
            a.comment if a else "", b.comment if b else "",
            labels("followup", a.followup_answer or "") if a else "",
            labels("followup", b.followup_answer or "") if b else "",
            labels("agreement", agreement.agreement_type) if agreement else "",
            labels("confirmed", "yes" if agreement.confirmed else "no") if agreement else "",
            a.benefit if a else "", b.benefit if b else "",
            opportunity.title if opportunity is not None else "",
        ])
    return rows


def to_workbook(event: Event, headers: list[str], labels: Callable[[str, str], str], title: str) -> bytes:
    """The report's meetings as an XLSX file (write-only, as every export)."""
    return to_xlsx(MEETING_COLUMNS, headers, meeting_rows(event, labels), title=title)
