"""The tantivy sentence index: top-k BM25 without scoring every match.

FTS5 computes ``bm25()`` for every sentence that matches before ``ORDER BY rank
LIMIT k``, which at a million sentences costs tens of milliseconds a query;
tantivy skips blocks that cannot enter the top k (block-max WAND). SQLite stays
the source of truth: this index is derived from it and can always be rebuilt.

Layout: a directory beside the database (``<db>.index/``), one tantivy
document per sentence: ``id`` (the sentence rowid, ``doc_id << 20 | idx``),
``doc_id``, ``terms`` (the FTS5 table's terms column cut into FTS5's own tokens
by :func:`communique.search.tokens.fts_tokens`, then split on spaces, so both
engines match the same sentences) and the document's filter fields
(``language``, ``type``, ``organization``, ``body`` as raw strings, ``date`` as
an integer ``yyyymmdd``, missing parts 00, which orders like the ISO text).

Beside them, one entry per document (its ``id`` is its first sentence's,
``doc_id << 20``): ``dterms`` holds every token of its sentences once, with the
same filter fields and its facet values as fast fields (``f_organization``,
``f_body``, ``f_type``, ``f_language``, ``f_year``). A document has a sentence
with a term exactly when its entry has the term, so for one term or terms
joined by OR, the matching documents and their facets are counted over these
entries: a few thousand at most, with a handful of facet buckets, instead of
one bucket per matching document over every matching sentence. Terms joined by
AND must meet in one sentence, which the entries cannot tell: those documents
are found from the sentences. Sentence queries never match these entries (they
have no ``terms``) and these queries never match sentences (no ``dterms``).

Consistency: ``communique.json`` in the directory holds the high-water mark
(the largest sentence id indexed) and the documents waiting to be re-read
(``pending``: a document is marked before it is deleted). :meth:`SentenceIndex.sync`
brings the index up to SQLite: it drops and re-adds every sentence past the
mark (so a crash between the index commit and the mark leaves no duplicate),
re-reads the pending documents, commits, then writes the mark. The store runs
it after every committed batch and before a search finds SQLite ahead of the
mark, so an index that is missing, older or behind after a crash catches up
by itself. Tantivy allows one writer per index (a lock file, released when its
process dies); a sync that finds another process writing waits for it or, when
asked not to wait, leaves the work to that writer.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from communique.search.filters import Filters, parse_bound
from communique.search.tokens import fts_tokens

try:  # the engine is optional: without it search runs on FTS5 alone
    import tantivy
except ImportError:  # pragma: no cover - depends on the environment
    tantivy = None

ENV_ENGINE = "COMMUNIQUE_SEARCH_ENGINE"
META = "communique.json"
# Bump when the schema or the tokens change: an index of another version is rebuilt.
FORMAT = 2
DOC_SHIFT = 20
# Facets are counted from the matching documents; past this many distinct
# documents the counts cover the first ones only (``facets_capped``).
FACET_DOCS = 65_000
# The facets (communique.search.FACETS) as fast fields of the document entries.
FACET_FIELDS = {
    "organization": "f_organization",
    "body": "f_body",
    "type": "f_type",
    "language": "f_language",
    "year": "f_year",
}

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_NEW_ROWS = """
SELECT s.id, s.doc_id, s.terms, d.language, d.type, d.organization, d.body, d.date
FROM sentences s JOIN documents d ON d.id = s.doc_id
WHERE s.id > ? ORDER BY s.id
"""
_DOC_ROWS = """
SELECT s.id, s.doc_id, s.terms, d.language, d.type, d.organization, d.body, d.date
FROM sentences s JOIN documents d ON d.id = s.doc_id
WHERE s.doc_id = ? ORDER BY s.id
"""


def available() -> bool:
    """Whether searches use tantivy: it is installed and ``$COMMUNIQUE_SEARCH_ENGINE``
    is not ``fts5``."""
    return tantivy is not None and os.environ.get(ENV_ENGINE, "").lower() != "fts5"


def date_key(value: str | None) -> int | None:
    """``YYYY[-MM[-DD]]`` as ``yyyymmdd`` (missing parts 00); None for anything else."""
    if not value:
        return None
    m = _DATE.match(value.strip())
    if not m:
        return None
    year, month, day = m.groups()
    return int(year) * 10_000 + int(month or 0) * 100 + int(day or 0)


def index_dir(db: str) -> Path:
    return Path(f"{db}.index")


def _schema() -> Any:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("id", indexed=True, fast=True)
    sb.add_unsigned_field("doc_id", indexed=True, fast=True)
    sb.add_text_field("terms", tokenizer_name="whitespace", index_option="position")
    for name in ("language", "type", "organization", "body"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("date", indexed=True, fast=True)
    # Document entries only: each token once, no frequencies or positions.
    sb.add_text_field("dterms", tokenizer_name="whitespace", index_option="basic")
    for name in FACET_FIELDS.values():
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    return sb.build()


@lru_cache(maxsize=200_000)
def _word_tokens(word: str) -> str:
    return " ".join(fts_tokens(word))


# Index terms made only of these characters, one space apart, are already the
# tokens FTS5 would cut them into (lowercase, nothing to fold): 99.98% of the
# terms of the benchmark corpus. One match instead of cutting word by word took
# the tantivy sync's share for them from 0.14 to 0.05 ms a document.
_ALREADY_TOKENS = re.compile(
    r"[0-9a-z\u0430-\u044f\u0451\u4e00-\u9fff]+(?: [0-9a-z\u0430-\u044f\u0451\u4e00-\u9fff]+)*"
)


def _indexed_terms(terms: str) -> str:
    """``" ".join(fts_tokens(terms))``, at a fraction of the cost: the stored terms
    are already index terms, so most are one token each and words recur."""
    if _ALREADY_TOKENS.fullmatch(terms) is not None:
        return terms
    if terms.isascii() and terms.replace(" ", "").isalnum():
        # ASCII letters and digits between single spaces: each word is its own token.
        return " ".join(terms.lower().split())
    return " ".join(filter(None, map(_word_tokens, terms.split())))


# A document's sentences share its date: one parse per document, not per sentence.
_date_key = lru_cache(maxsize=4096)(date_key)


def _document(row: Sequence[Any], indexed: str) -> str:
    """The entry of one sentence row, as the JSON ``IndexWriter.add_json`` takes;
    ``indexed``: its terms as index tokens.

    JSON parsed in Rust, not a ``Document`` typed field by field from a dict:
    building an entry took 5.5 us a sentence with ``Document.from_dict``, more
    than writing it (bench/README.md, the tantivy sync)."""
    sid, doc_id, _terms, language, typ, org, body, date = row
    fields: dict[str, Any] = {
        "id": int(sid),
        "doc_id": int(doc_id),
        "terms": indexed,
    }
    if language:
        fields["language"] = language
    if typ:
        fields["type"] = typ
    if org:
        fields["organization"] = org
    if body:
        fields["body"] = body
    key = _date_key(date)
    if key is not None:
        fields["date"] = key
    return orjson.dumps(fields).decode()


def _doc_entry(doc_id: int, tokens: set[str], meta: Sequence[Any]) -> str:
    """The document entry of ``doc_id`` (JSON, as :func:`_document`): its sentences'
    ``tokens`` and ``meta`` (language, type, organization, body, date as in the
    sentence rows).

    Its filter fields are those of :func:`_document`, written out there: that
    runs for every sentence, and a shared helper made it twice as slow
    (1.8 -> 3.8 us a call)."""
    language, typ, org, body, date = meta
    fields: dict[str, Any] = {
        "id": int(doc_id) << DOC_SHIFT,
        "doc_id": int(doc_id),
        "dterms": " ".join(tokens),
    }
    for name, facet, value in (
        ("language", "language", language),
        ("type", "type", typ),
        ("organization", "organization", org),
        ("body", "body", body),
    ):
        if value:
            fields[name] = value
            fields[FACET_FIELDS[facet]] = value
    key = _date_key(date)
    if key is not None:
        fields["date"] = key
    year = (date or "")[:4]  # as FTS5's facets take it: substr(date, 1, 4)
    if year:
        fields[FACET_FIELDS["year"]] = year
    return orjson.dumps(fields).decode()


class _Entries:
    """Adds sentence rows (ordered by id, so a document's rows are together) to
    a writer, with one document entry after each document's last row, except
    for the documents in ``skip`` (their entries are made from all their rows)."""

    def __init__(self, writer: Any, skip: set[int] | None = None) -> None:
        self.writer = writer
        self.skip = skip or set()
        self.doc: int | None = None
        self.tokens: set[str] = set()
        self.meta: Sequence[Any] = ()

    def add(self, row: Sequence[Any], *, sentence: bool = True) -> None:
        terms = _indexed_terms(row[2])
        if sentence:
            self.writer.add_json(_document(row, terms))
        if row[1] in self.skip:
            return
        if row[1] != self.doc:
            self.flush()
            self.doc = row[1]
            self.meta = row[3:]
        self.tokens.update(terms.split())

    def flush(self) -> None:
        if self.doc is not None:
            self.writer.add_json(_doc_entry(self.doc, self.tokens, self.meta))
        self.doc = None
        self.tokens = set()


class FacetCache:
    """Documents' facet values, for counting the facets of thousands of matching
    documents at a time: each document maps to the number of its combination of
    values (``combo_of[doc]``, -1: not read yet) and each combination to the
    number of its value per facet (``value_of[facet][combo]``, -1: none), so a
    count is three array lookups and a few ``bincount``s, not a loop per document."""

    def __init__(self, facets: int) -> None:
        self.facets = facets
        self.clear()

    def clear(self) -> None:
        facets = self.facets
        self.combo_of = np.full(0, -1, dtype=np.int32)
        self.combos: list[tuple[Any, ...]] = []
        self._number: dict[tuple[Any, ...], int] = {}
        self.values: list[list[str]] = [[] for _ in range(facets)]
        self._value_number: list[dict[str, int]] = [{} for _ in range(facets)]
        self._value_of: list[list[int]] = [[] for _ in range(facets)]
        self.value_of: list[Any] = [np.zeros(0, dtype=np.int32) for _ in range(facets)]

    def missing(self, doc_ids: Any) -> Any:
        """The documents of ``doc_ids`` (an int64 array) not read yet."""
        known = np.zeros(len(doc_ids), dtype=bool)
        inside = doc_ids < len(self.combo_of)
        known[inside] = self.combo_of[doc_ids[inside]] >= 0
        return doc_ids[~known]

    def add(self, doc_id: int, values: tuple[Any, ...]) -> None:
        n = self._number.get(values)
        if n is None:
            n = self._number[values] = len(self.combos)
            self.combos.append(values)
            for f, value in enumerate(values):
                numbers = self._value_number[f]
                v = -1
                if value:
                    v = numbers.get(value, -1)
                    if v < 0:
                        v = numbers[value] = len(self.values[f])
                        self.values[f].append(value)
                self._value_of[f].append(v)
            self.value_of = [np.array(v, dtype=np.int32) for v in self._value_of]
        if doc_id >= len(self.combo_of):
            grown = np.full(max(doc_id + 1, 2 * len(self.combo_of)), -1, dtype=np.int32)
            grown[: len(self.combo_of)] = self.combo_of
            self.combo_of = grown
        self.combo_of[doc_id] = n

    def count(self, doc_ids: Any) -> list[dict[str, int]]:
        """Documents per value, per facet, over ``doc_ids`` (an int64 array); the
        documents not read (deleted since the index was read) are left out."""
        inside = doc_ids[doc_ids < len(self.combo_of)]
        combos = self.combo_of[inside]
        per_combo = np.bincount(combos[combos >= 0], minlength=len(self.combos))
        out: list[dict[str, int]] = []
        for f, value_of in enumerate(self.value_of):
            has = value_of >= 0
            per_value = np.bincount(
                value_of[has], weights=per_combo[has], minlength=len(self.values[f])
            )
            names = self.values[f]
            out.append({names[v]: int(per_value[v]) for v in np.flatnonzero(per_value)})
        return out


@dataclass(slots=True)
class Matches:
    """What the index found for one query: counts, facets when asked, the ranked page."""

    total: int
    documents: int  # -1 when not counted
    doc_ids: list[int] | None  # the matching documents, when counted
    capped: bool
    ranked: list[tuple[int, float]]  # (sentence id, score), best first
    # Documents per facet value, when counted from the document entries.
    facets: dict[str, dict[str, int]] | None = None


class SentenceIndex:
    """The tantivy index of one store (``db`` = its path, None: in memory)."""

    def __init__(self, db: str | None) -> None:
        if tantivy is None:  # pragma: no cover - depends on the environment
            raise RuntimeError("tantivy is not installed")
        self.dir = None if db is None else index_dir(db)
        self._mutex = threading.RLock()
        self._meta: dict[str, Any] = {"format": FORMAT, "hwm": 0, "pending": []}
        self._meta_stamp: tuple[int, int] | None = None
        self.schema = _schema()
        self.index = self._open()
        # Facet values of documents, filled on demand: documents never change
        # once stored, and the cache is emptied whenever the index changes.
        self.doc_facets = FacetCache(len(FACET_FIELDS))

    # ----------------------------------------------------------------- state

    def _open(self) -> Any:
        if self.dir is None:
            return tantivy.Index(self.schema)
        meta = self._read_meta()
        if meta is not None and meta.get("format") == FORMAT and self.dir.is_dir():
            try:
                index = tantivy.Index(self.schema, path=str(self.dir), reuse=True)
                self._meta = meta
                return index
            except Exception:  # an unreadable index is rebuilt from SQLite
                pass
        # Missing, of another format or unreadable: start empty; sync fills it.
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(self.schema, path=str(self.dir), reuse=False)
        self._meta = {"format": FORMAT, "hwm": 0, "pending": []}
        self._write_meta()
        return index

    def _meta_path(self) -> Path:
        assert self.dir is not None
        return self.dir / META

    def _read_meta(self) -> dict[str, Any] | None:
        if self.dir is None:
            return self._meta
        path = self._meta_path()
        try:
            st = path.stat()
            meta = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        self._meta_stamp = (st.st_mtime_ns, st.st_size)
        return meta if isinstance(meta, dict) else None

    def _write_meta(self) -> None:
        if self.dir is None:
            return
        path = self._meta_path()
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self._meta), "utf-8")
        os.replace(tmp, path)
        st = path.stat()
        self._meta_stamp = (st.st_mtime_ns, st.st_size)

    @property
    def hwm(self) -> int:
        return int(self._meta.get("hwm", 0))

    def refresh(self) -> None:
        """Pick up what another process committed (its mark and its segments)."""
        if self.dir is None:
            return
        try:
            st = self._meta_path().stat()
        except OSError:
            return
        if (st.st_mtime_ns, st.st_size) != self._meta_stamp:
            with self._mutex:
                meta = self._read_meta()
                if meta is not None:
                    self._meta = meta
                self.index.reload()
                self.doc_facets.clear()

    def behind(self, conn: sqlite3.Connection) -> bool:
        """Whether SQLite holds sentences past the mark or documents wait to be re-read."""
        self.refresh()
        top = conn.execute("SELECT max(id) FROM sentences").fetchone()[0]
        return bool(self._meta.get("pending")) or int(top or 0) > self.hwm

    # ----------------------------------------------------------------- writing

    @contextlib.contextmanager
    def writer(self, *, wait: bool = True, timeout: float = 60.0) -> Iterator[Any]:
        """The index writer (one per index, across processes); None when busy and
        ``wait`` is False. The mark is re-read once the lock is held."""
        with self._mutex:
            w = self._acquire(wait, timeout)
            if w is None:
                yield None
                return
            try:
                meta = self._read_meta()
                if meta is not None:
                    self._meta = meta
                yield w
            finally:
                # Waiting for merges also drops the writer, which frees the lock.
                with contextlib.suppress(Exception):
                    w.wait_merging_threads()
                del w

    def _acquire(self, wait: bool, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.index.writer(heap_size=48_000_000, num_threads=1)
            except ValueError as exc:
                if "LockBusy" not in str(exc):
                    raise
                if not wait:
                    return None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"index writer busy for {timeout:.0f} s") from exc
                time.sleep(0.02)

    def mark(self, writer: Any, doc_ids: Sequence[int]) -> None:
        """Record documents to re-read (before deleting them in SQLite)."""
        pending = set(self._meta.get("pending", [])) | {int(i) for i in doc_ids}
        self._meta = {**self._meta, "pending": sorted(pending)}
        self._write_meta()

    def sync(self, conn: sqlite3.Connection, *, wait: bool = True, writer: Any = None) -> bool:
        """Bring the index up to the store read through ``conn``. False when another
        process holds the writer and ``wait`` is False (that process will do it)."""
        if writer is not None:
            self._sync(conn, writer)
            return True
        with self.writer(wait=wait) as w:
            if w is None:
                return False
            self._sync(conn, w)
        return True

    def _sync(self, conn: sqlite3.Connection, w: Any) -> None:
        hwm = self.hwm
        pending = [int(i) for i in self._meta.get("pending", [])]
        in_tx = conn.in_transaction
        if not in_tx:
            conn.execute("BEGIN")  # one snapshot for the rows and the new mark
        try:
            # Anything past the mark may be in the index already (a crash after
            # the index commit, before the mark was written): drop it first.
            w.delete_documents_by_query(
                tantivy.Query.range_query(
                    self.schema, "id", tantivy.FieldType.Unsigned, hwm + 1, None
                )
            )
            entries = _Entries(w)
            for doc_id in pending:
                # By query: delete_documents_by_term takes a Python int for an i64.
                w.delete_documents_by_query(tantivy.Query.term_query(self.schema, "doc_id", doc_id))
                # Its sentences past the mark come with the new rows below; its
                # document entry is made here, from all of them.
                for row in conn.execute(_DOC_ROWS, (doc_id,)):
                    entries.add(row, sentence=row[0] <= hwm)
                entries.flush()
            added = 0
            entries = _Entries(w, skip=set(pending))
            cur = conn.execute(_NEW_ROWS, (hwm,))
            while rows := cur.fetchmany(2048):
                for row in rows:
                    entries.add(row)
                added += len(rows)
            entries.flush()
            top = int(conn.execute("SELECT max(id) FROM sentences").fetchone()[0] or 0)
        finally:
            if not in_tx:
                conn.execute("COMMIT")
        if added or pending or top != hwm:
            w.commit()
            # The mark follows the snapshot: lower after the last document was
            # deleted, so that a new document reusing its id is still indexed.
            self._meta = {**self._meta, "hwm": top, "pending": []}
            self._write_meta()
            self.index.reload()
            self.doc_facets.clear()

    # ----------------------------------------------------------------- reading

    def _term(self, term: str, field: str = "terms") -> Any:
        tokens = fts_tokens(term)
        if not tokens:
            return tantivy.Query.empty_query()
        if len(tokens) == 1:
            if field == "terms":
                return tantivy.Query.term_query(self.schema, field, tokens[0])
            return tantivy.Query.term_query(self.schema, field, tokens[0], index_option="basic")
        # A quoted FTS5 string of several tokens is a phrase.
        return tantivy.Query.phrase_query(self.schema, field, tokens)

    def query(self, terms: Sequence[str], mode: str, filters: Filters) -> Any:
        """The tantivy query for parsed terms (``AND``/``OR``) and document filters."""
        return self._query(terms, mode, filters, "terms")

    def document_query(self, terms: Sequence[str], mode: str, filters: Filters) -> Any | None:
        """The query of the document entries that have a sentence matching
        :meth:`query`; None when the entries cannot tell (several terms that must
        meet in one sentence, or a phrase, which needs positions)."""
        if mode != "OR" and len(terms) > 1:
            return None
        if any(len(fts_tokens(t)) > 1 for t in terms):
            return None
        return self._query(terms, mode, filters, "dterms")

    def _query(self, terms: Sequence[str], mode: str, filters: Filters, field: str) -> Any:
        occur = tantivy.Occur
        clauses = [self._term(t, field) for t in terms]
        if mode == "OR" and len(clauses) > 1:
            text = [(occur.Must, tantivy.Query.boolean_query([(occur.Should, c) for c in clauses]))]
        else:
            text = [(occur.Must, c) for c in clauses]
        conds: list[Any] = []
        for name, value in (
            ("language", filters.language),
            ("type", filters.type),
            ("organization", filters.organization),
            ("body", filters.body),
        ):
            if value:
                conds.append(
                    tantivy.Query.term_query(self.schema, name, value, index_option="basic")
                )
        lo = date_key(parse_bound(filters.date_from, upper=False)) if filters.date_from else None
        hi = date_key(parse_bound(filters.date_to, upper=True)) if filters.date_to else None
        if lo is not None or hi is not None:
            conds.append(
                tantivy.Query.range_query(self.schema, "date", tantivy.FieldType.Integer, lo, hi)
            )
        # Filters select and never score: the scores stay the terms' BM25.
        text += [(occur.Must, tantivy.Query.const_score_query(c, 0.0)) for c in conds]
        if len(text) == 1:
            return text[0][1]
        return tantivy.Query.boolean_query(text)

    def searcher(self) -> Any:
        return self.index.searcher()

    def find(
        self,
        searcher: Any,
        query: Any,
        *,
        limit: int,
        offset: int,
        count_docs: bool,
        documents: Any | None = None,
    ) -> Matches:
        """Count and rank one query; ``count_docs``: also count the matching
        documents, from ``documents`` (:meth:`document_query`) when given, which
        counts their facets too, else from the matches per document."""
        doc_ids: list[int] | None = None
        facets: dict[str, dict[str, int]] | None = None
        matched = 0
        capped = False
        docs = -1
        if count_docs and documents is not None:
            request: dict[str, Any] = {
                name: {"terms": {"field": f, "size": FACET_DOCS}}
                for name, f in FACET_FIELDS.items()
            }
            request["n"] = {"value_count": {"field": "doc_id"}}
            agg = searcher.aggregate(documents, request)
            docs = int(agg["n"]["value"] or 0)
            facets = {
                name: {b["key"]: int(b["doc_count"]) for b in agg[name]["buckets"]}
                for name in FACET_FIELDS
            }
        elif count_docs:
            agg = searcher.aggregate(
                query, {"d": {"terms": {"field": "doc_id", "size": FACET_DOCS}}}
            )["d"]
            # Sentences per document are not needed, only which documents and the sum.
            buckets = agg["buckets"]
            doc_ids = [b["key"] for b in buckets]
            matched = sum([b["doc_count"] for b in buckets])
            capped = bool(agg.get("sum_other_doc_count"))
            docs = len(doc_ids)
        # The buckets already count every match unless they were capped.
        total = matched if doc_ids is not None and not capped else None
        if limit <= 0:
            if total is None:
                total = int(searcher.search(query, 1, count=True).count)
            return Matches(total, docs, doc_ids, capped, [], facets)
        res = searcher.search(query, limit, count=total is None, offset=offset)
        if total is None:
            total = int(res.count)
        hits = res.hits
        ids = searcher.fast_field_values("id", [a for _, a in hits]) if hits else []
        ranked = [(int(i), float(s)) for (s, _), i in zip(hits, ids, strict=True)]
        return Matches(total, docs, doc_ids, capped, ranked, facets)

    def facet_counts(
        self, conn: sqlite3.Connection, doc_ids: Sequence[int]
    ) -> dict[str, dict[str, int]]:
        """Documents per value of each facet (FACET_FIELDS' order) over ``doc_ids``,
        their values read from ``conn`` once and cached."""
        cache = self.doc_facets
        ids = np.fromiter(doc_ids, dtype=np.int64, count=len(doc_ids))
        missing = cache.missing(ids).tolist()
        for start in range(0, len(missing), 500):
            part = missing[start : start + 500]
            marks = ", ".join("?" * len(part))
            for row in conn.execute(
                "SELECT id, organization, body, type, language, substr(date, 1, 4)"
                f" FROM documents WHERE id IN ({marks})",
                part,
            ):
                cache.add(int(row[0]), tuple(row[1:]))
        return dict(zip(FACET_FIELDS, cache.count(ids), strict=True))


__all__ = [
    "ENV_ENGINE",
    "FACET_DOCS",
    "FACET_FIELDS",
    "FacetCache",
    "Matches",
    "SentenceIndex",
    "available",
    "date_key",
    "index_dir",
]
