"""The SQLite store: schema and migrations, one transaction per document,
idempotent ingest, every extracted value stored with its span and sentence."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from communique.store import LATEST, SchemaError, Store
from communique.store.migrations import MIGRATIONS, current_version, migrate, statements
from conftest import EN_COMMUNIQUE, build_processed, new_db, raw_connect, table_names


def _fts_ok(store: Store) -> None:
    if store.dialect == "postgresql":
        # One tsvector per sentence, each naming a sentence that exists.
        one = "SELECT count(*) FROM sentences_fts f JOIN sentences s ON s.id = f.rowid"
        assert (
            store.conn.execute(one).fetchone()[0]
            == store.conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
            == store.conn.execute("SELECT count(*) FROM sentences_fts").fetchone()[0]
        )
        return
    # FTS5 raises "database disk image is malformed" when the index and the
    # sentences table disagree.
    store.conn.execute("INSERT INTO sentences_fts (sentences_fts) VALUES ('integrity-check')")


def _snapshot(db: Any) -> dict[str, list[tuple[object, ...]]]:
    conn = raw_connect(db)
    try:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
            for t in ("documents", "paragraphs", "sentences", "mentions", "schema_version")
        }
    finally:
        conn.close()


# ------------------------------------------------------------------- schema


@pytest.mark.sqlite_only
def test_pragmas_and_schema(tmp_store: Store) -> None:
    c = tmp_store.conn
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA busy_timeout").fetchone()[0] == 10000
    assert c.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    versions = [r[0] for r in c.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, LATEST + 1))
    sql = c.execute("SELECT sql FROM sqlite_master WHERE name = 'sentences_fts'").fetchone()[0]
    assert "unicode61 remove_diacritics 2" in sql


def test_statements_keep_trigger_bodies_whole() -> None:
    parts = statements(MIGRATIONS[1])
    triggers = [p for p in parts if p.startswith("CREATE TRIGGER")]
    assert len(triggers) == 2
    assert all(t.rstrip().endswith("END;") for t in triggers)


def test_upgrade_from_version_1_keeps_and_indexes_data(tmp_path: Path) -> None:
    db = new_db(tmp_path, "old.db")
    old = Store(db, migrate_to=1)
    assert old.schema_version == 1
    doc_id, created = old.add(build_processed(EN_COMMUNIQUE, "en.txt", date="2011-03-12"))
    assert created
    assert "sentences_fts" not in table_names(old.conn)
    old.close()

    new = Store.open(db)
    try:
        assert new.schema_version == LATEST
        assert current_version(new.conn) == LATEST
        # v2 filled the index from the sentences v1 already held.
        hits = new.search("Afghanistan").hits
        assert [h.document_id for h in hits] == [doc_id]
        _fts_ok(new)
        assert {"documents_language", "documents_date"} <= table_names(new.conn, "index")
        assert new.document(doc_id) is not None
    finally:
        new.close()


@pytest.mark.sqlite_only
def test_failed_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from communique.store import migrations

    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    migrate(conn, 1)
    broken = [*MIGRATIONS[:1], "CREATE TABLE half (x INTEGER);\nTHIS IS NOT SQL;"]
    monkeypatch.setattr(migrations, "MIGRATIONS", broken)
    monkeypatch.setattr(migrations, "LATEST", 2)
    with pytest.raises(sqlite3.OperationalError):
        migrations.migrate(conn, 2)
    assert current_version(conn) == 1
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'half'").fetchone() is None
    conn.close()


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = new_db(tmp_path, "future.db")
    Store.open(db).close()
    conn = raw_connect(db)
    conn.execute("INSERT INTO schema_version VALUES (?, 'later')", (LATEST + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(SchemaError):
        Store.open(db)


@pytest.mark.sqlite_only
def test_default_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import communique

    monkeypatch.setenv("COMMUNIQUE_DB", str(tmp_path / "env.db"))
    with Store.open() as store:
        assert store.path == str(tmp_path / "env.db")
    monkeypatch.delenv("COMMUNIQUE_DB")
    monkeypatch.chdir(tmp_path)
    with communique.open() as store:
        assert Path(store.path).name == "communique.db"
    assert (tmp_path / "communique.db").exists()


# ------------------------------------------------------------------- writing


def test_every_value_is_stored_with_span_and_sentence(genre_store: Store) -> None:
    for info in genre_store.documents():
        detail = genre_store.document(info.id)
        assert detail is not None
        assert detail.mentions, info.name
        for m in detail.mentions:
            assert detail.text[m.start : m.end] == m.surface, m
            s = detail.sentences[m.sentence]
            assert s.start <= m.start and m.end <= s.end
        for s in detail.sentences:
            assert detail.text[s.start : s.end] == s.text
        for p in detail.paragraphs:
            assert 0 <= p.start < p.end <= len(detail.text)


def test_persons_instruments_commitments_are_mentions(genre_store: Store) -> None:
    (info,) = genre_store.documents(language="en")
    detail = genre_store.document(info.id)
    assert detail is not None
    by_kind: dict[str, list] = {}
    for m in detail.mentions:
        by_kind.setdefault(m.kind, []).append(m)
    lavrov = next(m for m in by_kind["person"] if m.value == "S. Lavrov")
    assert lavrov.attrs["country"] == "RU"
    assert lavrov.attrs["meeting"] == "participant"  # merged with the persons entry, not doubled
    assert len([m for m in by_kind["person"] if m.value == "S. Lavrov"]) == 1
    (instrument,) = by_kind["instrument"]
    assert instrument.attrs["kind"] == "agreement"
    (commitment,) = by_kind["commitment"]
    assert commitment.value == "2012-12-31"
    assert commitment.surface.startswith("The Member States will complete")
    ds, de = commitment.attrs["deadline_start"], commitment.attrs["deadline_end"]
    assert detail.text[ds:de] == "before the end of 2012"
    # The full record is kept as extraction produced it.
    assert detail.record["commitments"][0]["deadline"] == "2012-12-31"
    assert detail.record["states"] == ["AF", "KZ", "RU"]


def test_adding_the_same_bytes_twice_changes_nothing(tmp_path: Path) -> None:
    db = new_db(tmp_path, "s.db")
    doc = build_processed(EN_COMMUNIQUE, "a.txt", date="2011-03-12")
    with Store.open(db) as store:
        first = store.add(doc)
    before = _snapshot(db)
    with Store.open(db) as store:
        again = store.add(doc)
    assert first[1] is True and again == (first[0], False)
    assert _snapshot(db) == before


def _broken_document() -> Any:
    """A document set in Bishkek whose rows cannot be written: a value that is not
    text breaks the mentions insert, the last step."""
    bad = build_processed(
        EN_COMMUNIQUE.replace("Astana", "Bishkek"),
        "bad.txt",
        mentions=[("place", "Bishkek", "Bishkek")],
    )
    bad.extraction.mentions[0].value = None  # type: ignore[assignment]
    return bad


def test_a_failing_document_leaves_nothing(tmp_store: Store) -> None:
    good = build_processed(EN_COMMUNIQUE, "good.txt")
    bad = _broken_document()
    with pytest.raises(sqlite3.IntegrityError):
        tmp_store.add(bad)
    assert tmp_store.stats().documents == 0
    assert tmp_store.conn.execute("SELECT count(*) FROM sentences").fetchone()[0] == 0
    assert tmp_store.search("Bishkek").total == 0
    tmp_store.add(good)
    assert tmp_store.stats().documents == 1
    _fts_ok(tmp_store)


def test_a_failing_document_in_a_batch_leaves_the_others(tmp_store: Store) -> None:
    from communique.store.sqlite import prepare

    first = build_processed(EN_COMMUNIQUE, "first.txt")
    bad = _broken_document()
    last = build_processed(EN_COMMUNIQUE.replace("Astana", "Dushanbe"), "last.txt")
    results = tmp_store.write([prepare(first), prepare(bad), prepare(last)])
    assert isinstance(results[1], sqlite3.IntegrityError)
    assert [r[1] for r in (results[0], results[2])] == [True, True]  # type: ignore[index]
    assert {d.name for d in tmp_store.documents()} == {"first.txt", "last.txt"}
    assert tmp_store.search("Bishkek").total == 0
    assert tmp_store.search("Dushanbe").total > 0
    _fts_ok(tmp_store)


def _fts5_segments(store: Store) -> int:
    """Segments of the FTS5 index, from its structure record (fts5_index.c: a
    4-byte cookie, a version mark in newer SQLite, then varints nLevel, nSegment)."""
    (block,) = store.conn.execute("SELECT block FROM sentences_fts_data WHERE id = 10").fetchone()
    i = 8 if block[4:8] == b"\xff\x00\x00\x01" else 4

    def varint() -> int:
        nonlocal i
        value = 0
        while True:
            byte = block[i]
            i += 1
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                return value

    varint()  # levels
    return varint()


@pytest.mark.sqlite_only
def test_a_batch_adds_one_segment_to_the_full_text_index(tmp_store: Store) -> None:
    # FTS5 writes what it holds in memory out as a segment at every savepoint,
    # and SQLite opens one around every statement that fires a trigger: rows
    # written document by document made a segment per document to merge later.
    from communique.store.sqlite import prepare

    docs = [
        prepare(build_processed(EN_COMMUNIQUE.replace("Astana", city), f"{city}.txt"))
        for city in ("Astana", "Bishkek", "Dushanbe")
    ]
    tmp_store.write(docs)
    assert _fts5_segments(tmp_store) == 1
    tmp_store.write(
        [prepare(build_processed(EN_COMMUNIQUE.replace("Astana", "Tashkent"), "t.txt"))]
    )
    assert _fts5_segments(tmp_store) == 2
    _fts_ok(tmp_store)


def _has_index(db: Any, name: str = "mentions_kind_value") -> bool:
    conn = raw_connect(db)
    try:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?"
        return conn.execute(sql, (name,)).fetchone() is not None
    finally:
        conn.close()


def _texts(folder: Path, cities: list[str]) -> list[Path]:
    folder.mkdir()
    files = []
    for city in cities:
        f = folder / f"{city}.txt"
        f.write_text(EN_COMMUNIQUE.replace("Astana", city), encoding="utf-8")
        files.append(f)
    return files


_CITIES = ["Astana", "Bishkek", "Dushanbe", "Tashkent"]


@pytest.fixture
def small_bulk(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Four files to ingest, where ingests of two files and up count as bulk (2,000 in use)."""
    from communique.store import sqlite as store_sqlite

    monkeypatch.setattr(store_sqlite, "_DEFER_INDEX_DOCUMENTS", 2)
    return _texts(tmp_path / "docs", _CITIES)


