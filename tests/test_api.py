"""The JSON API: tokens, the same rules as the pages, HTTP done right (ETag, pages, idempotent creates,
problem details in the caller's language)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from matchmaking.background import run_queued
from matchmaking.extensions import db
from matchmaking.models import ApiToken, BackgroundJob, Meeting, MeetingRequest, Participant, User
from matchmaking.models.base import utcnow
from matchmaking.services import api_tokens, meetings
from tests.factories import make_event, make_user, register

PROBLEM = "application/problem+json"


def token_for(app, email: str, *scopes: str, **kwargs) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        _token, secret = api_tokens.create_token(user=user, name="test", scopes=scopes or ("participant",), **kwargs)
        db.session.commit()
    return secret


class Api:
    """A client that sends a bearer token, as a program would."""

    def __init__(self, client, token: str | None) -> None:
        self.client, self.token = client, token

    def _headers(self, extra):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def get(self, url: str, headers: dict | None = None, **kwargs):
        return self.client.get(url, headers=self._headers(headers), **kwargs)

    def post(self, url: str, json=None, headers: dict | None = None):
        return self.client.post(url, json=json, headers=self._headers(headers))

    def put(self, url: str, json=None, headers: dict | None = None):
        return self.client.put(url, json=json, headers=self._headers(headers))


def requested(app, requester_id: int, recipient_id: int, *, accept: bool = False) -> int:
    """A request between two participants (accepted, when asked): its id."""
    with app.app_context():
        made = meetings.request_meeting(requester=db.session.get(Participant, requester_id),
                                        recipient=db.session.get(Participant, recipient_id), message="Labdien!",
                                        online=False)
        if accept:
            meetings.accept_request(recipient=db.session.get(Participant, recipient_id), request_id=made.id)
        db.session.commit()
        return made.id


@pytest.fixture
def api(app):
    return lambda token: Api(app.test_client(), token)


def test_token_is_needed_and_the_session_cookie_does_not_count(app, pair, api, make_browser):
    event_id, _a, _b = pair
    browser = make_browser()
    browser.login("a@example.org")

    response = browser.get(f"/api/v1/events/{event_id}/meetings")

    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert response.json["code"] == "token_missing"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert api("mm_not-a-token").get("/api/v1/events").json["code"] == "token_invalid"


def test_revoked_or_expired_tokens_are_refused(app, pair, api):
    secret = token_for(app, "a@example.org")
    assert api(secret).get("/api/v1/events").status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert api(secret).get("/api/v1/events").status_code == 401
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token.expires_at = None
        api_tokens.revoke_token(user=token.user, token_id=token.id)
        db.session.commit()
    assert api(secret).get("/api/v1/events").json["code"] == "token_invalid"


def test_only_the_hash_of_a_token_is_stored(app, pair):
    secret = token_for(app, "a@example.org")
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert secret not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64


def test_a_token_without_the_scope_is_forbidden(app, pair, api):
    event_id, _a, _b = pair
    participant_only = token_for(app, "org@example.org", "participant")
    organiser_only = token_for(app, "org@example.org", "organiser")

    assert api(participant_only).get(f"/api/v1/organiser/events/{event_id}/meetings").status_code == 403
    assert api(organiser_only).get("/api/v1/events").json["code"] == "scope_missing"
    assert api(organiser_only).get(f"/api/v1/organiser/events/{event_id}/meetings").status_code == 200


def test_only_organisers_get_organiser_tokens(app, pair):
    with app.app_context(), pytest.raises(api_tokens.ServiceError):
        api_tokens.create_token(user=db.session.scalar(select(User).where(User.email == "a@example.org")),
                                name="x", scopes=("organiser",))


def test_cli_creates_a_token_that_works(app, pair, api):
    result = app.test_cli_runner().invoke(args=["api-token", "create", "b@example.org", "--scope", "participant",
                                                "--expires-days", "30"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert api(secret).get("/api/v1/events").status_code == 200
    assert app.test_cli_runner().invoke(args=["api-token", "create", "nobody@example.org", "--scope",
                                              "participant"]).exit_code != 0


def test_newcomer_creates_a_token_reads_the_docs_and_accepts_by_api(app, pair, api, make_browser):
    """Create a token on the account page, read the docs, accept a request by API, see it on the pages."""
    event_id, a, b = pair
    request_id = requested(app, a, b)
    browser = make_browser()
    browser.login("b@example.org")
    page = browser.post("/account/tokens", {"name": "My CRM", "scopes": ["participant"], "expires_days": "30"},
                        follow_redirects=True)
    secret = re.search(r'<code id="new-token"[^>]*>(mm_[^<]+)</code>', page.get_data(as_text=True)).group(1)
    assert "Authorization: Bearer TOKEN" in page.get_data(as_text=True)  # how to send it, readable
    assert "mm_" not in browser.get("/account/tokens").get_data(as_text=True).replace(secret[:10], "")
    docs = browser.get("/api/v1/docs/")
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in docs.get_data(as_text=True)
    assert browser.get("/api/v1/docs/swagger-ui-bundle.js").status_code == 200  # served by us, no CDN
    me = api(secret)

    received = me.get(f"/api/v1/events/{event_id}/requests").json["received"]
    accepted = me.post(f"/api/v1/events/{event_id}/requests/{request_id}/accept")
    mine = me.get(f"/api/v1/events/{event_id}/meetings").json

    assert [r["id"] for r in received] == [request_id]
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    assert len(mine) == 1 and mine[0]["status"] == "scheduled" and mine[0]["table"]["name"] in ("T1", "T2")
    assert mine[0]["participants"][0]["organisation"] == "Łomża Social Economy Cluster"
    assert mine[0]["slot"]["start"].endswith("Z")
    agenda_page = browser.get(f"/events/{event_id}/agenda").get_data(as_text=True)
    assert "Łomża Social Economy Cluster" in agenda_page
    feed = browser.get("/calendar").get_data(as_text=True)
    feed_path = re.search(r"https?://[^/]+(/calendar/feed/[0-9a-f]+\.ics)", feed).group(1)
    assert "Łomża Social Economy Cluster" in browser.get(feed_path).get_data(as_text=True).replace("\r\n ", "")


def test_another_participants_meeting_is_a_404(app, pair, api):
    event_id, a, _b = pair
    with app.app_context():
        c = make_user("c@example.org", "Kadri Tamm")
        other = register(c, db.session.get(Participant, a).event, organisation="Tartu Textiles", country="EE")
        made = meetings.request_meeting(requester=db.session.get(Participant, a), recipient=other, message="",
                                        online=False)
        meeting = meetings.accept_request(recipient=other, request_id=made.id)
        db.session.commit()
        meeting_id = meeting.id
    outsider = api(token_for(app, "b@example.org"))
    response = outsider.get(f"/api/v1/events/{event_id}/meetings/{meeting_id}")
    assert response.status_code == 404 and response.mimetype == PROBLEM
    cancel = outsider.post(f"/api/v1/events/{event_id}/meetings/{meeting_id}/cancel", json={"reason": "x"})
    assert cancel.status_code == 404


def test_get_answers_if_none_match_with_304(app, pair, api):
    me = api(token_for(app, "a@example.org"))
    first = me.get("/api/v1/events")
    again = me.get("/api/v1/events", headers={"If-None-Match": first.headers["ETag"]})
    assert first.status_code == 200 and first.headers["ETag"]
    assert again.status_code == 304 and again.data == b""


def test_pages_carry_the_total_and_the_next_link(app, pair, api):
    event_id, _a, _b = pair
    me = api(token_for(app, "a@example.org"))
    first = me.get(f"/api/v1/events/{event_id}/participants?per_page=1").json
    second = me.get(first["next"]).json
    assert first["total"] == 2 and len(first["items"]) == 1 and first["next"]
    assert second["page"] == 2 and second["next"] is None
    assert {first["items"][0]["id"], second["items"][0]["id"]} == set(pair[1:])


def test_a_retried_create_with_the_same_key_creates_once(app, pair, api):
    event_id, _a, b = pair
    me = api(token_for(app, "a@example.org"))
    body, key = {"recipient_id": b, "message": "Sveiki!"}, {"Idempotency-Key": "crm-42"}

    first = me.post(f"/api/v1/events/{event_id}/requests", json=body, headers=key)
    retry = me.post(f"/api/v1/events/{event_id}/requests", json=body, headers=key)
    other = me.post(f"/api/v1/events/{event_id}/requests", json={**body, "message": "Cześć"}, headers=key)

    assert first.status_code == retry.status_code == 201 and first.json == retry.json
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 422 and other.json["code"] == "idempotency_key_reused"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MeetingRequest)) == 1


def test_errors_are_problem_details_in_the_callers_language(app, pair, api):
    event_id, a, _b = pair
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "a@example.org")).locale = "pl"
        db.session.commit()
    me = api(token_for(app, "a@example.org"))

    invalid = me.post(f"/api/v1/events/{event_id}/requests", json={"recipient_id": "many"})
    to_self = me.post(f"/api/v1/events/{event_id}/requests", json={"recipient_id": a})
    not_json = me.client.post(f"/api/v1/events/{event_id}/requests", data="{", content_type="application/json",
                              headers={"Authorization": f"Bearer {me.token}"})
    unknown = api(None).get("/api/v1/no-such-thing", headers={"Accept-Language": "pl"})

    assert invalid.status_code == 422 and "recipient_id" in invalid.json["errors"]
    assert to_self.status_code in (409, 422) and to_self.mimetype == PROBLEM
    assert to_self.json["detail"] != "You cannot request a meeting with yourself."  # Polish, not English
    assert not_json.status_code in (400, 422) and not_json.mimetype == PROBLEM
    assert not_json.json["detail"] == "Żądanie jest niepoprawnie zbudowane (czy treść to poprawny JSON?)."
    assert unknown.status_code == 404 and unknown.mimetype == PROBLEM
    assert unknown.json["detail"] == "To nie istnieje albo nie możesz tego zobaczyć."


def test_accepting_twice_is_a_conflict(app, pair, api):
    event_id, a, b = pair
    request_id = requested(app, a, b)
    me = api(token_for(app, "b@example.org"))
    assert me.post(f"/api/v1/events/{event_id}/requests/{request_id}/accept").status_code == 200
    again = me.post(f"/api/v1/events/{event_id}/requests/{request_id}/accept")
    assert again.status_code == 409 and again.json["code"] == "conflict"


def test_organiser_syncs_meetings_changed_since(app, pair, api):
    event_id, a, b = pair
    request_id = requested(app, a, b, accept=True)
    with app.app_context():
        meeting_id = db.session.get(MeetingRequest, request_id).meeting.id
    organiser = api(token_for(app, "org@example.org", "organiser"))
    everything = organiser.get(f"/api/v1/organiser/events/{event_id}/meetings").json
    mark = everything["items"][-1]["updated_at"]
    with app.app_context():
        meetings.cancel_meeting(participant=db.session.get(Participant, a), meeting_id=meeting_id, reason="Ill")
        db.session.commit()
    changed = organiser.get(f"/api/v1/organiser/events/{event_id}/meetings", query_string={"updated_since": mark}).json

    assert everything["total"] == 1 and everything["items"][0]["status"] == "scheduled"
    assert [(m["id"], m["status"], m["cancel_reason"]) for m in changed["items"]] == [(meeting_id, "cancelled", "Ill")]
    later = (utcnow() + timedelta(hours=1)).isoformat() + "Z"
    assert organiser.get(f"/api/v1/organiser/events/{event_id}/meetings",
                         query_string={"updated_since": later}).json["total"] == 0


def _run_jobs(app) -> dict[str, int]:
    """What the background process does every few seconds."""
    with app.app_context():
        return run_queued()


def test_organiser_runs_reviews_and_publishes_a_schedule(app, pair, api):
    """The scheduler runs in the background: 202 and the job's address, poll it, then the draft."""
    event_id, a, b = pair
    requested(app, a, b, accept=True)
    organiser = api(token_for(app, "org@example.org", "organiser"))

    queued = organiser.post(f"/api/v1/organiser/events/{event_id}/schedule-runs", json={"time_limit": 2})
    job_url = queued.headers["Location"]
    waiting = organiser.get(job_url)
    assert _run_jobs(app)["done"] == 1
    finished = organiser.get(job_url)

    assert queued.status_code == 202 and queued.headers["Retry-After"] == "5"
    assert job_url == f"/api/v1/organiser/events/{event_id}/jobs/{queued.json['id']}"
    assert (queued.json["kind"], queued.json["status"], queued.json["finished_at"]) == ("schedule_run", "queued", None)
    assert waiting.status_code == 200 and waiting.json["status"] == "queued" and waiting.headers["Retry-After"] == "5"
    assert finished.status_code == 200 and "Retry-After" not in finished.headers
    assert (finished.json["status"], finished.json["error"]) == ("done", "")
    assert finished.json["finished_at"] is not None
    run_id = finished.json["result"]["run_id"]
    assert finished.json["result"]["run"] == f"/api/v1/organiser/events/{event_id}/schedule-runs/{run_id}"

    review = organiser.get(finished.json["result"]["run"]).json
    published = organiser.post(f"/api/v1/organiser/events/{event_id}/schedule-runs/{run_id}/publish")
    with app.app_context():
        assert db.session.scalar(select(Meeting.pinned)) is False  # only queued
    assert _run_jobs(app)["done"] == 1
    publishing = organiser.get(published.headers["Location"])
    again = organiser.post(f"/api/v1/organiser/events/{event_id}/schedule-runs/{run_id}/publish")
    assert (review["id"], review["status"], review["value"]) == (run_id, "draft", 1)
    assert review["counts"]["unchanged"] + review["counts"]["moved"] == 1
    assert published.status_code == 202 and published.headers["Retry-After"] == "5"
    assert (published.json["kind"], published.json["status"]) == ("schedule_publish", "queued")
    assert publishing.json["status"] == "done" and publishing.json["result"]["changed"] == review["counts"]["moved"]
    assert again.status_code == 409 and again.json["code"] == "conflict"  # no longer a draft: nothing twice
    with app.app_context():
        assert db.session.scalar(select(Meeting.pinned)) is True
    export = organiser.get(f"/api/v1/organiser/events/{event_id}/exports/meetings?format=csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"


def test_one_scheduler_run_at_a_time_and_a_retry_gets_the_same_job(app, pair, api):
    event_id, a, b = pair
    requested(app, a, b, accept=True)
    organiser = api(token_for(app, "org@example.org", "organiser"))
    url, key = f"/api/v1/organiser/events/{event_id}/schedule-runs", {"Idempotency-Key": "crm-run-1"}

    first = organiser.post(url, json={"time_limit": 2}, headers=key)
    retry = organiser.post(url, json={"time_limit": 2}, headers=key)
    second = organiser.post(url, json={"time_limit": 3})
    _run_jobs(app)
    replayed_later = organiser.post(url, json={"time_limit": 2}, headers=key)
    after = organiser.post(url, json={"time_limit": 2})

    assert first.status_code == retry.status_code == second.status_code == 202
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.headers["Location"] == second.headers["Location"] == first.headers["Location"]
    assert retry.json["id"] == second.json["id"] == first.json["id"]
    assert replayed_later.json["id"] == first.json["id"]  # the first answer again, nothing new queued
    assert after.status_code == 202 and after.json["id"] != first.json["id"]  # the first one is done
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BackgroundJob)) == 2


