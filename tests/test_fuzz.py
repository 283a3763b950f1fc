"""Property tests (hypothesis) for the stages that read arbitrary text.

Properties: the sentence splitter and ``segment`` (spans inside the text,
reproducing it, in order, not overlapping), ``words`` and ``index_terms``,
``find_dates`` (spans reproduce surfaces, values are valid ISO dates), the
whole ``extract`` pipeline (no exception; every value's span reproduces its
surface) and the aligner (every sentence of both sides in exactly one link, in
order).

Text is drawn from fragments of the genre in en/zh/ru (dates, names, numbered
items, abbreviations, record headers) mixed with arbitrary characters, so that
the rules' edges are reached, not only random noise.

``make test`` runs the "ci" profile (derandomized, ~100 examples a property);
``COMMUNIQUE_FUZZ=nightly`` (``make fuzz``) runs 2,500 a property, over 10,000
in all; the last test prints the counts.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.align import align
from communique.extract import extract
from communique.extract.dates import find_dates
from communique.normalize import normalize
from communique.records import RawDocument
from communique.segment import index_terms, segment, split_sentences, words

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "nightly",
    max_examples=2500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = "nightly" if os.environ.get("COMMUNIQUE_FUZZ") == "nightly" else "ci"
# Per test, not globally: other test files keep their own settings.
_profile = settings.get_profile(PROFILE)

COUNTS: Counter[str] = Counter()

LANGS = ("en", "zh", "ru")
FRAGMENTS = [
    # dates and deadlines
    "12 March 2011",
    "March 12, 2011",
    "2011-03-12",
    "12.03.2011",
    "31 June 2003",
    "2011年3月12日",
    "二〇一一年三月十二日",
    "202年6月22日",
    "12 марта 2011 года",
    "в 2012 году",
    "before the end of 2012",
    "by 2025",
    "до конца 2017 года",
    "2012年底前",
    "2001-2005",
    "in the 1990s",
    # names and organizations
    "Kazakhstan",
    "the Russian Federation",
    "People's Republic of China",
    "Shanghai Cooperation Organisation",
    "SCO",
    "RATS",
    "United Nations",
    "上海合作组织",
    "中华人民共和国",
    "哈萨克斯坦共和国",
    "Российская Федерация",
    "Организации Объединенных Наций",
    "ШОС",
    "Mr. S. Lavrov",
    "H.E. Mr. Wang Yi",
    "Министр иностранных дел С.В. Лавров",
    # structure and punctuation
    ". ",
    "。",
    "；",
    "! ",
    "? ",
    "...",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "  ",
    "1. ",
    "(a) ",
    "No. 5",
    "Art. 3",
    "т.е. ",
    "г. ",
    "«",
    "»",
    "“",
    "”",
    "—",
    "\u00a0",
    "\u200b",
    "[Title] Joint Communique\n",
    "[Date] 2002-11-23\n",
    "# Heading\n",
    "| a | b |\n",
    "The Member States will complete the draft Agreement",
    "The ministers agreed to strengthen cooperation",
    "成员国将在2012年底前完成协定草案",
    "Государства-члены завершат подготовку соглашения",
    "JOINT COMMUNIQUE",
    "ДЕКЛАРАЦИЯ",
    "联合公报",
]
_chars = st.characters(
    blacklist_categories=("Cs",),  # lone surrogates cannot be text
    max_codepoint=0x2FFFF,
)
piece = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(_chars, max_size=12),
    st.sampled_from(["a", "Я", "中", "1", " ", ".", "\n", "-", "'", '"']),
)
texts = st.lists(piece, max_size=40).map("".join)
langs = st.sampled_from(LANGS)


def _count(name: str) -> None:
    COUNTS[name] += 1


def _check_spans(spans: list[tuple[int, int]], text: str) -> None:
    last = 0
    for s, e in spans:
        assert 0 <= s < e <= len(text), (s, e, len(text))
        assert s >= last, "spans overlap or go backwards"
        last = e


def _raw(text: str) -> RawDocument:
    data = text.encode("utf-8")
    return RawDocument(
        path="/fuzz/doc.txt",
        name="doc.txt",
        format="txt",
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding="utf-8",
    )


@_profile
@given(text=texts, lang=langs)
def test_split_sentences_spans(text: str, lang: str) -> None:
    _count("split_sentences")
    spans = split_sentences(text, lang)
    _check_spans(spans, text)
    for s, e in spans:
        # A sentence is stripped text, never white space alone.
        assert text[s:e].strip() == text[s:e] != ""
    # Only white space and Markdown heading marks fall between sentences:
    # no character of text is lost.
    covered = "".join(text[s:e] for s, e in spans)
    assert re.sub(r"[\s#]", "", covered) == re.sub(r"[\s#]", "", text)
    shifted = split_sentences(text, lang, offset=7)
    assert shifted == [(s + 7, e + 7) for s, e in spans]


@_profile
@given(text=texts, lang=langs)
def test_words_and_terms(text: str, lang: str) -> None:
    _count("words")
    tokens = words(text, lang, 3)
    last = 3
    for t in tokens:
        assert 3 <= t.start < t.end <= len(text) + 3
        assert text[t.start - 3 : t.end - 3] == t.text
        assert t.start >= last
        last = t.end
    for term in index_terms(text, lang):
        assert term and not term.isspace()


@_profile
@given(text=texts, lang=langs, ref=st.sampled_from([None, "2011-03-12", "2002"]))
def test_find_dates(text: str, lang: str, ref: str | None) -> None:
    _count("find_dates")
    found = find_dates(text, lang, ref)
    last = 0
    for d in found:
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start : d.end] == d.surface
        assert d.start >= last
        last = d.end
        for value in (d.value, d.end_value):
            if value is None:
                continue
            parts = [int(p) for p in value.split("-")]
            assert len(parts) in (1, 2, 3) and re.fullmatch(r"\d{4}(-\d{2}){0,2}", value)
            date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        assert d.precision == {1: "year", 2: "month", 3: "day"}[len(d.value.split("-"))]


@_profile
@given(text=texts)
def test_extract_pipeline_spans(text: str) -> None:
    _count("extract")
    doc = normalize(_raw(text))
    seg = segment(doc)
    body = seg.text
    _check_spans([(p.start, p.end) for p in seg.paragraphs], body)
    _check_spans([(s.start, s.end) for s in seg.sentences], body)
    for s in seg.sentences:
        assert body[s.start : s.end] == s.text
    if not seg.sentences:
        return
    ext = extract(seg)
    for m in [*ext.mentions, *ext.positions]:
        if m.sentence == -1:
            continue  # read from the record header, not the body text
        assert body[m.start : m.end] == m.surface, m
        holder = seg.sentence_at(m.start)
        assert holder is not None
    for p in ext.persons:
        if p.start >= 0:
            assert body[p.start : p.end] == p.name or p.name in body[p.start : p.end]
    for c in ext.commitments:
        if c.start >= 0:
            assert 0 <= c.start < c.end <= len(body)
            if c.deadline_start is not None and c.deadline_start >= 0:
                assert body[c.deadline_start : c.deadline_end] == c.deadline_text
    assert isinstance(ext.to_record(), dict)


sentence_lists = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(_chars, min_size=1, max_size=30)),
    max_size=25,
)


@_profile
@given(
    src=sentence_lists,
    tgt=sentence_lists,
    langs=st.tuples(langs, langs),
)
def test_align_covers_every_sentence_once_in_order(
    src: list[str], tgt: list[str], langs: tuple[str, str]
) -> None:
    _count("align")
    result = align(src, tgt, langs[0], langs[1])
    src_seen: list[int] = []
    tgt_seen: list[int] = []
    for link in result.links:
        assert link.src or link.tgt
        assert 0.0 <= link.score <= 1.0
        src_seen.extend(link.src)
        tgt_seen.extend(link.tgt)
    assert src_seen == list(range(len(src)))
    assert tgt_seen == list(range(len(tgt)))


def test_zz_print_counts(capsys: pytest.CaptureFixture[str]) -> None:
    """The examples each property ran in this session (run after the others)."""
    if not COUNTS:
        pytest.skip("no property ran in this session")
    total = sum(COUNTS.values())
    line = ", ".join(f"{k} {v}" for k, v in sorted(COUNTS.items()))
    with capsys.disabled():  # shown even under -q and output capture
        print(f"\nfuzz profile {PROFILE}: {total} examples ({line}), 0 failures")
    with open(os.environ.get("COMMUNIQUE_FUZZ_COUNTS", os.devnull), "a") as out:
        out.write(f"{PROFILE} {total} {line}\n")
    if PROFILE == "nightly" and len(COUNTS) == 5:
        assert total >= 10_000
