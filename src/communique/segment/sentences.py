"""Paragraphs and sentences with exact spans, by per-language rules.

A paragraph is a block of lines between blank lines; a block broken off in
mid-sentence by a page or line break (no terminal punctuation, the next block
starts in lower case) is joined to the next. Sentences never cross paragraphs.
Inside a paragraph a line break ends a sentence only after a heading line or
before a list item; elsewhere it is ordinary white space.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import razdel

# ------------------------------------------------------------------ paragraphs

# A paragraph: lines up to a blank one. ``[^\n]+`` takes a line's text in one step
# (``[^\n]`` took one character a step: 0.10 -> 0.014 ms a document, same spans).
_BLOCK = re.compile(r"(?:[^\n]+|\n(?![ \t\u3000]*\n))+")
_TERMINAL = frozenset(".!?。！？:;：；…”")
# Closing marks that may follow the terminal punctuation of a block.
_CLOSERS = "\"'”’»)]）」』】〕》"


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs of ``text`` (surrounding white space excluded)."""
    blocks: list[tuple[int, int]] = []
    for m in _BLOCK.finditer(text):
        start, end = _strip(text, m.start(), m.end())
        if start < end:
            blocks.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in blocks:
        if merged and _continues(text, merged[-1], start):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _continues(text: str, prev: tuple[int, int], next_start: int) -> bool:
    """Whether a block was cut in mid-sentence (by a page break) and goes on at ``next_start``."""
    last = text[prev[0] : prev[1]].rstrip(_CLOSERS)
    if not last or last[-1] in _TERMINAL:
        return False
    if _is_heading(text[_line_start(text, prev[1]) : prev[1]], None):
        return False
    return text[next_start].islower()


def _line_start(text: str, end: int) -> int:
    return text.rfind("\n", 0, end) + 1


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ---------------------------------------------------------------- line structure