def test_nothing_to_schedule_is_a_problem_at_once_not_a_job(app, pair, api):
    event_id, _a, _b = pair  # nobody has a meeting yet
    organiser = api(token_for(app, "org@example.org", "organiser"))

    refused = organiser.post(f"/api/v1/organiser/events/{event_id}/schedule-runs", json={"time_limit": 2})

    assert refused.status_code == 422 and refused.mimetype == PROBLEM
    assert refused.json["code"] == "nothing_to_schedule" and "Location" not in refused.headers
    assert "Nothing to schedule" in refused.json["detail"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BackgroundJob)) == 0


def test_a_failed_job_says_why(app, pair, api):
    event_id, a, b = pair
    requested(app, a, b, accept=True)
    organiser = api(token_for(app, "org@example.org", "organiser"))
    job_id = organiser.post(f"/api/v1/organiser/events/{event_id}/schedule-runs", json={"time_limit": 2}).json["id"]
    with app.app_context():  # the background process was stopped too often
        db.session.execute(update(BackgroundJob).values(attempts=3, status="running", heartbeat_at=utcnow()
                                                        - timedelta(hours=1)))
        db.session.commit()
    _run_jobs(app)

    failed = organiser.get(f"/api/v1/organiser/events/{event_id}/jobs/{job_id}")

    assert failed.status_code == 200 and failed.json["status"] == "failed" and "Retry-After" not in failed.headers
    assert "interrupted 3 times" in failed.json["error"] and failed.json["result"] == {}


