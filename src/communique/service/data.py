"""Between the store and the service: one store per thread, filters, records to models.

Both the JSON API and the pages go through here, so the two never disagree on
what a filter means or how a stored record reads.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from communique.search.filters import parse_bound
from communique.service.models import (
    DocumentDetail,
    DocumentInfo,
    Group,
    Hit,
    ParagraphOut,
    SearchResponse,
)

log = logging.getLogger(__name__)

MAX_LIMIT = 100
SORTS = ("date", "-date", "title", "name")
FACETS = ("organization", "body", "type", "language", "year")


class ThreadStore:
    """The calling thread's store (:class:`StoreProvider`), looked up at each use.

    FastAPI resolves a plain ``def`` dependency in one pool thread and runs the
    endpoint in another: a store fetched by the dependency was used from a
    thread not its own, possibly while that thread used it too, and every
    request paid one more trip through the pool."""

    __slots__ = ("_provider",)

    def __init__(self, provider: StoreProvider) -> None:
        self._provider = provider

    def __getattr__(self, name: str) -> Any:
        return getattr(self._provider.get(), name)


class StoreProvider:
    """Opens the store once per thread.

    SQLite connections refuse to cross threads by default, and FastAPI runs
    plain ``def`` endpoints in a thread pool, so each worker thread gets its own.
    """

    def __init__(self, db: str | Path, opener: Callable[[str | Path], Any] | None = None) -> None:
        self.db = db
        self._opener = opener
        self._local = threading.local()
        self._opened: list[Any] = []
        self._lock = threading.Lock()
        # Bumped by close(): a thread's store from before is closed, not reused
        # (the app's lifespan may end and start again, as each TestClient does).
        self._epoch = 0

    def get(self) -> Any:
        store = getattr(self._local, "store", None)
        if store is None or getattr(self._local, "epoch", None) != self._epoch:
            opener = self._opener
            if opener is None:
                from communique.store import Store

                opener = Store.open
            store = opener(self.db)
            self._local.store = store
            self._local.epoch = self._epoch
            with self._lock:
                self._opened.append(store)
        return store

    def current(self) -> ThreadStore:
        """A stand-in for the store of whichever thread uses it."""
        return ThreadStore(self)

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
            self._epoch += 1
        for store in opened:
            close = getattr(store, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:  # a store closed from another thread may refuse; nothing to save
                    log.debug("closing a store failed", exc_info=True)


# ------------------------------------------------------------------------ filters


def date_param(value: str | None, *, upper: bool) -> str | None:
    """A date bound as given (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), or ``None`` when blank.

    The search layer reads the bound (an upper ``2003`` is the whole year); here
    it is only checked, so that a bad one is a 422 before any query runs.
    Raises ``ValueError``.
    """
    value = clean(value)
    if value is None:
        return None
    parse_bound(value, upper=upper)
    return value


def clamp_limit(limit: int, default: int) -> int:
    if limit <= 0:
        return default
    return min(limit, MAX_LIMIT)


def clean(value: str | None) -> str | None:
    """An empty form field means no filter."""
    if value is None:
        return None
    value = value.strip()
    return value or None


# ------------------------------------------------------------------------ records


def as_dict(obj: Any) -> dict[str, Any]:
    if obj is None:
        return {}
    if isinstance(obj, dict):
        return obj
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    return dict(vars(obj))


def _span_record(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """A sentence or paragraph given as a record, a dict or a plain tuple."""
    if isinstance(obj, tuple | list):
        return dict(zip(names, obj, strict=False))
    d = dict(as_dict(obj))
    if "index" not in d:
        for alias in ("idx", "i", "sentence_index", "paragraph_index"):
            if alias in d:
                d["index"] = d[alias]
                break
    return d


def _paragraph(obj: Any, i: int) -> dict[str, Any]:
    if isinstance(obj, tuple | list) and len(obj) == 2:
        return {"index": i, "start": obj[0], "end": obj[1]}
    d = _span_record(obj, ("index", "start", "end"))
    d.setdefault("index", i)
    return d


_HIT_FIELDS = tuple(Hit.model_fields)
_GROUP_FIELDS = tuple(f for f in Group.model_fields if f not in ("hits", "score"))


def search_payload(result: Any, *, limit: int, offset: int) -> dict[str, Any]:
    """What ``/api/v1/search`` answers, as JSON-ready data: :func:`search_response`
    dumped, built straight from the search's records when it has them.

    The endpoint is the one users wait on: going through ``dataclasses.asdict``
    and pydantic validation cost more than a millisecond a page, as much as a
    whole search. ``tests/test_service_api.py`` checks both give the same JSON.
    """
    from communique.search import SearchResult

    if not isinstance(result, SearchResult):
        return search_response(result, limit=limit, offset=offset).model_dump(mode="json")

    def hit(h: Any) -> dict[str, Any]:
        return {f: getattr(h, f, None) for f in _HIT_FIELDS}

    hits = [hit(h) for h in result.hits]
    groups = []
    for g in result.groups:
        row = {f: getattr(g, f, None) for f in _GROUP_FIELDS}
        row["score"] = g.best_score
        row["hits"] = [hit(h) for h in g.hits]
        groups.append(row)
    facets = {name: dict(result.facets.get(name) or {}) for name in FACETS}
    for name, counts in result.facets.items():
        facets.setdefault(name, dict(counts))
    return {
        "query": result.query,
        "total": result.total,
        "total_documents": result.total_documents,
        "mode": result.mode,
        "limit": limit,
        "offset": offset,
        "hits": hits,
        "groups": groups,
        "facets": facets,
    }


def search_response(result: Any, *, limit: int, offset: int) -> SearchResponse:
    d = as_dict(result)
    hits = [Hit.model_validate(as_dict(h)) for h in d.get("hits") or []]
    groups = [_group(g) for g in d.get("groups") or []]
    facets_in = d.get("facets") or {}
    facets = {
        name: {str(k): int(v) for k, v in (facets_in.get(name) or {}).items()} for name in FACETS
    }
    for name, counts in facets_in.items():
        if name not in facets:
            facets[name] = {str(k): int(v) for k, v in (counts or {}).items()}
    return SearchResponse(
        query=str(d.get("query") or ""),
        total=int(d.get("total") or 0),
        total_documents=d.get("total_documents"),
        mode=d.get("mode"),
        limit=limit,
        offset=offset,
        hits=hits,
        groups=groups,
        facets=facets,
    )


def _group(obj: Any) -> Group:
    d = dict(as_dict(obj))
    doc = d.pop("document", None)
    if doc is not None:
        # a group that nests its document's record: flatten it
        info = as_dict(doc)
        for key, value in info.items():
            d.setdefault("document_id" if key == "id" else key, value)
    hits = [as_dict(h) for h in d.get("hits") or []]
    d["hits"] = hits
    if "document_id" not in d and hits:
        d["document_id"] = hits[0].get("document_id")
    for key in ("file", "title", "language", "type", "date", "organization", "body"):
        if d.get(key) is None and hits:
            d[key] = hits[0].get(key)
    if d.get("score") is None:
        d["score"] = d.get("best_score")
    if d.get("score") is None and hits:
        scores = [h.get("score") for h in hits if h.get("score") is not None]
        d["score"] = max(scores) if scores else None
    return Group.model_validate(d)


def document_info(obj: Any) -> DocumentInfo:
    return DocumentInfo.model_validate(as_dict(obj))


def document_detail(obj: Any) -> DocumentDetail:
    d = dict(as_dict(obj))
    d["paragraphs"] = [_paragraph(p, i) for i, p in enumerate(d.get("paragraphs") or [])]
    d["sentences"] = [
        _span_record(s, ("index", "start", "end", "text")) for s in d.get("sentences") or []
    ]
    d["mentions"] = [
        _span_record(m, ("kind", "value", "start", "end", "surface", "sentence"))
        for m in d.get("mentions") or []
    ]
    record = d.get("record")
    d["record"] = as_dict(record) if record is not None else {}
    detail = DocumentDetail.model_validate(d)
    if not detail.paragraphs and detail.text:
        detail.paragraphs = [ParagraphOut(index=0, start=0, end=len(detail.text))]
    return detail


def store_search(store: Any, q: str, **filters: Any) -> Any:
    """The store's search; a query the index cannot parse is an empty result, not an error.

    The store is expected to quote FTS syntax itself; this is the last guard so
    that a stray ``NEAR(`` never becomes a 500 page.
    """
    if filters.get("cross") is None:
        # a store without cross-language search takes no such argument
        filters.pop("cross", None)
    try:
        return store.search(q, **filters)
    except sqlite3.OperationalError as exc:
        log.warning("search %r failed in the index: %s", q, exc)
        return {"query": q, "total": 0, "hits": [], "groups": [], "facets": {}}


def document_total(store: Any, filters: dict[str, Any]) -> int | None:
    """How many documents a filtered listing holds, when the store can count."""
    count = getattr(store, "count", None)
    if callable(count):
        return int(count(**filters))
    return document_count(store) if not any(filters.values()) else None


def document_count(store: Any) -> int | None:
    stats = getattr(store, "stats", None)
    if not callable(stats):
        return None
    s = as_dict(stats())
    for key in ("documents", "document_count", "n_documents", "docs"):
        value = s.get(key)
        if isinstance(value, int):
            return value
        if isinstance(value, dict) and isinstance(value.get("total"), int):
            return value["total"]
    return None


def versions(store: Any, doc_id: int) -> list[Any]:
    """The document's other language versions, when the store groups them."""
    method = getattr(store, "versions", None)
    return list(method(doc_id)) if callable(method) else []


def alignment(store: Any, doc_id: int, other_id: int) -> list[tuple[list[int], list[int]]]:
    method = getattr(store, "alignment", None)
    if not callable(method):
        return []
    return [(list(a), list(b)) for a, b in method(doc_id, other_id)]


# ------------------------------------------------------------------------ snippets

_MARK = re.compile(r"(</?mark>)")


def safe_snippet(snippet: str) -> Markup:
    """The store's snippet with only ``<mark>`` left as markup.

    The store escapes the text around its marks; unescaping and escaping each
    piece again gives the same string for an escaped snippet, and neutralizes
    any tag that slipped through unescaped.
    """
    parts: list[str] = []
    for piece in _MARK.split(snippet):
        if piece in ("<mark>", "</mark>"):
            parts.append(piece)
        else:
            parts.append(html.escape(html.unescape(piece)))
    return Markup("".join(parts))


def unique(values: Iterable[str | None]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        if v:
            seen.setdefault(v, None)
    return list(seen)
