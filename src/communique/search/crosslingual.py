"""Cross-lingual search: a query in one language finds sentences in the others.

The query is cut into *concepts*, each with the index terms that express it in
every language:

* **entities** (``entity:CODE``): names the knowledge pack knows (states,
  organizations, bodies, cities, issues) are mapped to their code, and the code
  to its names in the target language (Afghanistan = 阿富汗 = Афганистан; "drug
  trafficking" = 毒品 = наркотик through the issue DRUGS);
* **lexicon** words: the other content words, translated with CC-CEDICT
  (English <-> Chinese, the aligner's dictionary) or, between English and
  Russian, matched as cognates (терроризм / terrorism) against the index's own
  vocabulary (``cognate``);
* **query**: the query's own terms, when they occur in the target language
  (numbers, acronyms kept in Latin letters).

Independently of any dictionary, **alignment** carries matches across: a
sentence of a document that matches concepts in the query's language marks its
aligned sentences in the document's other language versions (stored by
:mod:`communique.align.versions`).

A target sentence's score adds the weight (inverse sentence frequency, times
the number of query words the concept stands for) of every concept it expresses itself or through its aligned sentence, and half
that of concepts only its paragraph expresses (a paragraph about Afghanistan
that speaks of "drug production" in its second sentence is about drugs in
Afghanistan). Each hit says how it was found (``matched_via``, strongest
route: query, entity, lexicon/cognate, alignment; ``evidence``: all of them)
and in which language the match was made (``matched_language``).
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from communique.search.filters import Filters
from communique.search.query import _RUNS, parse, quote, script_language

CONTEXT_WEIGHT = 0.5  # a concept only the sentence's paragraph expresses
MAX_TRANSLATIONS = 12  # dictionary translations kept per word (most specific first)
MAX_SOURCE_HITS = 2000  # sentences of the query's language followed through alignment
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CYR = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"^[a-z][a-z\-']*$")
_ROUTE_RANK = {"query": 0, "entity": 1, "lexicon": 2, "cognate": 2, "alignment": 3}


@dataclass(slots=True)
class Concept:
    """One thing the query asks for, with its FTS5 expressions per language and route."""

    label: str
    via: str  # "entity:AF", "lexicon", "cognate", "query"
    language: str  # of the query words it comes from
    words: int = 1  # query words it stands for ("drug trafficking": 2)
    own: list[str] = field(default_factory=list)  # the query's own terms (quoted)
    translated: dict[str, list[str]] = field(default_factory=dict)  # lang -> expressions
    highlight: dict[str, list[str]] = field(default_factory=dict)  # lang -> terms to mark


@dataclass(slots=True)
class _Candidate:
    rowid: int
    own: dict[int, str] = field(default_factory=dict)  # concept -> route of its best match
    aligned: list[tuple[int, int]] = field(default_factory=list)  # source (doc, sentence)
    score: float = 0.0


def should_expand(query: str, lang: str | None) -> bool:
    """Expansion applies when a language filter asks for a language the query is not in."""
    if not lang:
        return False
    parsed = parse(query)
    return not parsed.empty and lang not in parsed.languages


# -------------------------------------------------------------------- concepts


def _stopwords(lang: str) -> frozenset[str]:
    from communique.align.lexicon import _EN_STOP, _RU_STOP

    return _RU_STOP if lang == "ru" else _EN_STOP if lang != "zh" else frozenset()


def _expressions(name: str, lang: str) -> list[str]:
    """FTS5 expressions matching a name in text of ``lang`` (a phrase, or a word's parts)."""
    from communique.segment import index_terms

    terms = [t for t in index_terms(name, lang) if t]
    if not terms:
        return []
    if lang == "zh" or _CJK.search(name):
        # Chinese is indexed as a word and its parts: the whole word when jieba
        # keeps it, else all parts together.
        folded = name.lower()
        if folded in terms:
            return [quote(folded)]
        return ["(" + " AND ".join(quote(t) for t in dict.fromkeys(terms)) + ")"]
    return [quote(" ".join(terms))]


def _words(text: str, lang: str) -> list[str]:
    """Content words of a query run, one per concept (Chinese by jieba word, not by its parts)."""
    from communique.segment import index_terms

    if lang == "zh":
        from communique.align.lexicon import zh_words

        return [w for w in zh_words(text) if _CJK.search(w) and len(w) >= 2]
    stop = _stopwords(lang)
    return [t for t in index_terms(text, lang) if t not in stop and (len(t) > 2 or t.isdigit())]


def concepts(query: str, target: str) -> list[Concept]:
    """The query's concepts, each with its expressions in its own language and in ``target``."""
    from communique.knowledge import load

    kb = load()
    out: list[Concept] = []
    for m in _RUNS.finditer(query or ""):
        run = m.group()
        lang = script_language(run)
        taken: list[tuple[int, int]] = []
        by_span: dict[tuple[int, int], Concept] = {}
        try:
            found = kb.find(run, lang)
        except Exception:  # a broken pack leaves the words to the dictionary
            found = []
        for k in found:
            span = (k.start, k.end)
            concept = by_span.get(span)
            if concept is None:
                concept = by_span[span] = Concept(
                    k.surface, f"entity:{k.code}", lang, words=max(1, len(_words(k.surface, lang)))
                )
                concept.own = _expressions(k.surface, lang)
                taken.append(span)
                out.append(concept)
            for lg in {lang, target}:
                for name in kb.names_of(k.code, lg):
                    exprs = _expressions(name, lg)
                    bucket = concept.translated.setdefault(lg, [])
                    bucket += [e for e in exprs if e not in bucket]
                    concept.highlight.setdefault(lg, []).append(name)
        # Words outside the names found are translated word by word.
        rest = list(run)
        for s, e in taken:
            rest[s:e] = " " * (e - s)
        for word in dict.fromkeys(_words("".join(rest), lang)):
            concept = Concept(word, "query", lang, own=_expressions(word, lang))
            concept.highlight[lang] = [word]
            via, exprs, marks = translate(word, lang, target)
            if exprs:
                concept.via = via
                concept.translated[target] = exprs
                concept.highlight[target] = marks
            elif via == "cognate" and marks:
                # Keys only: the index vocabulary tells which words carry them (_cognates).
                concept.via = via
                concept.highlight[target] = marks
            out.append(concept)
    return out


@lru_cache(maxsize=1)
def _reverse_cedict() -> dict[str, list[str]] | None:
    """English stem -> Chinese words glossed with it, most specific (fewest glosses) first."""
    from communique.align.lexicon import load_cedict

    cedict = load_cedict()
    if cedict is None:
        return None
    acc: dict[str, list[str]] = {}
    for word, stems in cedict.zh_to_en.items():
        if len(word) < 2 or not _CJK.search(word):
            continue
        for s in stems:
            acc.setdefault(s, []).append(word)
    for words in acc.values():
        words.sort(key=lambda w: (len(cedict.zh_to_en[w]), w))
    return acc


def translate(word: str, lang: str, target: str) -> tuple[str, list[str], list[str]]:
    """(route, FTS5 expressions, words to mark) for a query word in ``target``."""
    from communique.align.lexicon import cognate_key, en_stem, load_cedict

    pair = {lang, target}
    if pair == {"en", "zh"}:
        cedict = load_cedict()
        if cedict is None:
            return "lexicon", [], []
        if lang == "en":
            rev = _reverse_cedict() or {}
            words = rev.get(en_stem(word), [])[: MAX_TRANSLATIONS * 4]
            return "lexicon", [quote(w) for w in words], words
        stems = sorted(cedict.zh_to_en.get(word) or ())
        if not stems:
            parts = cedict.segment_words([word])
            stems = sorted({s for p in parts if len(p) >= 2 for s in cedict.zh_to_en.get(p, ())})
        stems = [s for s in stems if _LATIN.match(s) and len(s) >= 3][:MAX_TRANSLATIONS]
        return "lexicon", [quote(s) + " *" for s in stems], stems
    if pair == {"en", "ru"}:
        key = cognate_key(word)
        if len(key) < 4:
            return "cognate", [], []
        return "cognate", [], [key]  # resolved against the index vocabulary (see _cognates)
    return "lexicon", [], []


def _cognates(conn: sqlite3.Connection, concept: Concept, target: str) -> None:
    """Fill a cognate concept's expressions with the index terms of ``target`` sharing its key."""
    if concept.via != "cognate" or target in concept.translated:
        return
    keys = set(concept.highlight.get(target, []))
    vocab = _vocabulary(conn, target)
    terms = sorted({t for k in keys for t in vocab.get(k, ())})[:MAX_TRANSLATIONS]
    concept.translated[target] = [quote(t) for t in terms]
    concept.highlight[target] = terms


_VOCAB_CACHE: dict[tuple[int, str], tuple[int, dict[str, list[str]]]] = {}


def _vocabulary(conn: sqlite3.Connection, lang: str) -> dict[str, list[str]]:
    """Cognate key -> index terms of one script (Cyrillic for ru, Latin otherwise)."""
    from communique.align.lexicon import cognate_key

    size = int(conn.execute("SELECT count(*) FROM sentences").fetchone()[0])
    cached = _VOCAB_CACHE.get((id(conn), lang))
    if cached is not None and cached[0] == size:
        return cached[1]
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        vocab = "SELECT word FROM ts_stat('SELECT tsv FROM sentences_fts') ORDER BY word"
    else:
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.communique_vocab"
            " USING fts5vocab(main, 'sentences_fts', 'row')"
        )
        vocab = "SELECT term FROM temp.communique_vocab"
    script = _CYR if lang == "ru" else re.compile(r"^[a-z]")
    out: dict[str, list[str]] = {}
    for (term,) in conn.execute(vocab):
        if len(term) > 3 and script.search(term) and not any(c.isdigit() for c in term):
            out.setdefault(cognate_key(term), []).append(term)
    _VOCAB_CACHE[(id(conn), lang)] = (size, out)
    return out


