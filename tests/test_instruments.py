"""Cited legal instruments in en/zh/ru: names, kinds, numbers, dates and exact spans."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from communique.extract.instruments import find_instruments
from communique.knowledge import Knowledge, load
from communique.normalize import normalize
from communique.readers import read
from communique.records import Instrument, RawDocument, SegmentedDocument
from communique.segment import segment

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def seg_of(text: str) -> SegmentedDocument:
    data = text.encode()
    raw = RawDocument("t.txt", "t.txt", "txt", text, hashlib.sha256(data).hexdigest(), len(data))
    return segment(normalize(raw))


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load()


def table(
    seg: SegmentedDocument, found: list[Instrument]
) -> list[tuple[str, str | None, str | None, str | None]]:
    for i in found:
        assert seg.text[i.start : i.end] == i.name
        assert i.sentence == seg.sentence_at(i.start).index
    return [(i.name, i.kind, i.date, i.number) for i in found]


EN = """DECLARATION

The heads of state recalled the SCO Charter signed on June 7, 2002 in St. Petersburg and the Treaty on Long-Term Good-Neighbourliness, Friendship and Cooperation.

They welcomed UN Security Council Resolution 1540 and Resolution 2178 of the UN Security Council, and the Bonn Agreement of December 5, 2001.

The Parties will implement the Shanghai Convention on Combating Terrorism, Separatism and Extremism and the Memorandum of Understanding between the SCO Secretariat and ASEAN.

The Program of Multilateral Trade and Economic Cooperation adopted in September 2003 and the UN Drug Control Program were discussed, as was the respective agreement.
"""


def test_english_genre(kb: Knowledge) -> None:
    seg = seg_of(EN)
    assert table(seg, find_instruments(seg, kb, "2004-06-17")) == [
        ("SCO Charter", "charter", "2002-06-07", None),
        (
            "Treaty on Long-Term Good-Neighbourliness, Friendship and Cooperation",
            "treaty",
            None,
            None,
        ),
        ("UN Security Council Resolution 1540", "resolution", None, "1540"),
        ("Resolution 2178 of the UN Security Council", "resolution", None, "2178"),
        ("Bonn Agreement", "agreement", "2001-12-05", None),
        (
            "Shanghai Convention on Combating Terrorism, Separatism and Extremism",
            "convention",
            None,
            None,
        ),
        (
            "Memorandum of Understanding between the SCO Secretariat and ASEAN",
            "memorandum",
            None,
            None,
        ),
        ("Program of Multilateral Trade and Economic Cooperation", "program", "2003-09", None),
    ]


ZH = """## 上海合作组织成员国元首宣言

各方重申恪守《联合国宪章》宗旨和原则，欢迎2001年12月5日的波恩协议和安理会第1373号决议，表示将落实《上海合作组织宪章》。各方达成原则协议，并执行有关决议。
"""


def test_chinese_genre(kb: Knowledge) -> None:
    seg = seg_of(ZH)
    assert table(seg, find_instruments(seg, kb, "2002-06-07")) == [
        ("《联合国宪章》", "charter", None, None),
        ("波恩协议", "agreement", "2001-12-05", None),
        ("安理会第1373号决议", "resolution", None, "1373"),
        ("《上海合作组织宪章》", "charter", None, None),
    ]


RU = """ДЕКЛАРАЦИЯ

Главы государств напомнили о Хартии ШОС, подписанной 7 июня 2002 года, и о Договоре о долгосрочном добрососедстве, дружбе и сотрудничестве.

Они приветствовали резолюцию СБ ООН 1540 и Конвенцию «О борьбе с терроризмом».
"""


def test_russian_genre(kb: Knowledge) -> None:
    seg = seg_of(RU)
    assert table(seg, find_instruments(seg, kb, "2004-06-17")) == [
        ("Хартии ШОС", "charter", "2002-06-07", None),
        ("Договоре о долгосрочном добрососедстве", "treaty", None, None),
        ("резолюцию СБ ООН 1540", "resolution", None, "1540"),
        ("Конвенцию «О борьбе с терроризмом»", "convention", None, None),
    ]


@pytest.mark.skipif(not (SHARED / "corpus" / "seeds").is_dir(), reason="no shared seeds")
def test_seed_004(kb: Knowledge) -> None:
    seg = segment(normalize(read(next((SHARED / "corpus" / "seeds").glob("004_*.txt")))))
    got = {(i.name, i.kind, i.date, i.number) for i in find_instruments(seg, kb, "2014-07-31")}
    assert {
        ("Geneva Communiqué", "communique", "2012-06-30", None),
        ("Resolution 2118 of the UN Security Council", "resolution", None, "2118"),
        ("UN Security Council Resolution 2166", "resolution", None, "2166"),
        ("Treaty on the Nuclear-Weapon-Free Zone in Central Asia", "treaty", None, None),
        ("UN Charter", "charter", None, None),
    } <= got
