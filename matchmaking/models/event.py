"""An event and its set-up: days, meeting sessions, the slots derived from them, tables."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy import Table as SATable
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false as sql_false
from sqlalchemy.sql.expression import true as sql_true

from ..extensions import db
from .base import utcnow

event_organiser = SATable(
    "event_organiser",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


table_closure = SATable(
    "table_closure",
    db.metadata,
    Column("table_id", ForeignKey("meeting_table.id", ondelete="CASCADE"), primary_key=True),
    Column("slot_id", ForeignKey("slot.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    __tablename__ = "event"
    __table_args__ = (CheckConstraint("must_meet_quota >= 0 AND must_meet_quota <= 50", name="must_meet_quota"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # The organiser's privacy notice (they are the controller); empty: the app's template is shown.
    privacy_notice: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The name, description and privacy notice in other languages: {"pl": {"name": ..., ...}, "lv": {...}}.
    translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    timezone: Mapped[str] = mapped_column(String(64))
    # The event's lifecycle, each a naive-UTC instant the app enforces (None: no limit that way).
    registration_opens_at: Mapped[datetime | None]
    registration_deadline: Mapped[datetime | None]
    requests_open_at: Mapped[datetime | None]
    request_deadline: Mapped[datetime | None]
    # Before this instant participants see that they have meetings, but not when and where.
    schedule_published_at: Mapped[datetime | None]
    # "immediate": an accepted request is booked at once; "batch": it waits for the organiser's run.
    scheduling_mode: Mapped[str] = mapped_column(String(16), default="immediate", server_default="immediate")
    # Run and publish the batch scheduler once the request deadline passes; set when it has run.
    auto_schedule: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    auto_scheduled_at: Mapped[datetime | None]
    # When set, new registrations wait for an organiser's approval before they can meet anyone.
    requires_approval: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    # Personal data of the participants is anonymised this many days after the event's last day
    # (services/personal_data.py); set when that was done, so it is done once.
    retention_days: Mapped[int] = mapped_column(default=90, server_default="90")
    purged_at: Mapped[datetime | None]
    # The marketplace: participants must publish an opportunity before they can request meetings;
    # the event's categories, [{"code": ..., "name": ...}] (an empty name: the code's translated
    # label), or None for the default list (models/opportunity.DEFAULT_CATEGORIES).
    requires_opportunity: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    opportunity_categories: Mapped[list | None] = mapped_column(JSON)
    # When the organisers were first warned of the deletion: nothing is deleted less than a day after it.
    retention_warned_at: Mapped[datetime | None]
    # How many of their requests each participant may mark "must meet" (0: nobody may).
    must_meet_quota: Mapped[int] = mapped_column(default=3, server_default="3")
    # The event's look (services/branding.py): its logo and banner, named by their content's hash in the
    # picture store (services/storage.py; "": none), and the accent colour, "#rrggbb" ("": the app's own).
    logo: Mapped[str] = mapped_column(String(80), default="", server_default="")
    banner: Mapped[str] = mapped_column(String(80), default="", server_default="")
    accent_color: Mapped[str] = mapped_column(String(7), default="", server_default="")
    # The follow-up mail months later (services/outcomes.py), unless turned off: on this day (None: six
    # months after the event's last day); when it and its one reminder were queued, so each goes once.
    # While it is on, personal data is kept until its answers are in (retention counts from then).
    followup_enabled: Mapped[bool] = mapped_column(default=True, server_default=sql_true())
    followup_on: Mapped[date | None] = mapped_column(Date)
    followup_sent_at: Mapped[datetime | None]
    followup_reminded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisers = relationship("User", secondary=event_organiser, lazy="selectin")
    days: Mapped[list[EventDay]] = relationship(
        back_populates="event", order_by="EventDay.date", cascade="all, delete-orphan", passive_deletes=True
    )
    tables: Mapped[list[MeetingTable]] = relationship(
        back_populates="event", order_by="MeetingTable.id", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.name!r}>"

    # The event's rules. ``now`` is a naive-UTC instant (``models.base.utcnow()``), passed in so that
    # callers and tests decide the clock; a missing date means no limit that way.

    def registration_open(self, now: datetime) -> bool:
        """Whether participants may register themselves at ``now`` (organisers may register people any time)."""
        return ((self.registration_opens_at is None or now >= self.registration_opens_at)
                and (self.registration_deadline is None or now <= self.registration_deadline))

    def requests_open(self, now: datetime) -> bool:
        """Whether participants may send meeting requests at ``now``."""
        return ((self.requests_open_at is None or now >= self.requests_open_at)
                and (self.request_deadline is None or now <= self.request_deadline))

    def schedule_visible(self, now: datetime) -> bool:
        """Whether participants may see when and where their meetings are (the schedule is published)."""
        return self.schedule_published_at is None or now >= self.schedule_published_at

    def is_organised_by(self, user) -> bool:
        """Whether ``user`` (a ``User``, an anonymous user or None) is an organiser of this event, or an admin."""
        if user is None or not user.is_authenticated:
            return False
        return bool(user.is_admin or any(o.id == user.id for o in self.organisers))


class EventDay(db.Model):
    __tablename__ = "event_day"
    __table_args__ = (UniqueConstraint("event_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date)

    event: Mapped[Event] = relationship(back_populates="days")
    sessions: Mapped[list[MeetingSession]] = relationship(
        back_populates="day", order_by="MeetingSession.start_time", cascade="all, delete-orphan", passive_deletes=True
    )


class MeetingSession(db.Model):
    """A block of one-to-one meetings on a day, cut into slots of ``slot_minutes``.

    ``breaks`` lists local-time intervals such as ``10:30-10:45, 12:00-13:00``; no slot overlaps one.
    """

    __tablename__ = "meeting_session"
    __table_args__ = (
        CheckConstraint("end_time > start_time", name="ends_after_start"),
        CheckConstraint("slot_minutes >= 5 AND slot_minutes <= 240", name="slot_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(ForeignKey("event_day.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int]
    breaks: Mapped[str] = mapped_column(String(300), default="")

    day: Mapped[EventDay] = relationship(back_populates="sessions")
    slots: Mapped[list[Slot]] = relationship(
        back_populates="session", order_by="Slot.starts_at", cascade="all, delete-orphan", passive_deletes=True
    )


class Slot(db.Model):
    """One bookable meeting time, derived from a session; stored so bookings can reference it."""

    __tablename__ = "slot"
    __table_args__ = (UniqueConstraint("session_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("meeting_session.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    session: Mapped[MeetingSession] = relationship(back_populates="slots")


class MeetingTable(db.Model):
    """A table or meeting point; an exhibitor's own stand when ``owner_participant_id`` is set."""

    __tablename__ = "meeting_table"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    location: Mapped[str] = mapped_column(String(120), default="", server_default="")  # e.g. "Hall B, 1st floor"
    owner_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), unique=True
    )

    event: Mapped[Event] = relationship(back_populates="tables")
    owner = relationship("Participant", foreign_keys=[owner_participant_id])
    closed_slots = relationship("Slot", secondary=table_closure, order_by="Slot.starts_at")
