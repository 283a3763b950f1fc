from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import docx
import pytest

import communique.readers as readers
import communique.readers.docx as docx_reader
from communique.readers import SUPPORTED_SUFFIXES, iter_files, read
from communique.records import ReadError
from hostile.files import pdf_from_objects

RU = (
    "Совет министров иностранных дел государств - членов Шанхайской организации "
    "сотрудничества провёл очередное заседание в Душанбе 31 июля 2014 года.\n\n"
    "Министры обменялись мнениями по актуальным международным и региональным проблемам и "
    "подтвердили приверженность укреплению мира, безопасности и стабильности в регионе."
)
ZH = (
    "上海合作组织成员国外交部长理事会例行会议于2014年7月31日在杜尚别举行。\n\n"
    "各方就当前国际和地区形势交换了意见，重申愿进一步加强在安全、经济和人文领域的合作，"
    "共同维护地区和平与稳定。"
)
ZH_TRADITIONAL = (
    "上海合作組織成員國外交部長理事會例行會議在杜尚別舉行。各方就當前國際和地區形勢交換了意見，"
    "重申願進一步加強在安全、經濟和人文領域的合作，共同維護地區和平與穩定。"
)
EN = (
    "The Council of Ministers of Foreign Affairs of the member states met in Dushanbe on "
    "July 31, 2014. The ministers exchanged views on the international situation."
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _reason(path: Path) -> str:
    with pytest.raises(ReadError) as info:
        read(path)
    assert info.value.path == str(path)
    assert "\n" not in info.value.reason
    return info.value.reason


# ----------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (RU, "cp1251"),
        (RU, "koi8_r"),
        (ZH, "gb18030"),
        (ZH, "gbk"),
        (ZH_TRADITIONAL, "big5"),
        (RU, "utf-16-le"),
        (RU, "utf-16-be"),
        (EN, "utf-16-le"),
        (EN, "utf-8"),
        (ZH, "utf-8"),
    ],
)
def test_text_encodings_round_trip(tmp_path: Path, text: str, encoding: str) -> None:
    data = text.encode(encoding)
    path = _write(tmp_path, "doc.txt", data)
    doc = read(path)
    assert doc.text == text
    assert doc.format == "txt"
    assert doc.name == "doc.txt"
    assert doc.size == len(data)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.encoding is not None


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
    ],
)
def test_byte_order_marks(tmp_path: Path, bom: bytes, encoding: str) -> None:
    text = ZH + "\n\n" + RU
    path = _write(tmp_path, "doc.md", bom + text.encode(encoding))
    doc = read(path)
    assert doc.text == text
    assert doc.encoding == encoding


def test_empty_binary_and_undecodable_text(tmp_path: Path) -> None:
    assert _reason(_write(tmp_path, "empty.txt", b"")) == "empty file"
    rng = bytes((i * 7919 + 13) % 256 for i in range(4096))
    assert _reason(_write(tmp_path, "random.txt", rng)) == "binary content, not text"
    assert _reason(_write(tmp_path, "random2.txt", os.urandom(5000))) == "binary content, not text"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(200)
    assert _reason(_write(tmp_path, "image.txt", png)) == "binary content, not text"
    # High bytes with no control characters and no codec that makes sense of them.
    noise = bytes(0x80 + (i * 37) % 128 for i in range(3000))
    noisy = b" ".join(noise[i : i + 7] for i in range(0, len(noise), 7))
    assert _reason(_write(tmp_path, "noise.txt", noisy)).startswith("undecodable text: ")


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "no text" in _reason(_write(tmp_path, "blank.txt", b" \n\n\t \n"))


# ----------------------------------------------------------------------- errors


def test_unsupported_too_large_missing_and_permission(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _reason(_write(tmp_path, "data.xyz", b"abc")) == "unsupported file type '.xyz'"
    assert _reason(_write(tmp_path, "README", b"abc")) == "unsupported file type (no suffix)"
    big = _write(tmp_path, "big.txt", b"a" * 3_000_000)
    monkeypatch.setattr(readers, "MAX_FILE_SIZE", 1024 * 1024)
    assert _reason(big) == "file too large (2.9 MB > 1.0 MB limit)"
    monkeypatch.undo()
    assert read(big).size == 3_000_000
    assert _reason(tmp_path / "missing.txt") == "file not found"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert _reason(folder) == "is a directory"

    locked = _write(tmp_path, "locked.txt", b"text")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert _reason(locked) == "permission denied"


def test_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}


