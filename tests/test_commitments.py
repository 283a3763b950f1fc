"""Commitments: the gold commitments of the seeds, and genre texts written for these tests."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from communique.extract.commitments import find_commitments
from communique.knowledge import Knowledge, load
from communique.normalize import normalize
from communique.readers import read
from communique.records import RawDocument, SegmentedDocument
from communique.segment import segment

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEEDS = sorted((SHARED / "corpus" / "seeds").glob("*.txt"))


def seg_of(text: str) -> SegmentedDocument:
    data = text.encode()
    raw = RawDocument("t.txt", "t.txt", "txt", text, hashlib.sha256(data).hexdigest(), len(data))
    return segment(normalize(raw))


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load()


@pytest.mark.skipif(not SEEDS, reason="no shared seeds")
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_commitments_match_gold(seed: Path, kb: Knowledge) -> None:
    gold = json.loads((SHARED / "gold" / seed.name.replace(".txt", ".json")).read_text())
    seg = segment(normalize(read(seed)))
    got = find_commitments(seg, kb, gold["date"], gold["organization"])
    assert len(got) == len(gold["commitments"])
    for c, g in zip(got, gold["commitments"], strict=True):
        assert " ".join(c.sentence.split()) == " ".join(g["sentence"].split())
        assert c.deadline == g["deadline"]
        assert c.deadline_text == g["deadline_text"] or g["deadline_text"] in c.deadline_text
        assert seg.text[c.start : c.end] == c.sentence
        assert seg.text[c.deadline_start : c.deadline_end] == c.deadline_text


EN = """JOINT STATEMENT

The meeting of the Council of Ministers of Foreign Affairs was held on 10 March 2010 in Tashkent.

The ministers agreed that the Secretariat will submit a draft budget not later than 1 September 2010.

The member states will complete the ratification of the Agreement before the end of 2011.

The Council of National Coordinators shall prepare the draft Strategy by the next meeting of the Council of Heads of State.

The Parties will strengthen cooperation in the fight against drug trafficking.

The ministers recalled that the Organization adopted its budget in January 2010.

The Council called on the observer states to set a deadline for their applications.
"""


def test_english_genre(kb: Knowledge) -> None:
    got = find_commitments(seg_of(EN), kb, "2010-03-10", "SCO")
    assert [(c.deadline, c.deadline_text) for c in got] == [
        ("2010-09-01", "not later than 1 September 2010"),
        ("2011-12-31", "before the end of 2011"),
        (None, "by the next meeting of the Council of Heads of State"),
    ]
    assert got[0].actor == "SECRETARIAT"
    assert got[1].actor == "SCO"
    assert got[2].actor == "CNC"


ZH = """各方商定，秘书处应在2010年9月1日前提交预算草案。

成员国将于2011年底前完成协定的批准程序。

国家协调员理事会将在下次元首理事会会议前准备战略草案。

各方将加强打击毒品走私的合作。

部长们回顾，本组织于2010年1月通过了预算。
"""


def test_chinese_genre(kb: Knowledge) -> None:
    got = find_commitments(seg_of(ZH), kb, "2010-03-10", "SCO")
    assert [(c.deadline, c.deadline_text) for c in got] == [
        ("2010-09-01", "在2010年9月1日前"),
        ("2011-12-31", "于2011年底前"),
        (None, "在下次元首理事会会议前"),
    ]


RU = """Министры договорились, что Секретариат представит проект бюджета не позднее 1 сентября 2010 года.

Государства-члены завершат ратификацию Соглашения и будут готовы к его применению до конца 2011 года.

Совет национальных координаторов подготовит проект Стратегии к следующему заседанию Совета глав государств.

Стороны будут укреплять сотрудничество в борьбе с наркотрафиком.

Министры напомнили, что бюджет был утвержден в январе 2010 года.
"""


def test_russian_genre(kb: Knowledge) -> None:
    got = find_commitments(seg_of(RU), kb, "2010-03-10", "SCO")
    assert [(c.deadline, c.deadline_text) for c in got] == [
        ("2010-09-01", "не позднее 1 сентября 2010 года"),
        ("2011-12-31", "до конца 2011 года"),
        (None, "к следующему заседанию Совета"),
    ]
    assert got[2].actor == "CNC"
