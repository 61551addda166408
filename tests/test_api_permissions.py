"""Every API operation for every role: anonymous, a participant, another participant of the event,
the organiser of another event, the event's organiser, an admin. The same rules as the pages:
what one may not see is a 404; a missing token a 401; a token without the scope a 403."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.models import User
from matchmaking.services import api_tokens
from tests.test_permissions import EMAILS, world  # noqa: F401  (the shared world fixture)

ROLES = ("anonymous", "anna", "karl", "rival", "owner", "admin")
# anna and janis have a meeting; karl (same event) has a pending request to anna.
PARTY, OTHER, ORGANISERS = {"anna"}, {"karl"}, {"rival", "owner", "admin"}
PROFILE = {"organisation_name": "Klaster Łomża", "organisation_type": "cluster", "country": "PL"}


def everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES if role != "anonymous"}


def registered(status: int, others: int = 404) -> dict[str, int]:
    """anna and karl are registered in the event; the organisers are not participants of it."""
    return {"anna": status, "karl": status, **dict.fromkeys(ORGANISERS, others)}


def organiser_of_event(status: int) -> dict[str, int]:
    """Participants' tokens lack the organiser scope; the rival organises another event."""
    return {"anna": 403, "karl": 403, "rival": 404, "owner": status, "admin": status}


OPERATIONS = [
    ("GET", "/api/v1/events", None, everyone(200)),
    ("GET", "/api/v1/events/{event}", None, everyone(200)),
    ("GET", "/api/v1/events/{event}/programme", None, everyone(200)),
    ("GET", "/api/v1/events/{event}/slots", None, everyone(200)),
    ("GET", "/api/v1/events/{event}/tables", None, everyone(200)),
    ("GET", "/api/v1/events/{event}/me", None, registered(200)),
    ("PUT", "/api/v1/events/{event}/me", PROFILE, registered(200)),
    ("GET", "/api/v1/events/{event}/participants", None, registered(200)),
    ("GET", "/api/v1/events/{event}/opportunities", None, registered(200)),
    ("GET", "/api/v1/events/{event}/participants/{janis}", None, registered(200)),
    ("GET", "/api/v1/events/{event}/participants/{eve}", None, registered(404)),  # another event's
    ("GET", "/api/v1/events/{event}/requests", None, registered(200)),
    # anna has a meeting with janis already; karl may ask janis.
    ("POST", "/api/v1/events/{event}/requests", {"recipient_id": "{janis}"}, {**registered(201), "anna": 409}),
    ("POST", "/api/v1/events/{event}/requests/{request}/accept", None, {**registered(404), "anna": 200}),
    ("POST", "/api/v1/events/{event}/requests/{request}/decline", None, {**registered(404), "anna": 200}),
    ("POST", "/api/v1/events/{event}/requests/{request}/decline", {"reason": "Booked up"},
     {**registered(404), "anna": 200}),
    ("PUT", "/api/v1/events/{event}/requests/{request}/message", {"message": "Tere, Anna!"},
     {**registered(404), "karl": 200}),
    ("POST", "/api/v1/events/{event}/requests/{request}/withdraw", None, {**registered(404), "karl": 200}),
    ("GET", "/api/v1/events/{event}/meetings", None, registered(200)),
    ("GET", "/api/v1/events/{event}/meetings/{meeting}", None, {**registered(404), "anna": 200}),
    ("POST", "/api/v1/events/{event}/meetings/{meeting}/cancel", {"reason": "Ill"},
     {**registered(404), "anna": 200}),
    # the meeting has not started yet: a conflict for anna, and nobody else may know it exists
    ("PUT", "/api/v1/events/{event}/meetings/{meeting}/attendance", {"value": None},
     {**registered(404), "anna": 409}),
    ("GET", "/api/v1/events/{event}/agenda", None, registered(200)),
    ("GET", "/api/v1/events/{other_event}/me", None, {**registered(404)}),
    ("GET", "/api/v1/organiser/events/{event}/participants", None, organiser_of_event(200)),
    ("POST", "/api/v1/organiser/events/{event}/participants/{karl}/approve", None, organiser_of_event(409)),
    ("POST", "/api/v1/organiser/events/{event}/participants/{karl}/reject", None, organiser_of_event(409)),
    ("GET", "/api/v1/organiser/events/{event}/meetings", None, organiser_of_event(200)),
    ("POST", "/api/v1/organiser/events/{event}/schedule-runs", {"time_limit": 1}, organiser_of_event(202)),
    ("GET", "/api/v1/organiser/events/{event}/jobs/999", None, organiser_of_event(404)),
    ("GET", "/api/v1/organiser/events/{event}/schedule-runs/999", None, organiser_of_event(404)),
    ("POST", "/api/v1/organiser/events/{event}/schedule-runs/999/publish", None, organiser_of_event(404)),
    ("POST", "/api/v1/organiser/events/{event}/schedule-runs/999/discard", None, organiser_of_event(404)),
    ("GET", "/api/v1/organiser/events/{event}/exports/meetings", None, organiser_of_event(200)),
    ("GET", "/api/v1/organiser/events/{event}/exports/participants?format=xlsx", None, organiser_of_event(200)),
    ("GET", "/api/v1/organiser/events/{other_event}/meetings", None,
     {"anna": 403, "karl": 403, "rival": 200, "owner": 404, "admin": 200}),
]


def _fill(value, ids):
    if isinstance(value, str):
        filled = value.format(**vars(ids))
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _token(app, role: str) -> str | None:
    if role == "anonymous":
        return None
    scopes = ("participant",) if role in PARTY | OTHER else ("participant", "organiser")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == EMAILS[role]))
        secret = api_tokens.create_token(user=user, name="matrix", scopes=scopes)[1]
        db.session.commit()
    return secret


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "body", "expected"), OPERATIONS,
                         ids=[f"{m} {u}" for m, u, _b, _e in OPERATIONS])
def test_api_operation_access_by_role(app, world, method, url, body, expected, role):  # noqa: F811
    token = _token(app, role)
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    response = app.test_client().open(_fill(url, world), method=method, json=_fill(body, world), headers=headers)

    want = 401 if role == "anonymous" else expected[role]
    assert response.status_code == want, response.get_data(as_text=True)[:300]
    if want >= 400:
        assert response.mimetype == "application/problem+json"
        assert "Jānis Bērziņš" not in response.get_data(as_text=True)
