"""Two ``communique ingest`` processes and a searching reader on one store.

On SQLite, WAL lets the reader go on while a writer commits and the busy
timeout makes the second writer wait for the first instead of failing. On
PostgreSQL (the suite's second run) the two writers run in parallel and the
unique hash decides which one stores a file both hold. Both ingests walk the
same folder (so they race for the same files, and for creating the schema) and
each also has files of its own: every file must end up stored exactly once,
with no "database is locked".
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from communique.store import Store
from conftest import new_db
from genre import write_batch
from hostile.cli import check_store, command, env

SHARED = 60
OWN = 20


def test_two_ingests_and_a_reader(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    write_batch(shared, SHARED, seed=1)
    own = [tmp_path / "a", tmp_path / "b"]
    write_batch(own[0], OWN, seed=2)
    write_batch(own[1], OWN, seed=3)
    db = new_db(tmp_path, "c.db")
    # No store yet: the reader and both writers race to create the schema too.

    stop = threading.Event()
    reads: list[int] = []
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            with Store.open(db) as store:
                terms = ["ministers", "外长", "министры", "cooperation 2012", "Совет"]
                n = 0
                while not stop.is_set():
                    result = store.search(terms[n % len(terms)], limit=5)
                    assert result.total >= 0
                    store.documents(limit=5)
                    reads.append(result.total)
                    n += 1
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            command("ingest", shared, folder, "--db", db, "--json"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
        )
        for folder in own
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    elapsed = time.monotonic() - started
    stop.set()
    thread.join(timeout=30)

    stored = 0
    for proc, (stdout, stderr) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, stderr[-2000:]
        assert "locked" not in stdout + stderr
        stored += json.loads(stdout)["counts"]["stored"]
    # Each file stored by exactly one of the two.
    assert stored == SHARED + 2 * OWN
    assert errors == []
    assert len(reads) > 10, "the reader was starved"
    counts = check_store(db)
    assert counts["documents"] == counts["distinct_sha256"] == SHARED + 2 * OWN
    print(f"2 ingests + reader: {elapsed:.1f} s, {len(reads)} searches during the ingests")


def test_server_threads_build_the_links_once(tmp_path: Path, monkeypatch: Any) -> None:
    """Pages of a fresh store reach the link rows from many server threads at once,
    each with its own connection. Each thread used to build every document itself:
    32 clients of ``make load`` over 205 documents kept the write lock busy past
    SQLite's timeout ("database is locked", 500s) and document pages past 28 s."""
    from communique.link import build

    write_batch(tmp_path / "docs", 24, seed=4)
    db = new_db(tmp_path, "l.db")
    with Store.open(db) as store:
        assert store.ingest([tmp_path / "docs"]).ok
        total = store.count()

    built: list[int] = []
    real = build.document_links

    def counted(detail: Any, kb: Any) -> Any:
        built.append(detail.info.id)
        return real(detail, kb)

    monkeypatch.setattr(build, "document_links", counted)
    threads = 8
    start = threading.Barrier(threads)
    reports: list[build.BuildReport] = []
    errors: list[BaseException] = []

    def page_view() -> None:
        try:
            with Store.open(db) as store:
                start.wait()
                reports.append(build.ensure_built(store))
        except BaseException as exc:
            errors.append(exc)

    pool = [threading.Thread(target=page_view) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    assert sorted(built) == sorted(set(built)) and len(built) == total
    assert sorted(r.built for r in reports) == [0] * (threads - 1) + [total]
