"""Search: safe query parsing, BM25 ranking, filters, snippets, groups, facets."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.search import highlight, match_spans, parse, parse_bound
from communique.store import Store

# ------------------------------------------------------------------- parsing


def test_query_terms_per_script() -> None:
    assert parse("RATS Bishkek").terms == ("rats", "bishkek")
    assert parse("阿富汗").terms == ("阿富汗",)
    # Russian is searched by lemma: a case form finds every other form.
    assert parse("Афганистане").terms == ("афганистан",)
    mixed = parse("SCO 上海 Москве")
    assert mixed.languages == ("en", "zh", "ru")
    assert mixed.terms == ("sco", "上海", "москва")


def test_fts_syntax_becomes_quoted_terms() -> None:
    q = parse("a\" OR b* NEAR(c d) -e ^f g:h 'i'")
    assert q.match() == '"a" "or" "b" "near" "c" "d" "e" "f" "g" "h" "i"'
    assert q.match("OR").count(" OR ") == len(q.terms) - 1
    assert parse('" * ( ) : ^ -').empty


NASTY = [
    '"',
    '""',
    "*",
    "NEAR(",
    "NEAR(a b, 3)",
    "a OR",
    "AND",
    "NOT x",
    "-",
    "^",
    "'",
    ":",
    "terms:x",
    "sentences_fts",
    "(",
    ")",
    "a AND (b",
    "{a b}",
    "x'; DROP TABLE documents; --",
    "\x00",
    "   ",
    "",
]


@pytest.mark.parametrize("query", NASTY)
def test_syntax_characters_never_raise(genre_store: Store, query: str) -> None:
    result = genre_store.search(query)
    assert result.total == len(result.hits) or result.total > len(result.hits)
    assert genre_store.stats().documents == 3


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_text_is_a_safe_query(genre_store: Store, query: str) -> None:
    result = genre_store.search(query)
    for hit in result.hits:
        assert hit.sentence


# ------------------------------------------------------------------- ranking


def test_and_then_or_fallback(genre_store: Store) -> None:
    both = genre_store.search("Afghanistan Nations")
    assert both.mode == "AND"
    assert [h.sentence_index for h in both.hits] == [3]
    fallback = genre_store.search("Afghanistan zzzunknown")
    assert fallback.mode == "OR"
    assert fallback.total == 1
    assert genre_store.search("zzzunknown").mode is None


def test_russian_by_lemma_and_chinese_by_word(genre_store: Store) -> None:
    ru = genre_store.search("Афганистан")
    assert [h.file for h in ru.hits] == ["ru_declaration.txt"]
    assert "<mark>Афганистане</mark>" in ru.hits[0].snippet
    # Another inflection of a verb in the text ("обсудили").
    assert genre_store.search("обсудить").total == 1
    zh = genre_store.search("阿富汗")
    assert [h.file for h in zh.hits] == ["zh_press.txt"]
    assert zh.hits[0].snippet.count("<mark>阿富汗</mark>") == 2


def test_one_query_across_languages_finds_all(genre_store: Store) -> None:
    result = genre_store.search("Afghanistan 阿富汗 Афганистан")
    assert result.mode == "OR"
    assert {h.file for h in result.hits} == {
        "en_communique.txt",
        "zh_press.txt",
        "ru_declaration.txt",
    }


def test_hits_carry_provenance_and_scores(genre_store: Store) -> None:
    result = genre_store.search("Lavrov")
    (hit,) = result.hits
    detail = genre_store.document(hit.document_id)
    assert detail is not None
    assert detail.text[hit.start : hit.end] == hit.sentence
    assert detail.sentences[hit.sentence_index].text == hit.sentence
    assert hit.title and hit.date == "2011-03-12" and hit.organization == "SCO"
    assert hit.score > 0
    assert hit.to_dict()["file"] == "en_communique.txt"


def test_scores_are_descending_and_groups_follow_best_hit(genre_store: Store) -> None:
    result = genre_store.search("ministers Afghanistan 阿富汗 Афганистан")
    assert result.mode == "OR"
    assert len(result.groups) == 3
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    best = [g.best_score for g in result.groups]
    assert best == sorted(best, reverse=True)
    assert sum(len(g.hits) for g in result.groups) == len(result.hits)
    assert result.groups[0].document_id == result.hits[0].document_id


def test_paging(genre_store: Store) -> None:
    full = genre_store.search("member states ministers meeting")
    page = genre_store.search("member states ministers meeting", limit=2, offset=1)
    assert page.total == full.total
    assert [h.sentence for h in page.hits] == [h.sentence for h in full.hits[1:3]]


# ------------------------------------------------------------------- filters


def test_filters(genre_store: Store) -> None:
    q = "Afghanistan 阿富汗 Афганистан"
    assert {h.language for h in genre_store.search(q, lang="zh").hits} == {"zh"}
    assert {h.file for h in genre_store.search(q, type="declaration").hits} == {
        "ru_declaration.txt"
    }
    assert {h.file for h in genre_store.search(q, organization="SCO").hits} == {
        "en_communique.txt",
        "zh_press.txt",
    }
    assert genre_store.search(q, body="CHS").total_documents == 1
    assert {h.date for h in genre_store.search(q, date_from="2016").hits} == {"2016-06-15"}
    assert genre_store.search(q, date_to="2011").total_documents == 2
    assert genre_store.search(q, date_from="2011-03-13", date_to="2016-06").total_documents == 1
    assert genre_store.search(q, lang="fr").total == 0
    with pytest.raises(ValueError):
        genre_store.search(q, date_to="2011/03")


def test_facets_count_documents_of_the_matching_set(genre_store: Store) -> None:
    result = genre_store.search("Afghanistan 阿富汗 Афганистан")
    assert result.facets["language"] == {"en": 1, "ru": 1, "zh": 1}
    assert result.facets["organization"] == {"SCO": 2, "CICA": 1}
    assert result.facets["year"] == {"2016": 1, "2011": 2}
    assert result.facets["type"] == {"communique": 1, "declaration": 1, "press_release": 1}
    filtered = genre_store.search("Afghanistan 阿富汗 Афганистан", organization="SCO")
    assert filtered.facets["body"] == {"CMFA": 2}


def test_without_facets_the_total_is_the_same(genre_store: Store) -> None:
    q = "Afghanistan 阿富汗 Афганистан"
    full = genre_store.search(q)
    lean = genre_store.search(q, facets=False)
    assert (lean.total, lean.total_documents, lean.facets) == (full.total, -1, {})
    assert [h.to_dict() for h in lean.hits] == [h.to_dict() for h in full.hits]
    filtered = genre_store.search(q, facets=False, lang="ru")
    assert (filtered.total, filtered.total_documents) == (1, 1)
    assert genre_store.search("Afghanistan Nations", facets=False).mode == "AND"
    assert genre_store.search("Afghanistan zzzunknown", facets=False).mode == "OR"


def test_sentence_ids_carry_the_document(genre_store: Store) -> None:
    from communique.search import DOC_SHIFT

    rows = genre_store.conn.execute("SELECT id, doc_id, idx FROM sentences").fetchall()
    assert rows and all(i == (d << DOC_SHIFT) + x for i, d, x in rows)


def test_date_bounds() -> None:
    assert parse_bound("2003", upper=False) == "2003"
    assert parse_bound("2003", upper=True) == "2003-12-31"
    assert parse_bound("2003-02", upper=True) == "2003-02-31"
    assert parse_bound("2003-02-14", upper=True) == "2003-02-14"
    for bad in ("03", "2003-13", "2003-1-1", "yesterday", "2003-02-32"):
        with pytest.raises(ValueError):
            parse_bound(bad, upper=False)


# ----------------------------------------------------------------- snippets


def test_highlight_escapes_and_marks() -> None:
    s = highlight("The <b>RATS</b> & rats in Bishkek.", "en", ["rats", "bishkek"])
    assert s == (
        "The &lt;b&gt;<mark>RATS</mark>&lt;/b&gt; &amp; <mark>rats</mark> in <mark>Bishkek</mark>."
    )
    assert highlight("Nothing here.", "en", ["rats"]) == "Nothing here."


def test_highlight_word_parts_and_lemmas() -> None:
    # A hyphenated word is marked when one of its index terms matched.
    assert (
        highlight("anti-terrorist work", "en", ["terrorist"]) == "<mark>anti-terrorist</mark> work"
    )
    assert match_spans("Министры встретились в Москве.", "ru", ["москва", "министр"]) == [
        (0, 8),
        (23, 29),
    ]
    assert (
        highlight("成员国讨论了阿富汗局势", "zh", ["阿富汗"])
        == "成员国讨论了<mark>阿富汗</mark>局势"
    )


# ------------------------------------------------------------------ the seeds


def test_seed_rats_bishkek_ranks_the_2003_declaration_first(seeded_store: Store) -> None:
    result = seeded_store.search("RATS Bishkek")
    assert result.hits[0].file == "001_aec5751fd676f10a.txt"
    assert "<mark>RATS</mark>" in result.hits[0].snippet
    assert "<mark>Bishkek</mark>" in result.hits[0].snippet


def test_seed_chinese_word_search(seeded_store: Store) -> None:
    result = seeded_store.search("阿富汗")
    assert result.hits
    assert {h.file for h in result.hits} == {"003_2682b7114b5ceaaa.txt"}
    assert all("阿富汗" in h.sentence for h in result.hits)


def test_seed_filters(seeded_store: Store) -> None:
    q = "SCO 上海合作组织"
    assert {h.language for h in seeded_store.search(q, lang="en", limit=100).hits} == {"en"}
    assert {h.file for h in seeded_store.search(q, lang="zh").hits} == {"003_2682b7114b5ceaaa.txt"}
    press = seeded_store.search(q, type="press_release", limit=100)
    assert {h.file for h in press.hits} == {"004_9cb22151c501be79.txt"}
    early = seeded_store.search(q, date_to="2003", limit=100)
    assert {h.date[:4] for h in early.hits if h.date} <= {"2002", "2003"}
    assert "004_9cb22151c501be79.txt" not in {h.file for h in early.hits}
    late = seeded_store.search(q, date_from="2005", limit=100)
    assert {h.file for h in late.hits} == {"002_51f383ee66e54c41.txt", "004_9cb22151c501be79.txt"}
