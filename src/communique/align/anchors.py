"""Language-independent evidence per sentence: numbers, months, dates, acronyms, codes.

A sentence and its translation name the same years, days, resolution numbers
and organizations, whatever the language. Every anchor is a plain string in one
shared space ("n:2002", "m:11", "lat:asean", "state:KZ"), so agreement between
two sentences is a set intersection.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_EN_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
_EN_MONTHS_ABBR = {m[:3]: i for m, i in _EN_MONTHS.items() if m != "may"}
_RU_MONTH_STEMS = (
    ("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("ма", 5), ("июн", 6),
    ("июл", 7), ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11), ("декабр", 12),
)  # fmt: skip
_RU_MONTH = re.compile(
    r"\b(январ[ьяе]|феврал[ьяе]|март[аеу]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[аеу]?"
    r"|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])\b",
    re.IGNORECASE,
)
# Both are written to start with a character (a branch of letters, a digit), so
# that ``re`` looks for that character in C before trying the rest: the same
# matches as ``\b(January|...|Jan|...|Sept|...)\b\.?`` and
# ``\d{1,3}(?:[,\u00a0 ]\d{3})+(?!\d)|\d+``, in a third of the time (a look-ahead
# on the first character still made ``re`` stop at every position).
# ``(?<!\w.)`` after a month's capital is the ``\b`` before it. Within each
# letter, the names keep the order of the plain alternation.
_EN_MONTH = re.compile(
    r"(J(?<!\w.)(?:anuary|une|uly|an|un|ul)|F(?<!\w.)(?:ebruary|eb)|M(?<!\w.)(?:arch|ay|ar)"
    r"|A(?<!\w.)(?:pril|ugust|pr|ug)|S(?<!\w.)(?:eptember|ep|ept)|O(?<!\w.)(?:ctober|ct)"
    r"|N(?<!\w.)(?:ovember|ov)|D(?<!\w.)(?:ecember|ec))\b\.?"
)
# Digits grouped with thousands separators ("1,000", "10 000") are one number.
_NUMBER = re.compile(r"\d(?:\d{0,2}(?:[,\u00a0 ]\d{3})+(?!\d)|\d*)")
_ZH_NUMERAL = re.compile(r"([〇零一二三四五六七八九十百千两]+)([年月日号])")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-]+")
# The matches of _LATIN_WORD that start with a capital, found by the regex alone:
# a whole run of letters and hyphens, with its leading hyphens (strip them). It
# starts with a character class, as _EN_MONTH does: what
# ``(?<![A-Za-z\-])-*([A-Z][A-Za-z\-]+)`` captures, in a third of the time.
_LATIN_CAPITALIZED = re.compile(r"[-A-Z](?<![A-Za-z\-].)(?:(?<=[A-Z])|(?<=-)-*[A-Z])[A-Za-z\-]+")

_NON_LATIN = frozenset(
    {"zh", "ja", "ko", "ru", "uk", "be", "bg", "kk", "ky", "tg", "mn", "ar", "fa"}
)

_ZH_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}


def zh_numeral(s: str) -> int | None:
    """Value of a Chinese numeral: positional (二十三 = 23) or digit by digit (二〇〇二 = 2002)."""
    if not any(c in _ZH_UNIT for c in s):
        if not all(c in _ZH_DIGIT for c in s):
            return None
        return int("".join(str(_ZH_DIGIT[c]) for c in s))
    total = cur = 0
    for c in s:
        if c in _ZH_DIGIT:
            cur = _ZH_DIGIT[c]
        elif c in _ZH_UNIT:
            total += (cur or 1) * _ZH_UNIT[c]
            cur = 0
        else:
            return None
    return total + cur


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
# Every character _ZH_NUMERAL needs lies in the CJK block except 〇: a text with
# none of these has no Chinese numeral and skips that scan.
_ZH_NUMERAL_CHAR = re.compile(r"[\u3007\u4e00-\u9fff]")
_NUMBER_SEPARATORS = re.compile(r"[,\u00a0 ]")
_MAY_AFTER = re.compile(r"\s*\d")
_MAY_BEFORE = re.compile(r"\d\s*$")


def _is_cjk_text(text: str) -> bool:
    return _CJK_CHAR.search(text) is not None


def text_anchors(text: str, lang: str) -> set[str]:
    """Numbers, month numbers, and Latin-script acronyms of one sentence."""
    out: set[str] = set()
    add = out.add
    for digits in _NUMBER.findall(text):
        if not digits.isdecimal():
            # Only a grouped number carries separators; \d matches exactly the decimals.
            digits = _NUMBER_SEPARATORS.sub("", digits)
        add("n:" + (digits.lstrip("0") or "0"))
    if _ZH_NUMERAL_CHAR.search(text) is not None:
        for numeral in _ZH_NUMERAL.findall(text):
            v = zh_numeral(numeral[0])
            if v is not None:
                add(f"n:{v}")
    for m in _EN_MONTH.finditer(text):
        w = m.group(1).lower()
        month = _EN_MONTHS.get(w) or _EN_MONTHS_ABBR.get(w[:3])
        # "May" as a modal verb is far more frequent than the month; trust it only beside a number.
        if (
            w == "may"
            and not _MAY_AFTER.match(text, m.end())
            and not _MAY_BEFORE.search(text[: m.start()])
        ):
            continue
        if month:
            add(f"n:{month}")
    if lang == "ru":
        for w in _RU_MONTH.findall(text):
            w = w.lower()
            for stem, month in _RU_MONTH_STEMS:
                if w.startswith(stem) and (stem != "ма" or w in ("май", "мая", "мае")):
                    add(f"n:{month}")
                    break
    if lang in _NON_LATIN or _CJK_CHAR.search(text) is not None:
        # Latin words inside a non-Latin text are names or terms kept untranslated.
        for w in _LATIN_WORD.findall(text):
            add("lat:" + w.lower())
    else:
        # Acronyms and capitalized names are what a non-Latin text may keep in Latin letters.
        for w in _LATIN_CAPITALIZED.findall(text):
            add("lat:" + w.lstrip("-").lower())
    return out


def knowledge_anchors() -> Callable[[str, str], set[str]] | None:
    """Codes of the states and organizations a sentence names, from the knowledge pack.

    None when the knowledge layer is not available (it is data shipped separately).
    """
    try:
        from communique.knowledge import load
    except ImportError:
        return None
    try:
        kb = load()
    except Exception:  # a broken pack must not stop alignment, which works without it
        return None

    def find(text: str, lang: str) -> set[str]:
        try:
            matches = kb.find(text, lang)
        except Exception:
            return set()
        return {f"{m.kind}:{m.code}" for m in matches if getattr(m, "code", None)}

    return find


def date_anchors() -> Callable[[str, str], set[str]] | None:
    """Normalized dates (ISO, to their precision) found by the extraction's date finder."""
    try:
        from communique.extract.dates import find_dates  # type: ignore[attr-defined]
    except ImportError:
        return None

    def find(text: str, lang: str) -> set[str]:
        out: set[str] = set()
        try:
            found = find_dates(text, lang)
        except Exception:
            return out
        for d in found:
            value = getattr(d, "value", d)
            if isinstance(value, str) and value[:4].isdigit():
                out.add("d:" + value)
        return out

    return find
