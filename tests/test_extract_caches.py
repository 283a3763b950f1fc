"""The speed-ups of extraction change no result: per-text caches, one date scan per text,
lazy sentence tokens, look-ahead-guarded cue patterns.

Every check compares the fast path with the plain computation on real genre text
(tests/docs and documents written here in three languages).
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from typing import Any

try:  # the parser that re compiles with; its module name changed in 3.11
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

import pytest

from communique.extract import COMPONENTS, clear_caches, extract
from communique.extract import commitments as commitments_module
from communique.extract import dates as dates_module
from communique.extract.dates import find_dates, find_deadlines, find_malformed_dates
from communique.knowledge import Knowledge, TextCache, load
from communique.normalize import normalize
from communique.records import RawDocument, SentenceTokens
from communique.segment import segment, words

DOCS = Path(__file__).resolve().parent / "docs"

TEXTS = {
    "en": (
        "JOINT COMMUNIQUE\n\n"
        "The Council of Foreign Ministers of the Shanghai Cooperation Organization met in "
        "Astana on 12 March 2021. The Ministers of Kazakhstan, China, Kyrgyzstan, Russia, "
        "Tajikistan and Uzbekistan took part. The Secretariat will prepare the draft "
        "programme not later than 1 June 2021. The parties agreed to finalize the agreement "
        "by the next meeting of the Council. Resolution 1441 (2002) of the UN Security "
        "Council was recalled. The Ministers welcomed the progress on Afghanistan in "
        "October. Zhang Deguang (China) spoke as the SCO Executive Secretary. "
        "The meeting was held on June 31, 2003 according to a broken draft."
    ),
    "ru": (
        "СОВМЕСТНОЕ КОММЮНИКЕ\n\n"
        "5 мая 2020 года в Москве состоялось заседание Совета министров иностранных дел "
        "государств-членов Шанхайской организации сотрудничества. Стороны договорились "
        "завершить подготовку соглашения до конца 2020 года. Секретариат подготовит доклад "
        "к следующему заседанию Совета. Министры приветствовали усилия Республики "
        "Казахстан по урегулированию в Афганистане. В прошлом году стороны провели "
        "консультации."
    ),
    "zh": (
        "联合公报\n\n"
        "上海合作组织成员国外交部长理事会会议于2020年5月5日在莫斯科举行。"
        "哈萨克斯坦、中国、吉尔吉斯斯坦、俄罗斯、塔吉克斯坦和乌兹别克斯坦外长出席会议。"
        "各方商定于2020年底前完成协定的国内程序。秘书处应在下次会议前提交报告。"
        "各方支持阿富汗和平进程。去年10月各方举行了磋商。"
    ),
}


def _doc(text: str, name: str = "t.txt"):
    raw = RawDocument(name, name, "txt", text, "", len(text))
    return normalize(raw)


def _genre_texts() -> list[tuple[str, str]]:
    """(language, text) of the documents written here and of tests/docs."""
    out = list(TEXTS.items())
    for p in sorted(DOCS.glob("*.txt")):
        d = _doc(p.read_text(encoding="utf-8"), p.name)
        out.append((d.language, d.text))
    return out


# ------------------------------------------------------------------ TextCache


def test_text_cache_is_bounded_by_entries_and_characters() -> None:
    cache: TextCache[str, int] = TextCache(entries=3, chars=100)
    for i, key in enumerate("abcd"):
        cache.put(key, i, 10)
    assert len(cache) == 3 and cache.get("a") is None and cache.get("d") == 3
    cache.get("b")  # b is now the most recent: c goes first
    cache.put("e", 4, 85)
    assert cache.get("c") is None and cache.get("b") == 1 and cache.get("e") == 4
    assert cache.get("d") is None  # 10 + 10 + 85 > 100: the least recent went
    cache.put("huge", 5, 101)  # larger than the whole cache: never kept
    assert cache.get("huge") is None
    copy = pickle.loads(pickle.dumps(cache))
    assert len(copy) == 0
    copy.put("x", 1, 1)
    assert copy.get("x") == 1
    cache.clear()
    assert len(cache) == 0


# ------------------------------------------------------------------ knowledge


def _fresh_find(
    kb: Knowledge, text: str, lang: str, kinds: list[str] | None, org: str | None
) -> list[tuple[str, str, int, int, str, str]]:
    kb.clear_cache()
    return [
        (m.kind, m.code, m.start, m.end, m.surface, m.form)
        for m in kb.find(text, lang, kinds, organization=org)
    ]


def test_knowledge_find_with_warm_cache_equals_a_fresh_scan() -> None:
    kb = load()
    queries: list[tuple[list[str] | None, str | None]] = [
        (None, None),
        (["state"], None),
        (["organization", "body"], None),
        (["organization", "body"], "SCO"),
        (["office"], None),
        (["issue"], None),
        (["city"], None),
        (["state", "organization", "body", "city", "region", "block"], "BRICS"),
    ]
    for lang, text in _genre_texts():
        pieces = [text, *re.split(r"(?<=[.。])\s*", text)[:12]]
        expected = {
            (i, j): _fresh_find(kb, piece, lang, kinds, org)
            for i, piece in enumerate(pieces)
            for j, (kinds, org) in enumerate(queries)
        }
        kb.clear_cache()
        # every query against one warm cache, in an order unlike the one above
        for j in reversed(range(len(queries))):
            kinds, org = queries[j]
            for i, piece in enumerate(pieces):
                got = [
                    (m.kind, m.code, m.start, m.end, m.surface, m.form)
                    for m in kb.find(piece, lang, kinds, organization=org)
                ]
                assert got == expected[(i, j)], (lang, piece[:60], kinds, org)


def test_knowledge_results_are_fresh_lists() -> None:
    kb = load()
    text = TEXTS["en"]
    first = kb.find(text, "en", ["state"])
    first.clear()
    assert kb.find(text, "en", ["state"])


# ------------------------------------------------------------------ dates


def _rule_matches_unfiltered(text: str, lang: str) -> list[tuple[int, int, int]]:
    """Every rule's matches without the early exit (the reference for the filter)."""
    ruleset = dates_module._rules(lang)
    hits = {n: [m.span() for m in p.finditer(text)] for n, p in ruleset.anchors.items()}
    out = []
    for r, rule in enumerate(ruleset.rules):
        if rule.anchor is None:
            ms = list(rule.pattern.finditer(text))
        else:
            name, _, lead = rule.anchor.partition("@")
            ms = list(
                dates_module._windowed(rule.pattern, text, hits[name], len(text), int(lead or 0))
            )
        out.extend((r, m.start(), m.end()) for m in ms)
    return out


