"""What organisers take away: meeting and participant tables as CSV or XLSX, and the data of the
printable per-participant schedules and per-table plans (venue Wi-Fi fails; paper does not).

Rows hold typed values (text, numbers, local dates and local datetimes); the writers decide how
each kind looks in a file. Every text cell is defused against formula injection: in CSV a cell
that a spreadsheet would read as a formula gets a leading apostrophe, in XLSX it is stored as a
string cell, never as a formula.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import case, or_, select
from sqlalchemy.orm import aliased, joinedload, lazyload, selectinload

from ..extensions import db
from ..models import Event, Meeting, MeetingRequest, MeetingSession, MeetingTable, Opportunity, Participant, Slot, User
from ..models.participant import ANONYMOUS_NAME
from .errors import NotFound
from .lookup import is_valid_id
from .text import fold
from .timezones import to_local

Kind = Literal["text", "int", "date", "time"]
Value = str | int | date | datetime | None

ONLINE = "online"
SCHEDULED, UNSCHEDULED = "scheduled", "unscheduled"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
MAX_COLUMN_WIDTH = 50


@dataclass(frozen=True)
class Column:
    """One column of an export: a stable key (the web layer gives it a translated header) and the
    kind of its values: "date" is a local date, "time" a naive local datetime shown as HH:MM."""

    key: str
    kind: Kind = "text"


MEETING_COLUMNS: tuple[Column, ...] = (
    Column("meeting_id", "int"),
    Column("date", "date"),
    Column("start", "time"),
    Column("end", "time"),
    Column("table"),
    Column("a_name"), Column("a_organisation"), Column("a_country"), Column("a_email"),
    Column("b_name"), Column("b_organisation"), Column("b_country"), Column("b_email"),
    Column("status"),
    Column("reason"),
    Column("reason_about"),
    Column("attendance"),
    Column("opportunity_kind"),
    Column("opportunity"),
)

PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column("participant_id", "int"),
    Column("name"),
    Column("email"),
    Column("organisation"),
    Column("organisation_type"),
    Column("country"),
    Column("region"),
    Column("sectors"),
    Column("offer"),
    Column("seek"),
    Column("meeting_mode"),
    Column("sessions"),
    Column("meetings", "int"),
    Column("unscheduled", "int"),
)


# --- queries --------------------------------------------------------------------------------

_JUST_PERSON = (joinedload(Participant.user), lazyload(Participant.sector_rows), lazyload(Participant.sessions))


def _live_meetings(event_id: int):
    """Live meetings with both sides (and their accounts), slot and table in one statement."""
    return (
        select(Meeting)
        .where(Meeting.event_id == event_id, Meeting.is_live)
        .options(
            joinedload(Meeting.participant_a).options(*_JUST_PERSON),
            joinedload(Meeting.participant_b).options(*_JUST_PERSON),
            joinedload(Meeting.slot),
            joinedload(Meeting.table),
            # the marketplace opportunity the meeting is about, through its request, in the same statement
            joinedload(Meeting.request).options(
                lazyload(MeetingRequest.requester), lazyload(MeetingRequest.recipient),
                joinedload(MeetingRequest.opportunity).options(
                    lazyload(Opportunity.participant), lazyload(Opportunity.sector_rows))),
        )
    )


def _time_order(meeting: Meeting) -> tuple:
    """Scheduled in slot order (tables by creation, online last), then unscheduled by id."""
    if meeting.slot is None:
        return (1, datetime.max, 1, 0, meeting.id)
    table_id = meeting.table_id if meeting.table_id is not None else 0
    return (0, meeting.slot.starts_at, int(meeting.table_id is None), table_id, meeting.id)


def _participant_order(participant: Participant) -> tuple:
    # Sorted here, not in SQL: the same order on SQLite and on PostgreSQL whatever its collation.
    return (fold(participant.organisation_name), fold(participant.name), participant.id)


def _bounded_id(value: int) -> int:
    if not is_valid_id(value):
        raise NotFound()
    return value


def event_participants(event: Event) -> list[Participant]:
    """The event's participants with everything an export shows, in one round of queries."""
    participants = db.session.scalars(
        select(Participant)
        .where(Participant.event_id == event.id)
        .options(
            joinedload(Participant.user),
            selectinload(Participant.sector_rows),
            selectinload(Participant.sessions).joinedload(MeetingSession.day),
        )
    ).unique().all()
    return sorted(participants, key=_participant_order)


# --- rows -----------------------------------------------------------------------------------

