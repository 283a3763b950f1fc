"""The PostgreSQL backend: SQL translation and tsvector/tsquery building (always),
and, on the suite's PostgreSQL run, that both databases answer searches alike."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from communique.search import pgtext
from communique.search.query import parse
from communique.store import Store
from communique.store.postgres import display_location, is_url, translate
from conftest import TEST_DB, build_processed, new_db

# --------------------------------------------------------------- translation


def test_placeholders_and_percent_signs() -> None:
    assert translate("SELECT * FROM t WHERE a = ? AND b LIKE 'x%' AND c = '?'") == (
        "SELECT * FROM t WHERE a = %s AND b LIKE 'x%%' AND c = '?'"
    )
    assert translate("SELECT a % 2 FROM t") == "SELECT a %% 2 FROM t"
    assert translate('SELECT "end" FROM t -- a comment with ?') == (
        'SELECT "end" FROM t -- a comment with ?'
    )


def test_begin_immediate_and_insert_or() -> None:
    assert translate("BEGIN IMMEDIATE") == "BEGIN"
    assert translate("INSERT OR IGNORE INTO k (key, evidence) VALUES (?, ?)") == (
        "INSERT INTO k (key, evidence) VALUES (%s, %s) ON CONFLICT DO NOTHING"
    )
    upsert = translate("INSERT OR REPLACE INTO version_pairs (a_id, b_id, score) VALUES (?, ?, ?)")
    assert upsert == (
        "INSERT INTO version_pairs (a_id, b_id, score) VALUES (%s, %s, %s)"
        ' ON CONFLICT (a_id, b_id) DO UPDATE SET "score" = EXCLUDED."score"'
    )
    with pytest.raises(ValueError, match="no key known"):
        translate("INSERT OR REPLACE INTO unknown_table (a) VALUES (?)")


def test_urls_are_recognized_and_passwords_hidden() -> None:
    assert is_url("postgresql://u:pw@h/db") and is_url("postgres://h/db")
    assert not is_url("communique.db") and not is_url("/tmp/postgresql.db")
    assert display_location("postgresql://u:s3cret@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert display_location("postgresql://u@h/db") == "postgresql://u@h/db"
    assert display_location("/data/c.db") == "/data/c.db"


def test_a_url_mangled_by_a_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a PostgreSQL URL"):
        Store("postgresql:/u@h/db")


# --------------------------------------------------------------- tsvector / tsquery


def test_tsvector_keeps_positions_and_quotes_every_lexeme() -> None:
    assert pgtext.tsvector("council of ministers council") == ("'council':1,4 'of':2 'ministers':3")
    # FTS5's tokens: the apostrophe separates, accents go, case folds
    assert pgtext.tsvector("O'Neil Café") == "'o':1 'neil':2 'cafe':3"
    assert pgtext.tsvector("上海 合作 组织") == "'上海':1 '合作':2 '组织':3"
    assert pgtext.tsvector("") == ""
    # a word PostgreSQL cannot index is left out rather than failing the document
    assert pgtext.tsvector("a" * 3000 + " b") == "'b':2"


def test_tsquery_is_made_of_quoted_lexemes_only() -> None:
    terms = parse("drug \"NEAR( * ')").terms
    query = pgtext.tsquery(terms, "AND")
    assert query == "'drug' & 'near'"
    assert pgtext.tsquery(["covid-19", "x"], "OR") == "('covid' <-> '19') | 'x'"
    assert pgtext.tsquery(["!!!"], "AND") is None


def test_fts5_expressions_become_tsqueries() -> None:
    assert pgtext.from_fts5('"a b" OR ("c" AND "d")') == "('a' <-> 'b') | ('c' & 'd')"
    assert pgtext.from_fts5('"x" "y"') == "'x' & 'y'"
    assert pgtext.from_fts5('"阿富汗"') == "'阿富汗'"
    assert pgtext.from_fts5('"emerge" * OR "a b" *') == "'emerge':* | ('a' <-> 'b':*)"
    # an empty phrase matches nothing, as in FTS5
    assert pgtext.from_fts5('"!" OR "y"') == "' ' | 'y'"
    with pytest.raises(ValueError):
        pgtext.from_fts5("a NEAR b")


# --------------------------------------------------------------- both databases alike

pg = pytest.mark.postgres_only


@pg
def test_the_test_database_is_postgresql(tmp_store: Store) -> None:
    assert TEST_DB and tmp_store.dialect == "postgresql"
    assert tmp_store.search_engine == "postgresql"


QUERIES = [
    "Afghanistan",
    "ministers meeting",
    "Afghanistan Iraq",  # never in one sentence: falls back to OR
    "阿富汗",
    "紧急救灾",
    "Афганистан",
    "Организации Объединенных Наций",
    "2012",
    '"NEAR(',
]


def _matches(store: Store, q: str, **kw: Any) -> tuple[str | None, int, set[tuple[str, int]]]:
    r = store.search(q, limit=100, **kw)
    return r.mode, r.total, {(h.file, h.sentence_index) for h in r.hits}


@pg
def test_search_matches_the_same_sentences_as_sqlite(
    genre_docs: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(new_db(tmp_path, "pg.db")) as on_pg:
        for doc in genre_docs:
            on_pg.add(doc)
        monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", "fts5")
        with Store.open(tmp_path / "lite.db") as lite:
            for doc in genre_docs:
                lite.add(doc)
            for q in QUERIES:
                assert _matches(on_pg, q) == _matches(lite, q), q
                assert _matches(on_pg, q, lang="en") == _matches(lite, q, lang="en"), q
            pg_facets = on_pg.search("Afghanistan").facets
            assert pg_facets == lite.search("Afghanistan").facets
            assert pg_facets["language"] == {"en": 1}


@pg
def test_concurrent_writers_store_one_copy(tmp_path: Path) -> None:
    """Two stores (two connections) write the same document in overlapping transactions:
    one stores it, the other finds it stored; neither fails."""
    db = new_db(tmp_path, "race.db")
    doc = build_processed("The Council met on 1 May 2010 in Astana.\n", "race.txt")
    from communique.store.sqlite import prepare

    rows = prepare(doc)
    first, second = Store.open(db), Store.open(db)
    try:
        first.conn.execute("BEGIN")
        first_id, created = first._insert(rows)
        assert created
        # The second writer's insert waits on the first's uncommitted row...
        import threading

        result: list[Any] = []
        t = threading.Thread(target=lambda: result.append(second.write([rows])))
        t.start()
        t.join(timeout=1)
        assert t.is_alive(), "the second writer did not wait for the first"
        first.conn.execute("COMMIT")
        t.join(timeout=30)
        # ...and then finds it stored instead of failing on the unique hash.
        assert result == [[(first_id, False)]]
        assert first.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    finally:
        first.close()
        second.close()


@pg
def test_errors_are_the_sqlite3_classes(tmp_store: Store) -> None:
    with pytest.raises(sqlite3.OperationalError):
        tmp_store.conn.execute("SELECT * FROM no_such_table")
    with pytest.raises(sqlite3.IntegrityError):
        tmp_store.conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (1, 'x')")
