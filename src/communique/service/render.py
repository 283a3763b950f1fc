"""The reader's text as HTML: paragraphs, sentence anchors and highlighted mentions.

Sentences and mentions are character spans over the stored text; they nest
(a state inside an instrument inside a commitment sentence) and occasionally
cross. The renderer turns them into well-nested tags, closing and reopening a
span where another one crosses it, and escapes every character of the text.
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from communique.service.models import DocumentDetail

# kind -> (css class, label in the legend); "organization" and "body" read alike on purpose
KINDS: dict[str, tuple[str, str]] = {
    "state": ("state", "State"),
    "organization": ("org", "Organization / body"),
    "body": ("org", "Organization / body"),
    "person": ("person", "Person"),
    "office": ("person", "Person"),
    "date": ("date", "Date"),
    "instrument": ("instrument", "Instrument"),
    "commitment": ("commitment", "Commitment"),
    "place": ("place", "Place"),
    "position": ("position", "Position"),
}
LEGEND: list[tuple[str, str]] = [
    ("state", "State"),
    ("org", "Organization / body"),
    ("person", "Person"),
    ("date", "Date"),
    ("place", "Place"),
    ("instrument", "Instrument"),
    ("commitment", "Commitment"),
    ("position", "Position"),
]
# the order in which spans that start together open: outermost first
_RANK = {
    "sentence": 0,
    "commitment": 1,
    "position": 2,
    "instrument": 3,
    "person": 4,
    "office": 5,
    "organization": 6,
    "body": 6,
    "place": 7,
    "state": 8,
    "date": 9,
    "deadline": 10,
}


@dataclass(slots=True)
class Span:
    start: int
    end: int
    kind: str
    title: str = ""
    sentence: int = -1  # for kind "sentence": its index (the anchor)
    attrs: dict[str, str] = field(default_factory=dict)
    href: str | None = None  # the entity page a value links to
    drawn: str = ""  # the tag it was opened with (a link inside a link is drawn as <mark>)

    @property
    def rank(self) -> int:
        return _RANK.get(self.kind, 11)

    @property
    def tag(self) -> str:
        # extracted values are <mark> (or <a> to their entity page); containers are <span>
        return "span" if self.kind in ("sentence", "commitment", "deadline") else "mark"

    def open_tag(self, first: bool, in_link: bool = False) -> str:
        if self.kind == "sentence":
            anchor = f' id="s{self.sentence}"' if first else ""
            self.drawn = "span"
            return f'<span class="s"{anchor} data-s="{self.sentence}">'
        if self.kind == "deadline":
            css = "deadline"
        else:
            css = "m m-" + KINDS.get(self.kind, ("other", ""))[0]
        self.drawn = self.tag
        link = ""
        if self.href and self.tag == "mark" and not in_link:
            self.drawn = "a"
            link = f' href="{html.escape(self.href)}"'
        return f'<{self.drawn} class="{css}"{link} title="{html.escape(self.title)}">'

    def close_tag(self) -> str:
        return f"</{self.drawn or self.tag}>"


@lru_cache(maxsize=512)
def country_name(code: str) -> str | None:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - a declared dependency; the tooltip only loses a name
        return None
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    return str(getattr(country, "common_name", None) or country.name)


def mention_title(kind: str, value: str | None) -> str:
    label = KINDS.get(kind, ("", kind.capitalize()))[1].split(" /")[0]
    if kind == "body":
        label = "Body"
    if kind == "office":
        label = "Office"
    if not value:
        return label
    if kind == "state" and len(value) == 2 and value.isalpha():
        name = country_name(value.upper())
        if name:
            return f"{label}: {value} · {name}"
    return f"{label}: {value}"


def spans_for(
    detail: DocumentDetail, links: dict[tuple[str, int, int], str] | None = None
) -> list[Span]:
    """Every span to draw: sentences, mentions, and the record's persons, instruments, commitments.

    The store folds persons, instruments and commitments into the mentions,
    their particulars in ``attrs``; the record's own lists are a fallback for
    any that the mention list lacks.
    """
    n = len(detail.text)
    spans: list[Span] = [
        Span(s.start, s.end, "sentence", sentence=s.index)
        for s in detail.sentences
        if 0 <= s.start < s.end <= n
    ]
    seen: set[tuple[str, int, int]] = set()
    links = links or {}

    def add(kind: str, start: int, end: int, title: str, href: str | None = None) -> None:
        if 0 <= start < end <= n and (kind, start, end) not in seen:
            seen.add((kind, start, end))
            spans.append(Span(start, end, kind, title, href=href or links.get((kind, start, end))))

    def deadline(c: dict[str, Any], start: int, end: int) -> None:
        ds, de = c.get("deadline_start"), c.get("deadline_end")
        if not (isinstance(ds, int) and isinstance(de, int) and ds >= 0):
            words = c.get("deadline_text")
            ds = detail.text.find(words, start, end) if words else -1
            de = ds + len(words) if ds >= 0 else -1
        add("deadline", ds, de, f"Deadline: {c.get('deadline') or 'no dated deadline'}")

    for m in detail.mentions:
        if m.kind == "meta":
            continue
        kind = m.kind if m.kind in KINDS else "other"
        attrs = m.attrs or {}
        if kind == "person":
            title = person_title({"name": m.value, **attrs})
        elif kind == "instrument":
            title = instrument_title(attrs)
        elif kind == "commitment":
            title = commitment_title(attrs.get("deadline") or m.value or None)
            deadline(attrs, m.start, m.end)
        else:
            title = mention_title(m.kind, m.value)
        add(kind, m.start, m.end, title, entity_href(m.kind, m.value))

    record = detail.record or {}
    for p in _listed(record.get("persons")):
        add("person", *_span(p), person_title(p))
    for i in _listed(record.get("instruments")):
        add("instrument", *_span(i), instrument_title(i))
    for c in _listed(record.get("commitments")):
        start, end = _span(c)
        add("commitment", start, end, commitment_title(c.get("deadline")))
        deadline(c, start, end)
    return spans


def entity_href(kind: str, value: str | None) -> str | None:
    """The page of a value that is a code: a state, an organization or body, an issue."""
    if not value:
        return None
    if kind in ("state", "organization", "body"):
        return "/entities/" + quote(value, safe="")
    if kind == "position":
        return "/positions?issue=" + quote(value, safe="")
    return None


def person_title(p: dict[str, Any]) -> str:
    country = p.get("country")
    where = None
    if country:
        name = country_name(str(country).upper())
        where = f"{country} · {name}" if name else str(country)
    bits = [p.get("name"), p.get("role"), where]
    return "Person: " + " · ".join(str(b) for b in bits if b)


def instrument_title(i: dict[str, Any]) -> str:
    number = i.get("number")
    bits = [i.get("kind"), i.get("date"), f"No. {number}" if number else None]
    shown = [str(b) for b in bits if b]
    return "Instrument" + (": " + " · ".join(shown) if shown else "")


def commitment_title(deadline: str | None) -> str:
    return f"Commitment · deadline {deadline}" if deadline else "Commitment · no dated deadline"


def _listed(value: Any) -> list[dict[str, Any]]:
    return [v for v in value or [] if isinstance(v, dict)]


def _span(d: dict[str, Any]) -> tuple[int, int]:
    span = d.get("span")
    if isinstance(span, list | tuple) and len(span) == 2:
        return int(span[0]), int(span[1])
    return int(d.get("start", -1)), int(d.get("end", -1))


def render_range(
    text: str, start: int, end: int, spans: Iterable[Span], anchored: set[int] | None = None
) -> Markup:
    """``text[start:end]`` escaped, with the spans inside it as well-nested tags.

    ``anchored`` collects the sentences whose anchor is already out, so that a
    sentence running over two paragraphs gets its ``id`` once.
    """
    anchored = set() if anchored is None else anchored
    inside = sorted(
        (
            Span(max(s.start, start), min(s.end, end), s.kind, s.title, s.sentence, s.attrs, s.href)
            for s in spans
            if s.start < end and s.end > start and s.start < s.end
        ),
        key=lambda s: (s.start, -s.end, s.rank),
    )
    points = sorted({start, end, *(s.start for s in inside), *(s.end for s in inside)})
    out: list[str] = []
    stack: list[Span] = []
    i = 0
    for k, p in enumerate(points):
        # close what ends here; anything opened after it is closed too and reopened
        ending = [j for j, s in enumerate(stack) if s.end <= p]
        if ending:
            depth = ending[0]
            reopen = [s for s in stack[depth:] if s.end > p]
            for s in reversed(stack[depth:]):
                out.append(s.close_tag())
            del stack[depth:]
            for s in reopen:
                out.append(s.open_tag(first=False, in_link=_in_link(stack)))
                stack.append(s)
        while i < len(inside) and inside[i].start == p:
            s = inside[i]
            first = s.kind != "sentence" or s.sentence not in anchored
            if s.kind == "sentence":
                anchored.add(s.sentence)
            out.append(s.open_tag(first=first, in_link=_in_link(stack)))
            stack.append(s)
            i += 1
        if k + 1 < len(points):
            out.append(html.escape(text[p : points[k + 1]], quote=False))
    for s in reversed(stack):
        out.append(s.close_tag())
    return Markup("".join(out))


def _in_link(stack: list[Span]) -> bool:
    return any(s.drawn == "a" for s in stack)


@dataclass(slots=True)
class RenderedParagraph:
    index: int
    html: Markup
    heading: bool  # a short line without final punctuation: a title or a section number


def render_paragraphs(
    detail: DocumentDetail, links: dict[tuple[str, int, int], str] | None = None
) -> list[RenderedParagraph]:
    spans = spans_for(detail, links)
    text = detail.text
    out: list[RenderedParagraph] = []
    anchored: set[int] = set()
    for p in detail.paragraphs:
        start, end = max(0, p.start), min(len(text), p.end)
        # a paragraph's own leading and trailing blanks are not worth a tag
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        body = text[start:end]
        out.append(
            RenderedParagraph(
                index=p.index,
                html=render_range(text, start, end, spans, anchored),
                heading=_looks_like_heading(body),
            )
        )
    return out


_FINAL = '.。!！?？;；:：”"»)）'


def _looks_like_heading(body: str) -> bool:
    line = body.strip()
    if "\n" in line or not line:
        return False
    return len(line) <= 120 and line[-1] not in _FINAL


def sentence_of(detail: DocumentDetail, offset: int) -> int | None:
    """Index of the sentence holding a character offset."""
    starts = [s.start for s in detail.sentences]
    k = bisect.bisect_right(starts, offset) - 1
    if k >= 0 and detail.sentences[k].start <= offset < detail.sentences[k].end:
        return detail.sentences[k].index
    return None
