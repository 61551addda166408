"""The organiser's batch runs: compute a draft schedule, review what changes, publish or discard.

A draft changes nothing that participants see. Publishing writes the whole draft in one
transaction under the event's lock, so a crash leaves the previous schedule whole; it is refused
when the live schedule changed since the draft was computed. Published meetings are pinned: later
runs and incremental placements never move them until the organiser releases them.
"""
from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from .. import scheduling as core
from ..extensions import db
from ..models import Event, Meeting, ScheduleRun, User
from ..models.base import utcnow
from ..models.meeting import NO_COMMON_FREE_SLOT
from ..models.schedule_run import DISCARDED, DRAFT, PUBLISHED
from . import bulk, shapes, webhooks
from .errors import Conflict, NothingToSchedule, ServiceError
from .lookup import one_of_event
from .placement import apply_schedule, lock_event, reason_from
from .priorities import MUTUAL
from .schedule_instance import batch_instance, db_id, fingerprint, is_meeting_key, load_live_schedule

SCHEDULING_MODES = ("immediate", "batch")
DEFAULT_TIME_LIMIT = 10.0


def create_draft(*, event: Event, actor: User | None, time_limit: float = DEFAULT_TIME_LIMIT,
                 seed: int = 0) -> ScheduleRun:
    """Solve the whole event (pinned meetings stay) and keep the result as a draft.

    An event without live meetings is refused with NothingToSchedule (the caller says so; a draft
    of nothing would only hide that there is nothing to review)."""
    ensure_something_to_schedule(event)
    live = load_live_schedule(event.id)
    pins = tuple(m for m in live.assignment if m.request in live.pinned)
    weighted, interest = batch_instance(live, event.id)
    instance = dataclasses.replace(weighted, pinned=pins)
    started = time.perf_counter()
    solution = core.solve(instance, time_limit=time_limit, seed=seed)
    seconds = time.perf_counter() - started
    # The run's value and bound count meetings, whatever their priorities (the page says "meetings").
    plain = dataclasses.replace(live.instance, pinned=pins)
    bound = (solution.stats.get("bound") if weighted.requests == live.instance.requests else None) \
        or core.upper_bound(plain).value
    problems = core.check(instance, solution)
    if problems:  # never publish something the core itself calls infeasible
        raise ServiceError(_("The scheduler produced an infeasible schedule: %(problem)s",
                             problem=problems[0].message))
    reasons = core.explain(instance, solution)
    result = {
        "meetings": {str(db_id(m.request)): [db_id(m.slot), db_id(m.table)]
                     for m in solution.meetings if is_meeting_key(m.request)},
        "unscheduled": {str(db_id(rid)): [code, [pid for pid in [who] if pid is not None]]
                        for rid, (code, who) in ((rid, reason_from(e)) for rid, e in reasons.items())},
        "interest": {str(meeting_id): sides for meeting_id, sides in interest.items()},
        # idle gaps (runs of free slots between two of a participant's meetings in a day), now and in the draft
        "gaps": {"before": core.total_gaps(live.instance, live.assignment),
                 "after": core.total_gaps(instance, solution.meetings)},
    }
    run = ScheduleRun(
        event_id=event.id, created_by_id=actor.id if actor else None, status=DRAFT,
        base_fingerprint=fingerprint(live), value=core.value(plain, solution) - live.closures,
        bound=int(bound) - live.closures,
        seconds=round(seconds, 2),
        result_json=json.dumps(result, separators=(",", ":")),
    )
    db.session.add(run)
    db.session.flush()
    return run


def ensure_something_to_schedule(event: Event) -> None:
    """Refuse a run for an event with no accepted (live) meetings: there is nothing to place."""
    if not db.session.scalar(select(func.count()).select_from(Meeting).where(
            Meeting.event_id == event.id, Meeting.is_live)):
        raise NothingToSchedule(_("Nothing to schedule: this event has no accepted meetings yet."))


