"""The knowledge pack: data coverage, the one-pass matcher and its lookups."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from communique.knowledge import Knowledge, load

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load()


def codes(kb: Knowledge, text: str, lang: str, kinds=None, **kw) -> list[str]:
    return [m.code for m in kb.find(text, lang, kinds, **kw)]


def test_every_un_member_and_observer_has_names_in_three_languages(kb: Knowledge) -> None:
    assert len(kb.states) == 195
    for code in ("KZ", "KG", "TJ", "UZ", "CN", "RU", "AF", "VA", "PS", "SS", "US"):
        assert code in kb.states
    for entry in kb.states.values():
        assert {"en", "zh", "ru"} <= set(entry.names), entry.code


def test_every_vocabulary_code_is_in_the_pack(kb: Knowledge) -> None:
    vocab = SHARED / "spec" / "vocabulary.tsv"
    if not vocab.exists():
        pytest.skip("shared/spec/vocabulary.tsv not present")
    with vocab.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        entry = kb.entry(row["code"])
        assert entry is not None, row["code"]
        assert entry.kind == row["kind"]
        assert (entry.parent or "") == row["parent"]


def test_parent_chains_and_names(kb: Knowledge) -> None:
    assert kb.root("RATS_EC") == "SCO"
    assert kb.root("UNSC") == "UN"
    assert kb.root("CTC") == "UN"
    assert kb.root("SCO") == "SCO"
    assert kb.root("NOT_A_CODE") == "NOT_A_CODE"
    assert kb.ancestors("CTC") == ["UNSC", "UN"]
    assert kb.name("KG") == "Kyrgyzstan"
    assert kb.name("SCO", "zh") == "上海合作组织"
    assert kb.name("RU", "ru") == "Россия"
    assert kb.entry("Almaty").attrs["country"] == "KZ"


def test_official_and_variant_state_names(kb: Knowledge) -> None:
    text = (
        "the Kyrgyz Republic, the Republic of Tajikistan, the People's Republic of China, "
        "the Russian Federation, the Islamic Republic of Afghanistan, the United Kingdom, "
        "the USA, the United States of America, Kirghizia and Iran"
    )
    assert codes(kb, text, "en", ["state"]) == [
        "KG", "TJ", "CN", "RU", "AF", "GB", "US", "US", "KG", "IR",
    ]  # fmt: skip
    zh = "吉尔吉斯共和国、哈萨克斯坦共和国、俄罗斯联邦、中华人民共和国、阿富汗和伊拉克"
    assert codes(kb, zh, "zh", ["state"]) == ["KG", "KZ", "RU", "CN", "AF", "IQ"]
    ru = "Российская Федерация, Кыргызская Республика и Республика Казахстан"
    assert codes(kb, ru, "ru", ["state"]) == ["RU", "KG", "KZ"]


def test_adjectives_and_demonyms(kb: Knowledge) -> None:
    matches = kb.find(
        "the Afghan people, Iraqi refugees, the Syrian crisis, Afghans", "en", ["state"]
    )
    assert [(m.code, m.form) for m in matches] == [
        ("AF", "adjective"), ("IQ", "adjective"), ("SY", "adjective"), ("AF", "adjective"),
    ]  # fmt: skip
    ru = "афганского народа, сирийский кризис и иранской ядерной программы"
    assert codes(kb, ru, "ru", ["state"]) == ["AF", "SY", "IR"]


def test_russian_inflections_match_by_lemma(kb: Knowledge) -> None:
    text = "заседание Шанхайской организации сотрудничества в Москве и Российской Федерации"
    found = kb.find(text, "ru")
    assert [(m.kind, m.code, m.surface) for m in found] == [
        ("organization", "SCO", "Шанхайской организации сотрудничества"),
        ("city", "Moscow", "Москве"),
        ("state", "RU", "Российской Федерации"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.surface


@pytest.mark.parametrize("lead", ["İ ", "ΟΔΟΣ "])
def test_russian_text_lowered_word_by_word_finds_the_same_names(kb: Knowledge, lead: str) -> None:
    # The Russian matcher lowers a text once, unless lowering would shift the
    # offsets (İ lowers to two characters) or depends on neighbours (a capital
    # sigma); such a text is lowered word by word, with the same matches.
    text = "Совет министров иностранных дел ШОС собрался в Москве; Шанхайской организации сотрудничества"
    plain = [(m.start, m.end, m.code) for m in kb.find(text, "ru")]
    shifted = [(m.start - len(lead), m.end - len(lead), m.code) for m in kb.find(lead + text, "ru")]
    assert len(plain) >= 3
    assert shifted == plain


def test_leftmost_longest_across_kinds(kb: Knowledge) -> None:
    text = (
        "the Memorandum between the SCO Secretariat and the Secretariat of the "
        "Conference on interaction and confidence building measures in Asia"
    )
    found = kb.find(text, "en", ["organization", "body"])
    assert [m.code for m in found] == ["SECRETARIAT", "CICA_SECRETARIAT"]
    assert found[1].surface.startswith("Secretariat of the Conference")
    # "Shanghai" inside the organization's name is not a city
    assert codes(kb, "the Shanghai Cooperation Organization", "en", ["city"]) == []
    assert codes(kb, "the UN Security Council and the UN", "en") == ["UNSC", "UN"]


def test_nested_names_are_found_on_request(kb: Knowledge) -> None:
    text = (
        "the Secretariat of the Conference on Interaction and Confidence-Building Measures in Asia"
    )
    (outer,) = kb.find(text, "en", ["body"])
    inner = kb.find_within(text, "en", outer.start, outer.end, kb.ancestors(outer.code))
    assert [(m.code, m.surface) for m in inner] == [
        ("CICA", "Conference on Interaction and Confidence-Building Measures in Asia")
    ]


def test_hyphen_space_and_case_variants_normalize(kb: Knowledge) -> None:
    for text in (
        "Regional Anti-Terrorist Structure",
        "Regional Antiterrorist Structure",
        "REGIONAL ANTI-TERRORIST STRUCTURE",
        "Organization for Security and Co-operation in Europe",
        "Organization for Security and Cooperation in Europe",
        "the U.N.",
        "the G-20",
    ):
        assert len(kb.find(text, "en", ["organization", "body"])) == 1, text
    # acronyms are case-sensitive: "eco" and "un" as words are not organizations
    assert codes(kb, "an eco friendly un plan", "en") == []
    assert codes(kb, "ECO and CIS", "en") == ["ECO", "CIS"]
    # "us" is a pronoun, "US" the state; in an ALL-CAPS line it is not trusted
    assert codes(kb, "let us cooperate with the US", "en", ["state"]) == ["US"]
    assert codes(kb, "LET US COOPERATE IN GOOD FAITH", "en", ["state"]) == []
    # proper nouns must be capitalized: porcelain and birds are not states
    assert codes(kb, "fine china and roast turkey", "en") == []


def test_context_aliases_need_the_organization(kb: Knowledge) -> None:
    text = "The Secretariat presented its report to the Council of Heads of State."
    assert codes(kb, text, "en", ["body"]) == []
    assert codes(kb, text, "en", ["body"], organization="SCO") == ["SECRETARIAT", "CHS"]
    assert codes(kb, text, "en", ["body"], organization="CICA") == ["CICA_SECRETARIAT"]
    assert codes(kb, "本组织秘书处", "zh", ["body"], organization="SCO") == ["SECRETARIAT"]
    # right after the organization's own name it counts without context
    assert codes(kb, "the ASEAN Ministerial Meeting", "en") == ["AMM"]


def test_regions_swallow_state_names(kb: Knowledge) -> None:
    text = "the Korean Peninsula, the Middle East, Central Asian states, the South China Sea"
    assert codes(kb, text, "en", ["state"]) == []
    assert codes(kb, "朝鲜半岛和中东", "zh", ["state"]) == []
    assert codes(kb, "на Корейском полуострове", "ru", ["state"]) == []


def test_chinese_short_names_must_be_words(kb: Knowledge) -> None:
    assert codes(kb, "发展中国家", "zh", ["state"]) == []
    assert codes(kb, "增加纳税", "zh", ["state"]) == []
    assert codes(kb, "中国和加纳", "zh", ["state"]) == ["CN", "GH"]
    assert codes(kb, "中方支持", "zh", ["state"]) == ["CN"]


def test_cities(kb: Knowledge) -> None:
    assert kb.city_for("Москве", "ru") == "Moscow"
    assert kb.city_for("莫斯科", "zh") == "Moscow"
    assert kb.city_for("St. Petersburg", "en") == "St. Petersburg"
    assert kb.city_for("Санкт-Петербурге", "ru") == "St. Petersburg"
    assert kb.city_for("Nur-Sultan", "en") == "Nur-Sultan"
    assert kb.city_for("比什凯克", "zh") == "Bishkek"
    assert kb.city_for("nowhere", "en") is None


def test_offices_and_issues_are_matched_apart_from_names(kb: Knowledge) -> None:
    text = "Minister of Foreign Affairs of the Republic of Kazakhstan on Afghanistan"
    found = kb.find(text, "en", ["state", "office", "issue"])
    assert [(m.kind, m.code) for m in found] == [
        ("office", "FOREIGN_MINISTER"),
        ("state", "KZ"),
        ("state", "AF"),
        ("issue", "AFGHANISTAN"),
    ]
    assert codes(kb, "министр иностранных дел", "ru", ["office"]) == ["FOREIGN_MINISTER"]
    assert codes(kb, "外交部长", "zh", ["office"]) == ["FOREIGN_MINISTER"]
    assert codes(
        kb,
        "Director of the Executive Committee of the SCO Regional Antiterrorist Structure",
        "en",
        ["office"],
    ) == ["RATS_EC_DIRECTOR"]


def test_packs_can_be_chosen(kb: Knowledge) -> None:
    common = load(["common"])
    assert common.entry("SCO") is None and common.entry("UN") is not None
    assert load() is kb  # cached


def test_codes_are_unique_across_kinds() -> None:
    pack = Path(__file__).resolve().parents[1] / "src" / "communique" / "knowledge"
    kinds: dict[str, set[str]] = {}
    for path in pack.glob("*/*.tsv"):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["kind"]:
                    kinds.setdefault(row["code"], set()).add(row["kind"])
    assert {c: k for c, k in kinds.items() if len(k) > 1} == {}


_GENRE_PARAGRAPH = (
    "The heads of the member states held talks in a friendly atmosphere and exchanged views on "
    "the development of cooperation in the political, security, economic and humanitarian "
    "spheres. They noted with satisfaction that the Republic of Kazakhstan and the Russian "
    "Federation had completed their internal procedures, and they welcomed the efforts of the "
    "United Nations to promote peace and stability in Afghanistan. The parties agreed to hold "
    "the next meeting of the Council of Ministers of Foreign Affairs in Tashkent in 2025.\n\n"
)


def test_english_matching_is_fast(kb: Knowledge) -> None:
    text = _GENRE_PARAGRAPH * (2_000_000 // len(_GENRE_PARAGRAPH) + 1)
    kb.find(_GENRE_PARAGRAPH, "en")  # builds the automaton
    t0 = time.perf_counter()
    found = kb.find(text, "en")
    elapsed = time.perf_counter() - t0
    assert len(found) > 20_000
    assert len(text) / elapsed > 1_000_000, f"{len(text) / elapsed / 1e6:.2f} MB/s"


def test_extended_entries_are_exactly_those_outside_the_vocabulary(kb: Knowledge) -> None:
    # The record lists only vocabulary codes; the pack keeps more (NDB, WHO) as mentions
    # and marks them, so that the record can leave them out without reading shared/.
    vocab = SHARED / "spec" / "vocabulary.tsv"
    if not vocab.exists():
        pytest.skip("shared/spec/vocabulary.tsv not present")
    with vocab.open(encoding="utf-8") as fh:
        codes = {row["code"] for row in csv.DictReader(fh, delimiter="\t")}
    for code, entry in kb.organizations.items():
        assert bool(entry.attrs.get("extended")) == (code not in codes), code
    assert kb.entry("NDB").attrs.get("extended") is True
    assert not kb.entry("UNSC").attrs.get("extended")


def test_an_organ_named_after_its_organization_with_a_possessive(kb: Knowledge) -> None:
    def codes(text: str, lang: str) -> list[str]:
        return [m.code for m in kb.find(text, lang, ["organization", "body"], organization="SCO")]

    assert codes("reform of the United Nations and its Security Council", "en") == ["UN", "UNSC"]
    assert codes("роль Организации Объединенных Наций и ее Совета Безопасности", "ru") == [
        "UN",
        "UNSC",
    ]
    assert codes("支持联合国及其安理会发挥作用", "zh") == ["UN", "UNSC"]
    # a national security council is no organ of the UN
    assert codes("the Security Council of the Republic of Tajikistan", "en") == []
    assert codes("Секретарь Совета Безопасности Российской Федерации", "ru") == []


def test_chinese_state_glued_to_a_one_character_word(kb: Knowledge) -> None:
    assert [m.code for m in kb.find("各方就伊朗核问题交换意见", "zh", ["state"])] == ["IR"]
    assert [m.code for m in kb.find("两名叙利亚籍人员", "zh", ["state"])] == ["SY"]


def test_a_chinese_name_does_not_start_with_a_dates_unit(kb: Knowledge) -> None:
    # "...6日" + "本组织": the 日 closes the date, there is no 日本 (Japan) across the edge
    assert codes(kb, "2019年6月14日本组织秘书长出席了会议", "zh", ["state"]) == []
    assert codes(kb, "次日本组织发表声明", "zh", ["state"]) == []
    assert codes(kb, "6月14日日本外相访华", "zh", ["state"]) == ["JP"]
    assert codes(kb, "中国同日本的关系", "zh", ["state"]) == ["CN", "JP"]


def test_hyphenated_russian_city_names_inflect(kb: Knowledge) -> None:
    # two capitalized words joined by a hyphen are a name, not an acronym
    assert codes(kb, "саммит в Улан-Баторе", "ru", ["city"]) == ["Ulaanbaatar"]
    assert codes(kb, "встреча в Чолпон-Ате", "ru", ["city"]) == ["Cholpon-Ata"]
    assert codes(kb, "выборы в Гвинее-Бисау", "ru", ["state"]) == ["GW"]


def test_knowledge_build_help_does_not_rewrite_the_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from communique.knowledge import build

    before = build.OUT.read_bytes()
    with pytest.raises(SystemExit) as exit_:
        build.main(["--help"])
    assert exit_.value.code == 0
    assert "Regenerate" in capsys.readouterr().out
    assert build.OUT.read_bytes() == before
