"""Calendar references in English, Chinese and Russian text, normalized to ISO at their precision.

Rules, not a statistical parser: official documents write dates in a handful of
fixed shapes, and the hard part is what is *not* a date (resolution numbers,
counts, ordinals). Month names come from CLDR (babel) and, for the Russian cases
CLDR does not carry (``в июне``), from pymorphy3's inflection of the CLDR
nominative. Relative references (``this year``, ``去年``, ``в прошлом году``, a bare
month used as an event adjective) are resolved against the reference date and
dropped when there is none.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import repeat
from typing import Any, TypeVar

from communique.knowledge import TextCache
from communique.records import Mention, SegmentedDocument

YEAR_MIN = 1900
YEAR_MAX = 2100


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    surface: str
    value: str  # ISO to its precision: "2002-11-23", "2002-06", "2003"
    precision: str  # "day" | "month" | "year"
    end_value: str | None = None  # last day/month/year of a range
    relative: bool = False  # resolved against the reference date
    kind: str = "date"  # "date" | "range" | "deadline"


@dataclass(frozen=True, slots=True)
class Malformed:
    """Something written as a date that no calendar has (``June 31, 2003``, ``202年6月22日``)."""

    start: int
    end: int
    surface: str
    reason: str


# ------------------------------------------------------------------ helpers


class _Invalid(Exception):
    """A date-shaped span whose fields are impossible."""


def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if not YEAR_MIN <= y <= YEAR_MAX:
        raise _Invalid(f"year {y} out of range")
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        raise _Invalid(f"month {m} out of range")
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        raise _Invalid(f"day {d} does not exist in {y:04d}-{m:02d}")
    return f"{y:04d}-{m:02d}-{d:02d}"


def _precision(value: str) -> str:
    return {4: "year", 7: "month"}.get(len(value), "day")


@lru_cache(maxsize=256)
def parse_ref(ref: str | None) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of an ISO reference date of any precision, or None."""
    if not ref:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", ref)
    if not m:
        return None
    return (
        int(m.group(1)),
        int(m.group(2)) if m.group(2) else None,
        int(m.group(3)) if m.group(3) else None,
    )


def last_day(value: str) -> str:
    """The latest ISO day an ISO value of any precision allows."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return f"{parts[0]:04d}-12-31"
    if len(parts) == 2:
        y, m = parts
        return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"
    return value


def first_day(value: str) -> str:
    parts = [int(p) for p in value.split("-")]
    y, m, d = [*parts, 1, 1][:3]
    return f"{y:04d}-{m:02d}-{d:02d}"


def day_before(iso_day: str) -> str:
    return (date.fromisoformat(iso_day) - timedelta(days=1)).isoformat()


# Seasons end with their last month; winter spans the new year.
SEASON_END = {"spring": (0, 5), "summer": (0, 8), "autumn": (0, 11), "winter": (1, 2)}


def season_end(year: int, season: str) -> str:
    dy, m = SEASON_END[season]
    return last_day(f"{year + dy:04d}-{m:02d}")


_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_ZH_DIGIT = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _zh_int(s: str) -> int:
    """Arabic (ASCII or full-width) or Chinese numerals: 2002, ２００２, 二〇〇二, 十一, 二十三."""
    s = s.translate(_FULLWIDTH)
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, units = s.partition("十")
        return (_ZH_DIGIT[tens] if tens else 1) * 10 + (_ZH_DIGIT[units] if units else 0)
    n = 0
    for ch in s:
        n = n * 10 + _ZH_DIGIT[ch]
    return n


# ------------------------------------------------------------- month tables


def _case_variants(words: list[str]) -> list[str]:
    """lower, Capitalized and UPPER forms: anchors are case-sensitive because that is fast."""
    return [v for w in words for v in (w.lower(), w.capitalize(), w.upper())]


def _alt(words: list[str]) -> str:
    """A regex alternation, longest first so that ``June`` is not read as ``Jun``."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _en_months() -> tuple[dict[str, int], dict[str, int]]:
    from babel.dates import get_month_names

    wide = {str(v).lower(): k for k, v in get_month_names("wide", locale="en").items()}
    abbr = {str(v).lower(): k for k, v in get_month_names("abbreviated", locale="en").items()}
    abbr["sept"] = 9
    return wide, abbr


@lru_cache(maxsize=1)
def _ru_months() -> tuple[dict[str, int], dict[str, int]]:
    """(genitive -> month, every other case form -> month)."""
    from babel.dates import get_month_names

    gen = {str(v).lower(): k for k, v in get_month_names("wide", locale="ru").items()}
    other: dict[str, int] = {}
    nom = {k: str(v).lower() for k, v in get_month_names("wide", "stand-alone", "ru").items()}
    for k, v in nom.items():
        other[v] = k
    try:
        # The analyzer segmenting loads anyway: a second one costs a tenth of a second.
        morph = ru_morph()
        for k, v in nom.items():
            parsed = morph.parse(v)[0]
            for case in ("datv", "accs", "ablt", "loct"):
                form = parsed.inflect({case})
                if form is not None:
                    other[form.word.replace("ё", "е")] = k
                    other[form.word] = k
    except ImportError:  # pragma: no cover - pymorphy3 is a declared dependency
        pass
    for k, v in get_month_names("abbreviated", locale="ru").items():
        other.setdefault(str(v).lower(), k)
    for form in list(gen):
        other.pop(form, None)
    return gen, other


# --------------------------------------------------------------- rules


# A candidate before overlap resolution: a valid DateMatch or a Malformed span.
_Cand = DateMatch | Malformed
_H = TypeVar("_H", bound=Callable[..., Any])
_Handler = Callable[[re.Match[str], tuple[int, int | None, int | None] | None], "_Cand | None"]

# Handlers that read the match alone, never the reference date: what they make of a
# match is the same for every reference, so a text read again with another
# reference (the document's date, then none for malformed spans) reuses it.
_REF_FREE: set[Callable[..., Any]] = set()


def _ref_free(handler: _H) -> _H:
    _REF_FREE.add(handler)
    return handler


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    handler: _Handler
    group: int = 0  # which group's span is the date's span
    # Rules with an anchor run only in small windows around the anchor's hits (a month
    # name, "year"): one cheap scan instead of a scan per rule is what makes this fast.
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class _RuleSet:
    rules: tuple[_Rule, ...]
    anchors: dict[str, re.Pattern[str] | Folded]
    # What every match of a rule without an anchor contains (a digit, 年): a text with
    # neither that nor an anchor hit holds no candidate, and most sentences are such.
    need: re.Pattern[str] = re.compile(r"\d")


def _mk(
    m: re.Match[str],
    value: str,
    *,
    end_value: str | None = None,
    relative: bool = False,
    group: int | str = 0,
) -> DateMatch:
    s, e = m.span(group)
    return DateMatch(
        start=s,
        end=e,
        surface=m.string[s:e],
        value=value,
        precision=_precision(value),
        end_value=end_value,
        relative=relative,
        kind="range" if end_value is not None else "date",
    )


def _guard(build: Callable[[], DateMatch | None], m: re.Match[str]) -> _Cand | None:
    try:
        return build()
    except _Invalid as exc:
        return Malformed(m.start(), m.end(), m.group(0), str(exc))


def _recent_month(ref: tuple[int, int | None, int | None], month: int, mode: str) -> str:
    """A bare month name: the most recent such month not after the reference (``the October
    terrorist act`` in a November 2002 text is October 2002); ``next`` looks forward."""
    y, rm, _ = ref
    rm = rm or 12
    if mode == "next":
        return _iso(y if month > rm else y + 1, month)
    if mode == "last":
        return _iso(y if month < rm else y - 1, month)
    if mode == "this":
        return _iso(y, month)
    return _iso(y if month <= rm else y - 1, month)