_MD_HEADING = re.compile(r"#{1,6}[ \t]+")
_ENUMERATION = re.compile(
    r"(?:[IVXLCDMΙ]{1,8}|\d{1,3}|[A-Za-z]|[一二三四五六七八九十]{1,3}|[（(][一二三四五六七八九十\d]{1,3}[)）])"
    r"[.)、]?",
)
_LIST_ITEM = re.compile(
    r"(?:[-–—•●▪*·]\s|\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)]\s|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[)）])"
)
_NUMBER_ONLY = re.compile(
    r"[(\[]?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLCDM]{1,8}|[ivx]{1,5}|[A-Za-z])[.)\]]"
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_CJK_TITLE_MAX = 20
_CJK_PUNCT = re.compile(r"[，、；：。！？,;]")
_WORDS = re.compile(r"[^\W\d_]+")


def _is_heading(line: str, next_line: str | None, opens: bool = True) -> bool:
    """A line that stands alone: Markdown heading, numeral, all capitals, short title.

    ``opens``: the line starts a paragraph or follows a finished sentence. Only
    such a line can be a title in ordinary case; in the middle of running text a
    short capitalized line ("Minister of Foreign Affairs of the Russian
    Federation") is a wrapped line, not a title.
    """
    line = line.strip()
    if not line:
        return False
    if _MD_HEADING.match(line) or _ENUMERATION.fullmatch(line):
        return True
    if line[-1] in _TERMINAL or line[-1] == ",":
        return False
    letters = [c for c in line if c.isalpha()]
    cased = [c for c in letters if c.isupper() or c.islower()]
    if len(cased) >= 3 and not any(c.islower() for c in cased):
        return True
    if next_line is None or not opens:
        return False
    if _CJK.search(line):
        # A title line is short and has no punctuation; a line of hard-wrapped
        # text (a PDF's, 30 or more characters on a page) is longer or has commas.
        return len(line) <= _CJK_TITLE_MAX and not _CJK_PUNCT.search(line)
    words = _WORDS.findall(line)
    if not words or len(words) > 12 or not next_line[:1].isupper():
        return False
    long_words = [w for w in words if len(w) > 3]
    capital = sum(1 for w in long_words if w[0].isupper())
    return bool(long_words) and capital * 10 >= len(long_words) * 6


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a paragraph at the line breaks that end a sentence whatever the punctuation."""
    piece_start = start
    pos = start
    opens = True
    while True:
        nl = text.find("\n", pos, end)
        if nl < 0:
            break
        line = text[pos:nl]
        rest_start = nl + 1
        while rest_start < end and text[rest_start] in " \t\u3000\n":
            rest_start += 1
        next_nl = text.find("\n", rest_start, end)
        next_line = text[rest_start : next_nl if next_nl >= 0 else end]
        if _is_heading(line, next_line, opens) or _LIST_ITEM.match(next_line):
            yield piece_start, nl
            piece_start = rest_start
            opens = True
        else:
            stripped = line.rstrip()
            opens = bool(stripped) and stripped[-1] in _TERMINAL
        pos = nl + 1
    yield piece_start, end


# ----------------------------------------------------------------------- English


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ABBREVIATIONS = _word_set(
    "mr mrs ms messrs dr prof st mt ft no nos art arts para paras p pp vol vols ch chap "
    "sec secs cf viz vs approx ca fig figs ed eds op cit ibid al "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "gen col lt maj capt cmdr adm gov sen rep reps amb hon h.e rt rev jr sr "
    "inc ltd co corp dept div univ assn "
    "e.g i.e a.m p.m u.n u.s u.k e.u u.s.a u.s.s.r"
)
# Terminal punctuation with the closing quotes/brackets that belong to it.
# ``(?:[.!?]+|…)[\"'”’»)\]]*(?=\s)``, written to start with a character class so that
# ``re`` seeks it in C (searched in every paragraph: 0.10 -> 0.04 ms an English
# document); the look-behind picks the branch the first character began.
_EN_END = re.compile(r"[.!?…](?:(?<=[.!?])[.!?]*|(?<=…))[\"'”’»)\]]*(?=\s)")
_TOKEN_BEFORE = re.compile(r"[\w.'’-]+$")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
# Central Asian and Russian names romanized: one Cyrillic letter becomes two.
_DIGRAPH_INITIALS = frozenset(["Sh", "Kh", "Zh", "Ch", "Ts", "Yu", "Ya", "Ye", "Yo"])


def _latin_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    sent_start = start
    for m in _EN_END.finditer(text, start, end):
        nxt = m.end()
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end:
            break
        first = text[nxt]
        if first.islower() or first in ",;:)]":
            continue
        if text[m.start()] == "." and m.end() - m.start() == 1 and _abbreviation(text, m.start()):
            continue
        yield sent_start, m.end()
        sent_start = nxt
    yield sent_start, end


def _abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` closes an abbreviation or an initial, not a sentence."""
    m = _TOKEN_BEFORE.search(text, max(0, dot - 24), dot)
    if not m:
        return False
    token = m.group().lstrip("'’-")
    if len(token) == 1 and token.isupper():
        return True  # an initial: "A. Aytmatov", "С. Лавров"
    if token in _DIGRAPH_INITIALS:
        return True  # a transliterated initial: "Sh. Mirziyoyev", "Zh. Karibzhanov"
    low = token.lower()
    if low in _ABBREVIATIONS:
        return True
    # "U.N", "e.g", and hyphenated initials of double first names: "K.-J. Tokayev"
    return bool(_INITIALS.fullmatch(token.replace(".-", ".")))


# ----------------------------------------------------------------------- Chinese

# ``(?:[。！？!?]+|[…]+(?=\s))[”’」』）)】〕》\"']*``, opening with its first character as
# _EN_END does.
_ZH_END = re.compile(
    r"[。！？!?…](?:(?<=[。！？!?])[。！？!?]*|(?<=…)…*(?=\s))[”’」』）)】〕》\"']*"
)


def _cjk_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    sent_start = start
    for m in _ZH_END.finditer(text, start, end):
        if m.end() >= end:
            break
        yield sent_start, m.end()
        sent_start = m.end()
    yield sent_start, end


# ----------------------------------------------------------------------- Russian

# Abbreviations that never end a Russian sentence, on top of razdel's rules.
_RU_NEVER_FINAL = frozenset(
    ["г", "гг", "ул", "им", "см", "ст", "п", "пп", "стр", "ч", "тов", "акад", "проф"]
)
# ``(?<!\w)(?:т\.\s?д|т\.\s?п|и\s+др)\.(?=\s+[А-ЯЁA-Z])``, opening with its first letter as
# _EN_END does (``(?<!\w.)`` after it: no letter before it).
_RU_ETC = re.compile(r"[ти](?<!\w.)(?:(?<=т)\.\s?д|(?<=т)\.\s?п|(?<=и)\s+др)\.(?=\s+[А-ЯЁA-Z])")
_RU_ETC_END = re.compile(r"(?<!\w)(?:т\.\s?д|т\.\s?п|и\s+др)\.$")
_RU_TOKEN_BEFORE = re.compile(r"[^\W\d_]+$")


def _cyrillic_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    for sent in razdel.sentenize(text[start:end]):
        s = start + sent.start
        # razdel keeps "и т.д. Далее" together; a capital after "т.д." starts anew.
        for m in _RU_ETC.finditer(text, s, start + sent.stop):
            pieces.append((s, m.end()))
            s = m.end()
        pieces.append((s, start + sent.stop))
    merged: list[tuple[int, int]] = []
    for s, e in pieces:
        if merged and _ru_glued(text, merged[-1][1], s):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    yield from merged


def _ru_glued(text: str, prev_end: int, next_start: int) -> bool:
    if text[prev_end - 1] != ".":
        return False
    if _RU_ETC_END.search(text, max(0, prev_end - 8), prev_end):
        return False
    m = _RU_TOKEN_BEFORE.search(text, max(0, prev_end - 12), prev_end - 1)
    if not m:
        return False
    token = m.group()
    if len(token) == 1 and token.isupper():
        return True  # an initial
    if token.lower() not in _RU_NEVER_FINAL:
        return False
    # "2004 г. Что дальше?": after a year, "г." (год) may close the sentence.
    if token in ("г", "гг") and text[max(0, m.start() - 2) : m.start()].strip()[-1:].isdigit():
        return not text[next_start].isupper()
    return True


# ---------------------------------------------------------------------- dispatch

# Korean separates words and ends sentences with ". " like Latin-script text.
_CJK_LANGS = frozenset({"zh", "ja"})
_CYRILLIC_LANGS = frozenset({"ru", "uk", "kk", "be", "bg", "sr", "mk", "ky", "tg"})
_HAN_OR_KANA = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# What is left after removing the complement is the set counted (no list per character).
_NOT_CYRILLIC = re.compile(r"[^\u0400-\u04ff]+")
_NOT_HAN_OR_KANA = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff]+")
_NOT_LETTER = re.compile(r"[\W\d_]+")
# A letter outside the Cyrillic block.
_OTHER_LETTER = re.compile(r"[^\W\d_\u0400-\u04ff]")