@pytest.mark.sqlite_only
def test_a_bulk_ingest_builds_the_mentions_value_index_at_its_end(
    tmp_path: Path, small_bulk: list[Path]
) -> None:
    db = tmp_path / "bulk.db"
    seen: list[bool] = []

    def on_event(event: Any) -> None:
        if event.kind == "file" and event.status == "stored":
            seen.append(_has_index(db))

    with Store(db) as store:
        report = store.ingest(small_bulk, progress=on_event)
        assert [r.status for r in report.results] == ["stored"] * 4
        assert seen == [False] * 4  # left out while the batches were written
        assert _has_index(db)
        plan = store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT doc_id FROM mentions WHERE kind = 'state' AND value = 'KZ'"
        ).fetchall()
        assert any("mentions_kind_value" in str(row) for row in plan)
        assert (
            store.conn.execute(
                "SELECT count(DISTINCT doc_id) FROM mentions WHERE kind = 'state' AND value = 'KZ'"
            ).fetchone()[0]
            == 4
        )


@pytest.mark.sqlite_only
def test_an_ingest_smaller_than_the_store_keeps_the_index_up(
    tmp_path: Path, small_bulk: list[Path]
) -> None:
    db = tmp_path / "small.db"
    seen: list[bool] = []
    with Store(db) as store:
        store.ingest(small_bulk[:3])
        store.ingest(small_bulk[3:], progress=lambda e: seen.append(_has_index(db)))
    assert seen and all(seen)


