"""Dates in en/zh/ru: the gold sets of the seeds, and genre sentences written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique.extract.dates import (
    TextDates,
    date_mentions,
    find_dates,
    find_deadlines,
    find_malformed_dates,
    parse_deadline,
)

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEEDS = sorted((SHARED / "corpus" / "seeds").glob("*.txt"))
TESTS = Path(__file__).resolve().parent


def values(text: str, lang: str, ref: str | None = "2002-11-23") -> set[str]:
    out: set[str] = set()
    for d in find_dates(text, lang, ref):
        assert text[d.start : d.end] == d.surface
        out.add(d.value)
        if d.end_value:
            out.add(d.end_value)
    return out


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_dates_equal_gold(seed: Path) -> None:
    from communique.normalize import normalize
    from communique.readers import read
    from communique.segment import segment

    gold = json.loads((SHARED / "gold" / seed.name.replace(".txt", ".json")).read_text())
    seg = segment(normalize(read(seed)))
    mentions = date_mentions(seg, gold["date"])
    assert {m.value for m in mentions} == set(gold["dates"])
    for m in mentions:
        assert seg.text[m.start : m.end] == m.surface
        assert m.kind == "date"
        assert m.sentence == seg.sentence_at(m.start).index


if not SEEDS:  # pragma: no cover - the shared folder is absent
    test_seed_dates_equal_gold = pytest.mark.skip("no shared seeds")(test_seed_dates_equal_gold)


EN = (
    "The Council of Heads of State met in Astana on 15 June 2011 and reviewed the work done "
    "since the Summit of August 16, 2007. The Parties agreed to convene again in 2012, in the "
    "spring of next year, and welcomed UN Security Council resolutions 1267, 1373 and 1540 and "
    "Resolution No. 2178. Over 2000 delegates and 1500 experts attended; the 10th anniversary "
    "of the Organization was marked. The ministers met on 3-4 May 2011 and on June 30 - July 1, "
    "2011. The Strategy for 2015-2025 was discussed, as was the September terrorist attack. "
    "Last year's meeting and the meeting held last year were both recalled; over the past "
    "year much was done. They May consider it again."
)


def test_english_genre_text() -> None:
    got = values(EN, "en", "2011-06-15")
    assert got == {
        "2011-06-15",
        "2007-08-16",
        "2012",
        "2011-05-03",
        "2011-05-04",
        "2011-06-30",
        "2011-07-01",
        "2015",
        "2025",
        "2010-09",  # the most recent September not after June 2011
        "2010",  # last year
    }


def test_english_no_reference_drops_relative_dates() -> None:
    assert (
        values("in the autumn of this year, last year's summit, the October act", "en", None)
        == set()
    )
    assert values("the autumn of this year", "en", "2003-05-29") == {"2003"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Resolution 1441", set()),
        ("Resolution 2118 of the UN Security Council", set()),
        ("No. 1373 of 2001", {"2001"}),
        ("2000 people and 1999 troops", set()),
        ("the 70th anniversary", set()),
        ("in 2003", {"2003"}),
        ("mid-2004", {"2004"}),
        ("Strategy until 2025", {"2025"}),
        ("Sept. 19, 2001", {"2001-09-19"}),
        ("in June 17, 2004", {"2004-06-17"}),
        ("23rd of November, 2002", {"2002-11-23"}),
        ("15.06.2001 and 2001-06-15", {"2001-06-15"}),
        ("October of this year", {"2002-10"}),
        ("next year", {"2003"}),
    ],
)
def test_english_shapes(text: str, expected: set[str]) -> None:
    assert values(text, "en") == expected


def test_malformed_dates_are_not_dates() -> None:
    text = "signed on June 31, 2003 and on February 30, 2005, and on February 29, 2004"
    assert values(text, "en") == {"2004-02-29"}
    assert [m.surface for m in find_malformed_dates(text, "en")] == [
        "June 31, 2003",
        "February 30, 2005",
    ]


ZH = (
    "上海合作组织成员国元首理事会会议于2011年6月15日在阿斯塔纳举行。"
    "各方商定于２０１２年６月在北京举行下次会议，并将于2014年7月30日至31日召开外长会议。"
    "今年10月发生的事件和去年的峰会，明年的计划，二〇〇七年八月十六日的比什凯克宣言，"
    "安理会第1373号决议和2015—2025年发展战略。"
)


def test_chinese_genre_text() -> None:
    assert values(ZH, "zh", "2011-06-15") == {
        "2011-06-15",
        "2012-06",
        "2014-07-30",
        "2014-07-31",
        "2011-10",
        "2010",
        "2012",
        "2007-08-16",
        "2015",
        "2025",
    }


def test_chinese_malformed() -> None:
    text = "会议于202年6月22日举行，协定于1972年9年11日签署，2003年2月30日。"
    assert values(text, "zh") == set()
    assert [m.surface for m in find_malformed_dates(text, "zh")] == [
        "202年6月22日",
        "1972年9年11日",
        "2003年2月30日",
    ]


RU = (
    "Заседание Совета глав государств-членов ШОС состоялось 15 июня 2011 года в Астане. "
    "Стороны договорились провести следующую встречу в июне 2012 г., а совещание министров - "
    "30-31 июля 2014 г. В прошлом году и в текущем году, осенью этого года, в 2013 году и "
    "в 2015–2025 годах. Резолюция 1373 и № 2178, 2000 человек. Декларация от 16 августа 2007 года."
)


def test_russian_genre_text() -> None:
    assert values(RU, "ru", "2011-06-15") == {
        "2011-06-15",
        "2012-06",
        "2014-07-30",
        "2014-07-31",
        "2010",
        "2011",
        "2013",
        "2015",
        "2025",
        "2007-08-16",
    }


def test_russian_malformed() -> None:
    assert [m.surface for m in find_malformed_dates("подписан 31 июня 2003 г.", "ru")] == [
        "31 июня 2003 г."
    ]


def test_ranges_give_two_mentions_on_one_span() -> None:
    (d,) = find_dates("held on July 30-31, 2014 in Dushanbe", "en")
    assert (d.value, d.end_value, d.kind, d.surface) == (
        "2014-07-30",
        "2014-07-31",
        "range",
        "July 30-31, 2014",
    )


@pytest.mark.parametrize(
    ("text", "lang", "ref", "deadline", "phrase"),
    [
        (
            "will conclude an agreement before the end of 2003.",
            "en",
            "2003-05-29",
            "2003-12-31",
            "before the end of 2003",
        ),
        (
            "start operating not later than January 1, 2004.",
            "en",
            "2003-05-29",
            "2004-01-01",
            "not later than January 1, 2004",
        ),
        ("the draft documents during 2003.", "en", "2003-05-29", "2003-12-31", "during 2003"),
        (
            "will prepare, by the next 2006 Summit, proposals",
            "en",
            "2005-07-05",
            "2006-12-31",
            "by the next 2006 Summit",
        ),
        (
            "to be held in the autumn of 2005 in Moscow",
            "en",
            "2005-07-05",
            "2005-11-30",
            "in the autumn of 2005",
        ),
        ("by the winter of 2005", "en", "2005-07-05", "2006-02-28", "by the winter of 2005"),
        (
            "by the next meeting of the ministers.",
            "en",
            "2005-07-05",
            None,
            "by the next meeting of the ministers",
        ),
        (
            "will report before 1 March 2006.",
            "en",
            "2005-07-05",
            "2006-02-28",
            "before 1 March 2006",
        ),
        ("by September 2006", "en", "2005-07-05", "2006-09-30", "by September 2006"),
        ("各方商定在2003年底前签署协定。", "zh", "2003-05-29", "2003-12-31", "在2003年底前"),
        ("各方商定在下次外长会议前提出建议。", "zh", "2003-05-29", None, "在下次外长会议前"),
        (
            "以备2003年各国元首下次会晤时签署。",
            "zh",
            "2002-11-23",
            "2003-12-31",
            "2003年各国元首下次会晤时",
        ),
        ("会议将于2005年秋季在莫斯科举行。", "zh", "2005-07-05", "2005-11-30", "于2005年秋季"),
        (
            "обеспечить не позднее 1 января 2004 года",
            "ru",
            "2003-05-29",
            "2004-01-01",
            "не позднее 1 января 2004 года",
        ),
        (
            "заключат соглашение до конца 2003 года.",
            "ru",
            "2003-05-29",
            "2003-12-31",
            "до конца 2003 года",
        ),
        ("в течение 2003 года", "ru", "2003-05-29", "2003-12-31", "в течение 2003 года"),
        (
            "подготовить к следующему саммиту ШОС предложения",
            "ru",
            "2003-05-29",
            None,
            "к следующему саммиту ШОС",
        ),
        ("осенью 2005 года в Москве", "ru", "2005-07-05", "2005-11-30", "осенью 2005 года"),
        # parts of a year, seasons without a preposition, a limit against a plan's period
        (
            "by the end of the first quarter of 2008",
            "en",
            "2007-08-16",
            "2008-03-31",
            "by the end of the first quarter of 2008",
        ),
        (
            "во втором полугодии 2008 года",
            "ru",
            "2007-08-16",
            "2008-12-31",
            "во втором полугодии 2008 года",
        ),
        ("于2008年下半年召开", "zh", "2007-08-16", "2008-12-31", "于2008年下半年"),
        ("在2008年第一季度前", "zh", "2007-08-16", "2008-03-31", "在2008年第一季度前"),
        ("hold joint exercises next spring", "en", "2007-08-16", "2008-05-31", "next spring"),
        (
            "не позднее 1 марта 2008 года представить проект Плана мероприятий на 2008-2010 годы",
            "ru",
            "2007-08-16",
            "2008-03-01",
            "не позднее 1 марта 2008 года",
        ),
    ],
)
def test_parse_deadline(text: str, lang: str, ref: str, deadline: str | None, phrase: str) -> None:
    found = parse_deadline(text, lang, ref)
    assert found is not None
    day, start, end = found
    assert day == deadline
    assert text[start:end] == phrase


def test_past_dates_are_not_deadlines() -> None:
    assert parse_deadline("approved by the Forum in July 2002.", "en", "2002-11-23") is None
    assert parse_deadline("will intensify the exchange of views.", "en", "2002-11-23") is None
    assert find_deadlines("was held on November 23, 2002 in Moscow", "en", "2002-11-23") == []


def test_horizons_and_titles_are_not_limits() -> None:
    # an open horizon, a plan's own time frame, a date inside a quoted title
    assert parse_deadline("support its recovery by 2015 and beyond", "en", "2010-06-11") is None
    assert (
        parse_deadline("реализовывать Программу действий до 2025 года", "ru", "2015-07-10") is None
    )
    assert parse_deadline("одобрили «Стратегию развития до 2025 года»", "ru", "2015-07-10") is None
    assert parse_deadline("落实《2025年前发展战略》", "zh", "2015-07-10") is None
    assert parse_deadline("落实上合组织2025年前发展战略", "zh", "2015-07-10") is None
    # a verb between the plan and the date starts a clause of its own
    found = parse_deadline(
        "утвердили план и договорились до 2016 года завершить", "ru", "2015-07-10"
    )
    assert found is not None and found[0] == "2016-12-31"


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        ("to settle the matter during the current month", "en", {"2002-11"}),
        ("the draft will be circulated by the end of this month", "en", {"2002-11"}),
        ("to conclude the talks within the year", "en", {"2002"}),
        ("within the year of its entry into force", "en", set()),  # a year of something else
        ("завершить работу в текущем месяце", "ru", {"2002-11"}),
        ("до конца этого месяца", "ru", {"2002-11"}),
        ("в следующем месяце", "ru", set()),  # no calendar month is named
        ("争取本年度内完成", "zh", {"2002"}),
        ("各方同意年内举行磋商", "zh", {"2002"}),
        ("本月底前提交", "zh", {"2002-11"}),
        ("近年内", "zh", set()),
        ("三年内", "zh", set()),
    ],
)
def test_the_current_month_and_year(text: str, lang: str, expected: set[str]) -> None:
    assert values(text, lang) == expected


@pytest.mark.parametrize(
    "text,lang,ref,deadline",
    [
        ("within 30 days", "en", "2003-01-15", "2003-02-14"),
        ("within two weeks", "en", "2003-01-15", "2003-01-29"),
        ("within one year", "en", "2004-02-29", "2005-02-28"),
        ("within three months", "en", "2003-11-30", "2004-02-29"),
        ("в течение 10 дней", "ru", "2003-01-15", "2003-01-25"),
        ("в месячный срок", "ru", "2003-01-31", "2003-02-28"),
        ("в трехмесячный срок", "ru", "2003-01-15", "2003-04-15"),
        ("两个月内", "zh", "2003-01-15", "2003-03-15"),
        ("在十五天内", "zh", "2003-01-15", "2003-01-30"),
    ],
)
def test_periods_from_the_texts_date(text: str, lang: str, ref: str, deadline: str) -> None:
    found = parse_deadline(text, lang, ref)
    assert found is not None
    day, start, end = found
    assert day == deadline
    assert text[start:end].strip() == text.strip()
    # no date of the text, no period to count from
    assert parse_deadline(text, lang, None) is None


_SENTENCE_DOCS = [
    *SEEDS,
    *sorted((TESTS / "blind").glob("*.txt")),
    *sorted((TESTS / "heldout").glob("*.txt")),
]


@pytest.mark.parametrize("path", _SENTENCE_DOCS, ids=lambda p: p.name)
def test_a_pieces_dates_read_off_the_documents_scan(path: Path) -> None:
    """Commitments take each sentence's dates from the document's scan, and the
    check for closing lines each short paragraph's: it must give what scanning the
    piece alone gives, for every sentence and paragraph."""
    from communique.extract.metadata import extract_metadata
    from communique.knowledge import load
    from communique.normalize import normalize
    from communique.readers import read
    from communique.segment import segment

    seg = segment(normalize(read(path)))
    ref = extract_metadata(seg, load()).date
    doc = TextDates(seg.text, seg.language, ref)
    for s in seg.sentences:
        assert doc.within(s.start, s.end) == find_dates(s.text, seg.language, ref), s.text
    # and every paragraph, as the check for two closing lines reads them
    for p in seg.paragraphs:
        body = seg.text[p.start : p.end].strip()
        start = seg.text.index(body, p.start) if body else p.start
        got = doc.within(start, start + len(body))
        assert got == find_dates(body, seg.language, ref), body


def test_a_date_across_the_edge_of_a_piece_is_left_to_a_scan_of_the_piece() -> None:
    text = "They met on 5 May 2020 in Moscow."
    doc = TextDates(text, "en", None)
    start = text.index("5 May")
    assert doc.within(0, start + 5) is None  # "5 May 2020" cut after "May"
    assert doc.within(start + 2, len(text)) is None  # cut before "May"
    assert doc.within(0, len(text)) == find_dates(text, "en", None)
    (d,) = doc.within(start, len(text)) or []
    assert (d.start, d.surface, d.value) == (0, "5 May 2020", "2020-05-05")
