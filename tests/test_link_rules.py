"""The link rules on documents of the genre written for these tests, in en/zh/ru."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from communique.link import ensure_built, facts, followups, persons, state_at
from communique.link.names import person_key, skeleton, translit
from communique.link.timeline import Fact, Source, _Assertion, assemble
from communique.store import Store
from conftest import new_db

EN_2008 = """JOINT COMMUNIQUE OF THE MEETING OF THE COUNCIL OF MINISTERS OF FOREIGN AFFAIRS OF THE SHANGHAI COOPERATION ORGANIZATION

The Council of Ministers of Foreign Affairs of the Shanghai Cooperation Organization held its meeting on 25 July 2008 in Dushanbe.

The ministers noted that the SCO Secretariat, based in Beijing, and the SCO Regional Anti-Terrorist Structure, headquartered in Tashkent, work effectively.

The ministers welcomed the decision to grant the status of dialogue partner to Sri Lanka and Belarus.

The ministers noted that the chairmanship of the Republic of Tajikistan in the SCO contributed to the development of cooperation.

The Memorandum of Understanding between the SCO Secretariat and the Secretariat of the Commonwealth of Independent States was signed in April 2008.

The member states will conclude the Agreement on Cooperation in Emergency Relief before the end of 2009.
"""

RU_2011 = """СОВМЕСТНОЕ КОММЮНИКЕ ЗАСЕДАНИЯ СОВЕТА МИНИСТРОВ ИНОСТРАННЫХ ДЕЛ ГОСУДАРСТВ-ЧЛЕНОВ ШАНХАЙСКОЙ ОРГАНИЗАЦИИ СОТРУДНИЧЕСТВА

Заседание Совета министров иностранных дел государств-членов Шанхайской организации сотрудничества состоялось 12 мая 2011 года в Астане.

Министры отметили, что Секретариат ШОС в Пекине и Региональная антитеррористическая структура ШОС со штаб-квартирой в Бишкеке эффективно выполняют свои функции.

Министры приветствовали предоставление статуса наблюдателя при ШОС Монголии и Афганистану.

Министры высоко оценили председательство Республики Казахстан в ШОС.
"""

ZH_2011 = """上海合作组织成员国外交部长理事会会议新闻公报

上海合作组织成员国外交部长理事会会议于2011年5月12日在阿斯塔纳举行。

外长们指出，设在北京的上海合作组织秘书处和总部设在比什凯克的上海合作组织地区反恐怖机构工作卓有成效。

外长们欢迎给予蒙古国和阿富汗上海合作组织观察员地位。

外长们高度评价哈萨克斯坦担任上海合作组织主席国期间所做的工作。
"""

EN_2010 = """PRESS RELEASE ON THE MEETING OF THE COUNCIL OF MINISTERS OF FOREIGN AFFAIRS OF THE SHANGHAI COOPERATION ORGANIZATION

The meeting of the Council of Ministers of Foreign Affairs of the Shanghai Cooperation Organization was held on 22 May 2010 in Tashkent.

