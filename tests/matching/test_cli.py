"""The command line is the contract for benchmarks and the app's bridge: JSON in, JSON out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROFILES = {"participants": [
    {"id": 1, "organisation_name": "Klaster Meblowy", "organisation_type": "Cluster", "country": "PL",
     "region": "Pomorskie", "sectors": ["Furniture"], "description": "", "language": "ignored",
     "offer": "Zrzeszamy producentów mebli.", "seek": "Szukamy dostawców sklejki brzozowej."},
    {"id": "2", "organisation_name": "Sklejka sp. z o.o.", "organisation_type": "Company", "country": "PL",
     "sectors": ["Furniture"], "offer": "Produkujemy sklejkę brzozową.", "seek": "Szukamy klientów."},
    {"id": "3", "organisation_name": "Ūdens", "offer": "", "seek": None},
]}


def run(tmp_path: Path, *args: str, doc: object = PROFILES) -> subprocess.CompletedProcess:
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "matchmaking.matching", "rank", str(path), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_rank_prints_every_participants_partners_with_reasons(tmp_path: Path) -> None:
    out = run(tmp_path, "--lexical", "--top", "1")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["engine"] == "lexical"
    assert set(doc["rankings"]) == {"1", "2", "3"}
    assert [m["id"] for m in doc["rankings"]["1"]] == ["2"]
    item = doc["rankings"]["1"][0]
    assert isinstance(item["score"], float) and item["reasons"][0]["kind"] == "offer_answers_seek"
    assert all(len(items) == 1 and items[0]["reasons"] for items in doc["rankings"].values())


def test_default_engine_is_named_and_top_defaults_to_twenty(tmp_path: Path) -> None:
    doc = {"participants": [{"id": f"p{i}", "offer": f"Oferta {i}.", "seek": "Szukamy partnerów."}
                            for i in range(23)]}
    out = run(tmp_path, doc=doc)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["engine"] in ("embedding", "lexical")
    assert all(len(items) == 20 for items in result["rankings"].values())


def test_bad_input_exits_2_with_one_line_naming_the_culprit(tmp_path: Path) -> None:
    for doc, culprit in (([], "participants"), ({"participants": [{"offer": "x"}]}, "participants[0].id")):
        out = run(tmp_path, "--lexical", doc=doc)
        assert out.returncode == 2 and out.stdout == ""
        assert out.stderr.startswith("error: ") and culprit in out.stderr and out.stderr.count("\n") == 1
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "matchmaking.matching", "rank", str(tmp_path / "broken.json")],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2 and "not valid JSON" in out.stderr
    assert run(tmp_path, "--top", "-1").returncode == 2
