"""PostgreSQL full-text search fed with the same tokens as FTS5 and tantivy.

PostgreSQL has no Chinese parser, and its own parsers cut and stem words in
ways FTS5 does not. So its text-search parser is not used at all: a sentence's
``tsvector`` is written from the index terms the store already computed
(jieba words for Chinese, lemmas for Russian, lowercased words otherwise), cut
into FTS5's own tokens by :func:`communique.search.tokens.fts_tokens`, with
their positions; a query is a ``tsquery`` of the same tokens, a term of several
tokens a phrase (``<->``), exactly as FTS5 reads a quoted string. Both are
built as literals here, every lexeme quoted, so nothing a user types is ever
read as a tsquery operator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from communique.search.tokens import fts_tokens

# PostgreSQL's limits: a lexeme of at most 2 KB, positions up to 16383, at most
# 256 positions kept per lexeme, a tsvector under 1 MB. A longer word cannot be
# indexed (FTS5 would index it, but no query of a real user is 2 KB long).
_MAX_LEXEME_BYTES = 2046
_MAX_POSITION = 16383
_MAX_POSITIONS = 256
_MAX_VECTOR_BYTES = 1_000_000


def lexeme(token: str) -> str:
    """A quoted tsvector/tsquery lexeme."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _fits(token: str) -> bool:
    return 0 < len(token.encode("utf-8")) <= _MAX_LEXEME_BYTES


def tsvector(terms: str) -> str:
    """The ``tsvector`` literal of a sentence's index terms (space-separated)."""
    positions: dict[str, list[int]] = {}
    for pos, token in enumerate(fts_tokens(terms), start=1):
        if not _fits(token):
            continue
        seen = positions.setdefault(token, [])
        if len(seen) < _MAX_POSITIONS:
            seen.append(min(pos, _MAX_POSITION))
    parts: list[str] = []
    size = 0
    for token, where in positions.items():
        part = lexeme(token) + ":" + ",".join(map(str, dict.fromkeys(where)))
        size += len(part.encode("utf-8")) + 1
        if size > _MAX_VECTOR_BYTES:
            break
        parts.append(part)
    return " ".join(parts)


def phrase(term: str, prefix: bool = False) -> str | None:
    """One query term as a tsquery: a lexeme, or the phrase of its tokens (``prefix``:
    the last one a prefix, as FTS5's ``"..." *``); None when it has no token (it
    could match nothing)."""
    tokens = [lexeme(t) for t in fts_tokens(term) if _fits(t)]
    if not tokens:
        return None
    if prefix:
        tokens[-1] += ":*"
    if len(tokens) == 1:
        return tokens[0]
    return "(" + " <-> ".join(tokens) + ")"


def tsquery(terms: Iterable[str], mode: str = "AND") -> str | None:
    """All (``AND``) or any (``OR``) of the terms; None when none can match."""
    parts = [phrase(t) for t in terms]
    if mode == "AND" and any(p is None for p in parts):
        return None  # FTS5: an AND with an empty phrase in it matches nothing
    kept = [p for p in parts if p is not None]
    if not kept:
        return None
    return (" | " if mode == "OR" else " & ").join(kept)


_NOTHING = lexeme(" ")
_EXPR = re.compile(r'"((?:[^"]|"")*)"(\s*\*)?|(\()|(\))|\b(AND|OR)\b|(\S)')


def from_fts5(expr: str) -> str | None:
    """The tsquery of an FTS5 expression as communique writes them: quoted strings
    (``*`` after one: a prefix), parentheses, ``AND``/``OR`` and juxtaposition
    (AND). None when it matches nothing."""
    out: list[str] = []
    want_operand = True
    for quoted, star, opening, closing, op, other in _EXPR.findall(expr):
        if other:
            raise ValueError(f"not an expression communique writes: {expr!r}")
        if op:
            out.append(" | " if op == "OR" else " & ")
            want_operand = True
            continue
        if not want_operand and not closing:
            out.append(" & ")
        if opening:
            out.append("(")
            want_operand = True
        elif closing:
            out.append(")")
            want_operand = False
        else:
            p = phrase(quoted.replace('""', '"'), prefix=bool(star))
            # A phrase with no token matches nothing in FTS5; so does a lexeme no
            # sentence has (tokens never hold a space).
            out.append(p if p is not None else _NOTHING)
            want_operand = False
    query = "".join(out).strip()
    return query or None


__all__ = ["from_fts5", "lexeme", "phrase", "tsquery", "tsvector"]