# Words that make the following number an identifier, not a year.
_DESIGNATOR_EN = re.compile(
    r"(?:\b(?:resolutions?|res|no|nos|number|numbers|nr|article|articles|art|paragraph|paragraphs"
    r"|para|paras|page|pages|pp?|section|chapter|annex|document|documents|doc|decision|decisions"
    r"|decree|decrees|law|order|item|items|rule|rules|code|flight|protocol|circular|report|a/res"
    r"|s/res|tel|phone|fax)\.?|[№#§]|\bs/|\ba/)\s*$",
    re.IGNORECASE,
)
_DESIGNATOR_RU = re.compile(
    r"(?:\b(?:резолюци\w*|постановлени\w*|решени\w*|указ\w*|закон\w*|стать\w*|ст|пункт\w*|п|пп"
    r"|номер\w*|раздел\w*|глав\w*|приложени\w*|документ\w*|рейс\w*|тел|факс)\.?|[№#§])\s*$",
    re.IGNORECASE,
)
_LIST_TAIL = re.compile(r"(?:[\d/()]+\s*(?:,|;|and|&|или|и|и/или)\s*)+$", re.IGNORECASE)
_COUNT_EN = re.compile(
    r"\s*(?:%|percent|per cent|people|persons|person|men|women|children|troops|soldiers|"
    r"servicemen|officers|members|participants|delegates|students|experts|refugees|km|kilometers|"
    r"kilometres|miles|meters|metres|m\b|kg|tons|tonnes|t\b|hectares|ha\b|units|copies|pieces|"
    r"projects|million|billion|thousand|hundred|dollars|usd|euros?|yuan|rubles|roubles|times|"
    r"hours|minutes|seconds|days|weeks|months|vehicles|aircraft|tanks|items|words|pages|cases|"
    r"sq|square|cubic|mw|kw|gw|bbl|barrels|dead|killed|injured|wounded|victims|casualties)\b",
    re.IGNORECASE,
)
_COUNT_RU = re.compile(
    r"\s*(?:%|процент\w*|человек\w*|чел\b|тонн\w*|км\b|километр\w*|метр\w*|га\b|гектар\w*|"
    r"единиц\w*|экземпляр\w*|млн|млрд|тыс|миллион\w*|миллиард\w*|тысяч\w*|доллар\w*|евро|"
    r"юан\w*|рубл\w*|раз\b|час\w*|минут\w*|дн\w*|недел\w*|месяц\w*|военнослужащ\w*|"
    r"участник\w*|делегат\w*|студент\w*|эксперт\w*|беженц\w*|погибш\w*|раненых|жертв\w*)",
    re.IGNORECASE,
)
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th|-th|-й|-го|-м|-я|-е|-летие|-ти)\b", re.IGNORECASE)


_AMOUNT_BEFORE = re.compile(r"(?:[$€£¥₽]|\b(?:USD|EUR|RMB|CNY|RUB|US\$|rubles?|yuan|dollars?))\s*$")
_RANGE_BEFORE = re.compile(r"\d\s*[-–—]\s*$")
_NUMBER_GOES_ON = re.compile(r"[.,]\d|\s*[-–—]\s*\d")


def _ends_with(pattern: re.Pattern[str], text: str) -> bool:
    """``pattern.search(text)`` for a pattern of one token without whitespace, then ``\\s*$``.

    Such a match lies inside the text's last run of non-space characters, so the
    search starts there (``pos`` keeps ``\\b`` seeing the character before): the
    same answer without trying the token at each of the 80 positions before it.
    """
    words = text.split()
    if not words:
        return False
    return pattern.search(text, len(text.rstrip()) - len(words[-1])) is not None


def _is_identifier(text: str, start: int, end: int, lang: str) -> bool:
    """True when a four-digit number is a resolution/article number, a count or an ordinal."""
    before = text[max(0, start - 80) : start]
    if before.endswith(("/", ".", ",")) and not before.endswith(", "):
        return True
    if _ends_with(_AMOUNT_BEFORE, before):
        return True  # an amount
    if _RANGE_BEFORE.search(before):
        return True  # the tail of a numeric range that was not a year range
    before = _LIST_TAIL.sub("", before)
    designator = _DESIGNATOR_RU if lang == "ru" else _DESIGNATOR_EN
    if _ends_with(designator, before):
        return True
    after = text[end : end + 24]
    if _ORDINAL_AFTER.match(after):
        return True
    if _NUMBER_GOES_ON.match(after):
        return True
    count = _COUNT_RU if lang == "ru" else _COUNT_EN
    return bool(count.match(after))


# ------------------------------------------------------------------ English


_EN_SEASONS = {"spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn"}
_EN_SEASONS["winter"] = "winter"
_DASH = r"\s*(?:-|–|—|to|through|and)\s*"
_ORD = r"(?:st|nd|rd|th)?"


