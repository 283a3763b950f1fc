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


# Tasks handed to the side's own officials, limits written as parts of a year, seasons,
# events dated by a clause of their own; and what looks like a limit but binds no one.
EN_TASKS = """We direct our Ministers of Energy to present a roadmap on energy efficiency at the forthcoming Summit.

We task the Sherpas to review the rules of procedure before the end of 2018.

We request the Secretariat to circulate, by 15 October 2018, a note on the financial arrangements.

We ask our Ministers of Culture to convene a film festival later this year.

Our Trade Ministers will agree on a common approach to e-commerce in the second half of 2019.

The Ministers agreed to hold a joint seminar on cyber security this autumn.

We instruct the Sherpas to finalize the guidelines before the Eleventh Summit, which will be held in Brazil in 2019.

The Ministers instructed the Sherpas to draft a calendar for the incoming Chairship by the next meeting of Sherpas.

The next Summit will be held in Brazil in 2019.

Joint exercises of the competent authorities will be held before the end of 2019.

We remain committed to assisting Syria on its path to recovery by 2020 and beyond.

The Ministers requested information on the projects completed in 2017.
"""


def test_english_tasks_and_false_limits(kb: Knowledge) -> None:
    got = find_commitments(seg_of(EN_TASKS), kb, "2018-06-10", "BRICS")
    assert [(c.deadline, c.deadline_text) for c in got] == [
        (None, "at the forthcoming Summit"),
        ("2018-12-31", "before the end of 2018"),
        ("2018-10-15", "by 15 October 2018"),
        ("2018-12-31", "later this year"),
        ("2019-12-31", "in the second half of 2019"),
        ("2018-11-30", "this autumn"),
        ("2019-12-31", "before the Eleventh Summit, which will be held in Brazil in 2019"),
        (None, "by the next meeting of Sherpas"),
        ("2019-12-31", "before the end of 2019"),
    ]


RU_TASKS = """Мы поручаем Секретариату до конца 2019 года распространить среди государств-членов доклад о ходе работы.

Совет поручил группе экспертов подготовить к следующему заседанию Совета предложения по бюджету.

Главы делегаций договорились осенью текущего года провести консультации экспертов.

Министры поручили Секретариату не позднее 1 марта 2020 года представить проект Плана действий на 2020-2022 годы.

Государства-члены завершат согласование текста в первом полугодии 2020 года.

Следующее заседание Совета состоится в Бишкеке в 2020 году.

Совместные учения будут проведены до конца 2019 года.

Очередное заседание Совета будет проведено в Бишкеке в 2020 году.

Стороны обсудили подготовку к саммиту, который состоится в Бишкеке в июне 2020 года.

Государства-члены будут последовательно реализовывать Концепцию сотрудничества до 2030 года.

Стороны приветствуют объявление 2020 года Годом культуры.
"""


def test_russian_tasks_and_false_limits(kb: Knowledge) -> None:
    got = find_commitments(seg_of(RU_TASKS), kb, "2019-06-14", "SCO")
    assert [(c.deadline, c.deadline_text) for c in got] == [
        ("2019-12-31", "до конца 2019 года"),
        (None, "к следующему заседанию Совета"),
        ("2019-11-30", "осенью текущего года"),
        ("2020-03-01", "не позднее 1 марта 2020 года"),
        ("2020-06-30", "в первом полугодии 2020 года"),
        ("2019-12-31", "до конца 2019 года"),
    ]


ZH_TASKS = """我们责成秘书处在2020年外长理事会会议前提交报告。

我们请高官委员会于2019年12月底前完成文件草案。

各成员国将在2020年上半年完成批准程序。

各方同意在2020年第三季度前举行专家磋商。

下次会议将于2020年在塔什干举行。

各成员国主管部门将于2019年底前举行联合演习。

各方将落实《2025年前发展战略》。
"""


def test_chinese_tasks_and_false_limits(kb: Knowledge) -> None:
    got = find_commitments(seg_of(ZH_TASKS), kb, "2019-06-14", "SCO")
    assert [(c.deadline, c.deadline_text) for c in got] == [
        ("2020-12-31", "在2020年外长理事会会议前"),
        ("2019-12-31", "于2019年12月底前"),
        ("2020-06-30", "在2020年上半年"),
        ("2020-09-30", "在2020年第三季度前"),
        ("2019-12-31", "于2019年底前"),
    ]


DOCS = Path(__file__).resolve().parent / "docs"
COMMITMENT_DOCS = [
    p
    for p in sorted(DOCS.glob("*.txt"))
    if "commitments" in json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8"))
]


@pytest.mark.parametrize("path", COMMITMENT_DOCS, ids=lambda p: p.stem)
def test_own_documents(path: Path, kb: Knowledge) -> None:
    # each holds a task with a limit and a next-meeting announcement that is none
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    seg = segment(normalize(read(path)))
    got = find_commitments(seg, kb, expected["date"], expected["organization"])
    assert [(c.sentence, c.deadline, c.deadline_text) for c in got] == [
        (c["sentence"], c["deadline"], c["deadline_text"]) for c in expected["commitments"]
    ]


# ------------------------------------- relative limits, announcements, others' acts


