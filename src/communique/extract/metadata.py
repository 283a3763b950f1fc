"""Document metadata: type, title, date, place, issuing organization and body.

The evidence is read in the order a reader of the genre would trust it:

* the heading lines at the top of the body (title, document type, sometimes a
  "(Astana, July 5, 2005)" place-and-date line);
* a closing place-and-date line ("Moscow, May 29, 2003", "Москва, 29 мая 2003
  года", "2003年5月29日于莫斯科"), which is where signed texts state adoption;
* the opening sentence that reports the meeting ("was held on ... in ...",
  "于...在...举行", "состоялось ... в ...");
* a research database's record header (``[Title]``, ``[Place]``, ``[Date]``),
  which is not body text and is used only where the text is silent.

Document types. "Information Report" / "Информационное сообщение" / "新闻公报"
(the SCO's own name for the after-meeting release, translated variously as
"Press Release", "Information Report" or "Press Communique") are typed
``press_release``: they report a meeting rather than adopt a text, which is
what separates them from a communiqué.

Bodies are functional codes: a meeting of foreign ministers is ``CMFA``, of
heads of government ``CHG``, of heads of state ``CHS`` when the issuing
organization has such a council in the knowledge pack (a meeting of ministers
of an organization with no such council has no body code), and ``SUMMIT`` for a
summit of an organization with no council of heads of state (BRICS, CICA). A body that the heading or opening names
outright wins over these patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from communique.extract.dates import DateMatch, find_dates
from communique.knowledge import Knowledge
from communique.records import Mention, SegmentedDocument

__all__ = ["Metadata", "extract_metadata"]


@dataclass(slots=True)
class Metadata:
    type: str | None
    title: str | None
    date: str | None
    place: str | None
    organization: str | None
    body: str | None
    meeting_start: str | None = None
    meeting_end: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- vocabularies

# (pattern, type). English and Russian titles put the head noun first ("Press
# Release on the meeting ...", "Декларация ... о ..."), Chinese puts it last
# ("...元首宣言"), so the earliest match wins in en/ru and the latest in zh.
_TYPE_PATTERNS: dict[str, list[tuple[str, str]]] = {
    "en": [
        (r"\bpress[\s-]+(?:releases?|communiqu[eé]s?)\b", "press_release"),
        (
            r"\binformation(?:al)?\s+(?:reports?|messages?|releases?|communiqu[eé]s?)\b",
            "press_release",
        ),
        (r"\bcommuniqu[eé]s?\b", "communique"),
        (r"\bdeclarations?\b", "declaration"),
        (r"\bstatements?\b", "statement"),
        (r"\bcharter\b", "charter"),
        (r"\b(?:agreements?|treaty|convention|memorandum|protocol)\b", "agreement"),
        (r"\b(?:decisions?|resolutions?)\b", "decision"),
        (r"\breports?\b", "report"),
        (r"\b(?:speech|address|remarks)\b", "speech"),
    ],
    "ru": [
        (r"пресс-релиз\w*", "press_release"),
        (r"информационн\w+\s+сообщени\w*", "press_release"),
        (r"коммюнике", "communique"),
        (r"деклараци\w+", "declaration"),
        (r"заявлени\w+", "statement"),
        (r"хартия|хартии|устав\w*", "charter"),
        (r"соглашени\w+|договор\w*|конвенци\w+|меморандум\w*|протокол\w*", "agreement"),
        (r"решени\w+|резолюци\w+", "decision"),
        (r"доклад\w*|отч[её]т\w*", "report"),
        (r"выступлени\w+|речь|обращени\w+", "speech"),
    ],
    "zh": [
        (r"新闻公报|新闻稿|信息通报|新闻通报", "press_release"),
        (r"公报", "communique"),
        (r"宣言", "declaration"),
        (r"声明", "statement"),
        (r"宪章", "charter"),
        (r"协定|条约|公约|备忘录|议定书", "agreement"),
        (r"决议|决定", "decision"),
        (r"报告", "report"),
        (r"讲话|致辞|演讲", "speech"),
    ],
}

# A sentence that reports the meeting itself.
_MEETING_VERB = {
    "en": re.compile(
        r"\b(?:was|were|is|has\s+been|have\s+been)\s+held\b|\btook\s+place\b|\bhaving\s+met\b"
        r"|\bmet\b|\bconvened\b|\bgathered\b|\bheld\s+(?:its|their|a|an|the)\b"
        # the place as the subject: "From 14 to 16 May, Cholpon-Ata hosted the meeting"
        r"|\bhosted\b|\bplayed\s+host\s+to\b|\bwas\s+the\s+venue\s+(?:of|for)\b"
        # the participle after the subject: "We, the Heads of Government, meeting in
        # Tashkent on 2 November 2019, declare"; after a comma, so not the noun
        r"|,\s*meeting\s+(?:in|at|on)\b",
        re.I,
    ),
    "ru": re.compile(
        r"\bсостоял(?:ось|ся|ась|ись)\b|\bпрош(?:ло|[её]л|ла|ли)\b|\bпровел[аи]?\b|\bпроведен\w*"
        r"|\bсобрались\b|\bвстретились\b|\bвстретившись\b|\bсобравшись\b",
        re.I,
    ),
    "zh": re.compile(r"举行|召开|会晤|举办|聚会"),
}

# The three kinds of meeting, by who meets.
_HS, _HG, _FM = "heads_of_state", "heads_of_government", "foreign_ministers"
_BODY_PATTERNS: dict[str, list[tuple[str, str]]] = {
    "en": [
        (
            r"\bheads?\s+of\s+(?:the\s+)?(?:(?!delegations?\b)[\w-]+\s+)?(?:member\s+)?states?\b",
            _HS,
        ),
        (r"\bheads?\s+of\s+(?:the\s+)?governments?\b|\bprime\s+ministers\b", _HG),
        (r"\bministers?\s+of\s+foreign\s+affairs\b|\bforeign\s+ministers?\b", _FM),
        (r"\bleaders\b|\bsummit\b", _HS),
    ],
    "ru": [
        (r"\bглав\w*\s+государств", _HS),
        (r"\bглав\w*\s+правительств|\bпремьер-министр\w*", _HG),
        (r"\bминистр\w*\s+иностранных\s+дел|\bглав\w*\s+внешнеполитических\s+ведомств", _FM),
        (r"\bлидер\w*|\bсаммит\w*", _HS),
    ],
    "zh": [
        (r"元首", _HS),
        (r"政府首脑|总理", _HG),
        (r"外交部长|外长", _FM),
        (r"领导人|峰会", _HS),
    ],
}

# Lines that sit among the heading lines but are not the title.
_BOILERPLATE = re.compile(
    r"^\(?(?:unofficial\s+)?translation\)?$|^\(?неофициальный\s+перевод\)?$|^[（(]?(?:非官方)?译文[)）]?$"
    r"|^\(?(?:draft|проект|草案)\)?$",
    re.I,
)

# English words that stay lower case inside a title ("Meeting of the Council ...").
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "between",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "among",
        "upon",
        "via",
    ]
)
# A title line that continues the previous one rather than starting a subtitle.
_CONTINUATION = re.compile(
    r"^(?:by|of|on|for|between|among|adopted|to|in|at|from|concerning|regarding|following|and|"
    r"with|upon|signed)\b",
    re.I,
)
# Words a place-and-date line may carry besides the place and the date.
_DATE_LINE_FILLER = frozenset(
    [
        "done",
        "at",
        "in",
        "on",
        "the",
        "city",
        "of",
        "adopted",
        "signed",
        "issued",
        "dated",
        "г",
        "г.",
        "город",
        "года",
        "год",
        "принято",
        "совершено",
        "подписано",
        "в",
        "во",
        "于",
        "在",
        "日",
        "签署",
        "通过",
        "发布",
    ]
)


# ---------------------------------------------------------------- helpers


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str  # text[start:end], markup removed from its edges


@dataclass(slots=True)
class _Found:
    """A value read from the text (start >= 0) or from the record header (-1)."""

    value: str
    start: int = -1
    end: int = -1


def _language(seg: SegmentedDocument) -> str:
    lang = seg.language
    return lang if lang in _TYPE_PATTERNS else "en"


def text_lines(text: str, start: int = 0, end: int | None = None) -> list[_Line]:
    """Non-empty lines with Markdown heading marks and emphasis stripped from their edges."""
    end = len(text) if end is None else end
    out: list[_Line] = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        while s < e and (text[s].isspace() or text[s] in "#*_>"):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in "*_"):
            e -= 1
        if e > s:
            out.append(_Line(s, e, text[s:e]))
    return out


def sentence_index(seg: SegmentedDocument, offset: int) -> int:
    """The sentence holding an offset, or the first one after it (headings may fall between)."""
    if offset < 0:
        return -1
    s = seg.sentence_at(offset)
    if s is not None:
        return s.index
    for sent in seg.sentences:
        if sent.start >= offset:
            return sent.index
    return seg.sentences[-1].index if seg.sentences else -1


def _is_prose(line: str, lang: str) -> bool:
    """A line of running text, where the heading has ended.

    Titles do not end with a full stop and do not report that a meeting was held.
    """
    if lang == "zh":
        if "。" in line or len(line) > 80 or re.search(r"[：:；;]\s*$", line):
            return True
        # "…在阿斯塔纳举行会议，声明如下" runs on; "（2005年7月5日，阿斯塔纳）" is a heading line.
        return "，" in line and not re.match(r"[（(]", line)
    words = len(line.split())
    if len(line) > 250:
        return True
    if re.search(r"[.!?;:]\s*$", line) and words > 6:
        return True
    return (
        words > 8 and _MEETING_VERB[lang].search(line) is not None and not re.match(r"\S+$", line)
    )


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _recase(line: str, lang: str, keep: set[str], first: bool = True) -> str:
    """An ALL-CAPS heading line in title case (en) or sentence case (ru), same length.

    ``first`` is False for a line that continues the title ("BY THE HEADS ...").
    """
    if not _is_caps(line):
        return line
    out: list[str] = []
    for m in re.finditer(r"\S+|\s+", line):
        tok = m.group()
        if tok.isspace():
            out.append(tok)
            continue
        core = re.sub(r"^\W+|\W+$", "", tok)
        if core and core in keep:
            out.append(tok)
        elif lang == "en":
            low = tok.lower()
            if not first and core.lower() in _SMALL_WORDS:
                out.append(low)
            else:
                out.append(
                    re.sub(
                        r"[^\W\d_]+", lambda w: w.group()[0].upper() + w.group()[1:].lower(), tok
                    )
                )
        else:
            low = tok.lower()
            out.append(low[:1].upper() + low[1:] if first else low)
        first = False
    return "".join(out)


def _proper_initials(kb: Knowledge, original: str, recased: str, lang: str) -> str:
    """Russian sentence case keeps a capital on the names it lowered ("шанхайской" -> "Шанхайской")."""
    if lang != "ru" or original == recased:
        return recased
    chars = list(recased)
    for m in kb.find(original, lang, kinds=["state", "organization", "body", "city"]):
        if m.start < len(chars):
            chars[m.start] = chars[m.start].upper()
    return "".join(chars)


def _acronyms(kb: Knowledge, line: str, lang: str) -> set[str]:
    """Short upper-case names in a line (SCO, BRICS, ШОС) that recasing must not touch."""
    keep: set[str] = set()
    for m in kb.find(line, lang, kinds=["organization", "body"]):
        if len(m.surface) <= 6 and m.surface.isupper():
            keep.add(m.surface)
    keep.update(re.findall(r"\b[IVXLC]+\b", line))  # Roman numerals: "XVI Summit"
    return keep


def _last_day(d: DateMatch) -> str:
    return d.end_value or d.value


def _day_dates(text: str, lang: str) -> list[DateMatch]:
    """Dates to the day: only they can date a document."""
    return [d for d in find_dates(text, lang) if d.precision == "day"]


def city_name(kb: Knowledge, surface: str, lang: str) -> str | None:
    """The English name of the city a surface names."""
    return kb.city_for(surface, lang) or None


def _cities(kb: Knowledge, text: str, lang: str, base: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, English name) of every city named in ``text``; offsets shifted by ``base``."""
    return [
        (base + m.start, base + m.end, kb.name(m.code, "en"))
        for m in kb.find(text, lang, kinds=["city"])
    ]


