"""Speed-ups that must not change a result: each fast path against the plain computation."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from communique.align import anchors, lexicon
from communique.extract import dates, meeting
from communique.normalize import clean_text, detect_language, mojibake
from communique.normalize import language as language_mod
from communique.search.highlight import fold as snippet_fold
from communique.segment import sentences

CEDICT_LINES = [
    "# CC-CEDICT header line",
    "中國 中国 [Zhong1 guo2] /China/Middle Kingdom/",
    "合作 合作 [he2 zuo4] /to cooperate/to collaborate/to work together/cooperation/CL:個|个[ge4]/",
    "李 李 [Li3] /surname Li/",
    "李 李 [li3] /plum/",
    "組織 组织 [zu3 zhi1] /to organize/organization/(biology) tissue/",
    "峰會 峰会 [feng1 hui4] /summit meeting/",
    "恐怖 恐怖 [kong3 bu4] /terrible/frightful/terror/terrorist/",
    "壹 壹 [yi1] /variant of 一[yi1]/",
    "括號 括号 [kuo4 hao4] /parenthesis (a/b) or bracket/[square] words/",
    "broken line without brackets",
    "a b c [x] /three forms/",
]


def _eager(lines: list[str]) -> dict[str, set[str]]:
    """The dictionary as parsed before lazy reading: every entry's stems at once."""
    acc: dict[str, set[str]] = {}
    for line in lines:
        entry = lexicon.parse_line(line)
        if entry is None:
            continue
        parts, field = entry
        keys: set[str] = set()
        for d in field.split("/"):
            if d.lower().startswith(lexicon._GLOSS_SKIP):
                continue
            for w in lexicon._EN_WORD.findall(lexicon._PAREN.sub(" ", d)):
                if w.lower() not in lexicon._EN_STOP and len(w) > 1:
                    keys.add(lexicon.en_stem(w))
        for form in set(parts):
            if keys:
                acc.setdefault(form, set()).update(keys)
    return acc


def test_lazy_glossary_reads_what_an_eager_parse_reads() -> None:
    eager = _eager(CEDICT_LINES)
    cedict = lexicon.Cedict.from_lines(CEDICT_LINES)
    # Lookups first (the aligner's path), then the full mapping (cross-lingual search's).
    assert cedict.zh_to_en.get("李") == eager["李"]
    assert "壹" not in cedict.zh_to_en and cedict.zh_to_en.get("壹") is None
    assert cedict.zh_to_en.get("不在") is None
    assert cedict.stems() == set().union(*eager.values())
    assert dict(cedict.zh_to_en.items()) == eager
    assert len(cedict.zh_to_en) == len(eager)
    assert cedict.max_len >= max(len(k) for k in eager)
    assert cedict.segment_words(["中国合作组织", "峰会"]) == ["中国", "合作", "组织", "峰会"]


def test_capitalized_latin_words_as_filtered_before() -> None:
    rng = random.Random(3)
    alphabet = "aAzZ- -.Ivan-Bb--Cc中1"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        want = [w for w in anchors._LATIN_WORD.findall(text) if w[0].isupper()]
        got = [w.lstrip("-") for w in anchors._LATIN_CAPITALIZED.findall(text)]
        assert got == want, text
        plain = re.compile(r"(?<![A-Za-z\-])-*([A-Z][A-Za-z\-]+)")
        assert got == plain.findall(text), text


@pytest.mark.parametrize(
    "pattern", [dates._DESIGNATOR_EN, dates._DESIGNATOR_RU, dates._AMOUNT_BEFORE]
)
def test_search_from_the_last_word_as_a_full_search(pattern: re.Pattern[str]) -> None:
    rng = random.Random(5)
    tokens = ["resolution", "Nos.", "no", "a/res", "s/", "§", "USD", "xUSD", "$", "dollars",
              "резолюции", "ст.", "пп", "1", ",", " ", "\n", "\xa0", "x", "ſ"]  # fmt: skip
    for _ in range(20_000):
        text = "".join(rng.choice(tokens) + rng.choice(["", " "]) for _ in range(rng.randint(0, 6)))
        assert dates._ends_with(pattern, text) == (pattern.search(text) is not None), text


