"""Words with exact spans, and the terms of the full-text index.

Chinese words come from rjieba (jieba's dictionary, taught the knowledge pack's
names through ``add_words``); other languages from a Unicode word pattern, with
pymorphy3 lemmas for Russian. Loading is lazy and happens once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from communique.records import Token

if TYPE_CHECKING:
    import rjieba

_CJK_LANGS = frozenset({"zh", "ja"})
_RU_LANGS = frozenset({"ru"})

# A number with its inner separators ("1,441", "2.5", "30-31" stays two) or a
# word with inner apostrophes and hyphens ("People's", "anti-terrorist").
_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’\-][^\W_]+)*")
_ALNUM = re.compile(r"[^\W_]+")
_HAS_WORD = re.compile(r"[^\W_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HAN_OR_KANA = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\U00020000-\U0002fa1f]")
# Cyrillic languages that pymorphy3's Russian dictionary would mangle.
_OTHER_CYRILLIC = frozenset({"uk", "kk", "be", "bg", "sr", "mk", "ky", "tg"})

_lock = threading.Lock()
_jieba: rjieba.Jieba | None = None
_morph: Any = None


def _segmenter() -> rjieba.Jieba:
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import rjieba

                _jieba = rjieba.Jieba()
    return _jieba


def _analyzer() -> Any:
    global _morph
    if _morph is None:
        with _lock:
            if _morph is None:
                import pymorphy3

                _morph = pymorphy3.MorphAnalyzer(lang="ru")
    return _morph


@lru_cache(maxsize=65_536)
def ru_parse(word: str) -> tuple[Any, ...]:
    """pymorphy3's parses of ``word`` as given (callers lowercase it), likeliest first.

    Segmenting, the knowledge pack's Russian matcher and the extractors all ask
    for the same words; one analyzer and one cache serve them all. Raises what
    pymorphy3 raises (uncached)."""
    return tuple(_analyzer().parse(word))


@lru_cache(maxsize=262_144)
def lemma(word: str) -> str:
    """Lowercased dictionary form of a Russian word (the word itself when it is not Cyrillic)."""
    low = word.lower()
    if not _CYRILLIC.search(low):
        return low
    try:
        parsed = ru_parse(low)
    except (KeyError, ValueError):
        # pymorphy3 looks up Unicode names of the characters it meets and
        # fails on unnamed ones (a Cyrillic letter glued to an unassigned or
        # Tangut code point): such a run is no Russian word to lemmatize.
        return low.replace("ё", "е")
    return str(parsed[0].normal_form).replace("ё", "е")


def add_words(words: Iterable[str]) -> int:
    """Teach the Chinese segmenter names (of states, bodies, people) as whole words.

    Returns how many were new. Names change segmentation for every later call,
    so a knowledge pack should be added once, at load time.
    """
    seg = _segmenter()
    added = 0
    with _lock:
        for word in words:
            word = word.strip()
            if not word or " " in word or not _HAS_WORD.search(word):
                continue
            if not seg.has_word(word):
                added += 1
            seg.add_word(word, None, None)
            # A high frequency makes jieba prefer the name over its parts.
            seg.suggest_freq(word)
    # Names of a knowledge pack change the words of a text: drop cached ones.
    _cjk_terms.cache_clear()
    _run_terms.cache_clear()
    return added


def words(text: str, lang: str, offset: int = 0) -> list[Token]:
    """The words and numbers of ``text`` (punctuation dropped), spans shifted by ``offset``."""
    if lang in _CJK_LANGS:
        return [
            Token(s + offset, e + offset, w)
            for w, s, e in _segmenter().tokenize(text)
            if _HAS_WORD.search(w) and not w.isspace()
        ]
    if lang in _RU_LANGS:
        # razdel.tokenize gives the same words but is ten times slower; its
        # extra work is on punctuation, which is dropped here anyway.
        out = []
        for m in _WORD.finditer(text):
            s, e = m.span()
            w = text[s:e]
            out.append(Token(s + offset, e + offset, w, lemma(w)))
        return out
    return [Token(m.start() + offset, m.end() + offset, m.group()) for m in _WORD.finditer(text)]


def index_terms(text: str, lang: str) -> list[str]:
    """Terms for the full-text index and for queries, in text order.

    Both sides go through this function, so a query term matches a stored term
    whenever the words match: lowercased alphanumeric runs for English and other
    Latin-script languages, jieba search-mode words for Chinese (a compound and
    its parts), lowercased pymorphy3 lemmas for Russian. Numbers are kept.
    Each run of letters is treated by its script, whatever ``lang`` says, so a
    Chinese name in an English sentence (or a Russian query typed into an
    English search) gives the same terms as in its own language.
    """
    if text.isascii():
        # one lower() for the text, not one a word: the same runs, lowercased
        return _ALNUM.findall(text.lower())
    runs = _ALNUM.findall(text)
    lemmatize = lang not in _OTHER_CYRILLIC
    out: list[str] = []
    for run in runs:
        out.extend(_run_terms(run, lemmatize))
    return out


# Runs recur (function words, names, formulas): one script test and one
# lemma or jieba lookup per distinct run, not per occurrence.
@lru_cache(maxsize=65_536)
def _run_terms(run: str, lemmatize: bool) -> tuple[str, ...]:
    if _HAN_OR_KANA.search(run):
        return _cjk_terms(run)
    if lemmatize and _CYRILLIC.search(run):
        return (lemma(run),)
    return (run.lower(),)


# jieba only sees runs without punctuation or spaces; caching by run keeps
# repeated titles and names cheap.
@lru_cache(maxsize=65_536)
def _cjk_terms(chunk: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _segmenter().cut_for_search(chunk) if _HAS_WORD.search(w))
