"""Document metadata on the seeds (against the gold) and on documents of our own in en/zh/ru."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from communique.extract.metadata import Metadata, extract_metadata
from communique.knowledge import Knowledge, load
from communique.normalize import normalize
from communique.readers import read
from communique.records import RawDocument, SegmentedDocument
from communique.segment import segment

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold"
DOCS = Path(__file__).resolve().parent / "docs"
OWN_DOCS = sorted(DOCS.glob("*.txt"))
FIELDS = ("type", "date", "place", "organization", "body")


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load()


def _seg(path: Path) -> SegmentedDocument:
    return segment(normalize(read(path)))


def _seg_text(text: str, name: str = "inline.txt") -> SegmentedDocument:
    raw = RawDocument(
        path=name, name=name, format="txt", text=text, sha256="0" * 64, size=len(text.encode())
    )
    return segment(normalize(raw))


def _seed_pairs() -> list[tuple[Path, Path]]:
    if not GOLD.is_dir() or not SEEDS.is_dir():
        return []
    pairs = []
    for gold in sorted(GOLD.glob("*.json")):
        if gold.name.startswith("align-"):
            continue
        pairs.append((SEEDS / gold.name.replace(".json", ".txt"), gold))
    return pairs


def _tokens(s: str) -> list[str]:
    return re.findall(r"[^\W_]+", s.casefold())


def _title_f1(gold: str, pred: str | None) -> float:
    if not pred:
        return 0.0
    g, p = _tokens(gold), _tokens(pred)
    if re.search(r"[\u4e00-\u9fff]", gold):
        g, p = list("".join(g)), list("".join(p))
    common = sum(min(g.count(t), p.count(t)) for t in set(g))
    if not common:
        return 0.0
    prec, rec = common / len(p), common / len(g)
    return 2 * prec * rec / (prec + rec)


def _check_mentions(seg: SegmentedDocument, meta: Metadata) -> None:
    fields = {m.attrs["field"] for m in meta.mentions}
    for m in meta.mentions:
        assert m.kind == "meta"
        assert seg.text[m.start : m.end] == m.surface if m.start >= 0 else m.sentence == -1
        if m.start >= 0:
            assert 0 <= m.sentence < len(seg.sentences)
        assert getattr(meta, m.attrs["field"]) == m.value
    for name in ("type", "title", "date", "place", "organization", "body"):
        assert (getattr(meta, name) is not None) == (name in fields), name


# ---------------------------------------------------------------- seeds


@pytest.mark.parametrize("seed,gold", _seed_pairs(), ids=lambda p: p.name[:3])
def test_seed_metadata_matches_gold(kb: Knowledge, seed: Path, gold: Path) -> None:
    expected = json.loads(gold.read_text(encoding="utf-8"))
    seg = _seg(seed)
    meta = extract_metadata(seg, kb)
    assert seg.language == expected["language"]
    for name in FIELDS:
        assert getattr(meta, name) == expected[name], name
    assert _title_f1(expected["title"], meta.title) >= 0.9
    assert meta.meeting_start == expected["meeting"]["start"]
    assert meta.meeting_end == expected["meeting"]["end"]
    assert meta.warnings == []
    _check_mentions(seg, meta)


def test_seeds_are_present() -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared corpus not available")
    assert len(_seed_pairs()) >= 5


# ---------------------------------------------------------------- own documents


@pytest.mark.parametrize("path", OWN_DOCS, ids=lambda p: p.stem)
def test_own_document_metadata(kb: Knowledge, path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    seg = _seg(path)
    meta = extract_metadata(seg, kb)
    assert seg.language == expected["language"]
    for name in (*FIELDS, "title"):
        assert getattr(meta, name) == expected[name], name
    assert meta.meeting_start == expected["meeting"]["start"]
    assert meta.meeting_end == expected["meeting"]["end"]
    assert meta.warnings == expected.get("warnings", [])
    _check_mentions(seg, meta)


def test_own_documents_cover_the_genre() -> None:
    expected = [json.loads(p.with_suffix(".expected.json").read_text("utf-8")) for p in OWN_DOCS]
    assert {e["language"] for e in expected} >= {"en", "zh", "ru"}
    assert {e["type"] for e in expected} >= {
        "communique",
        "declaration",
        "press_release",
        "statement",
    }
    assert {e["organization"] for e in expected} >= {"SCO", "BRICS", "CICA"}
    assert len(expected) >= 6


# ---------------------------------------------------------------- rules


def test_header_date_disagreeing_with_text_warns_and_text_wins(kb: Knowledge) -> None:
    seg = _seg(DOCS / "sco_chs_information_report_en.txt")
    meta = extract_metadata(seg, kb)
    assert meta.date == "2006-06-15"
    assert meta.warnings == [
        "record header date 2006-06-16 disagrees with the text's date 2006-06-15"
    ]
    date = next(m for m in meta.mentions if m.attrs["field"] == "date")
    assert date.surface == "June 15, 2006" and date.sentence >= 0
    title = next(m for m in meta.mentions if m.attrs["field"] == "title")
    assert (title.start, title.end, title.sentence) == (-1, -1, -1)  # from the header


def test_header_fills_what_the_text_does_not_say(kb: Knowledge) -> None:
    text = (
        "[Title] Joint Statement of the Ministers of Foreign Affairs of BRICS\n"
        "[Place] New Delhi\n[Date] September 21, 2017\n[Full text]\n\n"
        "The Ministers exchanged views on the situation in the Middle East and North Africa.\n\n"
        "They agreed to continue consultations on the margins of the UN General Assembly.\n"
    )
    seg = _seg_text(text)
    meta = extract_metadata(seg, kb)
    assert (meta.type, meta.date, meta.place, meta.organization, meta.body) == (
        "statement",
        "2017-09-21",
        "New Delhi",
        "BRICS",
        None,  # CMFA is the SCO's council; BRICS foreign ministers meet as no vocabulary body
    )
    assert meta.warnings == []
    assert all(m.sentence == -1 for m in meta.mentions if m.attrs["field"] in ("date", "place"))


def test_closing_place_date_line_beats_the_opening_meeting_dates(kb: Knowledge) -> None:
    text = (
        "JOINT COMMUNIQUE\n\n"
        "A meeting of the Council of Heads of Government (Prime Ministers) of the member states "
        "of the Shanghai Cooperation Organization was held on September 22-23, 2004 in Bishkek.\n\n"
        "The Prime Ministers approved the budget of the Organization for 2005.\n\n"
        "Bishkek, September 23, 2004\n"
    )
    meta = extract_metadata(_seg_text(text), kb)
    assert (meta.type, meta.date, meta.place, meta.organization, meta.body) == (
        "communique",
        "2004-09-23",
        "Bishkek",
        "SCO",
        "CHG",
    )
    assert (meta.meeting_start, meta.meeting_end) == ("2004-09-22", "2004-09-23")
    assert meta.title == "Joint Communique"


@pytest.mark.parametrize(
    "heading,lang,expected",
    [
        (
            "PRESS RELEASE\n\nON THE MEETING OF THE SCO COUNCIL OF NATIONAL COORDINATORS",
            "en",
            "press_release",
        ),
        (
            "Joint Statement of the BRICS Leaders on the Declaration of Principles",
            "en",
            "statement",
        ),
        ("Charter of the Shanghai Cooperation Organization", "en", "charter"),
        ("## 上海合作组织成员国元首理事会会议新闻公报", "zh", "press_release"),
        ("## 上海合作组织成员国元首关于国际信息安全的声明", "zh", "statement"),
        ("## 金砖国家领导人宣言", "zh", "declaration"),
        (
            "СОВМЕСТНОЕ КОММЮНИКЕ\nзаседания Совета министров иностранных дел ШОС",
            "ru",
            "communique",
        ),
        ("ЗАЯВЛЕНИЕ\nглав государств-членов ШОС о Декларации", "ru", "statement"),
        ("Пресс-релиз\nо заседании Совета национальных координаторов ШОС", "ru", "press_release"),
    ],
)
def test_type_from_heading(kb: Knowledge, heading: str, lang: str, expected: str) -> None:
    body = {
        "en": "The meeting was held on June 1, 2010 in Tashkent. The parties discussed cooperation.",
        "zh": "会议于2010年6月1日在塔什干举行。各方讨论了合作问题。",
        "ru": "Заседание состоялось 1 июня 2010 года в Ташкенте. Стороны обсудили вопросы сотрудничества.",
    }[lang]
    seg = _seg_text(heading + "\n\n" + body + "\n")
    assert seg.language == lang
    meta = extract_metadata(seg, kb)
    assert meta.type == expected
    assert (meta.date, meta.place) == ("2010-06-01", "Tashkent")


def test_heads_of_state_without_a_named_council(kb: Knowledge) -> None:
    text = (
        "DECLARATION\n\n"
        "The heads of the member states of the Shanghai Cooperation Organization, having met "
        "in Tashkent, declare the following:\n\n"
        "The Organization has become a factor of stability in the region.\n\n"
        "Tashkent, June 11, 2010\n"
    )
    meta = extract_metadata(_seg_text(text), kb)
    assert (meta.type, meta.date, meta.place, meta.organization, meta.body) == (
        "declaration",
        "2010-06-11",
        "Tashkent",
        "SCO",
        "CHS",
    )


def test_empty_document(kb: Knowledge) -> None:
    meta = extract_metadata(_seg_text("   \n"), kb)
    assert (meta.type, meta.title, meta.date, meta.place, meta.organization, meta.body) == (
        None,
    ) * 6
    assert meta.mentions == []


def test_chinese_bracketed_place_date_heading_and_run_on_opening(kb: Knowledge) -> None:
    text = (
        "上海合作组织成员国元首阿斯塔纳宣言\n\n"
        "（2005年7月5日，阿斯塔纳）\n\n"
        "上海合作组织成员国元首于2005年7月5日在阿斯塔纳举行元首理事会会议，声明如下：\n\n"
        "一、本组织发展顺利。\n"
    )
    meta = extract_metadata(_seg_text(text), kb)
    assert (meta.type, meta.title, meta.date, meta.place, meta.organization, meta.body) == (
        "declaration",
        "上海合作组织成员国元首阿斯塔纳宣言",
        "2005-07-05",
        "Astana",
        "SCO",
        "CHS",
    )


def test_council_codes_belong_to_their_organization(kb: Knowledge) -> None:
    # A meeting of ministers is the council of that name only in an organization that has
    # one; the publisher named in [Source] is not the issuing body either.
    cica = (
        "[Title] Joint Statement of the Meeting of Ministers of Foreign Affairs of CICA\n"
        "[Place] Baku\n[Date] October 5, 2023\n"
        "[Source] CICA Secretariat\n[Full text]\n\n"
        "The Ministers of Foreign Affairs of the CICA Member States met in Baku.\n"
    )
    meta = extract_metadata(_seg_text(cica), kb)
    assert (meta.organization, meta.body) == ("CICA", None)
    sco = (
        "Joint Communique of the Meeting of the Council of Ministers of Foreign Affairs of "
        "the Shanghai Cooperation Organization\n\n"
        "The Council of Ministers of Foreign Affairs of the SCO met in Astana on 5 May 2023.\n"
    )
    assert extract_metadata(_seg_text(sco), kb).body == "CMFA"
    brics_summit = (
        "Declaration of the Leaders of BRICS\n\n"
        "We, the Heads of State and Government of BRICS, met at the summit in Kazan on "
        "23 October 2024.\n"
    )
    assert extract_metadata(_seg_text(brics_summit), kb).body == "SUMMIT"


@pytest.mark.parametrize(
    "text,place,start,end",
    [
        (
            "PRESS RELEASE\n\nOn 9-10 June 2017, Astana played host to the meeting of the Council "
            "of Heads of State of the Shanghai Cooperation Organization.\n\n"
            "The heads of state discussed cooperation.\n",
            "Astana",
            "2017-06-09",
            "2017-06-10",
        ),
        (
            "ИНФОРМАЦИОННОЕ СООБЩЕНИЕ\n\n9–10 июня 2017 года в Улан-Баторе прошло совещание "
            "министров иностранных дел государств-членов Совещания по взаимодействию и мерам "
            "доверия в Азии.\n\nМинистры обсудили сотрудничество.\n",
            "Ulaanbaatar",
            "2017-06-09",
            "2017-06-10",
        ),
        (
            "新闻公报\n\n2017年6月9日至10日，上海合作组织成员国元首理事会会议在阿斯塔纳召开。\n\n"
            "元首们讨论了合作问题。\n",
            "Astana",
            "2017-06-09",
            "2017-06-10",
        ),
    ],
    ids=["en", "ru", "zh"],
)
def test_opening_range_and_place_without_a_closing_line(
    kb: Knowledge, text: str, place: str, start: str, end: str
) -> None:
    meta = extract_metadata(_seg_text(text), kb)
    assert (meta.date, meta.place) == (end, place)
    assert (meta.meeting_start, meta.meeting_end) == (start, end)


def test_meeting_participle_after_the_subject_dates_the_document(kb: Knowledge) -> None:
    """ "We, the Heads of Government ..., meeting in Tashkent on 2 November 2019, declare":
    the statement's only date and place, which were read as neither."""
    text = (
        "STATEMENT\nof the Heads of Government of the Member States on Trade\n\n"
        "We, the Heads of Government of the Member States of the Shanghai Cooperation "
        "Organization, meeting in Tashkent on 2 November 2019, declare our resolve to "
        "reduce barriers to trade.\n\nWe will simplify customs procedures.\n"
    )
    meta = extract_metadata(_seg_text(text), kb)
    assert (meta.date, meta.place) == ("2019-11-02", "Tashkent")
    # The noun is no such cue: the meeting a text recalls does not date it.
    recalled = (
        "STATEMENT\n\nThe Ministers recalled that the meeting in Tashkent on 2 November 2019 "
        "agreed on customs cooperation.\n\nThey will simplify customs procedures.\n"
    )
    assert extract_metadata(_seg_text(recalled), kb).date is None
