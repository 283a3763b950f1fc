"""Legal instruments and decisions cited in a text, with their dates and numbers.

An instrument is found by its head noun (Charter, Agreement, Convention, Resolution,
Declaration, Memorandum, Treaty, Protocol, Program, Plan, Concept, Strategy, Decision,
Communiqué; 宪章, 协定, 公约, 决议 ...; Хартия, Соглашение, Конвенция, Резолюция ...).
A capitalized head is a name; a lowercase one ("the respective agreement") is only a
citation when it has a number ("resolution 1441") or a quoted title. The name grows
left over its capitalized modifiers ("UN Security Council Resolution", "Shanghai
Convention") and right over its complement ("on Combating Terrorism, Separatism and
Extremism") up to a clause edge; a date written right after it ("of June 17, 2004",
"signed on June 7, 2002", "от 15 июня 2001 года") or right before it in Chinese
("2001年12月5日的波恩协议") is the instrument's date.
"""

from __future__ import annotations

import re
from typing import Any

from communique.extract.dates import DateMatch, find_dates, led_by
from communique.records import Instrument, SegmentedDocument

_EN_HEADS = {
    "charter": "charter",
    "agreement": "agreement",
    "agreements": "agreement",
    "accord": "agreement",
    "convention": "convention",
    "conventions": "convention",
    "resolution": "resolution",
    "resolutions": "resolution",
    "declaration": "declaration",
    "memorandum": "memorandum",
    "memoranda": "memorandum",
    "treaty": "treaty",
    "protocol": "protocol",
    "program": "program",
    "programme": "program",
    "plan": "plan",
    "concept": "concept",
    "strategy": "strategy",
    "decision": "decision",
    "communique": "communique",
    "communiqué": "communique",
    "statute": "charter",
    "pact": "treaty",
}
_EN_HEAD = re.compile(r"\b(" + "|".join(sorted(_EN_HEADS, key=len, reverse=True)) + r")\b", re.I)
# The heads' initials checked first (see led_by): the same matches, the scan of a
# document's text in half the time. Likewise for the Russian heads and the
# Chinese numbered resolutions below.
_EN_HEAD = led_by(_EN_HEAD, "".join(sorted({h[0] for h in _EN_HEADS})))
# Words that may sit inside a name's complement without ending it.
_EN_LINK = {
    "of", "on", "in", "and", "the", "for", "to", "between", "against", "their", "its", "with",
    "from", "among", "concerning", "regarding", "a", "an", "at", "into", "by",
}  # fmt: skip
# Words that end a name: verbs and clause openers that follow a citation.
_EN_STOP = {
    "signed", "adopted", "approved", "agreed", "concluded", "which", "that", "who", "was",
    "were", "is", "are", "has", "have", "had", "will", "would", "should", "shall", "as",
    "within", "under", "during", "since", "constituted", "supported", "stipulated", "envisaged",
    "provided", "until", "dated", "entered", "came", "be", "been", "being", "to", "by",
    "applying", "this", "these", "those", "it", "they", "we", "and", "also",
}  # fmt: skip
_WORD = re.compile(r"[\w'’.\-]+|\"|“|”|«|»|,|\(|\)|[^\s\w]")

_ZH_HEADS = {
    "宪章": "charter",
    "协定": "agreement",
    "协议": "agreement",
    "公约": "convention",
    "决议": "resolution",
    "宣言": "declaration",
    "声明": "declaration",
    "备忘录": "memorandum",
    "条约": "treaty",
    "议定书": "protocol",
    "纲要": "program",
    "规划": "program",
    "计划": "plan",
    "行动计划": "plan",
    "构想": "concept",
    "战略": "strategy",
    "决定": "decision",
    "公报": "communique",
    "方案": "plan",
}
_ZH_TITLE = re.compile(r"《([^《》]{1,80})》")
_ZH_NUMBERED = re.compile(
    r"(?:(?:联合国)?安理会)?(?:关于[^，。；《》]{1,20}的)?第?(\d{2,5})\s*号决议"
)
_ZH_NUMBERED = led_by(_ZH_NUMBERED, r"联安关第\d")
_ZH_BARE = re.compile(
    "("
    + "|".join(
        sorted(
            set(_ZH_HEADS) - {"决定", "方案", "声明", "计划", "规划", "战略", "构想"},
            key=len,
            reverse=True,
        )
    )
    + ")"
)
# characters that end a Chinese name going left: function words, verbs of signing
_ZH_LEFT_STOP = set("的和与及、，。；：在以为了按据签署通过于日月年成就对将把被从向是")
# modifiers that make a head a generic noun, not a name ("有关决议": the relevant resolutions)
_ZH_GENERIC = {"有关", "相关", "上述", "该", "此项", "这些", "这一", "原则", "双边", "多边", "各项"}

