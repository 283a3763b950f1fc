"""The tantivy search index: same answers as FTS5, kept in step with SQLite.

FTS5 is the oracle: for queries of 1-3 terms in English, Chinese and Russian,
with and without filters, the tantivy engine must give the same mode, totals,
document counts and facets, and a top 10 that FTS5 agrees with (the two BM25s
differ only in idf, so ties aside the same sentences). The index must catch up
by itself after writes it missed: a process without it, a crash between the
SQLite commit and the index commit, a deleted document, a lost mark.
"""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from communique.search import engine
from communique.search.tokens import fts_tokens
from communique.store import Store

# The tantivy index lives beside a SQLite file; a PostgreSQL store searches itself.
pytestmark = [
    pytest.mark.skipif(engine.tantivy is None, reason="tantivy not installed"),
    pytest.mark.sqlite_only,
]

DOCS = 36


def _corpus_rows(n: int) -> list[Any]:
    """Prepared rows of ``n`` generated documents (en/zh/ru, several organizations,
    types and dates), with the generator's metadata instead of extraction."""
    from communique.normalize import normalize
    from communique.records import Extraction, ProcessedDocument, RawDocument
    from communique.segment import segment
    from communique.store.sqlite import prepare
    from conftest import bench_corpus

    corpus = bench_corpus()
    out = []
    for i in range(n):
        text, truth = corpus.document(11, i, 4_000)
        data = text.encode("utf-8")
        raw = RawDocument(
            path=f"gen/{truth.file}",
            name=Path(truth.file).name,
            format="txt",
            text=text,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            encoding="utf-8",
        )
        seg = segment(normalize(raw))
        ext = Extraction(
            file=raw.name,
            language=truth.language,
            type=truth.type,
            title=text.split("\n", 1)[0].strip(),
            date=truth.date,
            place=truth.place,
            organization=truth.organization,
        )
        out.append(prepare(ProcessedDocument(segmented=seg, extraction=ext)))
    return out


@pytest.fixture(scope="module")
def rows() -> list[Any]:
    return _corpus_rows(DOCS)


@pytest.fixture
def store(tmp_path: Path, rows: list[Any]) -> Iterator[Store]:
    s = Store.open(tmp_path / "ix.db")
    for i in range(0, len(rows), 10):  # several batches: several index commits
        s.write(rows[i : i + 10])
    yield s
    s.close()


def _fts(store: Store) -> Store:
    oracle = Store.open(store.path)
    oracle.search_engine = "fts5"
    return oracle


