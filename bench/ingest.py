"""Ingest throughput end to end (read -> extract -> store -> index), per core, with peak RSS.

Run: PYTHONPATH=src .venv/bin/python bench/ingest.py [--sizes 1000] [--engines serial,workers2,dask1,dask2]
     (full: --sizes 10000,100000; 100k runs only the engines named by --big-engines)

For each size the benchmark corpus (bench/corpus.py, seed 7, ~10 KB a document)
is generated under /tmp/communique-bench/ (kept and reused), then each engine
ingests it into a fresh store with the real command, in its own process:

    communique ingest CORPUS --db DB --json                      (serial)
    communique ingest CORPUS --db DB --json --workers N          (workersN)
    communique ingest CORPUS --db DB --json --dask local:N       (daskN)

Measured: wall seconds of the command (start-up, cluster start and warm-up
included) and the ingest's own seconds (what the report says: hashing to last
commit), documents/s and MB/s from the latter, per core (divided by the
workers), and peak RSS: the largest resident set of the command or any process
it waited for (``os.wait4``; a Dask worker's is read by the nanny, so dask rows
show the client's). Baseline, measured in the same run on the same files in
one process: ``read+normalize``, the floor under any ingest (communique's
readers.read + normalize.normalize, nothing else). Ratios: each engine's docs/s
against the baseline's, and daskN / dask1.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = Path(os.environ.get("COMMUNIQUE_BENCH_DIR", "/tmp/communique-bench"))
SEED = 7


def _corpus() -> Any:
    spec = importlib.util.spec_from_file_location("bench_corpus", HERE / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_corpus", module)
    spec.loader.exec_module(module)
    return sys.modules["bench_corpus"]


def corpus_for(size: int) -> tuple[Path, int]:
    """The folder of ``size`` generated documents (made once) and its bytes."""
    folder = CACHE / f"corpus-{size}-seed{SEED}"
    if not (folder / _corpus().MANIFEST).exists():
        _corpus().generate(folder, size, seed=SEED, jobs=os.cpu_count() or 1)
    files = [p for p in folder.rglob("*.txt")]
    return folder, sum(p.stat().st_size for p in files)


def baseline(folder: Path) -> float:
    """Seconds to read and normalize every file in this process."""
    from communique.normalize import normalize
    from communique.readers import iter_files, read

    files = list(iter_files([folder]))
    started = time.perf_counter()
    for f in files:
        normalize(read(f))
    return time.perf_counter() - started


def remove_store(db: Path) -> None:
    """The database, its WAL files and the search index beside it."""
    for suffix in ("", "-wal", "-shm", "-bulk.lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(f"{db}.index", ignore_errors=True)


def run_engine(engine: str, folder: Path, db: Path) -> dict[str, Any]:
    remove_store(db)
    extra: list[str] = []
    if engine.startswith("workers"):
        extra = ["--workers", engine.removeprefix("workers")]
    elif engine.startswith("dask"):
        extra = ["--dask", f"local:{engine.removeprefix('dask')}"]
    cmd = [sys.executable, "-m", "communique.cli", "ingest", str(folder), "--db", str(db), "--json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*cmd, *extra], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{engine}: ingest exited {proc.returncode}")
    report = json.loads(out)
    return {
        "wall": wall,
        "seconds": float(report["seconds"]),
        "stored": report["counts"]["stored"],
        "failed": report["counts"]["failed"],
        "rss_mb": usage.ru_maxrss / 1024,
        # CPU seconds of the command and every process it waited for (pool and
        # Dask workers): per-core throughput that other load on the machine
        # does not distort the way it distorts wall time.
        "cpu": usage.ru_utime + usage.ru_stime,
    }


def cores(engine: str) -> int:
    if engine == "serial":
        return 1
    return int(engine.removeprefix("workers").removeprefix("dask"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000", help="comma-separated corpus sizes (default 1000)")
    ap.add_argument("--engines", default="serial,workers2,dask1,dask2")
    ap.add_argument(
        "--big-engines",
        default="workers2",
        help="engines for sizes over 20000 (default workers2: 100k serial takes hours)",
    )
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows: list[tuple[int, str, dict[str, Any], float]] = []
    for size in sizes:
        folder, nbytes = corpus_for(size)
        engines = args.engines.split(",") if size <= 20_000 else args.big_engines.split(",")
        base_s = baseline(folder)
        rows.append(
            (
                size,
                "read+normalize",
                {
                    "wall": base_s,
                    "seconds": base_s,
                    "stored": size,
                    "failed": 0,
                    "rss_mb": 0.0,
                    "cpu": base_s,
                },
                nbytes,
            )
        )
        print(f"{size}: read+normalize {size / base_s:.0f} docs/s", file=sys.stderr)
        for engine in engines:
            db = CACHE / f"ingest-{size}-{engine}.db"
            r = run_engine(engine, folder, db)
            rows.append((size, engine, r, nbytes))
            print(f"{size}: {engine} {r['stored'] / r['seconds']:.1f} docs/s", file=sys.stderr)
            remove_store(db)

    print(
        f"\ningest, end to end (read -> extract -> store -> index), {os.cpu_count()} CPUs;"
        " baseline = read+normalize in one process"
    )
    # Every process of the run, baseline included, runs this interpreter; its
    # build alone moves the rates (scripts/python).
    print(f"python {platform.python_version()}, {os.path.realpath(sys.executable)}")
    head = (
        f"{'docs':>7} {'engine':<15}{'wall s':>8}{'ingest s':>9}{'docs/s':>8}{'MB/s':>7}"
        f"{'docs/s/core':>12}{'docs/cpu-s':>11}{'peak RSS MB':>12}{'x base':>8}"
    )
    print(head)
    print("-" * len(head))
    base_rate: dict[int, float] = {}
    dask1: dict[int, float] = {}
    for size, engine, r, nbytes in rows:
        rate = r["stored"] / r["seconds"]
        if engine == "read+normalize":
            base_rate[size] = rate
            per_core = rate
            rss = "-"
        else:
            per_core = rate / cores(engine)
            rss = f"{r['rss_mb']:.0f}"
        if engine == "dask1":
            dask1[size] = rate
        print(
            f"{size:>7} {engine:<15}{r['wall']:8.1f}{r['seconds']:9.1f}{rate:8.1f}"
            f"{nbytes / 1e6 / r['seconds']:7.2f}{per_core:12.1f}{r['stored'] / r['cpu']:11.1f}"
            f"{rss:>12}"
            f"{rate / base_rate[size]:8.3f}"
            + (
                f"   {rate / dask1[size]:.2f}x dask1"
                if engine.startswith("dask") and engine != "dask1" and size in dask1
                else ""
            )
        )
        if r["failed"]:
            print(f"        ({r['failed']} files failed)")
    print(
        "targets (issue 7): >= 100 docs/s per core, peak RSS <= 1 GB at 100k, dask2 >= 1.7x dask1"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