# ---------------------------------------------------------------------- search


def _match(conn: sqlite3.Connection, exprs: Iterable[str], lang: str, filters: Filters) -> set[int]:
    exprs = list(dict.fromkeys(exprs))
    if not exprs:
        return set()
    where, params = Filters(
        lang, filters.type, filters.organization, filters.body, filters.date_from, filters.date_to
    ).sql("d")
    match: str | None = " OR ".join(exprs)
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        from communique.search import pgtext

        match = pgtext.from_fts5(match or "")
        if match is None:
            return set()
        condition = "tsv @@ CAST(? AS tsquery)"
    else:
        condition = "sentences_fts MATCH ?"
    sql = (
        f"SELECT rowid FROM sentences_fts WHERE {condition}"
        f" AND rowid >> 20 IN (SELECT d.id FROM documents d WHERE 1 = 1{where})"
    )
    try:
        return {int(r[0]) for r in conn.execute(sql, [match, *params])}
    except sqlite3.OperationalError:
        return set()


def _count(conn: sqlite3.Connection, lang: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM sentences s JOIN documents d ON d.id = s.doc_id WHERE d.language = ?",
        (lang,),
    ).fetchone()
    return int(row[0])


def cross_search(
    conn: sqlite3.Connection,
    query: str,
    *,
    lang: str,
    type: str | None = None,
    organization: str | None = None,
    body: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
    facets: bool = True,
) -> Any:
    """Sentences in ``lang`` for a query in other languages; a :class:`SearchResult`."""
    from communique.align.versions import scored_alignment
    from communique.search import DOC_SHIFT, FACETS, DocumentGroup, SearchHit, SearchResult
    from communique.search.highlight import highlight

    filters = Filters.of_search(lang, type, organization, body, date_from, date_to)
    limit = max(0, int(limit))
    offset = max(0, int(offset))
    parsed = parse(query)
    found = concepts(query, lang)
    for c in found:
        _cognates(conn, c, lang)
    cands: dict[int, _Candidate] = {}
    df: dict[int, int] = {}

    def mark(rowid: int, k: int, route: str) -> None:
        cand = cands.get(rowid)
        if cand is None:
            cand = cands[rowid] = _Candidate(rowid)
        old = cand.own.get(k)
        if old is None or _ROUTE_RANK[route.split(":")[0]] < _ROUTE_RANK[old.split(":")[0]]:
            cand.own[k] = route

    # Direct routes: the concept's own terms, then its translations, in the target language.
    for k, c in enumerate(found):
        direct = _match(conn, c.own, lang, filters)
        for r in direct:
            mark(r, k, "query")
        translated = _match(conn, c.translated.get(lang, []), lang, filters)
        for r in translated - direct:
            mark(r, k, c.via)
        df[k] = len(direct | translated)

    # Alignment: sentences of other languages' versions that express concepts.
    groups = _target_versions(conn, lang, filters)
    source_rows: dict[int, set[int]] = {}
    if groups:
        by_lang: dict[str, list[int]] = {}
        for k, c in enumerate(found):
            by_lang.setdefault(c.language, []).append(k)
        for src_lang in sorted(by_lang):
            if src_lang == lang:
                continue
            for k in by_lang[src_lang]:
                c = found[k]
                exprs = c.own + c.translated.get(src_lang, [])
                rows = _match(conn, exprs, src_lang, Filters())
                rows = {r for r in rows if (r >> DOC_SHIFT) in groups}
                for r in sorted(rows)[:MAX_SOURCE_HITS]:
                    source_rows.setdefault(r, set()).add(k)
        links_cache: dict[tuple[int, int], dict[int, list[int]]] = {}
        for r, ks in sorted(source_rows.items()):
            src_doc, idx = r >> DOC_SHIFT, r & ((1 << DOC_SHIFT) - 1)
            for tgt_doc in groups[src_doc]:
                key = (src_doc, tgt_doc)
                if key not in links_cache:
                    links = scored_alignment(conn, src_doc, tgt_doc) or []
                    links_cache[key] = {i: t for s, t, _ in links for i in s}
                for j in links_cache[key].get(idx, []):
                    rowid = (tgt_doc << DOC_SHIFT) | j
                    for k in ks:
                        mark(rowid, k, "alignment")
                    cand = cands[rowid]
                    if (src_doc, idx) not in cand.aligned:
                        cand.aligned.append((src_doc, idx))

    total_sentences = max(_count(conn, lang), 1)
    # Inverse sentence frequency, times the share of the query the concept stands for.
    weight = {
        k: min(c.words, 3) * math.log(1.0 + total_sentences / (df.get(k, 0) + 1.0))
        for k, c in enumerate(found)
    }
    paragraphs = _paragraphs(conn, list(cands))
    in_paragraph: dict[tuple[int, int], set[int]] = {}
    for rowid, cand in cands.items():
        in_paragraph.setdefault(paragraphs[rowid], set()).update(cand.own)
    for rowid, cand in cands.items():
        own = set(cand.own)
        context = in_paragraph[paragraphs[rowid]] - own
        # Both a direct match and an aligned one: two independent witnesses.
        both = bool(cand.aligned) and any(v != "alignment" for v in cand.own.values())
        cand.score = (
            sum(weight[k] for k in own)
            + CONTEXT_WEIGHT * sum(weight[k] for k in context)
            + (0.1 if both else 0.0)
        )
    ranked = sorted(cands.values(), key=lambda c: (-c.score, c.rowid))
    page = ranked[offset : offset + limit]
    rows = _rows(conn, [c.rowid for c in page])
    hits: list[SearchHit] = []
    for cand in page:
        row = rows[cand.rowid]
        routes = sorted(
            set(cand.own.values()) | ({"alignment"} if cand.aligned else set()),
            key=lambda v: (_ROUTE_RANK[v.split(":")[0]], v),
        )
        via = routes[0]
        if via == "alignment":
            src_langs = sorted({found[k].language for k, v in cand.own.items()})
            matched_language = src_langs[0] if src_langs else None
        else:
            matched_language = row["language"]
        marks = [
            t
            for k, v in cand.own.items()
            if v != "alignment"
            for t in [*found[k].highlight.get(lang, []), found[k].label]
        ]
        hits.append(
            SearchHit(
                document_id=row["doc_id"],
                file=row["name"],
                title=row["title"],
                language=row["language"],
                type=row["type"],
                date=row["date"],
                organization=row["organization"],
                body=row["body"],
                sentence_index=row["idx"],
                paragraph=row["paragraph"],
                sentence=row["text"],
                start=row["start"],
                end=row["end"],
                score=round(cand.score, 6),
                snippet=highlight(row["text"], row["language"], _mark_terms(marks, lang)),
                matched_via=via,
                matched_language=matched_language,
                evidence=routes,
                aligned_with=[[d, i] for d, i in sorted(cand.aligned)],
            )
        )
    groups_out: dict[int, DocumentGroup] = {}
    for hit in hits:
        g = groups_out.get(hit.document_id)
        if g is None:
            g = groups_out[hit.document_id] = DocumentGroup(
                hit.document_id, hit.file, hit.title, hit.language, hit.type, hit.date,
                hit.organization, hit.body, hit.score,
            )  # fmt: skip
        g.hits.append(hit)
    doc_ids = {r >> DOC_SHIFT for r in cands}
    facet_counts: dict[str, dict[str, int]] = {}
    if facets:
        facet_counts = _facets(conn, doc_ids, FACETS)
    return SearchResult(
        query=parsed.text,
        terms=list(parsed.terms),
        mode="CROSS" if cands else None,
        total=len(cands),
        total_documents=len(doc_ids) if (facets or filters.sql("d")[0]) else -1,
        limit=limit,
        offset=offset,
        hits=hits,
        groups=list(groups_out.values()),
        facets=facet_counts,
    )