def test_another_events_job_is_not_found_and_participants_are_refused(app, pair, api):
    event_id, a, b = pair
    requested(app, a, b, accept=True)
    with app.app_context():
        rival = make_user("rival@example.org", organiser=True)
        other = make_event(rival, name="Another event")
        register(make_user("c@example.org"), other)
        db.session.commit()
        other_id = other.id
    organiser = api(token_for(app, "org@example.org", "organiser"))
    mine = organiser.post(f"/api/v1/organiser/events/{event_id}/schedule-runs", json={"time_limit": 2}).json["id"]
    participant = api(token_for(app, "a@example.org"))
    rivals = api(token_for(app, "rival@example.org", "organiser"))

    assert organiser.get(f"/api/v1/organiser/events/{event_id}/jobs/{mine}").status_code == 200
    for answer in (rivals.get(f"/api/v1/organiser/events/{event_id}/jobs/{mine}"),
                   rivals.get(f"/api/v1/organiser/events/{other_id}/jobs/{mine}"),  # not a job of their event
                   organiser.get(f"/api/v1/organiser/events/{event_id}/jobs/{mine + 1}")):
        assert answer.status_code == 404 and answer.mimetype == PROBLEM
    refused = participant.get(f"/api/v1/organiser/events/{event_id}/jobs/{mine}")
    assert refused.status_code == 403 and refused.json["code"] == "scope_missing"


