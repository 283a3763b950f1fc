"""The benchmark corpus generator: repeatable for a seed, and its documents extract.

bench/corpus.py writes what each document is meant to say (language, type,
date) in a manifest; extraction must read the same back. That checks both: a
generator drifting out of the genre, and an extractor failing on plain
documents of it in English, Chinese and Russian.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from communique.pipeline import process
from conftest import bench_corpus


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    corpus = bench_corpus()
    a = corpus.generate(tmp_path / "a", 30, seed=3, target_bytes=3000)
    b = corpus.generate(tmp_path / "b", 30, seed=3, target_bytes=3000, jobs=2)
    c = corpus.generate(tmp_path / "c", 30, seed=4, target_bytes=3000)
    assert a == b
    for t in a:
        assert (tmp_path / "a" / t.file).read_bytes() == (tmp_path / "b" / t.file).read_bytes()
    assert [(tmp_path / "a" / t.file).read_bytes() for t in a] != [
        (tmp_path / "c" / t.file).read_bytes() for t in c
    ]
    # Document i does not depend on how many are asked for.
    text, truth = corpus.document(3, 7, 3000)
    assert truth == a[7]
    assert (tmp_path / "a" / truth.file).read_text(encoding="utf-8") == text
    manifest = (tmp_path / "a" / corpus.MANIFEST).read_text(encoding="utf-8").splitlines()
    assert len(manifest) == 31 and manifest[1].startswith(a[0].file)


def test_documents_are_marked_sized_and_varied(tmp_path: Path) -> None:
    corpus = bench_corpus()
    truths = corpus.generate(tmp_path, 60, seed=5)
    sizes = [(tmp_path / t.file).stat().st_size for t in truths]
    assert 8_000 <= sum(sizes) / len(sizes) <= 12_000
    for t in truths:
        text = (tmp_path / t.file).read_text(encoding="utf-8")
        assert corpus.MARKER in text.splitlines()[-1]
        assert len({line for line in text.splitlines() if line}) > 5
    assert set(Counter(t.language for t in truths)) == {"en", "zh", "ru"}
    assert set(Counter(t.type for t in truths)) == {"communique", "declaration", "press_release"}
    assert len({t.organization for t in truths}) >= 4


def test_extraction_reads_back_language_type_date_and_chair(tmp_path: Path) -> None:
    corpus = bench_corpus()
    truths = corpus.generate(tmp_path, 36, seed=9, target_bytes=2500)
    wrong: list[str] = []
    chairs = 0
    for t in truths:
        p = process(tmp_path / t.file)
        got = (p.doc.language, p.extraction.type, p.extraction.date)
        if got != (t.language, t.type, t.date):
            wrong.append(f"{t.file}: {got} != {(t.language, t.type, t.date)}")
        chair = p.extraction.meeting.chair
        chairs += chair is not None and chair.name == t.chair
    assert wrong == []
    # Person names are made up; the extractor must still find most chairs.
    assert chairs >= 0.8 * len(truths)
