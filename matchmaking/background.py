"""Running the background jobs that web requests queued (``services/background_jobs.py``).

Called by the scheduler process every few seconds and by ``flask run-jobs``. Each job is claimed
once, then worked through step by step, one transaction per step, so that its page shows the
progress and a crash loses at most one step (the job is claimed again once its heartbeat is stale).
Refusals are written in the language of the organiser who asked.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale

from .extensions import db, set_sqlite_write_intent
from .models.base import utcnow
from .services import background_jobs
from .services.errors import ServiceError

log = logging.getLogger(__name__)


def run_queued(*, clock: Callable[[], datetime] = utcnow, stale_after: timedelta = background_jobs.STALE_AFTER,
               limit: int | None = None) -> dict[str, int]:
    """Run due jobs (queued, or abandoned by a dead process) until none is left, or ``limit`` of them."""
    set_sqlite_write_intent(True)  # a writer: on SQLite take the lock at BEGIN, so overlapping runs queue
    background_jobs.forget_unconfirmed(now=clock())
    db.session.commit()
    counts = {"done": 0, "failed": 0, "retry": 0, "lost": 0}
    while limit is None or sum(counts.values()) < limit:
        owned = background_jobs.claim(now=clock(), stale_after=stale_after)
        db.session.commit()
        if owned is None:
            break
        counts[run_claimed(owned, clock=clock)] += 1
    return counts


def run_claimed(owned: background_jobs.Claim, *, clock: Callable[[], datetime] = utcnow) -> str:
    """Work through one claimed job, committing after every step; the outcome's name."""
    locale = background_jobs.requester_locale(owned) or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        try:
            while not background_jobs.step(owned, now=clock()):
                db.session.commit()
            db.session.commit()
            return "done"
        except background_jobs.LostClaim:
            db.session.rollback()
            return "lost"
        except ServiceError as refusal:
            db.session.rollback()
            message = refusal.message
            return _settle(lambda: background_jobs.fail(owned, clock(), message) or "failed")
        except Exception as error:  # a bug or a lost database connection: retried, then failed
            db.session.rollback()
            log.exception("background job %s failed", owned.job_id)
            detail = f"{type(error).__name__}: {error}"
            return _settle(lambda: "retry" if background_jobs.release(owned, clock(), detail) == "queued"
                           else "failed")


def _settle(write: Callable[[], str]) -> str:
    """Record how the job ended (the write returns the outcome's name) and commit it."""
    try:
        outcome = write()
        db.session.commit()
    except background_jobs.LostClaim:
        db.session.rollback()
        return "lost"
    return outcome
