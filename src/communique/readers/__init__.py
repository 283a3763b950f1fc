"""Read: from a file to its decoded text (RawDocument), or a ReadError saying why not.

Supported: plain text (.txt, .md) in any common encoding, HTML (main text),
PDF (text layer) and DOCX. A file that cannot be read is refused with a
one-line reason; nothing half-decoded is ever returned.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from communique.readers.docx import docx_text
from communique.readers.html import decode_html, html_text
from communique.readers.pdf import pdf_text
from communique.readers.text import DecodeFailure, decode_text
from communique.records import RawDocument, ReadError

MAX_FILE_SIZE = 100 * 1024 * 1024  # bytes
# Characters of decoded text. Later stages hold a document's sentences, words
# and values in memory at once: 4.8 million characters of short English
# paragraphs peaked at 640 MB, a 100 MB text file would need gigabytes. Three
# million characters (some 1,500 pages) is far beyond any official document.
MAX_TEXT_CHARS = 3_000_000
# HTML is parsed twice (lexbor, then lxml inside trafilatura) and costs about
# 80 bytes of memory per byte of markup: 5 MB of HTML peaks near 400 MB.
MAX_HTML_SIZE = 5 * 1024 * 1024  # bytes

# suffix -> format
SUPPORTED_SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}


def _read_txt(data: bytes) -> tuple[str, str | None, str | None]:
    text, encoding = decode_text(data)
    return text, encoding, None


def _read_html(data: bytes) -> tuple[str, str | None, str | None]:
    markup, encoding = decode_html(data)
    text, title = html_text(markup)
    return text, encoding, title


def _read_pdf(data: bytes) -> tuple[str, str | None, str | None]:
    text, title = pdf_text(data)
    return text, None, title


def _read_docx(data: bytes) -> tuple[str, str | None, str | None]:
    text, title = docx_text(data)
    return text, None, title


_READERS: dict[str, Callable[[bytes], tuple[str, str | None, str | None]]] = {
    "txt": _read_txt,
    "html": _read_html,
    "pdf": _read_pdf,
    "docx": _read_docx,
}


def read(
    path: str | Path, max_size: int | None = None, max_chars: int | None = None
) -> RawDocument:
    """Read one file. Raises ReadError(path, reason) when it cannot be turned into text.

    ``max_size`` (bytes) and ``max_chars`` (characters of text) default to the
    module's MAX_FILE_SIZE and MAX_TEXT_CHARS at call time.
    """
    if max_size is None:
        max_size = MAX_FILE_SIZE
    if max_chars is None:
        max_chars = MAX_TEXT_CHARS
    p = Path(path)
    shown = str(path)
    suffix = p.suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        raise ReadError(
            shown,
            f"unsupported file type '{suffix}'" if suffix else "unsupported file type (no suffix)",
        )
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise ReadError(shown, "is a directory")
        if size > max_size:
            raise ReadError(shown, f"file too large ({_size(size, max_size)} limit)")
        if fmt == "html" and size > MAX_HTML_SIZE:
            raise ReadError(shown, f"HTML page too large ({_size(size, MAX_HTML_SIZE)} limit)")
        # No text encoding takes more than 4 bytes a character: a text file
        # this big is too long before a byte of it is decoded.
        if fmt == "txt" and (size - 4) // 4 > max_chars:
            raise ReadError(
                shown,
                f"text too long (at least {(size - 4) // 4:,} characters > {max_chars:,} limit)",
            )
        data = p.read_bytes()
    except PermissionError as exc:
        raise ReadError(shown, "permission denied") from exc
    except FileNotFoundError as exc:
        raise ReadError(shown, "file not found") from exc
    except IsADirectoryError as exc:
        raise ReadError(shown, "is a directory") from exc
    except OSError as exc:
        raise ReadError(shown, f"cannot read: {exc.strerror or exc}") from exc
    if not data:
        raise ReadError(shown, "empty file")
    # The bytes are let go before the text is checked, so that a big file is
    # not held twice while the next stages start.
    sha256 = hashlib.sha256(data).hexdigest()
    size = len(data)
    try:
        text, encoding, title = _READERS[fmt](data)
    except DecodeFailure as exc:
        raise ReadError(shown, str(exc)) from exc
    del data
    if len(text) > max_chars:
        raise ReadError(shown, f"text too long ({len(text):,} characters > {max_chars:,} limit)")
    return RawDocument(
        path=shown,
        name=p.name,
        format=fmt,
        text=text,
        sha256=sha256,
        size=size,
        encoding=encoding,
        title_hint=title,
    )


def _mb(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _size(size: int, limit: int) -> str:
    """``"120 MB > 100 MB"``, in bytes when megabytes would show two equal numbers."""
    if _mb(size) == _mb(limit):
        return f"{size:,} bytes > {limit:,} bytes"
    return f"{_mb(size)} MB > {_mb(limit)} MB"


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files to read: ones given directly as they are, folders walked recursively.

    Folders are walked in sorted order, hidden files and folders skipped, and a
    folder reached twice through symbolic links is walked once. Files found in
    folders are limited to supported suffixes; a file named directly is yielded
    whatever it is, so that the caller can report it. So is a symbolic link
    with a supported suffix that leads nowhere (dangling, or a loop): skipping
    it would lose a document without a word.
    """
    seen_dirs: set[str] = set()
    for given in paths:
        p = Path(given)
        if p.is_dir():
            yield from _walk(p, seen_dirs)
        else:
            yield p


def _walk(folder: Path, seen_dirs: set[str]) -> Iterator[Path]:
    try:
        real = os.path.realpath(folder)
    except OSError:
        return
    if real in seen_dirs:
        return
    seen_dirs.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        supported = path.suffix.lower() in SUPPORTED_SUFFIXES
        try:
            if entry.is_symlink() and not path.exists():
                # Dangling or looping (is_dir() itself fails on a loop).
                if supported:
                    yield path
            elif entry.is_dir():
                yield from _walk(path, seen_dirs)
            elif supported and entry.is_file():
                yield path
        except OSError:
            continue


__all__ = [
    "MAX_FILE_SIZE",
    "MAX_HTML_SIZE",
    "MAX_TEXT_CHARS",
    "SUPPORTED_SUFFIXES",
    "iter_files",
    "read",
]
