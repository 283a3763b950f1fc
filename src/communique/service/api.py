"""The JSON API, version 1."""

from __future__ import annotations

import json
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from communique import __version__
from communique.service import data
from communique.service.models import (
    Alignment,
    AlignmentLink,
    DocumentDetail,
    DocumentList,
    ErrorResponse,
    Health,
    SearchResponse,
)

router = APIRouter(prefix="/api/v1", tags=["api v1"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "A parameter is malformed."},
}


async def get_store(request: Request) -> Any:
    # Resolved on the event loop (no trip through the thread pool); the endpoint,
    # in its pool thread, then reaches that thread's own store.
    return request.app.state.stores.current()


Store = Annotated[Any, Depends(get_store)]
Lang = Annotated[str | None, Query(description="ISO 639-1 language: en, zh, ru ...")]
Type = Annotated[str | None, Query(description="communique, declaration, press_release ...")]
Org = Annotated[str | None, Query(description="Issuing organization's code, e.g. SCO.")]
Body = Annotated[str | None, Query(description="Issuing body's code, e.g. CMFA.")]
# What search.filters.parse_bound accepts (blank: no bound), stated in the schema.
_DATE_PATTERN = r"^\s*(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?\s*$"
From = Annotated[
    str | None,
    Query(
        alias="from",
        description="Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.",
        pattern=_DATE_PATTERN,
    ),
]
To = Annotated[
    str | None,
    Query(
        alias="to",
        description="Latest date: YYYY, YYYY-MM or YYYY-MM-DD (a year or month is taken whole).",
        pattern=_DATE_PATTERN,
    ),
]
Offset = Annotated[int, Query(ge=0, description="Results to skip.")]


