"""PDF: the text layer (pypdfium2), pages joined by blank lines. No OCR."""

from __future__ import annotations

import pypdfium2 as pdfium

from communique.readers.text import DecodeFailure

# PDFium's load error codes (FPDF_ERR_*).
_ERR_PASSWORD = 4
_ERR_SECURITY = 5


def pdf_text(data: bytes) -> tuple[str, str | None]:
    """Text of every page and the document's Title metadata."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (_ERR_PASSWORD, _ERR_SECURITY):
            raise DecodeFailure("encrypted PDF") from exc
        raise DecodeFailure(f"damaged PDF: {_reason(exc)}") from exc
    try:
        pages: list[str] = []
        for index in range(len(doc)):
            try:
                page = doc[index]
                textpage = page.get_textpage()
                pages.append(textpage.get_text_range())
                textpage.close()
                page.close()
            except pdfium.PdfiumError as exc:
                raise DecodeFailure(f"damaged PDF: page {index + 1}: {_reason(exc)}") from exc
        title = _title(doc)
    finally:
        doc.close()
    # PDFium ends lines with CRLF and marks a line-end hyphen with U+0002/U+FFFE.
    texts = [p.replace("\r\n", "\n").replace("\ufffe", "-").replace("\x02", "-") for p in pages]
    text = "\n\n".join(t.strip() for t in texts if t.strip())
    if not text:
        raise DecodeFailure("no text layer; OCR not supported")
    return text, title


def _title(doc: pdfium.PdfDocument) -> str | None:
    try:
        title = doc.get_metadata_value("Title")
    except (pdfium.PdfiumError, KeyError, AttributeError):
        return None
    title = " ".join(str(title or "").split())
    return title or None


def _reason(exc: Exception) -> str:
    message = str(exc)
    # "Failed to load document (PDFium: Data format error)." -> "data format error"
    if "PDFium:" in message:
        message = message.split("PDFium:", 1)[1].strip(" ).")
    return message.strip().rstrip(".").lower() or "unreadable"
