"""Hostile and awkward files, made in the tests: PDFs written byte by byte, DOCX
archives built part by part, text in legacy encodings.

Nothing here is read from a corpus: every document is written for the tests,
in the style of the genre (communiqués, declarations, press releases).
"""

from __future__ import annotations

import io
import random
import zipfile

EN = (
    "The Council of Foreign Ministers of the Member States held its regular meeting "
    "on 14 May 2013 in Bishkek. The ministers discussed regional security and "
    "economic cooperation. The Member States will adopt the programme before the end "
    "of 2014."
)
RU = (
    "Совет министров иностранных дел государств-членов провел очередное заседание "
    "14 мая 2013 года в Бишкеке. Министры обсудили региональную безопасность и "
    "экономическое сотрудничество. Государства-члены примут программу до конца 2014 года."
)
ZH = (
    "成员国外交部长理事会于2013年5月14日在比什凯克举行例行会议。"
    "外长们讨论了地区安全和经济合作问题。成员国将在2014年底前通过该纲要。"
)
ZH_HANT = (
    "成員國外交部長理事會於2013年5月14日在比什凱克舉行例行會議。"
    "外長們討論了地區安全和經濟合作問題。成員國將在2014年底前通過該綱要。"
)


def variant(text: str, n: int) -> str:
    """The text with a numbered closing line, so that each file has its own bytes."""
    return f"{text}\n\nDocument {n}.\n"


# ------------------------------------------------------------------------- PDF


def pdf_from_objects(objects: list[bytes], trailer_extra: bytes = b"", root: int = 1) -> bytes:
    """A PDF file from its numbered objects (1-based, object ``root`` the catalog);
    ``trailer_extra`` (entries, each followed by a space) goes into the trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer_extra,
        xref,
    )
    return bytes(out)


def _page_objects(content: bytes, with_font: bool) -> list[bytes]:
    resources = b"<< /Font << /F1 4 0 R >> >>" if with_font else b"<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
        + resources
        + b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return objects


def pdf_with_text(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (ASCII, Helvetica)."""
    ops = [b"BT /F1 11 Tf 72 720 Td 14 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(" + escaped.encode("ascii") + b") Tj T*")
    ops.append(b"ET")
    return pdf_from_objects(_page_objects(b"\n".join(ops), with_font=True))


def pdf_without_text() -> bytes:
    """A scanned-looking page: drawing only, no text layer."""
    drawing = b"0.2 0.2 0.2 rg 72 600 468 120 re f 0 0 1 RG 4 w 72 400 m 540 400 l S"
    return pdf_from_objects(_page_objects(drawing, with_font=False))


def pdf_encrypted() -> bytes:
    """A PDF under the standard security handler with a user password (not given)."""
    rng = random.Random(7)
    owner = rng.randbytes(32).hex().encode()
    user = rng.randbytes(32).hex().encode()
    file_id = rng.randbytes(16).hex().encode()
    # The /Encrypt dictionary is object 6; the trailer carries it and an /ID.
    objects = _page_objects(b"BT /F1 11 Tf 72 720 Td (A secret communique.) Tj ET", True)
    objects.append(
        b"<< /Filter /Standard /V 1 /R 2 /O <" + owner + b"> /U <" + user + b"> /P -44 >>"
    )
    return pdf_from_objects(objects, b"/Encrypt 6 0 R /ID [<" + file_id + b"> <" + file_id + b">] ")


# ------------------------------------------------------------------------ DOCX

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def document_xml(paragraphs: list[str], prolog: str = "") -> str:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        + prolog
        + f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    )


def docx(document: str | bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal DOCX package around ``document`` (the word/document.xml part)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr(
            "word/document.xml",
            document if isinstance(document, bytes) else document.encode("utf-8"),
        )
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def docx_zip_bomb(megabytes: int = 40) -> bytes:
    """A DOCX whose document part inflates from a few kilobytes to ``megabytes``."""
    filler = " " * (megabytes * 1024 * 1024)
    return docx(document_xml(["Bomb."]).replace("</w:body>", filler + "</w:body>"))


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def docx_entity_bomb(encoding: str = "utf-8") -> bytes:
    """The billion laughs: nine levels of entities, each ten of the one below."""
    xml = document_xml(["&lol9;"], prolog=BILLION_LAUGHS)
    if encoding != "utf-8":
        xml = xml.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
    return docx(xml.encode(encoding))