SHOWN = 200  # meetings listed per kind of change on the review page; the counts cover all


@dataclass
class Review:
    """What publishing a draft would change: counts, and up to SHOWN meetings of each kind."""

    counts: dict[str, int] = field(default_factory=dict)  # added, moved, unchanged, dropped, unscheduled
    added: list[Meeting] = field(default_factory=list)  # unscheduled now, scheduled in the draft
    moved: list[Meeting] = field(default_factory=list)  # another slot or table
    dropped: list[Meeting] = field(default_factory=list)  # scheduled now, unscheduled in the draft
    unscheduled: list[tuple[Meeting, str, int | None]] = field(default_factory=list)  # with the reason
    stale: bool = False  # the live schedule changed since the draft was made
    gaps: dict[str, int] = field(default_factory=dict)  # idle gaps: "before" (the live schedule), "after" (the draft)
    # Meetings whose pair marked interest (which raised their priority, services/priorities.py), counted
    # by where the draft puts them: {"scheduled": {"one_sided": n, "mutual": n}, "unscheduled": {...}}.
    interest: dict[str, dict[str, int]] = field(default_factory=dict)


def review(run: ScheduleRun) -> Review:
    live = load_live_schedule(run.event_id)
    result = run.result
    planned = {int(k): tuple(v) for k, v in result.get("meetings", {}).items()}
    reasons = {int(k): v for k, v in result.get("unscheduled", {}).items()}
    ids: dict[str, list[int]] = {"added": [], "moved": [], "unchanged": [], "dropped": [], "unscheduled": []}
    for meeting_id, row in sorted(live.meetings.items()):
        now = (row.slot_id, row.table_id) if row.slot_id else None
        target = planned.get(meeting_id)
        if target is None:
            if now:
                ids["dropped"].append(meeting_id)
            ids["unscheduled"].append(meeting_id)
        elif now is None:
            ids["added"].append(meeting_id)
        elif now != target:
            ids["moved"].append(meeting_id)
        else:
            ids["unchanged"].append(meeting_id)
    interest = {"scheduled": {"one_sided": 0, "mutual": 0}, "unscheduled": {"one_sided": 0, "mutual": 0}}
    for key, sides in result.get("interest", {}).items():
        if int(key) in live.meetings:
            interest["scheduled" if int(key) in planned else "unscheduled"][
                "mutual" if sides >= MUTUAL else "one_sided"] += 1
    shown = {mid for kind in ("added", "moved", "dropped", "unscheduled") for mid in ids[kind][:SHOWN]}
    loaded = {m.id: m for m in db.session.scalars(select(Meeting).where(Meeting.id.in_(shown)))} if shown else {}
    return Review(
        counts={kind: len(found) for kind, found in ids.items()},
        added=[loaded[i] for i in ids["added"][:SHOWN]], moved=[loaded[i] for i in ids["moved"][:SHOWN]],
        dropped=[loaded[i] for i in ids["dropped"][:SHOWN]],
        unscheduled=[(loaded[i], *_reason(reasons, i)) for i in ids["unscheduled"][:SHOWN]],
        stale=fingerprint(live) != run.base_fingerprint, interest=interest, gaps=result.get("gaps", {}),
    )


def _reason(reasons: dict[int, list], meeting_id: int) -> tuple[str, int | None]:
    code, who = reasons.get(meeting_id, [NO_COMMON_FREE_SLOT, []])
    return code, (who[0] if who else None)


def get_run(event: Event, run_id: int) -> ScheduleRun:
    return one_of_event(ScheduleRun, event.id, run_id)


def latest_draft(event: Event) -> ScheduleRun | None:
    return db.session.scalar(
        select(ScheduleRun).where(ScheduleRun.event_id == event.id, ScheduleRun.status == DRAFT)
        .order_by(ScheduleRun.id.desc()).limit(1)
    )