_RU_HEADS = [
    ("хартия", "charter", r"харти[яиюей]"),
    ("устав", "charter", r"устав(?:а|у|ом|е)?"),
    ("соглашение", "agreement", r"соглашени[яеюийм]\w*"),
    ("договор", "treaty", r"договор(?:а|у|ом|е|ы|ов)?"),
    ("конвенция", "convention", r"конвенци[яиюей]\w*"),
    ("резолюция", "resolution", r"резолюци[яиюей]\w*"),
    ("декларация", "declaration", r"деклараци[яиюей]\w*"),
    ("меморандум", "memorandum", r"меморандум(?:а|у|ом|е|ы|ов)?"),
    ("протокол", "protocol", r"протокол(?:а|у|ом|е|ы|ов)?"),
    ("программа", "program", r"программ[аыуеой]\w*"),
    ("план", "plan", r"план(?:а|у|ом|е|ы|ов)?"),
    ("концепция", "concept", r"концепци[яиюей]\w*"),
    ("стратегия", "strategy", r"стратеги[яиюей]\w*"),
    ("решение", "decision", r"решени[яеюим]\w*"),
    ("коммюнике", "communique", r"коммюнике"),
]
_RU_HEAD = re.compile(
    r"(?<!\w)(" + "|".join(f"(?P<h{i}>{p})" for i, (_, _, p) in enumerate(_RU_HEADS)) + r")(?!\w)",
    re.IGNORECASE,
)
_RU_HEAD = led_by(_RU_HEAD, "".join(sorted({p[0] for _, _, p in _RU_HEADS})))
_RU_LINK = {"о", "об", "между", "по", "в", "и", "на", "с", "против", "для", "области", "сфере"}
_RU_STOP = {
    "от", "подписанн", "принят", "утвержденн", "утверждённ", "который", "которая", "которое",
    "которые", "была", "был", "было", "были", "является", "будет", "будут", "а", "также",
}  # fmt: skip

# Matched in place (pos, endpos): each instrument tries every date before it, and
# slicing the text between them copied up to a whole document per try.
_ZH_DATE_GAP = re.compile(r"\s*的?\s*")
_DATE_GAP = {
    "en": re.compile(
        r"^[\s,]*(?:(?:signed|adopted|approved|concluded|agreed|dated|done)\b"
        r"(?:[^.;:]|\.(?=\s*[A-Z][a-z]))*?)?"
        r"(?:\b(?:on|of|in|at)\b)?[\s,]*$",
        re.I,
    ),
    "ru": re.compile(
        r"^[\s,]*(?:(?:подписанн|принят|утвержд|заключ)\w*[^.;:]{0,60}?)?(?:(?<!\w)(?:от|в))?\s*$",
        re.I,
    ),
}
_DATE_AHEAD = re.compile(r"\s+(?:[A-Z][a-z]+\.?\s+\d|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+)")
_NUMBER_AFTER = re.compile(r"\s*(?:No\.?|№|#|Nr\.?)?\s*(\d{2,5}(?:\s*\(\d{4}\))?)(?![\d.,]\d)")


def find_instruments(seg: SegmentedDocument, kb: Any, doc_date: str | None) -> list[Instrument]:
    text = seg.text
    lang = seg.language
    dates = find_dates(text, lang, doc_date)
    blocked = _named_bodies(text, lang, kb)
    if lang == "zh":
        found = _zh(text)
    elif lang == "ru":
        found = _ru(text)
    else:
        found = _en(text)
    headings = _headings(seg)
    out: list[Instrument] = []
    last_end = -1
    for start, end, kind, number in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if start < last_end or any(s <= start and end <= e for s, e in blocked):
            continue
        if any(s <= start < e for s, e in headings):
            continue  # the document's own title ("JOINT COMMUNIQUE") cites nothing
        last_end = end
        sent = seg.sentence_at(start)
        out.append(
            Instrument(
                name=text[start:end],
                kind=kind,
                date=_date_of(text, lang, start, end, dates),
                number=number,
                start=start,
                end=end,
                sentence=sent.index if sent is not None else -1,
            )
        )
    return out


