"""Cross-lingual search: a query in one language finds sentences in the others."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.search.crosslingual import concepts, should_expand
from communique.store import Store
from conftest import new_db
from test_versions import write_texts

runner = CliRunner()
SEED_EN = "000_ac53f3c11b13c664.txt"
SEED_ZH = "003_2682b7114b5ceaaa.txt"


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = new_db(tmp_path_factory.mktemp("cross"), "seeds.db")
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def own_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("cross_own")
    db = new_db(folder, "own.db")
    with Store.open(db) as store:
        assert store.ingest([seeds_dir, *write_texts(folder / "texts")]).ok
    return db


def search(db: Path, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["search", *args, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_english_query_finds_the_chinese_drug_production_sentence(seed_db: Path) -> None:
    out = search(seed_db, "drug trafficking Afghanistan", "--lang", "zh")
    hits = out["hits"]
    assert hits and {h["language"] for h in hits} == {"zh"}
    assert any("毒品生产" in h["sentence"] for h in hits[:3]), [h["sentence"] for h in hits[:3]]
    top = hits[0]
    assert top["file"] == SEED_ZH and "阿富汗" in top["sentence"] and "毒品" in top["sentence"]
    for h in hits:
        assert h["matched_via"] in {"query", "lexicon", "alignment"} or h["matched_via"].startswith(
            "entity:"
        )
        assert h["matched_language"] in {"en", "zh"}
    assert top["matched_via"] in {"entity:AF", "entity:DRUGS"} and top["matched_language"] == "zh"
    assert "<mark>" in top["snippet"]
    # The aligned English sentence is named.
    assert top["aligned_with"] and all(len(p) == 2 for p in top["aligned_with"])


def test_chinese_query_finds_the_english_sentences_about_iraq(seed_db: Path) -> None:
    out = search(seed_db, "伊拉克", "--lang", "en")
    hits = out["hits"]
    assert hits and {h["language"] for h in hits} == {"en"}
    assert all("Iraq" in h["sentence"] for h in hits)
    with Store.open(seed_db) as store:
        en = next(d for d in store.documents() if d.name == SEED_EN)
        wanted = {s.index for s in store.document(en.id).sentences if "Iraq" in s.text}
    found = {h["sentence_index"] for h in hits if h["file"] == SEED_EN}
    assert wanted and wanted <= found
    assert {h["matched_via"] for h in hits} == {"entity:IQ"}


def test_plain_searches_are_unchanged(seed_db: Path) -> None:
    with Store.open(seed_db) as store:
        plain = store.search("Afghanistan", lang="en")
        assert plain.mode == "AND"
        assert {h.matched_via for h in plain.hits} == {"query"}
        assert {h.matched_language for h in plain.hits} == {"en"}
        assert store.search("Afghanistan").total == plain.total  # no expansion without --lang
        # Cross-lingual search can be turned off: English words are not in the Chinese text.
        assert store.search("drug trafficking", lang="zh", cross=False).total == 0
        # ...and asked for where the query mixes languages.
        mixed = store.search("Iraq 决议", lang="zh", cross=True)
        assert mixed.hits and all(h.language == "zh" for h in mixed.hits)
    assert should_expand("Afghanistan", "zh")
    assert not should_expand("Afghanistan", "en")
    assert not should_expand("Afghanistan 阿富汗", "zh")
    assert not should_expand("Afghanistan", None)


def test_cli_table_says_how_each_hit_was_found(seed_db: Path) -> None:
    result = runner.invoke(
        app, ["search", "Iraq", "--lang", "zh", "--db", str(seed_db), "--limit", "3"]
    )
    assert result.exit_code == 0
    assert "entity:IQ" in result.stdout and "伊拉克" in result.stdout


def test_concepts_map_names_to_codes_and_words_to_the_dictionary() -> None:
    found = {c.via: c for c in concepts("drug trafficking in Afghanistan and the budget", "zh")}
    assert '"阿富汗"' in found["entity:AF"].translated["zh"]
    assert found["entity:DRUGS"].words == 2
    assert '"预算"' in found["lexicon"].translated["zh"]
    ru = {c.via for c in concepts("Афганистан", "en")}
    assert ru == {"entity:AF"}


def test_english_russian_and_chinese_versions_of_own_texts(own_db: Path) -> None:
    # English -> Russian through codes (Afghanistan, the issue of drugs).
    out = search(own_db, "drug trafficking Afghanistan", "--lang", "ru")
    assert out["hits"] and "Афганистане" in out["hits"][0]["sentence"]
    assert out["hits"][0]["file"] == "comm_ru.txt"
    # Russian -> English.
    out = search(own_db, "Афганистан наркотики", "--lang", "en")
    top = [h["sentence"] for h in out["hits"][:3]]
    assert any("illicit drug production in Afghanistan" in s for s in top)
    # English -> Russian by cognate: "forum" / "форум".
    out = search(own_db, "forum", "--lang", "ru")
    assert out["hits"] and "форум" in out["hits"][0]["sentence"]
    assert out["hits"][0]["matched_via"] == "cognate"
    # English -> Chinese by the dictionary: "digital economy" / 数字经济.
    out = search(own_db, "digital economy", "--lang", "zh")
    assert "数字经济" in out["hits"][0]["sentence"]
    assert "lexicon" in out["hits"][0]["evidence"]


def test_alignment_carries_a_match_where_no_dictionary_does(own_db: Path) -> None:
    # Chinese -> Russian has no dictionary: the Chinese sentence that matches
    # marks its aligned Russian sentence.
    out = search(own_db, "数字经济论坛", "--lang", "ru")
    hits = out["hits"]
    assert hits and "цифровой экономике" in hits[0]["sentence"]
    assert hits[0]["matched_via"] == "alignment" and hits[0]["matched_language"] == "zh"
    with Store.open(own_db) as store:
        ids = {d.name: d.id for d in store.documents()}
    assert hits[0]["aligned_with"][0][0] == ids["comm_zh.txt"]
    # The statement on trade, a different text of the same meeting, is not reached through
    # the communiqué's alignment.
    assert all(h["file"] == "comm_ru.txt" for h in hits)
