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
from .text import fold, sentences, terms, without_intent

MAX_SENTENCES = 12   # per side of a profile: bounds encoding time on very long texts
MAX_SENTENCE_CHARS = 400
USE_IDENTITY = True
CENTRE_FROM = 8      # sentences needed before centring similarities on their mean
AUTO: Any = object()


@dataclass(frozen=True)
class Params:
    """Weights, tuned on the training two thirds of scripts/matching_data/labelled.json."""

    lo: float = -0.02         # e5 cosine above its offer sentence's mean at which a pair starts to count
    hi: float = 0.12          # ... and at which it counts fully
    comp_lo: float = 0.04     # offer-offer cosine at which two profiles start to look alike
    comp_hi: float = 0.10
    forward: float = 1.0      # B's offer answers A's seek
    backward: float = 0.5     # A's offer answers B's seek
    lexical: float = 0.0      # hybrid BM25 weight beside embeddings
    sector: float = 0.12      # per shared sector, at most two
    types: float = 0.06       # complementary organisation kinds
    competitor: float = 1.0   # look-alike penalty
    reason_floor: float = 0.30  # a sentence pair below this calibrated score is not quoted as a reason


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


@dataclass
class _Units:
    """Sentences of all profiles, flattened, with each profile's slice."""

    texts: list[str]
    owner: np.ndarray          # profile index of each sentence
    spans: list[tuple[int, int]]

    @classmethod
    def build(cls, per_profile: list[list[str]]) -> _Units:
        texts: list[str] = []
        owner: list[int] = []
        spans = []
        for i, sents in enumerate(per_profile):
            start = len(texts)
            texts += sents
            owner += [i] * len(sents)
            spans.append((start, len(texts)))
        return cls(texts, np.asarray(owner, dtype=np.int64), spans)


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


def _group_max(sim: np.ndarray, rows: _Units, cols: _Units, n: int, floor: float) -> np.ndarray:
    """Best sentence-pair similarity per (row profile, column profile); `floor` where a side is empty."""
    out = np.full((n, n), floor, dtype=np.float32)
    col_has = [i for i, (s, e) in enumerate(cols.spans) if e > s]
    if not col_has or not len(rows.texts):
        return out
    col_starts = np.asarray([cols.spans[i][0] for i in col_has])
    row_has = [i for i, (s, e) in enumerate(rows.spans) if e > s]
    row_starts = np.asarray([rows.spans[i][0] for i in row_has])
    by_col = np.maximum.reduceat(sim, col_starts, axis=1)
    by_both = np.maximum.reduceat(by_col, row_starts, axis=0)
    out[np.ix_(row_has, col_has)] = by_both
    return out


def _pair_max(a: np.ndarray, b: np.ndarray, rows: _Units, cols: _Units, n: int, floor: float,
              chunk: int = 2048) -> np.ndarray:
    """`_group_max(a @ b.T - shift)` computed a block of row sentences at a time (bounded memory).

    Each column is centred on its mean similarity to all rows: an offer sentence that is a bit
    similar to everything (a "hub") must not crowd out the ones that answer a seek. (Centring on
    the mean beat centring on the nearest few, as in CSLS, and scaling rows to standard deviations,
    on the training split.)
    """
    out = np.full((n, n), floor, dtype=np.float32)
    if not len(rows.texts) or not len(cols.texts):
        return out
    shift = b @ a.mean(axis=0) if len(rows.texts) >= CENTRE_FROM else np.zeros(len(b), dtype=np.float32)
    i = 0
    while i < n:
        j, count = i, 0
        while j < n and (count == 0 or count + rows.spans[j][1] - rows.spans[j][0] <= chunk):
            count += rows.spans[j][1] - rows.spans[j][0]
            j += 1
        s0, s1 = rows.spans[i][0], rows.spans[j - 1][1]
        if s1 > s0:
            sub = _Units(rows.texts[s0:s1], rows.owner[s0:s1] - i,
                         [(s - s0, e - s0) for s, e in rows.spans[i:j]])
            out[i:j] = _group_max(a[s0:s1] @ b.T - shift, sub, cols, n, floor)[: j - i]
        i = j
    return out


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


