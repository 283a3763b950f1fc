"""Full-text search over sentences: BM25 (FTS5), filters, snippets, groups and facets.

``search(conn, query, ...)`` is what :meth:`communique.store.Store.search`
runs. The query is turned into index terms (see :mod:`communique.search.query`);
all terms must match a sentence (AND), and when no sentence has them all the
search falls back to any of them (OR). Scores are FTS5 ``bm25()`` negated, so
higher is better.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from communique.search import pgtext
from communique.search.filters import Filters, parse_bound
from communique.search.highlight import highlight, match_spans
from communique.search.query import ParsedQuery, parse

if TYPE_CHECKING:
    from communique.search.engine import SentenceIndex

FACETS = ("organization", "body", "type", "language", "year")


_SQLITE_MAX_INT = 2**63 - 1


@dataclass(slots=True)
class SearchHit:
    document_id: int
    file: str
    title: str | None
    language: str
    type: str | None
    date: str | None
    organization: str | None
    body: str | None
    sentence_index: int
    paragraph: int
    sentence: str
    start: int
    end: int
    score: float
    snippet: str
    # How the hit was found (see communique.search.crosslingual): "query" for a
    # plain match, else "entity:CODE", "lexicon", "cognate" or "alignment";
    # ``matched_language`` is the language the match was made in, ``evidence``
    # every route, ``aligned_with`` the [document, sentence] pairs it is aligned to.
    matched_via: str = "query"
    matched_language: str | None = None
    evidence: list[str] = field(default_factory=lambda: ["query"])
    aligned_with: list[list[int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class DocumentGroup:
    """One document's hits on the page, documents ordered by their best hit."""

    document_id: int
    file: str
    title: str | None
    language: str
    type: str | None
    date: str | None
    organization: str | None
    body: str | None
    best_score: float
    hits: list[SearchHit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class SearchResult:
    query: str
    terms: list[str]
    mode: str | None  # "AND", "OR" (fallback), None when the query had no terms
    total: int  # matching sentences
    total_documents: int  # -1 when not counted (facets=False, no filter)
    limit: int
    offset: int
    hits: list[SearchHit] = field(default_factory=list)
    groups: list[DocumentGroup] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # True when the facets count only the first engine.FACET_DOCS matching documents.
    facets_capped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _empty(parsed: ParsedQuery, limit: int, offset: int) -> SearchResult:
    return SearchResult(
        query=parsed.text,
        terms=list(parsed.terms),
        mode=None,
        total=0,
        total_documents=0,
        limit=limit,
        offset=offset,
        facets={name: {} for name in FACETS},
    )


# A sentence's rowid is ``doc_id << DOC_SHIFT | index`` (the store writes it
# so): the document of a match is known from the index alone, and counting,
# grouping and filtering by document need no join through the sentences table.
DOC_SHIFT = 20

_COUNTS_SQL = f"""
SELECT d.organization, d.body, d.type, d.language, substr(d.date, 1, 4), count(*), sum(h.n)
FROM (
    SELECT rowid >> {DOC_SHIFT} AS doc_id, count(*) AS n
    FROM sentences_fts WHERE sentences_fts MATCH ?
    GROUP BY 1
) h JOIN documents d ON d.id = h.doc_id
WHERE 1 = 1 {{filters}}
GROUP BY 1, 2, 3, 4, 5
"""

_RANK_SQL = """
SELECT rowid, rank FROM sentences_fts
WHERE sentences_fts MATCH ? {filters}
ORDER BY rank, rowid
LIMIT ? OFFSET ?
"""

_DOC_FILTER = f" AND rowid >> {DOC_SHIFT} IN (SELECT d.id FROM documents d WHERE 1 = 1{{where}})"

_ROWS_SQL = """
SELECT s.id, s.doc_id, d.name, d.title, d.language, d.type, d.date, d.organization, d.body,
       s.idx, s.paragraph, s.text, s.start, s."end"
FROM sentences s JOIN documents d ON d.id = s.doc_id
WHERE s.id IN ({marks})
"""


def _counts(
    conn: Any, match: str, filters: Filters, template: str = _COUNTS_SQL
) -> tuple[int, int, dict[str, dict[str, int]]]:
    where, params = filters.sql("d")
    rows = conn.execute(template.format(filters=where), [match, *params]).fetchall()
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = docs = 0
    for org, body, typ, lang, year, n_docs, n_hits in rows:
        docs += n_docs
        total += n_hits
        for name, value in zip(FACETS, (org, body, typ, lang, year), strict=True):
            if value:
                facets[name][value] = facets[name].get(value, 0) + n_docs
    return total, docs, _ordered(facets)


def _ordered(facets: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Facet values by count, most first (ties by value), and years newest first."""
    ordered = {
        name: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        for name, counts in facets.items()
    }
    ordered["year"] = dict(sorted(facets["year"].items(), reverse=True))
    return ordered


def _postgres(conn: Any) -> bool:
    # communique.store.postgres.PgConnection says so; a sqlite3 connection has no dialect.
    return getattr(conn, "dialect", "sqlite") == "postgresql"


def _should_expand(query: str, lang: str) -> bool:
    from communique.search.crosslingual import should_expand

    return should_expand(query, lang)


def _count(conn: sqlite3.Connection, match: str) -> int:
    # FTS5 counts matches from its doclists without visiting rows.
    sql = "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?"
    return int(conn.execute(sql, (match,)).fetchone()[0])


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    lang: str | None = None,
    type: str | None = None,
    organization: str | None = None,
    body: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
    facets: bool = True,
    cross: bool | None = None,
    index: SentenceIndex | None = None,
) -> SearchResult:
    """Search the sentences of a store's connection. Raises ``ValueError`` only for a bad date.

    ``index``: the store's tantivy index (:mod:`communique.search.engine`), in
    step with the store; without it the search runs on FTS5. Both give the
    same matches, counts and facets; scores differ a little (tantivy's BM25
    idf is ``ln(1 + (N - n + 0.5) / (n + 0.5))``, FTS5's has no ``1 +``).

    ``facets=False`` skips the facet counts (and ``total_documents``, left at
    -1) when no filter is given: the total then comes from the index alone.
    ``cross``: search across languages (:mod:`communique.search.crosslingual`)
    for the ``lang`` asked; None (the default) does so exactly when ``lang`` is
    not a language the query is written in, False never.
    """
    if lang and cross is not False and (cross or _should_expand(query, lang)):
        from communique.search.crosslingual import cross_search

        return cross_search(  # type: ignore[no-any-return]
            conn,
            query,
            lang=lang,
            type=type,
            organization=organization,
            body=body,
            date_from=date_from,
            date_to=date_to,
            limit=limit,
            offset=offset,
            facets=facets,
        )
    filters = Filters.of_search(lang, type, organization, body, date_from, date_to)
    # SQLite integers are 64-bit: a larger page number is past the end anyway.
    limit = min(max(0, int(limit)), _SQLITE_MAX_INT)
    offset = min(max(0, int(offset)), _SQLITE_MAX_INT)
    parsed = parse(query)
    if parsed.empty:
        return _empty(parsed, limit, offset)
    where, params = filters.sql("d")
    exact = facets or bool(where)
    capped = False
    facet_counts: dict[str, dict[str, int]]
    ranked: list[tuple[int, float]]
    if index is not None or _postgres(conn):
        if index is not None:
            found = _index_rank(conn, index, parsed, filters, limit, offset, exact)
        else:
            found = _pg_rank(conn, parsed, filters, limit, offset, exact)
        if found is None:
            return _empty(parsed, limit, offset)
        mode, total, docs, facet_counts, capped, ranked = found
    else:
        try:
            facet_counts = {}
            docs = -1
            for mode in ("AND", "OR") if len(parsed.terms) > 1 else ("AND",):
                match = parsed.match(mode)
                if exact:
                    total, docs, facet_counts = _counts(conn, match, filters)
                else:
                    total = _count(conn, match)
                if total:
                    break
            if total == 0:
                return _empty(parsed, limit, offset)
            doc_filter = _DOC_FILTER.format(where=where) if where else ""
            # FTS5's rank is bm25() negated: lower is better.
            ranked = [
                (rowid, -float(rank))
                for rowid, rank in conn.execute(
                    _RANK_SQL.format(filters=doc_filter), [match, *params, limit, offset]
                )
            ]
        except sqlite3.OperationalError as exc:
            # Quoting leaves nothing for FTS5 to reject; should it still object,
            # a query is answered with nothing rather than an error.
            if "fts5" in str(exc).lower() or "syntax" in str(exc).lower():
                return _empty(parsed, limit, offset)
            raise
    rows: dict[int, tuple[Any, ...]] = {}
    if ranked:
        ids = [r[0] for r in ranked]
        sql = _ROWS_SQL.format(marks=", ".join("?" * len(ids)))
        rows = {r[0]: r[1:] for r in conn.execute(sql, ids)}

    hits: list[SearchHit] = []
    for rowid, score in ranked:
        if rowid not in rows:
            continue  # deleted since the index was read
        (doc_id, name, title, language, typ, date, org, bod, idx, para, text, s, e) = rows[rowid]
        hits.append(
            SearchHit(
                document_id=doc_id,
                file=name,
                title=title,
                language=language,
                type=typ,
                date=date,
                organization=org,
                body=bod,
                sentence_index=idx,
                paragraph=para,
                sentence=text,
                start=s,
                end=e,
                score=round(score, 6),
                snippet=highlight(text, language, parsed.terms),
                matched_language=language,
            )
        )
    groups: dict[int, DocumentGroup] = {}
    for hit in hits:
        group = groups.get(hit.document_id)
        if group is None:
            group = groups[hit.document_id] = DocumentGroup(
                document_id=hit.document_id,
                file=hit.file,
                title=hit.title,
                language=hit.language,
                type=hit.type,
                date=hit.date,
                organization=hit.organization,
                body=hit.body,
                best_score=hit.score,
            )
        group.hits.append(hit)
    # Hits arrive best first, so insertion order already ranks the groups.
    return SearchResult(
        query=parsed.text,
        terms=list(parsed.terms),
        mode=mode,
        total=total,
        total_documents=docs,
        limit=limit,
        offset=offset,
        hits=hits,
        groups=list(groups.values()),
        facets=facet_counts,
        facets_capped=capped,
    )


_PG_COUNTS_SQL = f"""
SELECT d.organization, d.body, d.type, d.language, substr(d.date, 1, 4), count(*), sum(h.n)
FROM (
    SELECT rowid >> {DOC_SHIFT} AS doc_id, count(*) AS n
    FROM sentences_fts WHERE tsv @@ CAST(? AS tsquery)
    GROUP BY 1
) h JOIN documents d ON d.id = h.doc_id
WHERE 1 = 1 {{filters}}
GROUP BY 1, 2, 3, 4, 5
"""

# ts_rank_cd (cover density) rewards terms found close together, the nearest
# PostgreSQL has to BM25's preference for short sentences dense in the terms;
# normalization 1 divides by 1 + log(length), so long sentences do not win by size.
_PG_RANK_SQL = """
SELECT rowid, ts_rank_cd(tsv, q, 1) AS score
FROM sentences_fts, CAST(? AS tsquery) AS q
WHERE tsv @@ q {filters}
ORDER BY score DESC, rowid
LIMIT ? OFFSET ?
"""


def _pg_rank(
    conn: Any, parsed: ParsedQuery, filters: Filters, limit: int, offset: int, exact: bool
) -> tuple[str, int, int, dict[str, dict[str, int]], bool, list[tuple[int, float]]] | None:
    """Mode, counts, facets and the ranked page from PostgreSQL's full-text index
    (:mod:`communique.search.pgtext`); None: no match."""
    where, params = filters.sql("d")
    facet_counts: dict[str, dict[str, int]] = {}
    docs = -1
    total = 0
    query = None
    for mode in ("AND", "OR") if len(parsed.terms) > 1 else ("AND",):
        query = pgtext.tsquery(parsed.terms, mode)
        if query is None:
            continue
        if exact:
            total, docs, facet_counts = _counts(conn, query, filters, _PG_COUNTS_SQL)
        else:
            sql = "SELECT count(*) FROM sentences_fts WHERE tsv @@ CAST(? AS tsquery)"
            total = int(conn.execute(sql, (query,)).fetchone()[0])
        if total:
            break
    if not total or query is None:
        return None
    doc_filter = _DOC_FILTER.format(where=where) if where else ""
    ranked = [
        (int(rowid), float(score))
        for rowid, score in conn.execute(
            _PG_RANK_SQL.format(filters=doc_filter), [query, *params, limit, offset]
        )
    ]
    return mode, total, docs, facet_counts, False, ranked


def _index_rank(
    conn: sqlite3.Connection,
    index: SentenceIndex,
    parsed: ParsedQuery,
    filters: Filters,
    limit: int,
    offset: int,
    exact: bool,
) -> tuple[str, int, int, dict[str, dict[str, int]], bool, list[tuple[int, float]]] | None:
    """Mode, counts, facets and the ranked page from the tantivy index; None: no match."""
    searcher = index.searcher()
    # tantivy keeps a heap of limit + offset entries: never more than it has documents.
    n = int(searcher.num_docs)
    offset = min(offset, n)
    limit = min(limit, n - offset)
    found = None
    for mode in ("AND", "OR") if len(parsed.terms) > 1 else ("AND",):
        query = index.query(parsed.terms, mode, filters)
        documents = index.document_query(parsed.terms, mode, filters) if exact else None
        found = index.find(
            searcher, query, limit=limit, offset=offset, count_docs=exact, documents=documents
        )
        if found.total:
            break
    if found is None or found.total == 0:
        return None
    facet_counts: dict[str, dict[str, int]] = {}
    if found.facets is not None:
        facet_counts = _ordered(found.facets)
    elif found.doc_ids is not None:
        facet_counts = _ordered(index.facet_counts(conn, found.doc_ids))
    return mode, found.total, found.documents, facet_counts, found.capped, found.ranked


__all__ = [
    "DOC_SHIFT",
    "FACETS",
    "DocumentGroup",
    "Filters",
    "ParsedQuery",
    "SearchHit",
    "SearchResult",
    "highlight",
    "match_spans",
    "parse",
    "parse_bound",
    "search",
]