def _headings(seg: SegmentedDocument) -> list[tuple[int, int]]:
    """Short paragraphs without a sentence's final punctuation: titles and headings."""
    out = []
    for p in seg.paragraphs:
        body = seg.text[p.start : p.end].strip()
        if len(body) < 200 and not re.search(r"[.。!?！？;；]\s*[)）]?$", body):
            out.append((p.start, p.end))
    return out


def _named_bodies(text: str, lang: str, kb: Any) -> list[tuple[int, int]]:
    """Spans of organizations and bodies: "UN Drug Control Program" is an organ, not a program."""
    if kb is None:
        return []
    return [(m.start, m.end) for m in kb.find(text, lang, kinds=["organization", "body"])]


def _date_of(text: str, lang: str, start: int, end: int, dates: list[DateMatch]) -> str | None:
    if lang == "zh":
        for d in dates:
            if d.end <= start and _ZH_DATE_GAP.fullmatch(text, d.end, start):
                return d.value
        return None
    gap_re = _DATE_GAP.get(lang, _DATE_GAP["en"])
    for d in dates:
        if d.start >= end and d.start - end <= 80:
            return d.value if gap_re.match(text[end : d.start]) else None
    return None


# ------------------------------------------------------------------ English


def _en(text: str) -> list[tuple[int, int, str, str | None]]:
    out: list[tuple[int, int, str, str | None]] = []
    for h in _EN_HEAD.finditer(text):
        head = h.group(1)
        kind = _EN_HEADS[head.lower()]
        capital = head[0].isupper()
        num = _NUMBER_AFTER.match(text, h.end()) if kind in {"resolution", "decision"} else None
        if not capital and num is None:
            continue
        if capital and h.start() > 0 and text[h.start() - 1] == "-":
            continue
        start = _en_left(text, h.start())
        if num is not None:
            end = num.end()
            of = re.match(r"[ ]+of[ ]+the[ ]+(?:[A-Z][\w\-]*[ ]?){1,6}", text[end:])
            if of:
                end += len(of.group(0).rstrip())
            out.append((start, end, kind, re.sub(r"\s+", " ", num.group(1))))
            continue
        end = _en_right(text, h.end())
        if (
            end == h.end()
            and start == h.start()
            and head.lower() in {"decision", "plan", "concept"}
        ):
            continue  # a bare "Decision" / "Plan" at a sentence start names nothing
        out.append((start, end, kind, None))
    return out


def _en_left(text: str, head_start: int) -> int:
    """Back over capitalized modifiers: "UN Security Council", "Shanghai", "Organization's"."""
    start = head_start
    for m in reversed(list(re.finditer(r"[\w'’.\-]+", text[max(0, head_start - 80) : head_start]))):
        word = m.group(0)
        abs_start = max(0, head_start - 80) + m.start()
        between = text[abs_start + len(word) : start]
        if between.strip() not in {"", '"', "“"} or "\n" in between:
            break
        if not (word[0].isupper() or word[0].isdigit()) or word in {"The", "A", "An", "In", "On"}:
            break
        if word[0].isdigit() and not re.fullmatch(r"\d{4}", word):
            break
        start = abs_start
    return start


def _en_right(text: str, head_end: int) -> int:
    """Forward over the complement ("on Combating Terrorism, Separatism and Extremism")."""
    end = head_end
    pos = head_end
    started = False
    prev = ""  # the previous word
    lower_run = 0
    for m in _WORD.finditer(text, head_end, min(len(text), head_end + 240)):
        if "\n" in text[pos : m.start()]:
            break
        w = m.group(0)
        lw = w.lower()
        pos = m.end()
        if lw == "of" and _DATE_AHEAD.match(text, m.end()):
            break  # "of June 17, 2004": the date, not the name
        if not started:
            if lw in {"on", "of", "between", "for", "to", "concerning", "against", "among"}:
                started = True
                prev = lw
                continue
            break
        if w == ",":
            nxt = re.match(r"\s*([A-Z][\w\-]*)", text[m.end() :])
            if nxt and not _EN_HEAD.fullmatch(nxt.group(1)) and prev[:1].isupper():
                continue  # a list of capitalized nouns: "Terrorism, Separatism and Extremism"
            break
        if not w[0].isalnum():
            break
        if lw == "and":
            if _another_instrument(text, m.end()):
                break
            nxt = re.match(r"\s*(?:the\s+)?([\w\-]+)", text[m.end() :])
            if nxt and (nxt.group(1)[0].isupper() or nxt.group(1) in {"their", "its"}):
                prev = lw
                continue
            break
        if lw in {"to", "by"} and re.match(r"\s+(?:the\s+)?[A-Z]", text[m.end() :]):
            prev = lw
            continue  # "to Counter Terrorism", "by the ASEAN Regional Forum" go on
        if lw in _EN_STOP or re.fullmatch(r"\d{4}", w):
            break
        if _EN_HEAD.fullmatch(w) and w[0].isupper():
            break  # another instrument starts: "Protocol ... to the Treaty on ..."
        if w[0].islower() and lw not in _EN_LINK:
            if prev[:1].isupper() and not prev.isupper() and prev.lower() not in _EN_LINK:
                break  # "Challenges seems": the name has ended and a verb follows
            lower_run += 1
            if lower_run > 6:
                break
        elif w[0].isupper():
            lower_run = 0
        sentence_end = w.endswith(".") and not re.fullmatch(r"(?:[A-Z][a-z]?|St|Nos?)\.", w)
        if lw.rstrip(".") not in _EN_LINK:
            end = m.end() - (1 if sentence_end else 0)
        if sentence_end:
            break
        prev = w
    return end


