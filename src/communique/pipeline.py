"""One file through the per-document stages: read -> normalize -> segment -> extract.

Failures come out as :class:`~communique.records.ReadError` (the file cannot be
turned into text) or :class:`ProcessError` (a ``ValueError`` naming the file and
the stage that failed), so a caller can report a one-line reason per file and go
on with the rest of a batch.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

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


def _process_one(path: Path) -> Outcome:
    try:
        return Outcome(path, document=process(path))
    except (ReadError, ValueError, OSError, UnicodeError) as exc:
        return Outcome(path, error=error_reason(exc))
    except Exception as exc:  # a bug in a stage must not end a batch of thousands
        return Outcome(path, error=f"{type(exc).__name__}: {exc}")


def _process_for_pool(path: Path) -> Outcome:
    """Like ``_process_one``, minus the word tokens: they are the bulk of what
    would be pickled back to the parent, and nothing after extraction reads them."""
    outcome = _process_one(path)
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
    if workers <= 0:
        workers = os.cpu_count() or 1
    if workers == 1 or len(files) <= 1:
        for f in files:
            yield _process_one(f)
        return
    # Chunks amortize pickling; each worker loads segmenters and knowledge once.
    chunk = max(1, min(16, len(files) // (workers * 4) or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_process_for_pool, files, chunksize=chunk)


__all__ = [
    "Outcome",
    "ProcessError",
    "error_reason",
    "expand",
    "iter_process",
    "process",
    "process_files",
]
