"""How much a batch run wants each accepted meeting placed: its priority, from the pair's signals.

The scheduling core maximises the summed priority of the meetings it places, so when slots are
scarce a meeting of higher priority wins over a plain one. Two signals count: the interest the two
participants marked for each other among their recommended partners (``PartnerMark``; only the
marks between the two people of the meeting count), and "must meet", which each side may mark on
the request (when sending or accepting it) within the event's quota: each side that marked it adds
``MUST_MEET_BONUS`` on top of the interest-based priority. A later signal is one more field of
``Signals`` and one more line in ``priority``.

Incremental placement (an event scheduling on accept) places one meeting at a time and ignores
priorities: they only matter in the organiser's batch runs (``services/scheduling_runs.py``).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Participant, PartnerMark
from ..models.recommendation import INTERESTED

BASE_PRIORITY = 1  # a plain accepted meeting
ONE_SIDED_INTEREST_PRIORITY = 2  # one of the two marked the other "interested"
MUTUAL_INTEREST_PRIORITY = 3  # both did

MUST_MEET_BONUS = 3  # for each side that marked the request "must meet"

NO_INTEREST, ONE_SIDED, MUTUAL = 0, 1, 2  # how many of the two marked the other "interested"


@dataclass(frozen=True)
class Signals:
    """What is known about one pair that should weigh on whether their meeting is placed."""

    interest: int = NO_INTEREST  # NO_INTEREST, ONE_SIDED or MUTUAL
    must_meet: int = 0  # how many of the two marked the request "must meet": 0, 1 or 2


def priority(signals: Signals) -> int:
    """The core's priority of a meeting request with these signals."""
    if signals.interest >= MUTUAL:
        base = MUTUAL_INTEREST_PRIORITY
    elif signals.interest == ONE_SIDED:
        base = ONE_SIDED_INTEREST_PRIORITY
    else:
        base = BASE_PRIORITY
    return base + MUST_MEET_BONUS * signals.must_meet


def must_meet_sides(row) -> int:
    """How many sides of a meeting (a row with the request's ``requester_must_meet`` and
    ``recipient_must_meet``) marked it "must meet"."""
    return int(bool(row.requester_must_meet)) + int(bool(row.recipient_must_meet))


def interest_of_pairs(event_id: int, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """For each (a, b) pair of participants, how many of the two marked the other interested (only
    pairs with some interest are keys)."""
    pairs = list(pairs)
    wanted = {frozenset(pair) for pair in pairs}
    if not wanted:
        return {}
    marked = db.session.execute(
        select(PartnerMark.participant_id, PartnerMark.other_id)
        .join(Participant, Participant.id == PartnerMark.participant_id)
        .where(Participant.event_id == event_id, PartnerMark.mark == INTERESTED)).all()
    counts: dict[frozenset[int], int] = {}
    for who, whom in marked:
        key = frozenset((who, whom))
        if key in wanted:
            counts[key] = counts.get(key, 0) + 1
    return {pair: counts[frozenset(pair)] for pair in pairs if frozenset(pair) in counts}