def test_date_rule_filter_drops_only_texts_without_candidates() -> None:
    checked = 0
    for lang, text in _genre_texts():
        for sentence in [text, *re.split(r"(?<=[.。;；])\s*", text)]:
            ruleset = dates_module._rules(lang)
            fast = [
                (next(i for i, r in enumerate(ruleset.rules) if r.handler is h), m.start(), m.end())
                for h, m in dates_module._rule_matches(sentence, lang)
            ]
            # a handler may serve several rules: compare spans, in order
            assert [x[1:] for x in fast] == [
                x[1:] for x in _rule_matches_unfiltered(sentence, lang)
            ]
            checked += 1
    assert checked > 100


def test_one_date_scan_serves_every_reference_date() -> None:
    for lang, text in _genre_texts():
        for ref in ("2020-05-05", None, "2002-11", "2021"):
            clear_caches()
            fresh = (find_dates(text, lang, ref), find_malformed_dates(text, lang))
            # warm: the other references were scanned first from the same matches
            warm = (find_dates(text, lang, ref), find_malformed_dates(text, lang))
            assert fresh == warm
    clear_caches()
    got = find_dates(TEXTS["en"], "en", "2021-03-12")
    got.clear()  # a caller's list is its own
    assert find_dates(TEXTS["en"], "en", "2021-03-12")
    assert find_malformed_dates(TEXTS["en"], "en")  # "June 31, 2003"


def test_deadlines_are_the_same_cached_or_not() -> None:
    for lang, text in _genre_texts():
        for sentence in re.split(r"(?<=[.。])\s*", text)[:40]:
            clear_caches()
            fresh = find_deadlines(sentence, lang, "2020-05-05")
            assert find_deadlines(sentence, lang, "2020-05-05") == fresh
            assert find_deadlines(sentence, lang, None) == dates_module._find_deadlines(
                sentence, lang, None
            )


# ------------------------------------------------------------------ commitments


