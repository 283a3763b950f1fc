"""FTS5's ``unicode61 remove_diacritics 2`` tokenizer, in Python, for the tantivy index.

The tantivy index (:mod:`communique.search.engine`) must match exactly what the
FTS5 index matches, so both see the same tokens: the ``terms`` column (index
terms joined by spaces) is cut here the way FTS5 cuts it, and tantivy only
splits the result on spaces. The rules were read off SQLite itself (every code
point between two letters, through ``fts5vocab``): a token is a run of letters,
numbers and private-use characters; the combining accents in :data:`_REMOVED`
belong to the word and are dropped, every other character separates; tokens
are lowercased and a Latin letter with only those accents loses them (``é`` ->
``e``) while Cyrillic ``ё``/``й`` and Greek keep theirs. Characters newer than
SQLite's Unicode tables (and a few compound Latin letters) may be cut
differently: none occurs in index terms of English, Chinese or Russian text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# The combining marks FTS5 treats as removable diacritics (part of the token,
# then dropped); the other combining marks separate tokens.
_REMOVED = frozenset(
    (0x300, 0x301, 0x302, 0x303, 0x304, 0x306, 0x307, 0x308, 0x309, 0x30A, 0x30B, 0x30C, 0x30F,
     0x311, 0x31B, 0x323, 0x324, 0x325, 0x326, 0x327, 0x328, 0x32D, 0x32E, 0x330, 0x331)
)  # fmt: skip
# Letters FTS5 folds that ``str.lower`` leaves alone.
_SPECIAL = {"µ": "μ", "ſ": "s", "ẛ": "s"}


@lru_cache(maxsize=4096)
def _is_token_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LN" or cat == "Co" or ord(ch) in _REMOVED


def _fold_char(ch: str) -> str:
    special = _SPECIAL.get(ch)
    if special is not None:
        return special
    decomposed = unicodedata.normalize("NFD", ch)
    if (
        len(decomposed) > 1
        and decomposed[0].isascii()
        and all(ord(m) in _REMOVED for m in decomposed[1:])
    ):
        return decomposed[0]
    return ch


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """A token as FTS5 stores it: lowercased, Latin accents removed."""
    low = token.lower()
    if low.isascii():
        return low
    return "".join(_fold_char(ch) for ch in low if ord(ch) not in _REMOVED)


@lru_cache(maxsize=200_000)
def _cut(word: str) -> tuple[str, ...]:
    if word.isascii() and word.isalnum():
        return (word.lower(),)
    out: list[str] = []
    cur: list[str] = []
    for ch in word:
        if _is_token_char(ch):
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return tuple(t for t in (fold(x) for x in out) if t)


def fts_tokens(text: str) -> list[str]:
    """The tokens FTS5 (``unicode61 remove_diacritics 2``) makes of ``text``, in order."""
    out: list[str] = []
    # Whitespace always separates; words recur, so each is cut once (cached).
    for word in text.split():
        out.extend(_cut(word))
    return out


__all__ = ["fold", "fts_tokens"]
