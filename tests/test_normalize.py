from __future__ import annotations

from pathlib import Path

import pytest

from communique.normalize import clean_text, detect_language, normalize, parse_record_header
from communique.records import RawDocument

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"

RU_TEXT = (
    "Совет министров иностранных дел государств – членов Шанхайской организации "
    "сотрудничества провёл очередное заседание в Душанбе. Министры обменялись мнениями "
    "по актуальным международным проблемам и подтвердили приверженность укреплению мира."
)
ZH_TEXT = (
    "上海合作组织成员国外交部长理事会例行会议在杜尚别举行。各方就当前国际和地区形势交换了意见，"
    "重申愿进一步加强在安全、经济和人文领域的合作。"
)
EN_TEXT = (
    "The ministers of foreign affairs of the member states met in Dushanbe. They exchanged "
    "views on the international situation and reaffirmed their commitment to peace."
)


def _raw(text: str) -> RawDocument:
    return RawDocument(path="x.txt", name="x.txt", format="txt", text=text, sha256="0", size=0)


# ---------------------------------------------------------------------- cleaning


def test_clean_text_whitespace_and_invisible_characters() -> None:
    raw = (
        "\ufeff\r\n\r\n## JOINT\u200b STATEMENT  \r\n\r\n\r\n\r\n"
        "The ministers,\t*inter alia*, met.\u00a0Cafe\u0301 \r"
        "second line\u2060\n\n\n\n"
    )
    assert clean_text(raw) == (
        "## JOINT STATEMENT\n\nThe ministers,  *inter alia*, met. Café\nsecond line"
    )


def test_clean_text_page_breaks_and_controls() -> None:
    assert clean_text("page one\fpage two\x00\x07") == "page one\n\npage two"
    assert clean_text("a\u2028b\u2029c") == "a\nb\n\nc"
    # The Chinese full-width indent is a character of the text, not trailing noise.
    assert clean_text("\u3000\u3000部长们指出。") == "\u3000\u3000部长们指出。"


# ------------------------------------------------------------------ record header

HEADER_DOC = (
    "Archive of Regional Diplomacy\n"
    "Documents collection\n\n"
    "[Title] Joint Statement of the Heads of State\n"
    "of the Member States\n"
    "[Place] Astana\n"
    "[Date] 5 July 2005\n"
    "[Source]\n"
    "[Document No.] 17/2005\n"
    "[Text]\n\n"
    "The heads of state met in Astana.\n\n"
    "[Note] this bracket is body text."
)


def test_parse_record_header_generic() -> None:
    header, body = parse_record_header(HEADER_DOC)
    assert header is not None
    assert header.banner == "Archive of Regional Diplomacy\nDocuments collection"
    assert header.title == "Joint Statement of the Heads of State of the Member States"
    assert header.place == "Astana"
    assert header.date == "5 July 2005"
    assert header.source is None
    assert header.fields["Source"] == ""
    assert header.fields["Document No."] == "17/2005"
    assert body.strip().startswith("The heads of state met in Astana.")
    assert "[Note] this bracket is body text." in body


def test_no_header_without_terminator() -> None:
    text = "[Title] Something\n[Date] 2005\n\nThe heads of state met."
    assert parse_record_header(text) == (None, text)
    plain = "JOINT COMMUNIQUE\n\nThe ministers met. [Full text]"
    assert parse_record_header(plain) == (None, plain)


def test_normalize_splits_header_off_seed_004() -> None:
    seed = next((SHARED / "corpus" / "seeds").glob("004_*.txt"), None)
    if seed is None:
        pytest.skip("shared seeds not available")
    doc = normalize(_raw(seed.read_text(encoding="utf-8")))
    assert doc.header is not None
    assert doc.header.place == "Dushanbe"
    assert doc.header.date == "July 31, 2014"
    assert doc.header.title is not None and doc.header.title.startswith("PRESS RELEASE")
    assert doc.header.notes is None and doc.header.fields["Notes"] == ""
    assert doc.header.banner is not None and doc.header.banner.count("\n") == 2
    assert doc.text.startswith("A regular meeting")
    assert "[Full text]" not in doc.text and "[Place]" not in doc.text
    assert doc.language == "en"
    assert doc.warnings == []