# ----------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title> Joint  Communique </title>
<script>var secret = "SCRIPT_SECRET";</script><style>.x {{ color: red }}</style></head>
<body>
<nav><a href="/">Home</a> <a href="/news">News archive</a></nav>
<header>Ministry portal</header>
<main><article>
<h1>{title}</h1>
<p>{p1}</p>
<p>{p2} <b>{bold}</b></p>
</article></main>
<footer>Copyright 2014 Ministry. All rights reserved.</footer>
<script>document.write("SCRIPT_TWO")</script>
</body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "gb18030"])
def test_html_main_text(tmp_path: Path, charset: str) -> None:
    page = PAGE.format(
        charset=charset,
        title="联合公报",
        p1="上海合作组织成员国外交部长理事会例行会议于2014年7月31日在杜尚别举行。",
        p2="各方就当前国际和地区形势交换了意见。",
        bold="重申愿进一步加强合作。",
    )
    path = _write(tmp_path, "page.html", page.encode(charset))
    doc = read(path)
    assert doc.format == "html"
    assert doc.title_hint == "Joint Communique"
    assert doc.text.split("\n\n") == [
        "联合公报",
        "上海合作组织成员国外交部长理事会例行会议于2014年7月31日在杜尚别举行。",
        "各方就当前国际和地区形势交换了意见。 重申愿进一步加强合作。",
    ]
    for boilerplate in ("SCRIPT", "Home", "News archive", "Copyright", "Ministry portal"):
        assert boilerplate not in doc.text


def test_html_declared_legacy_charsets(tmp_path: Path) -> None:
    ru_page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "<title>Коммюнике</title></head><body><p>" + RU.split("\n\n")[0] + "</p></body></html>"
    )
    doc = read(_write(tmp_path, "ru.html", ru_page.encode("cp1251")))
    assert doc.text == RU.split("\n\n")[0]
    assert doc.title_hint == "Коммюнике"
    # Declared GB2312, but 镕 exists only in its GBK/GB18030 supersets.
    zh_page = (
        '<html><head><meta charset="gb2312"></head><body><p>国务院总理朱镕基会见了各国外长。</p>'
        "</body></html>"
    )
    doc = read(_write(tmp_path, "zh.html", zh_page.encode("gb18030")))
    assert doc.text == "国务院总理朱镕基会见了各国外长。"
    assert doc.encoding == "gb18030"


def test_html_table_cells_and_script_only_page(tmp_path: Path) -> None:
    page = (
        "<html><body><p>The following ministers signed the statement.</p>"
        "<table><tr><th>State</th><th>Minister</th></tr>"
        "<tr><td>Russian Federation</td><td>S. Lavrov</td></tr></table></body></html>"
    )
    doc = read(_write(tmp_path, "t.htm", page.encode()))
    blocks = doc.text.split("\n\n")
    assert blocks[0] == "The following ministers signed the statement."
    assert {"State", "Minister", "Russian Federation", "S. Lavrov"} <= set(blocks)
    assert "|" not in doc.text
    empty = "<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>"
    assert _reason(_write(tmp_path, "e.html", empty.encode())) == "no text in HTML page"


def test_html_fallback_keeps_blocks_and_drops_scripts() -> None:
    from selectolax.lexbor import LexborHTMLParser

    from communique.readers.html import fallback_text

    tree = LexborHTMLParser(
        "<html><body><div><p>Joint <b>statement</b><br>of the ministers.</p>"
        "<ul><li>First point.</li></ul></div><p>Bare text</p></body></html>"
    )
    assert fallback_text(tree) == "Joint statement of the ministers.\n\nFirst point.\n\nBare text"
    bare = LexborHTMLParser("<html><body>Statement of the ministers.<br>Second line</body></html>")
    assert fallback_text(bare) == "Statement of the ministers.\n\nSecond line"


def _make_pdf(
    pages: list[list[str]],
    *,
    unicode: bool = False,
    encrypt: bool = False,
    title: str | None = None,
) -> bytes:
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    pages_id = add(b"")
    chars = sorted({c for page in pages for line in page for c in line})
    cid = {c: i + 1 for i, c in enumerate(chars)}
    if unicode:
        cmap_lines = [f"<{cid[c]:04X}> <{ord(c):04X}>" for c in chars]
        cmap = (
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(cmap_lines)} beginbfchar\n" + "\n".join(cmap_lines) + "\nendbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end\n"
        ).encode()
        tounicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
        descriptor = add(
            b"<< /Type /FontDescriptor /FontName /TestCID /Flags 4 /FontBBox [0 -200 1000 900] "
            b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>"
        )
        descendant = add(
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestCID "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            b"/FontDescriptor %d 0 R /DW 1000 >>" % descriptor
        )
        font = add(
            b"<< /Type /Font /Subtype /Type0 /BaseFont /TestCID /Encoding /Identity-H "
            b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (descendant, tounicode)
        )
    else:
        font = add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
        )
    page_ids = []
    for page in pages:
        ops = ["BT /F1 12 Tf 14 TL 50 780 Td"]
        for line in page:
            if unicode:
                ops.append("<" + "".join(f"{cid[c]:04X}" for c in line) + "> Tj T*")
            else:
                esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                ops.append(f"({esc}) Tj T*")
        ops.append("ET")
        content = "\n".join(ops).encode("cp1252" if not unicode else "ascii")
        content_id = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, font, content_id)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    info = add(b"<< /Title (%s) >>" % title.encode("latin-1")) if title else None
    encrypt_id = None
    if encrypt:
        encrypt_id = add(
            b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"ab" * 32, b"cd" * 32)
        )
    trailer = b""
    if info:
        trailer += b"/Info %d 0 R " % info
    if encrypt_id:
        trailer += b"/Encrypt %d 0 R /ID [<%s> <%s>] " % (encrypt_id, b"01" * 16, b"01" * 16)
    return pdf_from_objects(objects, trailer, root=catalog)