def _root(kb: Knowledge, code: str) -> str:
    try:
        return kb.root(code) or code
    except (KeyError, ValueError):
        return code


# ---------------------------------------------------------------- evidence


@dataclass(slots=True)
class _PlaceDate:
    date: _Found | None
    place: _Found | None


def _place_date_line(kb: Knowledge, line: _Line, lang: str) -> _PlaceDate | None:
    """A short line that is only a place and a date: "Moscow, May 29, 2003", "（2005年7月5日，阿斯塔纳）"."""
    if len(line.text) > 90:
        return None
    dates = _day_dates(line.text, lang)
    if not dates:
        return None
    d = dates[-1]
    cities = _cities(kb, line.text, lang, line.start)
    chars = list(line.text)
    for s, e in [(d.start, d.end), *((c[0] - line.start, c[1] - line.start) for c in cities)]:
        chars[s:e] = " " * (e - s)
    rest = "".join(chars)
    words = [w for w in re.findall(r"[^\W\d_]+\.?", rest) if w.lower() not in _DATE_LINE_FILLER]
    if lang == "zh":
        words = [w for w in re.findall(r"[^\W\d_]", rest) if w not in _DATE_LINE_FILLER]
    if sum(len(w) for w in words) > 6:
        return None
    date = _Found(_last_day(d), line.start + d.start, line.start + d.end)
    place = _Found(cities[0][2], cities[0][0], cities[0][1]) if cities else None
    return _PlaceDate(date, place)