def publish(*, run: ScheduleRun) -> list[int]:
    """Write the draft as the live schedule, pin every scheduled meeting; returns the changed ids."""
    lock_event(run.event_id)
    db.session.refresh(run)
    if run.status != DRAFT:
        raise Conflict(_("This run is no longer a draft."))
    live = load_live_schedule(run.event_id)
    if fingerprint(live) != run.base_fingerprint:
        raise Conflict(_("The schedule changed since this draft was made (new, cancelled or moved meetings). "
                         "Run the scheduler again."))
    result = run.result
    planned = {int(k): (v[0], v[1]) for k, v in result.get("meetings", {}).items()}
    changes = {mid: planned.get(mid, (None, None)) for mid in live.meetings}
    changed = apply_schedule(changes, pin=True)
    now = utcnow()
    reasons = [{"id": int(mid), "unscheduled_reason": code, "unscheduled_participant_id": who[0] if who else None,
                "updated_at": now}
               for mid, (code, who) in result.get("unscheduled", {}).items() if int(mid) in live.meetings]
    bulk.update_by_id(Meeting.__table__, reasons)
    scheduled_ids = [mid for mid in planned if mid in live.meetings]
    for start in range(0, len(scheduled_ids), 1000):  # those apply_schedule did not pin: they stay where they are
        db.session.execute(update(Meeting).where(Meeting.id.in_(scheduled_ids[start:start + 1000]),
                                                 Meeting.pinned.is_(False))
                           .values(pinned=True).execution_options(synchronize_session=False))
    db.session.execute(update(ScheduleRun).where(ScheduleRun.event_id == run.event_id, ScheduleRun.status == DRAFT,
                                                 ScheduleRun.id != run.id).values(status=DISCARDED))
    run.status = PUBLISHED
    run.published_at = utcnow()
    db.session.flush()
    webhooks.emit(event_id=run.event_id, kind="schedule.published", data=lambda: shapes.schedule_data(
        run_id=run.id, published_at=run.published_at, changed=len(changed), scheduled=len(scheduled_ids),
        unscheduled=len(live.meetings) - len(scheduled_ids)))
    return changed


def discard(*, run: ScheduleRun) -> None:
    if run.status != DRAFT:
        raise Conflict(_("This run is no longer a draft."))
    run.status = DISCARDED


def release_pins(*, event: Event) -> int:
    """Let the scheduler move every meeting again (for example before a fresh run)."""
    lock_event(event.id)
    result = db.session.execute(update(Meeting).where(Meeting.event_id == event.id, Meeting.pinned.is_(True))
                                .values(pinned=False).execution_options(synchronize_session=False))
    return result.rowcount


def set_mode(*, event: Event, mode: str) -> None:
    if mode not in SCHEDULING_MODES:
        raise ServiceError(_("Unknown scheduling mode."))
    event.scheduling_mode = mode


def run_and_publish(*, event: Event, time_limit: float = DEFAULT_TIME_LIMIT) -> ScheduleRun:
    """One unattended run (for the request deadline, or the command line): draft, then publish."""
    run = create_draft(event=event, actor=None, time_limit=time_limit)
    publish(run=run)
    return run


def meeting_counts(event: Event) -> dict[str, int]:
    """Live meetings scheduled, waiting for a place, and pinned: the scheduling page's summary."""
    def count(*where) -> int:
        return db.session.scalar(select(func.count()).select_from(Meeting).where(
            Meeting.event_id == event.id, Meeting.is_live, *where)) or 0

    return {"scheduled": count(Meeting.slot_id.is_not(None)), "unscheduled": count(Meeting.slot_id.is_(None)),
            "pinned": count(Meeting.pinned.is_(True))}


def recent_runs(event: Event, limit: int = 10) -> list[ScheduleRun]:
    return list(db.session.scalars(select(ScheduleRun).where(ScheduleRun.event_id == event.id)
                                   .order_by(ScheduleRun.id.desc()).limit(limit)))
