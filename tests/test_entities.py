"""States and organizations of a document: the seed gold, and documents of our own in en/zh/ru."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique.extract.entities import (
    document_organization,
    find_organizations,
    find_states,
    record_organizations,
)
from communique.knowledge import Knowledge, load
from communique.records import NormalizedDocument, RawDocument, SegmentedDocument
from communique.segment import segment

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEEDS = sorted((SHARED / "corpus" / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load()


def doc(text: str, lang: str, name: str = "test.txt") -> SegmentedDocument:
    raw = RawDocument(
        path=name, name=name, format="txt", text=text, sha256="0" * 64, size=len(text)
    )
    return segment(NormalizedDocument(raw=raw, text=text, language=lang))


def states(seg: SegmentedDocument, kb: Knowledge) -> set[str]:
    found = find_states(seg, kb)
    for m in found:
        assert seg.text[m.start : m.end] == m.surface
        assert m.kind == "state" and "form" in m.attrs
    return {m.value for m in found}


def organizations(seg: SegmentedDocument, kb: Knowledge) -> set[str]:
    """As the orchestrator reports them: the issuing organization's own bodies left out."""
    found = find_organizations(seg, kb)
    for m in found:
        assert seg.text[m.start : m.end] == m.surface
        assert m.kind in ("organization", "body")
    own = document_organization(seg, kb)
    return {m.value for m in found if m.value == own or kb.root(m.value) != own}