def _heading_lines(text: str, lang: str, max_lines: int = 6) -> list[_Line]:
    out: list[_Line] = []
    for line in text_lines(text):
        if re.match(r"^\[[^\]]+\]", line.text):
            continue  # a record-header field the normalizer left behind
        if _is_prose(line.text, lang):
            break
        out.append(line)
        if len(out) >= max_lines:
            break
    return out


@dataclass(slots=True)
class _Opening:
    """The sentence that reports the meeting."""

    start: int
    end: int
    date: _Found | None = None
    first_day: str | None = None
    place: _Found | None = None


def _opening(seg: SegmentedDocument, kb: Knowledge, lang: str, body_start: int) -> _Opening | None:
    text = seg.text
    verb_re = _MEETING_VERB[lang]
    sentences = [s for s in seg.sentences if s.end > body_start]
    if not sentences:
        return None
    first_par = sentences[0].paragraph
    candidates = [s for s in sentences if s.paragraph <= first_par + 1][:6]
    for sent in candidates:
        s_start = max(sent.start, body_start)
        chunk = text[s_start : sent.end]
        verb = verb_re.search(chunk)
        if verb is None:
            continue
        anchor = verb.start()
        op = _Opening(s_start, sent.end)
        dates = _day_dates(chunk, lang)
        if dates:
            d = min(dates, key=lambda d: abs(d.start - anchor))
            op.date = _Found(_last_day(d), s_start + d.start, s_start + d.end)
            op.first_day = d.value
        cities = _cities(kb, chunk, lang, s_start)
        if cities:
            after = [c for c in cities if c[0] - s_start >= anchor]
            if lang == "zh" or not after:
                c = min(cities, key=lambda c: abs(c[0] - s_start - anchor))
            else:
                c = after[0]
            op.place = _Found(c[2], c[0], c[1])
        if op.date or op.place:
            return op
    return None


