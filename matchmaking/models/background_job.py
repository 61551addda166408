"""Long work an organiser asked for (an import, a scheduler run), done by the background process.

The web request only queues the row (an import's rows are stored when its check page is shown,
and queued when the organiser confirms them) and shows it; ``flask scheduler`` (or ``flask run-jobs``) claims
it once with a conditional update, works through it and records how far it got, so a job whose
process died is claimed again after its heartbeat goes stale and continues where it stopped.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# An import checked and shown to the organiser, waiting for their confirmation: never claimed, and
# forgotten (with the people's data in it) when it is not confirmed within the hour.
CHECKED = "checked"
JOB_STATUSES = (CHECKED, QUEUED, RUNNING, DONE, FAILED)
PARTICIPANT_IMPORT, SCHEDULE_RUN = "participant_import", "schedule_run"
RECOMMENDATIONS = "recommendations"  # rank an event's partners (services/recommendations.py)
SCHEDULE_PUBLISH = "schedule_publish"  # write a draft run as the live schedule (services/scheduling_runs.py)
JOB_KINDS = (PARTICIPANT_IMPORT, SCHEDULE_RUN, RECOMMENDATIONS, SCHEDULE_PUBLISH)


class BackgroundJob(db.Model):
    __tablename__ = "background_job"
    __table_args__ = (Index("ix_background_job_due", "status", "heartbeat_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    progress_done: Mapped[int] = mapped_column(default=0)  # rows (or steps) finished and committed
    progress_total: Mapped[int] = mapped_column(default=0)  # 0: not countable (a solver run)
    input_json: Mapped[str] = mapped_column(Text, default="{}")  # what to do: the checked rows, the time limit
    result_json: Mapped[str] = mapped_column(Text, default="{}")  # counts so far, or the draft run's id
    error: Mapped[str] = mapped_column(Text, default="")  # why it failed, for the organiser
    attempts: Mapped[int] = mapped_column(default=0)  # claims so far; each claim's number owns the job
    claimed_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]  # the runner is alive while this is recent
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    requested_by = relationship("User")

    @property
    def input(self) -> dict:
        return json.loads(self.input_json or "{}")

    @property
    def result(self) -> dict:
        return json.loads(self.result_json or "{}")

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)
