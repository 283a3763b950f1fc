"""Distributed ingestion: ``communique ingest --dask local:2`` makes the store a serial run makes.

The same generated corpus (bench/corpus.py, 1000 documents of ~3 KB) is
ingested serially in this process and by the CLI on a
two-worker Dask ``LocalCluster``; documents (by SHA-256, every metadata column),
paragraphs, sentences with their index terms, extracted values and the link
layer's facts must all be equal. Skipped when Dask is not installed.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from communique.store import Store
from conftest import POSTGRES, bench_corpus, new_db, raw_connect
from hostile.cli import command, env

pytest.importorskip("dask.distributed")

LONG = os.environ.get("COMMUNIQUE_LONG") == "1"
DOCS = 1000


def _snapshot(db: Any) -> dict[str, Any]:
    """Everything stored, keyed by content rather than by row id (ingested_at left out)."""
    conn = raw_connect(db)
    postgres = getattr(conn, "dialect", "sqlite") == "postgresql"
    try:
        sha = dict(conn.execute("SELECT id, sha256 FROM documents"))
        docs = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT sha256, path, name, format, size, encoding, language, type, title, date,"
                " place, organization, body, header, text, record, warnings FROM documents"
            )
        }
        paragraphs = sorted(
            (sha[d], i, s, e)
            for d, i, s, e in conn.execute('SELECT doc_id, idx, start, "end" FROM paragraphs')
        )
        sentences = sorted(
            (sha[row[0]], *row[1:])
            for row in conn.execute(
                'SELECT doc_id, idx, paragraph, start, "end", text, terms FROM sentences'
            )
        )
        mentions = sorted(
            (sha[row[0]], *row[1:])
            for row in conn.execute(
                'SELECT doc_id, kind, value, start, "end", surface, sentence, attrs FROM mentions'
            )
        )
        match = (
            "tsv @@ CAST('cooperation' AS tsquery)"
            if postgres
            else "sentences_fts MATCH 'cooperation'"
        )
        index = conn.execute(f"SELECT count(*) FROM sentences_fts WHERE {match}").fetchone()[0]
        ids = sorted(sha.items())
        # Language versions: on --dask the pairs are aligned on the workers.
        pairs = sorted(
            (sha[a], sha[b], ok, score, links)
            for a, b, ok, score, links in conn.execute(
                "SELECT a_id, b_id, accepted, score, links FROM version_pairs"
            )
        )
        groups = sorted(
            sorted(
                sha[d]
                for d, g2 in conn.execute("SELECT doc_id, group_id FROM version_groups")
                if g2 == g
            )
            for (g,) in conn.execute("SELECT DISTINCT group_id FROM version_groups")
        )
    finally:
        conn.close()
    return {
        "documents": docs,
        "paragraphs": paragraphs,
        "sentences": sentences,
        "mentions": mentions,
        "index": index,
        "ids": ids,
        "pairs": pairs,
        "groups": groups,
    }


def _facts(db: Any) -> list[dict[str, Any]]:
    from communique.link import ensure_built, facts

    with Store.open(db) as store:
        ensure_built(store)
        return sorted(
            (f.to_dict() for f in facts(store)), key=lambda d: json.dumps(d, sort_keys=True)
        )


def test_dask_local_two_workers_gives_the_serial_store(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    truths = bench_corpus().generate(folder, DOCS, seed=11, target_bytes=3000)
    serial_db, dask_db = new_db(tmp_path, "serial.db"), new_db(tmp_path, "dask.db")

    with Store.open(serial_db) as store:
        report = store.ingest([folder])
    assert report.counts()["stored"] == DOCS

    proc = subprocess.run(
        command("ingest", folder, "--db", dask_db, "--dask", "local:2", "--json"),
        capture_output=True,
        text=True,
        env=env(),
        timeout=1200,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert out["counts"] == {"stored": DOCS, "unchanged": 0, "failed": 0}
    # Reported in input order, like a serial run.
    assert [r["path"] for r in out["results"]] == [str(folder / t.file) for t in truths]

    serial, dask = _snapshot(serial_db), _snapshot(dask_db)
    assert len(serial["documents"]) == DOCS
    assert serial["mentions"], "the corpus must give extracted values to compare"
    # On SQLite the client writes in input order, so even the ids agree; PostgreSQL's
    # workers write in parallel and ids follow the order they finish in.
    assert serial["pairs"], "the corpus must give pairs of versions to compare"
    keys = ["documents", "paragraphs", "sentences", "mentions", "index", "pairs", "groups"]
    for key in keys if POSTGRES else [*keys, "ids"]:
        assert dask[key] == serial[key], key
    serial_facts = _facts(serial_db)
    assert serial_facts, "the corpus must give link facts to compare"
    assert _facts(dask_db) == serial_facts

    if not LONG:
        return  # another cluster start (4 s); the hashing path is the same as above
    # A second run over the same files changes nothing (hashes computed on the workers).
    again = subprocess.run(
        command("ingest", folder, "--db", dask_db, "--dask", "local:2", "--json"),
        capture_output=True,
        text=True,
        env=env(),
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert json.loads(again.stdout)["counts"]["unchanged"] == DOCS


def test_bad_dask_address_is_refused(tmp_path: Path) -> None:
    proc = subprocess.run(
        command("ingest", tmp_path, "--db", new_db(tmp_path, "x.db"), "--dask", "local:0"),
        capture_output=True,
        text=True,
        env=env(),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "local:N" in proc.stderr
    assert not (tmp_path / "x.db").exists()
