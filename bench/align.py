"""Sentence-alignment benchmark: communique's aligner against the published aligners.

Runs ``communique.align.align`` on the data sets in ``shared/data/align`` and
scores it as their READMEs describe (Sennrich & Volk 2010 as implemented in
Vecalign/Bertalign: precision over all non-empty test beads, recall over gold
beads without insertions/deletions, strict = identical bead, lax = the bead
overlaps a gold bead on both sides; counts pooled over the files of a set).
The Bible gold is verse-based, so test beads are merged by verse first, as the
Bertalign evaluation does. ``hunalign`` is run as the baseline when it is on
PATH; otherwise MAC-Test's shipped Hunalign output is scored instead (no speed).

    PYTHONPATH=src .venv/bin/python bench/align.py [--sets mac-dev mac-test bible]

MAC-Dev is the tuning set. MAC-Test and the Bible are reported untouched.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from communique.align import align

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "align"

Bead = tuple[tuple[int, ...], tuple[int, ...]]

# Published (or, for MAC-Test, recomputed from shipped outputs) strict / lax F1, from the READMEs.
PUBLISHED: dict[str, list[tuple[str, float, float]]] = {
    "mac-dev": [
        ("Gale-Church", 0.485, 0.737),
        ("Hunalign (LDC dict)", 0.610, 0.852),
        ("Bleualign", 0.641, 0.873),
        ("Vecalign (LaBSE)", 0.863, 0.997),
        ("Bertalign (LaBSE)", 0.911, 0.998),
    ],
    "mac-test": [
        ("Gale-Church", 0.491, 0.731),
        ("Hunalign (LDC dict)", 0.627, 0.850),
        ("Bleualign", 0.680, 0.902),
        ("Vecalign (LaBSE)", 0.886, 0.995),
        ("Bertalign (LaBSE)", 0.915, 0.997),
    ],
    "bible": [
        ("Gale-Church", 0.821, 0.931),
        ("Hunalign", 0.895, 0.972),
        ("Bleualign", 0.788, 0.919),
        ("Vecalign", 0.978, 1.000),
        ("Bertalign", 0.979, 1.000),
    ],
}


@dataclass
class Pair:
    name: str
    src: list[str]
    tgt: list[str]
    gold: list[Bead]


@dataclass
class DataSet:
    key: str
    folder: str
    src_lang: str
    tgt_lang: str
    verses: tuple[list[str], list[str]] | None = None


SETS = {
    "mac-dev": DataSet("mac-dev", "bertalign-mac-dev", "zh", "en"),
    "mac-test": DataSet("mac-test", "bertalign-mac-test", "zh", "en"),
    "bible": DataSet("bible", "bertalign-bible-en-zh", "en", "zh"),
}


def read_beads(path: Path) -> list[Bead]:
    beads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        left, right = line.split(":", 1)
        beads.append((tuple(ast.literal_eval(left)), tuple(ast.literal_eval(right))))
    return beads


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def load(ds: DataSet) -> list[Pair]:
    root = DATA / ds.folder
    pairs = []
    for gold in sorted((root / "gold").glob("*.align")):
        name = gold.stem
        pairs.append(
            Pair(
                name,
                read_lines(root / ds.src_lang / name),
                read_lines(root / ds.tgt_lang / name),
                read_beads(gold),
            )
        )
    if ds.key == "bible":
        ds.verses = (
            read_lines(root / f"{ds.src_lang}.verse"),
            read_lines(root / f"{ds.tgt_lang}.verse"),
        )
    return pairs


# ------------------------------------------------------------------ scoring


def _counts(gold: Iterable[Bead], test: Iterable[Bead]) -> tuple[int, int, int, int]:
    """tp/fp strict, tp/fp lax of ``test`` against ``gold`` (Vecalign's counting)."""
    gold_set = {g for g in gold if g[0] or g[1]}
    src_to_gold_tgt: dict[int, set[int]] = defaultdict(set)
    for gs, gt in gold_set:
        for s in gs:
            src_to_gold_tgt[s].update(gt)
    tps = fps = tpl = fpl = 0
    for ts, tt in {t for t in test if t[0] or t[1]}:
        if (ts, tt) in gold_set:
            tps += 1
            tpl += 1
            continue
        fps += 1
        reach = set().union(*(src_to_gold_tgt[s] for s in ts)) if ts else set()
        if reach & set(tt):
            tpl += 1
        else:
            fpl += 1
    return tps, fps, tpl, fpl


class Score:
    def __init__(self) -> None:
        self.p = [0, 0, 0, 0]
        self.r = [0, 0, 0, 0]

    def add(self, gold: Sequence[Bead], test: Sequence[Bead]) -> None:
        for k, v in enumerate(_counts(gold, test)):
            self.p[k] += v
        # Recall is precision with the roles swapped, insertions/deletions removed.
        g = [x for x in gold if x[0] and x[1]]
        t = [x for x in test if x[0] and x[1]]
        for k, v in enumerate(_counts(t, g)):
            self.r[k] += v

    def result(self) -> dict[str, float]:
        def div(a: int, b: int) -> float:
            return a / b if b else 0.0

        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        ps, pl = div(self.p[0], self.p[0] + self.p[1]), div(self.p[2], self.p[2] + self.p[3])
        rs, rl = div(self.r[0], self.r[0] + self.r[1]), div(self.r[2], self.r[2] + self.r[3])
        return {"P": ps, "R": rs, "F1": f1(ps, rs), "laxP": pl, "laxR": rl, "laxF1": f1(pl, rl)}


def merge_by_verse(beads: Sequence[Bead], src_verse: list[str], tgt_verse: list[str]) -> list[Bead]:
    """Consecutive beads inside one and the same verse become one bead (Bertalign's Bible rule)."""

    def verse_of(bead: Bead) -> str | None:
        sv = {src_verse[i] for i in bead[0]} or {"NULL"}
        tv = {tgt_verse[j] for j in bead[1]} or {"NULL"}
        if len(sv) != 1 or len(tv) != 1:
            return None
        s, t = next(iter(sv)), next(iter(tv))
        if s == t or t == "NULL":
            return s
        return t if s == "NULL" else None

    out: list[tuple[list[int], list[int]]] = []
    last: str | None = None
    for bead in beads:
        v = verse_of(bead)
        if out and last is not None and v == last:
            out[-1][0].extend(bead[0])
            out[-1][1].extend(bead[1])
        else:
            out.append((list(bead[0]), list(bead[1])))
        last = v
    return [(tuple(s), tuple(t)) for s, t in out]


# ------------------------------------------------------------------ aligners


def run_communique(ds: DataSet, pair: Pair) -> list[Bead]:
    result = align(pair.src, pair.tgt, ds.src_lang, ds.tgt_lang)
    return [(tuple(link.src), tuple(link.tgt)) for link in result.links]


def _tokenize_for_hunalign(lines: list[str], lang: str) -> list[str]:
    if lang != "zh":
        return lines
    import rjieba

    return [" ".join(w for w in rjieba.cut(x) if w.strip()) for x in lines]


def run_hunalign(ds: DataSet, pair: Pair, exe: str) -> list[Bead]:
    """Hunalign with an empty dictionary (length and identical tokens only), ladder output."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src.txt"
        tgt = Path(tmp) / "tgt.txt"
        dic = Path(tmp) / "null.dic"
        src.write_text(
            "\n".join(_tokenize_for_hunalign(pair.src, ds.src_lang)) + "\n", encoding="utf-8"
        )
        tgt.write_text(
            "\n".join(_tokenize_for_hunalign(pair.tgt, ds.tgt_lang)) + "\n", encoding="utf-8"
        )
        dic.write_text("", encoding="utf-8")
        out = subprocess.run(
            [exe, str(dic), str(src), str(tgt)], capture_output=True, text=True, check=True
        ).stdout
    rungs = [
        tuple(int(x) for x in line.split("\t")[:2]) for line in out.splitlines() if line.strip()
    ]
    beads: list[Bead] = []
    for (s0, t0), (s1, t1) in itertools.pairwise(rungs):
        if s1 > s0 or t1 > t0:
            beads.append((tuple(range(s0, s1)), tuple(range(t0, t1))))
    return beads


def shipped(ds: DataSet, pair: Pair, system: str) -> list[Bead] | None:
    path = DATA / ds.folder / "auto" / system / f"{pair.name}.align"
    return read_beads(path) if path.exists() else None


# ------------------------------------------------------------------ main


def evaluate(ds: DataSet, pairs: list[Pair], system: str, hunalign: str | None) -> None:
    score = Score()
    seconds = 0.0
    sentences = links = 0
    for pair in pairs:
        t0 = time.perf_counter()
        if system == "communique":
            test = run_communique(ds, pair)
        elif system == "hunalign" and hunalign:
            test = run_hunalign(ds, pair, hunalign)
        else:
            got = shipped(ds, pair, "hunalign")
            if got is None:
                return
            test = got
        seconds += time.perf_counter() - t0
        sentences += len(pair.src) + len(pair.tgt)
        links += len(test)
        if ds.verses is not None:
            test = merge_by_verse(test, *ds.verses)
        score.add(pair.gold, test)
    r = score.result()
    label = system if system != "shipped-hunalign" else "Hunalign (shipped output, LDC dict)"
    speed = (
        f"{seconds:7.2f} s  {sentences / seconds:9.0f} sentences/s  {links / seconds:8.0f} links/s"
        if system != "shipped-hunalign"
        else "   (no timing: output shipped with the data)"
    )
    print(
        f"  {label:<36} strict P {r['P']:.3f} R {r['R']:.3f} F1 {r['F1']:.3f}   "
        f"lax P {r['laxP']:.3f} R {r['laxR']:.3f} F1 {r['laxF1']:.3f}  {speed}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    ap.add_argument("--no-baseline", action="store_true", help="skip hunalign")
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"no benchmark data at {DATA}", file=sys.stderr)
        return 1
    hunalign = None if args.no_baseline else shutil.which("hunalign")
    if not args.no_baseline and hunalign is None:
        print(
            "hunalign is not on PATH: the baseline falls back to shipped outputs where there are any"
        )
    for key in args.sets:
        ds = SETS[key]
        pairs = load(ds)
        n_src = sum(len(p.src) for p in pairs)
        n_tgt = sum(len(p.tgt) for p in pairs)
        print(
            f"{key}: {len(pairs)} file(s), {n_src} {ds.src_lang} / {n_tgt} {ds.tgt_lang} sentences"
        )
        for name, strict, lax in PUBLISHED[key]:
            print(f"  {name + ' (published)':<36} strict F1 {strict:.3f}   lax F1 {lax:.3f}")
        evaluate(ds, pairs, "communique", hunalign)
        if not args.no_baseline:
            evaluate(ds, pairs, "hunalign" if hunalign else "shipped-hunalign", hunalign)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