def test_a_second_reference_reuses_only_what_does_not_depend_on_it() -> None:
    texts = {
        "en": "By 12 June 2004 and in 2005, not later than March, resolution 1373 (2001).",
        "ru": "До 1 июля 2010 года, в марте и в 2003-2005 годах.",
        "zh": "2003年底前，今年10月，11月23日，1972年9年11日。",
    }
    for lang, text in texts.items():
        dates.clear_caches()
        first = dates.find_dates(text, lang, "2002-11-23")
        second = dates.find_dates(text, lang, None)
        malformed = dates.find_malformed_dates(text, lang)
        dates.clear_caches()
        assert dates.find_dates(text, lang, None) == second
        assert dates.find_malformed_dates(text, lang) == malformed
        dates.clear_caches()
        assert dates.find_dates(text, lang, "2002-11-23") == first


def test_mojibake_triggers_as_set_tests() -> None:
    rng = random.Random(9)
    alphabet = "ÂÃÐÑàéРСпяЂ─°«»\ufffdабвЁБНОПНЯ abc"
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        chars = set(text)
        for (trigger, _), fast in zip(mojibake._PATTERNS, mojibake._TRIGGERS, strict=True):
            assert (fast.search(text) is None) == chars.isdisjoint(trigger), text
        expect = not chars.isdisjoint(mojibake._CYRILLIC_LOWER)
        assert (mojibake._HAS_CYRILLIC_LOWER.search(text) is not None) == expect


def _fold_plain(term: str) -> str:
    decomposed = unicodedata.normalize("NFD", term.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@pytest.mark.parametrize(
    "term",
    [
        "Cooperation",
        "RATS",
        "anti-terrorist",
        "2002年",
        "Straße",
        "Ǆemal",
        "ÉTATS",
        "Шанхайская",
        "ﬁnal",
        "",
    ],
)
def test_snippet_fold_fast_path_matches_the_plain_fold(term: str) -> None:
    assert snippet_fold(term) == _fold_plain(term)


def test_snippet_fold_on_every_ascii_character() -> None:
    text = "".join(map(chr, range(128)))
    assert snippet_fold(text) == _fold_plain(text)


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], ...]]:
    """Every match of ``pattern`` in ``text``, as the spans of the match and of each group."""
    return [m.regs for m in pattern.finditer(text)]


def _random_texts(alphabet: list[str], seed: int, count: int = 5_000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(count)]


def test_paragraph_blocks_as_found_a_character_at_a_time() -> None:
    plain = re.compile(r"(?:[^\n]|\n(?![ \t\u3000]*\n))+")
    for text in _random_texts(["a", "Bc.", " ", "\t", "\u3000", "\n", "\n\n", "中"], 11):
        assert _matches(sentences._BLOCK, text) == _matches(plain, text), repr(text)


def test_clean_text_strips_and_closes_up_as_the_line_patterns_did() -> None:
    trailing = re.compile(r"[ \t\u3000]+$", re.MULTILINE)
    blank_run = re.compile(r"\n{3,}")
    alphabet = ["a", "Б", " ", "\t", "\u3000", "\n", "\n\n\n", "\r\n", "\xa0", "x  "]
    for text in _random_texts(alphabet, 12):
        got = clean_text(text)
        # the steps before these two leave such a text as it is, bar newlines and spaces
        base = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\xa0", " ")
        base = "\n".join(line.expandtabs(4) for line in base.split("\n"))
        assert got == blank_run.sub("\n\n", trailing.sub("", base)).strip("\n"), repr(text)


def test_an_ascii_text_without_letters_has_no_language() -> None:
    for text in _random_texts(["1", " ", ".", "-", "\n", "a", "Z"], 13):
        counted = len(language_mod._NOT_LATIN.sub("", text))
        assert (detect_language(text) == "und") == (counted == 0), repr(text)


def test_paragraph_language_of_cyrillic_documents_as_counted() -> None:
    def counted(text: str, lang: str) -> str:
        if sentences._HAN_OR_KANA.search(text):
            return sentences.paragraph_language(text, 0, len(text), lang)  # not this path
        cyr = len(sentences._NOT_CYRILLIC.sub("", text))
        letters = len(sentences._NOT_LETTER.sub("", text))
        return "en" if cyr * 5 < letters else lang

    # \u0482 is in the Cyrillic block but no letter; \u0483 a combining mark
    alphabet = ["Путин", "и", " ", "SCO", "x", "1", "\u0482", "\u0483", "é", "-", "\n"]
    for text in _random_texts(alphabet, 14):
        assert sentences.paragraph_language(text, 0, len(text), "ru") == counted(text, "ru")


