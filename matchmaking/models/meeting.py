"""Meeting requests, the meetings they become, and the bookings that hold slots.

The database itself guarantees what must never happen:
- one open (pending or accepted) request per pair of participants and event: a partial unique
  index on the ordered pair;
- a participant booked twice in one slot: ``slot_booking`` has the primary key (participant, slot);
- a table booked twice in one slot: a partial unique index on the (slot, table) of live meetings
  not marked no-show (a no-show frees its table for a meeting arranged on the spot);
- a request accepted twice: one meeting per request (unique ``request_id``), and the service
  accepts with a conditional UPDATE (``WHERE status = 'pending'``).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ColumnElement, Date, ForeignKey, Index, Select, String, Text, or_, select, text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false as sql_false

from ..extensions import db
from .base import utcnow

PENDING, ACCEPTED, DECLINED, WITHDRAWN, CANCELLED = "pending", "accepted", "declined", "withdrawn", "cancelled"
EXPIRED = "expired"  # still pending when the request deadline passed
HELD, NO_SHOW = "held", "no_show"
ATTENDANCE = (HELD, NO_SHOW)
REQUEST_STATUSES = (PENDING, ACCEPTED, DECLINED, WITHDRAWN, CANCELLED, EXPIRED)
OPEN_STATUSES = (PENDING, ACCEPTED)
# The live meetings that hold their table (and their seats): a no-show gives both back.
HOLDS_TABLE = "cancelled_at IS NULL AND table_id IS NOT NULL AND (attendance IS NULL OR attendance <> 'no_show')"

# Why an accepted meeting has no slot: the codes stored in ``Meeting.unscheduled_reason`` (the web
# layer translates them). Stored values: never change one, only add.
NO_COMMON_SESSION = "no_common_session"
PARTICIPANT_FULL = "participant_full"  # one side has no free slot left in the common sessions
NO_COMMON_FREE_SLOT = "no_common_free_slot"  # each common slot is taken for one side or the other
NO_TABLE_FREE = "no_table_free"
MAX_MEETINGS_REACHED = "max_meetings_reached"  # a side already has as many meetings as they want
WAITING_FOR_BATCH = "waiting_for_batch"  # the event schedules in one run, later
OUTSIDE_WINDOW = "outside_window"  # both have free slots in common, none in the request's agreed time window
# A request's agreed time window (services/time_windows.py): any time, or a day, its morning or its
# afternoon (``window_date`` names the day). Stored values: never change one, only add.
ANY_TIME, WHOLE_DAY, MORNING, AFTERNOON = "any", "day", "morning", "afternoon"
WINDOW_PARTS = (ANY_TIME, WHOLE_DAY, MORNING, AFTERNOON)
UNSCHEDULED_REASONS = (NO_COMMON_SESSION, PARTICIPANT_FULL, NO_COMMON_FREE_SLOT, NO_TABLE_FREE,
                       MAX_MEETINGS_REACHED, WAITING_FOR_BATCH, OUTSIDE_WINDOW)


class MeetingRequest(db.Model):
    __tablename__ = "meeting_request"
    __table_args__ = (
        CheckConstraint("requester_id <> recipient_id", name="not_self"),
        CheckConstraint("pair_low_id < pair_high_id", name="ordered_pair"),
        CheckConstraint("window_part IN ('any', 'day', 'morning', 'afternoon')", name="window_part"),
        CheckConstraint("(window_part = 'any') = (window_date IS NULL)", name="window_date"),
        Index(
            "uq_meeting_request_open_pair",
            "event_id", "pair_low_id", "pair_high_id",
            unique=True,
            sqlite_where=text("status IN ('pending', 'accepted')"),
            postgresql_where=text("status IN ('pending', 'accepted')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    pair_low_id: Mapped[int]
    pair_high_id: Mapped[int]
    message: Mapped[str] = mapped_column(Text, default="")
    online: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]
    decline_reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # shown to the requester
    # The marketplace opportunity the request is about, if any (its meeting reads it from here).
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunity.id", ondelete="SET NULL"), index=True)
    # The time window the requester chose and the recipient agreed to (or changed on accepting).
    window_part: Mapped[str] = mapped_column(String(16), default=ANY_TIME, server_default=ANY_TIME)
    window_date: Mapped[date | None] = mapped_column(Date)
    # "Must meet", marked by either side within the event's quota: raises the priority in batch runs.
    requester_must_meet: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    recipient_must_meet: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    # Proposed on the day, face to face: accepting books the next slot both are free in (services/on_the_day.py).
    walk_in: Mapped[bool] = mapped_column(default=False, server_default=sql_false())

    requester = relationship("Participant", foreign_keys=[requester_id], lazy="joined")
    opportunity = relationship("Opportunity", lazy="joined")
    recipient = relationship("Participant", foreign_keys=[recipient_id], lazy="joined")
    meeting: Mapped[Meeting | None] = relationship(back_populates="request", uselist=False)

    def other(self, participant_id: int):
        return self.recipient if participant_id == self.requester_id else self.requester

    @classmethod
    def for_pair(cls, event_id: int, a_id: int, b_id: int) -> Select:
        """SELECT the open (pending or accepted) request of two participants of an event, either way
        round: at most one row, as the partial unique index ``uq_meeting_request_open_pair`` ensures."""
        low, high = sorted((a_id, b_id))
        return select(cls).where(
            cls.event_id == event_id, cls.pair_low_id == low, cls.pair_high_id == high, cls.status.in_(OPEN_STATUSES)
        )


class Meeting(db.Model):
    """An accepted request: scheduled (slot and, on site, a table) or unscheduled with a reason."""

    __tablename__ = "meeting"
    __table_args__ = (
        Index(
            "uq_meeting_live_table_slot",
            "slot_id", "table_id",
            unique=True,
            sqlite_where=text(HOLDS_TABLE),
            postgresql_where=text(HOLDS_TABLE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("meeting_request.id", ondelete="CASCADE"), unique=True)
    participant_a_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    participant_b_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    online: Mapped[bool] = mapped_column(default=False)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("slot.id", ondelete="SET NULL"), index=True)
    table_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_table.id", ondelete="SET NULL"))
    unscheduled_reason: Mapped[str | None] = mapped_column(String(32))
    # The participant the reason is about ("X has no free slot left"), where it names one.
    unscheduled_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL")
    )
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # Confirmed by a published schedule: the scheduler never moves a pinned meeting.
    pinned: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE: bumped on every change
    # Whether the meeting took place: None (not marked), "held" or "no_show"; either side or an organiser.
    attendance: Mapped[str | None] = mapped_column(String(16))
    attendance_marked_at: Mapped[datetime | None]
    attendance_marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    request: Mapped[MeetingRequest] = relationship(back_populates="meeting")
    participant_a = relationship("Participant", foreign_keys=[participant_a_id], lazy="joined")
    participant_b = relationship("Participant", foreign_keys=[participant_b_id], lazy="joined")
    slot = relationship("Slot", lazy="joined")
    table = relationship("MeetingTable", lazy="joined")

    @property
    def opportunity(self):
        """The marketplace opportunity the meeting is about (through its request), or None."""
        return self.request.opportunity if self.request is not None else None

    @hybrid_property
    def is_live(self) -> bool:
        """Not cancelled. In a query, ``Meeting.is_live`` is ``cancelled_at IS NULL`` (as the partial indexes)."""
        return self.cancelled_at is None

    @is_live.inplace.expression
    @classmethod
    def _is_live_expression(cls) -> ColumnElement[bool]:
        return cls.cancelled_at.is_(None)

    @hybrid_property
    def holds_place(self) -> bool:
        """Live and not marked no-show: it holds its slot's seats and table (``HOLDS_TABLE``)."""
        return self.cancelled_at is None and self.attendance != NO_SHOW

    @holds_place.inplace.expression
    @classmethod
    def _holds_place_expression(cls) -> ColumnElement[bool]:
        return cls.cancelled_at.is_(None) & or_(cls.attendance.is_(None), cls.attendance != NO_SHOW)

    @property
    def is_scheduled(self) -> bool:
        return self.is_live and self.slot_id is not None

    def other(self, participant_id: int):
        return self.participant_b if participant_id == self.participant_a_id else self.participant_a

    @property
    def status(self) -> str:
        """scheduled, unscheduled (accepted, waiting for a place) or cancelled."""
        if self.cancelled_at is not None:
            return "cancelled"
        return "scheduled" if self.slot_id is not None else "unscheduled"

    @property
    def video_url(self) -> str:
        """Where an online meeting takes place: the requester's video room, else the recipient's."""
        if not self.online:
            return ""
        return self.participant_a.video_url or self.participant_b.video_url

    def involves(self, participant_id: int) -> bool:
        return participant_id in (self.participant_a_id, self.participant_b_id)


class SlotBooking(db.Model):
    """A participant's seat in a slot; the primary key forbids being in two meetings at once."""

    __tablename__ = "slot_booking"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
    )
    slot_id: Mapped[int] = mapped_column(ForeignKey("slot.id", ondelete="CASCADE"), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