@pytest.mark.sqlite_only
def test_a_bulk_ingest_that_fails_still_builds_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_bulk: list[Path]
) -> None:

    def broken_write(self: Store, docs: Any, *, index: bool = True) -> Any:
        raise KeyboardInterrupt

    db = tmp_path / "broken.db"
    with Store(db) as store:
        monkeypatch.setattr(Store, "write", broken_write)
        with pytest.raises(KeyboardInterrupt):
            store.ingest(small_bulk)
    assert _has_index(db)


@pytest.mark.sqlite_only
def test_an_index_left_out_by_an_ingest_that_died_is_built_at_open(tmp_path: Path) -> None:
    db = tmp_path / "died.db"
    with Store(db) as store:
        store.ingest(_texts(tmp_path / "docs", _CITIES))
        # what a bulk ingest killed before its end leaves
        store.conn.execute("DROP INDEX mentions_kind_value")
    assert not _has_index(db)
    with Store(db) as store:
        assert _has_index(db)
        assert store.stats().documents == 4


@pytest.mark.sqlite_only
def test_a_store_opened_during_a_bulk_ingest_leaves_the_index_to_it(
    tmp_path: Path, small_bulk: list[Path]
) -> None:
    # `communique serve` started while a large ingest runs: it must neither wait on
    # the ingest to build the index nor put it back under the ingest's batches.
    db = tmp_path / "busy.db"
    during: list[bool] = []

    def open_meanwhile(event: Any) -> None:
        if event.kind == "file" and event.status == "stored" and not during:
            with Store(db) as other:
                assert other.stats().documents >= 1
            during.append(_has_index(db))

    with Store(db) as store:
        report = store.ingest(small_bulk, progress=open_meanwhile)
        assert report.counts()["stored"] == 4
    assert during == [False]
    assert _has_index(db)


