from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from communique.normalize import normalize
from communique.records import NormalizedDocument, RawDocument, SegmentedDocument
from communique.segment import add_words, index_terms, segment, split_sentences, words

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def _doc(text: str, lang: str | None = None) -> NormalizedDocument:
    raw = RawDocument(path="t.txt", name="t.txt", format="txt", text=text, sha256="0", size=0)
    doc = normalize(raw)
    if lang is not None:
        doc.language = lang
    return doc


def _sentences(text: str, lang: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, lang)]


def _check_spans(seg: SegmentedDocument) -> None:
    text = seg.text
    previous_end = 0
    for i, s in enumerate(seg.sentences):
        assert s.index == i
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= previous_end
        previous_end = s.end
        para = seg.paragraphs[s.paragraph]
        assert para.start <= s.start < s.end <= para.end
        assert seg.sentence_at(s.start) == s
        for tok in seg.tokens[i]:
            assert text[tok.start : tok.end] == tok.text
            assert s.start <= tok.start < tok.end <= s.end
    for p in seg.paragraphs:
        assert any(s.paragraph == p.index for s in seg.sentences)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


# ------------------------------------------------------------------ gold sentences


@pytest.mark.parametrize(("side", "prefix"), [("source", "000_"), ("target", "003_")])
def test_gold_sentences_of_seeds(side: str, prefix: str) -> None:
    gold_path = SHARED / "gold" / "align-000-003.json"
    seeds = SHARED / "corpus" / "seeds"
    if not gold_path.exists() or not seeds.is_dir():
        pytest.skip("shared gold not available")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    expected = [s for link in gold["links"] for s in link[side]]
    seed = next(seeds.glob(prefix + "*.txt"))
    raw = RawDocument(
        path=str(seed),
        name=seed.name,
        format="txt",
        text=seed.read_text(encoding="utf-8"),
        sha256="0",
        size=0,
    )
    seg = segment(normalize(raw))
    _check_spans(seg)
    got = [s.text for s in seg.sentences]
    assert [_squash(s) for s in got] == [_squash(s) for s in expected]
    # The heading mark is markup, not part of the title sentence.
    assert not got[0].startswith("#")


# ------------------------------------------------------------------------- English

EN = (
    "JOINT STATEMENT\n\n"
    "I\n\n"
    "The Council of Foreign Ministers met on Sept. 19, 2019 in St. Petersburg. "
    "It was attended by Mr. K.Tokaev, Dr. A. Aytmatov and the Secretary-General D. Mezentsev. "
    "The ministers recalled U.N. Security Council resolution No. 1373 and Art. 5 of the Charter, "
    "i.e. the obligations of states, e.g. on financing. "
    'They asked: "Who will pay?" The answer remained open! '
    "Further work is needed on drugs, arms, etc. The next meeting will be held in 2020.\n\n"
    "The parties agreed to continue consultations on the draft convention and to\n\n"
    "submit its text to the heads of state for signature.\n\n"
    "The member states will:\n"
    "- strengthen cooperation against terrorism;\n"
    "- intensify contacts between their ministries."
)


def test_english_sentences_and_abbreviations() -> None:
    assert _sentences(EN, "en") == [
        "JOINT STATEMENT",
        "I",
        "The Council of Foreign Ministers met on Sept. 19, 2019 in St. Petersburg.",
        "It was attended by Mr. K.Tokaev, Dr. A. Aytmatov and the Secretary-General D. Mezentsev.",
        "The ministers recalled U.N. Security Council resolution No. 1373 and Art. 5 of the Charter, "
        "i.e. the obligations of states, e.g. on financing.",
        'They asked: "Who will pay?"',
        "The answer remained open!",
        "Further work is needed on drugs, arms, etc.",
        "The next meeting will be held in 2020.",
        "The parties agreed to continue consultations on the draft convention and to\n\n"
        "submit its text to the heads of state for signature.",
        "The member states will:",
        "- strengthen cooperation against terrorism;",
        "- intensify contacts between their ministries.",
    ]


def test_segment_paragraphs_and_spans() -> None:
    seg = segment(_doc(EN))
    assert seg.language == "en"
    _check_spans(seg)
    texts = [seg.text[p.start : p.end] for p in seg.paragraphs]
    assert texts[0] == "JOINT STATEMENT"
    assert texts[1] == "I"
    # A block broken off in mid-sentence is one paragraph with the next block.
    assert texts[3].startswith("The parties agreed") and texts[3].endswith("for signature.")
    assert len(seg.paragraphs) == 5
    assert seg.sentence_at(10_000) is None


