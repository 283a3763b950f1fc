"""Speed-ups that must not change a result: each fast path against the plain computation."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from communique.align import anchors, lexicon
from communique.extract import dates
from communique.normalize import mojibake
from communique.search.highlight import fold as snippet_fold

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
        assert anchors._LATIN_CAPITALIZED.findall(text) == want, text


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