def test_delete_removes_everything_and_keeps_index_consistent(genre_store: Store) -> None:
    (en,) = genre_store.documents(language="en")
    assert genre_store.search("Afghanistan").total > 0
    assert genre_store.delete(en.id) is True
    assert genre_store.delete(en.id) is False
    assert genre_store.document(en.id) is None
    assert genre_store.search("Afghanistan").total == 0
    for table in ("paragraphs", "sentences", "mentions"):
        n = genre_store.conn.execute(f"SELECT count(*) FROM {table} WHERE doc_id = ?", (en.id,))
        assert n.fetchone()[0] == 0
    _fts_ok(genre_store)
    assert genre_store.search("阿富汗").total == 1  # one sentence names it twice


# ------------------------------------------------------------------- reading


def test_documents_filters_sort_and_count(genre_store: Store) -> None:
    names = [d.name for d in genre_store.documents()]
    assert names == ["en_communique.txt", "zh_press.txt", "ru_declaration.txt"]
    assert genre_store.documents(sort="-date")[0].name == "ru_declaration.txt"
    assert [d.name for d in genre_store.documents(language="zh")] == ["zh_press.txt"]
    assert [d.name for d in genre_store.documents(type="declaration")] == ["ru_declaration.txt"]
    assert [d.name for d in genre_store.documents(organization="CICA")] == ["ru_declaration.txt"]
    assert len(genre_store.documents(body="CMFA")) == 2
    assert [d.name for d in genre_store.documents(date_from="2012")] == ["ru_declaration.txt"]
    assert len(genre_store.documents(date_to="2011-03")) == 2
    assert len(genre_store.documents(date_from="2011-03-12", date_to="2011-03-12")) == 2
    assert len(genre_store.documents(limit=1, offset=1)) == 1
    assert genre_store.count(body="CMFA") == 2
    with pytest.raises(ValueError):
        genre_store.documents(sort="size; DROP TABLE documents")
    with pytest.raises(ValueError):
        genre_store.documents(date_from="March 2011")


def test_detail_and_stats_serialize(genre_store: Store) -> None:
    (zh,) = genre_store.documents(language="zh")
    detail = genre_store.document(zh.id)
    assert detail is not None
    data = json.loads(json.dumps(detail.to_dict(), ensure_ascii=False))
    assert data["name"] == "zh_press.txt" and data["sentences"][0]["index"] == 0
    assert data["record"]["file"] == "zh_press.txt"
    stats = genre_store.stats()
    assert stats.documents == 3
    assert stats.languages == {"en": 1, "ru": 1, "zh": 1}
    assert stats.organizations == {"SCO": 2, "CICA": 1}
    assert stats.years == {"2011": 2, "2016": 1}
    assert stats.mention_kinds["commitment"] == 3
    assert stats.schema_version == LATEST
    assert json.dumps(stats.to_dict())


# -------------------------------------------------------------------- ingest


