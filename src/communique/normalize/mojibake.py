"""Signs that text was decoded with the wrong codec (reported, never repaired here).

Each pattern is the fingerprint that one wrong decoding leaves: the bytes of a
UTF-8 multi-byte sequence shown as Latin-1/cp1252, cp1251 or KOI8-R letters; a
Cyrillic single-byte codec read as another (case comes out inverted); a legacy
single-byte or GBK text read as Latin-1 (runs of accented letters with no plain
ones); and U+FFFD left by a lossy decode.
"""

from __future__ import annotations

import itertools
import re


def _continuation(codec: str) -> str:
    """The characters a codec shows for UTF-8 continuation bytes 0x80-0xBF."""
    chars = []
    for byte in range(0x80, 0xC0):
        try:
            ch = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            ch = bytes([byte]).decode("latin-1")
        # Invisible ones are removed or turned into spaces by normalization.
        if ch not in "\xa0\xad" and not ("\x80" <= ch <= "\x9f"):
            chars.append(ch)
    return re.escape("".join(chars))


_C1252 = _continuation("cp1252")
_C1251 = _continuation("cp1251")
_CKOI = _continuation("koi8-r")

# Each fingerprint with the characters it cannot match without: a set test on
# the whole text is far cheaper than a regex scan, and most texts have none.
_PATTERNS: tuple[tuple[frozenset[str], re.Pattern[str]], ...] = (
    # UTF-8 read as cp1252/Latin-1: "Ã©", "Ð¾", "â€™", "ä¸Š".
    (
        frozenset("ÂÃÐÑàáâãäåæçèéêëìíîï"),
        re.compile(rf"[ÂÃ][{_C1252}]|[ÐÑ][{_C1252}]|[à-ï][{_C1252}]{{2}}"),
    ),
    # UTF-8 Cyrillic read as cp1251: "РњРѕСЃ".
    (frozenset("РС"), re.compile(rf"(?:[РС][{_C1251}]){{2,}}")),
    # UTF-8 Cyrillic read as KOI8-R: "п°п╬я│".
    (frozenset("пя"), re.compile(rf"(?:[пя][{_CKOI}]){{2,}}")),
    # A legacy single-byte (or GBK) text read as Latin-1: "Ìîñêâà", "ÉÏº£ºÏ".
    (
        frozenset(chr(c) for c in range(0xA1, 0x100)),
        re.compile(r"(?<![A-Za-z])[\u00a1-\u00ff]{4,}(?![A-Za-z])"),
    ),
    (frozenset("\ufffd"), re.compile("\ufffd+")),
)
# cp1251 read as KOI8-R (or back) swaps case: "бНОПНЯ". One such word can be an
# acronym with a prefix; several cannot.
_INVERTED = re.compile(r"(?<![\w])[а-яё][А-ЯЁ]{2,}(?![\w])")
_CYRILLIC_LOWER = frozenset(chr(c) for c in range(0x430, 0x450)) | {"ё"}


def _any_of(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


# The set tests as one-class regexes: a search for a character class runs in C
# without building a set of the text's characters, which costs more than the
# searches themselves on a long non-Latin text.
_TRIGGERS = tuple(_any_of(trigger) for trigger, _ in _PATTERNS)
_HAS_CYRILLIC_LOWER = _any_of(_CYRILLIC_LOWER)
_MAX_SAMPLES = 3
_CONTEXT = 6


def mojibake_samples(text: str) -> list[str]:
    """Up to three short excerpts around likely mojibake, in text order."""
    if text.isascii():
        return []
    hits: list[tuple[int, int]] = []
    for trigger, (_, pattern) in zip(_TRIGGERS, _PATTERNS, strict=True):
        if trigger.search(text) is None:
            continue
        m = pattern.search(text)
        if m:
            hits.append(m.span())
    if _HAS_CYRILLIC_LOWER.search(text) is not None:
        inverted = list(itertools.islice(_INVERTED.finditer(text), 2))
        if len(inverted) == 2:
            hits.append(inverted[0].span())
    hits.sort()
    merged: list[tuple[int, int]] = []
    for start, end in hits:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    samples: list[str] = []
    for start, end in merged[:_MAX_SAMPLES]:
        sample = text[max(0, start - _CONTEXT) : end + _CONTEXT]
        samples.append(" ".join(sample.split()))
    return samples
