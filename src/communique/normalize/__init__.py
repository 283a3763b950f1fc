"""Normalize: from a reader's raw text to the stored body text every offset points into.

Unicode NFC, one newline convention, invisible characters removed, whitespace
tidied, a research database's record header split off, the language decided on
the body, and likely mojibake reported (never silently repaired).
"""

from __future__ import annotations

import re
import unicodedata

from communique.normalize.language import detect_language
from communique.normalize.mojibake import mojibake_samples
from communique.records import NormalizedDocument, RawDocument, RecordHeader

# Invisible code points that only get in the way of matching: BOM, zero-width
# space/joiners, word joiner, soft hyphen, bidi marks.
_INVISIBLE = re.compile(
    "[\ufeff\u200b\u200c\u200d\u2060\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e]"
)
# C0/C1 controls other than tab and newline carry no text (PDF layers leave some).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Spaces that look like a space should match like one; U+3000 is kept, it is
# the Chinese paragraph indent and a character of its own.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f]")
# Trailing blanks, stripped line by line: ``[ \t\u3000]+$`` under MULTILINE gave the
# same text but tried every run of spaces in it (0.06 ms a document against 0.01).
_TRAILING = " \t\u3000"
_BLANK_RUN = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """NFC, ``\\n`` newlines, invisible characters removed, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text)
    # Form feed is a page break and the Unicode separators are line/paragraph
    # breaks: all are paragraph-level boundaries in plain text.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\f", "\n\n").replace("\u2029", "\n\n").replace("\u2028", "\n")
    text = text.replace("\v", "\n").replace("\x85", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROLS.sub("", text)
    text = _SPACES.sub(" ", text)
    if "\t" in text:
        text = "\n".join(line.expandtabs(4) for line in text.split("\n"))
    text = "\n".join([line.rstrip(_TRAILING) for line in text.split("\n")])
    if "\n\n\n" in text:  # most texts have none, and the scan for them costs as much as a sub
        text = _BLANK_RUN.sub("\n\n", text)
    return text.strip("\n")


# ----------------------------------------------------------------- record header

# ``[Title] value``: a bracketed field name (any script, short) and its value.
_FIELD = re.compile(r"^[ \t]*[\[【]\s*([^\W\d_][\w .'/-]{0,40}?)\s*[\]】][ \t]*(.*)$")
_TERMINATORS = frozenset(
    {
        "full text",
        "fulltext",
        "text",
        "body",
        "body text",
        "全文",
        "正文",
        "текст",
        "полный текст",
    }
)
_NAMED = {
    "title": "title",
    "place": "place",
    "date": "date",
    "source": "source",
    "notes": "notes",
    "note": "notes",
}
# A header sits at the top: a few banner lines, then fields, then the terminator.
_MAX_BANNER_LINES = 12
_MAX_HEADER_LINES = 80


def parse_record_header(text: str) -> tuple[RecordHeader | None, str]:
    """Split a leading record header (``[Title] ... [Full text]``) from the body.

    Returns ``(header, body)``; ``(None, text)`` when the text does not start with
    such a block. The header ends with its ``[Full text]`` (or ``[Text]``,
    ``[Body]``) line; lines above the first field are the banner; a line under a
    field that is not itself a field continues that field's value.
    """
    lines = text.split("\n")
    banner: list[str] = []
    fields: dict[str, str] = {}
    order: list[str] = []
    current: str | None = None
    consumed = 0
    terminated = False
    for i, line in enumerate(lines[:_MAX_HEADER_LINES]):
        m = _FIELD.match(line)
        if m:
            name = " ".join(m.group(1).split())
            key = name.casefold()
            if key in _TERMINATORS:
                consumed = i + 1
                terminated = True
                break
            current = name
            if name not in fields:
                order.append(name)
                fields[name] = m.group(2).strip()
            else:
                fields[name] = _join(fields[name], m.group(2).strip())
            continue
        if current is None:
            if line.strip():
                banner.append(line.strip())
                if len(banner) > _MAX_BANNER_LINES:
                    return None, text
            continue
        if line.strip():
            fields[current] = _join(fields[current], line.strip())
    if not terminated or not fields:
        return None, text

    header = RecordHeader(
        banner="\n".join(banner) or None,
        fields={name: fields[name] for name in order},
    )
    for name in order:
        attr = _NAMED.get(name.casefold())
        if attr and getattr(header, attr) is None and fields[name]:
            setattr(header, attr, fields[name])
    # The terminator's own line may carry text after the bracket: it is body.
    last = _FIELD.match(lines[consumed - 1])
    rest = last.group(2).strip() if last else ""
    body = "\n".join(lines[consumed:])
    if rest:
        body = rest + "\n" + body
    return header, body


def _join(value: str, more: str) -> str:
    if not more:
        return value
    return f"{value} {more}" if value else more


# --------------------------------------------------------------------- normalize


def normalize(raw: RawDocument) -> NormalizedDocument:
    """The stored body text of one document, with its header, language and warnings."""
    text = clean_text(raw.text)
    header, body = parse_record_header(text)
    if header is not None:
        body = body.strip("\n")
    warnings: list[str] = []
    samples = mojibake_samples(text)
    if samples:
        warnings.append("possible mojibake: " + " | ".join(samples))
    return NormalizedDocument(
        raw=raw,
        text=body,
        language=detect_language(body) if body.strip() else detect_language(text),
        header=header,
        warnings=warnings,
    )


__all__ = [
    "clean_text",
    "detect_language",
    "mojibake_samples",
    "normalize",
    "parse_record_header",
]
