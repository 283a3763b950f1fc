"""Incremental build of the link tables: each stored document is read once.

A document's rows (facts, entity mentions, evidence, commitments) depend only
on that document, so the build is linear in the number of documents and a new
ingest only adds work for the new ones. ``link_documents`` remembers which rule
version built each document; a newer version rebuilds them.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from communique.link.rules import DocumentLinks, document_links

# Raise when the rules change what they produce: every document is then rebuilt.
VERSION = 12

T = TypeVar("T")

# SQLite limits the parameters of one statement (999 in older builds).
_IN_BATCH = 500


def in_batches(values: Sequence[T]) -> Iterator[tuple[Sequence[T], str]]:
    """``values`` in batches small enough for one ``IN (...)``, each with its placeholders."""
    for i in range(0, len(values), _IN_BATCH):
        batch = values[i : i + _IN_BATCH]
        yield batch, ",".join("?" * len(batch))


@dataclass(slots=True)
class BuildReport:
    built: int
    kept: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"built": self.built, "kept": self.kept, "seconds": self.seconds}


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


# One build at a time per database in this process. The web service gives each
# thread its own store; without this every thread that opened a page of a fresh
# store rebuilt every document itself, and their writes queued on SQLite's lock
# past its timeout. Reentrant: a nested call on the building thread must not hang.
_BUILDING: dict[str, threading.RLock] = {}
_BUILDING_GUARD = threading.Lock()


def _build_lock(store: Any) -> threading.RLock:
    path = str(store.path)
    key = path if "://" in path or path == ":memory:" else os.path.realpath(path)
    with _BUILDING_GUARD:
        return _BUILDING.setdefault(key, threading.RLock())


def ensure_built(
    store: Any,
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Build the link rows of every document not yet built with this rule version.

    Callers on other threads wait for a build under way on the same database
    and then find its documents built. ``progress(done, total)`` is called with
    the count of documents to build, then after each one.
    """
    started = time.perf_counter()
    with _build_lock(store):
        return _ensure_built(store, force=force, started=started, progress=progress)


def _ensure_built(
    store: Any, *, force: bool, started: float, progress: Callable[[int, int], None] | None
) -> BuildReport:
    from communique.knowledge import load

    conn = store.conn
    if force:
        todo = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
    else:
        todo = [
            r[0]
            for r in conn.execute(
                "SELECT d.id FROM documents d LEFT JOIN link_documents l ON l.doc_id = d.id"
                " WHERE l.doc_id IS NULL OR l.version != ? ORDER BY d.id",
                (VERSION,),
            )
        ]
    total = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    if not todo:
        return BuildReport(0, total, round(time.perf_counter() - started, 3))
    kb = load()
    if progress is not None:
        progress(0, len(todo))
    for done, doc_id in enumerate(todo, 1):
        detail = store.document(doc_id)
        if detail is not None:
            _write(store, doc_id, document_links(detail, kb))
        if progress is not None:
            progress(done, len(todo))
    return BuildReport(len(todo), total - len(todo), round(time.perf_counter() - started, 3))


def _write(store: Any, doc_id: int, links: DocumentLinks) -> None:
    conn = store.conn
    with store._lock:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in (
                "link_facts",
                "link_entity_mentions",
                "link_evidence",
                "link_commitments",
                "link_documents",
            ):
                conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
            conn.executemany(
                "INSERT INTO link_facts (doc_id, subject, predicate, object, valid_from, mode,"
                ' sentence, start, "end", attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                [
                    (
                        doc_id,
                        f.subject,
                        f.predicate,
                        f.object,
                        f.valid_from,
                        f.mode,
                        f.sentence,
                        f.start,
                        f.end,
                        _dump(f.attrs),
                    )
                    for f in links.facts
                ],
            )
            conn.executemany(
                "INSERT INTO link_entity_mentions (doc_id, kind, key, name, sentence, start,"
                ' "end", attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                [
                    (doc_id, e.kind, e.key, e.name, e.sentence, e.start, e.end, _dump(e.attrs))
                    for e in links.entities
                ],
            )
            for ev in links.evidence:
                (evidence_id,) = conn.execute(
                    'INSERT INTO link_evidence (doc_id, kind, date, sentence, start, "end", attrs)'
                    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (doc_id, ev.kind, ev.date, ev.sentence, ev.start, ev.end, _dump(ev.attrs)),
                ).fetchone()
                conn.executemany(
                    "INSERT OR IGNORE INTO link_evidence_keys (key, evidence) VALUES (?, ?)",
                    [(k, evidence_id) for k in dict.fromkeys(ev.keys)],
                )
            conn.executemany(
                'INSERT INTO link_commitments (doc_id, sentence, start, "end", deadline, attrs)'
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (doc_id, c.sentence, c.start, c.end, c.deadline, _dump(c.attrs))
                    for c in links.commitments
                ],
            )
            conn.execute(
                "INSERT INTO link_documents (doc_id, version, built_at) VALUES (?, ?, ?)",
                (doc_id, VERSION, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


__all__ = ["VERSION", "BuildReport", "ensure_built"]