def test_ingest_seeds_then_again_unchanged(tmp_path: Path, seeds_dir: Path) -> None:
    db = new_db(tmp_path, "i.db")
    events = []
    with Store.open(db) as store:
        report = store.ingest([seeds_dir], progress=events.append)
    assert report.counts() == {"stored": 5, "unchanged": 0, "failed": 0}
    assert events[0].kind == "start" and events[0].total == 5
    assert [e.done for e in events[1:]] == [1, 2, 3, 4, 5]
    before = _snapshot(db)
    with Store.open(db) as store:
        again = store.ingest(sorted(seeds_dir.glob("*.txt")))
        assert again.counts() == {"stored": 0, "unchanged": 5, "failed": 0}
        assert {r.document_id for r in again.unchanged} == {r.document_id for r in report.stored}
        _fts_ok(store)
    assert _snapshot(db) == before


def test_a_bulk_ingest_sets_its_connection_back(tmp_path: Path, seeds_dir: Path) -> None:
    # While it writes, the ingest keeps a larger cache, checkpoints the log less
    # often and lets FTS5 merge its segments sixteen at a time; afterwards the
    # connection and the index are as they were, and the log copied.
    db = tmp_path / "bulk.db"
    seen: list[tuple[int, int]] = []
    merging: list[int | None] = []
    with Store.open(db) as store:
        before = _cache_and_wal(store.conn)

        def progress(event: Any) -> None:
            if event.kind == "file":
                seen.append(_cache_and_wal(store.conn))
                merging.append(_automerge(store.conn))

        report = store.ingest([seeds_dir], progress=progress)
        assert report.counts()["stored"] == 5
        assert len(seen) == 5
        assert all(cache < -2000 and wal > 1000 for cache, wal in seen)
        assert merging == [0] * 5
        assert _cache_and_wal(store.conn) == before
        assert _automerge(store.conn) == 4  # FTS5's default
        busy, log, copied = store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert busy == 0 and log == copied


def _automerge(conn: Any) -> int | None:
    row = conn.execute("SELECT v FROM sentences_fts_config WHERE k = 'automerge'").fetchone()
    return None if row is None else int(row[0])


def _cache_and_wal(conn: Any) -> tuple[int, int]:
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    return int(cache), int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])


