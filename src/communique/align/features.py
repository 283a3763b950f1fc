"""Per-sentence evidence for one language pair, and its pairwise counts inside a band."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from communique.align.lexicon import cognate_keys, en_keys, load_cedict, zh_words

_SPACE = re.compile(r"\s+")
_LATIN_SCRIPT = frozenset({"en", "fr", "de", "es", "it", "pt", "nl"})
_CYRILLIC = frozenset({"ru", "uk", "be", "bg", "kk", "ky", "tg", "mn", "sr"})


def sentence_length(text: str) -> int:
    """Characters without whitespace: spacing differs between scripts, content does not."""
    return len(_SPACE.sub("", text))


@dataclass(slots=True)
class Side:
    """keys[k]: normalized words of sentence k; trans[k]: the other side's keys they translate to."""

    keys: list[frozenset[str]]
    trans: list[frozenset[str]]
    anchors: list[frozenset[str]]
    lengths: np.ndarray
    # Words that a dictionary could have matched, found in the other text or not:
    # a sentence whose words find nothing is itself evidence (of an omission).
    words: list[int]


def _lang(code: str) -> str:
    return code.lower().split("-")[0].split("_")[0]


def build_sides(
    src: list[str],
    tgt: list[str],
    src_lang: str,
    tgt_lang: str,
    src_anchors: list[set[str]],
    tgt_anchors: list[set[str]],
) -> tuple[Side, Side]:
    sl, tl = _lang(src_lang), _lang(tgt_lang)
    pair = {sl, tl}
    src_keys: list[frozenset[str]]
    tgt_keys: list[frozenset[str]]
    cedict = load_cedict() if pair == {"zh", "en"} else None
    if cedict is not None:
        zh_is_src = sl == "zh"
        zh_texts, en_texts = (src, tgt) if zh_is_src else (tgt, src)
        zh_words_k = [cedict.segment_words(zh_words(t)) for t in zh_texts]
        en_stems_k = [en_keys(t) for t in en_texts]
        zh_vocab = set().union(*zh_words_k)
        en_vocab = set().union(*en_stems_k)
        # Only translations that occur in the other text can ever match: keeping
        # the sets to those makes them small, and makes "share of words matched"
        # a share of the words that could have been.
        z2e, e2z = cedict.reverse(zh_vocab, en_vocab)
        glossed = cedict.stems()
        zh_n = [len(set(ws)) for ws in zh_words_k]
        en_n = [sum(1 for e in es if e in glossed) for es in en_stems_k]
        zh_k = [frozenset(w for w in ws if z2e[w]) for ws in zh_words_k]
        zh_t = [frozenset().union(*(z2e[w] for w in k)) for k in zh_k]
        en_k = [frozenset(e for e in es if e2z[e]) for es in en_stems_k]
        en_t = [frozenset().union(*(e2z[e] for e in k)) for k in en_k]
        if zh_is_src:
            src_keys, src_trans, tgt_keys, tgt_trans = zh_k, zh_t, en_k, en_t
            src_n, tgt_n = zh_n, en_n
        else:
            src_keys, src_trans, tgt_keys, tgt_trans = en_k, en_t, zh_k, zh_t
            src_n, tgt_n = en_n, zh_n
    elif pair <= (_LATIN_SCRIPT | _CYRILLIC):
        # Shared political vocabulary is borrowed across these scripts: cognates.
        sk = [cognate_keys(t, sl) for t in src]
        tk = [cognate_keys(t, tl) for t in tgt]
        shared = set().union(*sk) & set().union(*tk)
        src_keys = [frozenset(k & shared) for k in sk]
        tgt_keys = [frozenset(k & shared) for k in tk]
        src_trans, tgt_trans = src_keys, tgt_keys
        # Without a dictionary only the shared forms say anything.
        src_n, tgt_n = [len(k) for k in src_keys], [len(k) for k in tgt_keys]
    else:
        src_keys = src_trans = [frozenset()] * len(src)
        tgt_keys = tgt_trans = [frozenset()] * len(tgt)
        src_n, tgt_n = [0] * len(src), [0] * len(tgt)
    # An anchor that the other text never shows is no evidence either way.
    shared = set().union(*src_anchors) & set().union(*tgt_anchors)

    def side(
        texts: list[str],
        keys: list[frozenset[str]],
        trans: list[frozenset[str]],
        anchors: list[set[str]],
        n: list[int],
    ) -> Side:
        lengths = np.array([sentence_length(t) for t in texts], dtype=np.float64)
        return Side(keys, trans, [frozenset(a & shared) for a in anchors], lengths, n)

    return (
        side(src, src_keys, src_trans, src_anchors, src_n),
        side(tgt, tgt_keys, tgt_trans, tgt_anchors, tgt_n),
    )


