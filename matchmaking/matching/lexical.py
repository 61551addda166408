"""BM25 over prefix-stemmed, diacritic-folded terms: the fallback engine and a hybrid signal.

A small own implementation (Okapi BM25, k1=1.2, b=0.75) over an inverted index: at a few
thousand short profiles this is a few seconds of pure Python and needs no package.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

K1 = 1.2
B = 0.75


class BM25:
    """Documents are term lists; `scores(query)` gives {document index: score}."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self.n = len(documents)
        self.lengths = [len(d) for d in documents]
        self.avg = (sum(self.lengths) / self.n) if self.n and sum(self.lengths) else 1.0
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, doc in enumerate(documents):
            for term, tf in Counter(doc).items():
                self.postings.setdefault(term, []).append((i, tf))
        self.idf = {t: math.log(1 + (self.n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}

    def scores(self, query: Sequence[str]) -> dict[int, float]:
        out: dict[int, float] = {}
        for term in set(query):
            postings = self.postings.get(term)
            if not postings:
                continue
            idf = self.idf[term]
            for i, tf in postings:
                norm = tf + K1 * (1 - B + B * self.lengths[i] / self.avg)
                out[i] = out.get(i, 0.0) + idf * tf * (K1 + 1) / norm
        return out