def _another_instrument(text: str, pos: int) -> bool:
    """After "and": does a capitalized run lead to another head ("and Comprehensive Convention")?"""
    window = re.split(r"[.,;:\n]", text[pos : pos + 80], maxsplit=1)[0]
    for m in re.finditer(r"\s*([\w\-]+)", window):
        word = m.group(1)
        if word in {"the", "a", "an"}:
            continue
        if not word[0].isupper():
            return False
        if _EN_HEAD.fullmatch(word):
            return True
    return False


# ------------------------------------------------------------------ Chinese


def _zh(text: str) -> list[tuple[int, int, str, str | None]]:
    out: list[tuple[int, int, str, str | None]] = []
    for m in _ZH_TITLE.finditer(text):
        title = m.group(1)
        kind = next(
            (
                k
                for h, k in sorted(_ZH_HEADS.items(), key=lambda x: -len(x[0]))
                if title.endswith(h)
            ),
            None,
        )
        if kind is None:
            kind = next((k for h, k in _ZH_HEADS.items() if h in title), None)
        out.append((m.start(), m.end(), kind or "other", None))
    titled = [(s, e) for s, e, _, _ in out]
    for m in _ZH_NUMBERED.finditer(text):
        out.append((m.start(), m.end(), "resolution", m.group(1)))
    for m in _ZH_BARE.finditer(text):
        if any(s <= m.start() < e for s, e in titled):
            continue
        start = m.start()
        while start > 0 and m.start() - start < 8 and text[start - 1] not in _ZH_LEFT_STOP:
            if not re.match(r"[\u4e00-\u9fff]", text[start - 1]):
                break
            start -= 1
        if start == m.start() or text[start : m.start()].endswith(tuple(_ZH_GENERIC)):
            continue  # "协议" alone or "有关决议": an agreement in general, not a named one
        out.append((start, m.end(), _ZH_HEADS[m.group(1)], None))
    return out


# ------------------------------------------------------------------ Russian


def _ru(text: str) -> list[tuple[int, int, str, str | None]]:
    out: list[tuple[int, int, str, str | None]] = []
    for h in _RU_HEAD.finditer(text):
        i = next(
            int(k[1:]) for k, v in h.groupdict().items() if v is not None and k.startswith("h")
        )
        kind = _RU_HEADS[i][1]
        head = h.group(0)
        rest = text[h.end() :]
        num = re.match(
            r"\s*(?:(?:СБ|Совета\s+Безопасности)\s+ООН\s+)?(?:№\s*)?(\d{2,5})(?!\d)", rest
        )
        quoted = re.match(r"\s*«[^«»]{1,160}»", rest)
        if kind == "resolution" and num:
            out.append((h.start(), h.end() + num.end(), kind, num.group(1)))
            continue
        if quoted:
            out.append((h.start(), h.end() + quoted.end(), kind, None))
            continue
        if not head[0].isupper():
            continue
        end = h.end()
        pos = h.end()
        started = False
        for m in re.finditer(r"[\w\-]+|[^\s\w]", text[h.end() : h.end() + 240]):
            w = m.group(0)
            lw = w.lower()
            if w in {",", ".", ";", ":", "(", ")", "«", "»"}:
                break
            if any(lw.startswith(s) for s in _RU_STOP) or re.fullmatch(r"\d+", w):
                break
            if not started:
                if lw in {"о", "об", "между", "по"} or w[0].isupper():
                    started = True
                else:
                    break
            pos = h.end() + m.end()
            if lw not in _RU_LINK:
                end = pos
        out.append((h.start(), end, kind, None))
    return out


__all__ = ["find_instruments"]
