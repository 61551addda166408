"""Sentence vectors of an event's profiles, stored by the background process.

Encoding a sentence with the text model is the slow part of ranking partners (milliseconds per
sentence, minutes for an event of thousands); ranking from stored vectors takes seconds. So each
vector is stored once, keyed by the model, the side (a seek is encoded as a query, an offer as a
passage) and a hash of the sentence, and a changed profile costs only its new sentences. Vectors
belong to their event (deleted with it) and are pruned when no profile uses the sentence any more.
"""
from __future__ import annotations

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class SentenceVector(db.Model):
    __tablename__ = "sentence_vector"
    __table_args__ = (UniqueConstraint("event_id", "model", "is_query", "text_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    model: Mapped[str] = mapped_column(String(64))
    is_query: Mapped[bool]
    text_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the sentence, hex: the sentence itself is not kept
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
