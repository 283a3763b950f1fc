"""Extraction throughput on the seeds and a generated corpus, and dates against dateparser.

Run: PYTHONPATH=src .venv/bin/python bench/extract.py [--min-seconds 2] [--docs 1000]
     [--corpus DIR] [--no-seeds] [--no-dateparser]

Generated corpus (bench/corpus.py, seed 7, ``--docs`` documents of ~10 KB, made
once under /tmp/communique-bench/, or the folder ``--corpus``): documents per
CPU-second for segmenting and for extraction, and CPU milliseconds per document
of each extraction component as ``extract()`` runs them (``timings``), overall
and by language. Every document is a new text there, as in an ingest.

Seeds: documents per second for the extract stage alone (reading, normalizing
and segmenting are done once, outside the timing), per component for dates,
commitments, instruments and quality warnings, then a table comparing our
``find_dates`` with ``dateparser.search_dates(text, languages=[lang])`` on the same
body texts: throughput, the ratio, and F1 of each against the gold ``dates`` sets.
dateparser returns datetimes, so each of its results is cut to the precision its
matched text states (a day number, a month name, or only a year). The seeds are
run many times over: the per-text caches of extraction are emptied before each
pass (``clear_caches``), so no pass reuses an earlier pass's scans.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from communique.extract import COMPONENTS, clear_caches, extract
from communique.extract.commitments import find_commitments
from communique.extract.dates import date_mentions, find_dates
from communique.extract.instruments import find_instruments
from communique.extract.quality import quality_warnings
from communique.knowledge import load
from communique.normalize import normalize
from communique.readers import read
from communique.records import NormalizedDocument, SegmentedDocument
from communique.segment import segment

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent / ".." / "shared"
CACHE = Path(os.environ.get("COMMUNIQUE_BENCH_DIR", "/tmp/communique-bench"))

_MONTH_WORD = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"|(?:январ|феврал|март|апрел|ма[йяею]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*"
)


def timed(fn: Callable[[], Any], min_seconds: float) -> tuple[int, float]:
    """(passes, seconds): repeat ``fn`` until at least ``min_seconds`` have gone by."""
    fn()  # warm caches (compiled rules, knowledge automata)
    n = 0
    t0 = time.perf_counter()
    while True:
        clear_caches()  # each pass scans its texts as new documents would
        fn()
        n += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds:
            return n, elapsed


def f1(pred: list[set[str]], gold: list[set[str]]) -> tuple[float, float, float]:
    tp = sum(len(p & g) for p, g in zip(pred, gold, strict=True))
    np_ = sum(len(p) for p in pred)
    ng = sum(len(g) for g in gold)
    p = tp / np_ if np_ else 1.0
    r = tp / ng if ng else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def dateparser_values(text: str, lang: str, ref: str | None) -> set[str]:
    from dateparser.search import search_dates

    settings: dict[str, Any] = {}
    if ref:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(ref[:10])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(text, languages=[lang], settings=settings) or []
    out: set[str] = set()
    for surface, dt in found:
        out.add(_cut(surface, dt, lang))
    return out


def _cut(surface: str, dt: datetime, lang: str) -> str:
    """The ISO value of a dateparser result at the precision its own text states."""
    if lang == "zh":
        if re.search(r"[日号]", surface):
            return dt.strftime("%Y-%m-%d")
        if "月" in surface:
            return dt.strftime("%Y-%m")
        return dt.strftime("%Y")
    has_month = _MONTH_WORD.search(surface) is not None or re.search(
        r"\d{1,2}[./]\d{1,2}[./]\d{2,4}", surface
    )
    without_years = re.sub(r"\d{4}", "", surface)
    if has_month and re.search(r"\d", without_years):
        return dt.strftime("%Y-%m-%d")
    if has_month:
        return dt.strftime("%Y-%m")
    return dt.strftime("%Y")


def _corpus_module() -> Any:
    spec = importlib.util.spec_from_file_location("bench_corpus", HERE / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_corpus", module)
    spec.loader.exec_module(module)
    return sys.modules["bench_corpus"]


def generated(docs: int, folder: Path | None) -> list[Path]:
    """The files of the generated corpus (made once, like bench/ingest.py's)."""
    if folder is None:
        folder = CACHE / f"corpus-{docs}-seed7"
        corpus = _corpus_module()
        if not (folder / corpus.MANIFEST).exists():
            corpus.generate(folder, docs, seed=7, jobs=os.cpu_count() or 1)
    return sorted(folder.rglob("*.txt"))[:docs]


def bench_generated(paths: list[Path]) -> None:
    """Segmenting and extraction over every document once, with per-component CPU time."""
    from communique.pipeline import warm_up

    warm_up()
    kb = load()
    clear_caches(kb)
    normalized: list[NormalizedDocument] = [normalize(read(p)) for p in paths]
    chars = sum(len(d.text) for d in normalized)
    t0 = time.process_time()
    segmented = [segment(d) for d in normalized]
    seg_cpu = time.process_time() - t0
    timings: dict[str, dict[str, float]] = {}
    counts: dict[str, int] = {}
    total = 0.0
    for s in segmented:
        lang = s.language if s.language in ("en", "zh", "ru") else "other"
        per = timings.setdefault(lang, {})
        counts[lang] = counts.get(lang, 0) + 1
        t = time.process_time()
        extract(s, kb, timings=per)
        total += time.process_time() - t
    n = len(segmented)
    print(
        f"generated corpus: {n} documents, {chars / n / 1000:.1f} K characters of body text each\n"
    )
    print(f"{'stage':<14} {'docs/cpu-s':>11} {'ms/doc':>8}")
    print(f"{'segment':<14} {n / seg_cpu:>11.1f} {seg_cpu / n * 1000:>8.2f}")
    print(f"{'extract':<14} {n / total:>11.1f} {total / n * 1000:>8.2f}")
    print(f"{'both':<14} {n / (total + seg_cpu):>11.1f} {(total + seg_cpu) / n * 1000:>8.2f}\n")
    langs = sorted(counts)
    head = "".join(f"{lg + f' ({counts[lg]})':>12}" for lg in langs)
    print(f"extraction, CPU ms per document\n{'component':<14}{'all':>9}{'share':>7}{head}")
    overall = {c: sum(timings[lg].get(c, 0.0) for lg in langs) for c in COMPONENTS}
    for c in COMPONENTS:
        row = "".join(f"{timings[lg].get(c, 0.0) / counts[lg] * 1000:>12.2f}" for lg in langs)
        print(f"{c:<14}{overall[c] / n * 1000:>9.2f}{overall[c] / total:>7.1%}{row}")
    row = "".join(f"{sum(timings[lg].values()) / counts[lg] * 1000:>12.2f}" for lg in langs)
    print(f"{'total':<14}{total / n * 1000:>9.2f}{1:>7.0%}{row}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-seconds", type=float, default=2.0)
    ap.add_argument("--docs", type=int, default=1000, help="generated documents (0: none)")
    ap.add_argument("--corpus", type=Path, help="a folder of generated documents to use")
    ap.add_argument("--no-seeds", action="store_true", help="only the generated corpus")
    ap.add_argument("--no-dateparser", action="store_true", help="skip the dateparser table")
    args = ap.parse_args()
    if args.docs:
        bench_generated(generated(args.docs, args.corpus))
    if args.no_seeds:
        return
    seeds = sorted((SHARED / "corpus" / "seeds").glob("*.txt"))
    if not seeds:
        raise SystemExit(f"no seeds under {SHARED}")
    kb = load()
    docs: list[tuple[SegmentedDocument, dict[str, Any]]] = []
    for p in seeds:
        gold = json.loads((SHARED / "gold" / p.name.replace(".txt", ".json")).read_text())
        docs.append((segment(normalize(read(p))), gold))
    chars = sum(len(s.text) for s, _ in docs)
    n_docs = len(docs)
    print(
        f"{n_docs} seed documents, {chars} characters of body text, >= {args.min_seconds} s each\n"
    )

    def run_extract() -> None:
        for s, _ in docs:
            extract(s, kb)

    def run_dates() -> None:
        for s, g in docs:
            find_dates(s.text, s.language, g["date"])

    def run_commitments() -> None:
        for s, g in docs:
            find_commitments(s, kb, g["date"], g["organization"])

    def run_instruments() -> None:
        for s, g in docs:
            find_instruments(s, kb, g["date"])

    def run_quality() -> None:
        meta = type("Meta", (), {"date": None, "title": None})()
        for s, _ in docs:
            quality_warnings(s, meta, [])

    def run_dateparser() -> None:
        for s, g in docs:
            dateparser_values(s.text, s.language, g["date"])

    rows = []
    for name, fn in [
        ("extract() (whole stage)", run_extract),
        ("dates (find_dates)", run_dates),
        ("commitments", run_commitments),
        ("instruments", run_instruments),
        ("quality warnings", run_quality),
    ]:
        n, secs = timed(fn, args.min_seconds)
        rows.append((name, n * n_docs / secs, n * chars / secs / 1000))
    print(f"{'component':<26} {'docs/s':>10} {'KB/s':>10}")
    for name, dps, kbs in rows:
        print(f"{name:<26} {dps:>10.1f} {kbs:>10.1f}")
    if args.no_dateparser:
        return

    gold_sets = [set(g["dates"]) for _, g in docs]
    ours = [{m.value for m in date_mentions(s, g["date"])} for s, g in docs]
    theirs = [dateparser_values(s.text, s.language, g["date"]) for s, g in docs]
    n_ours, s_ours = timed(run_dates, args.min_seconds)
    n_dp, s_dp = timed(run_dateparser, args.min_seconds)
    ours_dps = n_ours * n_docs / s_ours
    dp_dps = n_dp * n_docs / s_dp
    po, ro, fo = f1(ours, gold_sets)
    pd, rd, fd = f1(theirs, gold_sets)
    print("\ndates on the seeds (gold: shared/gold/*.json 'dates')")
    print(f"{'tool':<34} {'docs/s':>9} {'KB/s':>9} {'P':>6} {'R':>6} {'F1':>6}")
    print(
        f"{'communique find_dates':<34} {ours_dps:>9.1f} {ours_dps * chars / n_docs / 1000:>9.1f} {po:>6.3f} {ro:>6.3f} {fo:>6.3f}"
    )
    print(
        f"{'dateparser 1.5.0 search_dates':<34} {dp_dps:>9.1f} {dp_dps * chars / n_docs / 1000:>9.1f} {pd:>6.3f} {rd:>6.3f} {fd:>6.3f}"
    )
    print(f"\nspeed ratio find_dates / dateparser: {ours_dps / dp_dps:.1f}x")


if __name__ == "__main__":
    main()