The Agreement on Cooperation in Emergency Relief of 2 March 2010 has been signed by the member states.
"""


@pytest.fixture(scope="module")
def genre_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("genre")
    for name, text in (
        ("en_2008.txt", EN_2008),
        ("ru_2011.txt", RU_2011),
        ("zh_2011.txt", ZH_2011),
        ("en_2010.txt", EN_2010),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    db = new_db(folder, "g.db")
    with Store.open(db) as store:
        assert store.ingest([folder]).ok
    return db


@pytest.fixture
def genre(genre_db: Path) -> Any:
    store = Store.open(genre_db)
    yield store
    store.close()


def _files(f: Fact) -> set[str]:
    return {s.file for s in f.sources}


def test_every_sources_surface_is_its_span_of_the_document(genre: Store) -> None:
    """The surface is cut from the sentence when the span lies in it (the whole
    document's text was read for each fact row): it must be the span's text."""
    texts = dict(genre.conn.execute("SELECT sha256, text FROM documents"))
    checked = 0
    for f in facts(genre):
        for s in f.sources:
            start, end = s.span
            assert s.surface == (texts[s.sha256][start:end] if start >= 0 else ""), f
            checked += 1
    assert checked > 20


def test_seats_in_three_languages_and_a_move(genre: Store) -> None:
    rats = [f for f in facts(genre, subject="RATS") if f.predicate == "seat"]
    assert [(f.object, f.valid_from, f.valid_to) for f in rats] == [
        ("Tashkent", "2008-07-25", "2011-05-12"),
        ("Bishkek", "2011-05-12", None),
    ]
    assert _files(rats[1]) == {"ru_2011.txt", "zh_2011.txt"}
    for s in rats[1].sources:
        assert s.sentence is not None and s.surface in s.sentence
    (sec,) = [f for f in facts(genre, subject="SECRETARIAT") if f.predicate == "seat"]
    assert sec.object == "Beijing" and _files(sec) == {"en_2008.txt", "ru_2011.txt", "zh_2011.txt"}


def test_statuses_presidency_memorandum(genre: Store) -> None:
    state = state_at(genre, "2011-06-01")
    assert {f["subject"] for f in state["dialogue_partners"]} == {"LK", "BY"}
    observers = {f["subject"]: f for f in state["observers"]}
    assert set(observers) == {"MN", "AF"}
    assert {s["language"] for s in observers["MN"]["sources"]} == {"ru", "zh"}
    assert [f["object"] for f in state["presidency"]] == ["KZ"]
    before = state_at(genre, "2009-01-01")
    assert [f["object"] for f in before["presidency"]] == ["TJ"]
    assert [(f["object"], f["valid_from"]) for f in before["memoranda"]] == [("CIS", "2008-04")]


def test_commitment_fulfilled_by_later_instrument(genre: Store) -> None:
    (c,) = [c for c in followups(genre) if "Emergency Relief" in c.sentence]
    assert (c.status, c.timing) == ("fulfilled", "late")
    assert c.evidence[0].file == "en_2010.txt" and c.evidence[0].date == "2010-03-02"


def test_conflict_at_the_same_time() -> None:
    def a(obj: str, file: str) -> _Assertion:
        src = Source(file, file * 4, "2012-01-01", "en", 0, "s", (0, 1), "s", "stated")
        return _Assertion("RATS", "seat", obj, "2012-01-01", "stated", {}, src)

    out = assemble([a("Tashkent", "a"), a("Bishkek", "b")])
    assert sorted((f.object, f.conflict, f.valid_to) for f in out) == [
        ("Bishkek", True, None),
        ("Tashkent", True, None),
    ]


def test_incremental_build(genre: Store) -> None:
    report = ensure_built(genre)
    assert report.built == 0 and report.kept == 4


def test_person_keys() -> None:
    assert translit("Мезенцев") == "mezentsev"
    assert person_key("D. Mezentsev") == person_key("Dmitry Mezentsev") == person_key("Д. Мезенцев")
    assert person_key("K.Tokaev") == person_key("К. Токаев") == person_key("Kassym-Jomart Tokayev")
    assert person_key("Zhang Deguang") != person_key("Zhang Sinfen")
    assert skeleton("Rakhmon") == skeleton("Rahmon")
    assert person_key("唐家璇").startswith("zh:")


def test_names_joined_through_language_versions(seeded_copy: Any) -> None:
    db = seeded_copy
    with Store.open(db) as store:
        ensure_built(store)
        people = persons(store.conn)
    by_name = {n: p for p in people for n in p.names}
    assert by_name["唐家璇"].id == by_name["Tang Jiaxuan"].id
    assert by_name["卡米洛夫"].id == by_name["A. Kamilov"].id
    assert by_name["Tang Jiaxuan"].id != by_name["Wang Yi"].id
