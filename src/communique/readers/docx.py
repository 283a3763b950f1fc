"""DOCX: paragraphs and table cells (python-docx), after the zip has been checked."""

from __future__ import annotations

import io
import re
import zipfile

from communique.readers.text import DecodeFailure

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all parts together
# The XML parts are parsed into trees (about 5 bytes of memory per byte); media
# parts are only carried, so they get the larger limit above.
MAX_XML = 64 * 1024 * 1024  # bytes, XML parts together
MAX_RATIO = 100  # uncompressed / compressed, over the whole archive
# A DTD in an OOXML part is never legitimate; it is how entity expansion attacks start.
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def check_zip(data: bytes) -> None:
    """Refuse archives that are not zips, zip bombs and parts declaring XML entities."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DecodeFailure("not a DOCX (zip) file") from exc
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        packed = sum(info.compress_size for info in infos)
        if total > MAX_UNCOMPRESSED:
            raise DecodeFailure(
                f"zip bomb: {total // (1024 * 1024)} MB uncompressed > {MAX_UNCOMPRESSED // (1024 * 1024)} MB"
            )
        if packed and total / packed > MAX_RATIO:
            raise DecodeFailure(f"zip bomb: compression ratio {total / packed:.0f} > {MAX_RATIO}")
        xml = sum(
            info.file_size for info in infos if info.filename.lower().endswith((".xml", ".rels"))
        )
        if xml > MAX_XML:
            raise DecodeFailure(
                f"DOCX too large: {xml // (1024 * 1024)} MB of XML > {MAX_XML // (1024 * 1024)} MB"
            )
        if "[Content_Types].xml" not in archive.namelist():
            raise DecodeFailure("not a DOCX file: no [Content_Types].xml")
        for info in infos:
            name = info.filename.lower()
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            try:
                with archive.open(info) as part:
                    head = part.read(MAX_UNCOMPRESSED)
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
                raise DecodeFailure(f"damaged DOCX: {info.filename}: {exc}") from exc
            if _DTD.search(head):
                raise DecodeFailure("XML entity declarations not allowed")


def docx_text(data: bytes) -> tuple[str, str | None]:
    """Body paragraphs and table cells in document order, and the core Title."""
    check_zip(data)
    import docx
    from docx.document import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document: Document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DecodeFailure(f"damaged DOCX: {exc}") from exc
    except Exception as exc:  # lxml and python-docx raise many kinds on broken parts
        raise DecodeFailure(f"damaged DOCX: {type(exc).__name__}: {exc}") from exc

    blocks: list[str] = []

    def add_table(table: Table) -> None:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                # A merged cell appears once per grid column it spans.
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                for item in cell.iter_inner_content():
                    if isinstance(item, Paragraph):
                        add_paragraph(item)
                    else:
                        add_table(item)

    def add_paragraph(paragraph: Paragraph) -> None:
        text = paragraph.text.strip()
        if text:
            blocks.append(text)

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            add_paragraph(item)
        elif isinstance(item, Table):
            add_table(item)
    text = "\n\n".join(blocks)
    if not text.strip():
        raise DecodeFailure("no text in DOCX")
    title = " ".join((document.core_properties.title or "").split()) or None
    return text, title
