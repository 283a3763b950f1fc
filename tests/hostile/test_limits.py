"""Big files: refused early with a reason, at bounded memory, without slowing the suite.

The 100 MB cases are real files (sparse where the content does not matter) fed
to a child ``communique ingest`` whose peak resident memory is measured.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from communique import readers
from communique.records import ReadError
from conftest import new_db
from hostile import files as f
from hostile.cli import check_store, command, ingest, peak_rss_mb

MB = 1024 * 1024
RSS_LIMIT_MB = 600
LIMIT = readers.MAX_FILE_SIZE


def _text_file(path: Path, size: int) -> None:
    """``size`` bytes of real UTF-8 text (lines of a communiqué), written fast."""
    chunk = (f.EN + "\n").encode() * 2000
    with path.open("wb") as out:
        left = size
        while left >= len(chunk):
            out.write(chunk)
            left -= len(chunk)
        out.write(b"x" * left)


def test_reader_limits_at_and_over(tmp_path: Path) -> None:
    """At a limit a file is read; one byte or one character over, it is refused."""
    text = f.variant(f.EN, 1)
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    size = path.stat().st_size
    assert readers.read(path, max_size=size).text == text
    with pytest.raises(ReadError, match=r"file too large \(\d[\d,]* bytes > [\d,]* bytes"):
        readers.read(path, max_size=size - 1)
    assert readers.read(path, max_chars=len(text)).text == text
    with pytest.raises(ReadError, match=r"text too long"):
        readers.read(path, max_chars=len(text) - 1)


def test_over_100_mb_refused_without_reading(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    for suffix in (".txt", ".pdf", ".docx", ".html"):
        with (folder / f"over{suffix}").open("wb") as out:
            out.truncate(LIMIT + 1)  # sparse: no disk, no time
    (folder / "small.txt").write_text(f.variant(f.EN, 2), encoding="utf-8")
    rss, rc, _ = peak_rss_mb(command("ingest", folder, "--db", new_db(tmp_path, "s.db"), "--json"))
    assert rc == 1
    assert rss < RSS_LIMIT_MB
    run = ingest([folder], new_db(tmp_path, "s2.db"))
    results = run.by_name()
    assert results["small.txt"]["status"] == "stored"
    for suffix in (".txt", ".pdf", ".docx", ".html"):
        r = results[f"over{suffix}"]
        assert r["status"] == "failed"
        assert r["reason"].startswith("file too large ("), r["reason"]


def test_100_mb_files_at_the_limit_bounded_memory(tmp_path: Path) -> None:
    """Exactly 100 MB: text refused as too long before decoding; a PDF and a DOCX of
    that size are read whole and refused as damaged; memory stays bounded."""
    folder = tmp_path / "limit"
    folder.mkdir()
    _text_file(folder / "text.txt", LIMIT)
    for name in ("zeros.pdf", "zeros.docx"):
        with (folder / name).open("wb") as out:
            out.truncate(LIMIT)
    assert all(p.stat().st_size == LIMIT for p in folder.iterdir())
    (folder / "small.md").write_text(f.variant(f.RU, 3), encoding="utf-8")
    db = new_db(tmp_path, "l.db")
    rss, rc, stdout = peak_rss_mb(command("ingest", folder, "--db", db, "--json"))
    print(f"peak RSS of ingest over 3 x 100 MB files: {rss:.0f} MB")
    assert rc == 1
    assert rss < RSS_LIMIT_MB
    results = {Path(r["path"]).name: r for r in json.loads(stdout)["results"]}
    assert results["small.md"]["status"] == "stored"
    assert results["text.txt"]["reason"].startswith("text too long")
    assert results["zeros.pdf"]["reason"].startswith("damaged PDF")
    assert results["zeros.docx"]["reason"] == "not a DOCX (zip) file"
    assert check_store(db)["documents"] == 1


def test_large_legacy_text_refused_from_its_size_alone(tmp_path: Path) -> None:
    """20 MB of cp1251: more characters than the limit allows, known from the size alone."""
    path = tmp_path / "ru.txt"
    chunk = (f.RU + "\n").encode("cp1251") * 500
    with path.open("wb") as out:
        for _ in range(4 * readers.MAX_TEXT_CHARS // len(chunk) + 2):
            out.write(chunk)
    with pytest.raises(ReadError, match=r"text too long \(at least"):
        readers.read(path)


def test_html_page_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    with path.open("wb") as out:
        out.truncate(readers.MAX_HTML_SIZE + 1)
    with pytest.raises(ReadError, match=r"HTML page too large"):
        readers.read(path)


@pytest.mark.skipif(
    os.environ.get("COMMUNIQUE_LONG") != "1", reason="long: set COMMUNIQUE_LONG=1 (about 15 s)"
)
def test_longest_accepted_document_is_stored_in_bounded_memory(tmp_path: Path) -> None:
    """A document just under the character limit goes through the whole pipeline."""
    path = tmp_path / "long.txt"
    line = (f.EN + "\n").encode()
    with path.open("wb") as out:
        for n in range((readers.MAX_TEXT_CHARS - 1000) // (len(line) + 12)):
            out.write(line[:-1] + f" Para {n}.\n".encode())
    db = new_db(tmp_path, "long.db")
    rss, rc, _ = peak_rss_mb(command("ingest", path, "--db", db, "--json"), timeout=600)
    print(f"peak RSS storing a {path.stat().st_size / MB:.1f} MB text: {rss:.0f} MB")
    assert rc == 0
    assert rss < RSS_LIMIT_MB
    assert check_store(db)["documents"] == 1