def test_heading_line_inside_paragraph() -> None:
    text = "FINAL DECLARATION\nThe heads of state met in Astana.\nThey adopted the declaration."
    assert _sentences(text, "en") == [
        "FINAL DECLARATION",
        "The heads of state met in Astana.",
        "They adopted the declaration.",
    ]
    # A wrapped line of running text is not a heading.
    wrapped = "The heads of state met in Astana on\nJuly 5, 2005 and adopted a declaration."
    assert _sentences(wrapped, "en") == [wrapped]


def test_numbered_paragraphs_keep_their_number() -> None:
    text = (
        "1. The parties agree to meet annually. 2. The next meeting will be held in Astana.\n\n"
        "3.1. Further consultations are needed on resolution 1441. II. Final provisions apply."
    )
    assert _sentences(text, "en") == [
        "1. The parties agree to meet annually.",
        "2. The next meeting will be held in Astana.",
        "3.1. Further consultations are needed on resolution 1441.",
        "II. Final provisions apply.",
    ]
    ru = "1. Стороны договорились о встрече. 2. Заседание пройдёт в Москве."
    assert _sentences(ru, "ru") == [
        "1. Стороны договорились о встрече.",
        "2. Заседание пройдёт в Москве.",
    ]


def test_hard_wrapped_lines_are_white_space() -> None:
    text = (
        "The ministers of foreign affairs of the member states\n"
        "met in Dushanbe on July 31, 2014. They exchanged views on\n"
        "the international situation."
    )
    assert _sentences(text, "en") == [
        "The ministers of foreign affairs of the member states\nmet in Dushanbe on July 31, 2014.",
        "They exchanged views on\nthe international situation.",
    ]
    zh = "各方就当前国际和地区形势交换了意见，重申愿进一步加强在安全、\n经济和人文领域的合作。会议取得圆满成功。"
    assert _sentences(zh, "zh") == [
        "各方就当前国际和地区形势交换了意见，重申愿进一步加强在安全、\n经济和人文领域的合作。",
        "会议取得圆满成功。",
    ]


def test_wrapped_capitalized_line_is_not_a_title() -> None:
    text = (
        "The meeting was attended by the Secretary of State and the\n"
        "Minister of Foreign Affairs of the Russian Federation\n"
        "Sergey Lavrov, who chaired it.\n"
        "Joint Statement on Cooperation\n"
        "The parties agreed."
    )
    assert _sentences(text, "en") == [
        "The meeting was attended by the Secretary of State and the\n"
        "Minister of Foreign Affairs of the Russian Federation\n"
        "Sergey Lavrov, who chaired it.",
        "Joint Statement on Cooperation",
        "The parties agreed.",
    ]
    zh = "部长们表示支持阿富汗过渡政府以2001年12月5日的波恩协议\n为基础开展工作。"
    assert _sentences(zh, "zh") == [zh]


def test_split_sentences_offset() -> None:
    text = "First sentence here. Second one."
    assert split_sentences(text, "en", offset=100) == [(100, 120), (121, 132)]


# ------------------------------------------------------------------------- Russian

RU = (
    "СОВМЕСТНОЕ КОММЮНИКЕ\n\n"
    "Заседание Совета министров иностранных дел государств – членов Шанхайской организации "
    "сотрудничества состоялось 23 ноября 2018 г. в Москве. В заседании приняли участие "
    "К.Токаев, С. Лавров, А. Камилов и др. Министры подтвердили приверженность ст. 1 Устава, "
    "т.е. принципам невмешательства во внутренние дела. Председательствовал Министр "
    "иностранных дел Российской Федерации С.В. Лавров.\n\n"
    "Стороны договорились провести следующее заседание в г. Бишкеке. Кто примет участие? "
    "Все государства-члены!"
)


