"""Plain text of unknown encoding: BOM, UTF-8, BOM-less UTF-16, then legacy codecs."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# The legacy encodings official documents in en/zh/ru actually come in; limiting
# charset-normalizer to them keeps it from choosing an exotic look-alike.
LEGACY_CANDIDATES = (
    "gb18030",
    "big5",
    "cp1251",
    "koi8_r",
    "cp866",
    "mac_cyrillic",
    "iso8859_5",
    "cp1252",
    "shift_jis",
    "euc_kr",
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never occur in text (tab, newlines, form feed and
# escape-free ones excluded).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Most of a text's "chaos" in charset-normalizer terms is a sign of binary data.
_MAX_CHAOS = 0.2


class DecodeFailure(Exception):
    """Why bytes could not be taken as text (the reader turns it into a ReadError)."""


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data`` to text; returns ``(text, encoding)``.

    Raises DecodeFailure("empty file" / "binary content, not text" / ...).
    """
    if not data:
        raise DecodeFailure("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeFailure(
                    f"invalid {encoding} after its byte order mark: {exc.reason}"
                ) from exc
            return _checked(text), encoding
    # NUL is valid UTF-8 but never text: with NULs, only UTF-16 can be text.
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise DecodeFailure("binary content, not text")
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=list(LEGACY_CANDIDATES)).best()
    if best is None or best.percent_chaos > _MAX_CHAOS * 100:
        if _looks_binary(data):
            raise DecodeFailure("binary content, not text")
        mixed = _mixed_lines(data)
        if mixed is not None:
            return mixed
        raise DecodeFailure("undecodable text: not UTF-8/UTF-16 and no legacy encoding fits")
    return _checked(str(best)), best.encoding


def _mixed_lines(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with damage, or pasted together with lines in one legacy encoding.

    Files cut off in the middle of a character, with a stray byte, or
    concatenated from UTF-8 and cp1251/GB18030 sources fit no single encoding.
    Each line is taken as UTF-8 when it is (or nearly is: a few bytes replaced
    by U+FFFD among real non-ASCII characters), and the other lines together as
    the one legacy encoding that fits them. Only tried when nothing else fits,
    so a legacy file's short lines that happen to be valid UTF-8 never get here.
    """
    lines = data.splitlines(keepends=True)
    parts: list[str | None] = []
    legacy: list[int] = []
    utf8 = damaged = False
    for i, line in enumerate(lines):
        try:
            parts.append(line.decode("utf-8"))
            utf8 = utf8 or not line.isascii()
            continue
        except UnicodeDecodeError:
            pass
        text = line.decode("utf-8", "replace")
        bad = text.count("\ufffd")
        real = sum(1 for c in text if ord(c) > 127) - bad
        if bad * 50 <= len(text) and real >= bad:
            parts.append(text)
            utf8 = damaged = True
        else:
            parts.append(None)
            legacy.append(i)
    if not utf8:
        return None
    label = "utf-8"
    if legacy:
        blob = b"".join(lines[i] for i in legacy)
        best = from_bytes(blob, cp_isolation=list(LEGACY_CANDIDATES)).best()
        if best is None or best.percent_chaos > _MAX_CHAOS * 100:
            return None
        for i in legacy:
            parts[i] = lines[i].decode(best.encoding, "replace")
        label += f"+{best.encoding}"
    if damaged:
        label += " (damaged bytes replaced)"
    try:
        return _checked("".join(p or "" for p in parts)), label
    except DecodeFailure:
        return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 shows as NUL bytes on one side of each pair (the ASCII characters)."""
    if len(data) % 2 or b"\x00" not in data:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    total = even + odd
    if total * 20 < len(data) // 2:
        return None
    if odd >= total * 0.9:
        encoding = "utf-16-le"
    elif even >= total * 0.9:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    try:
        return _checked(text), encoding
    except DecodeFailure:
        return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127)
    return controls * 100 > len(sample)


def _checked(text: str) -> str:
    """Refuse text that is mostly control characters: that is binary data, whatever decoded it."""
    if not text.strip():
        raise DecodeFailure("empty file" if not text else "no text (white space only)")
    sample = text[:8192]
    if len(_CONTROL.findall(sample)) * 100 > len(sample):
        raise DecodeFailure("binary content, not text")
    return text
