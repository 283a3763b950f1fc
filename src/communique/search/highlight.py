"""Snippets: the original sentence, HTML-escaped, with matched words in ``<mark>``.

Marks are placed by finding, in the sentence itself, the words whose index
terms are among the query's terms: Chinese by jieba word (and by plain
substring, since a query word may be a part of a longer stored word), Russian by
lemma, other languages by case-insensitive word. The sentence is never
re-tokenized by FTS5, so the marks sit on what the reader sees.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable

from communique.segment import index_terms, words

_CJK_LANGS = frozenset({"zh", "ja"})


def fold(term: str) -> str:
    """Case- and diacritics-folded, like the FTS5 tokenizer's ``remove_diacritics 2``."""
    if term.isascii():
        # Nothing to decompose: the per-character pass below is most of a snippet's cost.
        return term.lower()
    decomposed = unicodedata.normalize("NFD", term.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_cjk(term: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in term)


def match_spans(text: str, lang: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of ``text`` that match one of ``terms``, merged and sorted."""
    wanted = {fold(t) for t in terms if t}
    if not wanted or not text:
        return []
    spans: list[tuple[int, int]] = []
    token_lang = lang if lang in _CJK_LANGS or lang == "ru" else lang or "en"
    for tok in words(text, token_lang):
        keys = {fold(tok.text)}
        if tok.lemma:
            keys.add(fold(tok.lemma))
        if keys & wanted:
            spans.append((tok.start, tok.end))
            continue
        # A token holding several index terms ("anti-terrorist", "2002年"):
        # mark it when any of its terms was asked for.
        if any(fold(t) in wanted for t in index_terms(tok.text, token_lang)):
            spans.append((tok.start, tok.end))
    for term in wanted:
        if _is_cjk(term):
            at = text.find(term)
            while at != -1:
                spans.append((at, at + len(term)))
                at = text.find(term, at + len(term))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def highlight(text: str, lang: str, terms: Iterable[str]) -> str:
    """HTML-escaped ``text`` with ``<mark>...</mark>`` around the matched words."""
    out: list[str] = []
    pos = 0
    for s, e in match_spans(text, lang, terms):
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


__all__ = ["fold", "highlight", "match_spans"]
