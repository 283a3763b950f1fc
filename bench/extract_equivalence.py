"""Check that a speed change left every extraction output byte-identical.

Run before a change:  PYTHONPATH=src .venv/bin/python bench/extract_equivalence.py dump /tmp/eq.json
Run after it:         PYTHONPATH=src .venv/bin/python bench/extract_equivalence.py check /tmp/eq.json

For every document (the seeds, tests/docs, tests/blind, tests/heldout and a
generated corpus of ``--generated`` documents from bench/corpus.py, seed 11) it
records the segmentation (paragraphs, sentences, tokens with lemmas), the
extraction record (``Extraction.to_record()``), every mention (kind, value,
span, sentence, attrs) and the record's extra fields (meeting body, person
offices). ``check`` recomputes the same and reports every document that differs,
with the first differing key. A stored snapshot is only a before/after pair for
one change: rules change, so it is not kept as a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from communique.extract import extract
from communique.normalize import normalize
from communique.readers import read
from communique.segment import segment

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"


def _corpus_module() -> Any:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_corpus", module)
    spec.loader.exec_module(module)
    return sys.modules["bench_corpus"]


def documents(generated: int, folder: Path) -> list[Path]:
    paths: list[Path] = []
    for d in (SHARED / "corpus" / "seeds", ROOT / "tests" / "docs", ROOT / "tests" / "blind"):
        paths.extend(sorted(d.glob("*.txt")))
    paths.extend(sorted((ROOT / "tests" / "heldout").glob("*.txt")))
    if generated:
        target = folder / f"generated-{generated}"
        if not any(target.rglob("*.txt")):
            _corpus_module().generate(target, generated, seed=11, jobs=1)
        paths.extend(sorted(target.rglob("*.txt")))
    return paths


def snapshot(path: Path) -> dict[str, Any]:
    seg = segment(normalize(read(path)))
    ex = extract(seg)
    return {
        "segment": {
            "language": seg.language,
            "paragraphs": [[p.index, p.start, p.end] for p in seg.paragraphs],
            "sentences": [[s.index, s.paragraph, s.start, s.end] for s in seg.sentences],
            "tokens": [[[t.start, t.end, t.text, t.lemma] for t in ts] for ts in seg.tokens],
            "warnings": list(seg.doc.warnings),
        },
        "record": ex.to_record(),
        "extra": {
            "meeting_body": ex.meeting.body,
            "persons": [
                [p.name, p.role, p.country, p.office, p.start, p.end, p.sentence]
                for p in ex.persons
            ],
            "participants": [
                [p.name, p.role, p.country, p.office, p.start, p.end, p.sentence]
                for p in ex.meeting.participants
            ],
            "instruments": [[i.start, i.end, i.sentence] for i in ex.instruments],
            "commitments": [
                [c.sentence_index, c.deadline_start, c.deadline_end] for c in ex.commitments
            ],
        },
        "mentions": [
            [m.kind, m.value, m.start, m.end, m.surface, m.sentence, m.attrs] for m in ex.mentions
        ],
    }


def _key(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT.resolve()))
    except ValueError:
        return path.name if "generated-" not in str(path) else "generated/" + path.name


def _first_diff(a: Any, b: Any, where: str = "") -> str:
    if type(a) is not type(b):
        return f"{where}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b), key=str):
            if a.get(k) != b.get(k):
                return _first_diff(a.get(k), b.get(k), f"{where}.{k}")
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x != y:
                return _first_diff(x, y, f"{where}[{i}]")
        if len(a) != len(b):
            return f"{where}: length {len(a)} != {len(b)}"
    return f"{where}: {str(a)[:200]!r} != {str(b)[:200]!r}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["dump", "check"])
    ap.add_argument("snapshot", type=Path)
    ap.add_argument("--generated", type=int, default=300)
    ap.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "communique-eq")
    args = ap.parse_args()
    paths = documents(args.generated, args.folder)
    # A JSON round trip, so that tuples and lists compare the same on both sides.
    now = {_key(p): json.loads(json.dumps(snapshot(p), ensure_ascii=False)) for p in paths}
    if args.mode == "dump":
        args.snapshot.write_text(json.dumps(now, ensure_ascii=False, sort_keys=True))
        print(f"{len(now)} documents -> {args.snapshot}")
        return
    before = json.loads(args.snapshot.read_text())
    bad = 0
    for key in sorted(set(before) | set(now)):
        if before.get(key) != now.get(key):
            bad += 1
            print(f"DIFF {key}{_first_diff(before.get(key), now.get(key))}")
    print(f"{len(now)} documents compared, {bad} differ")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