@lru_cache(maxsize=1)
def _en_rules() -> _RuleSet:
    wide, abbr = _en_months()
    months = {**abbr, **wide}
    mon = rf"(?:{_alt(list(wide))}|(?:{_alt(list(abbr))})\.?)"
    mon_wide = rf"(?:{_alt([w.capitalize() for w in wide])})"

    def mnum(s: str) -> int:
        return months[s.rstrip(".").lower()]

    rules: list[_Rule] = []

    def add(
        pattern: str,
        handler: _Handler,
        flags: int = re.IGNORECASE,
        group: int = 0,
        anchor: str | None = None,
    ) -> None:
        rules.append(_Rule(re.compile(pattern, flags), handler, group, anchor))

    # July 30-31, 2014 / July 30 - August 2, 2014
    mdy_range = _range_handler(mnum)

    add(
        rf"\b(?P<m1>{mon})\s+(?P<d1>\d{{1,2}}){_ORD}{_DASH}(?:(?P<m2>{mon})\s+)?(?P<d2>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b",
        mdy_range,
        anchor="month@0",
    )

    # 30-31 July 2014 / 30 July - 2 August 2014
    dmy_range = _range_handler(mnum)

    add(
        rf"\b(?P<d1>\d{{1,2}}){_ORD}(?:\s+(?P<m1>{mon}))?{_DASH}(?P<d2>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m2>{mon}),?\s+(?P<y>\d{{4}})\b",
        dmy_range,
        anchor="month@24",
    )

    # November 23, 2002
    @_ref_free
    def mdy(m: re.Match[str], ref: object) -> _Cand | None:
        return _guard(lambda: _mk(m, _iso(int(m["y"]), mnum(m["m"]), int(m["d"]))), m)

    add(rf"\b(?P<m>{mon})\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b", mdy, anchor="month@0")
    # 23 November 2002 / 23rd of November, 2002
    add(
        rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{mon}),?\s+(?P<y>\d{{4}})\b",
        mdy,
        anchor="month@24",
    )

    # June 2002 / June of 2002
    @_ref_free
    def my(m: re.Match[str], ref: object) -> _Cand | None:
        return _guard(lambda: _mk(m, _iso(int(m["y"]), mnum(m["m"]))), m)

    add(rf"\b(?P<m>{mon})(?:\s+of)?,?\s+(?P<y>\d{{4}})\b", my, anchor="month@0")

    # October of this year / October last year
    def m_rel(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        dy = {"this": 0, "current": 0, "last": -1, "previous": -1, "next": 1, "following": 1}
        y = ref[0] + dy[m["w"].lower()]
        return _guard(lambda: _mk(m, _iso(y, mnum(m["m"])), relative=True), m)

    add(
        rf"\b(?P<m>{mon_wide})(?:\s+of)?\s+(?:the\s+)?(?P<w>this|current|last|previous|next|following)\s+year\b",
        m_rel,
        flags=0,
        anchor="month@0",
    )

    # June 15 / 15 June, no year: the reference year
    def md(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        return _guard(lambda: _mk(m, _iso(ref[0], mnum(m["m"]), int(m["d"])), relative=True), m)

    add(
        rf"\b(?P<m>{mon_wide})\s+(?P<d>\d{{1,2}}){_ORD}\b(?!\s*[,.]?\s*\d)",
        md,
        flags=0,
        anchor="month@0",
    )
    add(
        rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{mon_wide})\b(?!\s*,?\s*\d)",
        md,
        flags=0,
        anchor="month@24",
    )

    # A bare month: "in October", "the October terrorist act", "last March"
    def bare(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        pre = m["pre"].lower()
        month = m.group(2)
        if month == "May" and pre not in {"in", "since", "during", "until", "last", "next"}:
            return None  # the modal verb
        mode = pre if pre in {"last", "next", "this"} else "recent"
        return _guard(
            lambda: _mk(m, _recent_month(ref, mnum(month), mode), relative=True, group=2), m
        )

    add(
        rf"\b(?P<pre>[Ii]n|[Ss]ince|[Dd]uring|[Uu]ntil|[Tt]ill|[Ff]rom|[Ll]ast|[Tt]his|[Nn]ext|[Ee]arly|[Ll]ate|mid-|[Tt]he|[Bb]y)[\s]*(?<=\s|-)({mon_wide})\b(?!\s*,?\s*\d)",
        bare,
        flags=0,
        group=2,
        anchor="month@12",
    )

    # the autumn of this year / this autumn
    def season_rel(
        m: re.Match[str], ref: tuple[int, int | None, int | None] | None
    ) -> _Cand | None:
        if ref is None:
            return None
        dy = {"this": 0, "current": 0, "last": -1, "previous": -1, "next": 1, "following": 1}
        return _guard(lambda: _mk(m, _iso(ref[0] + dy[m["w"].lower()]), relative=True), m)

    add(
        r"\b(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+of\s+(?:the\s+)?(?P<w>this|current|last|previous|next|following)\s+year\b",
        season_rel,
        anchor="year@40",
    )
    add(
        r"\b(?P<w>this|last|next)\s+(?:spring|summer|autumn|fall|winter)\b",
        season_rel,
        anchor="season@8",
    )

    # this year / last year's / next year (not "over the last year": a period)
    def year_rel(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        w = m["w"].lower()
        if w in {"last", "past"} and m["the"] and not m["pos"]:
            return None
        if w == "past":
            return None
        dy = {"this": 0, "current": 0, "last": -1, "next": 1, "coming": 1}
        return _guard(lambda: _mk(m, _iso(ref[0] + dy[w]), relative=True), m)

    add(
        r"\b(?P<the>the\s+)?(?P<w>this|current|last|past|next|coming)\s+year(?P<pos>'s|’s)?\b(?!\s*-)",
        year_rel,
        anchor="year@20",
    )

    # "within the current month", "by the end of this month": the reference month
    def month_rel(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None or ref[1] is None:
            return None
        return _guard(lambda: _mk(m, _iso(ref[0], ref[1]), relative=True, group="p"), m)

    add(
        r"\b(?:within|during|in\s+the\s+course\s+of|(?:by|before|until|to)\s+the\s+end\s+of)\s+"
        r"(?P<p>(?:this|the\s+(?:current|present))\s+month)\b",
        month_rel,
        anchor="monthword@40",
    )

    # "within the year": the year of the text, which no other year names in the phrase
    def within_year(
        m: re.Match[str], ref: tuple[int, int | None, int | None] | None
    ) -> _Cand | None:
        if ref is None:
            return None
        return _guard(lambda: _mk(m, _iso(ref[0]), relative=True, group="p"), m)

    add(
        r"\b(?:within|during|in\s+the\s+course\s+of|(?:by|before)\s+the\s+end\s+of)\s+"
        r"(?P<p>the\s+(?:present\s+)?year)\b(?!\s*(?:-|\d|of\b|when\b|in\s+which\b))",
        within_year,
        anchor="year@40",
    )

    _add_years(add, "en")
    anchors = {
        # Literal alternatives only: ``re`` then skips to the positions that can
        # start one, where a leading class makes it try every position.
        "monthword": re.compile(r"Month|month|MONTH"),
        # Capitalized and UPPER only: English month names are proper nouns, and a
        # lowercase alternation is ten times slower to scan for.
        "month": re.compile(_alt([v for w in [*wide, *abbr] for v in (w.capitalize(), w.upper())])),
        "year": re.compile(r"Year|year|YEAR"),
        "season": re.compile(_alt(_case_variants(list(_EN_SEASONS)))),
    }
    return _RuleSet(tuple(rules), anchors)


def _left_ok(m: re.Match[str], banned: str) -> bool:
    """The character before the match is not one of ``banned`` (or a word character).

    Checked here rather than with a leading look-behind, which would stop ``re`` from
    skipping ahead to the next digit."""
    s = m.start()
    return s == 0 or not (m.string[s - 1].isalnum() or m.string[s - 1] in banned)


def _range_handler(mnum: Callable[[str], int]) -> _Handler:
    """A day range with one year, in any language: the month written once serves both
    ends ("July 30-31, 2014", "30-31 July 2014", "30-31 июля 2014 года")."""

    @_ref_free
    def handle(m: re.Match[str], ref: object) -> _Cand | None:
        def build() -> DateMatch:
            y = int(m["y"])
            m1 = mnum(m["m1"] or m["m2"])
            m2 = mnum(m["m2"] or m["m1"])
            v1, v2 = _iso(y, m1, int(m["d1"])), _iso(y, m2, int(m["d2"]))
            if v2 <= v1:
                raise _Invalid("range ends before it starts")
            return _mk(m, v1, end_value=v2)

        return _guard(build, m)

    return handle


def _add_numeric(add: Callable[..., None]) -> None:
    @_ref_free
    def dmy(m: re.Match[str], ref: object) -> _Cand | None:
        if not _left_ok(m, ".-/"):
            return None
        return _guard(lambda: _mk(m, _iso(int(m["y"]), int(m["m"]), int(m["d"]))), m)

    # \d\d? for \d{1,2}: a pattern that opens with a character class lets re seek it in C
    add(r"(?P<d>\d\d?)\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?![\d.]\d)", dmy)


def _add_years(add: Callable[..., None], lang: str) -> None:
    """Four-digit years, year ranges and ISO days, unless the number is an identifier or a
    count. One pattern for all three: every one of them starts with four digits."""

    @_ref_free
    def year(m: re.Match[str], ref: object) -> _Cand | None:
        if m["nd"]:  # 15.06.2001
            if not _left_ok(m, ".-/"):
                return None
            return _guard(lambda: _mk(m, _iso(int(m["ny"]), int(m["nm"]), int(m["nd"]))), m)
        if not _left_ok(m, "./_"):
            return None
        y1 = int(m["y"])
        if m["im"]:
            if m.start() > 0 and m.string[m.start() - 1] == "-":
                return None
            return _guard(lambda: _mk(m, _iso(y1, int(m["im"]), int(m["id"]))), m)
        if not YEAR_MIN <= y1 <= YEAR_MAX:
            return None
        if (
            m.start() > 0
            and m.string[m.start() - 1] == "-"
            and re.search(r"\d\s*-$", m.string[max(0, m.start() - 8) : m.start()])
        ):
            return None
        if m["y2"]:
            y2s = m["y2"]
            y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
            if YEAR_MIN <= y1 < y2 <= YEAR_MAX and y2 - y1 <= 100:
                if _is_identifier(m.string, m.start(), m.start(), lang):
                    return None
                return _mk(m, _iso(y1), end_value=_iso(y2))
            if len(y2s) == 4:
                return None  # "1441-1442": a range of numbers, not of years
        if not m["suffix"] and _is_identifier(m.string, m.start("y"), m.end("y"), lang):
            return None
        return _mk(m, _iso(y1), group="y" if not m["suffix"] else 0)

    if lang == "ru":
        suffix = (
            r"(?P<suffix>\s*(?:годами|годах|годов|годам|годы|году|года|годом|годе|год"
            r"|гг\.|г\.|гг(?!\w)|г(?!\w)))?"
        )
    else:
        suffix = r"(?P<suffix>(?!))?"
    # The look-ahead: both alternatives start with a digit, and with it ``re`` rejects
    # every other position before entering the alternation (0.26 -> 0.13 ms an
    # English document; this is the one rule of the language that reads the whole text).
    add(
        r"(?=\d)(?:(?P<nd>\d{1,2})\.(?P<nm>\d{1,2})\.(?P<ny>\d{4})(?![\d.]\d)|"
        r"(?P<y>\d{4})(?:-(?P<im>\d{2})-(?P<id>\d{2})(?![\d-])"
        r"|\s*[-–—]\s*(?P<y2>\d{4}|\d{2})(?![\w%]|[.,]\d))?"
        rf"(?![\w%]|[.,]\d){suffix})",
        year,
    )


# ------------------------------------------------------------------ Russian


_RU_REL = {
    "этого": 0,
    "этом": 0,
    "текущего": 0,
    "текущем": 0,
    "нынешнего": 0,
    "нынешнем": 0,
    "сего": 0,
    "прошлого": -1,
    "прошлом": -1,
    "минувшего": -1,
    "минувшем": -1,
    "предыдущего": -1,
    "следующего": 1,
    "следующем": 1,
    "будущего": 1,
    "будущем": 1,
    "наступающего": 1,
    "наступающем": 1,
    "позапрошлого": -2,
    "позапрошлом": -2,
}
# Every case form of a month starts with one of these (the rules check the whole form).
_RU_MONTH_STEMS = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "май",
    "мая",
    "мае",
    "маю",
    "маем",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
    "янв",
    "фев",
    "мар",
    "апр",
    "авг",
    "сен",
    "окт",
    "ноя",
    "дек",
)
_RU_YEAR_WORD = r"(?:\s*(?:года|г\.|г(?!\w)))"


@lru_cache(maxsize=1)
def _ru_rules() -> _RuleSet:
    gen, other = _ru_months()
    months = {**other, **gen}
    mgen = rf"(?:{_alt(list(gen))})"
    many = rf"(?:{_alt(list(months))})"
    rel = _alt(list(_RU_REL))

    def mnum(s: str) -> int:
        return months[s.lower()]

    rules: list[_Rule] = []

    def add(
        pattern: str,
        handler: _Handler,
        flags: int = re.IGNORECASE,
        group: int = 0,
        anchor: str | None = None,
    ) -> None:
        rules.append(_Rule(re.compile(pattern, flags), handler, group, anchor))

    # 30-31 июля 2014 г. / 30 июля - 2 августа 2014 года / с 30 по 31 июля 2014 года
    dmy_range = _range_handler(mnum)

    add(
        rf"(?<!\w)(?:с\s+)?(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{mgen}))?\s*(?:-|–|—|по|и)\s*(?P<d2>\d{{1,2}})\s+(?P<m2>{mgen})\s+(?P<y>\d{{4}}){_RU_YEAR_WORD}?",
        dmy_range,
        anchor="month@24",
    )

    @_ref_free
    def dmy(m: re.Match[str], ref: object) -> _Cand | None:
        return _guard(lambda: _mk(m, _iso(int(m["y"]), mnum(m["m"]), int(m["d"]))), m)

    add(
        rf"(?<!\w)(?P<d>\d{{1,2}})\s+(?P<m>{mgen})\s+(?P<y>\d{{4}}){_RU_YEAR_WORD}?",
        dmy,
        anchor="month@6",
    )

    # 23 ноября этого года
    def dm_rel(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        y = ref[0] + _RU_REL[m["w"].lower()]
        return _guard(lambda: _mk(m, _iso(y, mnum(m["m"]), int(m["d"])), relative=True), m)

    add(
        rf"(?<!\w)(?P<d>\d{{1,2}})\s+(?P<m>{mgen})\s+(?P<w>{rel})\s+года\b",
        dm_rel,
        anchor="month@6",
    )

    # в июне 2002 года / июнь 2002 г.
    @_ref_free
    def my(m: re.Match[str], ref: object) -> _Cand | None:
        return _guard(lambda: _mk(m, _iso(int(m["y"]), mnum(m["m"]))), m)

    add(rf"(?<!\w)(?P<m>{many})\s+(?P<y>\d{{4}}){_RU_YEAR_WORD}?", my, anchor="month@0")

    # в октябре прошлого года
    def m_rel(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        y = ref[0] + _RU_REL[m["w"].lower()]
        return _guard(lambda: _mk(m, _iso(y, mnum(m["m"])), relative=True), m)

    add(rf"(?<!\w)(?P<m>{many})\s+(?P<w>{rel})\s+года\b", m_rel, anchor="month@0")

    # 23 ноября (no year): the reference year
    def dm(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        return _guard(lambda: _mk(m, _iso(ref[0], mnum(m["m"]), int(m["d"])), relative=True), m)

    add(rf"(?<![\w.])(?P<d>\d{{1,2}})\s+(?P<m>{mgen})\b(?!\s*\d)", dm, anchor="month@6")

    # в октябре (no year)
    def bare(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        return _guard(
            lambda: _mk(m, _recent_month(ref, mnum(m["m"]), "recent"), relative=True, group=1), m
        )

    add(
        rf"(?<!\w)(?:в|с|до|к|после|since)\s+((?P<m>{many}))\b(?!\s*\d)",
        bare,
        group=1,
        anchor="month@8",
    )

    # осенью этого года; в прошлом году; текущего года; прошлогодний саммит
    def y_rel(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        return _guard(lambda: _mk(m, _iso(ref[0] + _RU_REL[m["w"].lower()]), relative=True), m)

    add(
        rf"(?<!\w)(?:(?:весной|летом|осенью|зимой)\s+)?(?P<w>{rel})\s+год(?:а|у)\b",
        y_rel,
        anchor="year@40",
    )

    def last_year_adj(
        m: re.Match[str], ref: tuple[int, int | None, int | None] | None
    ) -> _Cand | None:
        if ref is None:
            return None
        return _guard(lambda: _mk(m, _iso(ref[0] - 1), relative=True), m)

    add(r"(?<!\w)прошлогодн\w*", last_year_adj, anchor="year@8")

    # "в текущем месяце", "до конца текущего месяца": the reference month
    def month_rel(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None or ref[1] is None or _RU_REL[m["w"].lower()] != 0:
            return None
        return _guard(lambda: _mk(m, _iso(ref[0], ref[1]), relative=True), m)

    add(rf"(?<!\w)(?P<w>{rel})\s+месяц(?:а|е)\b", month_rel, anchor="monthword@20")

    _add_years(add, "ru")
    anchors = {
        "monthword": re.compile(r"Месяц|месяц|МЕСЯЦ"),  # literals, as in English
        # Case-insensitive, over the lowercased text: the three case variants in the
        # text took 0.49 ms a Russian document, the lower-case stems 0.19 (150
        # documents). The rules read every case; so may the anchor.
        "month": Folded(re.compile(_alt(list(_RU_MONTH_STEMS)), re.IGNORECASE)),
        "year": re.compile(r"Год|год|ГОД"),
    }
    return _RuleSet(tuple(rules), anchors)


# ------------------------------------------------------------------ Chinese


# Year and month numbers, each written to open with a character class (the class of
# every first character it can have, then the rest by that character): the same
# matches as ``(?:[0-9０-９]{1,4}|[〇○零一二三四五六七八九]{4})``,
# ``(?:[0-9０-９]{4}|...{4})`` and ``(?:[0-9０-９]{1,2}|十[一二]?|[一二三四五六七八九])``,
# but a rule that starts with one lets ``re`` seek its first character in C
# (a look-ahead on it, led_by, still stops at every position).
_ZN = "〇○零一二三四五六七八九"
_ZY_REST = rf"(?:(?<=[0-9０-９])[0-9０-９]{{0,3}}|(?<=[{_ZN}])[{_ZN}]{{3}})"
_ZY4_REST = rf"(?:(?<=[0-9０-９])[0-9０-９]{{3}}|(?<=[{_ZN}])[{_ZN}]{{3}})"
_ZY = rf"(?:[0-9０-９{_ZN}]{_ZY_REST})"  # year digits, malformed lengths included
_ZY4 = rf"(?:[0-9０-９{_ZN}]{_ZY4_REST})"
_ZM_REST = r"(?:(?<=[0-9０-９])[0-9０-９]?|(?<=十)[一二]?|(?<=[一二三四五六七八九]))"
_ZM = rf"(?:[0-9０-９十一二三四五六七八九]{_ZM_REST})"
_ZD = r"(?:[0-9０-９]{1,2}|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_ZTO = r"\s*(?:至|到|－|-|—|–|~|～|—)\s*"
_ZH_REL = {"今": 0, "本": 0, "去": -1, "明": 1, "前": -2, "后": 2, "來": 1}


@lru_cache(maxsize=1)
def _zh_rules() -> _RuleSet:
    rules: list[_Rule] = []

    def add(
        pattern: str,
        handler: _Handler,
        group: int = 0,
        anchor: str | None = None,
        initials: str | None = None,
    ) -> None:
        compiled = re.compile(pattern)
        if initials is not None:
            # No rule here has an anchor (Chinese has no word to window on): a
            # look-ahead on the characters every match starts with lets ``re``
            # skip most positions, as led_by does for the cues.
            compiled = led_by(compiled, initials)
        rules.append(_Rule(compiled, handler, group, anchor))

    @_ref_free
    def range_ymd(m: re.Match[str], ref: object) -> _Cand | None:
        def build() -> DateMatch:
            y = _zh_int(m["y"])
            m1 = _zh_int(m["m1"])
            m2 = _zh_int(m["m2"]) if m["m2"] else m1
            v1, v2 = _iso(y, m1, _zh_int(m["d1"])), _iso(y, m2, _zh_int(m["d2"]))
            if v2 <= v1:
                raise _Invalid("range ends before it starts")
            return _mk(m, v1, end_value=v2)

        return _guard(build, m)

    add(
        rf"(?P<y>{_ZY})\s*年\s*(?P<m1>{_ZM})\s*月\s*(?P<d1>{_ZD})\s*[日号]?{_ZTO}(?:(?P<m2>{_ZM})\s*月\s*)?(?P<d2>{_ZD})\s*[日号]",
        range_ymd,
    )

    # 1972年9年11日: a typo that no reading makes a date
    @_ref_free
    def broken(m: re.Match[str], ref: object) -> _Cand | None:
        return Malformed(m.start(), m.end(), m.group(0), "month written with 年")

    add(rf"{_ZY}\s*年\s*{_ZM}\s*年\s*{_ZD}\s*[日号]", broken)

    @_ref_free
    def ymd(m: re.Match[str], ref: object) -> _Cand | None:
        return _guard(lambda: _mk(m, _iso(_zh_int(m["y"]), _zh_int(m["m"]), _zh_int(m["d"]))), m)

    add(
        rf"(?P<y>{_ZY})\s*年\s*(?P<m>{_ZM})\s*月\s*(?P<d>{_ZD})\s*[日号]",
        ymd,
    )

    @_ref_free
    def ym(m: re.Match[str], ref: object) -> _Cand | None:
        return _guard(lambda: _mk(m, _iso(_zh_int(m["y"]), _zh_int(m["m"]))), m)

    add(rf"(?P<y>{_ZY4})\s*年\s*(?P<m>{_ZM})\s*月(?!份?\s*[0-9０-９])", ym)

    @_ref_free
    def yrange(m: re.Match[str], ref: object) -> _Cand | None:
        y1, y2 = _zh_int(m["y1"]), _zh_int(m["y2"])
        if not (YEAR_MIN <= y1 < y2 <= YEAR_MAX):
            return None
        return _mk(m, _iso(y1), end_value=_iso(y2))

    add(rf"(?P<y1>{_ZY4})\s*年?{_ZTO}(?P<y2>{_ZY4})\s*年", yrange)

    @_ref_free
    def y(m: re.Match[str], ref: object) -> _Cand | None:
        yy = _zh_int(m["y"])
        if not YEAR_MIN <= yy <= YEAR_MAX:
            return None
        return _mk(m, _iso(yy))

    # (?<![0-9０-９].) after the first character: no digit before it
    add(
        rf"(?P<y>[0-9０-９{_ZN}](?<![0-9０-９].){_ZY4_REST})\s*年(?!\s*[0-9０-９]{{1,2}}\s*年)",
        y,
    )

    # 今年10月 / 去年 / 明年3月5日
    def rel(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        yy = ref[0] + _ZH_REL[m["w"]]
        mm = _zh_int(m["m"]) if m["m"] else None
        dd = _zh_int(m["d"]) if m["d"] else None
        return _guard(lambda: _mk(m, _iso(yy, mm, dd), relative=True), m)

    add(
        rf"(?P<w>[今去明])(?<![过以之同当].)年(?!代|纪|龄|级|轻)(?:\s*(?P<m>{_ZM})\s*月(?:\s*(?P<d>{_ZD})\s*[日号])?)?",
        rel,
    )

    # 本年度 / 本年 / 今年度 / 年内 (the reference year); 本月 / 当月 (the reference month)
    def this_year(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        return _guard(lambda: _mk(m, _iso(ref[0]), relative=True), m)

    # (?<![过以之同当])(?:本|今)年度|(?<![过以之同当])本年(?!代|纪|龄|级|轻), opening
    # with its first character so that re seeks it in C
    add(r"[本今](?<![过以之同当].)(?:年度|(?<=本)年(?!代|纪|龄|级|轻))", this_year)
    add(
        r"年(?<![0-9０-９〇零一二三四五六七八九十两今去明本前后近多数几每同当上下全].)(?=内|之内)",
        this_year,
    )

    def this_month(
        m: re.Match[str], ref: tuple[int, int | None, int | None] | None
    ) -> _Cand | None:
        if ref is None or ref[1] is None:
            return None
        return _guard(lambda: _mk(m, _iso(ref[0], ref[1]), relative=True), m)

    add(r"(?:本|当|这个)月(?=内|底|末|之内|中|前)", this_month)  # a branch of literals: sought in C

    # 11月23日 (no year): the reference year
    def md(m: re.Match[str], ref: tuple[int, int | None, int | None] | None) -> _Cand | None:
        if ref is None:
            return None
        return _guard(
            lambda: _mk(m, _iso(ref[0], _zh_int(m["m"]), _zh_int(m["d"])), relative=True), m
        )

    add(
        rf"(?P<m>[0-9０-９十一二三四五六七八九](?<![0-9０-９年].){_ZM_REST})\s*月\s*(?P<d>{_ZD})\s*[日号]",
        md,
    )
    _add_numeric(add)
    # every rule above names a year (年), a month (月) or is written in digits
    return _RuleSet(tuple(rules), {}, re.compile(r"[年月]|\d"))


# ------------------------------------------------------------------ API


def _rules(lang: str) -> _RuleSet:
    if lang == "zh":
        return _zh_rules()
    if lang == "ru":
        return _ru_rules()
    return _en_rules()


# How far past an anchor hit an anchored rule may match (the longest shapes are ranges
# such as "July 30th - August 2nd, 2014"). How far before it is the rule's own "@lead".
_FORWARD = 48


def _rule_matches(text: str, lang: str) -> list[tuple[_Handler, re.Match[str]]]:
    """Every rule's matches in ``text``, in rule order, with the handler that reads each.

    Handlers alone depend on the reference date, so one regex pass serves every
    reference a text is read with (the document's date; none, for malformed spans)."""
    ruleset = _rules(lang)
    hits = {name: [m.span() for m in pat.finditer(text)] for name, pat in ruleset.anchors.items()}
    if not any(hits.values()) and ruleset.need.search(text) is None:
        return []
    n = len(text)
    out: list[tuple[_Handler, re.Match[str]]] = []
    for rule in ruleset.rules:
        if rule.anchor is None:
            matches: Iterator[re.Match[str]] = rule.pattern.finditer(text)
        else:
            name, _, lead = rule.anchor.partition("@")
            spans = hits[name]
            if not spans:
                continue
            matches = _windowed(rule.pattern, text, spans, n, int(lead or 0))
        # zip, not a generator expression: no Python frame per match (~170 a document)
        out.extend(zip(repeat(rule.handler), matches))
    return out


def _candidates(text: str, lang: str, ref: str | None) -> Iterator[_Cand]:
    ref_t = parse_ref(ref)
    for handler, m in _rule_matches(text, lang):
        cand = handler(m, ref_t)
        if cand is not None:
            yield cand


def _windowed(
    pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]], n: int, lead: int
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that start at most ``lead`` characters before an anchor hit
    (exactly at it when ``lead`` is 0) and cover it."""
    seen: set[tuple[int, int]] = set()
    for s, e in spans:
        if lead == 0:
            m = pattern.match(text, s, min(n, e + _FORWARD))
            if m is not None and m.span() not in seen:
                seen.add(m.span())
                yield m
            continue
        for m in pattern.finditer(text, max(0, s - lead), min(n, e + _FORWARD)):
            if m.start() <= e and m.end() >= s and m.span() not in seen:
                seen.add(m.span())
                yield m


class _TextDates:
    """One text's rule matches and, per reference date, its scan."""

    __slots__ = ("first", "matches", "scans")

    def __init__(self, matches: list[tuple[_Handler, re.Match[str]]]) -> None:
        self.matches = matches
        self.scans: dict[str | None, tuple[_Cand, ...]] = {}
        self.first: list[_Cand | None] = []  # each match's handler result, first reference


# Extraction reads the same document text several times (its dates, instruments,
# malformed dates) and link rules read the same sentences again: one scan each.
_SCANS: TextCache[tuple[str, str], _TextDates] = TextCache(entries=1024)


def _scan(text: str, lang: str, ref: str | None) -> list[_Cand]:
    """Leftmost-longest non-overlapping candidates, malformed spans included so that a
    broken date is not re-read as a shorter valid one (``1972年9年11日`` is not ``1972``)."""
    key = (text, lang)
    entry = _SCANS.get(key)
    if entry is None:
        entry = _TextDates(_rule_matches(text, lang))
        _SCANS.put(key, entry, len(text))
    if not entry.matches:
        return []
    got = entry.scans.get(ref)
    if got is None:
        ref_t = parse_ref(ref)
        if not entry.scans:
            results = entry.first = [h(m, ref_t) for h, m in entry.matches]
        else:
            first = entry.first
            results = [
                first[i] if h in _REF_FREE else h(m, ref_t)
                for i, (h, m) in enumerate(entry.matches)
            ]
        cands = [c for c in results if c is not None]
        cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
        out: list[_Cand] = []
        last_end = -1
        for c in cands:
            if c.start >= last_end:
                out.append(c)
                last_end = c.end
        got = tuple(out)
        entry.scans[ref] = got
    return list(got)


def clear_caches() -> None:
    """Forget every text's scan and deadlines (see ``communique.extract.clear_caches``)."""
    _SCANS.clear()
    _DEADLINES.clear()


def find_dates(text: str, lang: str, ref: str | None = None) -> list[DateMatch]:
    """Every valid calendar reference in ``text``, sorted by start, non-overlapping."""
    return [c for c in _scan(text, lang, ref) if isinstance(c, DateMatch)]


class TextDates:
    """The dates of a text, read per piece: extractors that look at one sentence at a
    time (commitments) take its dates from the scan the whole text already had.

    A piece's dates are the text's dates inside it, shifted to its start. Over
    every sentence of the seeds, the test documents and 1,000 generated ones,
    that is exactly what scanning the sentence alone gives; a date candidate
    that crosses the piece's edge is the one case where it could not be (the
    sentence alone would read a shorter one), and there :meth:`within` gives
    None so that the caller scans the piece."""

    __slots__ = ("_cands", "_starts")

    def __init__(self, text: str, lang: str, ref: str | None) -> None:
        # Sorted by start and non-overlapping, malformed spans included.
        self._cands = _scan(text, lang, ref)
        self._starts = [c.start for c in self._cands]

    def within(self, start: int, end: int) -> list[DateMatch] | None:
        """The dates of ``text[start:end]``, offsets relative to ``start``; None
        when a candidate crosses either edge."""
        cands = self._cands
        i = bisect_left(self._starts, start)
        if i > 0 and cands[i - 1].end > start:
            return None
        out: list[DateMatch] = []
        for c in cands[i:]:
            if c.start >= end:
                break
            if c.end > end:
                return None
            if isinstance(c, DateMatch):
                out.append(
                    DateMatch(
                        c.start - start,
                        c.end - start,
                        c.surface,
                        c.value,
                        c.precision,
                        c.end_value,
                        c.relative,
                        c.kind,
                    )
                )
        return out


def find_malformed_dates(text: str, lang: str) -> list[Malformed]:
    """Date-shaped spans with impossible fields (``June 31, 2003``, ``202年6月22日``)."""
    return [c for c in _scan(text, lang, None) if isinstance(c, Malformed)]


def date_mentions(seg: SegmentedDocument, ref: str | None) -> list[Mention]:
    """One ``date`` Mention per value; a range gives one per end, on the same span."""
    out: list[Mention] = []
    for d in find_dates(seg.text, seg.language, ref):
        sent = seg.sentence_at(d.start)
        idx = sent.index if sent is not None else -1
        attrs = {"precision": d.precision, "relative": d.relative, "kind": d.kind}
        values = [d.value] if d.end_value is None else [d.value, d.end_value]
        for v in values:
            out.append(Mention("date", v, d.start, d.end, d.surface, idx, dict(attrs)))
    return out


# ------------------------------------------------------------------ deadlines


@dataclass(frozen=True, slots=True)
class Deadline:
    """A time limit written in a sentence: the latest ISO day it allows (None for an event
    with no year, "by the next meeting") and the span of its own words."""

    day: str | None
    start: int
    end: int
    surface: str
    # A limit cue ("not later than", "до", "by", "前") rather than a bare place in time
    # ("in", "в", "на"): the limit a sentence is about when it holds both.
    strong: bool = True


_EN_SEASON_WORD = re.compile(r"\b(spring|summer|autumn|fall|winter)\b", re.IGNORECASE)
_RU_SEASON = {"весн": "spring", "лет": "summer", "осен": "autumn", "зим": "winter"}
_RU_SEASON_WORD = re.compile(r"(?<!\w)(весн|лет|осен|зим)(?:ой|ом|ью|а|у|е|ы)(?!\w)", re.IGNORECASE)
_ZH_SEASON = {"春": "spring", "夏": "summer", "秋": "autumn", "冬": "winter"}

# What the words before a date make of it: "end" allows up to the date's last day,
# "before" up to the day before it starts, "season" up to the season's last day.
_EN_CUE = re.compile(
    r"(?P<cue>(?:\b(?:not|no)\s+later\s+than|\b(?:before|by|until|till|prior\s+to|to|at)\s+the\s+end\s+of"
    r"|\bthe\s+end\s+of|\bby|\bbefore|\bprior\s+to|\bduring|\bin\s+the\s+course\s+of|\bwithin"
    r"|\bthroughout|\b(?:in|by)\s+(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+of"
    r"|(?:\b(?:in|by|during|within|before|(?:by|before)\s+the\s+end\s+of)\s+)?the\s+"
    r"(?:first|second|third|fourth|last|1st|2nd|3rd|4th)\s+(?:half|quarter)\s+of"
    r"|\blater(?:\s+in)?|\bin|\bon|\bscheduled\s+for)\s+(?:the\s+year\s+)?)$",
    re.IGNORECASE,
)
_RU_CUE = re.compile(
    r"(?P<cue>(?:(?:(?<!\w)(?:до\s+(?:конца|окончания)|к\s+концу)\s+|(?<!\w)(?:в|во)\s+)?"
    r"(?:первого|второго|третьего|четвертого|четвёртого|первом|втором|третьем|четвертом"
    r"|четвёртом)\s+(?:полугоди|квартал)\w*"
    r"|(?<!\w)не\s+(?:позднее|позже)|(?<!\w)до\s+(?:конца|окончания|истечения)"
    r"|(?<!\w)к\s+концу|(?<!\w)в\s+течение|(?<!\w)в\s+ходе|(?<!\w)до|(?<!\w)к|(?<!\w)в|(?<!\w)на"
    r"|(?<!\w)(?:весной|летом|осенью|зимой))\s+)$",
    re.IGNORECASE,
)


def led_by(pattern: re.Pattern[str], initials: str) -> re.Pattern[str]:
    """``pattern`` behind a look-ahead on the letters all its matches start with.

    ``re`` tries every alternative of a long alternation at every position; the
    look-ahead rejects most positions at once. Same matches (the caller lists
    the initials of every alternative), several times faster."""
    # the group: a look-ahead before a bare ``a|b`` would guard only ``a``
    return re.compile(f"(?=[{initials}])(?:{pattern.pattern})", pattern.flags)


# Characters that re's IGNORECASE takes for a lowercase Latin or Cyrillic letter but
# that str.lower() leaves as they are: dotless i, long s, the old Cyrillic variants.
_FOLD_EXCEPTIONS = re.compile("[\u0131\u017f\u1c80-\u1c88]")
# A letter written in upper case, other than an escape (\S, \W) or the P of (?P<name>).
_UPPER_LITERAL = re.compile(r"(?<!\\)(?<!\(\?)[A-Z\u0410-\u042f\u0401]")


class Folded:
    """A case-insensitive pattern run as the same pattern, case-sensitive, over the
    lowercased text: the same matches, at the same offsets, in about half the time for
    a long alternation (``re`` gives up its fast paths under IGNORECASE). Matches are
    over the lowercased text: their groups read in lower case. A text that lowercasing
    would lengthen, or that holds a letter lower() and IGNORECASE see differently, is
    matched by the pattern itself."""

    __slots__ = ("cased", "nocase")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        if not pattern.flags & re.IGNORECASE or _UPPER_LITERAL.search(pattern.pattern):
            raise ValueError("a case-insensitive pattern written in lower case is needed")
        self.nocase = pattern
        self.cased = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        low = text.lower()
        if len(low) != len(text) or _FOLD_EXCEPTIONS.search(text) is not None:
            return self.nocase.finditer(text)
        return self.cased.finditer(low)


# The cues are searched for in the words before every date of every sentence.
_EN_CUE = led_by(_EN_CUE, "nbutpadiwlos")
_RU_CUE = led_by(_RU_CUE, "дквптчнлоз")
_EVENT_EN = re.compile(
    r"(?:\b(?P<prep>by|at|before|to|prior\s+to|ahead\s+of|in\s+time\s+for|for\s+approval\s+(?:by|at))\s+)?"
    r"\b(?P<np>the\s+(?:(?P<next>next|forthcoming|upcoming|coming|following|subsequent)|"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|\d{1,2}(?:st|nd|rd|th)|[XVI]{1,5}))\s+"
    # the words between never hold a second preposition or article: "the next Chairship by
    # the next meeting" is two phrases, the limit is the second
    r"(?:(?!(?:by|before|at|to|for|in|on|of|the|a|an)\b)[\w()\-]+\s+){0,4}?"
    r"(?:meeting|summit|session|sitting|conference|forum|council)s?)\b",
    re.IGNORECASE,
)
# Every match starts with a preposition or "the"; in Russian with one of the
# prepositions or adjectives: their initials first, as for the cues.
_EVENT_EN = led_by(_EVENT_EN, "abfipt")
_EVENT_WHEN = {
    "en": re.compile(
        r",\s*(?:(?:which|that)\s+(?:will|is\s+to)\s+be\s+held|to\s+be\s+(?:held|hosted|convened)"
        r"|(?:scheduled|planned|due)\s+(?:for|to\s+be\s+held))\b",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r",\s*(?:(?:котор\w+|что)\s+(?:состоится|пройд[её]т|будет\s+проведен\w*)"
        r"|(?:намеченн|запланированн)\w+)",
        re.IGNORECASE,
    ),
}
# An ordinal event ("the Fifth Summit") is a limit only after a word that makes it one; "at
# the first meeting" reports where something happened.
_ORDINAL_EVENT_PREPS = frozenset({"by", "before", "prior to", "ahead of", "in time for"})
_EVENT_STOP_EN = re.compile(
    r"[,.;:!?]|\b(?:for|with|which|that|who|where|when|will|shall|should|would|and|so|as|"
    r"whereas|while|because)\b",
    re.IGNORECASE,
)
_EVENT_RU = re.compile(
    r"(?:(?<!\w)(?P<prep>к|на|до|перед)\s+)?"
    r"(?P<np>(?:следующ|очередн|предстоящ|ближайш|будущ)\w*\s+(?:[\w()\-]+\s+){0,3}?"
    r"(?:саммит|заседани|встреч|сесси|совещани|конференци|форум)\w*)",
    re.IGNORECASE,
)
_EVENT_RU = led_by(_EVENT_RU, "бдкнопс")
_EVENT_STOP_RU = re.compile(
    r"[,.;:!?]|(?<!\w)(?:для|с\s+целью|котор\w+|чтобы|а\s+также|и|будут|будет)(?!\w)",
    re.IGNORECASE,
)
_EVENT_ZH = re.compile(r"下次|下一次|下届|下一届|即将举行的|即将召开的|即将举办的|明年|下一轮")
_ZH_MEETING = re.compile(r"(?:会议|会晤|峰会|大会|会)(?:前|之前|以前|时|期间)")


_PART_ORDINAL = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "перв": 1,
    "втор": 2,
    "трет": 3,
    "четверт": 4,
    "четвёрт": 4,
    "一": 1,
    "1": 1,
    "二": 2,
    "2": 2,
    "三": 3,
    "3": 3,
    "四": 4,
    "4": 4,
}
_EN_PART = re.compile(r"\b(first|second|third|fourth|last|1st|2nd|3rd|4th)\s+(half|quarter)\b")
_RU_PART = re.compile(r"(перв|втор|трет|четв[её]рт)\w*\s+(полугоди|квартал)")


def _year_part_end(cue: str, lang: str) -> int | None:
    """The last month of the half or quarter a cue names ("in the first half of", "во втором
    квартале"), or None."""
    m = (_RU_PART if lang == "ru" else _EN_PART).search(cue)
    if m is None:
        return None
    half = m.group(2) in {"half", "полугоди"}
    n = 2 if half else 4
    k = n if m.group(1) == "last" else _PART_ORDINAL[m.group(1).lower()]
    return min(k, n) * (6 if half else 3)


_WEAK_CUES = frozenset({"in", "on", "at", "scheduled for", "в", "на"})


def _date_deadline(d: DateMatch, cue: str, lang: str) -> str | None:
    """The latest day a date allows, given the words before it."""
    value = d.end_value or d.value
    c = re.sub(r"\s+", " ", cue.strip().lower())
    season: str | None = None
    if lang == "ru":
        sm = _RU_SEASON_WORD.search(cue + " " + d.surface)
        if sm:
            season = _RU_SEASON[sm.group(1).lower()]
    else:
        sm = _EN_SEASON_WORD.search(c + " " + d.surface)
        if sm:
            season = _EN_SEASONS[sm.group(1).lower()]
    if season and d.precision == "year":
        return season_end(int(value[:4]), season)
    part = _year_part_end(c, lang)
    if part is not None and d.precision == "year":
        return last_day(f"{value[:4]}-{part:02d}")
    if c in {"before", "prior to", "до", "перед"} and d.precision == "day":
        return day_before(first_day(d.value))
    return last_day(value)


# Words after a date that make it an open horizon, not a limit ("by 2014 and beyond").
_BEYOND = re.compile(
    r"\s*(?:and\s+beyond|and\s+after(?:wards)?|и\s+далее|и\s+(?:в\s+)?последующ\w+\s+(?:период|годы)"
    r"|及(?:以后|以後|今后|未来)|以后|以後)",
    re.IGNORECASE,
)
# Russian: a document's own time frame ("Стратегию развития ШОС до 2035 года", "Программы
# ... на 2010-2012 годы") is the horizon of what it plans, not a limit on an act.
_RU_HORIZON_HEAD = re.compile(
    r"(?<!\w)(?:стратеги|программ|концепци|план|прогноз|карт|повестк)\w*"
    r"(?P<between>(?:[\s,]+[\w\-«»\"]+){0,8})\s*$",
    re.IGNORECASE,
)
_ZH_HORIZON_TAIL = re.compile(
    r"(?:年)?(?:前|以前)?(?:的)?[^，。；、]{0,6}?(?:战略|规划|纲要|构想|议程|展望)"
)
# Quotation marks around a title: a date inside names the title, it binds no one.
_QUOTES = re.compile(r"«[^«»]{0,300}»|《[^《》]{0,300}》|“[^“”]{0,300}”|„[^„“”]{0,300}[“”]")


_EN_COUNT = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
_RU_COUNT = {
    "одного": 1,
    "двух": 2,
    "трех": 3,
    "трёх": 3,
    "четырех": 4,
    "четырёх": 4,
    "пяти": 5,
    "шести": 6,
    "семи": 7,
    "восьми": 8,
    "девяти": 9,
    "десяти": 10,
    "двенадцати": 12,
    "восемнадцати": 18,
    "тридцати": 30,
    "шестидесяти": 60,
    "девяноста": 90,
}
_RU_COUNT_ADJ = {
    "одно": 1,
    "дву": 2,
    "двух": 2,
    "трех": 3,
    "трёх": 3,
    "четырех": 4,
    "четырёх": 4,
    "пяти": 5,
    "шести": 6,
    "десяти": 10,
    "двенадцати": 12,
    "тридцати": 30,
}
_DURATION = {
    "en": re.compile(
        r"\bwithin\s+(?:the\s+next\s+|a\s+period\s+of\s+)?(?P<n>\d{1,3}|"
        + _alt(list(_EN_COUNT))
        + r")(?:\s*\(\d{1,3}\))?[\s-]+(?P<u>day|week|month|year)s?\b",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"(?<!\w)(?:в\s+течение|в\s+пределах)\s+(?:(?:ближайших|последующих)\s+)?(?P<n>\d{1,3}|"
        + _alt(list(_RU_COUNT))
        + r")(?:\s*\(\d{1,3}\))?\s+(?P<u>дн|недел|месяц|лет|год)\w*"
        r"|(?<!\w)в\s+(?P<a>"
        + _alt(list(_RU_COUNT_ADJ))
        + r")?(?P<au>дневный|недельный|месячный|годичный|годовой)\s+срок",
        re.IGNORECASE,
    ),
    "zh": re.compile(
        r"(?:在|于)?\s*(?P<n>[0-9０-９]{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个)?\s*"
        r"(?P<u>月|星期|周|天|日|年)(?:内|之内|以内)"
    ),
}
# Searched in every Russian sentence with a cue; both shapes start with "в".
_DURATION["ru"] = led_by(_DURATION["ru"], "в")
_UNIT = {
    "day": "d",
    "week": "w",
    "month": "m",
    "year": "y",
    "дн": "d",
    "недел": "w",
    "месяц": "m",
    "лет": "y",
    "год": "y",
    "дневный": "d",
    "недельный": "w",
    "месячный": "m",
    "годичный": "y",
    "годовой": "y",
    "天": "d",
    "日": "d",
    "周": "w",
    "星期": "w",
    "月": "m",
    "年": "y",
}


def _add_period(ref: str, n: int, unit: str) -> str | None:
    """``ref`` (an ISO day, or the last day of a coarser value) plus ``n`` units."""
    day = date.fromisoformat(last_day(ref))
    if unit == "d":
        return (day + timedelta(days=n)).isoformat()
    if unit == "w":
        return (day + timedelta(weeks=n)).isoformat()
    months = n * (12 if unit == "y" else 1)
    y, m = divmod(day.month - 1 + months, 12)
    y += day.year
    m += 1
    if not YEAR_MIN <= y <= YEAR_MAX:
        return None
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1])).isoformat()


def _duration_deadlines(text: str, lang: str, ref: str | None) -> Iterator[Deadline]:
    """ "within three months", "в течение трех месяцев", "在三个月内": the text's date plus the period."""
    if ref is None or lang not in _DURATION:
        return
    for m in _DURATION[lang].finditer(text):
        if m["n"] is not None:
            raw = m["n"].lower()
            counts = _RU_COUNT if lang == "ru" else _EN_COUNT
            if raw in counts:
                n = counts[raw]
            elif lang == "zh":
                n = _zh_int(raw.replace("两", "二"))
            else:
                n = int(raw.translate(_FULLWIDTH))
            unit = _UNIT[m["u"].lower()]
        else:
            n = _RU_COUNT_ADJ[m["a"].lower()] if m["a"] else 1
            unit = _UNIT[m["au"].lower()]
        if n <= 0:
            continue
        day = _add_period(ref, n, unit)
        if day is not None:
            yield Deadline(day, m.start(), m.end(), m.group(0))


# Commitments ask for every sentence's limits; a document repeats sentences
# (formulas, lists) and a batch repeats formulas across documents.
_DEADLINES: TextCache[tuple[str, str, str | None], tuple[Deadline, ...]] = TextCache(
    entries=4096, chars=1_000_000
)


def find_deadlines(
    text: str, lang: str, ref: str | None, dates: list[DateMatch] | None = None
) -> list[Deadline]:
    """Every time limit in ``text`` that is not already past at ``ref``. ``dates``:
    ``find_dates(text, lang, ref)`` when the caller has it (see :class:`TextDates`)."""
    key = (text, lang, ref)
    got = _DEADLINES.get(key)
    if got is None:
        got = tuple(_find_deadlines(text, lang, ref, dates))
        _DEADLINES.put(key, got, len(text))
    return list(got)


def _find_deadlines(
    text: str, lang: str, ref: str | None, dates: list[DateMatch] | None = None
) -> list[Deadline]:
    if dates is None:
        dates = find_dates(text, lang, ref)
    out: list[Deadline] = list(_duration_deadlines(text, lang, ref))
    if lang == "zh":
        out.extend(_zh_deadlines(text, dates, ref))
    else:
        out.extend(_cued_deadlines(text, dates, lang))
        out.extend(_event_deadlines(text, dates, lang))
    ref_t = parse_ref(ref)
    if ref_t is not None:
        # a limit already past when the text was adopted reports a fact, it binds no one
        y, mo, dd = ref_t
        ref_day = last_day(_iso(y, mo, dd))
        out = [d for d in out if d.day is None or d.day > ref_day]
    quoted = [q.span() for q in _QUOTES.finditer(text)]
    out = [
        d
        for d in out
        if not _BEYOND.match(text, d.end)
        and not any(qs <= d.start and d.end <= qe for qs, qe in quoted)
        and not (lang == "ru" and _ru_horizon(text, d))
    ]
    # one deadline per span: an event phrase that holds a cued date is the same limit
    out.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[Deadline] = []
    for d in out:
        if kept and d.start < kept[-1].end:
            prev = kept[-1]
            if (d.day or "") > (prev.day or ""):
                kept[-1] = Deadline(d.day, prev.start, prev.end, prev.surface, prev.strong)
            continue
        kept.append(d)
    return kept


def ru_morph() -> Any:
    """The Russian morphological analyzer (shared with segmenting, loaded once)."""
    from communique.segment.words import _analyzer

    return _analyzer()


def ru_parse(word: str) -> tuple[Any, ...]:
    """The analyzer's parses of ``word``, likeliest first, cached across components."""
    from communique.segment.words import ru_parse as parse

    return parse(word)


def ru_is_verb(word: str) -> bool:
    """Whether a Russian word's likeliest reading is a verb or an infinitive."""
    tag = ru_parse(word.lower())[0].tag
    return "VERB" in tag or "INFN" in tag


def _ru_horizon(text: str, d: Deadline) -> bool:
    cue = re.match(r"(до|на)\s", d.surface, re.IGNORECASE)
    if cue is None or re.match(r"до\s+(?:конца|окончания|истечения)", d.surface, re.I):
        return False
    m = _RU_HORIZON_HEAD.search(text[max(0, d.start - 120) : d.start])
    if m is None:
        return False
    # a verb between the document and the date starts a clause of its own ("план и
    # договорились до 2025 года")
    return not any(ru_is_verb(w) for w in re.findall(r"[а-яё]+", m["between"], re.IGNORECASE))


def _cued_deadlines(text: str, dates: list[DateMatch], lang: str) -> Iterator[Deadline]:
    cue_re = _RU_CUE if lang == "ru" else _EN_CUE
    season_re = _RU_SEASON_WORD if lang == "ru" else _EN_SEASON_WORD
    for d in dates:
        before = text[max(0, d.start - 60) : d.start]
        m = cue_re.search(before)
        if m is None:
            # "this autumn", "осенью этого года": a season names its own end
            if d.precision == "year" and season_re.search(d.surface):
                yield Deadline(_date_deadline(d, "", lang), d.start, d.end, d.surface, False)
            continue
        start = d.start - len(before) + m.start("cue")
        cue = re.sub(r"\s+", " ", m["cue"].strip().lower())
        yield Deadline(
            _date_deadline(d, m["cue"], lang),
            start,
            d.end,
            text[start : d.end],
            cue not in _WEAK_CUES,
        )


def _event_deadlines(text: str, dates: list[DateMatch], lang: str) -> Iterator[Deadline]:
    event_re, stop_re = (_EVENT_RU, _EVENT_STOP_RU) if lang == "ru" else (_EVENT_EN, _EVENT_STOP_EN)
    for m in event_re.finditer(text):
        prep = re.sub(r"\s+", " ", m["prep"].lower()) if m["prep"] else None
        if lang == "en" and not m["next"] and prep not in _ORDINAL_EVENT_PREPS:
            continue
        start = m.start("prep") if m["prep"] else m.start("np")
        # the event's noun phrase goes on ("of the heads of state in 2003") up to a clause edge
        stop = stop_re.search(text, m.end(), min(len(text), m.end() + 160))
        if stop is not None and _EVENT_WHEN[lang].match(text, stop.start()):
            # "before the Fifth Summit, to be held in South Africa in 2013": the clause
            # after the comma dates the event
            nxt = re.compile(r"[,.;:!?]").search(text, stop.end(), min(len(text), stop.end() + 160))
            stop = nxt
        end = stop.start() if stop else min(len(text), m.end() + 160)
        end = len(text[:end].rstrip())
        inside = [d for d in dates if start <= d.start and d.end <= end]
        if inside:
            d = inside[-1]
            cue = text[max(m.end(), d.start - 40) : d.start]
            stop_at = max(d.end, m.end())
            yield Deadline(_date_deadline(d, cue, lang), start, stop_at, text[start:stop_at])
        elif m["prep"]:
            if lang == "ru":
                # no articles to chain a complement: keep the head and its capitalized names
                tail = re.match(r"(?:\s+[А-ЯЁA-Z][\w\-]*)*", text[m.end() :])
                end = m.end() + (tail.end() if tail else 0)
            yield Deadline(None, start, end, text[start:end])


_ZH_PART = re.compile(r"\s*(?:年)?\s*(?:(上|下)半年|第?([一二三四1-4])季度)")
_ZH_YEAR_EVENT = re.compile(
    r"[^，。；、,;]{0,20}?(?:会议|会晤|峰会|大会)(?:召开|举行|举办)?(?:前|之前|以前)"
)


def _zh_deadlines(text: str, dates: list[DateMatch], ref: str | None) -> Iterator[Deadline]:
    for d in dates:
        after = text[d.end : d.end + 8]
        before = text[max(0, d.start - 6) : d.start]
        lead = re.search(r"(?:不迟于|最迟于|最晚于|在|于|到|至|截至)\s*$", before)
        start = d.start - (len(before) - lead.start()) if lead else d.start
        if _ZH_HORIZON_TAIL.match(text, d.end):
            continue  # "2025年前发展战略": a plan's horizon
        m = re.match(r"\s*(?:年底|年末|底|末)?\s*(?:前|之前|以前|为止|内|期间)", after)
        if m:
            yield Deadline(
                last_day(d.end_value or d.value),
                start,
                d.end + m.end(),
                text[start : d.end + m.end()],
            )
            continue
        m = _ZH_PART.match(after)
        if m and d.precision == "year" and (lead or re.match(r"\s*[前内底末]", after[m.end() :])):
            # "在2016年上半年", "2017年第一季度前": a half or a quarter ends with its last month
            month = (
                (6 if m.group(1) == "上" else 12) if m.group(1) else 3 * _PART_ORDINAL[m.group(2)]
            )
            tail = re.match(r"\s*(?:末|底)?\s*(?:前|之前|以前|内)?", after[m.end() :])
            end = d.end + m.end() + (tail.end() if tail else 0)
            yield Deadline(last_day(f"{d.value[:4]}-{month:02d}"), start, end, text[start:end])
            continue
        m = re.match(r"\s*(?:年)?\s*([春夏秋冬])(?:季|天)", after)
        if m and d.precision == "year":
            end = d.end + m.end()
            yield Deadline(
                season_end(int(d.value[:4]), _ZH_SEASON[m.group(1)]), start, end, text[start:end]
            )
            continue
        m = _ZH_YEAR_EVENT.match(text, d.end)
        if m and d.precision == "year" and lead:
            # "在2018年外长会议前": a meeting of a stated year, held by the year's end at the latest
            end = m.end()
            yield Deadline(last_day(d.value), start, end, text[start:end])
            continue
        if lead and lead.group(0).strip() in {"不迟于", "最迟于", "最晚于"}:
            yield Deadline(last_day(d.end_value or d.value), start, d.end, text[start : d.end])
            continue
        if lead and lead.group(0).strip() == "于" and re.search(r"将\s*于\s*$", before):
            yield Deadline(
                last_day(d.end_value or d.value), start, d.end, text[start : d.end], False
            )
    for m in _EVENT_ZH.finditer(text):
        close = _ZH_MEETING.search(text, m.end(), min(len(text), m.end() + 24))
        if close is None or re.search(r"[，。；：,;]", text[m.end() : close.start()]):
            continue
        # back to the clause's preposition (kept) or to 以备 / punctuation (dropped)
        lo = m.start()
        while lo > 0 and m.start() - lo < 20:
            ch = text[lo - 1]
            if ch in "，。；：,;、（(“\n":
                break
            if text[lo - 2 : lo] == "以备":
                break
            lo -= 1
            if ch in "在于":
                break
        end = close.end()
        inside = [d for d in dates if lo <= d.start and d.end <= end]
        day = last_day(inside[-1].end_value or inside[-1].value) if inside else None
        yield Deadline(day, lo, end, text[lo:end])


def best_deadline(
    text: str, lang: str, ref: str | None, dates: list[DateMatch] | None = None
) -> Deadline | None:
    """The limit a sentence is about: a dated limit beats an undated event, and a cued limit
    ("не позднее 1 июля 2010 года") a bare period in the same sentence ("на 2010-2012
    годы"); among equals the latest. ``dates`` as for :func:`find_deadlines`."""
    found = find_deadlines(text, lang, ref, dates)
    if not found:
        return None
    return max(found, key=lambda d: (d.day is not None, d.strong, d.day or ""))


def parse_deadline(text: str, lang: str, ref: str | None) -> tuple[str | None, int, int] | None:
    """The latest day a sentence allows and the span of that deadline's words, or None when
    the sentence states no time limit (see ``best_deadline``)."""
    best = best_deadline(text, lang, ref)
    if best is None:
        return None
    return best.day, best.start, best.end


__all__ = [
    "DateMatch",
    "Deadline",
    "Malformed",
    "TextDates",
    "best_deadline",
    "clear_caches",
    "date_mentions",
    "day_before",
    "find_dates",
    "find_deadlines",
    "find_malformed_dates",
    "first_day",
    "last_day",
    "led_by",
    "parse_deadline",
    "parse_ref",
    "ru_is_verb",
    "ru_morph",
    "ru_parse",
    "season_end",
]
