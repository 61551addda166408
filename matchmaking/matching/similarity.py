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


def pair_max(A: np.ndarray, B: np.ndarray, rows: Units, cols: Units, n: int, floor: float,
             chunk: int = 2048) -> np.ndarray:
    """Best sentence-pair similarity `A @ B.T` per (row profile, column profile), a block of row
    sentences at a time (bounded memory); `floor` where a side has no sentence."""
    out = np.full((n, n), floor, dtype=np.float32)
    col_has = [c for c, (s, e) in enumerate(cols.spans) if e > s]
    if not col_has or not len(rows.texts):
        return out
    col_starts = np.asarray([cols.spans[c][0] for c in col_has])
    i = 0
    while i < n:
        j, count = i, 0
        while j < n and (count == 0 or count + rows.spans[j][1] - rows.spans[j][0] <= chunk):
            count += rows.spans[j][1] - rows.spans[j][0]
            j += 1
        s0, s1 = rows.spans[i][0], rows.spans[j - 1][1]
        if s1 > s0:
            row_has = [r for r in range(i, j) if rows.spans[r][1] > rows.spans[r][0]]
            starts = np.asarray([rows.spans[r][0] - s0 for r in row_has])
            by_row = np.maximum.reduceat(A[s0:s1] @ B.T, starts, axis=0)
            out[np.ix_(row_has, col_has)] = np.maximum.reduceat(by_row, col_starts, axis=1)
        i = j
    return out
