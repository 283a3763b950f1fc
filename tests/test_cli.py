"""The ``communique`` command, run in-process with Typer's CliRunner."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique import __version__
from communique.cli import app, render_entities
from communique.store import MentionInfo, Store
from conftest import EN_COMMUNIQUE, RU_DECLARATION, ZH_PRESS, new_db

runner = CliRunner()


def run(*args: str | Path) -> object:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"communique {__version__}"


def test_ingest_twice_second_run_unchanged(tmp_path: Path, seeds_dir: Path) -> None:
    db = new_db(tmp_path, "c.db")
    first = run("ingest", seeds_dir, "--db", db, "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["counts"] == {"stored": 5, "unchanged": 0, "failed": 0}
    second = run("ingest", seeds_dir, "--db", db)
    assert second.exit_code == 0
    table = second.stdout
    assert "unchanged" in table and "5" in table
    report = json.loads(run("ingest", seeds_dir, "--db", db, "--json").stdout)
    assert report["counts"] == {"stored": 0, "unchanged": 5, "failed": 0}


def test_ingest_with_bad_files_fails_with_reasons(tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(seeds_dir, folder)
    (folder / "noise.txt").write_bytes(os.urandom(3000))
    (folder / "empty.txt").write_bytes(b"")
    db = new_db(tmp_path, "m.db")
    result = run("ingest", folder, "--db", db)
    assert result.exit_code == 1
    assert "noise.txt" in result.stdout and "empty.txt" in result.stdout
    report = json.loads(run("ingest", folder, "--db", new_db(tmp_path, "m2.db"), "--json").stdout)
    assert report["counts"] == {"stored": 5, "unchanged": 0, "failed": 2}
    failed = {
        Path(r["path"]).name: r["reason"] for r in report["results"] if r["status"] == "failed"
    }
    assert set(failed) == {"noise.txt", "empty.txt"}
    assert all(failed.values())


def test_search_json(seeded_db: Path) -> None:
    result = run("search", "RATS Bishkek", "--db", seeded_db, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["query"] == "RATS Bishkek"
    assert data["total"] >= 1
    hit = data["hits"][0]
    for key in (
        "document_id",
        "file",
        "title",
        "language",
        "sentence",
        "sentence_index",
        "start",
        "end",
        "score",
        "snippet",
    ):
        assert key in hit
    assert hit["file"] == "001_aec5751fd676f10a.txt"
    assert "<mark>" in hit["snippet"]
    assert set(data["facets"]) == {"organization", "body", "type", "language", "year"}


def test_search_filters_from_the_command_line(seeded_db: Path) -> None:
    def files(*opts: str) -> set[str]:
        result = run(
            "search", "SCO 上海合作组织", "--db", seeded_db, "--json", "--limit", "200", *opts
        )
        assert result.exit_code == 0, result.output
        return {h["file"] for h in json.loads(result.stdout)["hits"]}

    everything = files()
    assert files("--lang", "zh") == {"003_2682b7114b5ceaaa.txt"}
    assert files("--type", "press_release") == {"004_9cb22151c501be79.txt"}
    assert files("--from", "2005") == {"002_51f383ee66e54c41.txt", "004_9cb22151c501be79.txt"}
    assert "004_9cb22151c501be79.txt" not in files("--to", "2003-12")
    assert files("--from", "2002", "--to", "2014") == everything
    bad = runner.invoke(app, ["search", "x", "--db", str(seeded_db), "--from", "last year"])
    assert bad.exit_code == 2


def test_search_table_and_odd_queries(seeded_db: Path) -> None:
    result = run("search", "阿富汗", "--db", seeded_db)
    assert result.exit_code == 0
    assert "003_2682b71" in result.stdout
    for odd in ('"', "NEAR(", "*", "a:b"):
        assert run("search", odd, "--db", seeded_db).exit_code == 0


def test_list_and_show(seeded_db: Path) -> None:
    listed = json.loads(run("list", "--db", seeded_db, "--json").stdout)
    assert len(listed) == 5
    zh = json.loads(run("list", "--db", seeded_db, "--json", "--lang", "zh").stdout)
    assert [d["name"] for d in zh] == ["003_2682b7114b5ceaaa.txt"]
    table = run("list", "--db", seeded_db, "--type", "press_release")
    assert "004_9cb2" in table.stdout and "001_aec5" not in table.stdout

    doc_id = zh[0]["id"]
    detail = json.loads(run("show", str(doc_id), "--db", seeded_db, "--json").stdout)
    assert detail["language"] == "zh"
    assert detail["text"][:10] in run("show", str(doc_id), "--db", seeded_db).stdout
    marked = run("show", str(doc_id), "--db", seeded_db, "--entities").stdout
    assert "[[阿富汗|state:AF]]" in marked
    missing = runner.invoke(app, ["show", "9999", "--db", str(seeded_db)])
    assert missing.exit_code == 1


def test_render_entities_nests_and_skips_crossing() -> None:
    text = "Leaders of Kazakhstan and China met."
    m = [
        MentionInfo("commitment", "", 0, 36, text, 0),
        MentionInfo("state", "KZ", 11, 21, "Kazakhstan", 0),
        MentionInfo("meta", "KZ", 11, 21, "Kazakhstan", 0),
        MentionInfo("state", "KZ", 11, 21, "Kazakhstan", 0),  # the same value twice: one label
        MentionInfo("state", "CN", 26, 31, "China", 0),
        MentionInfo("organization", "X", 20, 28, "n and C", 0),  # crosses KZ: left out
        MentionInfo("meta", "title", -1, -1, "Leaders", -1),  # header value: no span
    ]
    assert render_entities(text, m) == (
        "[[Leaders of [[Kazakhstan|state:KZ|meta:KZ]] and [[China|state:CN]] met.|commitment]]"
    )


def test_extract_json_lines_and_failures(tmp_path: Path, seeds_dir: Path) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    bad = tmp_path / "broken.txt"
    bad.write_bytes(os.urandom(2048))
    result = run("extract", seeds[0], bad, seeds[3], "--json")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["file"] for r in records] == [seeds[0].name, seeds[3].name]
    assert records[1]["language"] == "zh"
    assert "broken.txt" in result.stderr
    ok = run("extract", seeds[1], "--json")
    assert ok.exit_code == 0 and len(ok.stdout.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "lang"), [(EN_COMMUNIQUE, "en"), (ZH_PRESS, "zh"), (RU_DECLARATION, "ru")]
)
def test_extract_own_documents_in_three_languages(tmp_path: Path, text: str, lang: str) -> None:
    f = tmp_path / f"doc_{lang}.txt"
    f.write_text(text, encoding="utf-8")
    result = run("extract", f, "--json")
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["file"] == f.name and record["language"] == lang
    assert "AF" in record["states"]


def test_stats_and_delete(tmp_path: Path, seeds_dir: Path) -> None:
    db = new_db(tmp_path, "d.db")
    seed = sorted(seeds_dir.glob("*.txt"))[4]
    assert run("ingest", seed, "--db", db).exit_code == 0
    stats = json.loads(run("stats", "--db", db, "--json").stdout)
    assert stats["documents"] == 1
    doc_id = json.loads(run("list", "--db", db, "--json").stdout)[0]["id"]
    assert run("delete", str(doc_id), "--db", db).exit_code == 0
    assert runner.invoke(app, ["delete", str(doc_id), "--db", str(db)]).exit_code == 1
    with Store.open(db) as store:
        assert store.stats().documents == 0


def test_db_from_environment(tmp_path: Path, seeds_dir: Path) -> None:
    db = new_db(tmp_path, "env.db")
    seed = sorted(seeds_dir.glob("*.txt"))[2]
    result = runner.invoke(app, ["ingest", str(seed)], env={"COMMUNIQUE_DB": str(db)})
    assert result.exit_code == 0
    with Store.open(db) as store:
        assert store.stats().documents == 1


def test_serve_hands_the_database_to_the_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, object] = {}

    def fake_run(app_: object, host: str, port: int) -> None:
        seen.update(app=app_, host=host, port=port)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = run("serve", "--db", new_db(tmp_path, "s.db"), "--port", "8123")
    assert result.exit_code == 0
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert type(seen["app"]).__name__ == "FastAPI"


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop has no Windows build")
def test_serve_runs_on_httptools_and_uvloop() -> None:
    # What `serve` leaves to uvicorn's "auto": the C parser and event loop when
    # installed, h11 and asyncio otherwise (~0.3 ms more a request; bench/README.md).
    import uvicorn
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    config = uvicorn.Config(lambda scope, receive, send: None)
    config.load()
    assert config.http_protocol_class is HttpToolsProtocol
    factory = config.get_loop_factory()
    assert factory is not None
    loop = factory()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()