def _local(instant: datetime, tz_name: str) -> datetime:
    """A stored naive-UTC instant as naive local wall-clock time (what a spreadsheet shows)."""
    return to_local(instant, tz_name).replace(tzinfo=None)


def _side(participant, user) -> tuple:
    """A side's columns for the meetings' statement: id, name (none once anonymised), organisation,
    country, e-mail (none once anonymised), as ``Participant.name`` and ``Participant.email`` say."""
    gone = participant.anonymised_at.is_not(None)
    return (participant.id, case((gone, ANONYMOUS_NAME), else_=user.name), participant.organisation_name,
            participant.country, case((gone, ""), else_=user.email))


def meeting_rows(event: Event) -> list[list[Value]]:
    """One row per live meeting, in ``MEETING_COLUMNS`` order: scheduled ones in slot order (tables
    by creation, online last), then unscheduled ones by id.

    One statement of plain columns, not ORM objects: at 20,000 meetings building a meeting, both
    sides, their accounts, the slot, the table, the request and its opportunity for each row was
    most of an export's time.
    """
    pa, pb, ua, ub = aliased(Participant), aliased(Participant), aliased(User), aliased(User)
    stmt = (
        select(Meeting.id, Slot.starts_at, Slot.ends_at, Meeting.online, MeetingTable.name,
               *_side(pa, ua), *_side(pb, ub), Meeting.unscheduled_reason, Meeting.unscheduled_participant_id,
               Meeting.attendance, Opportunity.kind, Opportunity.title, Meeting.table_id)
        .join(pa, pa.id == Meeting.participant_a_id).join(ua, ua.id == pa.user_id)
        .join(pb, pb.id == Meeting.participant_b_id).join(ub, ub.id == pb.user_id)
        .outerjoin(Slot, Slot.id == Meeting.slot_id).outerjoin(MeetingTable, MeetingTable.id == Meeting.table_id)
        .join(MeetingRequest, MeetingRequest.id == Meeting.request_id)
        .outerjoin(Opportunity, Opportunity.id == MeetingRequest.opportunity_id)
        .where(Meeting.event_id == event.id, Meeting.is_live)
    )
    rows: list[list[Value]] = []
    order: list[tuple] = []
    for (mid, starts_at, ends_at, online, table, a_id, a_name, a_org, a_country, a_email,
         b_id, b_name, b_org, b_country, b_email, reason, about_id, attendance, kind, title,
         table_id) in db.session.execute(stmt):
        if starts_at is not None:
            start, end = _local(starts_at, event.timezone), _local(ends_at, event.timezone)
            day: date | None = start.date()
            order.append((0, starts_at, int(table_id is None), table_id or 0, mid))
        else:
            start = end = day = None
            order.append((1, datetime.max, 1, 0, mid))
        about = {a_id: a_name, b_id: b_name}.get(about_id, "") if starts_at is None else ""
        rows.append([
            mid, day, start, end, ONLINE if online else (table or ""),
            a_name, a_org, a_country, a_email,
            b_name, b_org, b_country, b_email,
            SCHEDULED if starts_at is not None else UNSCHEDULED,
            (reason or "") if starts_at is None else "",
            about,
            attendance or "",
            kind or "",
            title or "",
        ])
    return [row for _key, row in sorted(zip(order, rows, strict=True), key=lambda pair: pair[0])]


def session_label(session: MeetingSession) -> str:
    """``2030-05-20 09:00–10:00 Morning``: a session's local date and times, then its name."""
    label = f"{session.day.date.isoformat()} {session.start_time:%H:%M}–{session.end_time:%H:%M}"
    return f"{label} {session.name}".strip()


def _session_order(session: MeetingSession) -> tuple:
    return (session.day.date, session.start_time, session.id)


def meeting_counts(event: Event) -> tuple[Counter[int], Counter[int]]:
    """(scheduled, unscheduled) live meetings per participant id, in one query."""
    scheduled: Counter[int] = Counter()
    unscheduled: Counter[int] = Counter()
    pairs = db.session.execute(
        select(Meeting.participant_a_id, Meeting.participant_b_id, Meeting.slot_id)
        .where(Meeting.event_id == event.id, Meeting.is_live)
    )
    for a_id, b_id, slot_id in pairs:
        counter = scheduled if slot_id is not None else unscheduled
        counter[a_id] += 1
        counter[b_id] += 1
    return scheduled, unscheduled


