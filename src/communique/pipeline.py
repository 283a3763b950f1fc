"""One file through the per-document stages: read -> normalize -> segment -> extract.

Failures come out as :class:`~communique.records.ReadError` (the file cannot be
turned into text) or :class:`ProcessError` (a ``ValueError`` naming the file and
the stage that failed), so a caller can report a one-line reason per file and go
on with the rest of a batch.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from communique.records import ProcessedDocument, ReadError


class ProcessError(ValueError):
    """A file that was read but could not be processed; carries the path and a reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[ProcessError], tuple[str, str]]:
        # The default pickling replays ``args`` (one formatted string), which
        # does not fit this signature; worker processes must send it back.
        return (type(self), (self.path, self.reason))


def process(path: str | Path) -> ProcessedDocument:
    """Read, normalize, segment and extract one file."""
    # Imported here so that importing the pipeline (the CLI does at start-up)
    # does not load segmenters and the knowledge pack before they are needed.
    from communique.extract import extract
    from communique.normalize import normalize
    from communique.readers import read
    from communique.segment import segment

    name = str(path)
    raw = read(path)
    stage = "normalize"
    try:
        doc = normalize(raw)
        if not doc.text.strip():
            raise ProcessError(name, "no text after normalization")
        stage = "segment"
        seg = segment(doc)
        if not seg.sentences:
            raise ProcessError(name, "no sentences found")
        stage = "extract"
        extraction = extract(seg)
    except (ProcessError, ReadError):
        raise
    except Exception as exc:
        raise ProcessError(name, f"{stage} failed: {type(exc).__name__}: {exc}") from exc
    return ProcessedDocument(segmented=seg, extraction=extraction)