def _match_type(text: str, lang: str) -> tuple[str, int, int] | None:
    """(type, start, end) of the document-type word in a title."""
    best: tuple[str, int, int] | None = None
    for pattern, kind in _TYPE_PATTERNS[lang]:
        for m in re.finditer(pattern, text, re.I):
            cand = (kind, m.start(), m.end())
            if best is None:
                best = cand
            elif lang == "zh":
                if (m.end(), m.end() - m.start()) > (best[2], best[2] - best[1]):
                    best = cand
            elif (m.start(), -(m.end() - m.start())) < (best[1], -(best[2] - best[1])):
                best = cand
    return best


def _category(text: str, lang: str) -> tuple[str, int, int] | None:
    """The kind of meeting a text names first (heads of state, of government, ministers)."""
    best: tuple[str, int, int] | None = None
    for pattern, cat in _BODY_PATTERNS[lang]:
        m = re.search(pattern, text, re.I)
        if m and (best is None or m.start() < best[1]):
            best = (cat, m.start(), m.end())
    return best


def _body_code(kb: Knowledge, category: str, organization: str | None) -> str | None:
    """The code of the council a meeting category names, if the organization has one.

    The council codes belong to one organization each (``CMFA`` is the SCO's): a meeting of
    BRICS or CICA foreign ministers is no body the vocabulary names, so it has none. A
    summit of an organization with no council of heads of state is the generic ``SUMMIT``.
    """
    code = {_FM: "CMFA", _HG: "CHG"}.get(category, "CHS")
    if organization and _root(kb, code) == organization:
        return code
    return "SUMMIT" if code == "CHS" else None


