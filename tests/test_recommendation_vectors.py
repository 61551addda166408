"""Sentence vectors are stored: the job encodes in resumable chunks, and a changed profile costs only its sentences."""
from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from matchmaking import matching
from matchmaking.background import run_queued
from matchmaking.extensions import db
from matchmaking.models import BackgroundJob, Event, Participant, Recommendation, SentenceVector
from matchmaking.models.background_job import DONE
from matchmaking.models.base import utcnow
from matchmaking.services import background_jobs, personal_data, recommendations
from tests.factories import make_event, make_user, register

WOOD = [("PL", "Klaster Meblowy", "Wspólne stoiska targowe dla producentów mebli.",
         "Szukamy dostawców sklejki brzozowej."),
        ("LV", "Bērza Saplāksnis", "Ražojam bērza saplāksni mēbelēm.", "Meklējam mēbeļu ražotājus."),
        ("LT", "Medienos klasteris", "Jungiame baldų gamintojus.", "Ieškome dizainerių."),
        ("EE", "Puidu OÜ", "Toodame liimpuitu.", "Otsime mööblitootjaid.")]


class CountingModel:
    """A stand-in for the text model: words hashed into a vector; counts the sentences it encodes."""

    name = "counting-test-model"
    dim = 64

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts, *, query):
        self.seen += list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, sum(map(ord, w)) % self.dim] += 1.0
        out[:, 0] += 0.1
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture
def model(app, monkeypatch):
    fake = CountingModel()
    monkeypatch.setattr(matching, "load_encoder", lambda: fake)
    monkeypatch.setitem(app.config, "MATCHING_ENGINE", "auto")
    monkeypatch.setattr(recommendations, "ENCODE_CHUNK", 3)
    return fake


@pytest.fixture
def event_id(app):
    with app.app_context():
        organiser = make_user("org@example.org", "Olga", organiser=True)
        event = make_event(organiser)
        for n in range(2):  # eight participants: three chunks of encoding
            for country, org, offer, seek in WOOD:
                register(make_user(f"{country.lower()}{n}@example.org", org), event, organisation=f"{org} {n}",
                         country=country, offer=offer, seek=seek)
        db.session.commit()
        return event.id


def _queue_and_run(event_id: int) -> BackgroundJob:
    background_jobs.enqueue_recommendations(event=db.session.get(Event, event_id))
    db.session.commit()
    run_queued()
    return db.session.scalar(select(BackgroundJob).order_by(BackgroundJob.id.desc()).limit(1))


def _vectors(event_id: int) -> int:
    stmt = select(func.count()).select_from(SentenceVector).where(SentenceVector.event_id == event_id)
    return db.session.scalar(stmt)


def test_the_job_encodes_in_chunks_each_sentence_once_and_counts_participants(app, model, event_id):
    with app.app_context():
        job = _queue_and_run(event_id)
        assert job.status == DONE
        assert (job.progress_done, job.progress_total) == (9, 9)  # eight participants, then the ranking
        assert len(model.seen) == len(set(model.seen))  # no sentence encoded twice across the steps
        assert job.result["sentences_encoded"] == 0  # the ranking found every vector stored by the chunks
        assert _vectors(event_id) == len(model.seen)
        assert db.session.scalar(select(func.count()).select_from(Recommendation)) == 8 * 7


def test_a_run_with_nothing_changed_keeps_every_stored_row(app, model, event_id):
    with app.app_context():
        _queue_and_run(event_id)
        rows = set(db.session.execute(select(Recommendation.id, Recommendation.other_id, Recommendation.rank)))
        first = db.session.scalar(select(func.max(Recommendation.computed_at)))
        job = _queue_and_run(event_id)
        assert job.result["lists_changed"] == 0
        assert set(db.session.execute(select(Recommendation.id, Recommendation.other_id, Recommendation.rank))) == rows
        assert db.session.scalar(select(func.min(Recommendation.computed_at))) > first  # but they are fresh


def test_a_changed_profile_encodes_only_its_new_sentence(app, model, event_id):
    with app.app_context():
        _queue_and_run(event_id)
        before = len(model.seen)
        stored_before = _vectors(event_id)
        changed = db.session.scalar(select(Participant).where(Participant.organisation_name == "Medienos klasteris 0"))
        changed.seek = "Ieškome bērza saplākšņa tiekėjų."
        db.session.commit()
        job = _queue_and_run(event_id)
        new = model.seen[before:]
        assert len(new) == 1 and "saplākšņa tiekėjų" in new[0]  # (the core drops "we seek" from a seek)
        assert job.result["sentences_encoded"] == 0
        assert job.progress_total == 2  # one participant to encode, then the ranking
        # the old seek is still used by the other Lithuanian participant; nothing was orphaned
        assert _vectors(event_id) == stored_before + 1
        changed.seek = "Ieškome partnerių Estijoje."
        db.session.commit()
        _queue_and_run(event_id)
        assert _vectors(event_id) == stored_before + 1  # the sentence no profile has any more was pruned


def test_a_job_whose_process_died_resumes_without_encoding_again(app, model, event_id):
    with app.app_context():
        start = utcnow()
        background_jobs.enqueue_recommendations(event=db.session.get(Event, event_id))
        db.session.commit()
        owned = background_jobs.claim(now=start)
        db.session.commit()
        for _ in range(3):  # plan, then two chunks of encoding; then the process dies
            background_jobs.step(owned, now=start)
            db.session.commit()
        encoded = list(model.seen)
        assert encoded and db.session.get(BackgroundJob, owned.job_id).progress_done == 6
        later = start + background_jobs.STALE_AFTER + timedelta(seconds=1)
        run_queued(clock=lambda: later)
        job = db.session.get(BackgroundJob, owned.job_id)
        assert job.status == DONE and job.attempts == 2
        assert len(model.seen) == len(set(model.seen))  # the second process encoded only what was left
        assert set(encoded) < set(model.seen)


def test_deleted_people_leave_the_lists_at_once_and_their_event_s_vectors_with_the_purge(app, model, event_id):
    with app.app_context():
        _queue_and_run(event_id)
        someone = db.session.scalar(select(Participant).where(Participant.event_id == event_id).limit(1))
        personal_data.anonymise_participant(participant=someone, now=utcnow())
        involved = select(func.count()).select_from(Recommendation).where(
            (Recommendation.participant_id == someone.id) | (Recommendation.other_id == someone.id))
        assert db.session.scalar(involved) == 0  # their sentences were quoted there
        assert db.session.scalar(select(func.count()).select_from(Recommendation)) == 7 * 6
        assert personal_data.purge_event(event_id=event_id, now=utcnow())
        assert _vectors(event_id) == 0
