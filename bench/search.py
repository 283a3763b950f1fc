"""Search latency at scale: communique's search against the raw FTS5 engine under it.

Run: PYTHONPATH=src .venv/bin/python bench/search.py [--sentences 1000000] [--runs 20]

1. Builds (or reuses) a store of about ``--sentences`` sentences from the
   benchmark corpus (bench/corpus.py, same seed): the bulk path. Documents are
   generated in memory, normalized and segmented by communique, given their
   metadata (language, type, date, place, organization) from the generator
   instead of running extraction (the slow stage, measured by bench/ingest.py),
   turned into rows by ``communique.store.sqlite.prepare`` (index terms
   included) in worker processes, and written by ``Store.write`` in batches,
   so the store has the schema, ids and index that ingest gives it. The store
   is kept under /tmp/communique-bench/ and reused while it exists.
2. Times query classes (1-, 2-, 3-term AND; 2- and 3-term OR: words that never
   share a sentence, so communique falls back to OR; filtered queries), each
   query ``--runs`` times after one warm-up, through:
   - ``api``: ``Store.search(q, limit=10)``: counts, facets, ranking, rows and
     snippets, what the web service calls;
   - ``api-nofacets``: the same with ``facets=False``;
   - ``http``: ``GET /api/v1/search?q=..&limit=10`` against ``communique
     serve`` started by this script on 127.0.0.1, over one kept-alive
     connection of the standard library's ``http.client``, the thinnest client
     there is (httpx spends ~1 ms of its own per request, which is not the
     endpoint's);
   - ``raw``: the limit underneath, FTS5 alone on the same connection:
     ``SELECT rowid, rank FROM sentences_fts WHERE sentences_fts MATCH ? ORDER
     BY rank LIMIT 10`` with the MATCH expression communique builds (terms
     quoted, AND or OR);
   - ``raw-tantivy``: the other engine's limit, the tantivy index
     (communique.search.engine) alone: ``searcher.search(query, 10,
     count=False)`` with the query communique builds (same terms, mode and
     filters);
   ``api`` and ``api-nofacets`` run on the store's default engine (tantivy when
   installed), ``api-fts5`` and ``api-fts5-nofacets`` on FTS5 alone, the engine
   before tantivy, measured in the same run.
   Prints p50/p95/p99 in ms per class and path, each path's p50 as a multiple
   of raw FTS5 (the baseline) and of its own engine's raw time (the limit).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import importlib.util
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = Path(os.environ.get("COMMUNIQUE_BENCH_DIR", "/tmp/communique-bench"))
SEED = 7
BATCH = 50

# (class, query, filters). OR: words of different sentences of the genre (one
# field of cooperation per sentence), so no sentence has them all.
QUERIES: list[tuple[str, str, dict[str, Any]]] = [
    ("1-term", "cooperation", {}),
    ("1-term", "terrorism", {}),
    ("1-term", "agriculture", {}),
    ("1-term", "Kazakhstan", {}),
    ("1-term", "сотрудничество", {}),
    ("1-term", "能源", {}),
    ("2-term AND", "energy cooperation", {}),
    ("2-term AND", "customs experts", {}),
    ("2-term AND", "ministers views", {}),
    ("2-term AND", "экономики сотрудничество", {}),
    ("3-term AND", "trade investment cooperation", {}),
    ("3-term AND", "ministers exchanged views", {}),
    ("3-term AND", "parties agreed programme", {}),
    ("3-term AND", "государства-члены подтвердили позицию", {}),
    ("2-term OR", "agriculture banking", {}),
    ("2-term OR", "tourism education", {}),
    ("2-term OR", "Afghanistan customs", {}),
    ("3-term OR", "agriculture tourism banking", {}),
    ("3-term OR", "education energy customs", {}),
    ("filtered", "cooperation", {"lang": "en", "type": "declaration"}),
    ("filtered", "energy cooperation", {"date_from": "2010-01-01", "date_to": "2012-12-31"}),
    ("filtered", "terrorism", {"organization": "SCO"}),
    ("filtered", "agriculture banking", {"lang": "en"}),
]
HTTP_PARAMS = {"lang": "lang", "type": "type", "organization": "org", "date_from": "date_from",
               "date_to": "date_to"}  # fmt: skip


def _corpus() -> Any:
    spec = importlib.util.spec_from_file_location("bench_corpus", HERE / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_corpus", module)
    spec.loader.exec_module(module)
    return sys.modules["bench_corpus"]


def _prepare_range(bounds: tuple[int, int]) -> list[Any]:
    """Rows of generated documents start..stop (runs in a worker process)."""
    from communique.normalize import normalize
    from communique.records import Extraction, ProcessedDocument, RawDocument
    from communique.segment import segment
    from communique.store.sqlite import prepare

    corpus = _corpus()
    out = []
    for i in range(*bounds):
        text, truth = corpus.document(SEED, i)
        data = text.encode("utf-8")
        name = Path(truth.file).name
        raw = RawDocument(
            path=f"bench/{truth.file}",
            name=name,
            format="txt",
            text=text,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            encoding="utf-8",
        )
        seg = segment(normalize(raw))
        seg.tokens = []
        title = text.split("\n", 1)[0].strip()
        ext = Extraction(
            file=name,
            language=truth.language,
            type=truth.type,
            title=title,
            date=truth.date,
            place=truth.place,
            organization=truth.organization,
        )
        out.append(prepare(ProcessedDocument(segmented=seg, extraction=ext)))
    return out


def build_store(sentences: int, jobs: int) -> Path:
    """A store of at least ``sentences`` sentences (reused when already built)."""
    from communique.store import Store

    db = CACHE / f"search-{sentences}-seed{SEED}.db"
    done = db.with_suffix(".done")
    if db.exists() and done.exists():
        print(f"reusing {db}", file=sys.stderr)
        return db
    CACHE.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-bulk.lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    total = docs = 0
    with Store.open(db) as store, ProcessPoolExecutor(max_workers=jobs) as pool:
        start = 0
        while total < sentences:
            # Enough ranges to keep every worker busy (about 90 sentences a
            # document of 10 KB until measured), never much past the target.
            per_doc = total / docs if docs else 90
            need = max(BATCH, int((sentences - total) / per_doc) + 1)
            ranges = [(s, min(s + BATCH, start + need)) for s in range(start, start + need, BATCH)]
            ranges = ranges[: jobs * 8]
            for prepared in pool.map(_prepare_range, ranges):
                store.write(prepared)
                docs += len(prepared)
                total += sum(len(p.sentences) for p in prepared)
            start = ranges[-1][1]
            print(f"  {docs} documents, {total} sentences", file=sys.stderr, end="\r")
        store.conn.execute("INSERT INTO sentences_fts (sentences_fts) VALUES ('optimize')")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute("ANALYZE")
    done.write_text(f"{docs} {total}\n")
    print(
        f"\nbuilt {db}: {docs} documents, {total} sentences in"
        f" {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _timed(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm: page cache, statement cache, lazy imports
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]


class _Client:
    """GET over one kept-alive connection; raises on anything but 200. The server
    closes a connection idle for 5 s (uvicorn's keep-alive), as it is between
    query classes: then the request is sent again on a new one (the warm-up
    request of each query, which is not timed)."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path: str, params: dict[str, Any] | None = None) -> bytes:
        url = f"{path}?{urlencode(params)}" if params else path
        for attempt in (1, 2):
            try:
                self.conn.request("GET", url)
                response = self.conn.getresponse()
                body = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                if attempt == 2:
                    raise
            except (OSError, http.client.HTTPException):
                self.conn.close()  # a new connection next time (the server may not be up yet)
                raise
        if response.status != 200:
            raise RuntimeError(f"GET {url}: {response.status} {body[:200]!r}")
        return body

    def close(self) -> None:
        self.conn.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sentences", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=20, help="timed runs per query (default 20)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP endpoint")
    args = ap.parse_args(argv)

    from communique.search.query import parse
    from communique.store import Store

    db = build_store(args.sentences, args.jobs)
    store = Store.open(db)
    t = time.perf_counter()
    index = store.search_index()  # built or caught up from SQLite on first use
    if index is None:
        print("tantivy not available: FTS5 only", file=sys.stderr)
    else:
        print(f"search index ready in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    fts_store = Store.open(db)
    fts_store.search_engine = "fts5"
    n_sent = store.conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
    n_docs = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    raw = sqlite3.connect(db)
    raw_sql = (
        "SELECT rowid, rank FROM sentences_fts WHERE sentences_fts MATCH ? ORDER BY rank LIMIT 10"
    )

    server = None
    client = None
    if not args.no_http:
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "communique.cli", "serve", "--db", str(db), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        client = _Client(port)
        for _ in range(300):
            try:
                client.get("/api/v1/health")
                break
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
        else:
            raise SystemExit("communique serve did not come up")

    paths = ["raw"] + ([] if index is None else ["raw-tantivy"])
    paths += ["api", "api-nofacets", "api-fts5", "api-fts5-nofacets"]
    paths += [] if client is None else ["http"]
    limit_of = {p: "raw" for p in paths}
    if index is not None:
        limit_of.update({"raw-tantivy": "raw-tantivy", "api": "raw-tantivy",
                         "api-nofacets": "raw-tantivy", "http": "raw-tantivy"})  # fmt: skip
    samples: dict[tuple[str, str], list[float]] = {}
    hits: dict[str, list[int]] = {}
    try:
        for cls, q, filters in QUERIES:
            parsed = parse(q)
            result = store.search(q, limit=10, **filters)
            hits.setdefault(cls, []).append(result.total)
            oracle = fts_store.search(q, limit=10, **filters)
            assert (result.total, result.mode) == (oracle.total, oracle.mode), q
            # Same ranking up to ties: every hit scores, by FTS5's bm25, at least
            # FTS5's own 10th (the engines break ties differently).
            ids = [h.document_id << 20 | h.sentence_index for h in result.hits]
            fts_scores = dict(
                raw.execute(
                    f"SELECT rowid, -rank FROM sentences_fts WHERE sentences_fts MATCH ?"
                    f" AND rowid IN ({', '.join(map(str, ids))})",
                    (parsed.match(result.mode or "AND"),),
                )
            )
            cut = min(h.score for h in oracle.hits)
            assert all(fts_scores[i] >= cut - 1e-6 for i in ids), q
            mode = result.mode or "AND"
            match = parsed.match(mode)
            assert not cls.endswith("OR") or mode == "OR", (q, mode)
            assert all(h.snippet for h in result.hits)
            params = {"q": q, "limit": 10, **{HTTP_PARAMS[k]: v for k, v in filters.items()}}
            fns: dict[str, Callable[[], Any]] = {
                "raw": lambda m=match: raw.execute(raw_sql, (m,)).fetchall(),
                "api": lambda q=q, f=filters: store.search(q, limit=10, **f),
                "api-nofacets": lambda q=q, f=filters: store.search(q, limit=10, facets=False, **f),
                "api-fts5": lambda q=q, f=filters: fts_store.search(q, limit=10, **f),
                "api-fts5-nofacets": lambda q=q, f=filters: fts_store.search(
                    q, limit=10, facets=False, **f
                ),
            }
            if index is not None:
                from communique.search.filters import Filters

                tq = index.query(parsed.terms, mode, Filters.of_search(**filters))
                fns["raw-tantivy"] = lambda tq=tq: index.searcher().search(tq, 10, count=False)
            if client is not None:
                fns["http"] = lambda p=params: client.get("/api/v1/search", p)
            for path in paths:
                samples.setdefault((cls, path), []).extend(_timed(fns[path], args.runs))
    finally:
        if client is not None:
            client.close()
        if server is not None:
            server.terminate()
            server.wait(timeout=10)

    print(
        f"\nsearch latency, ms: {n_sent:,} sentences in {n_docs:,} documents,"
        f" {args.runs} runs per query, limit 10 with snippets; baseline = raw FTS5"
        f" (MATCH .. ORDER BY rank LIMIT 10); limit = the path's own engine queried directly"
    )
    print(f"python {platform.python_version()}, {os.path.realpath(sys.executable)}")
    header = (
        f"{'class':<12}{'path':<19}{'p50':>8}{'p95':>8}{'p99':>8}{'x raw p50':>11}"
        f"{'x limit':>9}{'matches':>10}"
    )
    print(header)
    print("-" * len(header))
    for cls in dict.fromkeys(c for c, _, _ in QUERIES):
        base = statistics.median(samples[(cls, "raw")])
        for path in paths:
            xs = samples[(cls, path)]
            p50 = _pct(xs, 0.5)
            own = _pct(samples[(cls, limit_of[path])], 0.5)
            print(
                f"{cls:<12}{path:<19}{p50:8.2f}{_pct(xs, 0.95):8.2f}{_pct(xs, 0.99):8.2f}"
                f"{p50 / base if base else float('nan'):10.1f}x"
                f"{p50 / own if own else float('nan'):8.1f}x"
                f"{int(statistics.median(hits[cls])):>10}"
            )
    print("targets (issue 7): api p50 <= 5 ms, p99 <= 25 ms; http adds <= 3 ms at p50")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