# ---------------------------------------------------------------- main


def extract_metadata(seg: SegmentedDocument, kb: Knowledge) -> Metadata:
    text = seg.text
    lang = _language(seg)
    header = seg.doc.header
    meta = Metadata(None, None, None, None, None, None)
    found: dict[str, _Found] = {}

    # Heading lines: title, type, perhaps a place-and-date line.
    heading = _heading_lines(text, lang)
    body_start = heading[-1].end if heading else 0
    title_lines: list[_Line] = []
    heading_pd: _PlaceDate | None = None
    for line in heading:
        pd = _place_date_line(kb, line, lang)
        if pd is not None:
            heading_pd = heading_pd or pd
            continue
        if _BOILERPLATE.match(line.text) or not re.search(r"[^\W\d_]", line.text):
            continue
        title_lines.append(line)

    closing_pd: _PlaceDate | None = None
    tail = text_lines(text, body_start)[-6:]
    for line in reversed(tail):
        pd = _place_date_line(kb, line, lang)
        if pd is not None:
            closing_pd = pd
            break

    opening = _opening(seg, kb, lang, body_start)

    # A recased copy of the heading with the same offsets, for titles and name look-ups.
    cased = text[:body_start]
    for i, line in enumerate(title_lines):
        recased = _recase(line.text, lang, _acronyms(kb, line.text, lang), first=i == 0)
        recased = _proper_initials(kb, line.text, recased, lang)
        cased = cased[: line.start] + recased + cased[line.end :]

    # Title: a record header's [Title] is the database's reading of the heading, which
    # a PDF or HTML conversion may have mangled in the body; otherwise the heading lines.
    if header is not None and header.title:
        meta.title = header.title.strip()
        found["title"] = _Found(meta.title)
    elif title_lines:
        parts: list[str] = []
        for i, line in enumerate(title_lines):
            piece = cased[line.start : line.end]
            if i == 0 or lang == "zh":
                parts.append(piece)
            elif lang == "en" and not _CONTINUATION.match(piece) and _match_type(parts[-1], lang):
                parts.append(": " + piece)
            else:
                parts.append(" " + piece)
        meta.title = "".join(parts).strip()
        found["title"] = _Found(meta.title, title_lines[0].start, title_lines[-1].end)

    # Type: the title's type word; then the header's title; then the opening.
    t = None
    for line in title_lines:
        mt = _match_type(cased[line.start : line.end], lang)
        if mt is not None:
            if t is None or (lang == "zh" and line.start > t[1]):
                t = (mt[0], line.start + mt[1], line.start + mt[2])
            if lang != "zh":
                break
    if t is not None:
        meta.type = t[0]
        found["type"] = _Found(t[0], t[1], t[2])
    elif header is not None and header.title:
        mt = _match_type(header.title, lang) or _match_type(header.title, "en")
        if mt is not None:
            meta.type = mt[0]
            found["type"] = _Found(mt[0])
    if meta.type is None and text.strip():
        meta.type = _type_from_body(text[body_start : body_start + 2000], lang, opening)

    # Date and place: closing line, heading line, opening sentence, record header.
    for pd in (closing_pd, heading_pd):
        if pd is not None and pd.date is not None and "date" not in found:
            found["date"] = pd.date
        if pd is not None and pd.place is not None and "place" not in found:
            found["place"] = pd.place
    if opening is not None:
        if opening.date is not None:
            found.setdefault("date", opening.date)
            meta.meeting_start = opening.first_day
            meta.meeting_end = opening.date.value
        if opening.place is not None:
            found.setdefault("place", opening.place)
    if header is not None:
        hdate = _header_date(header.date, lang)
        if hdate is not None:
            if "date" not in found:
                found["date"] = _Found(hdate)
            elif found["date"].value != hdate:
                meta.warnings.append(
                    f"record header date {hdate} disagrees with the text's date "
                    f"{found['date'].value}"
                )
        if "place" not in found and header.place:
            name = city_name(kb, header.place.strip(), lang) or city_name(
                kb, header.place.strip(), "en"
            )
            if name:
                found["place"] = _Found(name)
    if "date" in found:
        meta.date = found["date"].value
    if "place" in found:
        meta.place = found["place"].value
    if meta.meeting_start is None and meta.date is not None:
        meta.meeting_start = meta.meeting_end = meta.date

    # Organization and body: the heading first, then the opening sentence.
    regions: list[tuple[str, int]] = []
    if title_lines:
        regions.append((cased[title_lines[0].start : title_lines[-1].end], title_lines[0].start))
    if opening is not None:
        regions.append((text[opening.start : opening.end], opening.start))
    elif seg.sentences:
        first = next((s for s in seg.sentences if s.end > body_start), None)
        if first is not None:
            start = max(first.start, body_start)
            regions.append((text[start : first.end], start))
    header_regions = (
        [(v, -1) for v in (header.title, header.source, header.fields.get("Source")) if v]
        if header is not None
        else []
    )

    org = _find_organization(kb, regions, lang) or _find_organization(kb, header_regions, lang)
    if org is None:
        org = _most_frequent_organization(kb, text, lang)
    if org is not None:
        meta.organization = org.value
        found["organization"] = org
        body = _find_body(kb, regions, lang, org.value) or _find_body(
            kb, header_regions, lang, org.value
        )
        if body is not None and body is not _NO_BODY:
            meta.body = body.value
            found["body"] = body

    for name, f in found.items():
        surface = text[f.start : f.end] if f.start >= 0 else ""
        meta.mentions.append(
            Mention(
                kind="meta",
                value=f.value,
                start=f.start,
                end=f.end,
                surface=surface,
                sentence=sentence_index(seg, f.start),
                attrs={"field": name},
            )
        )
    meta.mentions.sort(key=lambda m: (m.start, m.end))
    return meta


