"""Whole-store values kept on a connection until the database changes
(``communique.store.derived``), on SQLite and, in the suite's second run, PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from communique.link import ensure_built
from communique.link.entities import _person_index, person_index
from communique.store import Store
from communique.store.derived import derived
from conftest import bench_corpus, new_db

_TOKEN = "INSERT INTO api_tokens (key, name, salt, hash, created_at) VALUES (?, ?, ?, ?, ?)"


def test_a_value_is_reused_until_a_write_from_any_connection(tmp_path: Path) -> None:
    db = new_db(tmp_path, "d.db")
    calls: list[int] = []

    def count(conn: object) -> int:
        calls.append(1)
        return int(conn.execute("SELECT count(*) FROM api_tokens").fetchone()[0])  # type: ignore[attr-defined]

    with Store.open(db) as reader, Store.open(db) as writer:
        assert derived(reader.conn, "n", count) == 0
        assert derived(reader.conn, "n", count) == 0
        assert len(calls) == 1
        # another connection commits: the value is read again
        writer.conn.execute(_TOKEN, ("k1", "a", b"s", b"h", "2026-01-01"))
        assert derived(reader.conn, "n", count) == 1
        assert len(calls) == 2
        # the connection itself writes
        reader.conn.execute(_TOKEN, ("k2", "b", b"s", b"h", "2026-01-01"))
        assert derived(reader.conn, "n", count) == 2
        assert derived(reader.conn, "n", count) == 2
        assert len(calls) == 3


def test_person_index_follows_documents_linked_elsewhere(tmp_path: Path) -> None:
    """A document page asks for the person index each time; the cached one must still
    see persons that another process (here another connection) has linked since."""
    corpus = bench_corpus()
    corpus.generate(tmp_path / "first", 3, seed=5)
    corpus.generate(tmp_path / "more", 6, seed=6)
    db = new_db(tmp_path, "p.db")
    with Store.open(db) as page, Store.open(db) as ingest:
        assert ingest.ingest([tmp_path / "first"]).ok
        ensure_built(ingest)
        before = person_index(page.conn)
        assert before == _person_index(page.conn) and before
        assert person_index(page.conn) is before  # nothing changed: the same mapping
        assert ingest.ingest([tmp_path / "more"]).ok
        ensure_built(ingest)
        after = person_index(page.conn)
        assert after == _person_index(page.conn)
        assert set(after) > set(before)
