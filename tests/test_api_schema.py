"""schemathesis drives every API operation from the OpenAPI description, with a participant's and an
organiser's token: no server error, and no response that contradicts the description."""
from __future__ import annotations

import contextlib

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select

from matchmaking.background import run_queued
from matchmaking.extensions import db
from matchmaking.models import Participant, User
from matchmaking.services import api_tokens, background_jobs, meetings

EXAMPLES = 12  # generated cases per operation; raise it locally for a deeper run
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def tokens(app, pair):
    """A participant with a meeting, and the event's organiser; the ids that exist, to aim at."""
    event_id, a, b = pair
    with app.app_context():
        anna, martins = db.session.get(Participant, a), db.session.get(Participant, b)
        first = meetings.request_meeting(requester=anna, recipient=martins, message="Sveiki", online=False)
        meeting = meetings.accept_request(recipient=martins, request_id=first.id)
        job = background_jobs.enqueue_schedule_run(event=anna.event, actor=anna.event.organisers[0], time_limit=1)
        db.session.commit()
        run_queued()  # a finished job, whose result links to its draft
        found: dict = {"known": {"event_id": event_id, "participant_id": b, "meeting_id": meeting.id,
                                 "request_id": first.id, "job_id": job.id}}
        for email, scope in (("a@example.org", "participant"), ("org@example.org", "organiser")):
            user = db.session.scalar(select(User).where(User.email == email))
            found[scope] = api_tokens.create_token(user=user, name="schemathesis", scopes=(scope,))[1]
        db.session.commit()
    return found


def _explore(operation, token: str, known: dict[str, object], failures: list[str]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case):
        headers = {"Authorization": f"Bearer {token}"}
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
            if case.path_parameters:  # random ids rarely exist: the same input again on the rows that do
                case.path_parameters = {name: known.get(name, value) for name, value in case.path_parameters.items()}
                case.call_and_validate(headers=headers, checks=CHECKS)
        except AssertionError as failure:  # a failed check: keep it, let hypothesis shrink it
            failures.append(f"{operation.label}: {str(failure)[:800]}")
            raise

    with contextlib.suppress(AssertionError):
        run()


def test_api_answers_as_described(app, tokens):
    """Every operation, with generated input (valid and invalid), each with the token of its audience."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        audience = "organiser" if operation.path.startswith("/api/v1/organiser") else "participant"
        _explore(operation, tokens[audience], tokens["known"], failures)
    assert len(operations) >= 25
    assert failures == []
