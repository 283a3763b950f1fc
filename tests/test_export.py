"""Exports: Popolo JSON, Akoma Ntoso XML (structural check), JSON Lines and CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from communique.export import akn_document, check_akn, export
from communique.store import Store
from conftest import copy_store, new_db

runner = CliRunner()


@pytest.fixture(scope="module")
def linked_store(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A copy of the seeded store (the shared one is read-only), linked on first use."""
    db = copy_store(seeded_db, new_db(tmp_path_factory.mktemp("linked"), "seeds.db"))
    store = Store.open(db)
    yield store
    store.close()


def test_popolo(linked_store: Store, tmp_path: Path) -> None:
    (path,) = export(linked_store, "popolo", tmp_path / "popolo.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"persons", "organizations", "memberships", "posts"}
    people = {p["name"]: p for p in data["persons"]}
    tang = people["Tang Jiaxuan"]
    assert {"name": "唐家璇"} in tang["other_names"]
    orgs = {o["id"] for o in data["organizations"]}
    assert {"SCO", "RATS", "SECRETARIAT", "KZ"} <= orgs
    members = [m for m in data["memberships"] if m.get("role") == "member"]
    assert {m["member"]["id"] for m in members} == {"CN", "KG", "KZ", "RU", "TJ", "UZ"}
    posts = {p["id"] for p in data["posts"]}
    assert "SCO_SECRETARY_GENERAL" in posts
    sg = [m for m in data["memberships"] if m.get("post_id") == "SCO_SECRETARY_GENERAL"]
    assert sg and sg[0]["person_id"] in {p["id"] for p in data["persons"]}
    assert all(m["sources"] for m in data["memberships"])


def test_akoma_ntoso(linked_store: Store, tmp_path: Path) -> None:
    files = export(linked_store, "akn", tmp_path / "akn")
    assert len(files) == 5
    for f in files:
        assert check_akn(f.read_bytes()) == [], f
    zh = (tmp_path / "akn" / "003_2682b7114b5ceaaa.akn.xml").read_text(encoding="utf-8")
    assert 'FRBRlanguage language="zh"' in zh
    assert "TLCPerson" in zh and "TLCOrganization" in zh and "TLCLocation" in zh
    assert 'href="/ontology/person/person_tang_i"' in zh  # the same person as the English text


def test_akn_check_finds_problems(linked_store: Store) -> None:
    good = akn_document(linked_store, 1)
    assert check_akn(good) == []
    broken = good.replace(b"<mainBody", b"<notBody").replace(b"</mainBody>", b"</notBody>")
    broken = broken.replace(b"<FRBRuri", b"<FRBRnothing", 1)
    problems = check_akn(broken)
    assert "mainBody missing" in problems and "FRBRWork/FRBRuri missing" in problems
    assert check_akn(b"<a>") and check_akn(b"<x/>")


def test_jsonl_and_csv(linked_store: Store, tmp_path: Path) -> None:
    (path,) = export(linked_store, "jsonl", tmp_path / "out.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    kinds = {r["record"] for r in records}
    assert kinds == {"fact", "commitment"}
    seat = next(r for r in records if r.get("predicate") == "seat" and r["object"] == "Tashkent")
    assert seat["sources"][0]["file"] == "002_51f383ee66e54c41.txt"
    facts_csv, commitments_csv = export(linked_store, "csv", tmp_path / "facts.csv")
    rows = list(csv.DictReader(facts_csv.open(encoding="utf-8")))
    assert len(rows) == sum(r["record"] == "fact" for r in records)
    assert any(r["predicate"] == "presidency" and r["object"] == "TJ" for r in rows)
    crow = list(csv.DictReader(commitments_csv.open(encoding="utf-8")))
    assert {r["status"] for r in crow} >= {"fulfilled"}


def test_export_command(linked_store: Store, tmp_path: Path) -> None:
    seeded_db = linked_store.path
    from communique.link.cli import register

    app = typer.Typer()
    register(app)
    out = tmp_path / "p.json"
    result = runner.invoke(app, ["export", str(out), "--format", "popolo", "--db", seeded_db])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["persons"]
    bad = runner.invoke(app, ["export", str(out), "--format", "pdf", "--db", seeded_db])
    assert bad.exit_code != 0