def _type_from_body(opening_text: str, lang: str, opening: _Opening | None) -> str:
    """A document without a title: a declaring formula, or a report of a meeting."""
    declare = {
        "en": r"\bdeclare\b",
        "ru": r"\bзаявляют\b|\bпровозглашают\b",
        "zh": r"宣布|声明如下",
    }[lang]
    if re.search(declare, opening_text, re.I):
        return "declaration"
    if opening is not None:
        return "press_release"
    return "other"


def _header_date(value: str | None, lang: str) -> str | None:
    if not value:
        return None
    for lg in dict.fromkeys((lang, "en")):
        dates = _day_dates(value, lg)
        if dates:
            return _last_day(dates[-1])
    return None


def _find_organization(kb: Knowledge, regions: list[tuple[str, int]], lang: str) -> _Found | None:
    for region, base in regions:
        for lg in dict.fromkeys((lang, "en")) if base < 0 else (lang,):
            matches = kb.find(region, lg, kinds=["organization", "body"])
            for m in sorted(matches, key=lambda m: (m.start, -m.end)):
                root = _root(kb, m.code)
                entry = _kind_of(kb, root)
                if entry not in (None, "organization"):
                    continue  # a generic body ("Summit") names no organization
                if base < 0:
                    return _Found(root)
                return _Found(root, base + m.start, base + m.end)
    return None


