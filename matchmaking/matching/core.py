"""Rank, for every participant, the others whose offers answer its seeks (and the other way round).

A pair (A, B) scores high when one of B's offer sentences answers one of A's seek sentences and,
weighed less, when A's offer answers B's seek. With a text model the sentences are compared as e5
embeddings (a seek is a "query", an offer a "passage"), which works across languages; a BM25
score over folded, prefix-stemmed terms can be added as a hybrid signal (`Params.lexical`, 0 after
tuning: it pulled same-language look-alikes up). Without a model, BM25 alone ranks
(`engine == "lexical"`). Every pair is scored, with no lexical first stage: at 3,000 participants
the sentence matrix products take seconds, and a lexical filter would drop exactly the pairs that
cross languages. Small boosts for shared sectors and complementary
organisation kinds; a penalty for look-alike competitors (an offer like mine, nothing I seek).

Similarities are centred on both sides (similarity.py). On the labelled set
(scripts/bench_matching.py) this and weights retuned with it give held-out recall@10 0.954 and
nDCG@10 0.729 (0.801 and 0.673 before, with offer-side centring only). Tried and left out, as
they did not help on the training split: the mean of the best two sentence pairs instead of the
best one, and a weight for the whole-seek-against-whole-offer similarity.

Sentences are quoted as a reason only for a partner clearly better than a typical candidate:
within a participant's top 10 on the labelled set, a sentence pair separates relevant partners
from the others only weakly, so quoting every top-10 pair made a third of the quotes nonsense.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import reasons as R
from .encoder import Encoder, load_encoder
from .lexical import BM25
from .model import Profile
from .similarity import Units, centre, pair_max
from .text import fold, sentences, terms, without_intent

MAX_SENTENCES = 12   # per side of a profile: bounds encoding time on very long texts
MAX_SENTENCE_CHARS = 400
USE_IDENTITY = True
AUTO: Any = object()


@dataclass(frozen=True)
class Params:
    """Weights, tuned on the training two thirds of scripts/matching_data/labelled.json."""

    lo: float = -0.03         # centred e5 cosine at which a sentence pair starts to count
    hi: float = 0.18          # ... and at which it counts fully
    comp_lo: float = 0.04     # offer-offer cosine at which two profiles start to look alike
    comp_hi: float = 0.10
    forward: float = 1.0      # B's offer answers A's seek
    backward: float = 0.7     # A's offer answers B's seek
    lexical: float = 0.0      # hybrid BM25 weight beside embeddings
    sector: float = 0.16      # per shared sector, at most two
    types: float = 0.06       # complementary organisation kinds
    competitor: float = 0.5   # look-alike penalty
    reason_floor: float = 0.30  # lexical engine: a pair below this share of the row's best is not quoted
    reason_z: float = 2.5     # embeddings: quote sentences of a pair this many deviations above the row's mean score
    row_centre: bool = True   # centre seek sentences on their mean too, not only offer sentences


@dataclass(frozen=True)
class Match:
    id: str
    score: float
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": self.score, "reasons": self.reasons}


@dataclass(frozen=True)
class Ranking:
    engine: str  # "embedding" or "lexical"
    rankings: dict[str, list[Match]]

    def to_dict(self) -> dict[str, Any]:
        return {"rankings": {pid: [m.to_dict() for m in ms] for pid, ms in self.rankings.items()},
                "engine": self.engine}


def _split(text: str) -> list[str]:
    return [s[:MAX_SENTENCE_CHARS] for s in sentences(text)][:MAX_SENTENCES]


COUNTRIES = {"PL": "Poland", "LV": "Latvia", "LT": "Lithuania", "EE": "Estonia", "DE": "Germany", "DK": "Denmark",
             "SE": "Sweden", "FI": "Finland", "NO": "Norway", "IS": "Iceland", "UA": "Ukraine", "NL": "Netherlands",
             "FR": "France", "GB": "United Kingdom", "BY": "Belarus", "CZ": "Czechia", "SK": "Slovakia"}


def country_name(code: str) -> str:
    return COUNTRIES.get(code.strip().upper(), code.strip())


def identity(p: Profile) -> str:
    """Who a participant is, as one more "offer" sentence: people seek kinds of partners
    ("shipyards", "ports in Latvia", "universities") as often as things."""
    where = ", ".join(x for x in (p.region.strip(), country_name(p.country)) if x)
    what = " ".join(x for x in (p.organisation_type.strip(), ", ".join(p.sectors)) if x)
    parts = [p.organisation_name.strip(), what, where]
    return " — ".join(x for x in parts if x)


def _own_offer(p: Profile) -> list[str]:
    """What a participant offers; its description stands in when it wrote no offer."""
    return _split(p.offer) or _split(p.description)


def _offer_sentences(p: Profile) -> list[str]:
    """What a participant offers, then who it is (never quoted as a reason: it is no offer)."""
    own = _own_offer(p)
    who = identity(p) if USE_IDENTITY else ""
    return [*own, who] if who else own


def _calibrate(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.clip((x - lo) / (hi - lo), 0.0, 1.0)


def _bm25_matrix(queries: list[list[str]], documents: list[list[str]]) -> np.ndarray:
    """BM25 of each query against each document, each row scaled to a maximum of 1."""
    n = len(queries)
    out = np.zeros((n, len(documents)), dtype=np.float32)
    index = BM25(documents)
    for a, q in enumerate(queries):
        for b, s in index.scores(q).items():
            out[a, b] = s
    np.fill_diagonal(out, 0.0)
    top = out.max(axis=1, keepdims=True)
    return np.divide(out, top, out=np.zeros_like(out), where=top > 0)


def _sector_sets(profiles: Sequence[Profile]) -> list[dict[str, str]]:
    return [{fold(s).strip(): s for s in p.sectors} for p in profiles]


def texts_to_encode(profile: Profile) -> tuple[list[str], list[str]]:
    """The sentences `rank` has the encoder encode for one participant: its seek sentences (as
    queries, without the "we seek" words) and its offer sentences and identity line (as passages).
    A caller can encode and store them ahead of a ranking, a few participants at a time."""
    return [without_intent(s) for s in _split(profile.seek)], _offer_sentences(profile)


def rank(profiles: Sequence[Profile], *, top: int = 20, encoder: Any = AUTO,
         params: Params = Params()) -> Ranking:
    """Every participant's best partners, best first, each with reasons.

    `encoder` is an `Encoder`, None for the lexical engine, or (default) the installed model if any.
    """
    if encoder is AUTO:
        encoder = load_encoder()
    n = len(profiles)
    if n == 0:
        return Ranking("embedding" if encoder is not None else "lexical", {})
    if encoder is not None and not isinstance(encoder, Encoder):
        raise TypeError(f"encoder must have an encode(texts, *, query) method, got {type(encoder).__name__}")
    seeks = [_split(p.seek) for p in profiles]
    own_offers = [_own_offer(p) for p in profiles]
    sim = _Similarities.compute(profiles, seeks, own_offers, encoder, params)
    score = _score(profiles, sim, params)
    sim.score, sim.clear = score, _clear_scores(score, params.reason_z)
    sectors = _sector_sets(profiles)
    kinds = [R.organisation_kind(p.organisation_type) for p in profiles]
    comp = _complementary(kinds)
    k = max(0, min(top, n - 1))
    rankings: dict[str, list[Match]] = {}
    for a in range(n):
        order = _top(score[a], a, k)
        quotes = sim.quotes(a, order, seeks, own_offers)
        items = []
        for b, (fwd_pair, bwd_pair) in zip(order, quotes, strict=True):
            why = []
            if fwd_pair:
                why.append(R.offer_answers_seek(their_offer=fwd_pair[1], your_seek=fwd_pair[0]))
            if bwd_pair:
                why.append(R.seek_answered_by_your_offer(their_seek=bwd_pair[0], your_offer=bwd_pair[1]))
            shared = [sectors[a][key] for key in sorted(sectors[a]) if key in sectors[b]]
            if shared:
                why.append(R.shared_sectors(shared))
            if comp[a, b]:
                why.append(R.complementary_types(yours=kinds[a], their=kinds[b]))
            why.append(R.organisation(profiles[b].organisation_type, profiles[b].country))
            items.append(Match(profiles[b].id, round(float(score[a, b]), 3), why))
        rankings[profiles[a].id] = items
    return Ranking(sim.engine, rankings)


def _top(row: np.ndarray, a: int, k: int) -> list[int]:
    """The k best columns of a row but `a`, best first, ties in column order (a stable sort of
    the whole row, without sorting the whole row)."""
    n = len(row)
    if k <= 0:
        return []
    if k + 1 >= n:
        order = np.argsort(-row, kind="stable")
    else:
        kth = -np.partition(-row, k)[k]  # the (k+1)-th largest value
        above = np.flatnonzero(row > kth)
        tied = np.flatnonzero(row == kth)[: k + 1 - len(above)]
        chosen = np.concatenate([above, tied])
        order = chosen[np.argsort(-row[chosen], kind="stable")]
    return [int(b) for b in order if b != a][:k]


def _clear_scores(score: np.ndarray, z: float) -> np.ndarray:
    """Per row, the mean score of the others plus `z` standard deviations, at most the row's best:
    a partner scoring less is not clearly better than a typical candidate, so its sentences are
    not quoted as an answer."""
    n = len(score)
    others = ~np.eye(n, dtype=bool)
    mean = np.where(others, score, 0.0).sum(axis=1) / max(n - 1, 1)
    spread = np.where(others, (score - mean[:, None]) ** 2, 0.0).sum(axis=1) / max(n - 1, 1)
    best = np.where(others, score, -np.inf).max(axis=1) if n > 1 else np.zeros(n)
    return np.minimum(mean + z * np.sqrt(spread), best)  # a row's best is clear (a tiny event has no spread)


def _complementary(kinds: list[str]) -> np.ndarray:
    """Whether the organisation kinds of each pair often work together (an n x n boolean matrix)."""
    names = sorted(set(kinds))
    table = np.array([[R.complementary(x, y) for y in names] for x in names], dtype=bool)
    code = np.array([names.index(k) for k in kinds])
    return table[np.ix_(code, code)]


def _score(profiles: Sequence[Profile], sim: _Similarities, params: Params) -> np.ndarray:
    """Pair scores in [0, 1] (the diagonal -1): both directions, boosts and the competitor penalty."""
    n = len(profiles)
    fwd, alike = sim.fwd, sim.alike
    score = params.forward * fwd + params.backward * fwd.T
    score -= params.competitor * np.clip(alike - fwd, 0.0, None)
    sectors = _sector_sets(profiles)
    names = sorted({k for s in sectors for k in s})
    if names:
        column = {k: j for j, k in enumerate(names)}
        incidence = np.zeros((n, len(names)), dtype=np.float32)
        for a, s in enumerate(sectors):
            incidence[a, [column[k] for k in s]] = 1.0
        score += params.sector * np.minimum(incidence @ incidence.T, 2.0)
    score += params.types * _complementary([R.organisation_kind(p.organisation_type) for p in profiles])
    best = params.forward * (1 + params.lexical) + params.backward * (1 + params.lexical) \
        + 2 * params.sector + params.types
    score = np.clip(score / best, 0.0, 1.0)
    np.fill_diagonal(score, -1.0)
    return score


@dataclass
class _Similarities:
    """How well each participant's offer answers each one's seek (`fwd[a, b]`: b's offer, a's
    seek, calibrated to [0, 1]) and how alike two offers are, with what is needed to quote."""

    engine: str
    fwd: np.ndarray
    alike: np.ndarray
    params: Params
    q_units: Units | None = None
    p_units: Units | None = None
    Q: Any = None              # centred seek sentence vectors (see similarity.centre)
    P: Any = None              # centred offer sentence vectors
    score: Any = None          # the pair scores of the ranking
    clear: Any = None          # per participant: the score a pair needs before its sentences are quoted

    @classmethod
    def compute(cls, profiles: Sequence[Profile], seeks: list[list[str]], own_offers: list[list[str]],
                encoder: Any, params: Params) -> _Similarities:
        n = len(profiles)
        lex = None
        if encoder is None or params.lexical:
            # BM25 is the whole ranking without a model, and only a hybrid signal (weight `lexical`) with one.
            seek_terms = [terms(" ".join(without_intent(s) for s in ss)) for ss in seeks]
            offer_terms = [terms(" ".join([p.offer, p.description, " ".join(p.sectors)])) for p in profiles]
            lex = _bm25_matrix(seek_terms, offer_terms)
        if encoder is None:
            plain = [terms(p.offer or p.description) for p in profiles]
            return cls("lexical", lex, _bm25_matrix(plain, plain), params)
        offers = [_offer_sentences(p) for p in profiles]
        q_units, p_units = Units.build(seeks), Units.build(offers)
        Qv = encoder.encode([without_intent(t) for t in q_units.texts], query=True)
        Pv = encoder.encode(p_units.texts, query=False)
        Q, P = centre(Qv, Pv, rows_too=params.row_centre)
        fwd_raw = pair_max(Q, P, q_units, p_units, n, floor=params.lo)
        PA, PB = centre(Pv, Pv, rows_too=False)
        alike = _calibrate(pair_max(PA, PB, p_units, p_units, n, floor=0.0), params.comp_lo, params.comp_hi)
        fwd = _calibrate(fwd_raw, params.lo, params.hi)
        if lex is not None:
            fwd = fwd + params.lexical * lex
        return cls("embedding", fwd, alike, params, q_units, p_units, Q, P)

    def quotes(self, a: int, order: list[int], seeks: list[list[str]], offers: list[list[str]]
               ) -> list[tuple[tuple[str, str] | None, tuple[str, str] | None]]:
        """For each partner b of a: (a's seek, b's offer) and (b's seek, a's offer) worth quoting."""
        if self.Q is None:
            return [(self._pair(a, b, seeks, offers), self._pair(b, a, seeks, offers)) for b in order]
        forward = [b for b in order if seeks[a] and offers[b] and self.score[a, b] >= self.clear[a]]
        backward = [b for b in order if seeks[b] and offers[a] and self.score[b, a] >= self.clear[b]]
        found: dict[tuple[int, int], tuple[str, str] | None] = {}
        if forward:  # one product: a's seek sentences against the offers of all its partners
            s0, s1 = self.q_units.spans[a]
            cols = [range(self.p_units.spans[b][0], self.p_units.spans[b][0] + len(offers[b])) for b in forward]
            sim = self.Q[s0:s1] @ self.P[np.concatenate(cols)].T
            pos = 0
            for b, c in zip(forward, cols, strict=True):
                found[a, b] = self._best(sim[:, pos:pos + len(c)], seeks[a], offers[b])
                pos += len(c)
        if backward:  # and its partners' seek sentences against a's offer
            o0 = self.p_units.spans[a][0]
            rows = [range(*self.q_units.spans[b]) for b in backward]
            sim = self.Q[np.concatenate(rows)] @ self.P[o0:o0 + len(offers[a])].T
            pos = 0
            for b, r in zip(backward, rows, strict=True):
                found[b, a] = self._best(sim[pos:pos + len(r)], seeks[b], offers[a])
                pos += len(r)
        return [(found.get((a, b)), found.get((b, a))) for b in order]

    def _best(self, sim: np.ndarray, seek: list[str], offer: list[str]) -> tuple[str, str] | None:
        """The best sentence pair of a block of centred similarities, if the sentences do match."""
        i, j = divmod(int(sim.argmax()), sim.shape[1])
        return (seek[i], offer[j]) if float(sim[i, j]) > self.params.lo else None

    def _pair(self, s: int, o: int, seeks: list[list[str]], offers: list[list[str]]) -> tuple[str, str] | None:
        """Lexically: the seek sentence of `s` and the offer sentence of `o` sharing most terms,
        when `o` scores at least `reason_floor` of the best for `s`."""
        seek, offer = seeks[s], offers[o]
        if not seek or not offer or self.fwd[s, o] < self.params.reason_floor:
            return None
        best, pair = 0, None
        for x in seek:
            st = set(terms(x))
            for y in offer:
                overlap = len(st & set(terms(y)))
                if overlap > best:
                    best, pair = overlap, (x, y)
        return pair