def test_ingest_reports_failures_and_goes_on(tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    (folder / "a.txt").write_bytes(seed.read_bytes())
    (folder / "b_copy.txt").write_bytes(seed.read_bytes())  # same bytes: one document
    (folder / "c_noise.txt").write_bytes(os.urandom(4096))
    (folder / "d_empty.txt").write_bytes(b"")
    with Store.open(new_db(tmp_path, "f.db")) as store:
        report = store.ingest([folder, tmp_path / "missing.txt"])
        assert report.counts() == {"stored": 1, "unchanged": 1, "failed": 3}
        assert not report.ok
        reasons = {Path(r.path).name: r.reason for r in report.failed}
        assert set(reasons) == {"c_noise.txt", "d_empty.txt", "missing.txt"}
        assert all(reasons.values())
        (copy,) = report.unchanged
        assert copy.document_id == report.stored[0].document_id
        assert store.stats().documents == 1


def test_a_store_without_documents_reads_each_file_once(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing is stored yet, so nothing can be skipped: no hashing pass before
    # processing. Once documents are stored, the pass comes back, and it is what
    # keeps an unchanged file from being processed again.
    from communique.store import sqlite as store_sqlite

    hashed: list[str] = []
    real = store_sqlite.file_sha256

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(store_sqlite, "file_sha256", counting)
    with Store.open(new_db(tmp_path, "once.db")) as store:
        assert store.ingest([seeds_dir]).counts()["stored"] == 5
        assert hashed == []
        again = store.ingest([seeds_dir])
        assert again.counts() == {"stored": 0, "unchanged": 5, "failed": 0}
        assert len(hashed) == 5


@pytest.mark.postgres_only
def test_parallel_writers_hash_every_file_first_even_into_an_empty_store(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each of PostgreSQL's writers stores what its worker read: a twin must be known
    # before processing, or the first one written (the copy, say) is the one stored
    # and the report, which reads twins in input order, says nothing was.
    looked_up: list[str] = []
    real = Store._ids_for

    def ids_for(self: Store, hashes: Any) -> dict[str, int]:
        looked_up.extend(hashes)  # the hashes of the pass, looked up before processing
        return real(self, hashes)

    monkeypatch.setattr(Store, "_ids_for", ids_for)
    with Store.open(new_db(tmp_path, "parallel.db")) as store:
        report = store.ingest([seeds_dir], workers=2)
        assert report.counts()["stored"] == 5
        assert sorted(looked_up) == sorted(r.sha256 for r in report.stored)


@pytest.mark.parametrize("workers", [1, 2])
def test_twins_in_a_first_ingest_are_found_after_processing(
    tmp_path: Path, seeds_dir: Path, workers: int
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    for name in ("a.txt", "b_copy.txt", "c.md"):
        (folder / name).write_bytes(seed.read_bytes())
    for name in ("d_empty.txt", "e_empty_copy.txt"):
        (folder / name).write_bytes(b"")
    with Store.open(new_db(tmp_path, f"twins{workers}.db")) as store:
        report = store.ingest([folder], workers=workers)
        by_name = {Path(r.path).name: r for r in report.results}
        # Same bytes read as Markdown: processed, and one of the two is stored. With
        # PostgreSQL's parallel writers, whichever worker writes first.
        assert {by_name["a.txt"].status, by_name["c.md"].status} == {"stored", "unchanged"}
        if store.dialect == "sqlite" or workers == 1:
            assert by_name["a.txt"].status == "stored"  # one writer, in input order
        first = by_name["a.txt"].document_id
        assert first is not None and by_name["c.md"].document_id == first
        # Same bytes, same suffix: a twin, reported as such and not written again.
        copy = by_name["b_copy.txt"]
        assert (copy.status, copy.document_id) == ("unchanged", first)
        assert copy.reason == f"same content as {folder / 'a.txt'}"
        # The twin of a refused file is refused, for its twin's reason.
        empty = by_name["d_empty.txt"]
        assert empty.status == "failed"
        twin = by_name["e_empty_copy.txt"]
        assert twin.status == "failed"
        assert twin.reason == f"{empty.reason} (same content as {folder / 'd_empty.txt'})"
        assert store.stats().documents == 1


def test_ingest_with_worker_processes_matches_one_process(
    tmp_path: Path, seeds_dir: Path, seeded_store: Store
) -> None:
    with Store.open(new_db(tmp_path, "w.db")) as store:
        report = store.ingest([seeds_dir], workers=2)
        assert report.counts()["stored"] == 5
        mine = {d.sha256: d.sentences for d in store.documents()}
    assert mine == {d.sha256: d.sentences for d in seeded_store.documents()}


def _collector_threshold(items: list[int]) -> list[int]:
    import gc

    return [gc.get_threshold()[0] for _ in items]


def test_batch_worker_processes_run_with_the_raised_collector_threshold() -> None:
    import gc

    from communique.pipeline import BATCH_GC_THRESHOLD, LocalEngine

    before = gc.get_threshold()
    with LocalEngine(2) as engine:
        seen = set(engine.map(_collector_threshold, list(range(8)), 1))
    assert seen == {BATCH_GC_THRESHOLD}
    assert gc.get_threshold() == before  # the library leaves the calling process alone


# ------------------------------------------------------------------ pipeline


def test_process_errors_name_the_file_and_the_reason(tmp_path: Path) -> None:
    import pickle

    from communique.pipeline import ProcessError, iter_process, process
    from communique.records import ReadError

    blank = tmp_path / "blank.txt"
    blank.write_text("\u200b\u200b\n\u200b\n", encoding="utf-8")
    with pytest.raises((ProcessError, ReadError)) as info:
        process(blank)
    assert info.value.path == str(blank) and info.value.reason
    err = ProcessError("a.txt", "segment failed")
    assert isinstance(err, ValueError)
    back = pickle.loads(pickle.dumps(err))
    assert (back.path, back.reason) == ("a.txt", "segment failed")

    good = tmp_path / "good.txt"
    good.write_text(EN_COMMUNIQUE, encoding="utf-8")
    outcomes = list(iter_process([good, tmp_path / "nope.txt", blank]))
    assert {o.path.name: o.ok for o in outcomes} == {
        "good.txt": True,
        "nope.txt": False,
        "blank.txt": False,
    }
    done = next(o for o in outcomes if o.ok).document
    assert done is not None and done.extraction.file == "good.txt"
    assert "AF" in done.extraction.states