def _first_chars(items: Any) -> tuple[set[str] | None, bool]:
    """The characters a match of a parsed pattern can start with (None: any), and whether
    it can match the empty string. Zero-width items (boundaries, look-arounds) pass."""
    out: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            return out | {chr(av)}, False
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        if name == "SUBPATTERN":
            got, nullable = _first_chars(av[-1])
        elif name == "BRANCH":
            got, nullable = set(), False
            for branch in av[1]:
                g, n = _first_chars(branch)
                if g is None:
                    return None, False
                got |= g
                nullable = nullable or n
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            got, nullable = _first_chars(av[2])
            nullable = nullable or av[0] == 0
        elif name == "IN" and all(str(o) == "LITERAL" for o, _ in av):
            got, nullable = {chr(v) for _, v in av}, False
        else:
            return None, False
        if got is None:
            return None, False
        out |= got
        if not nullable:
            return out, False
    return out, True


def test_cue_initials_cover_every_alternative() -> None:
    patterns = [
        commitments_module._CUE["en"],
        commitments_module._CUE["ru"],
        dates_module._EN_CUE,
        dates_module._RU_CUE,
    ]
    for fast in patterns:
        head = re.match(r"\(\?=\[([^\]]+)\]\)", fast.pattern)
        assert head is not None
        plain = fast.pattern[head.end() :]
        first, nullable = _first_chars(sre_parse.parse(plain, fast.flags))
        assert first is not None and not nullable
        assert {c.lower() for c in first} <= set(head.group(1).lower()), plain[:60]


def test_cue_look_ahead_changes_no_match() -> None:
    for lang, text in _genre_texts():
        lg = lang if lang in ("en", "zh", "ru") else "en"
        patterns = [commitments_module._CUE[lg]]
        if lg != "zh":
            patterns.append(dates_module._RU_CUE if lg == "ru" else dates_module._EN_CUE)
        for fast in patterns:
            plain = re.compile(re.sub(r"^\(\?=\[[^\]]+\]\)", "", fast.pattern), fast.flags)
            for probe in (text, text.upper(), text.lower()):
                assert [m.span() for m in fast.finditer(probe)] == [
                    m.span() for m in plain.finditer(probe)
                ]
                # the deadline cues are searched for at the end of the words before a date
                for m in re.finditer(r"\d{4}", probe):
                    before = probe[max(0, m.start() - 60) : m.start()]
                    a, b = fast.search(before), plain.search(before)
                    assert (a and a.span()) == (b and b.span())


# ------------------------------------------------------------------ tokens


def test_sentence_tokens_are_made_on_demand_and_equal_eager_words() -> None:
    for lang in ("en", "ru", "zh"):
        seg = segment(_doc(TEXTS[lang]))
        assert isinstance(seg.tokens, SentenceTokens)
        assert all(made is None for made in seg.tokens._made)  # nothing made yet
        eager = [words(s.text, lang, s.start) for s in seg.sentences]
        assert seg.tokens[1] == eager[1]
        assert sum(made is not None for made in seg.tokens._made) == 1
        assert len(seg.tokens) == len(eager)
        assert seg.tokens == eager and list(seg.tokens) == eager
        assert seg.tokens[-1] == eager[-1] and seg.tokens[1:3] == eager[1:3]
        for toks in seg.tokens:
            for t in toks:
                assert seg.text[t.start : t.end] == t.text
        copy = pickle.loads(pickle.dumps(seg.tokens))
        assert copy == eager
    empty = SentenceTokens("", [], words)
    assert empty == [] and len(empty) == 0
    with pytest.raises(IndexError):
        empty[0]


def test_unread_tokens_pickle_and_are_made_after() -> None:
    seg = segment(_doc(TEXTS["ru"]))
    copy = pickle.loads(pickle.dumps(seg.tokens))
    i = next(s.index for s in seg.sentences if s.text.startswith("Стороны"))
    lemmas = [t.lemma for t in copy[i]]
    assert "сторона" in lemmas and "договориться" in lemmas


# ------------------------------------------------------------------ extract


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_extract_is_the_same_with_cold_and_warm_caches(lang: str) -> None:
    seg = segment(_doc(TEXTS[lang]))
    clear_caches()
    timings: dict[str, float] = {}
    cold = extract(seg, timings=timings)
    warm = extract(seg)
    assert cold.to_record() == warm.to_record()
    assert cold.mentions == warm.mentions
    assert set(timings) == set(COMPONENTS) and all(t >= 0 for t in timings.values())
    # another document's text right after gives its own values, not these
    other = extract(segment(_doc(TEXTS[lang].replace("2020", "2019").replace("2021", "2019"))))
    assert other.date != cold.date or other.dates != cold.dates
