"""Sentence similarities reduced to one number per pair of participants, centred against hubs.

Raw e5 cosines of unrelated sentences sit around 0.8 and differ by hundredths, so they mean little
until centred: every offer sentence on its mean similarity to all seek sentences (an offer a bit
similar to everything must not crowd out the one that answers a seek) and every seek sentence on
its mean similarity to all offers (a vague seek must not rank above a precise one). Both shifts
are folded into two extra vector components, so one matrix product gives centred similarities.
On a tiny event (fewer than `CENTRE_FROM` sentences on a side) the means of single sentences say
nothing: only the overall level is removed, so scores still spread instead of all reading 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CENTRE_FROM = 8  # sentences needed on the other side before a sentence is centred on its own mean


@dataclass
class Units:
    """Sentences of all profiles, flattened, with each profile's slice."""

    texts: list[str]
    spans: list[tuple[int, int]]

    @classmethod
    def build(cls, per_profile: list[list[str]]) -> Units:
        texts: list[str] = []
        spans = []
        for sents in per_profile:
            start = len(texts)
            texts += sents
            spans.append((start, len(texts)))
        return cls(texts, spans)


def centre(a: np.ndarray, b: np.ndarray, *, rows_too: bool) -> tuple[np.ndarray, np.ndarray]:
    """`a` and `b` with two more components each, so that `A @ B.T` is `a @ b.T` centred:
    minus each column's mean (each row's mean too when `rows_too`)."""
    col = np.zeros(len(b), dtype=np.float32)
    row = np.zeros(len(a), dtype=np.float32)
    if len(a) and len(b):
        col = (b @ a.mean(axis=0)).astype(np.float32)
        level = float(col.mean())
        if len(a) < CENTRE_FROM:
            col = np.full(len(b), level, dtype=np.float32)
        if rows_too and len(b) >= CENTRE_FROM:
            row = (a @ b.mean(axis=0) - level).astype(np.float32)
    A = np.hstack([a, -row[:, None], -np.ones((len(a), 1), np.float32)]).astype(np.float32)
    B = np.hstack([b, np.ones((len(b), 1), np.float32), col[:, None]]).astype(np.float32)
    return A, B


def _by_count(spans: list[tuple[int, int]]) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Profiles grouped by how many sentences they have: (count, profile indices, their sentence
    indices, profile by profile)."""
    groups: dict[int, list[int]] = {}
    for p, (s, e) in enumerate(spans):
        if e > s:
            groups.setdefault(e - s, []).append(p)
    out = []
    for count, members in sorted(groups.items()):
        idx = np.asarray(members, dtype=np.int64)
        starts = np.asarray([spans[p][0] for p in members], dtype=np.int64)
        out.append((count, idx, (starts[:, None] + np.arange(count)).ravel()))
    return out


def pair_max(A: np.ndarray, B: np.ndarray, rows: Units, cols: Units, n: int, floor: float,
             chunk: int = 2048) -> np.ndarray:
    """Best sentence-pair similarity `A @ B.T` per (row profile, column profile); `floor` where a
    side has no sentence.

    Profiles are grouped by their number of sentences, so that a group's best pairs are the
    maximum over one axis of a reshaped product (a fast contiguous reduction), a block of row
    sentences at a time (bounded memory).
    """
    out = np.full((n, n), floor, dtype=np.float32)
    col_groups = _by_count(cols.spans)
    if not col_groups or not len(rows.texts):
        return out
    col_profiles = np.concatenate([idx for _, idx, _ in col_groups])
    Bt = np.ascontiguousarray(B[np.concatenate([sent for _, _, sent in col_groups])].T)
    for count, idx, sent in _by_count(rows.spans):
        per = max(1, chunk // count)
        for k in range(0, len(idx), per):
            m = len(idx[k:k + per])
            best = (A[sent[k * count:(k + m) * count]] @ Bt).reshape(m, count, -1).max(axis=1)
            block = np.empty((m, len(col_profiles)), dtype=np.float32)
            pos = done = 0
            for c, cidx, _ in col_groups:
                part = best[:, pos:pos + c * len(cidx)].reshape(m, len(cidx), c)
                target = block[:, done:done + len(cidx)]
                target[:] = part[:, :, 0]
                for t in range(1, c):  # faster than max(axis=2) over a short last axis
                    np.maximum(target, part[:, :, t], out=target)
                pos += c * len(cidx)
                done += len(cidx)
            out[np.ix_(idx[k:k + m], col_profiles)] = block
    return out