def _kind_of(kb: Knowledge, code: str) -> str | None:
    try:
        entry = kb.entry(code)
    except (KeyError, ValueError):
        return None
    if entry is None:
        return None
    kind = getattr(entry, "kind", None)
    if kind is None and isinstance(entry, dict):
        kind = entry.get("kind")
    return kind


def _most_frequent_organization(kb: Knowledge, text: str, lang: str) -> _Found | None:
    counts: dict[str, tuple[int, int, int]] = {}
    for m in kb.find(text, lang, kinds=["organization", "body"]):
        root = _root(kb, m.code)
        if _kind_of(kb, root) not in (None, "organization"):
            continue
        n, s, e = counts.get(root, (0, m.start, m.end))
        counts[root] = (n + 1, s, e)
    if not counts:
        return None
    code, (_, s, e) = max(counts.items(), key=lambda kv: (kv[1][0], -kv[1][1]))
    return _Found(code, s, e)


_NO_BODY = _Found("")


def _find_body(
    kb: Knowledge, regions: list[tuple[str, int]], lang: str, organization: str
) -> _Found | None:
    """The issuing body: one the region names outright, else the kind of meeting it describes."""
    for region, base in regions:
        langs = tuple(dict.fromkeys((lang, "en"))) if base < 0 else (lang,)
        named: _Found | None = None
        for lg in langs:
            for m in sorted(
                kb.find(region, lg, kinds=["body"], organization=organization),
                key=lambda m: (m.start, -m.end),
            ):
                if m.code != organization and _root(kb, m.code) == organization:
                    named = _Found(m.code, m.start, m.end)
                    break
            if named:
                break
        cat = None
        for lg in langs:
            cat = _category(region, lg)
            if cat:
                break
        if named is not None and (cat is None or named.start <= cat[1] + 40):
            if base < 0:
                return _Found(named.value)
            return _Found(named.value, base + named.start, base + named.end)
        if cat is not None:
            code = _body_code(kb, cat[0], organization)
            if code is None:
                # the meeting is of a kind the organization has no body for: decided,
                # whatever a later region (the publisher in [Source]) may name
                return _NO_BODY
            if base < 0:
                return _Found(code)
            return _Found(code, base + cat[1], base + cat[2])
        if named is not None:
            return (
                _Found(named.value, base + named.start, base + named.end)
                if base >= 0
                else _Found(named.value)
            )
    return None
