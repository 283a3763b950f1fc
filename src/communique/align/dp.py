"""Banded dynamic programming over sentence beads, vectorized along each row.

Row i of the table holds the best score of aligning the first i source
sentences with the first j target sentences, for j in the row's band
[lo[i], lo[i] + width). Every bead that consumes source sentences reads finished
rows only, so a whole row is one numpy expression per bead type; the 0-1 bead
(a target sentence alone) reads its own row and is resolved by a running
maximum (``np.maximum.accumulate``), which is exact because its penalty is
constant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

NEG = -np.inf
CHUNK = 256

# score(a, b, rows, cols) -> (len(rows), width) scores of bead (a, b) ending at those cells;
# ``cols`` holds the target index j of every cell.
BeadScore = Callable[[int, int, np.ndarray, np.ndarray], np.ndarray]


def band_from_centre(centre: np.ndarray, half: int, m: int) -> tuple[np.ndarray, int] | None:
    """lo[i] for a band of half-width ``half`` around ``centre[i]`` (a target index per row).

    None when no monotone path from (0, 0) to (n, m) fits in such a band.
    """
    width = min(2 * half + 1, m + 1)
    lo = np.clip(np.round(centre).astype(np.int64) - half, 0, m + 1 - width)
    lo = np.maximum.accumulate(lo)
    lo[0] = 0
    lo[-1] = m + 1 - width
    # Consecutive rows must overlap, or the path cannot pass from one to the next.
    step = max(width - 2, 1)
    for i in range(len(lo) - 2, -1, -1):
        lo[i] = max(lo[i], lo[i + 1] - step)
    if lo[0] != 0:
        return None
    return lo, width


def run(
    n: int,
    m: int,
    lo: np.ndarray,
    width: int,
    beads: Sequence[tuple[int, int]],
    score: BeadScore,
    gap_penalty: float,
) -> list[tuple[int, int]]:
    """The best sequence of beads (a, b) from (0, 0) to (n, m) inside the band."""
    cols = np.arange(width)
    # The table is padded with -inf on both sides, so that reading a previous row
    # shifted by any offset is a plain slice.
    pad = width + 4
    table = np.full((n + 1, width + 2 * pad), NEG)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    src_beads = [(k, a, b) for k, (a, b) in enumerate(beads) if a > 0]
    codes = np.array([k for k, _, _ in src_beads], dtype=np.int8)
    gap = len(beads)  # back-pointer code of the 0-1 bead
    ramp = gap_penalty * cols
    cand = np.empty((len(src_beads), width))

    for r0 in range(0, n + 1, CHUNK):
        r1 = min(n + 1, r0 + CHUNK)
        rows = np.arange(r0, r1)
        j = lo[r0:r1, None] + cols[None, :]
        scores = [score(a, b, rows, j) for _, a, b in src_beads]
        for i in range(r0, r1):
            cand.fill(NEG)
            for q, (_, a, b) in enumerate(src_beads):
                if i < a:
                    continue
                # Cell c of row i is target j = lo[i] + c; it reads j - b of row i - a.
                d = int(lo[i] - lo[i - a]) - b
                if -pad <= d <= pad:
                    np.add(table[i - a, pad + d : pad + d + width], scores[q][i - r0], out=cand[q])
            arg = cand.argmax(axis=0)
            best = cand[arg, cols]
            if i == 0:
                best[0] = 0.0
            # 0-1 beads along the row: best[c] vs best[c'] - penalty * (c - c') for c' < c.
            run_max = np.maximum.accumulate(best + ramp) - ramp
            # (x + ramp) - ramp need not give x back exactly: compare with a tolerance.
            from_left = run_max > best + 1e-9
            table[i, pad : pad + width] = np.where(from_left, run_max, best)
            back[i] = np.where(from_left, gap, codes[arg])

    path: list[tuple[int, int]] = []
    i, jj = n, m
    while i > 0 or jj > 0:
        c = jj - lo[i]
        if not 0 <= c < width or table[i, pad + c] == NEG:
            raise RuntimeError("no alignment path inside the band")
        k = int(back[i, c])
        a, b = (0, 1) if k == gap else beads[k]
        path.append((a, b))
        i -= a
        jj -= b
    path.reverse()
    return path