def test_a_guarded_alternation_is_guarded_in_every_branch() -> None:
    guarded = dates.led_by(re.compile(r"(?<!x)ab|cd"), "ac")
    assert [m.group() for m in guarded.finditer("ab cd xab cd")] == ["ab", "cd", "cd"]
    # the look-ahead stands before the whole alternation, not inside its first branch
    assert guarded.pattern.startswith("(?=[ac])(?:")


@pytest.mark.parametrize(
    ("pattern", "plain"),
    [
        (sentences._EN_END, r"(?:[.!?]+|…)[\"'”’»)\]]*(?=\s)"),
        (sentences._ZH_END, r"(?:[。！？!?]+|[…]+(?=\s))[”’」』）)】〕》\"']*"),
        (sentences._RU_ETC, r"(?<!\w)(?:т\.\s?д|т\.\s?п|и\s+др)\.(?=\s+[А-ЯЁA-Z])"),
    ],
)
def test_sentence_ends_as_found_by_the_plain_patterns(pattern: re.Pattern[str], plain: str) -> None:
    bare = re.compile(plain)
    alphabet = ["т.", "д.", "п.", "и", " др.", ".", "!?", "…", "。", "！", "”", " ", "Б", "a", "\n"]
    for text in _random_texts(alphabet, 15):
        assert _matches(pattern, text) == _matches(bare, text), repr(text)


def test_dates_and_roles_behind_a_look_ahead_as_without() -> None:
    alphabet = ["12.05.2003", "2003", "-", "2005", "–04", "-01-02", " ", "года", "г.", "1", ".",
                "Заместитель ", "Премьер-министра", "министр", "Посол", "в течение", " трех ",
                "месяцев", "В пределах", "本年度", "今年度", "本年", "过本年", "本月内", "这个月底"]  # fmt: skip
    texts = _random_texts(alphabet, 16)
    rules = [(r.pattern, lang) for lang in ("en", "ru", "zh") for r in dates._rules(lang).rules]
    # every rule behind a look-ahead (the years rules of English and Russian; the
    # Chinese rules open with a character class, tested below) and two other patterns
    guarded = [p for p, _ in rules if p.pattern.startswith("(?=")]
    assert len(guarded) >= 2
    guarded += [meeting._RU_ROLE_HEAD, dates._DURATION["ru"]]
    for pattern in guarded:
        plain = re.sub(r"^\(\?=(?:\[[^\]]*\]|\\d)\)", "", pattern.pattern)
        assert plain != pattern.pattern
        bare = re.compile(plain, pattern.flags)
        for text in texts:
            assert _matches(pattern, text) == _matches(bare, text), (pattern.pattern[:40], text)


def test_cyrillic_count_as_counted_by_a_pattern() -> None:
    block = re.compile(r"[^\u0400-\u04ff]+")
    alphabet = ["Ѐ", "я", "ӿ", "Ԁ", "ϿЀ", "\u0482", "a", "中", "\U00020000", "\ud800", "é", " "]
    for text in _random_texts(alphabet, 17):
        assert language_mod.cyrillic_count(text) == len(block.sub("", text)), repr(text)


def test_months_and_numbers_found_as_by_the_plain_alternations() -> None:
    month = re.compile(
        r"\b(January|February|March|April|May|June|July|August|September|October|November"
        r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?"
    )
    number = re.compile(r"\d{1,3}(?:[,\u00a0 ]\d{3})+(?!\d)|\d+")
    alphabet = ["Jan", "January", "Sep", "Sept", "Mayo", "xMay", " May", "Dec.", "t", " ", ".",
                "_", "é", "-", "1", "23", "456", ",", "\xa0", "٣", "12 345", "1,000,0"]  # fmt: skip
    for text in _random_texts(alphabet, 18, 20_000):
        assert _matches(anchors._EN_MONTH, text) == _matches(month, text), repr(text)
        assert anchors._NUMBER.findall(text) == number.findall(text), repr(text)