def rank(profiles: Sequence[Profile], *, top: int = 20, encoder: Any = AUTO,
         params: Params = Params()) -> Ranking:
    """Every participant's best partners, best first, each with reasons.

    `encoder` is an `Encoder`, None for the lexical engine, or (default) the installed model if any.
    """
    if encoder is AUTO:
        encoder = load_encoder()
    n = len(profiles)
    seeks = [_split(p.seek) for p in profiles]
    offers = [_offer_sentences(p) for p in profiles]
    own_offers = [_own_offer(p) for p in profiles]
    seek_terms = [terms(" ".join(without_intent(s) for s in ss)) for ss in seeks]
    offer_terms = [terms(" ".join([p.offer, p.description, " ".join(p.sectors)])) for p in profiles]
    plain_offer_terms = [terms(p.offer or p.description) for p in profiles]
    if n == 0:
        return Ranking("embedding" if encoder is not None else "lexical", {})

    # BM25 is the whole ranking without a model, and only a hybrid signal (weight `lexical`) with one.
    lex = _bm25_matrix(seek_terms, offer_terms) if encoder is None or params.lexical else np.zeros((n, n), np.float32)
    q_units, p_units = _Units.build(seeks), _Units.build(offers)
    if encoder is not None:
        if not isinstance(encoder, Encoder):
            raise TypeError(f"encoder must have an encode(texts, *, query) method, got {type(encoder).__name__}")
        Q = encoder.encode([without_intent(t) for t in q_units.texts], query=True)
        P = encoder.encode(p_units.texts, query=False)
        shift = P @ Q.mean(axis=0) if len(q_units.texts) >= CENTRE_FROM else np.zeros(len(P), np.float32)
        fwd_raw = _pair_max(Q, P, q_units, p_units, n, floor=0.0)
        alike_raw = _pair_max(P, P, p_units, p_units, n, floor=0.0)
        fwd = _calibrate(fwd_raw, params.lo, params.hi) + params.lexical * lex
        alike = _calibrate(alike_raw, params.comp_lo, params.comp_hi)
        engine = "embedding"
    else:
        Q = P = shift = None
        fwd = lex
        alike = _bm25_matrix(plain_offer_terms, plain_offer_terms)
        engine = "lexical"

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
    kinds = [R.organisation_kind(p.organisation_type) for p in profiles]
    kind_names = sorted(set(kinds))
    table = np.array([[R.complementary(x, y) for y in kind_names] for x in kind_names], dtype=bool)
    code = np.array([kind_names.index(k) for k in kinds])
    comp = table[np.ix_(code, code)]
    score += params.types * comp
    best = params.forward * (1 + params.lexical) + params.backward * (1 + params.lexical) \
        + 2 * params.sector + params.types
    score = np.clip(score / best, 0.0, 1.0)
    np.fill_diagonal(score, -1.0)

    k = max(0, min(top, n - 1))
    rankings: dict[str, list[Match]] = {}
    for a in range(n):
        row = score[a]
        order = np.argsort(-row, kind="stable")[: k + 1]
        order = [int(b) for b in order if b != a][:k]
        items = []
        for b in order:
            shared = [sectors[a][key] for key in sorted(sectors[a]) if key in sectors[b]]
            why = _reasons(a, b, profiles, seeks, own_offers, _Vectors(q_units, p_units, Q, P, shift), fwd,
                           shared, kinds, bool(comp[a, b]), params)
            items.append(Match(profiles[b].id, round(float(row[b]), 3), why))
        rankings[profiles[a].id] = items
    return Ranking(engine, rankings)


@dataclass(frozen=True)
class _Vectors:
    """The sentence vectors of a ranking (all None for the lexical engine)."""

    q_units: _Units
    p_units: _Units
    Q: Any
    P: Any
    shift: Any


def _best_pair(seek: list[str], offer: list[str], vec: _Vectors, s_owner: int, o_owner: int,
               params: Params) -> tuple[str, str] | None:
    """The seek sentence of `s_owner` and the offer sentence of `o_owner` that match best, if
    they match well enough to show a person (the same centring and scale as the ranking)."""
    if not seek or not offer:
        return None
    if vec.Q is not None:
        s0, s1 = vec.q_units.spans[s_owner]
        o0 = vec.p_units.spans[o_owner][0]
        o1 = o0 + len(offer)  # the offer sentences proper, not the identity line after them
        sim = vec.Q[s0:s1] @ vec.P[o0:o1].T - vec.shift[o0:o1]
        i, j = np.unravel_index(int(np.argmax(sim)), sim.shape)
        if _calibrate(sim[i, j], params.lo, params.hi) < params.reason_floor:
            return None
        return seek[int(i)], offer[int(j)]
    best, pair = 0, None
    for s in seek:
        st = set(terms(s))
        for o in offer:
            overlap = len(st & set(terms(o)))
            if overlap > best:
                best, pair = overlap, (s, o)
    return pair


def _reasons(a: int, b: int, profiles: Sequence[Profile], seeks: list[list[str]], offers: list[list[str]],
             vec: _Vectors, fwd: np.ndarray, shared: list[str], kinds: list[str], comp: bool,
             params: Params) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if fwd[a, b] >= params.reason_floor:
        pair = _best_pair(seeks[a], offers[b], vec, a, b, params)
        if pair:
            out.append(R.offer_answers_seek(their_offer=pair[1], your_seek=pair[0]))
    if fwd[b, a] >= params.reason_floor:
        pair = _best_pair(seeks[b], offers[a], vec, b, a, params)
        if pair:
            out.append(R.seek_answered_by_your_offer(their_seek=pair[0], your_offer=pair[1]))
    if shared:
        out.append(R.shared_sectors(shared))
    if comp:
        out.append(R.complementary_types(yours=kinds[a], their=kinds[b]))
    out.append(R.organisation(profiles[b].organisation_type, profiles[b].country))
    return out