def test_russian_sentences() -> None:
    assert _sentences(RU, "ru") == [
        "СОВМЕСТНОЕ КОММЮНИКЕ",
        "Заседание Совета министров иностранных дел государств – членов Шанхайской организации "
        "сотрудничества состоялось 23 ноября 2018 г. в Москве.",
        "В заседании приняли участие К.Токаев, С. Лавров, А. Камилов и др.",
        "Министры подтвердили приверженность ст. 1 Устава, т.е. принципам невмешательства "
        "во внутренние дела.",
        "Председательствовал Министр иностранных дел Российской Федерации С.В. Лавров.",
        "Стороны договорились провести следующее заседание в г. Бишкеке.",
        "Кто примет участие?",
        "Все государства-члены!",
    ]


def test_russian_year_and_etc_abbreviations() -> None:
    text = (
        "Программа рассчитана на 2021-2025 гг. Стороны обменялись мнениями о торговле, "
        "транспорте и т.д. Далее состоялась пресс-конференция в г. Душанбе. "
        "Итоги подведены в 2024 г. в Москве."
    )
    assert _sentences(text, "ru") == [
        "Программа рассчитана на 2021-2025 гг.",
        "Стороны обменялись мнениями о торговле, транспорте и т.д.",
        "Далее состоялась пресс-конференция в г. Душанбе.",
        "Итоги подведены в 2024 г. в Москве.",
    ]


def test_russian_segment_tokens_have_lemmas() -> None:
    seg = segment(_doc(RU))
    assert seg.language == "ru"
    _check_spans(seg)
    toks = {t.text: t.lemma for sent in seg.tokens for t in sent}
    assert toks["министров"] == "министр"
    assert toks["Москве"] == "москва"
    assert toks["состоялось"] == "состояться"
    assert toks["2018"] == "2018"
    assert "." not in toks and "," not in toks


# ------------------------------------------------------------------------- Chinese

ZH = (
    "## 成员国外交部长理事会会议新闻公报\n\n"
    "上海合作组织成员国外交部长理事会例行会议于2019年9月19日在圣彼得堡举行。"
    "各方表示：“本组织将继续加强合作。”会议由哈萨克斯坦共和国外交部长主持（按轮值顺序）。"
    "为什么要加强合作？因为地区安全形势依然严峻！\n\n"
    "部长们指出，恐怖主义、分裂主义和极端主义……依然是地区的主要威胁。"
    "各方强调……“三股势力”必须受到打击。\n\n"
    "二、\n\n"
    "会议批准了以下文件：\n"
    "（一）秘书处工作报告；\n"
    "（二）下次会议筹备计划。"
)


def test_chinese_sentences() -> None:
    assert _sentences(ZH, "zh") == [
        "成员国外交部长理事会会议新闻公报",
        "上海合作组织成员国外交部长理事会例行会议于2019年9月19日在圣彼得堡举行。",
        "各方表示：“本组织将继续加强合作。”",
        "会议由哈萨克斯坦共和国外交部长主持（按轮值顺序）。",
        "为什么要加强合作？",
        "因为地区安全形势依然严峻！",
        "部长们指出，恐怖主义、分裂主义和极端主义……依然是地区的主要威胁。",
        "各方强调……“三股势力”必须受到打击。",
        "二、",
        "会议批准了以下文件：",
        "（一）秘书处工作报告；",
        "（二）下次会议筹备计划。",
    ]


def test_chinese_title_line_inside_paragraph() -> None:
    text = "联合声明\n各方同意加强合作。"
    assert _sentences(text, "zh") == ["联合声明", "各方同意加强合作。"]


def test_chinese_segment_and_words() -> None:
    seg = segment(_doc(ZH))
    assert seg.language == "zh"
    _check_spans(seg)
    tokens = [t.text for t in seg.tokens[1]]
    assert "2019" in tokens and "圣彼得堡" in tokens
    assert "。" not in tokens
    toks = words("各方表示：本组织", "zh", offset=7)
    assert [(t.text, t.start, t.end) for t in toks] == [
        ("各方", 7, 9),
        ("表示", 9, 11),
        ("本", 12, 13),
        ("组织", 13, 15),
    ]


