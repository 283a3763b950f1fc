"""Issue 5's acceptance, run through the commands on stores holding the five seeds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from communique.link.cli import register
from communique.store import Store
from conftest import new_db

runner = CliRunner()


def _app() -> typer.Typer:
    from communique.cli import app

    names = {c.name for c in app.registered_commands}
    if "at" not in names:
        register(app)
    return app


def run_json(*args: str | Path) -> Any:
    result = runner.invoke(_app(), [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> dict[str, Path]:
    """The seeds ingested in two opposite orders, one file at a time."""
    files = sorted(seeds_dir.glob("*.txt"))
    out = {}
    for label, order in (("forward", files), ("backward", files[::-1])):
        db = new_db(tmp_path_factory.mktemp(label), "c.db")
        with Store.open(db) as store:
            for f in order:
                assert store.ingest([f]).ok
        out[label] = db
    return out


def _objects(items: list[dict[str, Any]], subject: str) -> list[str]:
    return [f["object_name"] for f in items if f["subject"] == subject]


def test_at_2003(stores: dict[str, Path]) -> None:
    state = run_json("at", "2003-06-01", "--json", "--db", stores["forward"])
    seats = state["seats"]
    assert _objects(seats, "RATS") == ["Bishkek"]
    assert _objects(seats, "SECRETARIAT") == ["Beijing"]
    rats = next(f for f in seats if f["subject"] == "RATS")
    files = {s["file"] for s in rats["sources"]}
    assert "001_aec5751fd676f10a.txt" in files
    src = next(s for s in rats["sources"] if s["file"] == "001_aec5751fd676f10a.txt")
    assert "headquartered in Bishkek" in src["sentence"]
    assert src["sentence"].find(src["surface"]) >= 0
    assert sorted(f["subject"] for f in state["members"]) == ["CN", "KG", "KZ", "RU", "TJ", "UZ"]
    assert state["observers"] == []


def test_at_2005(stores: dict[str, Path]) -> None:
    state = run_json("at", "2005-07-05", "--json", "--db", stores["forward"])
    assert _objects(state["seats"], "RATS") == ["Tashkent"]
    rats = next(f for f in state["seats"] if f["subject"] == "RATS")
    assert rats["valid_from"] == "2004"
    assert rats["sources"][0]["file"] == "002_51f383ee66e54c41.txt"
    assert "in operation since 2004" in rats["sources"][0]["sentence"]
    observers = {f["subject"]: f for f in state["observers"]}
    assert set(observers) == {"PK", "IR", "IN"}
    src = observers["IN"]["sources"][0]
    assert src["file"] == "002_51f383ee66e54c41.txt"
    assert "observer status to Pakistan, Iran and India" in src["sentence"]


def test_at_2014(stores: dict[str, Path]) -> None:
    state = run_json("at", "2014-07-31", "--json", "--db", stores["forward"])
    holders = {f["subject"]: f for f in state["office_holders"]}
    sg = holders["SCO_SECRETARY_GENERAL"]
    assert sg["object_name"] == "D. Mezentsev"
    assert sg["sources"][0]["file"] == "004_9cb22151c501be79.txt"
    assert "The SCO Secretary General D. Mezentsev" in sg["sources"][0]["sentence"]
    # the Executive Secretary of 2003 headed the same Secretariat: his period has ended
    assert "SCO_EXECUTIVE_SECRETARY" not in holders
    (presidency,) = state["presidency"]
    assert presidency["object"] == "TJ"
    assert "presidency of the Republic of Tajikistan" in presidency["sources"][0]["sentence"]


def _by_text(rows: list[dict[str, Any]], words: str) -> dict[str, Any]:
    (row,) = [r for r in rows if words in r["sentence"]]
    return row


def test_commitments(stores: dict[str, Path]) -> None:
    rows = run_json("commitments", "--json", "--db", stores["forward"])
    bodies = _by_text(rows, "permanent bodies start operating not later than January 1, 2004")
    assert bodies["status"] == "fulfilled"
    assert bodies["timing"] == "on_time"
    ev = bodies["evidence"][0]
    assert ev["file"] == "002_51f383ee66e54c41.txt"
    assert "in operation since 2004" in ev["sentence"]

    drugs = _by_text(rows, "will conclude an appropriate multilateral agreement")
    assert drugs["status"] == "fulfilled"
    assert drugs["timing"] == "late"
    ev = drugs["evidence"][0]
    assert ev["date"] == "2004-06-17" and ev["date_kind"] == "event"
    assert "Narcotic Drugs" in ev["sentence"] and "June 17, 2004" in ev["sentence"]

    rename = _by_text(rows, "renaming the position of its chief executive officer")
    assert rename["status"] == "fulfilled"
    ev = rename["evidence"][0]
    assert ev["file"] == "004_9cb22151c501be79.txt"
    assert "The SCO Secretary General D. Mezentsev" in ev["sentence"]

    only = run_json("commitments", "--status", "fulfilled", "--json", "--db", stores["forward"])
    assert {r["status"] for r in only} == {"fulfilled"}
    assert len(only) < len(rows)


def test_same_answers_in_any_ingest_order(stores: dict[str, Path]) -> None:
    for args in (
        ("at", "2003-06-01", "--json"),
        ("at", "2005-07-05", "--json"),
        ("at", "2014-07-31", "--json"),
        ("commitments", "--json"),
        ("facts", "--json"),
        ("formulas", "--json"),
        ("positions", "TERRORISM", "--json"),
    ):
        forward = run_json(*args, "--db", stores["forward"])
        backward = run_json(*args, "--db", stores["backward"])
        assert forward == backward, args


def test_chinese_version_alone(tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "zh"
    folder.mkdir()
    shutil.copy(seeds_dir / "003_2682b7114b5ceaaa.txt", folder)
    db = new_db(tmp_path, "zh.db")
    with Store.open(db) as store:
        assert store.ingest([folder]).ok
    rows = run_json("facts", "--subject", "RATS", "--json", "--db", db)
    seats = [f for f in rows if f["predicate"] == "seat"]
    assert [(f["object_name"], f["mode"]) for f in seats] == [("Bishkek", "planned")]
    src = seats[0]["sources"][0]
    assert src["file"] == "003_2682b7114b5ceaaa.txt" and src["language"] == "zh"
    assert "在比什凯克建立本组织地区反恐机构总部" in src["sentence"]
    assert src["sentence"].find(src["surface"]) >= 0


def test_unknown_issue_is_an_error_not_an_empty_answer(stores: dict[str, Path]) -> None:
    # Regression: the CLI printed an empty table (exit 0) where the API says 404.
    result = runner.invoke(_app(), ["positions", "NOSUCH", "--db", str(stores["forward"])])
    assert result.exit_code == 2
    assert "no issue 'NOSUCH'" in result.output and "TERRORISM" in result.output


def test_link_builds_new_documents_once(seeded_copy: Any) -> None:
    """`communique link` (run by `make run` after the ingest) builds what pages would
    otherwise build on first use; a second run finds nothing to do, --force redoes all."""
    first = run_json("link", "--json", "--db", seeded_copy)
    assert (first["built"], first["kept"]) == (5, 0)
    again = run_json("link", "--json", "--db", seeded_copy)
    assert (again["built"], again["kept"]) == (0, 5)
    forced = run_json("link", "--json", "--db", seeded_copy, "--force")
    assert (forced["built"], forced["kept"]) == (5, 0)
    with Store.open(seeded_copy) as store:
        built = store.conn.execute("SELECT count(*) FROM link_documents").fetchone()[0]
        seats = store.conn.execute(
            "SELECT count(*) FROM link_facts WHERE predicate = 'seat'"
        ).fetchone()[0]
    assert built == 5 and seats > 0