def _sentences(db: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM sentences").fetchone()[0])
    finally:
        conn.close()


def _indexed_docs(store: Store) -> dict[int, int]:
    """Sentence entries per document; asserts one document entry per document."""
    index = store.search_index()
    assert index is not None
    index.refresh()
    q = engine.tantivy.Query
    by_doc = {"d": {"terms": {"field": "doc_id", "size": 65000}}}
    everything = index.searcher().aggregate(q.all_query(), by_doc)
    documents = index.searcher().aggregate(q.regex_query(index.schema, "dterms", ".+"), by_doc)
    entries = {int(b["key"]): int(b["doc_count"]) for b in documents["d"]["buckets"]}
    counts = {int(b["key"]): int(b["doc_count"]) for b in everything["d"]["buckets"]}
    assert entries == dict.fromkeys(counts, 1)
    return {doc: n - 1 for doc, n in counts.items()}


def _delete_behind_the_index(db: Path, doc_id: int) -> None:
    """Delete a document in SQLite alone, as a process that died before syncing would leave it."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    conn.commit()
    conn.close()


def _stored_docs(store: Store) -> dict[int, int]:
    sql = "SELECT doc_id, count(*) FROM sentences GROUP BY doc_id"
    return {int(d): int(n) for d, n in store.conn.execute(sql)}


# ---------------------------------------------------------------- tokens


def test_tokens_are_the_fts5_tokens() -> None:
    """Every code point of Latin, Cyrillic, combining accents, general punctuation, CJK
    punctuation and fullwidth forms between two letters, and phrases of the genre,
    cut as FTS5 ``unicode61 remove_diacritics 2`` cuts them."""
    ranges = [(0x80, 0x250), (0x300, 0x370), (0x400, 0x528), (0x1E00, 0x1F00)]
    ranges += [(0x2000, 0x2065), (0x3000, 0x3040), (0xFF01, 0xFF5F)]
    texts = [f"a{chr(cp)}b" for lo, hi in ranges for cp in range(lo, hi)]
    texts += [
        "Государства-члены подтвердили ПОЗИЦИЮ; ёлка, йод",
        "上海合作组织成员国2002年6月7日在圣彼得堡",
        "The anti-terrorist co-operation (U.N.) in 2002: 5.6%, e-mail_x",
        "Café NAÏVE résumé Ǆemal İstanbul Straße µ ſ",
        "ве\u0301ра e\u0301cole x\u0483y",
    ]
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2')"
    )
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')")
    conn.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)", list(enumerate(texts, 1)))
    want: dict[int, list[tuple[int, str]]] = {i: [] for i in range(1, len(texts) + 1)}
    for doc, term, offset in conn.execute("SELECT doc, term, offset FROM v"):
        want[doc].append((offset, term))
    bad = [
        (t, [w for _, w in sorted(want[i])], fts_tokens(t))
        for i, t in enumerate(texts, 1)
        if [w for _, w in sorted(want[i])] != fts_tokens(t)
    ]
    # Two compound Latin letters (U+01E0/U+01E1) are the known difference.
    assert {b[0] for b in bad} <= {"a\u01e0b", "a\u01e1b"}, bad[:5]


def test_index_terms_that_are_tokens_already_are_kept_as_they_are(seeds_dir: Path) -> None:
    """The shortcut of the tantivy sync (terms made only of characters FTS5 would not
    change, one space apart, are its tokens as they are) gives what cutting them
    gives: for every character it takes, and for the index terms of the seeds."""
    from communique.normalize import normalize
    from communique.readers import read
    from communique.segment import index_terms, segment

    def cut(terms: str) -> str:
        return " ".join(fts_tokens(terms))

    taken = [chr(c) for c in range(0x4E00, 0xA000)]
    taken += [chr(c) for c in range(0x430, 0x450)] + ["ё", *"abcxyz0189"]
    for ch in taken:
        assert engine._ALREADY_TOKENS.fullmatch(f"{ch} x{ch}") is not None
        assert cut(f"{ch} x{ch}") == f"{ch} x{ch}"
    for terms in ("café noir", "Москва", "a  b", " a", "ё\u0308", "２００２", "x_y"):
        assert engine._ALREADY_TOKENS.fullmatch(terms) is None
        assert engine._indexed_terms(terms) == cut(terms)
    seen = 0
    for path in sorted(seeds_dir.glob("*.txt")):
        seg = segment(normalize(read(path)))
        for sentence in seg.sentences:
            terms = " ".join(index_terms(sentence.text, seg.language))
            assert engine._indexed_terms(terms) == cut(terms), terms
            seen += 1
    assert seen > 100


def test_date_key_orders_like_iso_text() -> None:
    dates = ["2002", "2002-01", "2002-01-01", "2002-01-31", "2002-02", "2003", "2010-12-31"]
    keys = [engine.date_key(d) for d in dates]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert engine.date_key("June 2002") is None and engine.date_key(None) is None


# ---------------------------------------------------------------- oracle

QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("cooperation", {}),
    ("energy cooperation", {}),
    ("ministers exchanged views", {}),
    ("agriculture banking", {}),  # OR fallback
    ("agriculture tourism banking", {}),
    ("Kazakhstan", {}),
    ("сотрудничество", {}),
    ("государства-члены подтвердили позицию", {}),
    ("экономики сотрудничество", {}),
    ("能源", {}),
    ("合作 能源", {}),
    ("cooperation", {"lang": "en", "type": "declaration"}),
    ("cooperation", {"organization": "SCO"}),
    ("energy cooperation", {"date_from": "2008", "date_to": "2014-06"}),
    ("сотрудничество", {"lang": "ru", "date_from": "2005-01-01"}),
    ("zzzunknownword", {}),
    ("", {}),
]


@pytest.mark.parametrize(("q", "filters"), QUERIES)
def test_tantivy_answers_as_fts5(store: Store, q: str, filters: dict[str, Any]) -> None:
    assert store.search_index() is not None
    oracle = _fts(store)
    try:
        for facets in (True, False):
            got = store.search(q, limit=10, facets=facets, cross=False, **filters)
            want = oracle.search(q, limit=10, facets=facets, cross=False, **filters)
            assert (got.mode, got.total, got.total_documents) == (
                want.mode,
                want.total,
                want.total_documents,
            )
            assert got.facets == want.facets
            assert not got.facets_capped
            assert len(got.hits) == len(want.hits)
            if not want.hits:
                continue
            # Both rank by BM25 (k1 1.2, b 0.75); only the idf differs, so the top 10
            # agree up to ties at the cut: every tantivy hit scores within FTS5's top
            # 10 (as FTS5 scores it), and most are the same sentences.
            got_ids = {(h.document_id, h.sentence_index) for h in got.hits}
            want_ids = {(h.document_id, h.sentence_index) for h in want.hits}
            assert len(got_ids & want_ids) >= 0.9 * len(want_ids) or _tied(
                oracle, q, filters, got.hits, want.hits
            )
            for hit in got.hits:
                assert hit.snippet and "<mark>" in hit.snippet
    finally:
        oracle.close()


@pytest.mark.parametrize(
    ("q", "filters"), [(q, f) for q, f in QUERIES if q and not q.startswith("zzz")]
)
def test_document_entries_count_as_the_sentences(
    store: Store, q: str, filters: dict[str, Any]
) -> None:
    """For one term or terms joined by OR, the documents and facets are counted
    over the document entries; counted per document over the matching sentences
    they are the same. Terms that must meet in one sentence are not left to them."""
    from communique.search import parse
    from communique.search.filters import Filters

    index = store.search_index()
    assert index is not None
    parsed = parse(q)
    flt = Filters.of_search(**filters)
    searcher = index.searcher()
    for mode in ("AND", "OR"):
        documents = index.document_query(parsed.terms, mode, flt)
        if mode == "AND" and len(parsed.terms) > 1:
            assert documents is None
            continue
        assert documents is not None
        query = index.query(parsed.terms, mode, flt)
        fast = index.find(searcher, query, limit=10, offset=0, count_docs=True, documents=documents)
        slow = index.find(searcher, query, limit=10, offset=0, count_docs=True)
        assert fast.facets is not None and slow.doc_ids is not None
        assert (fast.total, fast.documents, fast.ranked) == (
            slow.total,
            slow.documents,
            slow.ranked,
        )
        assert fast.facets == index.facet_counts(store.conn, slow.doc_ids)


def test_phrases_are_not_left_to_the_document_entries(store: Store) -> None:
    from communique.search.filters import Filters

    index = store.search_index()
    assert index is not None
    # one quoted term of two tokens: a phrase, whose words may sit in two sentences
    assert index.document_query(['"energy cooperation"'], "AND", Filters()) is None
    assert index.document_query(["energy", '"customs experts"'], "OR", Filters()) is None


def test_facet_cache_counts_documents_per_value() -> None:
    cache = engine.FacetCache(3)
    cache.add(7, ("SCO", None, "en"))
    cache.add(2, ("SCO", "council", "zh"))
    cache.add(40, ("BRICS", None, "en"))
    cache.add(3, ("SCO", None, "en"))
    ids = engine.np.array([7, 2, 40, 3, 99, 1_000_000], dtype=engine.np.int64)
    assert cache.missing(ids).tolist() == [99, 1_000_000]  # never read (deleted)
    assert cache.count(ids) == [
        {"SCO": 3, "BRICS": 1},
        {"council": 1},
        {"en": 3, "zh": 1},
    ]
    assert cache.count(engine.np.array([40], dtype=engine.np.int64)) == [
        {"BRICS": 1},
        {},
        {"en": 1},
    ]
    cache.clear()
    assert cache.missing(ids).tolist() == ids.tolist()


def _tied(oracle: Store, q: str, filters: dict[str, Any], got: list[Any], want: list[Any]) -> bool:
    """Whether every tantivy hit has at least the FTS5 score of FTS5's 10th hit."""
    cut = min(h.score for h in want)
    everything = oracle.search(q, limit=100_000, facets=False, cross=False, **filters).hits
    fts_score = {(h.document_id, h.sentence_index): h.score for h in everything}
    return all(fts_score[(h.document_id, h.sentence_index)] >= cut - 1e-9 for h in got)


def test_pages_and_extreme_bounds(store: Store) -> None:
    first = store.search("cooperation", limit=5, offset=0, facets=False)
    second = store.search("cooperation", limit=5, offset=5, facets=False)
    assert first.total == second.total > 10
    a = {(h.document_id, h.sentence_index) for h in first.hits}
    b = {(h.document_id, h.sentence_index) for h in second.hits}
    assert len(a) == len(b) == 5 and not a & b
    assert [h.score for h in first.hits] == sorted((h.score for h in first.hits), reverse=True)
    huge = store.search("cooperation", limit=2**62, offset=0, facets=False)
    assert len(huge.hits) == huge.total
    assert store.search("cooperation", limit=10, offset=2**62).hits == []
    assert store.search("cooperation", limit=0).total == first.total


def test_fts5_is_the_engine_without_tantivy(
    tmp_path: Path, rows: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(engine.ENV_ENGINE, "fts5")
    assert not engine.available()
    with Store.open(tmp_path / "f.db") as s:
        s.write(rows[:6])
        assert s.search_engine == "fts5" and s.search_index() is None
        assert s.search("cooperation сотрудничество 合作", cross=False).total > 0
    assert not engine.index_dir(str(tmp_path / "f.db")).exists()


# ---------------------------------------------------------------- consistency


def test_index_follows_writes_and_deletes(store: Store) -> None:
    assert _indexed_docs(store) == _stored_docs(store)
    doc_id = next(iter(_stored_docs(store)))
    before = store.search("cooperation", limit=10_000, facets=False)
    assert store.delete(doc_id)
    after = store.search("cooperation", limit=10_000, facets=False)
    assert doc_id not in {h.document_id for h in after.hits}
    assert after.total == before.total - sum(h.document_id == doc_id for h in before.hits)
    assert _indexed_docs(store) == _stored_docs(store)
    meta = json.loads((engine.index_dir(store.path) / engine.META).read_text())
    assert meta["pending"] == []


def test_catches_up_with_writes_it_missed(tmp_path: Path, rows: list[Any]) -> None:
    db = tmp_path / "late.db"
    with Store.open(db) as s:
        s.write(rows[:6])
    # A process without the index (FTS5 only) writes more and deletes one.
    with Store.open(db) as s:
        s.search_engine = "fts5"
        s.write(rows[6:12])
    with Store.open(db) as s:
        assert _indexed_docs(s) == _stored_docs(s)  # caught up on first use
        assert s.search("cooperation").total == _fts(s).search("cooperation").total


def test_rebuilds_a_missing_or_foreign_index(tmp_path: Path, rows: list[Any]) -> None:
    db = tmp_path / "re.db"
    with Store.open(db) as s:
        s.write(rows[:5])
    folder = engine.index_dir(str(db))
    meta = folder / engine.META
    meta.write_text(json.dumps({"format": -1, "hwm": 0, "pending": []}))
    with Store.open(db) as s:
        assert _indexed_docs(s) == _stored_docs(s)
    import shutil

    shutil.rmtree(folder)
    with Store.open(db) as s:
        assert _indexed_docs(s) == _stored_docs(s)
        assert folder.is_dir()


def test_crash_states_converge(tmp_path: Path, rows: list[Any]) -> None:
    """A lost mark (index committed, mark not written) adds nothing twice; a delete
    marked but never applied to the index is applied at the next sync."""
    db = tmp_path / "c.db"
    with Store.open(db) as s:
        s.write(rows[:8])
        (victim,) = s.conn.execute("SELECT min(id) FROM documents").fetchone()
    meta_path = engine.index_dir(str(db)) / engine.META
    meta = json.loads(meta_path.read_text())
    meta["hwm"] = 0  # as if the process died right after the index commit
    meta["pending"] = [victim]  # ... and before applying a delete
    meta_path.write_text(json.dumps(meta))
    _delete_behind_the_index(db, victim)
    with Store.open(db) as s:
        indexed = _indexed_docs(s)
        assert indexed == _stored_docs(s) and victim not in indexed
        assert sum(indexed.values()) == _sentences(str(db))


def test_a_reused_document_id_gets_one_document_entry(tmp_path: Path, rows: list[Any]) -> None:
    """A delete marked but not applied, then a new, longer document given the
    deleted one's id (SQLite reuses the largest): its sentences straddle the mark,
    read partly as the pending document and partly as new rows, and it must still
    get one document entry holding all its terms."""
    by_size = sorted(rows, key=lambda r: len(r.sentences))
    small, big = by_size[0], by_size[-1]
    db = tmp_path / "reuse.db"
    with Store.open(db) as s:
        s.write([by_size[1], by_size[2], small])
        (victim,) = s.conn.execute("SELECT max(id) FROM documents").fetchone()
        index = s.search_index()
        assert index is not None
        with index.writer() as w:
            index.mark(w, [victim])  # as if the process died right after marking
    _delete_behind_the_index(db, victim)
    with Store.open(db) as s:
        s.search_engine = "fts5"  # a process without the index writes the new one
        s.write([big])
        assert s.conn.execute("SELECT max(id) FROM documents").fetchone()[0] == victim
    assert len(big.sentences) > len(small.sentences)
    with Store.open(db) as s:
        assert _indexed_docs(s) == _stored_docs(s)
        oracle = _fts(s)
        try:
            # the last sentence's words are past the old mark: the entry must have them
            (terms,) = s.conn.execute(
                "SELECT terms FROM sentences WHERE doc_id = ? ORDER BY idx DESC", (victim,)
            ).fetchone()
            for word in [*terms.split()[:3], "cooperation"]:
                got = s.search(word, limit=1, cross=False)
                want = oracle.search(word, limit=1, cross=False)
                assert (got.total_documents, got.facets) == (want.total_documents, want.facets)
        finally:
            oracle.close()


def test_two_stores_on_one_file_see_each_other(tmp_path: Path, rows: list[Any]) -> None:
    db = tmp_path / "two.db"
    reader = Store.open(db)
    writer = Store.open(db)
    q = "cooperation сотрудничество 合作"
    try:
        assert reader.search(q, cross=False).total == 0  # the reader's index is open
        writer.write(rows[:3])
        got = reader.search(q, cross=False).total
        assert got == _fts(reader).search(q, cross=False).total > 0
        writer.write(rows[3:6])
        assert reader.search(q, cross=False).total == _fts(reader).search(q, cross=False).total
        assert _indexed_docs(reader) == _stored_docs(reader)
    finally:
        reader.close()
        writer.close()


def test_index_catches_up_after_sigkill(tmp_path: Path) -> None:
    """``communique ingest`` killed mid-batch: at the next open the index holds
    exactly the stored sentences and search finds every stored document."""
    from genre import write_batch
    from hostile.cli import command, env

    folder = tmp_path / "docs"
    write_batch(folder, 30, seed=5)
    db = tmp_path / "k.db"
    proc = subprocess.Popen(
        command("ingest", folder, "--db", db, "--json"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env(),
    )
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if db.exists():
            try:
                conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
                n = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                conn.close()
            except sqlite3.OperationalError:
                n = 0
            if n >= 3:
                break
        time.sleep(0.005)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store.open(db) as s:
        stored = _stored_docs(s)
        assert stored and _indexed_docs(s) == stored
        for doc_id in stored:
            (terms,) = s.conn.execute(
                "SELECT terms FROM sentences WHERE doc_id = ? ORDER BY length(terms) DESC",
                (doc_id,),
            ).fetchone()
            words = " ".join(terms.split()[:3])
            found = s.search(words, limit=100_000, facets=False, cross=False)
            assert doc_id in {h.document_id for h in found.hits}, words


def test_a_bulk_ingest_syncs_its_last_rows_beside_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last sync of a bulk ingest runs in a thread of its own, beside the
    ingest's end (deferred indexes, language versions), which ran on one core
    after it; it is over, the index complete, when the ingest returns."""
    from communique.store import sqlite as store_sqlite
    from genre import write_batch

    folder = tmp_path / "docs"
    write_batch(folder, 6, seed=5)
    monkeypatch.setattr(store_sqlite, "_INDEX_SECONDS", 3600.0)  # one sync: the last
    versions_began = threading.Event()
    seen: list[tuple[str, bool]] = []
    sync = engine.SentenceIndex.sync
    update = store_sqlite.Store._update_versions

    def waiting(self: engine.SentenceIndex, *args: Any, **kwargs: Any) -> bool:
        # Beside the versions, the sync sees them begin; after them, it never would.
        seen.append((threading.current_thread().name, versions_began.wait(10)))
        return sync(self, *args, **kwargs)

    def versions(self: Store, *args: Any, **kwargs: Any) -> None:
        versions_began.set()
        update(self, *args, **kwargs)

    with Store.open(tmp_path / "bulk.db") as s:
        assert s.search_index() is not None  # opened (and synced) before the patch
        monkeypatch.setattr(engine.SentenceIndex, "sync", waiting)
        monkeypatch.setattr(store_sqlite.Store, "_update_versions", versions)
        report = s.ingest([folder])
        assert sum(r.status == "stored" for r in report.results) == 6
        assert seen == [("communique-index-sync", True)]
        assert _indexed_docs(s) == _stored_docs(s)


def _two_documents(tmp_path: Path) -> Path:
    from genre import write_batch

    folder = tmp_path / "docs"
    write_batch(folder, 2, seed=5)
    return folder


def _sync_breaks(self: Store, *args: Any, **kwargs: Any) -> None:
    raise RuntimeError("index sync broke")


def test_an_error_of_the_last_sync_reaches_the_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from communique.store import sqlite as store_sqlite

    folder = _two_documents(tmp_path)
    with Store.open(tmp_path / "bulk.db") as s:
        assert s.search_index() is not None
        monkeypatch.setattr(store_sqlite.Store, "_sync_index", _sync_breaks)
        with pytest.raises(RuntimeError, match="index sync broke"):
            s.ingest([folder])
        assert s.stats().documents == 2  # the rows were committed before


def test_an_error_at_the_ingests_end_is_not_hidden_by_one_of_the_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from communique.store import sqlite as store_sqlite

    folder = _two_documents(tmp_path)

    def end_fails(self: Store, *args: Any, **kwargs: Any) -> None:
        raise ValueError("the end broke")

    with Store.open(tmp_path / "bulk.db") as s:
        assert s.search_index() is not None
        monkeypatch.setattr(store_sqlite.Store, "_sync_index", _sync_breaks)
        monkeypatch.setattr(store_sqlite.Store, "_finish_ingest", end_fails)
        with pytest.raises(ValueError, match="the end broke"):
            s.ingest([folder])


@pytest.mark.parametrize(("seconds", "syncs"), [(3600.0, 1), (0.0, 4)])
def test_bulk_ingest_syncs_the_index_now_and_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seconds: float, syncs: int
) -> None:
    """A bulk ingest commits the index at most every ``_INDEX_SECONDS`` and once at
    the end (it used to commit after every batch of rows), and ends complete."""
    from communique.store import sqlite as store_sqlite
    from genre import write_batch

    folder = tmp_path / "docs"
    write_batch(folder, 8, seed=3)
    monkeypatch.setattr(store_sqlite, "_BATCH", 2)
    monkeypatch.setattr(store_sqlite, "_INDEX_SECONDS", seconds)
    calls: list[int] = []
    sync = engine.SentenceIndex.sync

    def counted(self: engine.SentenceIndex, *args: Any, **kwargs: Any) -> bool:
        calls.append(1)
        return sync(self, *args, **kwargs)

    monkeypatch.setattr(engine.SentenceIndex, "sync", counted)
    with Store.open(tmp_path / "bulk.db") as s:
        report = s.ingest([folder])
        assert sum(r.status == "stored" for r in report.results) == 8
        # one sync per batch of 2 when every batch is due, one at the end otherwise
        assert len(calls) == syncs
        assert _indexed_docs(s) == _stored_docs(s)