def test_english_roles_found_as_by_the_plain_pattern() -> None:
    roles = "|".join(meeting._EN_ROLES)
    plain = re.compile(rf"\b(?:(?:First\s+)?(?:Deputy|Vice)[\s-]+)?(?:{roles})\b")
    alphabet = ["First ", "Deputy ", "Vice-", "Minister", "Ministers", "Prime Minister", "é",
                "Secretary-General", "Secretary", "xHead", "Head", "Director General", "Chief",
                "-", " ", "\n", "Foreign Minister", "FirstDeputy Minister", "Vice  King"]  # fmt: skip
    for text in _random_texts(alphabet, 19, 20_000):
        assert _matches(meeting._EN_ROLE_HEAD, text) == _matches(plain, text), repr(text)


def test_chinese_date_rules_match_as_their_plain_patterns() -> None:
    zy = r"(?:[0-9０-９]{1,4}|[〇○零一二三四五六七八九]{4})"
    zy4 = r"(?:[0-9０-９]{4}|[〇○零一二三四五六七八九]{4})"
    zm = r"(?:[0-9０-９]{1,2}|十[一二]?|[一二三四五六七八九])"
    zd, to = dates._ZD, dates._ZTO
    plain = [
        rf"(?P<y>{zy})\s*年\s*(?P<m1>{zm})\s*月\s*(?P<d1>{zd})\s*[日号]?{to}(?:(?P<m2>{zm})\s*月\s*)?"
        rf"(?P<d2>{zd})\s*[日号]",
        rf"{zy}\s*年\s*{zm}\s*年\s*{zd}\s*[日号]",
        rf"(?P<y>{zy})\s*年\s*(?P<m>{zm})\s*月\s*(?P<d>{zd})\s*[日号]",
        rf"(?P<y>{zy4})\s*年\s*(?P<m>{zm})\s*月(?!份?\s*[0-9０-９])",
        rf"(?P<y1>{zy4})\s*年?{to}(?P<y2>{zy4})\s*年",
        rf"(?<![0-9０-９])(?P<y>{zy4})\s*年(?!\s*[0-9０-９]{{1,2}}\s*年)",
        rf"(?<![过以之同当])(?P<w>[今去明])年(?!代|纪|龄|级|轻)(?:\s*(?P<m>{zm})\s*月"
        rf"(?:\s*(?P<d>{zd})\s*[日号])?)?",
        r"(?<![过以之同当])(?:本|今)年度|(?<![过以之同当])本年(?!代|纪|龄|级|轻)",
        r"(?<![0-9０-９〇零一二三四五六七八九十两今去明本前后近多数几每同当上下全])年(?=内|之内)",
        r"(?:本|当|这个)月(?=内|底|末|之内|中|前)",
        rf"(?<![0-9０-９年])(?P<m>{zm})\s*月\s*(?P<d>{zd})\s*[日号]",
        r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?![\d.]\d)",
    ]
    rules = [r.pattern for r in dates._rules("zh").rules]
    assert len(rules) == len(plain)
    alphabet = ["2003", "１２", "12", "1", "年", "月", "日", "号", "二〇〇二", "二○○二", "十一",
                "十", "一", "三十一", "二十", "至", "-", "～", " ", "本", "去", "今", "这个", "过",
                "5", "0", "〇", "九", "份", "内", "年度", "代", ".", "12.05.2003"]  # fmt: skip
    texts = _random_texts(alphabet, 20, 10_000)
    for pattern, source in zip(rules, plain, strict=True):
        bare = re.compile(source)
        assert pattern.groupindex == bare.groupindex
        assert pattern.groups == bare.groups
        for text in texts:
            assert _matches(pattern, text) == _matches(bare, text), (source[:40], text)


def test_also_found_as_by_the_plain_patterns() -> None:
    plain = {"ru": re.compile(r"(?<!\w)также(?!\w)", re.IGNORECASE)}
    alphabet = ["также", "ТАКЖЕ", "Также", "\u1c84акже", "\u1c85АКЖЕ", "ытакже", "такжея",
                "1", "_", " ", ".", "x", "тАкЖе"]  # fmt: skip
    for text in _random_texts(alphabet, 21, 20_000):
        for lang, bare in plain.items():
            assert _matches(meeting._ALSO[lang], text) == _matches(bare, text), (lang, text)