def test_bilingual_document_uses_each_paragraphs_rules() -> None:
    text = (
        "上海合作组织成员国外长会议新闻公报。会议在杜尚别举行。\n\n"
        "Press release of the meeting. It was held in Dushanbe.\n\n"
        "Министры встретились в Душанбе. Заседание прошло успешно.\n\n"
        "部长们出席了会议（Wang Yi, S. Lavrov）。"
    )
    seg = segment(_doc(text, "zh"))
    _check_spans(seg)
    assert [s.text for s in seg.sentences] == [
        "上海合作组织成员国外长会议新闻公报。",
        "会议在杜尚别举行。",
        "Press release of the meeting.",
        "It was held in Dushanbe.",
        "Министры встретились в Душанбе.",
        "Заседание прошло успешно.",
        "部长们出席了会议（Wang Yi, S. Lavrov）。",
    ]
    assert [t.lemma for t in seg.tokens[4]][:2] == ["министр", "встретиться"]
    assert [t.text for t in seg.tokens[2]][:2] == ["Press", "release"]
    en = segment(_doc("The ministers met.\n\n各方同意加强合作。会议取得成功。", "en"))
    assert [s.text for s in en.sentences] == [
        "The ministers met.",
        "各方同意加强合作。",
        "会议取得成功。",
    ]
    assert [t.text for t in en.tokens[1]] == ["各方", "同意", "加强", "合作"]


def test_add_words_teaches_names() -> None:
    name = "艾特玛托夫泽"
    before = [t.text for t in words(f"外交部长{name}出席会议", "zh")]
    assert name not in before
    add_words([name, "", "   "])
    after = words(f"外交部长{name}出席会议", "zh")
    assert name in [t.text for t in after]
    assert name in index_terms(f"外交部长{name}出席会议", "zh")


# ------------------------------------------------------------------- words & terms


def test_english_words_and_terms() -> None:
    text = "The People's Republic signed Resolution 1441 on 1,441 anti-terrorist items."
    toks = words(text, "en", offset=3)
    assert [t.text for t in toks] == [
        "The",
        "People's",
        "Republic",
        "signed",
        "Resolution",
        "1441",
        "on",
        "1,441",
        "anti-terrorist",
        "items",
    ]
    for t in toks:
        assert text[t.start - 3 : t.end - 3] == t.text
    assert index_terms("SCO Summit, 2002: Anti-Terrorist", "en") == [
        "sco",
        "summit",
        "2002",
        "anti",
        "terrorist",
    ]


def test_chinese_index_terms_search_mode() -> None:
    terms = index_terms("上海合作组织外交部长会议，2002年。", "zh")
    # Search mode gives a compound and its parts.
    assert {"外交部长", "外交", "部长", "上海", "合作", "组织", "2002"} <= set(terms)
    assert "，" not in terms and "。" not in terms
    # A query goes through the same function and finds the stored words.
    assert set(index_terms("外交部长", "zh")) <= set(terms)


def test_russian_index_terms_are_lemmas() -> None:
    assert index_terms("Министры иностранных дел, 2018 г., ШОС", "ru") == [
        "министр",
        "иностранный",
        "дело",
        "2018",
        "г",
        "шос",
    ]
    # Different inflections meet at one term.
    assert index_terms("министров", "ru") == index_terms("министрами", "ru")


def test_index_terms_follow_each_runs_script() -> None:
    mixed = "Wang Yi (王毅) met S. Lavrov (министры), 2014"
    expected = ["wang", "yi", "王毅", "met", "s", "lavrov", "министр", "2014"]
    assert index_terms(mixed, "en") == expected
    assert index_terms(mixed, "zh") == expected
    assert index_terms(mixed, "ru") == expected
    # Another Cyrillic language is lowercased, not given Russian lemmas.
    assert index_terms("Міністри зустрілися", "uk") == ["міністри", "зустрілися"]


def test_empty_and_whitespace_text() -> None:
    assert split_sentences("", "en") == []
    assert split_sentences("\n\n  \n", "zh") == []
    seg = segment(_doc(""))
    assert seg.sentences == [] and seg.paragraphs == [] and seg.tokens == []


def test_romanized_digraph_and_hyphenated_initials_do_not_end_sentences() -> None:
    # Regression: "Sh." and "K.-J." were taken for sentence ends.
    text = (
        "The meeting was chaired by Sh. Mirziyoyev. "
        "It was attended by K.-J. Tokayev and Zh. Karibzhanov. Then it closed."
    )
    got = [text[a:b] for a, b in split_sentences(text, "en")]
    assert got == [
        "The meeting was chaired by Sh. Mirziyoyev.",
        "It was attended by K.-J. Tokayev and Zh. Karibzhanov.",
        "Then it closed.",
    ]