def test_normalize_keeps_markup_and_body_offsets() -> None:
    doc = normalize(_raw(HEADER_DOC.replace("The heads", "## The heads")))
    assert doc.text.startswith("## The heads of state met in Astana.")
    assert doc.header is not None and doc.header.place == "Astana"


# ---------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (EN_TEXT, "en"),
        (ZH_TEXT, "zh"),
        (RU_TEXT, "ru"),
        ("## 上海合作组织（SCO）与东盟（ASEAN）外长会晤，2014年7月31日。", "zh"),
        ("JOINT COMMUNIQUE", "en"),
        (
            "Les ministres des affaires étrangères des États membres se sont réunis à Douchanbé "
            "et ont adopté une déclaration sur la coopération régionale.",
            "fr",
        ),
        (
            "Die Außenminister der Mitgliedstaaten trafen sich in Duschanbe und haben eine "
            "Erklärung über die regionale Zusammenarbeit angenommen.",
            "de",
        ),
        (
            "Los ministros de relaciones exteriores de los estados miembros se reunieron en "
            "Dusambé y aprobaron una declaración sobre la cooperación regional.",
            "es",
        ),
        (
            "Міністри закордонних справ держав-членів провели засідання і підтвердили "
            "відданість зміцненню миру та безпеки в регіоні.",
            "uk",
        ),
        (
            "Мүше мемлекеттердің сыртқы істер министрлері Душанбеде кездесіп, өңірлік "
            "қауіпсіздік мәселелерін талқылады.",
            "kk",
        ),
        ("上海協力機構の外相会議がドゥシャンベで開催されました。", "ja"),
        ("상하이협력기구 외교장관 회의가 두샨베에서 열렸다.", "ko"),
        ("2002-11-23, 1441 / 2118 (§5); -- ...", "und"),
        ("", "und"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_language_is_decided_on_the_body() -> None:
    text = "[Title] 上海合作组织新闻公报\n[Place] 杜尚别\n[Full text]\n\n" + EN_TEXT
    doc = normalize(_raw(text))
    assert doc.language == "en"
    assert doc.header is not None and doc.header.title == "上海合作组织新闻公报"


# ---------------------------------------------------------------------- mojibake


@pytest.mark.parametrize(
    ("good", "wrong_codec"),
    [
        ("The Ministers’ meeting in Genève was “constructive”.", "cp1252"),
        (RU_TEXT, "cp1252"),
        (RU_TEXT, "cp1251"),
        (ZH_TEXT, "cp1252"),
    ],
)
def test_utf8_read_with_wrong_codec_is_reported(good: str, wrong_codec: str) -> None:
    garbled = good.encode("utf-8").decode(wrong_codec, errors="replace")
    doc = normalize(_raw(garbled))
    assert len(doc.warnings) == 1
    assert doc.warnings[0].startswith("possible mojibake: ")
    # Reported, not repaired: the text is the garbled text, cleaned only.
    assert doc.text == clean_text(garbled)


def test_cyrillic_codec_swap_is_reported() -> None:
    garbled = RU_TEXT.encode("cp1251").decode("koi8_r")
    doc = normalize(_raw(garbled))
    assert doc.warnings and doc.warnings[0].startswith("possible mojibake: ")
    legacy = RU_TEXT.encode("cp1251").decode("latin-1")
    assert normalize(_raw(legacy)).warnings


@pytest.mark.parametrize(
    "text",
    [
        EN_TEXT,
        RU_TEXT,
        ZH_TEXT,
        "Réunion à Genève: les États «membres» ont adopté l’accord. Größe, naïve, São Paulo.",
        "В работе СМИД ШОС приняли участие министры; в ООН и ОДКБ также.",
    ],
)
def test_clean_text_has_no_mojibake_warning(text: str) -> None:
    assert normalize(_raw(text)).warnings == []
