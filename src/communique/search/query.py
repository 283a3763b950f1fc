"""From what a user typed to a safe FTS5 MATCH expression.

User input never reaches MATCH as written: it is cut into runs by script (Han,
Cyrillic, other), each run becomes index terms through the same
``index_terms`` the index was built with (jieba words for Chinese, lemmas for
Russian, lowercased words otherwise), and every term is emitted as a quoted
FTS5 string. Quoting leaves no operator, column filter, prefix or NEAR group
that a user could inject; a query with no terms is simply empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from communique.segment import index_terms

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_CYR = r"\u0400-\u052f"
# A run is a maximal stretch of one script; punctuation and spaces go with
# whatever run they sit in, since index_terms drops them.
_RUNS = re.compile(rf"[{_HAN}]+|[{_CYR}]+(?:[^{_HAN}\w]+[{_CYR}]+)*|[^{_HAN}{_CYR}]+")
_HAS_WORD = re.compile(r"[^\W_]")


def script_language(run: str) -> str:
    """The language whose index terms a run of one script is cut with."""
    if re.search(f"[{_HAN}]", run):
        return "zh"
    if re.search(f"[{_CYR}]", run):
        return "ru"
    return "en"


@dataclass(slots=True, frozen=True)
class ParsedQuery:
    text: str
    terms: tuple[str, ...]  # distinct, in query order
    languages: tuple[str, ...]  # of the runs, in order

    @property
    def empty(self) -> bool:
        return not self.terms

    def match(self, mode: str = "AND") -> str:
        """The MATCH expression: quoted terms, implicitly ANDed or joined by OR."""
        quoted = [quote(t) for t in self.terms]
        return (" OR " if mode == "OR" else " ").join(quoted)


def quote(term: str) -> str:
    """An FTS5 string literal: inside double quotes only ``"`` is special (doubled)."""
    return '"' + term.replace('"', '""') + '"'


def parse(query: str) -> ParsedQuery:
    terms: list[str] = []
    langs: list[str] = []
    seen: set[str] = set()
    for m in _RUNS.finditer(query or ""):
        run = m.group()
        if not _HAS_WORD.search(run):
            continue
        lang = script_language(run)
        langs.append(lang)
        for term in index_terms(run, lang):
            # A term with no letter or digit would tokenize to nothing, and an
            # empty phrase matches nothing in an AND.
            if term and _HAS_WORD.search(term) and term not in seen:
                seen.add(term)
                terms.append(term)
    return ParsedQuery(text=query or "", terms=tuple(terms), languages=tuple(langs))


__all__ = ["ParsedQuery", "parse", "quote", "script_language"]
