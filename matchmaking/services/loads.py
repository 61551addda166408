"""Loading rules for the pages that list meetings or requests: what each row brings with it.

By the models' defaults a participant comes with its sectors and sessions (``selectin``), and a
meeting with its request, whose requester, recipient and opportunity come with theirs: a page of
meetings then ran a statement per kind of relation and per batch of people, and a request's meeting
one statement per request. These options load what the pages show (both sides' names and contact
details, the slot, the table, the request and its opportunity) in a fixed number of statements,
whatever the size of the event or of the list. The relations a page does not show are left lazy:
asked for, they still load (no page breaks), and tests/test_page_queries.py counts the statements.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import joinedload, lazyload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from ..models import Meeting, MeetingRequest, Opportunity, Participant

# A participant shown by name, organisation and contact details: not its sectors or sessions.
_UNSHOWN = (lazyload(Participant.sector_rows), lazyload(Participant.sessions))


def _named(side: Any) -> LoaderOption:
    return joinedload(side).options(*_UNSHOWN)


def _opportunity() -> LoaderOption:
    # Its owner is one side of the request, already in the session: lazy, it is taken from there.
    return joinedload(MeetingRequest.opportunity).options(
        lazyload(Opportunity.participant), lazyload(Opportunity.sector_rows))


def participant_alone() -> tuple[LoaderOption, ...]:
    """A participant without its sectors and sessions (the logged-in participant of a page)."""
    return _UNSHOWN


def meetings_shown() -> tuple[LoaderOption, ...]:
    """Meetings with both sides, their slot and table, and their request with its opportunity."""
    # The request's requester and recipient are the meeting's two sides, already in the session: lazy,
    # they are taken from there without a statement.
    return (_named(Meeting.participant_a), _named(Meeting.participant_b), joinedload(Meeting.slot),
            joinedload(Meeting.table), selectinload(Meeting.request).options(
                lazyload(MeetingRequest.requester), lazyload(MeetingRequest.recipient), _opportunity()))


def requests_shown() -> tuple[LoaderOption, ...]:
    """Requests with both sides, their opportunity and the meeting an accepted one became."""
    return (_named(MeetingRequest.requester), _named(MeetingRequest.recipient), _opportunity(),
            selectinload(MeetingRequest.meeting).options(
                lazyload(Meeting.participant_a), lazyload(Meeting.participant_b), lazyload(Meeting.slot),
                lazyload(Meeting.table), lazyload(Meeting.request)))