@dataclass(slots=True)
class PairBand:
    """Pairwise evidence for source sentence s and target sentences t in [lo[s], lo[s] + width).

    ``src[s, t - lo[s]]``: weighted count of items of s with a match in t;
    ``tgt[s, t - lo[s]]``: the same for the items of t. Outside the band: 0.
    """

    lo: np.ndarray
    width: int
    src: np.ndarray
    tgt: np.ndarray
    any: bool  # False when no pair in the band shares anything: lookups can be skipped


def pair_band(
    a: Side,
    b: Side,
    lo: np.ndarray,
    width: int,
    *,
    anchor_weight: float,
    lexical: bool,
) -> PairBand:
    lo = np.asarray(lo, dtype=np.int64)
    # Counts are whole numbers and the weight multiplies whole counts, so the
    # sums are exact whatever the order they are added in.
    anchors = _overlaps(a.anchors, b.anchors, lo, width) * anchor_weight
    src = anchors.copy()
    tgt = anchors
    if lexical:
        # A sentence without dictionary words has no translations either.
        has_keys = np.array([bool(k) for k in a.keys], dtype=bool)[:, None]
        src += np.where(has_keys, _overlaps(a.keys, b.trans, lo, width), 0.0)
        tgt += np.where(has_keys, _overlaps(a.trans, b.keys, lo, width), 0.0)
    return PairBand(lo, width, src, tgt, bool(src.any() or tgt.any()))


def _incidence(
    sets: Sequence[Iterable[str]], ids: dict[str, int], *, grow: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(sentence, item id) for every item of every set; items not in ``ids`` are
    numbered when ``grow``, else left out (the other side never has them)."""
    rows: list[int] = []
    items: list[int] = []
    for k, items_k in enumerate(sets):
        for x in items_k:
            i = ids.get(x)
            if i is None:
                if not grow:
                    continue
                i = ids[x] = len(ids)
            rows.append(k)
            items.append(i)
    return np.array(rows, dtype=np.int64), np.array(items, dtype=np.int64)


def _overlaps(
    a_sets: Sequence[Iterable[str]], b_sets: Sequence[Iterable[str]], lo: np.ndarray, width: int
) -> np.ndarray:
    """``out[s, t - lo[s]] = len(a_sets[s] & b_sets[t])`` for t in the band, as floats.

    The pairs of sentences sharing an item are found by joining the two sides'
    (sentence, item) lists on the item: work in proportion to the pairs that share
    something, not to every cell of the band (a set intersection per cell cost a
    third of aligning two documents)."""
    n = len(a_sets)
    out = np.zeros((n, width))
    if n == 0 or width <= 0:
        return out
    ids: dict[str, int] = {}
    b_rows, b_items = _incidence(b_sets, ids, grow=True)
    a_rows, a_items = _incidence(a_sets, ids, grow=False)
    if not len(a_rows) or not len(b_rows):
        return out
    order = np.argsort(b_items, kind="stable")
    b_items, b_rows = b_items[order], b_rows[order]
    first = np.searchsorted(b_items, a_items, side="left")
    count = np.searchsorted(b_items, a_items, side="right") - first
    total = int(count.sum())
    if total == 0:
        return out
    # Every (a incidence, b incidence) with the same item: a's row repeated, and
    # b's positions first[i], first[i] + 1, ... for each a incidence i.
    rows = np.repeat(a_rows, count)
    starts = np.repeat(first - (np.cumsum(count) - count), count)
    cols = b_rows[starts + np.arange(total)] - lo[rows]
    inside = (cols >= 0) & (cols < width)
    cells = rows[inside] * width + cols[inside]
    out += np.bincount(cells, minlength=n * width).reshape(n, width)
    return out


def totals(side: Side, anchor_weight: float, lexical: bool) -> np.ndarray:
    """Most a sentence can match: its dictionary words plus its weighted anchors."""
    return np.array(
        [
            (max(len(k), w) if lexical else 0) + anchor_weight * len(an)
            for k, w, an in zip(side.keys, side.words, side.anchors, strict=True)
        ],
        dtype=np.float64,
    )
