"""Running ``communique`` in a child process, as a user would, and checking a store."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import communique

SRC = Path(communique.__file__).resolve().parents[1]


def env() -> dict[str, str]:
    """The environment of a child ``communique``: this checkout's package first."""
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), out.get("PYTHONPATH")]))
    out.pop("COMMUNIQUE_DB", None)
    return out


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "communique.cli", *(str(a) for a in args)]


@dataclass
class Ingest:
    returncode: int
    report: dict[str, Any]
    stderr: str

    def by_name(self) -> dict[str, dict[str, Any]]:
        return {Path(r["path"]).name: r for r in self.report["results"]}

    def error_lines(self) -> list[str]:
        # Rich may add a progress line on a terminal; errors are "<path>: <reason>".
        return [line for line in self.stderr.splitlines() if ": " in line]


def ingest(
    paths: Sequence[str | Path],
    db: Path,
    *,
    prefix: Sequence[str] = (),
    timeout: float = 120,
) -> Ingest:
    """``communique ingest --json`` over ``paths``; stdout must be one JSON report."""
    proc = subprocess.run(
        [*prefix, *command("ingest", *paths, "--db", db, "--json")],
        capture_output=True,
        text=True,
        env=env(),
        timeout=timeout,
    )
    assert proc.stdout.strip(), f"no report; stderr:\n{proc.stderr[-3000:]}"
    return Ingest(proc.returncode, json.loads(proc.stdout), proc.stderr)


def peak_rss_mb(args: Sequence[str | Path], timeout: float = 120) -> tuple[float, int, str]:
    """Run ``args`` under a fresh Python parent and return (peak RSS of it in MB, rc, stdout).

    ``RUSAGE_CHILDREN`` is a maximum over every child a process has waited for,
    so the measuring parent must be one whose only child is the command.
    """
    probe = (
        "import resource, subprocess, sys, json\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps([rss, p.returncode, p.stdout]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, *(str(a) for a in args)],
        capture_output=True,
        text=True,
        env=env(),
        timeout=timeout,
        check=True,
    )
    rss_kb, rc, stdout = json.loads(proc.stdout)
    return rss_kb / 1024, rc, stdout


def store_exists(db: Any) -> bool:
    """Whether a store was created at ``db`` (a file, or tables in a PostgreSQL schema)."""
    if str(db).startswith("postgresql://"):
        from communique.store.postgres import PgConnection

        conn = PgConnection(str(db))
        try:
            row = conn.execute("SELECT to_regclass('documents') IS NOT NULL").fetchone()
            return bool(row and row[0])
        finally:
            conn.close()
    return Path(db).exists()


def check_store(db: Any) -> dict[str, int]:
    """Integrity of a store: the database's own check, whole documents, index in step.

    Returns row counts. Every document has its paragraphs and sentences (none
    is half written), every sentence and paragraph belongs to a document, and
    the full-text index holds exactly the sentences. ``db``: a SQLite file or
    a PostgreSQL URL (whose server checks its own pages; the rest is the same).
    """
    postgres = str(db).startswith("postgresql://")
    if postgres:
        from communique.store.postgres import PgConnection

        conn: Any = PgConnection(str(db))
    else:
        conn = sqlite3.connect(db)
    try:
        if not postgres:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        docs = one("SELECT count(*) FROM documents")
        sentences = one("SELECT count(*) FROM sentences")
        # A document without sentences or paragraphs is half stored.
        assert (
            one(
                "SELECT count(*) FROM documents d WHERE NOT EXISTS"
                " (SELECT 1 FROM sentences s WHERE s.doc_id = d.id)"
                " OR NOT EXISTS (SELECT 1 FROM paragraphs p WHERE p.doc_id = d.id)"
            )
            == 0
        )
        # Sentence indexes run 0..n-1 without a gap in every document.
        assert (
            one(
                "SELECT count(*) FROM (SELECT doc_id FROM sentences GROUP BY doc_id"
                " HAVING min(idx) != 0 OR max(idx) != count(*) - 1) AS gaps"
            )
            == 0
        )
        for table in ("sentences", "paragraphs", "mentions"):
            orphans = one(
                f"SELECT count(*) FROM {table} t"
                " WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = t.doc_id)"
            )
            assert orphans == 0, f"{orphans} {table} rows without a document"
        if postgres:
            # One tsvector per sentence, none without its sentence (the foreign key).
            assert one("SELECT count(*) FROM sentences_fts") == sentences
            assert (
                one(
                    "SELECT count(*) FROM sentences s WHERE NOT EXISTS"
                    " (SELECT 1 FROM sentences_fts f WHERE f.rowid = s.id)"
                )
                == 0
            )
        elif one("SELECT count(*) FROM sqlite_master WHERE name = 'sentences_fts'"):
            # One index entry per sentence, and FTS5's own check of the index
            # against its content table (the sentences).
            assert one("SELECT count(*) FROM sentences_fts_docsize") == sentences
            assert (
                one(
                    "SELECT count(*) FROM sentences s WHERE NOT EXISTS"
                    " (SELECT 1 FROM sentences_fts_docsize f WHERE f.id = s.id)"
                )
                == 0
            )
            conn.execute(
                "INSERT INTO sentences_fts (sentences_fts, rank) VALUES ('integrity-check', 1)"
            )
        return {
            "documents": docs,
            "sentences": sentences,
            "distinct_sha256": one("SELECT count(DISTINCT sha256) FROM documents"),
        }
    finally:
        conn.close()