def participant_rows(event: Event) -> list[list[Value]]:
    """One row per participant, in ``PARTICIPANT_COLUMNS`` order."""
    scheduled, unscheduled = meeting_counts(event)
    rows: list[list[Value]] = []
    for p in event_participants(event):
        rows.append([
            p.id, p.name, p.email, p.organisation_name, p.organisation_type, p.country, p.region,
            LIST_SEPARATOR.join(p.sectors),
            p.offer, p.seek, p.meeting_mode,
            LIST_SEPARATOR.join(session_label(s) for s in sorted(p.sessions, key=_session_order)),
            scheduled[p.id], unscheduled[p.id],
        ])
    return rows


# --- writers --------------------------------------------------------------------------------

def defuse(text: str) -> str:
    """A text cell that a spreadsheet would take for a formula, with a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _csv_text(value: Value, kind: Kind) -> str:
    if value is None:
        return ""
    if kind == "time" and isinstance(value, datetime):
        return f"{value:%H:%M}"
    if kind == "date" and isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, int):
        return str(value)
    return defuse(str(value))


def _check(columns: Sequence[Column], headers: Sequence[str]) -> None:
    if len(columns) != len(headers):
        raise ValueError(f"{len(columns)} columns but {len(headers)} headers")


def csv_chunks(columns: Sequence[Column], headers: Sequence[str], rows: Sequence[Sequence[Value]],
               chunk_rows: int = 1000) -> Iterator[bytes]:
    """Comma-separated UTF-8 with a byte order mark, so Excel reads ą, ł, ž and ī right; in
    chunks of ``chunk_rows`` rows, so a download can stream instead of being built whole."""
    _check(columns, headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([defuse(str(h)) for h in headers])
    for n, row in enumerate(rows, start=1):
        writer.writerow([_csv_text(value, c.kind) for value, c in zip(row, columns, strict=True)])
        if n % chunk_rows == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def to_csv(columns: Sequence[Column], headers: Sequence[str], rows: Sequence[Sequence[Value]]) -> bytes:
    return b"".join(csv_chunks(columns, headers, rows))


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NUMBER_FORMATS = {"date": "yyyy-mm-dd", "time": "hh:mm"}
_SHOWN_WIDTH = {"date": 10, "time": 5}


def _text_width(text: str) -> int:
    return max(map(len, text.splitlines()), default=0) if "\n" in text or "\r" in text else len(text)


def to_xlsx(columns: Sequence[Column], headers: Sequence[str], rows: Sequence[Sequence[Value]],
            *, title: str = "Sheet") -> bytes:
    """One sheet: a bold, frozen header row with a filter, widths that fit, local datetimes
    without tzinfo, and text always stored as text (a name like ``=1+1`` is not a formula).

    Written by XlsxWriter in constant-memory mode: each row goes to a temporary file as inline
    strings, with no cell objects and no shared-string table, in one pass that also measures the
    widths (XlsxWriter writes the columns' widths when the sheet is closed). Every ``str`` goes
    through ``write_string``, so neither a formula nor an error code like ``#N/A`` is written.
    """
    _check(columns, headers)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False,
                                            "default_date_format": _NUMBER_FORMATS["date"]})
    sheet = workbook.add_worksheet(_SHEET_TITLE_FORBIDDEN.sub(" ", title)[:31].strip("'") or "Sheet")
    bold = workbook.add_format({"bold": True})
    widths = []
    for c, header in enumerate(headers):
        text = ILLEGAL_CHARACTERS_RE.sub("", str(header))
        sheet.write_string(0, c, text, bold)
        widths.append(_text_width(text))
    kinds = [column.kind for column in columns]
    formats = [workbook.add_format({"num_format": _NUMBER_FORMATS[kind]}) if kind in _NUMBER_FORMATS else None
               for kind in kinds]
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    strip = ILLEGAL_CHARACTERS_RE.sub
    for r, row in enumerate(rows, start=1):
        for c, (value, kind) in enumerate(zip(row, kinds, strict=True)):
            if value is None:
                continue
            if isinstance(value, str):
                # Control characters are not allowed in a sheet's XML; "" is better an empty cell.
                text = strip("", value)
                if text:
                    write_string(r, c, text)
                    width = _text_width(text)
                    if width > widths[c]:
                        widths[c] = width
            elif isinstance(value, date):  # a datetime too; a date is read back as a datetime at 00:00
                write_datetime(r, c, value, formats[c])
                widths[c] = max(widths[c], _SHOWN_WIDTH.get(kind) or len(str(value)))
            else:
                write_number(r, c, value)
                widths[c] = max(widths[c], len(str(value)))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(width, MAX_COLUMN_WIDTH) + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    workbook.close()
    return buffer.getvalue()


# --- printable schedules and table plans ----------------------------------------------------

@dataclass(frozen=True)
class ScheduleEntry:
    """One scheduled meeting seen from one participant."""

    meeting: Meeting
    partner: Participant
    starts_at: datetime  # naive UTC, as stored
    ends_at: datetime
    local_day: date
    table: MeetingTable | None  # None when online
    online: bool


@dataclass(frozen=True)
class ParticipantSchedule:
    participant: Participant
    entries: list[ScheduleEntry]
    unscheduled: int
    stand: MeetingTable | None  # the exhibitor's own stand, if any
    days: list[date] = field(default_factory=list)  # local dates the section covers


@dataclass(frozen=True)
class TableSlot:
    slot: Slot
    meeting: Meeting | None


@dataclass(frozen=True)
class TablePlan:
    """One table on one local day: every slot of that day, booked or free."""

    table: MeetingTable
    local_day: date
    slots: list[TableSlot]

    @property
    def booked(self) -> int:
        return sum(1 for s in self.slots if s.meeting is not None)


def event_days(event: Event) -> list[date]:
    return sorted(d.date for d in event.days)


def participant_schedules(event: Event, participant_id: int | None = None) -> list[ParticipantSchedule]:
    """Each participant's scheduled meetings in time order (or one participant's; NotFound if
    ``participant_id`` is not in the event)."""
    query = select(Participant).where(Participant.event_id == event.id).options(*_JUST_PERSON)
    meetings_query = _live_meetings(event.id).where(Meeting.slot_id.is_not(None))
    if participant_id is not None:
        pid = _bounded_id(participant_id)
        query = query.where(Participant.id == pid)
        meetings_query = meetings_query.where(or_(Meeting.participant_a_id == pid, Meeting.participant_b_id == pid))
    participants = sorted(db.session.scalars(query).unique().all(), key=_participant_order)
    if participant_id is not None and not participants:
        raise NotFound()
    meetings = sorted(db.session.scalars(meetings_query).unique().all(), key=_time_order)
    _, unscheduled = meeting_counts(event)
    stands = {t.owner_participant_id: t for t in event.tables if t.owner_participant_id is not None}
    entries: dict[int, list[ScheduleEntry]] = {p.id: [] for p in participants}
    for m in meetings:
        local_day = to_local(m.slot.starts_at, event.timezone).date()
        for me in (m.participant_a_id, m.participant_b_id):
            if me in entries:
                entries[me].append(ScheduleEntry(
                    meeting=m, partner=m.other(me), starts_at=m.slot.starts_at, ends_at=m.slot.ends_at,
                    local_day=local_day, table=None if m.online else m.table, online=m.online,
                ))
    all_days = event_days(event)
    return [
        ParticipantSchedule(
            participant=p, entries=entries[p.id], unscheduled=unscheduled[p.id], stand=stands.get(p.id),
            days=sorted({e.local_day for e in entries[p.id]}) or all_days,
        )
        for p in participants
    ]


def table_plans(event: Event, table_id: int | None = None) -> list[TablePlan]:
    """For each table (or one; NotFound if not in the event) and each local day, its slots in
    time order with the meeting held there."""
    query = (
        select(MeetingTable).where(MeetingTable.event_id == event.id)
        .options(joinedload(MeetingTable.owner).options(*_JUST_PERSON))
        .order_by(MeetingTable.id)
    )
    meetings_query = _live_meetings(event.id).where(Meeting.slot_id.is_not(None), Meeting.table_id.is_not(None))
    if table_id is not None:
        tid = _bounded_id(table_id)
        query = query.where(MeetingTable.id == tid)
        meetings_query = meetings_query.where(Meeting.table_id == tid)
    tables = db.session.scalars(query).unique().all()
    if table_id is not None and not tables:
        raise NotFound()
    slots = db.session.scalars(
        select(Slot).where(Slot.event_id == event.id).order_by(Slot.starts_at, Slot.id)
    ).all()
    booked = {(m.table_id, m.slot_id): m for m in db.session.scalars(meetings_query).unique()}
    slots_by_day: dict[date, list[Slot]] = {}
    for slot in slots:
        slots_by_day.setdefault(to_local(slot.starts_at, event.timezone).date(), []).append(slot)
    if not slots_by_day:  # days without sessions yet: still one (empty) plan per table and day
        slots_by_day = {day: [] for day in event_days(event)}
    return [
        TablePlan(table=t, local_day=day,
                  slots=[TableSlot(slot=s, meeting=booked.get((t.id, s.id))) for s in day_slots])
        for t in tables
        for day, day_slots in slots_by_day.items()
    ]