@pytest.mark.skipif(not SEEDS, reason="../shared/corpus/seeds not present")
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_states_and_organizations_equal_gold(path: Path, kb: Knowledge) -> None:
    from communique.normalize import normalize
    from communique.readers import read

    gold = json.loads((SHARED / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
    seg = segment(normalize(read(path)))
    assert states(seg, kb) == set(gold["states"])
    assert organizations(seg, kb) == set(gold["organizations"])


BRICS_EN = """XVI BRICS SUMMIT KAZAN DECLARATION

1. We, the Leaders of the Federative Republic of Brazil, the Russian Federation, the Republic of India, the People's Republic of China and the Republic of South Africa, together with the Arab Republic of Egypt, the Federal Democratic Republic of Ethiopia, the Islamic Republic of Iran and the United Arab Emirates, met in Kazan on 22-24 October 2024 for the XVI BRICS Summit.

2. We commend the New Development Bank (NDB) for its growth and support the expansion of its membership. We call on the IMF and the World Bank to reform their governance, and we welcome the work of the G20 under the Brazilian presidency.

3. We support a comprehensive reform of the United Nations, including its Security Council, and recognize the legitimate aspirations of emerging and developing countries.

4. We express concern over the situation in the Middle East and on the Korean Peninsula, and we call for the cessation of hostilities in Central Asian and North African conflict zones.

5. We note the agreement between Air China and Malaysia Airlines, reported by the "China Daily" newspaper, on flights over the Indian Ocean.
"""

SCO_RU = """Совместное коммюнике по итогам заседания Совета министров иностранных дел государств – членов Шанхайской организации сотрудничества

Заседание Совета министров иностранных дел государств – членов Шанхайской организации сотрудничества (ШОС) состоялось 21 мая 2024 года в Астане. В заседании приняли участие Министр иностранных дел Республики Казахстан М.Нуртлеу, Министр иностранных дел Китайской Народной Республики Ван И, Министр иностранных дел Кыргызской Республики Ж.Кулубаев и Министр иностранных дел Российской Федерации С.Лавров.

Министры выступают за становление Афганистана как независимого, нейтрального и мирного государства и поддерживают центральную координирующую роль ООН.

Министры выразили обеспокоенность ситуацией на Ближнем Востоке и на Корейском полуострове.

Стороны отметили важность сотрудничества Секретариата ШОС с СНГ, ОДКБ, АСЕАН и СВМДА, а также с Секретариатом ООН. Министры приветствовали работу Секретариата и Региональной антитеррористической структуры.
"""

CICA_ZH = """亚洲相互协作与信任措施会议第六次外长会议宣言

亚信成员国外交部长于2021年10月12日在哈萨克斯坦共和国努尔苏丹举行会议。

我们欢迎亚信秘书处的工作，支持亚信进一步发展。

我们重申支持阿富汗和平进程，呼吁国际社会向阿富汗人民提供人道主义援助。

我们对朝鲜半岛局势表示关切，主张通过对话解决问题。

我们认为发展中国家应在全球治理中发挥更大作用，支持联合国在国际事务中的核心作用。

我们欢迎上海合作组织、独联体和东盟与亚信开展合作，并注意到中国银行和中国日报的报道。
"""


def test_brics_declaration_in_english(kb: Knowledge) -> None:
    seg = doc(BRICS_EN, "en")
    assert states(seg, kb) == {"BR", "RU", "IN", "CN", "ZA", "EG", "ET", "IR", "AE"}
    assert document_organization(seg, kb) == "BRICS"
    assert organizations(seg, kb) == {"BRICS", "NDB", "IMF", "WORLD_BANK", "G20", "UN"}


def test_sco_communique_in_russian(kb: Knowledge) -> None:
    seg = doc(SCO_RU, "ru")
    assert states(seg, kb) == {"KZ", "CN", "KG", "RU", "AF"}
    assert document_organization(seg, kb) == "SCO"
    assert organizations(seg, kb) == {"SCO", "UN", "CIS", "CSTO", "ASEAN", "CICA", "UN_SECRETARIAT"}
    found = {m.value for m in find_organizations(seg, kb)}
    assert {"CMFA", "SECRETARIAT", "RATS"} <= found


def test_cica_declaration_in_chinese(kb: Knowledge) -> None:
    seg = doc(CICA_ZH, "zh")
    # not CN (发展中国家, 中国银行, 中国日报), not KP (朝鲜半岛)
    assert states(seg, kb) == {"KZ", "AF"}
    assert document_organization(seg, kb) == "CICA"
    assert organizations(seg, kb) == {"CICA", "SCO", "CIS", "ASEAN", "UN"}
    assert "CICA_SECRETARIAT" in {m.value for m in find_organizations(seg, kb)}


def test_state_inside_a_non_state_name_does_not_count(kb: Knowledge) -> None:
    text = (
        "The ministers expressed condolences over the crash of a Japan Airlines plane, quoted "
        '"The World and Korea" Database and the "Kazakhstan Today" agency, and met the '
        "Minister of Foreign Affairs of Japan. The Bank of Mongolia was represented."
    )
    assert states(doc(text, "en"), kb) == {"JP"}


def test_nested_parent_names_are_mentions_of_their_own(kb: Knowledge) -> None:
    seg = doc(
        "They will cooperate with the Counter-Terrorism Committee of the UN Security Council.", "en"
    )
    found = find_organizations(seg, kb)
    assert [(m.value, m.surface) for m in found] == [
        ("CTC", "Counter-Terrorism Committee of the UN Security Council"),
        ("UNSC", "UN Security Council"),
        ("UN", "UN"),
    ]
    assert found[1].attrs["nested_in"] == "CTC"
    assert all(m.sentence == 0 for m in found)


DOCS = Path(__file__).resolve().parent / "docs"
ENTITY_DOCS = [
    p
    for p in sorted(DOCS.glob("*.txt"))
    if "states" in json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8"))
]


@pytest.mark.parametrize("path", ENTITY_DOCS, ids=lambda p: p.stem)
def test_own_documents_states_and_record_organizations(path: Path, kb: Knowledge) -> None:
    from communique.normalize import normalize
    from communique.readers import read

    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    seg = segment(normalize(read(path)))
    assert states(seg, kb) == set(expected["states"])
    mentions = find_organizations(seg, kb)
    assert record_organizations(mentions, kb, expected["organization"]) == expected["organizations"]


def test_extended_organizations_are_mentions_but_not_record_codes(kb: Knowledge) -> None:
    seg = doc(
        "The SCO Secretariat and the New Development Bank signed a memorandum. "
        "The Asian Development Bank and the World Health Organization took part.",
        "en",
    )
    mentions = find_organizations(seg, kb)
    found = {m.value: m for m in mentions}
    assert {"NDB", "ADB", "WHO", "SECRETARIAT", "SCO"} <= set(found)
    assert found["NDB"].attrs["record"] is False
    assert "record" not in found["SCO"].attrs
    # the issuing organization's own Secretariat is carried by the knowledge layer, not here
    assert record_organizations(mentions, kb, "SCO") == ["SCO"]


def test_state_adjective_opening_a_company_name(kb: Knowledge) -> None:
    ru = doc(
        "Стороны отметили вклад Монгольской железной дороги и компании «Таджикские "
        "авиалинии» в развитие транспорта. Российские компании и китайские банки "
        "участвуют в проектах.",
        "ru",
    )
    assert states(ru, kb) == {"RU", "CN"}
    en = doc("Mongolian Railways and the Kyrgyz Airlines joined the project.", "en")
    assert states(en, kb) == set()
