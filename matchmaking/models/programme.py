"""The event's programme besides one-to-one meetings: plenaries, workshops, study visits, ..."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Text, text
from sqlalchemy import Table as SATable
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

PROGRAMME_KINDS = ("plenary", "workshop", "study_visit", "online", "networking", "break")

programme_attendance = SATable(
    "programme_attendance",
    db.metadata,
    Column("participant_id", ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True),
    Column("programme_session_id", ForeignKey("programme_session.id", ondelete="CASCADE"), primary_key=True),
)


class ProgrammeSession(db.Model):
    """A session of the programme. With ``signup`` participants choose it, and the meeting scheduler
    treats them as busy while it runs; without, it is for everyone (a plenary, a break)."""

    __tablename__ = "programme_session"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    # The title in other languages: {"pl": {"title": ...}, "lv": {...}}.
    translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    starts_at: Mapped[datetime]  # naive UTC
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    signup: Mapped[bool] = mapped_column(default=False)
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")  # iCalendar SEQUENCE: bumped on each edit

    # Loaded only when asked for (a session may have hundreds of attendees): personal pages ask
    # programme_attendance for one participant's rows instead (services/programme.py).
    attendees = relationship("Participant", secondary=programme_attendance, lazy="select",
                             backref="programme_sessions")
