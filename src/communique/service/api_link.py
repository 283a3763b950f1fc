"""The API's linked knowledge: entities, facts, the organization at a date, commitments,
positions, meetings, issue counts, and the exports (streamed)."""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date as Date
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response, StreamingResponse

from communique.service import linked
from communique.service.api import From, Store, To, date_bounds
from communique.service.models import (
    CommitmentList,
    EntityDetail,
    EntityList,
    ErrorResponse,
    FactList,
    IssueStats,
    MeetingList,
    Positions,
    StateAt,
)

router = APIRouter(prefix="/api/v1", tags=["knowledge"])

# a day, month or year (what ``day`` accepts), stated in the schema
DAY_PATTERN = r"^[1-9]\d{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_DAY = re.compile(DAY_PATTERN)
MAX_ID = 2**63 - 1
ENTITY_LIMIT = 10_000
COMMITMENT_LIMIT = 10_000
FACT_LIMIT = 10_000
POSITION_LIMIT = 10_000
MEETING_LIMIT = 10_000
SOURCE_LIMIT = 1_000_000
_E422: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "A parameter is malformed."}
}
EXPORT_FORMATS = ("jsonl", "csv", "popolo", "akn")
EntityKind = Literal["state", "organization", "person", "instrument", "issue"]
CommitmentStatus = Literal["fulfilled", "in_progress", "open", "overdue", "superseded"]
CSV_TABLES = ("facts", "commitments")


