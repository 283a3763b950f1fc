"""Data-quality warnings about the text itself: impossible dates, and texts that look like
two documents run together (a second title heading deep inside, or two closing place-and-date
lines with different dates). Header-versus-text date disagreement is metadata's concern.
"""

from __future__ import annotations

import re
from typing import Any

from communique.extract.dates import TextDates, find_dates, find_malformed_dates
from communique.records import Mention, SegmentedDocument

# A document-type heading as a paragraph of its own. English and Russian headings are
# written in capitals or as a short title-case line; Chinese ones end with the type.
_HEADING = {
    "en": re.compile(
        r"^(?:#+\s*)?(?:JOINT\s+|FINAL\s+)?(?:COMMUNIQU[EÉ]|DECLARATION|PRESS\s+RELEASE|"
        r"(?:JOINT\s+)?STATEMENT|CHARTER|AGREEMENT|MEMORANDUM|TREATY|PROTOCOL|INFORMATION\s+"
        r"(?:REPORT|MESSAGE))\b"
        r"|^(?:#+\s*)?(?:Joint\s+|Final\s+)?(?:Communiqu[eé]|Declaration|Press\s+Release|Joint\s+"
        r"Statement)\b(?=[^.]{0,160}$)"
    ),
    "ru": re.compile(
        r"^(?:#+\s*)?(?:СОВМЕСТНОЕ\s+КОММЮНИКЕ|КОММЮНИКЕ|ДЕКЛАРАЦИЯ|ЗАЯВЛЕНИЕ|СОВМЕСТНОЕ\s+ЗАЯВЛЕНИЕ|"
        r"ИНФОРМАЦИОННОЕ\s+СООБЩЕНИЕ|ПРЕСС-РЕЛИЗ|ХАРТИЯ|СОГЛАШЕНИЕ|ДОГОВОР|МЕМОРАНДУМ)\b"
        r"|^(?:#+\s*)?(?:Совместное\s+коммюнике|Декларация|Совместное\s+заявление|"
        r"Информационное\s+сообщение|Пресс-релиз)\b(?=[^.]{0,160}$)"
    ),
    "zh": re.compile(
        r"^(?:#+\s*)?[^。，；！？]{0,60}(?:联合公报|新闻公报|公报|宣言|联合声明|声明|宪章|新闻稿)$"
    ),
}
# What may surround the date in a closing line besides the place's name.
_SIGNATURE_REST = {
    "en": re.compile(
        r"^[\s(\[]*(?:[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,3})?[\s,.)\]]*(?:on|,)?\s*$"
    ),
    "ru": re.compile(
        r"^[\s(\[]*(?:г\.\s*)?(?:[А-ЯЁ][\w.\-]*(?:\s+[А-ЯЁ][\w.\-]*){0,3})?[\s,.)\]]*$"
    ),
    "zh": re.compile(r"^[\s（(]*(?:于)?[\u4e00-\u9fff]{0,8}[\s，,。）)]*$"),
}


def quality_warnings(seg: SegmentedDocument, meta: Any, dates: list[Mention]) -> list[str]:
    lang = seg.language if seg.language in _HEADING else "en"
    out = [
        f"malformed date '{m.surface}' at offset {m.start}: {m.reason}"
        for m in find_malformed_dates(seg.text, lang)
    ]
    out.extend(_second_heading(seg, lang))
    out.extend(_signature_lines(seg, lang, getattr(meta, "date", None)))
    return out


def _paragraphs(seg: SegmentedDocument) -> list[tuple[int, int, str]]:
    """(start, end, stripped text) of each paragraph, offsets of the stripped text."""
    out = []
    for p in seg.paragraphs:
        raw = seg.text[p.start : p.end]
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            out.append((p.start + lead, p.start + lead + len(body), body))
    return out


def _second_heading(seg: SegmentedDocument, lang: str) -> list[str]:
    """A document-type heading after body text has begun: the start of another document."""
    heading = _HEADING[lang]
    seen_body = False
    for start, _end, body in _paragraphs(seg):
        if len(body) > 160 or re.search(r"[.。!?！？;；]\s*$", body):
            seen_body = seen_body or len(body) > 40
            continue
        if seen_body and heading.search(body):
            return [f"possibly two documents: a second heading '{body}' at offset {start}"]
    return []


def _signature_lines(seg: SegmentedDocument, lang: str, doc_date: str | None) -> list[str]:
    """Closing "Place, date" lines: two of them with different dates are two documents."""
    rest = _SIGNATURE_REST[lang]
    found: list[tuple[int, str, str]] = []
    doc_dates: TextDates | None = None
    for start, end, body in _paragraphs(seg):
        if len(body) > 80:
            continue
        if doc_dates is None:
            doc_dates = TextDates(seg.text, lang, doc_date)  # the scan dates had
        ds = doc_dates.within(start, end)
        if ds is None:
            ds = find_dates(body, lang, doc_date)
        if len(ds) != 1 or ds[0].precision != "day" or ds[0].relative:
            continue
        d = ds[0]
        if rest.match(body[: d.start] + " " + body[d.end :]):
            found.append((start, body, d.end_value or d.value))
    values = {v for _, _, v in found}
    if len(values) < 2:
        return []
    listed = "; ".join(f"'{b}' ({v}) at offset {s}" for s, b, v in found)
    return [f"possibly two documents: closing lines with different dates: {listed}"]


__all__ = ["quality_warnings"]