@pytest.mark.parametrize(
    "text,lang,ref,deadline,phrase",
    [
        ("秘书处应在六个月内拟订实施细则。", "zh", "2018-06-10", "2018-12-10", "在六个月内"),
        (
            "The Secretariat shall draft the implementing rules within six months.",
            "en",
            "2018-06-10",
            "2018-12-10",
            "within six months",
        ),
        (
            "Секретариату поручено в течение шести месяцев разработать порядок применения.",
            "ru",
            "2018-06-10",
            "2018-12-10",
            "в течение шести месяцев",
        ),
        ("各方商定年内签署该协定。", "zh", "2018-06-10", "2018-12-31", "年内"),
        ("责成秘书处于本年度内提出预算草案。", "zh", "2018-06-10", "2018-12-31", "于本年度内"),
        (
            "The experts will agree on the text of the annex during the current month.",
            "en",
            "2018-06-10",
            "2018-06-30",
            "during the current month",
        ),
        (
            "The Council of National Coordinators shall finish the consultations within the year.",
            "en",
            "2018-06-10",
            "2018-12-31",
            "within the year",
        ),
        (
            "Стороны договорились до конца текущего месяца согласовать текст приложения.",
            "ru",
            "2018-06-10",
            "2018-06-30",
            "до конца текущего месяца",
        ),
        (
            "The Permanent Representatives are instructed to report on the matter, no later than "
            "15 September 2018, to the Council.",
            "en",
            "2018-06-10",
            "2018-09-15",
            "no later than 15 September 2018",
        ),
        (
            "外长们指示常设代表在下一次外长理事会会议前提交审议报告。",
            "zh",
            "2018-06-10",
            None,
            "在下一次外长理事会会议前",
        ),
    ],
)
def test_relative_limits_and_passive_tasks(
    kb: Knowledge, text: str, lang: str, ref: str, deadline: str | None, phrase: str
) -> None:
    got = find_commitments(seg_of(text), kb, ref, "SCO")
    assert [(c.deadline, c.deadline_text) for c in got] == [(deadline, phrase)]


@pytest.mark.parametrize(
    "text,lang",
    [
        (
            "Brazil, which takes over the rotating chairmanship, will host the 2019 Summit in 2019.",
            "en",
        ),
        ("The Ministers agreed to convene their next session in Beijing in March 2019.", "en"),
        ("Uzbekistan will assume the chairship of the Organization in 2019.", "en"),
        ("Очередное заседание Совета будет проведено в 2019 году в Пекине.", "ru"),
        ("Министры договорились провести следующую встречу в марте 2019 года.", "ru"),
        ("巴西将于2019年主办第十一次会晤。", "zh"),
        ("下一次元首理事会会议将于2019年在比什凯克召开。", "zh"),
        ("外长们决定于2019年3月在北京举行下次会议。", "zh"),
    ],
)
def test_announcing_the_next_meeting_is_no_commitment(kb: Knowledge, text: str, lang: str) -> None:
    assert find_commitments(seg_of(text), kb, "2018-06-10", "SCO") == []


def test_a_meeting_held_before_a_limit_is_still_a_task(kb: Knowledge) -> None:
    text = "The Ministers will convene an extraordinary meeting before the end of 2018."
    got = find_commitments(seg_of(text), kb, "2018-06-10", "SCO")
    assert [c.deadline for c in got] == ["2018-12-31"]


@pytest.mark.parametrize(
    "text",
    [
        "The member states will continue to support Iraq in preparing the constitutional "
        "referendum by October 2018.",
        "Государства-члены будут и впредь содействовать Ираку в подготовке конституционного "
        "референдума до октября 2018 года.",
        "成员国将继续支持伊拉克于2018年10月前完成宪法公投筹备工作。",
    ],
)
def test_supporting_another_states_timeline_is_not_the_sides_task(kb: Knowledge, text: str) -> None:
    assert find_commitments(seg_of(text), kb, "2018-06-10", "SCO") == []


def test_russian_cues_read_yo_as_ye(kb: Knowledge) -> None:
    text = "Следующий саммит будет проведён в 2019 году в Бишкеке."
    assert find_commitments(seg_of(text), kb, "2018-06-10", "SCO") == []
    text = "Секретариат проведёт консультации не позднее 1 марта 2019 года."
    assert [c.deadline for c in find_commitments(seg_of(text), kb, "2018-06-10", "SCO")] == [
        "2019-03-01"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The Parties WILL submit it. They Agreed to meet; the Council shall report.",
        "Стороны БУДУТ готовить доклад и Договорились обеспечить это.",
        # lower() lengthens "İ": the pattern itself reads this text
        "İstanbul: the sides will meet and Shall report.",
        # IGNORECASE takes the long s for an s, lower() does not
        "The Council ſhall report and will meet.",
    ],
)
def test_cues_read_from_lowercased_text_are_the_case_insensitive_matches(text: str) -> None:
    from communique.extract.commitments import _CUE, _CUE_SEARCH

    for lang in ("en", "ru"):
        expected = [(m.start(), m.end(), m.group().lower()) for m in _CUE[lang].finditer(text)]
        got = [(m.start(), m.end(), m.group().lower()) for m in _CUE_SEARCH[lang].finditer(text)]
        assert got == expected


def test_a_folded_pattern_must_be_written_in_lower_case() -> None:
    import re

    from communique.extract.dates import Folded

    with pytest.raises(ValueError):
        Folded(re.compile(r"\b(?:will|Shall)\b", re.IGNORECASE))
    with pytest.raises(ValueError):
        Folded(re.compile(r"\bwill\b"))
    assert [m.span() for m in Folded(re.compile(r"\bwill\S*", re.I)).finditer("WILL go")] == [
        (0, 4)
    ]
