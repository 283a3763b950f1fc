"""The SQLite store: one file holding documents, sentences, extracted values and the index.

Each document is written in one ``BEGIN IMMEDIATE ... COMMIT`` transaction
(document row, paragraphs, sentences with their index terms, mentions; the FTS5
index follows the sentences through triggers), so a reader never sees half a
document and a failure leaves nothing behind. A file is identified by the
SHA-256 of its bytes: ingesting it again changes nothing at all.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, bulk ingests are not announced
    fcntl = None  # type: ignore[assignment]

from communique.records import ProcessedDocument, json_text
from communique.search import DOC_SHIFT, SearchResult, pgtext, search
from communique.search import engine as search_engine
from communique.search.filters import Filters
from communique.store import derived
from communique.store.migrations import (
    BULK_DEFERRED_INDEXES,
    LATEST,
    current_version,
    migrate,
)
from communique.store.models import (
    DocumentDetail,
    DocumentInfo,
    IngestEvent,
    IngestReport,
    IngestResult,
    MentionInfo,
    ParagraphInfo,
    SentenceInfo,
    Stats,
)
from communique.store.postgres import PgConnection, display_location, is_url

if TYPE_CHECKING:
    from communique.pipeline import Engine

DEFAULT_DB = "communique.db"
_SQLITE_MAX_INT = 2**63 - 1
ENV_DB = "COMMUNIQUE_DB"

_SORTS = {
    "date": "d.date IS NULL, d.date, d.id",
    "-date": "d.date IS NULL, d.date DESC, d.id DESC",
    "name": "d.name, d.id",
    "-name": "d.name DESC, d.id DESC",
    "title": "d.title IS NULL, d.title, d.id",
    "-title": "d.title IS NULL, d.title DESC, d.id DESC",
    "id": "d.id",
    "-id": "d.id DESC",
    "ingested": "d.ingested_at, d.id",
    "-ingested": "d.ingested_at DESC, d.id DESC",
}

_INFO_COLUMNS = (
    "d.id, d.name, d.path, d.format, d.size, d.sha256, d.language, d.type, d.title, d.date, "
    "d.place, d.organization, d.body, d.ingested_at, "
    "(SELECT count(*) FROM sentences s WHERE s.doc_id = d.id)"
)

Progress = Callable[[IngestEvent], None]

# A batch of documents is committed at this many, or once its first has waited
# this long: large enough to amortize a commit, small enough that a second
# writer waits little and a crash loses little work. Each commit writes every
# page the batch touched (the mentions' index and FTS5's new segment are spread
# out): batches of 128 instead of 64 took the writer from 1.70 to 1.45 ms a
# document at 24,000 documents. 256 wrote no faster (1.36-1.59) and held more
# memory: peak RSS at 100,000 documents 914 MB, against 849 with 128.
_BATCH = 128
_BATCH_SECONDS = 2.0
# A bulk ingest brings the search index up to the committed rows at most this
# often (and once at the end): each index commit makes a segment that tantivy
# merges later, and committing after every batch (of 64 then) cost ~1.3 ms of
# the ~7 ms the writer spent per document. Searches meanwhile see what is indexed.
_INDEX_SECONDS = 5.0
# While a bulk ingest writes, its connection keeps more pages in memory and lets
# the write-ahead log grow to this many pages before copying it into the
# database. At SQLite's defaults (2 MB of cache, a checkpoint every 1,000 pages)
# nearly every batch of 64 documents ended in a checkpoint, and commits took
# ~40% of the writer's time at 20k documents and more as the store grew: the
# mentions index is written all over.
_BULK_CACHE_KIB = 64 * 1024
_BULK_WAL_PAGES = 16 * 1024
# FTS5 merges its index's segments a little after every commit once four of one
# size exist ("automerge", 4 by default); at 0 it waits for sixteen ("crisismerge")
# and merges them at once. Writing the rows of 1M sentences in the ingest's
# transactions took 7.5-8.3 CPU-s that way against 9.1-10.6 (bench/README.md).
_BULK_FTS_AUTOMERGE = 0
_FTS_AUTOMERGE = 4  # FTS5's default
# An ingest of at least this many files, and at least as many as the store holds,
# leaves the mentions' (kind, value) index out until its last batch and builds it
# then. Its keys fall all over the index, so every batch read and rewrote pages
# across it: replaying 100,000 documents into a store, the writer took 2.08 ms a
# document with the index kept up and 1.36 without, and building it at the end
# took 15.8 s (0.16 ms a document). Meanwhile lookups by value scan the mentions.
_DEFER_INDEX_DOCUMENTS = 2_000
_INDEX_SORT_THREADS = 2


def default_db() -> str:
    """``$COMMUNIQUE_DB`` when set, else ``communique.db`` in the working directory."""
    return os.environ.get(ENV_DB) or DEFAULT_DB


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _info(row: Sequence[Any]) -> DocumentInfo:
    return DocumentInfo(*row)


def mention_rows(
    processed: ProcessedDocument,
) -> list[tuple[str, str, int, int, str, int, dict[str, Any]]]:
    """Every extracted value as (kind, value, start, end, surface, sentence, attrs).

    ``Extraction.mentions`` holds the values found by span; persons, instruments
    and commitments are carried in their own lists, so they are folded in here
    as mentions of their kind with their particulars in ``attrs``. A value found
    twice at the same span is stored once, its attributes merged.
    """
    ext = processed.extraction
    text = processed.doc.text
    rows: dict[tuple[str, int, int, str], dict[str, Any]] = {}
    order: list[tuple[str, int, int, str]] = []

    def add(
        kind: str, value: str, start: int, end: int, sentence: int, attrs: dict[str, Any]
    ) -> None:
        if start < 0 or end < 0:
            start = end = -1
            sentence = -1
        key = (kind, start, end, value)
        if key in rows:
            rows[key]["attrs"].update({k: v for k, v in attrs.items() if v is not None})
            return
        surface = text[start:end] if start >= 0 else value
        rows[key] = {"surface": surface, "sentence": sentence, "attrs": dict(attrs)}
        order.append(key)

    for m in ext.mentions:
        add(m.kind, m.value, m.start, m.end, m.sentence, dict(m.attrs))
    for m in ext.positions:
        add(m.kind or "position", m.value, m.start, m.end, m.sentence, dict(m.attrs))
    for p in ext.persons:
        add(
            "person",
            p.name,
            p.start,
            p.end,
            p.sentence,
            {"role": p.role, "country": p.country, "office": p.office},
        )
    meeting_people = [("chair", ext.meeting.chair)] + [
        ("participant", p) for p in ext.meeting.participants
    ]
    for role, p in meeting_people:
        if p is None:
            continue
        add(
            "person",
            p.name,
            p.start,
            p.end,
            p.sentence,
            {"role": p.role, "country": p.country, "office": p.office, "meeting": role},
        )
    for i in ext.instruments:
        add(
            "instrument",
            i.name,
            i.start,
            i.end,
            i.sentence,
            {"kind": i.kind, "date": i.date, "number": i.number},
        )
    for c in ext.commitments:
        add(
            "commitment",
            c.deadline or "",
            c.start,
            c.end,
            c.sentence_index,
            {
                "deadline": c.deadline,
                "deadline_text": c.deadline_text,
                "deadline_start": c.deadline_start,
                "deadline_end": c.deadline_end,
                "actor": c.actor,
            },
        )
    out = []
    for key in order:
        kind, start, end, value = key
        row = rows[key]
        out.append((kind, value, start, end, row["surface"], row["sentence"], row["attrs"]))
    return out


@dataclass(slots=True)
class PreparedDocument:
    """The rows of one processed document, ready to insert: what a worker sends back.

    Everything that costs time (index terms, JSON) is done where the document
    was processed, so that the one writer only inserts.
    """

    sha256: str
    row: tuple[Any, ...]  # the documents row, from sha256 to warnings (ingested_at is set on write)
    paragraphs: list[tuple[int, int, int]]
    sentences: list[tuple[int, int, int, int, str, str]]  # idx, paragraph, start, end, text, terms
    mentions: list[tuple[str, str, int, int, str, int, str]]
    # The anchors version grouping compares documents by (align.versions), as
    # stored JSON: computed here so that the one writer does not compute them.
    features: str | None = None


@dataclass(slots=True)
class Prepared:
    """One file after processing in a worker: its rows, or the reason it failed, or,
    when the worker wrote it itself (PostgreSQL), its ``(id, created)`` and hash."""

    path: Path
    document: PreparedDocument | None = None
    error: str | None = None
    written: tuple[int, bool] | None = None
    sha256: str | None = None


def prepare(processed: ProcessedDocument) -> PreparedDocument:
    """The rows :meth:`Store.write` inserts for a processed document."""
    from communique.align.versions import document_anchors, features_json
    from communique.segment import index_terms

    seg = processed.segmented
    doc = seg.doc
    raw = doc.raw
    ext = processed.extraction
    lang = doc.language
    sentences = [
        (s.index, s.paragraph, s.start, s.end, s.text, " ".join(index_terms(s.text, lang)))
        for s in seg.sentences
    ]
    if len(sentences) >= 1 << DOC_SHIFT:
        raise ValueError(f"too many sentences ({len(sentences)}) for one document")
    mentions = mention_rows(processed)
    anchors = document_anchors(
        lang, [s.text for s in seg.sentences], [(m[0], m[1], m[5], m[6]) for m in mentions]
    )
    header = json_text(asdict(doc.header)) if doc.header else None
    warnings = list(dict.fromkeys([*doc.warnings, *ext.warnings]))
    row = (
        raw.sha256,
        raw.path,
        raw.name,
        raw.format,
        raw.size,
        raw.encoding,
        lang,
        ext.type,
        ext.title,
        ext.date,
        ext.place,
        ext.organization,
        ext.body,
        header,
        doc.text,
        json_text(ext.to_record()),
        json_text(warnings),
    )
    return PreparedDocument(
        sha256=raw.sha256,
        row=row,
        paragraphs=[(p.index, p.start, p.end) for p in seg.paragraphs],
        sentences=sentences,
        mentions=[
            (kind, value, start, end, surface, sentence, json_text(attrs))
            for kind, value, start, end, surface, sentence, attrs in mentions
        ],
        features=features_json(anchors),
    )


def hash_files(files: list[Path]) -> list[tuple[str | None, str | None]]:
    """``(sha256, None)`` per file, or ``(None, reason)`` for one that cannot be read."""
    out: list[tuple[str | None, str | None]] = []
    for f in files:
        try:
            out.append((file_sha256(f), None))
        except OSError as exc:
            out.append((None, exc.strerror or str(exc)))
    return out


def prepare_files(files: list[Path]) -> list[Prepared]:
    """Read, process and prepare files (a task for a worker process or a Dask worker)."""
    from communique.pipeline import error_reason, process_one

    out: list[Prepared] = []
    for f in files:
        outcome = process_one(f)
        if outcome.document is None:
            # Its hash, if it has bytes: a later twin of it fails for the same reason.
            sha = hash_files([f])[0][0]
            out.append(Prepared(f, error=outcome.error, sha256=sha))
            continue
        try:
            out.append(Prepared(f, document=prepare(outcome.document)))
        except Exception as exc:
            out.append(Prepared(f, error=f"store: {error_reason(exc)}"))
    return out


def _nothing() -> None:
    pass


def bulk_lock_path(db: str) -> Path:
    """The file a bulk ingest into ``db`` holds a lock on while it runs."""
    return Path(f"{db}-bulk.lock")


@contextlib.contextmanager
def _bulk_lock(db: str, *, exclusive: bool) -> Iterator[bool]:
    """A lock on :func:`bulk_lock_path`: shared, held by every bulk ingest for its whole
    run (waits for none); exclusive, tried without waiting by a store being opened, and
    granted only while no bulk ingest runs. Yields whether it was granted. The system
    drops a lock with the process that held it, so an ingest that was killed holds
    nothing. Without ``fcntl`` (or for a store in memory) it is always granted."""
    if fcntl is None or db == ":memory:":
        yield True
        return
    try:
        fd = os.open(bulk_lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # a read-only folder: no ingest can be writing there either
        yield True
        return
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX | fcntl.LOCK_NB) if exclusive else fcntl.LOCK_SH)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # and with it the lock


def _spot_twin(p: Prepared, seen: dict[tuple[str, str], str], twin_of: dict[Path, str]) -> None:
    """Mark ``p`` as the twin of a file seen before it (same bytes, same suffix), which
    the writer then leaves out, or remember it as the first of its bytes."""
    sha = p.document.sha256 if p.document is not None else p.sha256
    if sha is None:
        return
    p.sha256 = sha
    key = (sha, p.path.suffix.lower())
    first = seen.get(key)
    if first is None:
        seen[key] = str(p.path)
        return
    twin_of[p.path] = first
    p.document = None
    p.error = None


# The store a worker process writes to, per database URL: opened once per process.
_WORKER_STORES: dict[str, Store] = {}


def write_files(db: str, files: list[Path]) -> list[Prepared]:
    """Read, process and write files from a worker, into the PostgreSQL database ``db``
    (its writers run in parallel): what comes back is each file's id, not its rows."""
    store = _WORKER_STORES.get(db)
    if store is None:
        store = _WORKER_STORES[db] = Store(db)
    prepared = prepare_files(files)
    docs = [p for p in prepared if p.document is not None]
    outcomes = store.write([p.document for p in docs if p.document is not None])
    for p, out in zip(docs, outcomes, strict=True):
        assert p.document is not None
        p.sha256 = p.document.sha256
        p.document = None  # the rows stay on the worker
        if isinstance(out, Exception):
            from communique.pipeline import error_reason

            p.error = f"store: {error_reason(out)}"
        else:
            p.written = out
    return prepared


