"""The extraction record scored against the hand-checked gold, with the project's own scorer run.

These are the issue's acceptance commands, run in-process: `communique extract seeds --json`
then `shared/eval/score.py extract`.
"""

from __future__ import annotations

import pytest

from communique.pipeline import process
from conftest import SHARED, score_extract

SEEDS = sorted((SHARED / "corpus" / "seeds").glob("*.txt"))

pytestmark = pytest.mark.skipif(not SEEDS, reason="../shared/corpus/seeds not present")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [process(p).extraction.to_record() for p in SEEDS]


@pytest.fixture(scope="module")
def scores(records: list[dict], tmp_path_factory: pytest.TempPathFactory) -> dict:
    return score_extract(records, SHARED / "gold", tmp_path_factory.mktemp("pred"))


def _main(scores: dict, field: str) -> float:
    value = scores["fields"][field] if "fields" in scores else scores[field]
    if isinstance(value, dict):
        for key in ("f1", "accuracy", "score"):
            if key in value:
                return float(value[key])
    return float(value)


@pytest.mark.parametrize("field", ["language", "type", "date", "place", "organization", "body"])
def test_metadata_fields_are_exact(scores: dict, field: str) -> None:
    assert _main(scores, field) == 1.0


def test_overall_and_every_field(scores: dict) -> None:
    assert float(scores["overall"]) >= 0.97
    for field in (
        "meeting.participants",
        "meeting.chair",
        "states",
        "organizations",
        "dates",
        "commitments",
    ):
        assert _main(scores, field) >= 0.95, field


def test_every_value_reproduces_its_surface() -> None:
    for path in SEEDS:
        doc = process(path)
        seg, ex = doc.segmented, doc.extraction
        text = seg.text
        for m in ex.mentions:
            if m.sentence == -1:  # read from a record header, which is not body text
                continue
            assert text[m.start : m.end] == m.surface, (path.name, m)
            sent = seg.sentences[m.sentence]
            # a title may run over several heading lines; it starts in its sentence
            assert sent.start <= m.start < sent.end, (path.name, m)
            if m.kind != "meta":
                assert m.end <= sent.end, (path.name, m)
        for c in ex.commitments:
            assert text[c.start : c.end] == c.sentence, (path.name, c)
        for p in [*ex.meeting.participants, *ex.persons]:
            if p.start >= 0:
                assert text[p.start : p.end] == p.name, (path.name, p)
