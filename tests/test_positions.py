"""Positions: (sentence, issue) pairs where the issuing side takes a stance, in en/zh/ru."""

from __future__ import annotations

import pytest

from communique.extract.positions import find_positions, stance_cue
from communique.knowledge import Knowledge, load
from communique.records import NormalizedDocument, RawDocument, SegmentedDocument
from communique.segment import segment


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load()


def doc(text: str, lang: str) -> SegmentedDocument:
    raw = RawDocument(
        path="t.txt", name="t.txt", format="txt", text=text, sha256="0" * 64, size=len(text)
    )
    return segment(NormalizedDocument(raw=raw, text=text, language=lang))


def positions(text: str, lang: str, kb: Knowledge) -> list[tuple[int, str]]:
    seg = doc(text, lang)
    found = find_positions(seg, kb)
    for m in found:
        assert m.kind == "position"
        sentence = seg.sentences[m.sentence]
        assert (m.start, m.end, m.surface) == (sentence.start, sentence.end, sentence.text)
        assert seg.text[m.start : m.end] == m.surface
        assert m.attrs["keywords"]
    return [(m.sentence, m.value) for m in found]


EN = """JOINT STATEMENT OF THE MINISTERS OF FOREIGN AFFAIRS

The meeting was held in Astana on 12 April 2023.

The ministers reaffirmed their support for an independent, neutral and peaceful Afghanistan free from terrorism and drugs.

The parties expressed concern over the growing threat of cyber attacks and stand for a UN-led approach to international information security.

Terrorist attacks took place in several cities in 2022.

The ministers welcomed the results of the meeting.

The member states believe that the reform of the UN Security Council should be based on the broadest possible consensus.
"""


def test_english_positions(kb: Knowledge) -> None:
    assert positions(EN, "en", kb) == [
        (2, "AFGHANISTAN"),
        (2, "TERRORISM"),
        (2, "DRUGS"),
        (3, "INFORMATION_SECURITY"),
        (6, "UN_REFORM"),
    ]


RU = """Министры подтвердили приверженность борьбе с терроризмом, сепаратизмом и экстремизмом.

Заседание состоялось в Бишкеке.

Государства-члены выступают за урегулирование сирийского кризиса политико-дипломатическими средствами.

Стороны выразили обеспокоенность ростом незаконного оборота наркотиков.

В Сирии прошли выборы.
"""


def test_russian_positions_by_lemma(kb: Knowledge) -> None:
    assert positions(RU, "ru", kb) == [(0, "TERRORISM"), (2, "SYRIA"), (3, "DRUGS")]


ZH = """部长们重申坚决打击恐怖主义、分裂主义和极端主义。

会议在杜尚别举行。

各方支持通过政治外交途径解决叙利亚问题，呼吁维护中东地区和平稳定。

伊拉克举行了选举。
"""


def test_chinese_positions(kb: Knowledge) -> None:
    assert positions(ZH, "zh", kb) == [(0, "TERRORISM"), (2, "SYRIA"), (2, "MIDDLE_EAST")]


def test_stance_cues() -> None:
    assert stance_cue("The ministers have argued in favor of a nuclear-free zone", "en")
    assert stance_cue("Serious concerns have been voiced regarding drugs", "en")
    assert stance_cue("The meeting was held in Moscow.", "en") is None
    assert stance_cue("部长们认为", "zh") == "认为"
    assert stance_cue("会议在北京举行。", "zh") is None
    assert stance_cue("Министры приветствуют решение", "ru") == "приветствовать"
    assert stance_cue("Заседание состоялось в Москве", "ru") is None