def error_reason(exc: BaseException) -> str:
    """The one-line reason to report for a failed file."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str) and reason:
        return reason
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass(slots=True)
class Outcome:
    """What processing one file gave: a document, or the reason it failed."""

    path: Path
    document: ProcessedDocument | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None


def process_one(path: Path) -> Outcome:
    """Process one file; a failure comes back as an outcome with its reason, never raised."""
    try:
        return Outcome(path, document=process(path))
    except (ReadError, ValueError, OSError, UnicodeError) as exc:
        return Outcome(path, error=error_reason(exc))
    except Exception as exc:  # a bug in a stage must not end a batch of thousands
        return Outcome(path, error=f"{type(exc).__name__}: {exc}")


def _process_for_pool(path: Path) -> Outcome:
    """Like ``process_one``, minus the word tokens: they are the bulk of what
    would be pickled back to the parent, and nothing after extraction reads them."""
    outcome = process_one(path)
    if outcome.document is not None:
        outcome.document.segmented.tokens = []
    return outcome


def iter_process(paths: Iterable[str | Path], workers: int = 1) -> Iterator[Outcome]:
    """Process files in order, in this process (``workers == 1``) or in a pool.

    Files are expanded with :func:`communique.readers.iter_files` (folders are
    walked). Results come back in input order; a failed file is an
    :class:`Outcome` with ``error`` set, never an exception.
    """
    files, failed = expand(paths)
    yield from failed
    yield from process_files(files, workers)


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[Outcome]]:
    """The files under ``paths`` (folders walked), and an outcome for each path that
    could not be listed, so that one bad argument does not stop the others."""
    from communique.readers import iter_files

    files: list[Path] = []
    failed: list[Outcome] = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            failed.append(Outcome(path, error="no such file or directory"))
            continue
        try:
            files.extend(iter_files([path]))
        except (ReadError, OSError, ValueError) as exc:
            failed.append(Outcome(path, error=error_reason(exc)))
    return files, failed


def process_files(files: list[Path], workers: int = 1) -> Iterator[Outcome]:
    """Like :func:`iter_process` for an already expanded list of files."""
    with LocalEngine(workers) as engine:
        if engine.workers == 1 or len(files) <= 1:
            for f in files:
                yield process_one(f)
            return
        yield from engine.map(_process_chunk_for_pool, files, chunk_size(len(files), engine))


def _process_chunk_for_pool(files: list[Path]) -> list[Outcome]:
    return [_process_for_pool(f) for f in files]


T = TypeVar("T")
R = TypeVar("R")


class Engine(Protocol):
    """Where per-file work runs: ``map`` applies a function to chunks of items and
    yields the results in input order, so a single writer can consume them as they
    come and a store fills in the same order as a serial run."""

    workers: int

    def map(
        self, fn: Callable[[list[T]], list[R]], items: Sequence[T], chunk: int
    ) -> Iterator[R]: ...

    def __enter__(self) -> Engine: ...

    def __exit__(self, *exc: object) -> None: ...


def chunk_size(n: int, engine: Engine, most: int = 16) -> int:
    """Items per task: large enough to amortize pickling and task overhead, small
    enough that every worker gets several tasks (and the last ones end together)."""
    return max(1, min(most, n // (engine.workers * 4) or 1))


# One short text per language of the pack: processing them loads what every
# later document needs (knowledge automata, jieba, pymorphy3, rule tables).
_WARM_TEXTS = (
    ("en", "JOINT COMMUNIQUE\n\nThe Council of Foreign Ministers met in Moscow on 5 May 2020."),
    ("zh", "联合公报\n\n外交部长理事会会议于2020年5月5日在莫斯科举行。"),
    ("ru", "СОВМЕСТНОЕ КОММЮНИКЕ\n\n5 мая 2020 года в Москве состоялось заседание Совета."),
)


def warm_up() -> None:
    """Load everything processing needs, so that a worker's first document is not
    charged with it (a pool initializer; run on every Dask worker)."""
    from communique.extract import extract
    from communique.normalize import normalize
    from communique.records import RawDocument
    from communique.segment import segment

    for lang, text in _WARM_TEXTS:
        raw = RawDocument(f"warm-up.{lang}.txt", f"warm-up.{lang}.txt", "txt", text, "", len(text))
        extract(segment(normalize(raw)))


# One document allocates tens of thousands of short-lived containers (regex matches,
# tuples, records), nearly all freed by reference counting. At the default threshold
# (700) the cyclic collector ran 1,100 times over a 1,000-document serial ingest, its
# older generations walking the loaded knowledge pack and dictionaries: 1.22 s of
# 18.75 (gc.callbacks). At 50,000: 0.06 s, peak RSS unchanged (see bench/README.md).
BATCH_GC_THRESHOLD = 50_000


def tune_collector() -> None:
    """Raise the collector's first threshold, in a process that does nothing but a batch
    (the ingest command, its worker processes, a local Dask cluster's workers). The
    library calls it only in processes it starts itself: a caller's own process keeps
    its setting unless the caller asks for this."""
    _, *older = gc.get_threshold()
    gc.set_threshold(BATCH_GC_THRESHOLD, *older)


def init_worker() -> None:
    """A worker process of a batch: everything loaded, the collector tuned."""
    warm_up()
    tune_collector()


# Tasks in flight per worker process (see LocalEngine.map), and in all: the one
# writer takes ~2.5 ms a document and a worker ~8.5, so past 4 workers the writer
# sets the pace and a longer window would only hold more results in memory (64
# tasks of 16 documents: ~64 MB pickled).
_TASKS_PER_WORKER = 16
_MOST_TASKS = 64


def _apply_packed(fn: Callable[[list[T]], list[R]], chunk: list[T]) -> bytes:
    # A chunk's results cross to the parent and wait there as one pickled string,
    # unpacked only when the writer takes them: a document's rows are about 62 KB
    # pickled and 210 KB as Python objects, and hundreds of documents wait.
    return pickle.dumps(fn(chunk), protocol=pickle.HIGHEST_PROTOCOL)


class LocalEngine:
    """``workers`` processes on this machine (1: this process, no pool)."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def map(self, fn: Callable[[list[T]], list[R]], items: Sequence[T], chunk: int) -> Iterator[R]:
        chunks = [list(items[i : i + chunk]) for i in range(0, len(items), max(1, chunk))]
        if self.workers == 1 or len(chunks) <= 1:
            for c in chunks:
                yield from fn(c)
            return
        if self._pool is None:
            # Each worker loads segmenters and the knowledge pack once, for all tasks.
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=init_worker)
        # A bounded window of tasks in flight: enough to keep every worker busy
        # while the parent writes, few enough that results never pile up in memory.
        # The parent stops taking results while it commits a batch and, every few
        # seconds, brings the search index up; with 4 tasks a worker the workers
        # ran dry during those and were busy 86% of a 12,000-document ingest on 2
        # of them, with 16 93% (151 -> 163 documents/s).
        window: deque[Future[bytes]] = deque()
        todo = iter(chunks)
        for c in todo:
            window.append(self._pool.submit(_apply_packed, fn, c))
            if len(window) >= min(self.workers * _TASKS_PER_WORKER, _MOST_TASKS):
                break
        while window:
            done: list[R] = pickle.loads(window.popleft().result())
            nxt = next(todo, None)
            if nxt is not None:
                window.append(self._pool.submit(_apply_packed, fn, nxt))
            yield from done


__all__ = [
    "Engine",
    "LocalEngine",
    "Outcome",
    "ProcessError",
    "chunk_size",
    "error_reason",
    "expand",
    "init_worker",
    "iter_process",
    "process",
    "process_files",
    "process_one",
    "tune_collector",
    "warm_up",
]
