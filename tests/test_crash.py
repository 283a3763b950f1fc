"""Crash safety: ``communique ingest`` killed with SIGKILL at random points.

After every kill the store must pass SQLite's integrity check, hold no half
stored document and keep its full-text index in step with its sentences; the
next run must finish the batch with every file stored exactly once.

``make test`` kills 5 times; ``COMMUNIQUE_LONG=1`` kills 40 times (both seeded).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from conftest import new_db
from genre import write_batch
from hostile.cli import check_store, command, env, ingest, store_exists

LONG = os.environ.get("COMMUNIQUE_LONG") == "1"
KILLS = 40 if LONG else 5
DOCS = 150
SEED = int(os.environ.get("COMMUNIQUE_CRASH_SEED", "8"))


def _count(db: Path) -> int:
    """Documents committed so far, read as a concurrent reader would (WAL)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    except sqlite3.OperationalError:
        return 0
    try:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet
    finally:
        conn.close()


def _kill(db: Path, folder: Path, *, after_s: float, at_count: int, jitter_s: float) -> bool:
    """Start an ingest and SIGKILL it once ``after_s`` seconds have passed and the
    store holds ``at_count`` documents, plus ``jitter_s`` (a point inside the next
    document's work). False when it finished first (then it must have succeeded)."""
    proc = subprocess.Popen(
        command("ingest", folder, "--db", db, "--json"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env(),
    )
    started = time.monotonic()
    while proc.poll() is None:
        if time.monotonic() - started >= after_s and _count(db) >= at_count:
            time.sleep(jitter_s)
            break
        time.sleep(0.002)
    if proc.poll() is not None:
        assert proc.returncode == 0
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def test_sigkill_at_random_points_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    files = write_batch(folder, DOCS, seed=SEED)
    db = new_db(tmp_path, "crash.db")
    rng = random.Random(SEED)
    stored_before = 0
    kills = finished = 0
    progress: list[int] = []
    for n in range(KILLS):
        left = DOCS - stored_before
        if n == 0:
            # Anywhere in start-up, store creation and migrations included.
            killed = _kill(db, folder, after_s=rng.uniform(0.05, 1.0), at_count=0, jitter_s=0)
        else:
            step = max(1, left // (KILLS - n + 1))
            target = stored_before + rng.randint(1, max(1, 2 * step - 1))
            if target >= DOCS:
                target = DOCS - 1
            killed = _kill(db, folder, after_s=0, at_count=target, jitter_s=rng.uniform(0, 0.02))
        kills += killed
        finished += not killed
        if not store_exists(db):
            continue  # killed before the store was created
        counts = check_store(db)
        # Committed documents stay committed; none is stored twice.
        assert counts["documents"] >= stored_before
        assert counts["documents"] == counts["distinct_sha256"]
        stored_before = counts["documents"]
        progress.append(stored_before)
        if stored_before >= DOCS - 1 and not LONG:
            break
    print(f"{kills} kills, {finished} runs finished; stored after each: {progress}")
    assert kills >= 1
    final = ingest([folder], db)
    assert final.returncode == 0, final.stderr[-2000:]
    statuses = [r["status"] for r in final.report["results"]]
    assert len(statuses) == len(files)
    assert set(statuses) <= {"stored", "unchanged"}
    assert statuses.count("stored") == DOCS - stored_before
    counts = check_store(db)
    assert counts["documents"] == counts["distinct_sha256"] == DOCS
    # Every file's document is whole: as many sentences as a fresh store gives it.
    fresh = new_db(tmp_path, "fresh.db")
    assert ingest([folder], fresh).returncode == 0
    assert check_store(fresh)["sentences"] == counts["sentences"]
