"""Whole-store values kept until the database changes (``communique.store.derived``),
shared by every connection of the process, on SQLite and, in the suite's second run,
PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from communique.link import ensure_built, facts
from communique.link.entities import _person_index, person_index
from communique.link.timeline import _assembled
from communique.store import Store
from communique.store.derived import derived, shared_marker
from communique.store.migrations import GENERATION_TABLES
from conftest import bench_corpus, new_db

_TOKEN = "INSERT INTO api_tokens (key, name, salt, hash, created_at) VALUES (?, ?, ?, ?, ?)"


class _Counter:
    """A whole-store value (the number of documents) that counts its computations."""

    def __init__(self, pause: float = 0.0) -> None:
        self.calls = 0
        self.pause = pause
        self._lock = threading.Lock()

    def __call__(self, conn: Any) -> int:
        with self._lock:
            self.calls += 1
        time.sleep(self.pause)
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])


def _corpus(tmp_path: Path, name: str, n: int, seed: int) -> Path:
    bench_corpus().generate(tmp_path / name, n, seed=seed)
    return tmp_path / name


def test_a_value_is_computed_once_for_every_connection_until_a_write(tmp_path: Path) -> None:
    first, more = _corpus(tmp_path, "a", 2, 1), _corpus(tmp_path, "b", 3, 2)
    db = new_db(tmp_path, "d.db")
    count = _Counter()
    with Store.open(db) as one, Store.open(db) as two, Store.open(db) as writer:
        assert writer.ingest([first]).ok
        assert derived(one.conn, "n", count) == 2
        # another connection of the process finds the value computed
        assert derived(two.conn, "n", count) == 2
        assert count.calls == 1
        assert writer.ingest([more]).ok
        assert derived(two.conn, "n", count) == 5
        assert derived(one.conn, "n", count) == 5
        assert count.calls == 2
        # a connection's own write
        assert one.delete(1)
        assert derived(one.conn, "n", count) == 4
        assert derived(two.conn, "n", count) == 4
        assert count.calls == 3


def test_connections_that_miss_together_wait_for_one_computation(tmp_path: Path) -> None:
    """The web service's worker threads each have a connection: after a write, the
    first requests of all of them must not each compute the person index again."""
    db = new_db(tmp_path, "w.db")
    count = _Counter(pause=0.2)
    stores = [Store.open(db) for _ in range(6)]
    try:
        assert stores[0].ingest([_corpus(tmp_path, "a", 2, 3)]).ok
        start = threading.Barrier(len(stores))
        got: list[int] = []

        def ask(store: Store) -> None:
            start.wait()
            got.append(derived(store.conn, "n", count))

        threads = [threading.Thread(target=ask, args=(s,)) for s in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert got == [2] * len(stores)
        assert count.calls == 1
    finally:
        for s in stores:
            s.close()


def test_each_database_has_its_own_values(tmp_path: Path) -> None:
    count = _Counter()
    with (
        Store.open(new_db(tmp_path, "x.db")) as x,
        Store.open(new_db(tmp_path, "y.db")) as y,
    ):
        assert x.ingest([_corpus(tmp_path, "a", 2, 4)]).ok
        assert y.ingest([_corpus(tmp_path, "b", 3, 5)]).ok
        assert derived(x.conn, "n", count) == 2
        assert derived(y.conn, "n", count) == 3
        assert derived(x.conn, "n", count) == 2


@pytest.mark.postgres_only
def test_server_work_that_ends_no_writing_transaction_keeps_values(tmp_path: Path) -> None:
    # A checkpoint (every 5 minutes on a server that was written to) and WAL that is
    # no transaction's move the WAL position, the marker before, and each threw
    # every kept value away; CI failed a test on it.
    count = _Counter()
    with Store.open(new_db(tmp_path, "c.db")) as store:
        assert store.ingest([_corpus(tmp_path, "a", 2, 6)]).ok
        assert derived(store.conn, "n", count) == 2
        store.conn.execute("CHECKPOINT")
        store.conn.execute("SELECT pg_logical_emit_message(false, 'communique', 'test')")
        store.conn.execute("SELECT count(*) FROM sentences").fetchone()
        assert derived(store.conn, "n", count) == 2
        assert count.calls == 1
        # a transaction that writes, even to a table of no store, is a change
        store.conn.execute("CREATE TEMP TABLE elsewhere (n int)")
        store.conn.execute("INSERT INTO elsewhere VALUES (1)")
        assert derived(store.conn, "n", count) == 2
        assert count.calls == 2


@pytest.mark.sqlite_only
def test_every_table_moves_the_generation_or_follows_one_that_does(tmp_path: Path) -> None:
    """A table added later must be placed here: either its writes draw a new
    generation (a trigger, GENERATION_TABLES), or its rows are only ever written in the
    transaction that writes a row of one that does, or no whole-store value reads it."""
    follows = {
        "paragraphs": "documents",
        "sentences": "documents",
        "sentences_fts": "documents",
        "mentions": "documents",
        "link_facts": "link_documents",
        "link_entity_mentions": "link_documents",
        "link_evidence": "link_documents",
        "link_evidence_keys": "link_documents",
        "link_commitments": "link_documents",
    }
    unread = {"api_tokens", "schema_version", "store_generation"}
    with Store.open(tmp_path / "t.db") as store:
        rows = store.conn.execute("SELECT name, type, tbl_name FROM sqlite_master").fetchall()
    tables = {
        name
        for name, kind, _ in rows
        if kind == "table" and not name.startswith(("sqlite_", "sentences_fts_"))
    }
    assert tables == set(GENERATION_TABLES) | set(follows) | unread
    triggers = {(tbl, name) for name, kind, tbl in rows if kind == "trigger"}
    for table in GENERATION_TABLES:
        for event in ("insert", "update", "delete"):
            assert (table, f"{table}_{event}_generation") in triggers


@pytest.mark.sqlite_only
def test_every_write_to_a_generation_table_draws_a_new_generation(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    with Store.open(db) as store:
        assert store.ingest([_corpus(tmp_path, "a", 2, 6)]).ok
        ensure_built(store)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")

    def generation() -> int:
        return int(conn.execute("SELECT n FROM store_generation").fetchone()[0])

    statements = {
        "documents": (
            "UPDATE documents SET title = title || '' WHERE id = 1",
            "DELETE FROM documents WHERE id = 2",
        ),
        "link_documents": (
            "UPDATE link_documents SET built_at = built_at WHERE doc_id = 1",
            "DELETE FROM link_documents WHERE doc_id = 1",
        ),
        "version_features": (
            "INSERT OR REPLACE INTO version_features (doc_id, version, anchors) VALUES (1, 0, '[]')",
            "UPDATE version_features SET version = 1 WHERE doc_id = 1",
            "DELETE FROM version_features WHERE doc_id = 1",
        ),
        "version_pairs": (
            "INSERT INTO version_pairs VALUES (1, 1, 0, 0, 0.0, '{}', '[]')",
            "UPDATE version_pairs SET score = 1.0",
            "DELETE FROM version_pairs",
        ),
        "version_groups": (
            "INSERT OR REPLACE INTO version_groups (doc_id, group_id) VALUES (1, 7)",
            "UPDATE version_groups SET group_id = 8",
            "DELETE FROM version_groups",
        ),
    }
    assert set(statements) == set(GENERATION_TABLES)
    for table, sqls in statements.items():
        for sql in sqls:
            before = generation()
            assert conn.execute(sql).rowcount > 0, sql
            assert generation() != before, f"{table}: {sql}"
    # a token's use is no change to what whole-store values read
    before = generation()
    conn.execute(_TOKEN, ("k1", "a", b"s", b"h", "2026-01-01"))
    conn.execute("UPDATE api_tokens SET last_used = 'now'")
    assert generation() == before
    conn.close()


@pytest.mark.sqlite_only
def test_a_token_in_use_does_not_throw_values_away(tmp_path: Path) -> None:
    count = _Counter()
    with Store.open(tmp_path / "k.db") as store, Store.open(tmp_path / "k.db") as other:
        assert store.ingest([_corpus(tmp_path, "a", 2, 7)]).ok
        assert derived(store.conn, "n", count) == 2
        other.conn.execute(_TOKEN, ("k1", "a", b"s", b"h", "2026-01-01"))
        assert derived(store.conn, "n", count) == 2
        assert count.calls == 1


@pytest.mark.sqlite_only
def test_a_store_in_memory_or_before_v7_keeps_values_on_its_connection(tmp_path: Path) -> None:
    count = _Counter()
    with Store(":memory:") as memory:
        assert shared_marker(memory.conn) is None
        assert derived(memory.conn, "n", count) == 0
        assert derived(memory.conn, "n", count) == 0
        assert count.calls == 1
    with (
        Store(tmp_path / "v6.db", migrate_to=6) as old,
        Store(tmp_path / "v6.db", migrate_to=6) as o2,
    ):
        assert shared_marker(old.conn) is None
        assert derived(old.conn, "n", count) == 0
        assert derived(old.conn, "n", count) == 0
        assert count.calls == 2
        o2.conn.execute(
            "INSERT INTO api_tokens (key, name, salt, hash, created_at)"
            " VALUES ('k', 'n', x'00', x'00', 'now')"
        )
        assert derived(old.conn, "n", count) == 0
        assert count.calls == 3  # another connection wrote: read again


def test_person_index_follows_documents_linked_elsewhere(tmp_path: Path) -> None:
    """A document page asks for the person index each time; the kept one must still
    see persons that another process (here another connection) has linked since."""
    first, more = _corpus(tmp_path, "first", 3, 5), _corpus(tmp_path, "more", 6, 6)
    db = new_db(tmp_path, "p.db")
    with Store.open(db) as page, Store.open(db) as ingest:
        assert ingest.ingest([first]).ok
        ensure_built(ingest)
        before = person_index(page.conn)
        assert before == _person_index(page.conn) and before
        assert person_index(page.conn) is before  # nothing changed: the same mapping
        assert person_index(ingest.conn) is before  # nor for the other connection
        assert ingest.ingest([more]).ok
        ensure_built(ingest)
        after = person_index(page.conn)
        assert after == _person_index(page.conn)
        assert set(after) > set(before)


def test_the_facts_of_the_store_follow_links_made_elsewhere(tmp_path: Path) -> None:
    """The organization at a date reads the store's facts, kept between calls; a
    document linked through another connection must show in the next answer."""
    first, more = _corpus(tmp_path, "first", 4, 8), _corpus(tmp_path, "more", 8, 9)
    db = new_db(tmp_path, "f.db")
    with Store.open(db) as page, Store.open(db) as ingest:
        assert ingest.ingest([first]).ok
        ensure_built(ingest)
        before = facts(page, build=False)
        again = facts(page, build=False)
        assert again == before and all(a is b for a, b in zip(again, before, strict=True))
        subject = max(
            {f.subject for f in before}, key=lambda s: sum(f.subject == s for f in before)
        )
        own = facts(page, subject=subject, build=False)
        kept = facts(page, subject=subject, build=False)
        assert own and all(a is b for a, b in zip(kept, own, strict=True))
        assert ingest.ingest([more]).ok
        ensure_built(ingest)
        after = facts(page, build=False)
        fresh = _assembled(ingest.conn, None, None, ())  # computed anew, not kept
        assert [f.to_dict() for f in after] == [f.to_dict() for f in fresh]
        assert len(after) > len(before)
        # a subject's facts follow too, and are the store's facts of that subject
        mine = [f.to_dict() for f in facts(page, subject=subject, build=False)]
        assert mine == [f.to_dict() for f in _assembled(ingest.conn, subject, None, ())]
        assert mine != [f.to_dict() for f in own]
        day = "2010-06-15"
        assert [f.to_dict() for f in facts(page, at=day, build=False)] == [
            f.to_dict() for f in after if f.valid_at(day)
        ]


def test_issue_counts_follow_documents_stored_elsewhere(tmp_path: Path) -> None:
    from communique.service.linked import _issue_stats, issue_stats

    first, more = _corpus(tmp_path, "first", 3, 10), _corpus(tmp_path, "more", 6, 11)
    db = new_db(tmp_path, "i.db")
    with Store.open(db) as page, Store.open(db) as ingest:
        assert ingest.ingest([first]).ok
        before = issue_stats(page)
        assert before == _issue_stats(page.conn) and before["issues"]
        assert issue_stats(page) is before
        assert ingest.ingest([more]).ok
        after = issue_stats(page)
        assert after == _issue_stats(page.conn)
        assert sum(r["total"] for r in after["issues"]) > sum(r["total"] for r in before["issues"])


def test_issues_positions_and_meetings_follow_documents_stored_elsewhere(
    tmp_path: Path,
) -> None:
    from communique.link import positions
    from communique.service.linked import _issues, _meetings, issues, meetings, position_page

    first, more = _corpus(tmp_path, "first", 3, 12), _corpus(tmp_path, "more", 6, 13)
    db = new_db(tmp_path, "p.db")
    with Store.open(db) as page, Store.open(db) as ingest:
        assert ingest.ingest([first]).ok
        before = issues(page)
        assert before == _issues(page.conn) and issues(page) is before
        issue = before[0]["code"]
        groups, count = position_page(page, issue)
        assert count == len(positions(page, issue)) > 0 and len(groups) == count
        held = meetings(page)
        assert held and meetings(page) is held and held == _meetings(page)
        assert ingest.ingest([more]).ok
        after = issues(page)
        assert after == _issues(page.conn)
        assert sum(i["documents"] for i in after) > sum(i["documents"] for i in before)
        assert position_page(page, issue)[1] == len(positions(page, issue)) > count
        assert len(meetings(page)) > len(held) and meetings(page) == _meetings(page)


def test_values_of_many_arguments_do_not_push_out_the_stores_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client asking for one subject after another fills a pool of its own: the
    store's facts, computed once, are still there after more subjects than the
    store-wide pool holds."""
    from communique.store import derived as derived_module
    from communique.store.derived import SHARED_ENTRIES

    # On PostgreSQL the marker is the server's snapshot, which autovacuum's ANALYZE
    # may move at any moment (as the WAL position, the marker before, moved in CI):
    # a moved marker recomputes by design. This test is about the pools, so the
    # marker is held where it was.
    read = derived_module.shared_marker
    held: dict[Any, Any] = {}

    def still(conn: Any) -> Any:
        found = read(conn)
        return None if found is None else held.setdefault(found[0], found)

    db = new_db(tmp_path, "m.db")
    with Store.open(db) as store:
        assert store.ingest([_corpus(tmp_path, "few", 3, 14)]).ok
        monkeypatch.setattr(derived_module, "shared_marker", still)
        every = facts(store)
        for i in range(SHARED_ENTRIES + 8):
            assert facts(store, subject=f"NOBODY{i}", build=False) == []
        again = facts(store, build=False)
        assert again and all(a is b for a, b in zip(again, every, strict=True))


def test_the_stores_facts_name_persons_from_the_kept_list_as_from_their_own_mentions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's facts name thousands of persons from the list of every person,
    kept; a subject's few from their own mentions. Both must give the same names."""
    from communique.link import timeline
    from communique.link.entities import all_persons, persons

    db = new_db(tmp_path, "n.db")
    with Store.open(db) as store:
        assert store.ingest([_corpus(tmp_path, "people", 12, 15)]).ok
        ensure_built(store)
        every = all_persons(store.conn)
        assert len(every) > 5 and all_persons(store.conn) is every
        ids = [p.id for p in every]
        assert [(p.id, p.name) for p in persons(store.conn, ids=ids)] == [
            (p.id, p.name) for p in every
        ]
        named = [f.to_dict() for f in _assembled(store.conn, None, None, ())]
        assert any(f["object"].startswith("person:") for f in named)
        for few in (0, 10**9):  # every fact named through the kept list, then through its own
            monkeypatch.setattr(timeline, "_FEW_PERSONS", few)
            assert [f.to_dict() for f in _assembled(store.conn, None, None, ())] == named