def test_pdf_text_layer(tmp_path: Path) -> None:
    data = _make_pdf(
        [["JOINT COMMUNIQUE", "The ministers met in Moscow (Russia)."], ["Second page text."]],
        title="Joint Communique",
    )
    doc = read(_write(tmp_path, "doc.pdf", data))
    assert doc.format == "pdf"
    assert doc.title_hint == "Joint Communique"
    assert doc.text == (
        "JOINT COMMUNIQUE\nThe ministers met in Moscow (Russia).\n\nSecond page text."
    )


def test_pdf_unicode_text(tmp_path: Path) -> None:
    ru_line = "Совет министров провёл заседание в Душанбе."
    zh_line = "上海合作组织外长会议在杜尚别举行。"
    doc = read(_write(tmp_path, "u.pdf", _make_pdf([[ru_line], [zh_line]], unicode=True)))
    assert doc.text == ru_line + "\n\n" + zh_line


def test_pdf_failures(tmp_path: Path) -> None:
    good = _make_pdf([["Some text on the page."]])
    assert _reason(_write(tmp_path, "e.pdf", _make_pdf([["x"]], encrypt=True))) == "encrypted PDF"
    assert _reason(_write(tmp_path, "t.pdf", good[: len(good) // 2])).startswith("damaged PDF: ")
    assert _reason(_write(tmp_path, "g.pdf", b"%PDF-1.4\n" + bytes(range(256)))).startswith(
        "damaged PDF: "
    )
    assert _reason(_write(tmp_path, "s.pdf", _make_pdf([[], []]))) == (
        "no text layer; OCR not supported"
    )


# ----------------------------------------------------------------------- DOCX


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Совместное коммюнике"
    document.add_paragraph("СОВМЕСТНОЕ КОММЮНИКЕ")
    document.add_paragraph("Министры иностранных дел провели заседание в Душанбе.")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Государство"
    table.cell(0, 1).text = "Министр"
    table.cell(1, 0).text = "中华人民共和国"
    table.cell(1, 1).text = "王毅"
    document.add_paragraph("Заседание прошло в дружественной атмосфере.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    doc = read(_write(tmp_path, "d.docx", _docx_bytes()))
    assert doc.format == "docx"
    assert doc.title_hint == "Совместное коммюнике"
    assert doc.text.split("\n\n") == [
        "СОВМЕСТНОЕ КОММЮНИКЕ",
        "Министры иностранных дел провели заседание в Душанбе.",
        "Государство",
        "Министр",
        "中华人民共和国",
        "王毅",
        "Заседание прошло в дружественной атмосфере.",
    ]


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, body in replace.items():
            if name not in src.namelist():
                dst.writestr(name, body)
    return out.getvalue()


def test_docx_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _reason(_write(tmp_path, "n.docx", b"plain text, not a zip")) == (
        "not a DOCX (zip) file"
    )
    good = _docx_bytes()
    document_xml = zipfile.ZipFile(io.BytesIO(good)).read("word/document.xml")
    evil = document_xml.replace(
        b"?>",
        b'?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
        1,
    )
    entity = _rezip(good, {"word/document.xml": evil})
    assert _reason(_write(tmp_path, "x.docx", entity)) == "XML entity declarations not allowed"
    bomb = _rezip(good, {"word/media/padding.xml": b" " * 5_000_000})
    assert _reason(_write(tmp_path, "b.docx", bomb)).startswith("zip bomb: compression ratio")
    monkeypatch.setattr(docx_reader, "MAX_UNCOMPRESSED", 1000)
    assert _reason(_write(tmp_path, "big.docx", good)).startswith("zip bomb: ")
    monkeypatch.undo()
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("notes.txt", "hello")
    assert "not a DOCX" in _reason(_write(tmp_path, "z.docx", plain_zip.getvalue()))


# ------------------------------------------------------------------- iter_files


def test_iter_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    for rel in [
        "b/2.txt",
        "b/1.PDF",
        "a/z.docx",
        "a/notes.xyz",
        ".hidden/x.txt",
        "a/.secret.txt",
        "c.html",
    ]:
        (tmp_path / rel).write_bytes(b"x")
    (tmp_path / "b" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "a" / "again").symlink_to(tmp_path / "b", target_is_directory=True)
    stray = tmp_path / "stray.xyz"
    stray.write_bytes(b"x")
    found = list(iter_files([tmp_path, stray, tmp_path / "missing.txt"]))
    rel = [
        p.relative_to(tmp_path).as_posix() if p.is_relative_to(tmp_path) else str(p) for p in found
    ]
    assert rel == [
        "a/again/1.PDF",
        "a/again/2.txt",
        "a/z.docx",
        "c.html",
        "stray.xyz",
        "missing.txt",
    ]