class Store:
    """A communique database. Open with :meth:`open` (or ``communique.open``)."""

    def __init__(self, path: str | Path, *, migrate_to: int = LATEST) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self.conn: Any
        if is_url(self.path):
            # A shared server: PostgreSQL's own locking and full-text search.
            self.dialect = "postgresql"
            self.conn = PgConnection(self.path)
            self.schema_version = migrate(self.conn, migrate_to)
            self.search_engine = "postgresql"
        elif self.path.startswith(("postgresql:", "postgres:")):
            # "postgresql:/host/db" is what a URL becomes after a trip through Path:
            # a file of that name would be a surprise, not a store.
            raise ValueError(f"not a PostgreSQL URL (postgresql://...): {self.path!r}")
        else:
            self.dialect = "sqlite"
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # The web service reads from worker threads; writes are serialized by
            # the lock below and, across processes, by SQLite's own locking.
            self.conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                factory=derived.Connection,
            )
            self.conn.execute("PRAGMA busy_timeout = 10000")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA temp_store = MEMORY")
            self.schema_version = migrate(self.conn, migrate_to)
            self._build_missing_indexes()
            # "tantivy" (communique.search.engine, opened on first use and kept in
            # step with every commit) or "fts5"; may be set after opening.
            self.search_engine = "tantivy" if search_engine.available() else "fts5"
        self._index: search_engine.SentenceIndex | None = None
        self._index_error: str | None = None

    def _build_missing_indexes(self) -> None:
        """Build the indexes an interrupted bulk ingest left out (see :meth:`ingest`)."""
        if self.schema_version < 1:
            return
        have = {
            r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        missing = [name for name in BULK_DEFERRED_INDEXES if name not in have]
        if not missing:
            return
        with _bulk_lock(self.path, exclusive=True) as free:
            if not free:
                # A bulk ingest is running and builds them at its end; building them
                # now would make this open wait on it and slow the ingest's batches.
                return
            logging.getLogger(__name__).warning(
                "%s: building %s, left out by an ingest that did not finish",
                self.location,
                ", ".join(missing),
            )
            try:
                self._build_indexes(missing)
            except sqlite3.OperationalError as exc:  # a read-only file, or a writer holding on
                logging.getLogger(__name__).warning("%s: index not built: %s", self.location, exc)

    def _build_indexes(self, names: Iterable[str]) -> None:
        conn = self.conn
        # The sort behind CREATE INDEX spills to temporary files; kept in memory
        # (this connection's temp_store) it grew the process by 700 MB at 100,000
        # documents, and took longer (23.8 s against 15.8). Two helper threads
        # sort at the end of an ingest, when the workers are done: 21.4 -> 11.0 s
        # over the 11.8M mentions of 100,000 documents, for 128 MB more memory.
        conn.execute("PRAGMA temp_store = FILE")
        conn.execute(f"PRAGMA threads = {_INDEX_SORT_THREADS}")
        try:
            for name in names:
                conn.execute(BULK_DEFERRED_INDEXES[name])
        finally:
            conn.execute("PRAGMA threads = 0")
            conn.execute("PRAGMA temp_store = MEMORY")

    @classmethod
    def open(cls, db: str | Path | None = None) -> Store:
        return cls(db if db is not None else default_db())

    @property
    def location(self) -> str:
        """Where the store is, fit to show: a file path, or a URL without its password."""
        return display_location(self.path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def _id_for(self, sha256: str) -> int | None:
        row = self.conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else int(row[0])

    def _ids_for(self, hashes: Sequence[str]) -> dict[str, int]:
        """The stored documents' ids among ``hashes`` (one query per 500)."""
        found: dict[str, int] = {}
        for i in range(0, len(hashes), 500):
            part = list(hashes[i : i + 500])
            marks = ", ".join("?" * len(part))
            sql = f"SELECT sha256, id FROM documents WHERE sha256 IN ({marks})"
            found.update((sha, int(doc_id)) for sha, doc_id in self.conn.execute(sql, part))
        return found

    def add(self, processed: ProcessedDocument) -> tuple[int, bool]:
        """Write one processed document in one transaction.

        Returns ``(id, created)``; ``created`` is False when a document with the
        same SHA-256 was already stored, in which case nothing is written.
        """
        (result,) = self.write([prepare(processed)])
        if isinstance(result, Exception):
            raise result
        return result

    def write(
        self, docs: Sequence[PreparedDocument], *, index: bool = True
    ) -> list[tuple[int, bool] | Exception]:
        """Write prepared documents in one transaction, each whole or not at all.

        One ``(id, created)`` per document, in order, or the exception that kept
        it out: when one fails, the batch is written again with a savepoint per
        document, so that it leaves nothing behind and the others are still
        committed. A reader never sees half a document; one commit for a batch
        is what makes bulk ingest fast.
        ``index=False`` leaves the search index behind the rows (a bulk ingest
        syncs it now and then with :meth:`_sync_index`; an open catches it up).
        """
        results: list[tuple[int, bool] | Exception] = []
        if not docs:
            return results
        with self._lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                try:
                    results = self._insert_batch(docs)
                except sqlite3.DatabaseError:
                    # One document failed (rare): the batch again, each document on
                    # its own savepoint, so that it alone is left out.
                    conn.execute("ROLLBACK")
                    conn.execute("BEGIN IMMEDIATE")
                    results = []
                    for doc in docs:
                        conn.execute("SAVEPOINT doc")
                        try:
                            results.append(self._insert(doc))
                        except sqlite3.DatabaseError as exc:
                            conn.execute("ROLLBACK TO doc")
                            results.append(exc)
                        conn.execute("RELEASE doc")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            if index and any(not isinstance(r, Exception) and r[1] for r in results):
                self._sync_index()
        return results

    # ------------------------------------------------------------------ search index

    def search_index(self) -> search_engine.SentenceIndex | None:
        """The tantivy index (opened, created or rebuilt on first use), or None when
        searches run on FTS5 (engine set so, tantivy missing, or the index unusable)."""
        if self.search_engine != "tantivy" or self._index_error is not None:
            return None
        if self._index is None:
            with self._lock:
                if self._index is None:
                    try:
                        index = search_engine.SentenceIndex(
                            None if self.path == ":memory:" else self.path
                        )
                        self._sync_index(index)
                    except Exception as exc:
                        # SQLite holds everything: searching it is slower, never wrong.
                        self._index_error = str(exc)
                        logging.getLogger(__name__).exception("search index unusable; FTS5 used")
                        return None
                    self._index = index
        return self._index

    def _sync_index(
        self,
        index: search_engine.SentenceIndex | None = None,
        *,
        wait: bool = True,
        writer: Any = None,
    ) -> None:
        """Bring the index up to what is committed; a failure is logged, never raised
        (the rows are committed, and the next write or search catches up)."""
        index = index or self._index
        if index is None:
            if self.search_engine != "tantivy" or self._index_error is not None:
                return
            self.search_index()  # opening it syncs it
            return
        try:
            if self.path == ":memory:":
                with self._lock:
                    index.sync(self.conn, wait=wait, writer=writer)
                return
            # Its own connection: one snapshot, and this one stays free for others.
            reader = sqlite3.connect(self.path, isolation_level=None)
            try:
                reader.execute("PRAGMA busy_timeout = 10000")
                index.sync(reader, wait=wait, writer=writer)
            finally:
                reader.close()
        except Exception:
            if index is not self._index:
                raise
            logging.getLogger(__name__).exception("search index not updated")

    def _insert_batch(self, docs: Sequence[PreparedDocument]) -> list[tuple[int, bool] | Exception]:
        """Every document of a batch, without savepoints, the FTS5 rows of all of
        them last. FTS5 writes the terms it holds in memory out as a new segment
        of its index whenever a savepoint opens, and SQLite opens one around any
        statement that fires a trigger (documents and version_features do): rows
        interleaved document by document made a segment per document, which FTS5
        then spent its time merging (a fifth of the writer's time at 20,000
        documents, and growing with the index)."""
        fts: list[tuple[int, str]] = []
        results: list[tuple[int, bool] | Exception] = [self._insert(d, fts) for d in docs]
        if fts:
            self.conn.executemany("INSERT INTO sentences_fts (rowid, terms) VALUES (?, ?)", fts)
        return results

    def _insert(
        self, doc: PreparedDocument, fts: list[tuple[int, str]] | None = None
    ) -> tuple[int, bool]:
        """Write one document's rows; its FTS5 rows are added to ``fts`` when given
        (for the caller to write after the batch's other rows), else written here."""
        conn = self.conn
        existing = self._id_for(doc.sha256)
        if existing is not None:
            return existing, False
        # Another writer may store the same bytes between that look and this
        # insert (PostgreSQL's writers run in parallel): the unique hash decides,
        # and the loser finds the winner's row.
        row = conn.execute(
            "INSERT INTO documents (sha256, path, name, format, size, encoding, language,"
            " type, title, date, place, organization, body, header, text, record,"
            " warnings, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (sha256) DO NOTHING RETURNING id",
            (*doc.row, _now()),
        ).fetchone()
        if row is None:
            existing = self._id_for(doc.sha256)
            if existing is None:
                raise sqlite3.IntegrityError(f"document {doc.sha256} neither stored nor found")
            return existing, False
        doc_id = int(row[0])
        conn.executemany(
            'INSERT INTO paragraphs (doc_id, idx, start, "end") VALUES (?, ?, ?, ?)',
            [(doc_id, *p) for p in doc.paragraphs],
        )
        # A sentence's id carries its document (see search.DOC_SHIFT),
        # and the index rows are written in bulk with the same ids.
        base = doc_id << DOC_SHIFT
        conn.executemany(
            'INSERT INTO sentences (id, doc_id, idx, paragraph, start, "end", text, terms)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(base + x[0], doc_id, *x) for x in doc.sentences],
        )
        if self.schema_version >= 2 and self.dialect == "postgresql":
            conn.executemany(
                "INSERT INTO sentences_fts (rowid, tsv) VALUES (?, CAST(? AS tsvector))",
                [(base + x[0], pgtext.tsvector(x[-1])) for x in doc.sentences],
            )
        elif self.schema_version >= 2:  # a store held at v1 has no index yet
            rows = [(base + x[0], x[-1]) for x in doc.sentences]
            if fts is not None:
                fts.extend(rows)
            else:
                conn.executemany("INSERT INTO sentences_fts (rowid, terms) VALUES (?, ?)", rows)
        conn.executemany(
            'INSERT INTO mentions (doc_id, kind, value, start, "end", surface, sentence,'
            " attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, *m) for m in doc.mentions],
        )
        if doc.features is not None and self.schema_version >= 6:
            from communique.align.versions import PENDING

            conn.execute(
                "INSERT OR REPLACE INTO version_features (doc_id, version, anchors) VALUES (?, ?, ?)",
                (doc_id, PENDING, doc.features),
            )
        return doc_id, True

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        progress: Progress | None = None,
        workers: int = 1,
        engine: Engine | None = None,
    ) -> IngestReport:
        """Ingest files and folders; one result per file (stored / unchanged / failed).

        A file whose bytes are already stored is not processed: into a store that
        holds documents (or with PostgreSQL's parallel writers), files are hashed
        first. They are read, processed and turned into rows by ``engine``
        (default: ``workers`` local processes, 1: this one;
        :mod:`communique.distributed` runs them on a Dask cluster) and written
        here, in input order, in batches of one transaction; a failure is
        reported and the batch goes on.
        """
        from communique.pipeline import LocalEngine, chunk_size, error_reason, expand

        if engine is None:
            with LocalEngine(workers) as local:
                return self.ingest(paths, progress=progress, engine=local)

        started = time.perf_counter()
        files, unlisted = expand(paths)
        results = [IngestResult(str(o.path), "failed", reason=o.error) for o in unlisted]
        total = len(files) + len(results)
        done = 0

        def emit(result: IngestResult) -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(
                    IngestEvent(
                        "file",
                        total,
                        done,
                        result.path,
                        result.status,
                        result.document_id,
                        result.reason,
                    )
                )

        if progress is not None:
            progress(IngestEvent("start", total, 0))
        for r in results:
            emit(r)

        todo: list[Path] = []
        hashes: dict[Path, str] = {}
        # Same bytes under another suffix are read another way (a .txt is not a
        # .docx), so only a twin with the same suffix is a duplicate before reading.
        seen: dict[tuple[str, str], str] = {}
        # Files whose twin came first: reported unchanged, not written.
        twin_of: dict[Path, str] = {}
        # PostgreSQL takes parallel writers: each worker stores what it read, and
        # only ids come back. Ids then follow the order work finishes in.
        parallel_writers = self.dialect == "postgresql" and engine.workers > 1
        # Hashing first lets files already stored skip processing. A store with no
        # documents has none to skip: its files are read once, by the processing,
        # and twins are found as their hashes come back, before the one writer
        # writes them. Reading every file twice cost the workers 0.3 ms a
        # document, more once the files had left the page cache. Parallel writers
        # would each store whichever twin they read first, so they get the pass.
        prehash = parallel_writers or self._holds_documents()
        hashed: list[tuple[str | None, str | None]] = []
        if not prehash:
            todo = files
        elif engine.workers > 1 and len(files) > 1:
            # Hashing reads every byte: it runs on the engine, next to the processing.
            hashed = list(engine.map(hash_files, files, chunk_size(len(files), engine, 256)))
        else:
            hashed = hash_files(files)
        stored = self._ids_for([sha for sha, _ in hashed if sha])
        for f, (sha, error) in zip(files, hashed, strict=False):  # none when not hashed
            if sha is None:
                result = IngestResult(str(f), "failed", reason=error)
            else:
                existing = stored.get(sha)
                if existing is not None:
                    result = IngestResult(str(f), "unchanged", existing, sha256=sha)
                elif (sha, f.suffix.lower()) in seen:
                    twin = seen[(sha, f.suffix.lower())]
                    result = IngestResult(
                        str(f), "unchanged", reason=f"same content as {twin}", sha256=sha
                    )
                else:
                    seen[(sha, f.suffix.lower())] = str(f)
                    hashes[f] = sha
                    todo.append(f)
                    continue
            results.append(result)
            emit(result)

        written: dict[str, int] = {}
        pending: list[Prepared] = []
        first = 0.0
        indexed = time.perf_counter()
        behind = False  # rows committed that the search index has not read

        def flush(last: bool = False) -> None:
            nonlocal indexed, behind
            docs = [p.document for p in pending if p.document is not None]
            batch = self.write(docs, index=False)
            behind = behind or any(not isinstance(r, Exception) and r[1] for r in batch)
            # The last batch's sync is the caller's (it runs beside the ingest's end).
            if behind and not last and time.perf_counter() - indexed >= _INDEX_SECONDS:
                self._sync_index()
                indexed, behind = time.perf_counter(), False
            outcomes = iter(batch)
            for p in pending:
                f = p.path
                if f in twin_of:
                    result = IngestResult(
                        str(f), "unchanged", reason=f"same content as {twin_of[f]}", sha256=p.sha256
                    )
                elif p.written is not None and p.sha256 is not None:
                    doc_id, created = p.written
                    written[p.sha256] = doc_id
                    result = IngestResult(
                        str(f), "stored" if created else "unchanged", doc_id, sha256=p.sha256
                    )
                elif p.document is None:
                    result = IngestResult(
                        str(f), "failed", reason=p.error, sha256=hashes.get(f) or p.sha256
                    )
                else:
                    out = next(outcomes)
                    if isinstance(out, Exception):
                        result = IngestResult(
                            str(f),
                            "failed",
                            reason=f"store: {error_reason(out)}",
                            sha256=p.document.sha256,
                        )
                    else:
                        doc_id, created = out
                        written[p.document.sha256] = doc_id
                        result = IngestResult(
                            str(f),
                            "stored" if created else "unchanged",
                            doc_id,
                            sha256=p.document.sha256,
                        )
                results.append(result)
                emit(result)
            pending.clear()

        # Results come in input order; a batch is committed when it is full or
        # has waited long enough that a reader (or the progress bar) should see it.
        size = chunk_size(len(todo), engine) if engine.workers > 1 else 1
        task: Callable[[list[Path]], list[Prepared]] = prepare_files
        if parallel_writers:
            task = functools.partial(write_files, self.path)
        synced: Callable[[], None] = _nothing
        try:
            with self._bulk_writes(defer_indexes=self._defers_indexes(len(todo))):
                for prepared in engine.map(task, todo, size):
                    if not prehash:
                        _spot_twin(prepared, seen, twin_of)
                    if not pending:
                        first = time.perf_counter()
                    pending.append(prepared)
                    if len(pending) >= _BATCH or time.perf_counter() - first >= _BATCH_SECONDS:
                        flush()
                flush(last=True)
                if behind:
                    synced = self._sync_beside()
            self._finish_ingest(results, written, engine)
        except BaseException:
            # The sync is waited for, but what stopped the ingest is what it reports.
            with contextlib.suppress(Exception):
                synced()
            raise
        synced()
        return IngestReport(results=results, seconds=round(time.perf_counter() - started, 3))

    def _finish_ingest(
        self, results: list[IngestResult], written: dict[str, int], engine: Engine
    ) -> None:
        """Point duplicates at what their twin became and group the new documents'
        language versions."""
        # Duplicates inside the batch point at the document their twin became;
        # a duplicate of a file that failed failed too, for the same reason
        # (reporting it "unchanged" would hide that nothing was stored).
        failures = {
            (r.sha256, Path(r.path).suffix.lower()): r
            for r in results
            if r.status == "failed" and r.sha256
        }
        for r in results:
            if r.status == "unchanged" and r.document_id is None:
                key = (r.sha256, Path(r.path).suffix.lower())
                if r.sha256 in written:
                    r.document_id = written[r.sha256]
                elif key in failures:
                    twin = failures[key]
                    r.status = "failed"
                    r.reason = f"{twin.reason} (same content as {twin.path})"
        if written:
            self._update_versions(sorted(set(written.values())), engine)

    def _sync_beside(self) -> Callable[[], None]:
        """Start bringing the search index up to the committed rows in a thread of
        its own; returns what waits for it (and raises what it raised).

        The end of a bulk ingest ran on one core while the other idled: the last
        sync (~2 s at 10,000 documents: its rows' entries, then tantivy's commit
        and merges), the deferred indexes (~1 s) and the language versions. The
        sync reads through its own connection and writes only the index, so it
        runs beside the other two (the index builds, in SQLite's C code, leave the
        interpreter free). An in-memory store has one connection: synced here."""
        if self.path == ":memory:" or self._index is None:
            # No index open yet: opening it takes the store's lock, which the
            # index builds hold; nothing would run beside them.
            self._sync_index()
            return _nothing
        failed: list[BaseException] = []

        def run() -> None:
            try:
                self._sync_index()
            except BaseException as exc:  # handed to the ingest's thread by the join
                failed.append(exc)

        thread = threading.Thread(target=run, name="communique-index-sync", daemon=True)
        thread.start()

        def join() -> None:
            thread.join()
            if failed:
                raise failed[0]

        return join

    def _holds_documents(self) -> bool:
        with self._lock:
            return self.conn.execute("SELECT EXISTS (SELECT 1 FROM documents)").fetchone()[0] == 1

    def _defers_indexes(self, documents: int) -> bool:
        """Whether an ingest of ``documents`` new files is large enough, for this
        store, to build the deferrable indexes at its end (SQLite only)."""
        if self.dialect != "sqlite" or documents < _DEFER_INDEX_DOCUMENTS:
            return False
        with self._lock:
            stored = self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        return documents >= int(stored)

    @contextlib.contextmanager
    def _bulk_writes(self, *, defer_indexes: bool = False) -> Iterator[None]:
        """This connection set for a long run of batches (SQLite only), then set back;
        with ``defer_indexes``, the deferrable indexes are dropped for the run and
        built again at its end, whether it ends well or not."""
        if self.dialect != "sqlite":
            yield
            return
        conn = self.conn
        # The lock tells a store opened meanwhile that the missing indexes are coming.
        announced = (
            _bulk_lock(self.path, exclusive=False) if defer_indexes else contextlib.nullcontext()
        )
        with announced:
            with self._lock:
                cache = conn.execute("PRAGMA cache_size").fetchone()[0]
                pages = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
                conn.execute(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}")
                conn.execute(f"PRAGMA wal_autocheckpoint = {_BULK_WAL_PAGES}")
                self._fts_automerge(_BULK_FTS_AUTOMERGE)
                if defer_indexes:
                    for name in BULK_DEFERRED_INDEXES:
                        conn.execute(f"DROP INDEX IF EXISTS {name}")
            try:
                yield
            finally:
                with self._lock:
                    if defer_indexes:
                        self._build_indexes(BULK_DEFERRED_INDEXES)
                    self._fts_automerge(_FTS_AUTOMERGE)
                    conn.execute(f"PRAGMA cache_size = {int(cache)}")
                    conn.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")
                    # The log stays as long as it grew; copy it now rather than
                    # leave the first small write after the ingest to do it.
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _fts_automerge(self, segments: int) -> None:
        """Set FTS5's automerge (kept in the index itself, so set back after a bulk
        run; one cut short leaves 0, under which FTS5 still merges at sixteen segments)."""
        if self.schema_version >= 2:  # a store held at v1 has no full-text index
            self.conn.execute(
                "INSERT INTO sentences_fts (sentences_fts, rank) VALUES ('automerge', ?)",
                (segments,),
            )

    def _update_versions(self, doc_ids: list[int], engine: Engine | None = None) -> None:
        """Find the language versions of newly stored documents (communique.align.versions).

        The documents are stored whatever happens here: a failure is logged and
        the grouping is completed the next time versions are asked for.
        """
        from communique.align import versions

        try:
            versions.update(self, doc_ids, engine)
        except Exception:
            logging.getLogger(__name__).exception("version grouping failed")
            # Without their features these documents are taken up again by versions.ensure.
            with self._lock:
                self.conn.executemany(
                    "DELETE FROM version_features WHERE doc_id = ?", [(i,) for i in doc_ids]
                )

    def versions(self, doc_id: int) -> list[DocumentInfo]:
        """The other language versions of a document (same text, other languages), by language."""
        from communique.align import versions

        if not -_SQLITE_MAX_INT <= doc_id <= _SQLITE_MAX_INT:
            return []
        versions.ensure(self)
        ids = versions.version_ids(self.conn, doc_id)
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT {_INFO_COLUMNS} FROM documents d WHERE d.id IN ({marks})"
            " ORDER BY d.language, d.id",
            ids,
        )
        return [_info(r) for r in rows]

    def alignment(self, doc_id: int, other_id: int) -> list[tuple[list[int], list[int]]]:
        """Sentence links (indices) from ``doc_id`` to its version ``other_id``; [] when the two
        are not versions of one text."""
        from communique.align import versions

        if not all(-_SQLITE_MAX_INT <= i <= _SQLITE_MAX_INT for i in (doc_id, other_id)):
            return []
        versions.ensure(self)
        if other_id not in versions.version_ids(self.conn, doc_id):
            return []
        return versions.alignment(self.conn, doc_id, other_id) or []

    def delete(self, doc_id: int) -> bool:
        """Remove a document and everything read out of it; False when there was none."""
        if not -_SQLITE_MAX_INT <= doc_id <= _SQLITE_MAX_INT:
            return False
        index = self.search_index()
        with self._lock, contextlib.ExitStack() as stack:
            writer = None
            if index is not None:
                # Marked in the index before SQLite forgets it, so that a crash
                # in between still has the index drop it when it next syncs.
                writer = stack.enter_context(index.writer())
                index.mark(writer, [doc_id])
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                cur = self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            if index is not None:
                self._sync_index(index, writer=writer)
        return cur.rowcount > 0

    # ------------------------------------------------------------------ reading

    def documents(
        self,
        *,
        language: str | None = None,
        type: str | None = None,
        organization: str | None = None,
        body: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        sort: str = "date",
    ) -> list[DocumentInfo]:
        """Stored documents' metadata, filtered and sorted (``date``, ``-date``, ``name``,
        ``title``, ``id``, ``ingested``; ``-`` for descending)."""
        if sort not in _SORTS:
            raise ValueError(f"unknown sort {sort!r} (one of {', '.join(_SORTS)})")
        where, params = Filters(language, type, organization, body, date_from, date_to).sql("d")
        sql = f"SELECT {_INFO_COLUMNS} FROM documents d WHERE 1 = 1{where} ORDER BY {_SORTS[sort]}"
        sql += " LIMIT ? OFFSET ?"
        # Integers are 64-bit: a larger limit or offset means "all" / "past the end".
        params += [
            _SQLITE_MAX_INT if limit is None else min(max(0, limit), _SQLITE_MAX_INT),
            min(max(0, offset), _SQLITE_MAX_INT),
        ]
        return [_info(r) for r in self.conn.execute(sql, params)]

    def count(
        self,
        *,
        language: str | None = None,
        type: str | None = None,
        organization: str | None = None,
        body: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> int:
        """How many documents :meth:`documents` would list without a limit."""
        where, params = Filters(language, type, organization, body, date_from, date_to).sql("d")
        row = self.conn.execute(f"SELECT count(*) FROM documents d WHERE 1 = 1{where}", params)
        return int(row.fetchone()[0])

    def document(self, doc_id: int) -> DocumentDetail | None:
        """Everything stored for one document, or None."""
        if not -_SQLITE_MAX_INT <= doc_id <= _SQLITE_MAX_INT:
            return None  # no such id can be stored (SQLite would raise OverflowError)
        conn = self.conn
        row = conn.execute(
            f"SELECT {_INFO_COLUMNS}, d.text, d.encoding, d.header, d.warnings, d.record"
            " FROM documents d WHERE d.id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        info = _info(row[:15])
        text, encoding, header, warnings, record = row[15:]
        paragraphs = [
            ParagraphInfo(*r)
            for r in conn.execute(
                'SELECT idx, start, "end" FROM paragraphs WHERE doc_id = ? ORDER BY idx', (doc_id,)
            )
        ]
        sentences = [
            SentenceInfo(*r)
            for r in conn.execute(
                'SELECT idx, paragraph, start, "end", text FROM sentences WHERE doc_id = ?'
                " ORDER BY idx",
                (doc_id,),
            )
        ]
        mentions = [
            MentionInfo(kind, value, s, e, surface, sentence, json.loads(attrs))
            for kind, value, s, e, surface, sentence, attrs in conn.execute(
                'SELECT kind, value, start, "end", surface, sentence, attrs FROM mentions'
                ' WHERE doc_id = ? ORDER BY start, "end" DESC, kind, id',
                (doc_id,),
            )
        ]
        return DocumentDetail(
            info=info,
            text=text,
            encoding=encoding,
            header=json.loads(header) if header else None,
            warnings=json.loads(warnings),
            paragraphs=paragraphs,
            sentences=sentences,
            mentions=mentions,
            record=json.loads(record),
        )

    def search(
        self,
        q: str,
        *,
        lang: str | None = None,
        type: str | None = None,
        organization: str | None = None,
        body: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 20,
        offset: int = 0,
        facets: bool = True,
        cross: bool | None = None,
    ) -> SearchResult:
        """BM25 search over sentences; see :func:`communique.search.search` (``cross``:
        across languages, by default when ``lang`` is not the query's language)."""
        if lang and cross is not False:
            from communique.search.crosslingual import should_expand

            if cross or should_expand(q, lang):
                from communique.align import versions

                versions.ensure(self)
        index = self.search_index()
        if index is not None and index.behind(self.conn):
            # Another process is writing (it syncs itself: do not wait for it) or
            # one died between its commit and the index's.
            self._sync_index(index, wait=False)
        return search(
            self.conn,
            q,
            lang=lang,
            type=type,
            organization=organization,
            body=body,
            date_from=date_from,
            date_to=date_to,
            limit=limit,
            offset=offset,
            facets=facets,
            cross=cross,
            index=index,
        )

    def stats(self) -> Stats:
        conn = self.conn

        def counts(sql: str) -> dict[str, int]:
            return {str(k): int(n) for k, n in conn.execute(sql) if k is not None}

        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        size = 0
        if self.dialect == "postgresql":
            size = self.conn.database_bytes()
        elif self.path != ":memory:":
            size = sum(
                Path(self.path + suffix).stat().st_size
                for suffix in ("", "-wal")
                if Path(self.path + suffix).exists()
            )
        by = "GROUP BY 1 ORDER BY 2 DESC, 1"
        return Stats(
            documents=one("SELECT count(*) FROM documents"),
            sentences=one("SELECT count(*) FROM sentences"),
            mentions=one("SELECT count(*) FROM mentions"),
            schema_version=current_version(conn),
            languages=counts(f"SELECT language, count(*) FROM documents {by}"),
            types=counts(f"SELECT type, count(*) FROM documents {by}"),
            organizations=counts(f"SELECT organization, count(*) FROM documents {by}"),
            bodies=counts(f"SELECT body, count(*) FROM documents {by}"),
            years=counts(
                "SELECT substr(date, 1, 4), count(*) FROM documents GROUP BY 1 ORDER BY 1"
            ),
            mention_kinds=counts(f"SELECT kind, count(*) FROM mentions {by}"),
            db_path=self.location,
            db_bytes=size,
        )


__all__ = [
    "DEFAULT_DB",
    "ENV_DB",
    "Prepared",
    "PreparedDocument",
    "Store",
    "default_db",
    "file_sha256",
    "hash_files",
    "mention_rows",
    "prepare",
    "prepare_files",
    "write_files",
]