def _mark_terms(marks: list[str], lang: str) -> list[str]:
    from communique.segment import index_terms

    out: list[str] = []
    for m in marks:
        if _CJK.search(m):
            out.append(m)
        else:
            out += index_terms(m, lang)
    return list(dict.fromkeys(out))


def _target_versions(conn: sqlite3.Connection, lang: str, filters: Filters) -> dict[int, list[int]]:
    """Source document -> its versions in ``lang`` that pass the filters."""
    where, params = filters.sql("d")
    sql = (
        "SELECT g.doc_id, h.doc_id FROM version_groups g"
        " JOIN version_groups h ON h.group_id = g.group_id AND h.doc_id != g.doc_id"
        f" JOIN documents d ON d.id = h.doc_id WHERE 1 = 1{where}"
    )
    out: dict[int, list[int]] = {}
    try:
        for src, tgt in conn.execute(sql, params):
            out.setdefault(int(src), []).append(int(tgt))
    except sqlite3.OperationalError:  # a store from before version groups
        return {}
    return out


def _paragraphs(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, tuple[int, int]]:
    out: dict[int, tuple[int, int]] = {}
    for k in range(0, len(rowids), 500):
        chunk = rowids[k : k + 500]
        sql = f"SELECT id, doc_id, paragraph FROM sentences WHERE id IN ({', '.join('?' * len(chunk))})"
        for rid, doc, para in conn.execute(sql, chunk):
            out[int(rid)] = (int(doc), int(para))
    for r in rowids:
        out.setdefault(r, (r, -1))
    return out