def paragraph_language(text: str, start: int, end: int, lang: str) -> str:
    """The language whose rules fit one paragraph of a document in ``lang``.

    A bilingual document carries whole paragraphs in the other language (an
    English title block in a Chinese text, a Chinese one in an English text);
    a Chinese name in brackets does not change the rules of its paragraph.
    """
    if lang in _CJK_LANGS:
        if _HAN_OR_KANA.search(text, start, end):
            return lang
        return "ru" if _CYRILLIC.search(text, start, end) else "en"
    if lang == "ko":
        return lang
    if _HAN_OR_KANA.search(text, start, end):
        chunk = text[start:end]
        if len(_NOT_HAN_OR_KANA.sub("", chunk)) * 2 > len(_NOT_LETTER.sub("", chunk)):
            return "zh"
    cyrillic_doc = lang in _CYRILLIC_LANGS
    if cyrillic_doc or _CYRILLIC.search(text, start, end):
        if cyrillic_doc and _OTHER_LETTER.search(text, start, end) is None:
            # every letter is Cyrillic, so it is no English paragraph: the counts
            # below walk every word of it (0.12 ms a Russian document)
            return lang
        chunk = text[start:end]
        cyr = len(_NOT_CYRILLIC.sub("", chunk))
        letters = len(_NOT_LETTER.sub("", chunk))
        if cyrillic_doc and cyr * 5 < letters:
            return "en"
        if not cyrillic_doc and cyr * 2 > letters:
            return "ru"
    return lang


_Splitter = Callable[[str, int, int], Iterator[tuple[int, int]]]


def _splitter(lang: str) -> _Splitter:
    if lang in _CJK_LANGS:
        return _cjk_sentences
    if lang in _CYRILLIC_LANGS:
        return _cyrillic_sentences
    return _latin_sentences


def paragraph_sentences(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of the paragraph ``text[start:end]``; at least one when it has text.

    ``lang`` is the language of the paragraph (see ``paragraph_language``).
    """
    split = _splitter(lang)
    out: list[tuple[int, int]] = []
    for p_start, p_end in _pieces(text, start, end):
        p_start, p_end = _strip(text, p_start, p_end)
        if p_start >= p_end:
            continue
        piece_first = len(out)
        for s, e in split(text, p_start, p_end):
            s, e = _strip(text, s, e)
            if s >= e:
                continue
            # a Markdown heading starts with "#": most sentences need no call
            m = _MD_HEADING.match(text, s, e) if text[s] == "#" else None
            if m and m.end() < e:
                s = m.end()
            # "1. The parties agree ...": a number opening a paragraph is not a sentence.
            if len(out) > piece_first and _NUMBER_ONLY.fullmatch(text, *out[-1]):
                out[-1] = (out[-1][0], e)
                continue
            out.append((s, e))
    if not out:
        s, e = _strip(text, start, end)
        if s < e:
            out.append((s, e))
    return out


def split_sentences(text: str, lang: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (paragraph-aware), shifted by ``offset``."""
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_spans(text):
        p_lang = paragraph_language(text, p_start, p_end, lang)
        spans.extend(paragraph_sentences(text, p_start, p_end, p_lang))
    if offset:
        return [(s + offset, e + offset) for s, e in spans]
    return spans
