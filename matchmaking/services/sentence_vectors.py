"""A text model whose vectors are kept in the database (``SentenceVector``), one event at a time.

The matching core asks its encoder for vectors of sentences; this wrapper answers from what is
stored and encodes with the real model only the sentences it has not seen, then stores those. So
the background job can encode an event a chunk of participants at a time (committing as it goes,
resumable after a crash), and re-ranking after one profile changed encodes only that profile's new
sentences. The sentence itself is not stored, only its hash.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import SentenceVector

DELETE_CHUNK = 500  # ids per DELETE when pruning


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_keys(*, event_id: int, model: str) -> set[tuple[bool, str]]:
    """(is_query, text hash) of every vector stored for the event and model."""
    return set(db.session.execute(select(SentenceVector.is_query, SentenceVector.text_hash).where(
        SentenceVector.event_id == event_id, SentenceVector.model == model)).tuples())


class StoredEncoder:
    """An ``Encoder`` (see ``matchmaking.matching``) for one event, backed by the database.

    ``preload=True`` reads all of the event's vectors for this model in one query (a full ranking
    needs nearly all of them); otherwise each ``encode`` call looks up only its own sentences."""

    def __init__(self, model: Any, *, event_id: int, preload: bool = False) -> None:
        self._model = model
        self.name: str = model.name
        self._event_id = event_id
        self._known: dict[tuple[bool, str], np.ndarray] = {}
        self.used: set[tuple[bool, str]] = set()
        self.encoded = 0  # sentences this wrapper had to encode with the model
        if preload:
            self._load(None)

    def _load(self, keys: set[tuple[bool, str]] | None) -> None:
        stmt = select(SentenceVector.is_query, SentenceVector.text_hash, SentenceVector.vector).where(
            SentenceVector.event_id == self._event_id, SentenceVector.model == self.name)
        if keys is not None:
            if not keys:
                return
            stmt = stmt.where(SentenceVector.text_hash.in_({h for _, h in keys}))
        for is_query, digest, blob in db.session.execute(stmt):
            self._known[(is_query, digest)] = np.frombuffer(blob, dtype="<f4")

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        keys = [(query, text_hash(t)) for t in texts]
        self.used.update(keys)
        unknown = {k for k in keys if k not in self._known}
        if unknown and len(unknown) < 5000:
            self._load(unknown)
        todo = sorted({t for t, k in zip(texts, keys, strict=True) if k not in self._known})
        if todo:
            vectors = np.asarray(self._model.encode(todo, query=query), dtype=np.float32)
            rows = []
            for t, v in zip(todo, vectors, strict=True):
                digest = text_hash(t)
                self._known[(query, digest)] = v
                rows.append({"event_id": self._event_id, "model": self.name, "is_query": query,
                             "text_hash": digest, "vector": v.astype("<f4").tobytes()})
            _store(rows)
            self.encoded += len(todo)
        if not texts:
            return np.zeros((0, int(getattr(self._model, "dim", 384))), dtype=np.float32)
        return np.stack([self._known[k] for k in keys]).astype(np.float32, copy=False)

    def prune(self) -> int:
        """Delete the event's vectors of this model that the last ranking did not use (sentences
        no profile has any more); how many. Call only after a ranking of the whole event."""
        stale = [i for i, q, h in db.session.execute(
            select(SentenceVector.id, SentenceVector.is_query, SentenceVector.text_hash).where(
                SentenceVector.event_id == self._event_id, SentenceVector.model == self.name))
            if (q, h) not in self.used]
        for start in range(0, len(stale), DELETE_CHUNK):
            db.session.execute(delete(SentenceVector).where(SentenceVector.id.in_(stale[start:start + DELETE_CHUNK])))
        return len(stale)


def _store(rows: list[dict[str, Any]]) -> None:
    """Insert new vectors; one that a parallel job stored meanwhile (the key is unique) is skipped."""
    try:
        with db.session.begin_nested():
            db.session.execute(insert(SentenceVector), rows)
    except IntegrityError:
        for row in rows:
            try:
                with db.session.begin_nested():
                    db.session.execute(insert(SentenceVector), [row])
            except IntegrityError:
                pass  # the same sentence, encoded by the same model: the stored vector is as good