def date_bounds(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """The ``from`` and ``to`` parameters, checked (a 422 names the bad one); None when blank."""
    try:
        lower = data.date_param(date_from, upper=False)
    except ValueError as exc:
        raise HTTPException(422, f"from: {exc}") from None
    try:
        upper = data.date_param(date_to, upper=True)
    except ValueError as exc:
        raise HTTPException(422, f"to: {exc}") from None
    return lower, upper


def _filters(
    lang: str | None,
    type: str | None,
    org: str | None,
    body: str | None,
    date_from: str | None,
    date_to: str | None,
) -> dict[str, str | None]:
    lower, upper = date_bounds(date_from, date_to)
    return {
        "type": data.clean(type),
        "organization": data.clean(org),
        "body": data.clean(body),
        "date_from": lower,
        "date_to": upper,
        "language": data.clean(lang),
    }


@router.get("/health", response_model=Health, summary="Is the store reachable")
def health(store: Store) -> Health:
    # A count of one table: health checks are polled, and the full stats
    # (sentences, mentions, every facet) take tens of milliseconds at 1M sentences.
    return Health(status="ok", version=__version__, documents=data.document_total(store, {}))


@router.get(
    "/search",
    response_model=SearchResponse,
    responses=_ERRORS,
    summary="Full-text search over sentences",
)
def search(
    store: Store,
    q: Annotated[
        str,
        # The schema says what the handler enforces: some non-blank character
        # (str.strip() also strips \x1c-\x1f, which \s does not cover everywhere).
        Query(
            description="Words to find; quotes, * and operators are taken literally.",
            min_length=1,
            pattern=r"[^\s\x1c-\x1f]",
        ),
    ],
    lang: Lang = None,
    type: Type = None,
    org: Org = None,
    body: Body = None,
    date_from: From = None,
    date_to: To = None,
    limit: Annotated[int, Query(description=f"Hits per page, at most {data.MAX_LIMIT}.")] = 20,
    offset: Offset = 0,
    cross: Annotated[
        bool | None,
        Query(
            description="With lang: also find sentences in that language that translate the "
            "query (true), never (false); unset: when the query is in another language."
        ),
    ] = None,
) -> SearchResponse:
    if not q.strip():
        raise HTTPException(422, "q: an empty query finds nothing; list /api/v1/documents instead")
    filters = _filters(lang, type, org, body, date_from, date_to)
    filters["lang"] = filters.pop("language")
    limit = data.clamp_limit(limit, 20)
    try:
        result = data.store_search(store, q, **filters, limit=limit, offset=offset, cross=cross)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    # Returned as a Response, the payload skips FastAPI's second validation against
    # SearchResponse (which still documents it, and which it matches: tested).
    # orjson writes what json.dumps(ensure_ascii=False, separators=(",", ":")) did,
    # byte for byte but for the spelling of a float's exponent (1e-5, not 1e-05),
    # in 0.01 ms a page instead of 0.08-0.15 (1M sentences, limit 10).
    payload = data.search_payload(result, limit=limit, offset=offset)
    try:
        body = orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:  # an integer past 64 bits: the offset, echoed as it was asked
        body = json.dumps(
            payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode()
    return Response(body, media_type="application/json")  # type: ignore[return-value]


@router.get(
    "/documents",
    response_model=DocumentList,
    responses=_ERRORS,
    summary="List documents, filtered and paginated",
)
def documents(
    store: Store,
    lang: Lang = None,
    type: Type = None,
    org: Org = None,
    body: Body = None,
    date_from: From = None,
    date_to: To = None,
    limit: Annotated[int, Query(description=f"Documents per page, at most {data.MAX_LIMIT}.")] = 50,
    offset: Offset = 0,
    sort: Annotated[
        str,
        Query(
            description="date, name, title, id or ingested; a leading - sorts descending.",
            pattern=r"^-?(date|name|title|id|ingested)$",
        ),
    ] = "-date",
) -> DocumentList:
    filters = _filters(lang, type, org, body, date_from, date_to)
    limit = data.clamp_limit(limit, 50)
    try:
        docs = store.documents(**filters, limit=limit, offset=offset, sort=sort)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    listed = [data.document_info(d) for d in docs]
    return DocumentList(
        documents=listed,
        count=len(listed),
        total=data.document_total(store, filters),
        limit=limit,
        offset=offset,
        sort=sort,
    )


@router.get(
    "/documents/{doc_id}",
    response_model=DocumentDetail,
    responses={404: {"model": ErrorResponse, "description": "No such document."}, **_ERRORS},
    summary="One document: metadata, text, sentences and mentions with spans, record, versions",
)
def document(
    store: Store,
    doc_id: int,
    with_: Annotated[
        int | None,
        Query(alias="with", description="A version's id: include the sentence alignment to it."),
    ] = None,
) -> DocumentDetail:
    found = store.document(doc_id)
    if found is None:
        raise HTTPException(404, f"no document with id {doc_id}")
    detail = data.document_detail(found)
    detail.versions = [data.document_info(v) for v in data.versions(store, doc_id)]
    if with_ is not None:
        detail.alignment = _links(store, doc_id, with_, detail)
    return detail


def _links(store: Any, doc_id: int, other_id: int, detail: Any = None) -> list[AlignmentLink]:
    versions = detail.versions if detail is not None else data.versions(store, doc_id)
    if other_id not in {v.id for v in versions}:
        raise HTTPException(404, f"document {other_id} is not a language version of {doc_id}")
    return [AlignmentLink(source=a, target=b) for a, b in data.alignment(store, doc_id, other_id)]


@router.get(
    "/documents/{doc_id}/alignment/{other_id}",
    response_model=Alignment,
    responses={404: {"model": ErrorResponse, "description": "Not versions of one text."}},
    summary="Sentence alignment between a document and one of its language versions",
)
def alignment(store: Store, doc_id: int, other_id: int) -> Alignment:
    if store.document(doc_id) is None:
        raise HTTPException(404, f"no document with id {doc_id}")
    return Alignment(document_id=doc_id, other_id=other_id, links=_links(store, doc_id, other_id))