def test_before_publication_participants_see_no_time_or_table(app, pair, api):
    event_id, a, b = pair
    requested(app, a, b, accept=True)
    with app.app_context():
        db.session.get(Participant, a).event.schedule_published_at = utcnow() + timedelta(days=30)
        db.session.commit()
    me = api(token_for(app, "a@example.org"))
    organiser = api(token_for(app, "org@example.org", "organiser"))

    [mine] = me.get(f"/api/v1/events/{event_id}/meetings").json
    agenda = me.get(f"/api/v1/events/{event_id}/agenda").json
    [theirs] = organiser.get(f"/api/v1/organiser/events/{event_id}/meetings").json["items"]

    assert (mine["status"], mine["slot"], mine["table"]) == ("scheduled", None, None)
    assert agenda["published"] is False and agenda["entries"] == []
    assert theirs["slot"] is not None and theirs["table"] is not None  # the organiser sees the plan


def test_a_token_used_only_for_reading_shows_when_it_was_last_used(app, pair, api):
    secret = token_for(app, "a@example.org")
    assert api(secret).get("/api/v1/events").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_a_nul_character_in_a_text_is_dropped_not_a_server_error(app, pair, api):
    """PostgreSQL text cannot hold NUL, and no person types one: the API drops it, as the forms do."""
    event_id, _a, b = pair
    me = api(token_for(app, "a@example.org"))

    made = me.post(f"/api/v1/events/{event_id}/requests", json={"recipient_id": b, "message": "Sveiki\x00!"})
    request_id = made.json["id"]
    with app.app_context():
        meeting_id = meetings.accept_request(recipient=db.session.get(Participant, b), request_id=request_id).id
        db.session.commit()
    cancelled = me.post(f"/api/v1/events/{event_id}/meetings/{meeting_id}/cancel", json={"reason": "Ill\x00"})

    assert made.status_code == 201 and made.json["message"] == "Sveiki!"
    assert cancelled.status_code == 200 and cancelled.json["cancel_reason"] == "Ill"
