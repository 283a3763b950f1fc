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
from typing import Any

from communique.search.filters import Filters, parse_bound
from communique.search.highlight import highlight, match_spans
from communique.search.query import ParsedQuery, parse

FACETS = ("organization", "body", "type", "language", "year")


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
    total_documents: int
    limit: int
    offset: int
    hits: list[SearchHit] = field(default_factory=list)
    groups: list[DocumentGroup] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

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


_COUNTS_SQL = """
SELECT d.organization, d.body, d.type, d.language, substr(d.date, 1, 4), count(*), sum(h.n)
FROM (
    SELECT s.doc_id AS doc_id, count(*) AS n
    FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid
    WHERE sentences_fts MATCH ?
    GROUP BY s.doc_id
) h JOIN documents d ON d.id = h.doc_id
WHERE 1 = 1 {filters}
GROUP BY 1, 2, 3, 4, 5
"""

_HITS_SQL = """
SELECT s.doc_id, d.name, d.title, d.language, d.type, d.date, d.organization, d.body,
       s.idx, s.paragraph, s.text, s.start, s."end", bm25(sentences_fts) AS rank
FROM sentences_fts
JOIN sentences s ON s.id = sentences_fts.rowid
JOIN documents d ON d.id = s.doc_id
WHERE sentences_fts MATCH ? {filters}
ORDER BY rank, s.doc_id, s.idx
LIMIT ? OFFSET ?
"""


def _counts(
    conn: sqlite3.Connection, match: str, filters: Filters
) -> tuple[int, int, dict[str, dict[str, int]]]:
    where, params = filters.sql("d")
    rows = conn.execute(_COUNTS_SQL.format(filters=where), [match, *params]).fetchall()
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = docs = 0
    for org, body, typ, lang, year, n_docs, n_hits in rows:
        docs += n_docs
        total += n_hits
        for name, value in zip(FACETS, (org, body, typ, lang, year), strict=True):
            if value:
                facets[name][value] = facets[name].get(value, 0) + n_docs
    ordered = {
        name: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        for name, counts in facets.items()
    }
    ordered["year"] = dict(sorted(facets["year"].items(), reverse=True))
    return total, docs, ordered


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
) -> SearchResult:
    """Search the sentences of a store's connection. Raises ``ValueError`` only for a bad date."""
    filters = Filters(lang, type, organization, body, date_from, date_to).validate()
    limit = max(0, int(limit))
    offset = max(0, int(offset))
    parsed = parse(query)
    if parsed.empty:
        return _empty(parsed, limit, offset)
    try:
        mode = "AND"
        match = parsed.match("AND")
        total, docs, facets = _counts(conn, match, filters)
        if total == 0 and len(parsed.terms) > 1:
            mode = "OR"
            match = parsed.match("OR")
            total, docs, facets = _counts(conn, match, filters)
        if total == 0:
            return _empty(parsed, limit, offset)
        where, params = filters.sql("d")
        rows = conn.execute(
            _HITS_SQL.format(filters=where), [match, *params, limit, offset]
        ).fetchall()
    except sqlite3.OperationalError as exc:
        # Quoting leaves nothing for FTS5 to reject; should it still object,
        # a query is answered with nothing rather than an error.
        if "fts5" in str(exc).lower() or "syntax" in str(exc).lower():
            return _empty(parsed, limit, offset)
        raise

    hits: list[SearchHit] = []
    for row in rows:
        (doc_id, name, title, language, typ, date, org, bod, idx, para, text, s, e, rank) = row
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
                score=round(-float(rank), 6),
                snippet=highlight(text, language, parsed.terms),
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
        facets=facets,
    )


__all__ = [
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
