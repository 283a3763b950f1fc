"""Pages over the linked knowledge: entities, the organization at a date, commitments,
positions, meetings, the side-by-side reader, and upload.

Like the search page and the reader, each is a plain server-rendered page that
works without JavaScript; every value links to the sentence it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote_plus

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from communique.service import charts, data, linked, uploads
from communique.service.pages import SearchForm, date_or_notice, error_page, templates

router = APIRouter(include_in_schema=False)

STATUS_LABELS = {
    "fulfilled": "Fulfilled",
    "in_progress": "In progress",
    "open": "Open",
    "overdue": "Overdue",
    "superseded": "Superseded",
}
KIND_LABELS = {
    "state": "States",
    "organization": "Organizations and bodies",
    "person": "Persons",
    "instrument": "Instruments",
    "issue": "Issues",
}
KIND_SINGULAR = {
    "state": "State",
    "organization": "Organization",
    "person": "Person",
    "instrument": "Instrument",
    "issue": "Issue",
}
STATE_SECTIONS = [
    ("members", "Members"),
    ("observers", "Observers"),
    ("dialogue_partners", "Dialogue partners"),
    ("presidency", "Presidency"),
    ("seats", "Bodies and seats"),
    ("office_holders", "Office-holders"),
    ("memoranda", "Memoranda of understanding"),
    ("instruments", "Instruments signed"),
]


def _page(request: Request, template: str, title: str, **context: Any) -> HTMLResponse:
    context.setdefault("form", SearchForm())
    context["title"] = f"{title} · communique"
    context["status_labels"] = STATUS_LABELS
    return templates.TemplateResponse(request, template, context)


def _store(request: Request) -> Any:
    return request.app.state.stores.get()


# ------------------------------------------------------------------ entities


# Entities shown per kind when every kind is listed, and per page of one kind: a
# store of 100,000 documents names hundreds of thousands of persons.
ENTITY_PREVIEW = 60
ENTITY_PAGE = 300
# Commitments per page: the generated store of 1,000 documents holds 15,779 of them,
# and the page once rendered every one (19 MB of HTML, a second a view).
COMMITMENT_PAGE = 200
# Statements on one issue, a group (one text and its language versions) each.
POSITION_PAGE = 50
MEETING_PAGE = 200


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, kind: str = "", q: str = "", offset: int = 0) -> HTMLResponse:
    kind = kind.strip()
    if kind and kind not in linked.ENTITY_KINDS:
        kind = ""
    rows = linked.entities(_store(request), kind or None, q.strip() or None)
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["kind"], []).append(r)
    offset = max(0, min(offset, len(rows) - 1)) if kind else 0
    size = ENTITY_PAGE if kind else ENTITY_PREVIEW
    # (kind, label, rows shown, rows in all)
    ordered = [
        (k, KIND_LABELS[k], groups[k][offset : offset + size], len(groups[k]))
        for k in linked.ENTITY_KINDS
        if k in groups
    ]
    return _page(
        request,
        "entities.html",
        "Entities",
        groups=ordered,
        kind=kind,
        q=q.strip(),
        kinds=KIND_LABELS,
        total=len(rows),
        offset=offset,
        size=size,
    )


@router.get("/entities/{entity_id:path}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str) -> HTMLResponse:
    store = _store(request)
    found = linked.entity(store, entity_id)
    if found is None:
        return error_page(request, 404, f"There is no entity {entity_id!r}.")
    chart = charts.bar_chart(
        found["mentions_by_year"], label=f"Mentions of {found['name']} per year"
    )
    by_doc: dict[int, dict[str, Any]] = {}
    for m in found["mentions"]:
        d = by_doc.setdefault(
            m["document_id"],
            {
                "document_id": m["document_id"],
                "title": m["title"] or m["file"],
                "date": m["date"],
                "language": m["language"],
                "mentions": [],
            },
        )
        d["mentions"].append(m)
    return _page(
        request,
        "entity.html",
        found["name"],
        e=found,
        chart=chart,
        documents=sorted(by_doc.values(), key=lambda d: (d["date"] or "", d["document_id"])),
        singular=KIND_SINGULAR,
    )


# ------------------------------------------------------------------ organization at a date


@router.get("/at", response_class=HTMLResponse)
def at_page(request: Request, date: str = "", organization: str = "SCO") -> HTMLResponse:
    from communique.service.api_link import day

    store = _store(request)
    organization = organization.strip().upper() or "SCO"
    notice = None
    value = date.strip()
    if not value:
        latest = store.conn.execute("SELECT max(date) FROM documents").fetchone()[0]
        value = (latest or dt.date.today().isoformat())[:10]
        if len(value) < 10:
            value = day(value, "date")
    try:
        when = day(value, "date")
    except HTTPException as exc:
        notice = str(exc.detail)
        when = dt.date.today().isoformat()
    state = linked.state_at(store, when, organization)
    sections = [(key, label, state.get(key) or []) for key, label in STATE_SECTIONS]
    orgs = linked.organizations_with_facts(store)
    if organization not in {c for c, _ in orgs}:
        orgs.append((organization, organization))
    return _page(
        request,
        "at.html",
        f"{organization} on {when}",
        state=state,
        sections=sections,
        date=when,
        organization=organization,
        organizations=orgs,
        notice=notice,
        dates=_document_dates(store),
    )


def _document_dates(store: Any) -> list[str]:
    rows = store.conn.execute(
        "SELECT DISTINCT date FROM documents WHERE length(date) = 10 ORDER BY date"
    )
    return [r[0] for r in rows]


# ------------------------------------------------------------------ commitments


@router.get("/commitments", response_class=HTMLResponse)
def commitments_page(request: Request, status: str = "", offset: int = 0) -> HTMLResponse:
    status = status.strip()
    if status not in linked.COMMITMENT_STATUSES:
        status = ""
    store = _store(request)
    counts = linked.commitment_counts(store)
    total = sum(counts.values())
    count = counts[status] if status else total
    offset = max(0, min(offset, count - 1))
    rows = linked.commitments(
        store, status or None, offset=offset, limit=COMMITMENT_PAGE, by_deadline=True
    )
    return _page(
        request,
        "commitments.html",
        "Commitments",
        rows=rows,
        status=status,
        counts=counts,
        total=total,
        count=count,
        offset=offset,
        size=COMMITMENT_PAGE,
    )


# ------------------------------------------------------------------ paging


def _page_from(
    fetch: Callable[[int], tuple[list[dict[str, Any]], int]], offset: int
) -> tuple[list[dict[str, Any]], int, int]:
    """``fetch(offset)`` (the rows of a page and how many there are), and the offset
    used: past the end (the store shrank since the link was made) it is the last row."""
    offset = max(0, offset)
    rows, count = fetch(offset)
    if offset and offset >= count:
        offset = max(0, count - 1)
        rows, count = fetch(offset)
    return rows, count, offset


def _pager_prefix(path: str, **params: str | None) -> str:
    """``path?`` with the parameters given (empty ones left out), ready for ``offset=``."""
    query = "&".join(f"{k}={quote_plus(v)}" for k, v in params.items() if v)
    return f"{path}?{query}&" if query else f"{path}?"


# ------------------------------------------------------------------ positions


@router.get("/positions", response_class=HTMLResponse)
def positions_page(
    request: Request,
    issue: str = "",
    date_from: Annotated[str, Query(alias="from")] = "",
    date_to: Annotated[str, Query(alias="to")] = "",
    offset: int = 0,
) -> HTMLResponse:
    from communique.knowledge import load

    store = _store(request)
    issues = linked.issues(store)
    code = issue.strip().upper()
    kb = load()
    if code and code not in kb.issues:
        return error_page(request, 404, f"There is no issue {issue!r}.")
    if not code:
        stated = [i for i in issues if i["documents"]]
        code = stated[0]["code"] if stated else ""
    notices: list[str] = []
    low = date_or_notice(date_from, upper=False, notices=notices)
    high = date_or_notice(date_to, upper=True, notices=notices)
    groups: list[dict[str, Any]] = []
    count = 0
    if code:
        groups, count, offset = _page_from(
            lambda at: linked.position_page(
                store, code, date_from=low, date_to=high, offset=at, limit=POSITION_PAGE
            ),
            offset,
        )
    return _page(
        request,
        "positions.html",
        f"Positions: {kb.name(code)}" if code else "Positions",
        issues=issues,
        issue=code,
        issue_name=kb.name(code) if code else "",
        groups=groups,
        date_from=low or "",
        date_to=high or "",
        notices=notices,
        count=count,
        offset=offset,
        size=POSITION_PAGE,
        pager_prefix=_pager_prefix("/positions", **{"issue": code, "from": low, "to": high}),
    )


# ------------------------------------------------------------------ meetings


@router.get("/meetings", response_class=HTMLResponse)
def meetings_page(
    request: Request,
    date_from: Annotated[str, Query(alias="from")] = "",
    date_to: Annotated[str, Query(alias="to")] = "",
    offset: int = 0,
) -> HTMLResponse:
    store = _store(request)
    notices: list[str] = []
    low = date_or_notice(date_from, upper=False, notices=notices)
    high = date_or_notice(date_to, upper=True, notices=notices)
    rows, count, offset = _page_from(
        lambda at: linked.meeting_page(
            store, date_from=low, date_to=high, offset=at, limit=MEETING_PAGE
        ),
        offset,
    )
    stats = linked.issue_stats(store)
    top = stats["issues"][:12]
    chart = charts.small_multiples(
        [(r["issue"], r["name"], r["by_year"]) for r in top],
        stats["years"],
        label="Statements on each issue per year",
    )
    years: dict[str, list[dict[str, Any]]] = {}
    for m in rows:
        years.setdefault(m["date"][:4], []).append(m)
    return _page(
        request,
        "meetings.html",
        "Meetings",
        years=sorted(years.items()),
        count=count,
        chart=chart,
        issue_count=len(stats["issues"]),
        date_from=low or "",
        date_to=high or "",
        notices=notices,
        offset=offset,
        shown=len(rows),
        size=MEETING_PAGE,
        pager_prefix=_pager_prefix("/meetings", **{"from": low, "to": high}),
    )


# ------------------------------------------------------------------ side by side


@router.get("/documents/{doc_id}/parallel/{other_id}", response_class=HTMLResponse)
def parallel_page(request: Request, doc_id: str, other_id: str) -> HTMLResponse:
    store = _store(request)
    if not (doc_id.isdigit() and other_id.isdigit()):
        return error_page(request, 404, "There is no such pair of documents.")
    left = store.document(int(doc_id))
    right = store.document(int(other_id))
    if left is None or right is None:
        return error_page(request, 404, "There is no such pair of documents.")
    versions = data.versions(store, int(doc_id))
    if int(other_id) not in {v.id for v in versions}:
        return error_page(
            request, 404, f"Document {other_id} is not a language version of document {doc_id}."
        )
    a = data.document_detail(left)
    b = data.document_detail(right)
    rows = aligned_rows(
        [s.text for s in a.sentences],
        [s.text for s in b.sentences],
        data.alignment(store, int(doc_id), int(other_id)),
    )
    return _page(
        request,
        "parallel.html",
        f"{a.title or a.name} · side by side",
        a=a,
        b=b,
        rows=rows,
        versions=[data.document_info(v) for v in versions],
    )


def aligned_rows(
    left: list[str], right: list[str], links: list[tuple[list[int], list[int]]]
) -> list[dict[str, Any]]:
    """Rows of the side-by-side reader: each link one row; an unlinked sentence a row of its own.

    Rows follow the left text's order; a right sentence no link covers goes
    right after the row of the right sentence before it.
    """
    rows: list[dict[str, Any]] = []
    used_left: set[int] = set()
    used_right: set[int] = set()
    clean = sorted(
        (
            sorted(i for i in a if 0 <= i < len(left)),
            sorted(j for j in b if 0 <= j < len(right)),
        )
        for a, b in links
    )
    clean = [(a, b) for a, b in clean if a or b]

    def row(a: list[int], b: list[int]) -> dict[str, Any]:
        used_left.update(a)
        used_right.update(b)
        return {
            "left": [(i, left[i]) for i in a],
            "right": [(j, right[j]) for j in b],
            "linked": bool(a and b),
        }

    next_left = 0
    next_right = 0
    for a, b in sorted(
        clean, key=lambda ab: (ab[0][0] if ab[0] else -1, ab[1][0] if ab[1] else -1)
    ):
        first_left = a[0] if a else next_left
        while next_left < first_left:
            if next_left not in used_left:
                rows.append(row([next_left], []))
            next_left += 1
        first_right = b[0] if b else next_right
        while next_right < first_right:
            if next_right not in used_right:
                rows.append(row([], [next_right]))
            next_right += 1
        rows.append(
            row([i for i in a if i not in used_left], [j for j in b if j not in used_right])
        )
        next_left = max(next_left, (a[-1] + 1) if a else next_left)
        next_right = max(next_right, (b[-1] + 1) if b else next_right)
    for i in range(len(left)):
        if i not in used_left:
            rows.append(row([i], []))
    for j in range(len(right)):
        if j not in used_right:
            rows.append(row([], [j]))
    return [r for r in rows if r["left"] or r["right"]]


# ------------------------------------------------------------------ upload


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> HTMLResponse:
    return _upload(request)


def _upload(
    request: Request,
    results: list[dict[str, Any]] | None = None,
    message: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    settings = request.app.state.upload_settings
    from communique.readers import SUPPORTED_SUFFIXES

    response = _page(
        request,
        "upload.html",
        "Upload",
        results=results,
        message=message,
        accept=",".join(sorted(SUPPORTED_SUFFIXES)),
        suffixes=", ".join(sorted(SUPPORTED_SUFFIXES)),
        max_mib=settings.max_file_bytes // (1024 * 1024),
        max_files=settings.max_files,
    )
    response.status_code = status
    return response


@router.post("/upload", response_class=HTMLResponse)
async def upload_form(request: Request) -> HTMLResponse:
    """The upload page's plain form (no JavaScript): token and files in one multipart form."""
    settings = request.app.state.upload_settings
    try:
        incoming, token = await uploads.receive(request, settings)
    except HTTPException as exc:
        return _upload(request, message=str(exc.detail), status=exc.status_code)
    try:
        uploads.check_token(request, token)
    except HTTPException as exc:
        _discard(incoming)
        return _upload(request, message=str(exc.detail), status=exc.status_code)
    store_results = await run_in_threadpool(_ingest, request, incoming, settings)
    return _upload(
        request,
        results=[r.to_dict() for r in store_results],
        status=uploads.status_of(store_results),
    )


def _ingest(
    request: Request, incoming: list[uploads.Incoming], settings: uploads.UploadSettings
) -> list[uploads.Incoming]:
    return uploads.ingest(request.app.state.stores.get(), incoming, settings)


def _discard(incoming: list[uploads.Incoming]) -> None:
    import shutil

    for item in incoming:
        if item.path is not None:
            shutil.rmtree(item.path.parent.parent, ignore_errors=True)


__all__ = ["aligned_rows", "router"]