def day(value: str, name: str) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as its first day; HTTPException 422 if not a date."""
    value = value.strip()
    if _DAY.match(value):
        parts = [int(p) for p in value.split("-")]
        y, m, d = [*parts, 1, 1][:3]
        try:
            return Date(y, m, d).isoformat()
        except ValueError:
            pass
    raise HTTPException(422, f"{name}: not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")


@router.get(
    "/entities",
    response_model=EntityList,
    responses=_E422,
    summary="Entities: states, organizations and bodies, persons, instruments, issues",
)
def entities(
    store: Store,
    kind: Annotated[
        EntityKind | None, Query(description=f"One of {', '.join(linked.ENTITY_KINDS)}.")
    ] = None,
    q: Annotated[str | None, Query(description="Part of a name or code, any language.")] = None,
    limit: Annotated[
        int, Query(ge=1, le=ENTITY_LIMIT, description=f"Entities per page, at most {ENTITY_LIMIT}.")
    ] = 1000,
    offset: Annotated[int, Query(ge=0, description="Entities to skip.")] = 0,
) -> EntityList:
    kind = (kind or "").strip() or None
    try:
        rows = linked.entities(store, kind, q)
    except ValueError as exc:
        raise HTTPException(422, f"kind: {exc}") from None
    return EntityList(
        entities=rows[offset : offset + limit],  # type: ignore[arg-type]
        count=len(rows),
        limit=limit,
        offset=offset,
    )


@router.get(
    "/entities/{entity_id:path}",
    response_model=EntityDetail,
    responses={404: {"model": ErrorResponse, "description": "No such entity."}},
    summary="One entity: names in every language, facts, mentions per year",
)
def entity(store: Store, entity_id: str) -> EntityDetail:
    found = linked.entity(store, entity_id)
    if found is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    return EntityDetail.model_validate(found)


@router.get(
    "/facts",
    response_model=FactList,
    responses=_E422,
    summary="Facts (subject, predicate, object) with validity periods and source sentences",
)
def facts(
    store: Store,
    subject: Annotated[str | None, Query(description="A code: KZ, SCO, RATS, person:…")] = None,
    predicate: Annotated[
        str | None, Query(description="member, observer, seat, office_holder, presidency …")
    ] = None,
    at: Annotated[
        str | None,
        Query(
            description="Only facts valid on this day (YYYY, YYYY-MM, YYYY-MM-DD).",
            pattern=DAY_PATTERN,
        ),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=FACT_LIMIT, description=f"Facts per page, at most {FACT_LIMIT}.")
    ] = 1000,
    offset: Annotated[int, Query(ge=0, description="Facts to skip.")] = 0,
    sources: Annotated[
        int,
        Query(
            ge=0,
            le=SOURCE_LIMIT,
            description="Sources per fact, at most (the oldest first); `source_count` has"
            " them all. A position is stated in thousands of sentences: page through them"
            " with /api/v1/positions/{issue}?organization=.",
        ),
    ] = 100,
) -> FactList:
    when = day(at, "at") if at and at.strip() else None
    rows, count = linked.fact_page(
        store,
        subject=(subject or "").strip() or None,
        predicate=(predicate or "").strip() or None,
        at=when,
        offset=offset,
        limit=limit,
        sources=sources,
    )
    return FactList(facts=rows, count=count, limit=limit, offset=offset)  # type: ignore[arg-type]


@router.get(
    "/at/{date}",
    response_model=StateAt,
    responses=_E422,
    summary="The organization on a day: members, observers, seats, office-holders, presidency",
)
def at(
    store: Store,
    date: Annotated[str, Path(description="YYYY, YYYY-MM or YYYY-MM-DD.", pattern=DAY_PATTERN)],
    organization: Annotated[str, Query(description="The organization's code.")] = "SCO",
) -> StateAt:
    return StateAt.model_validate(
        linked.state_at(store, day(date, "date"), organization.strip().upper() or "SCO")
    )


@router.get(
    "/commitments",
    response_model=CommitmentList,
    responses=_E422,
    summary="Commitments with their follow-up status and the evidence sentences",
)
def commitments(
    store: Store,
    status: Annotated[
        CommitmentStatus | None, Query(description=", ".join(linked.COMMITMENT_STATUSES))
    ] = None,
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=COMMITMENT_LIMIT,
            description=f"Commitments per page, at most {COMMITMENT_LIMIT}.",
        ),
    ] = 1000,
    offset: Annotated[int, Query(ge=0, description="Commitments to skip.")] = 0,
) -> CommitmentList:
    counts = linked.commitment_counts(store)
    rows = linked.commitments(store, status, offset=offset, limit=limit)
    return CommitmentList(
        commitments=rows,  # type: ignore[arg-type]
        count=counts[status] if status else sum(counts.values()),
        limit=limit,
        offset=offset,
        statuses=counts,
    )


@router.get(
    "/positions/{issue}",
    response_model=Positions,
    responses={404: {"model": ErrorResponse, "description": "No such issue."}},
    summary="The organization's statements on an issue, in date order, language versions together",
)
def positions(
    store: Store,
    issue: str,
    organization: Annotated[str | None, Query(description="Only this organization.")] = None,
    date_from: From = None,
    date_to: To = None,
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=POSITION_LIMIT,
            description=f"Groups (one text, its language versions together) per page,"
            f" at most {POSITION_LIMIT}.",
        ),
    ] = 1000,
    offset: Annotated[int, Query(ge=0, description="Groups to skip.")] = 0,
) -> Positions:
    from communique.knowledge import load

    code = issue.strip().upper()
    kb = load()
    if code not in kb.issues:
        raise HTTPException(404, f"no issue {issue!r}; GET /api/v1/issues lists them")
    lower, upper = date_bounds(date_from, date_to)
    groups, count = linked.position_page(
        store,
        code,
        (organization or "").strip() or None,
        date_from=lower,
        date_to=upper,
        offset=offset,
        limit=limit,
    )
    return Positions(
        issue=code,
        name=kb.name(code),
        groups=groups,  # type: ignore[arg-type]
        count=count,
        limit=limit,
        offset=offset,
    )


@router.get("/issues", summary="Issues the knowledge pack knows, with the documents stating each")
def issues(store: Store) -> dict[str, Any]:
    rows = linked.issues(store)
    return {"issues": rows, "count": len(rows)}


@router.get(
    "/issues/stats",
    response_model=IssueStats,
    summary="Statements per issue and year (for a chart of issue mentions over time)",
)
def issue_stats(store: Store) -> IssueStats:
    return IssueStats.model_validate(linked.issue_stats(store))


@router.get(
    "/meetings",
    response_model=MeetingList,
    summary="Meetings (body, place, dates) in date order, with the documents reporting them",
)
def meetings(
    store: Store,
    date_from: From = None,
    date_to: To = None,
    limit: Annotated[
        int,
        Query(ge=1, le=MEETING_LIMIT, description=f"Meetings per page, at most {MEETING_LIMIT}."),
    ] = 1000,
    offset: Annotated[int, Query(ge=0, description="Meetings to skip.")] = 0,
) -> MeetingList:
    lower, upper = date_bounds(date_from, date_to)
    rows, count = linked.meeting_page(
        store,
        date_from=lower,
        date_to=upper,
        offset=offset,
        limit=limit,
    )
    return MeetingList(
        meetings=rows,  # type: ignore[arg-type]
        count=count,
        limit=limit,
        offset=offset,
    )


# ------------------------------------------------------------------ exports


def _stream_file(path: FilePath, cleanup: FilePath) -> Iterator[bytes]:
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 16):
                yield chunk
    finally:
        shutil.rmtree(cleanup, ignore_errors=True)


@router.get(
    "/export/{fmt}",
    summary="Export: jsonl, csv (zip of both tables, or ?table=facts|commitments), popolo, akn (zip)",
    responses={
        200: {
            "description": "The export, streamed.",
            "content": {
                "application/x-ndjson": {},
                "text/csv": {},
                "application/zip": {},
                "application/json": {},
            },
        },
        404: {"model": ErrorResponse, "description": "No such format."},
        **_E422,
    },
)
def export(
    request: Request,
    fmt: str,
    table: Annotated[
        str | None, Query(description="csv only: facts or commitments (one CSV, not a zip).")
    ] = None,
) -> StreamingResponse:
    from communique import export as exporter

    if fmt not in EXPORT_FORMATS:
        raise HTTPException(404, f"no export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    table = (table or "").strip() or None
    if table is not None and (fmt != "csv" or table not in CSV_TABLES):
        raise HTTPException(422, f"table: only for csv, one of {', '.join(CSV_TABLES)}")
    store = request.app.state.stores.get()
    work = FilePath(tempfile.mkdtemp(prefix="communique-export-"))
    try:
        if fmt == "jsonl":
            path = exporter.export(store, "jsonl", work / "communique.jsonl")[0]
            media, name = "application/x-ndjson", "communique.jsonl"
        elif fmt == "popolo":
            path = exporter.export(store, "popolo", work / "communique.popolo.json")[0]
            media, name = "application/json", "communique.popolo.json"
        elif fmt == "csv":
            files = exporter.export(store, "csv", work / "facts.csv")
            by_table = {
                "facts": files[0],
                "commitments": files[1] if len(files) > 1 else files[0],
            }
            if table is not None:
                path, media, name = by_table[table], "text/csv", f"{table}.csv"
            else:
                path, media, name = _zip(work, {f"{t}.csv": p for t, p in by_table.items()})
        else:
            written = exporter.export(store, "akn", work / "akn")
            path, media, name = _zip(work, {p.name: p for p in written}, "communique-akn.zip")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return StreamingResponse(
        _stream_file(path, work),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _zip(
    work: FilePath, members: dict[str, FilePath], name: str = "communique-csv.zip"
) -> tuple[FilePath, str, str]:
    target = work / name
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for arcname, path in members.items():
            z.write(path, arcname)
    return target, "application/zip", name


@router.get(
    "/documents/{doc_id}/akn",
    summary="One document as Akoma Ntoso 3.0 XML",
    responses={
        200: {"description": "The XML.", "content": {"application/akn+xml": {}}},
        404: {"model": ErrorResponse, "description": "No such document."},
    },
)
def document_akn(store: Store, doc_id: int) -> Response:
    from communique.export import akn_document
    from communique.link import ensure_built

    if not -MAX_ID <= doc_id <= MAX_ID:
        raise HTTPException(404, f"no document with id {doc_id}")
    row = store.conn.execute("SELECT name FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise HTTPException(404, f"no document with id {doc_id}")
    ensure_built(store)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", FilePath(row[0]).stem) + ".akn.xml"
    return Response(
        akn_document(store, doc_id),
        media_type="application/akn+xml",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