def _rows(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, dict[str, Any]]:
    if not rowids:
        return {}
    sql = (
        "SELECT s.id, s.doc_id, d.name, d.title, d.language, d.type, d.date, d.organization,"
        ' d.body, s.idx, s.paragraph, s.text, s.start, s."end"'
        " FROM sentences s JOIN documents d ON d.id = s.doc_id"
        f" WHERE s.id IN ({', '.join('?' * len(rowids))})"
    )
    keys = ("doc_id", "name", "title", "language", "type", "date", "organization", "body",
            "idx", "paragraph", "text", "start", "end")  # fmt: skip
    return {int(r[0]): dict(zip(keys, r[1:], strict=True)) for r in conn.execute(sql, rowids)}


def _facets(
    conn: sqlite3.Connection, doc_ids: set[int], names: Iterable[str]
) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {name: {} for name in names}
    ids = sorted(doc_ids)
    for k in range(0, len(ids), 500):
        chunk = ids[k : k + 500]
        sql = (
            "SELECT organization, body, type, language, substr(date, 1, 4) FROM documents"
            f" WHERE id IN ({', '.join('?' * len(chunk))})"
        )
        for row in conn.execute(sql, chunk):
            for name, value in zip(
                ("organization", "body", "type", "language", "year"), row, strict=True
            ):
                if value and name in out:
                    out[name][value] = out[name].get(value, 0) + 1
    ordered = {n: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for n, c in out.items()}
    if "year" in ordered:
        ordered["year"] = dict(sorted(out["year"].items(), reverse=True))
    return ordered


__all__ = ["CONTEXT_WEIGHT", "Concept", "concepts", "cross_search", "should_expand", "translate"]
