"""Data-quality warnings: malformed dates and two documents run together."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from communique.extract.quality import quality_warnings
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


def warnings(text: str, date: str | None = None) -> list[str]:
    return quality_warnings(seg_of(text), SimpleNamespace(date=date, title=None), [])


def test_malformed_dates_are_reported_with_offsets() -> None:
    text = "会议于202年6月22日在北京举行。协定于1972年9年11日签署。"
    got = warnings(text)
    seg = seg_of(text)
    assert len(got) == 2
    for w, surface in zip(got, ["202年6月22日", "1972年9年11日"], strict=True):
        assert w.startswith(f"malformed date '{surface}' at offset {seg.text.index(surface)}")
    assert warnings("The Agreement was signed on February 30, 2005 in Beijing.")[0].startswith(
        "malformed date 'February 30, 2005'"
    )


BODY = (
    "The ministers of foreign affairs met in Moscow and discussed cooperation in the fields of "
    "security, trade and culture, and reviewed the preparations for the forthcoming summit of the "
    "heads of state."
)


def test_two_documents_second_heading() -> None:
    text = f"JOINT COMMUNIQUE\n\n{BODY}\n\nMoscow, May 29, 2003\n\nJOINT COMMUNIQUE\n\n{BODY}\n"
    got = warnings(text)
    assert any("second heading 'JOINT COMMUNIQUE'" in w for w in got)


def test_two_documents_signature_lines() -> None:
    text = f"DECLARATION\n\n{BODY}\n\nMoscow, May 29, 2003\n\n{BODY}\n\nAstana, July 5, 2005\n"
    got = warnings(text)
    assert len(got) == 1
    assert "closing lines with different dates" in got[0]
    assert "2003-05-29" in got[0] and "2005-07-05" in got[0]


def test_two_documents_chinese_and_russian() -> None:
    zh_body = "部长们就本组织活动和迫切的国际问题进行了建设性的讨论，并就加强安全合作达成共识。" * 3
    zh = f"## 上海合作组织外交部长会议联合公报\n\n{zh_body}\n\n## 上海合作组织成员国元首宣言\n\n{zh_body}\n"
    assert any("second heading" in w for w in warnings(zh))
    ru_body = "Министры иностранных дел обсудили сотрудничество в области безопасности, торговли и культуры, а также подготовку к предстоящему саммиту глав государств."
    ru = f"СОВМЕСТНОЕ КОММЮНИКЕ\n\n{ru_body}\n\nМосква, 29 мая 2003 года\n\n{ru_body}\n\nАстана, 5 июля 2005 года\n"
    assert any("closing lines with different dates" in w for w in warnings(ru))


def test_one_document_has_no_warning() -> None:
    text = (
        f"DECLARATION\n\n(Astana, July 5, 2005)\n\n{BODY}\n\nII\n\n{BODY}\n\nAstana, July 5, 2005\n"
    )
    assert warnings(text) == []


@pytest.mark.skipif(not SEEDS, reason="no shared seeds")
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seeds_are_clean(seed: Path) -> None:
    seg = segment(normalize(read(seed)))
    assert quality_warnings(seg, SimpleNamespace(date=None, title=None), []) == []
