"""Server-rendered pages: the search page (``/``) and the reader (``/documents/{id}``).

Plain HTML forms and links, so every page works without JavaScript. Jinja2
autoescapes everything; the only markup that passes through is the snippet's
``<mark>`` (re-checked by :func:`communique.service.data.safe_snippet`) and the
reader's text, which :mod:`communique.service.render` escapes character by character.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from communique import __version__
from communique.service import data, render
from communique.service.models import DocumentDetail, DocumentInfo

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"

HITS_PER_PAGE = 50
DOCS_PER_PAGE = 50
# Beyond this many documents an empty query's counts come from the store's totals
COUNT_SCAN = 2000

LANG_NAMES = {"en": "English", "zh": "中文", "ru": "Русский"}
FACET_LABELS = {
    "language": "Language",
    "type": "Type",
    "organization": "Organization",
    "body": "Body",
    "year": "Year",
}
# the search form's parameter for each facet
FACET_PARAMS = {"language": "lang", "type": "type", "organization": "org", "body": "body"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

router = APIRouter(include_in_schema=False)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
    )
    env.filters["human_date"] = human_date
    env.filters["type_label"] = type_label
    env.filters["lang_name"] = lambda code: LANG_NAMES.get(code or "", code or "")
    env.filters["snippet"] = data.safe_snippet
    env.filters["country"] = lambda code: render.country_name(code) if code else None
    env.globals["version"] = __version__
    env.globals["legend"] = render.LEGEND
    return env


def human_date(value: str | None) -> str:
    """``2002-11-23`` as ``23 November 2002``; partial dates keep their precision."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return value
    return value


def type_label(value: str | None) -> str:
    if not value:
        return ""
    return value.replace("_", " ").capitalize()


templates = Jinja2Templates(env=_environment())


class SearchForm:
    """The search page's parameters, as strings, and links that change one of them."""

    NAMES = ("q", "lang", "type", "org", "body", "from", "to")

    def __init__(self, **values: str) -> None:
        self.values = {k: (values.get(k) or "").strip() for k in self.NAMES}

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")

    def url(self, page: int = 1, **changes: str | None) -> str:
        values = dict(self.values)
        for key, value in changes.items():
            values[key.rstrip("_")] = value or ""
        params = [(k, v) for k, v in values.items() if v]
        if page > 1:
            params.append(("page", str(page)))
        return "/?" + urlencode(params) if params else "/"

    def facet_url(self, facet: str, value: str) -> str:
        """Toggle a facet's value as a filter; a year sets the date range to that year."""
        if facet == "year":
            same = self["from"] == value and self["to"] == value
            return self.url(from_=None if same else value, to=None if same else value)
        param = FACET_PARAMS[facet]
        return self.url(**{param: None if self[param] == value else value})

    def facet_active(self, facet: str, value: str) -> bool:
        if facet == "year":
            return self["from"] == value and self["to"] == value
        return self[FACET_PARAMS[facet]] == value

    @property
    def filtered(self) -> bool:
        return any(self.values[k] for k in self.NAMES if k != "q")


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = "",
    lang: str = "",
    type: str = "",
    org: str = "",
    body: str = "",
    date_from: Annotated[str, Query(alias="from")] = "",
    date_to: Annotated[str, Query(alias="to")] = "",
    page: str = "1",
) -> HTMLResponse:
    store = request.app.state.stores.get()
    form = SearchForm(
        q=q, lang=lang, type=type, org=org, body=body, to=date_to, **{"from": date_from}
    )
    notices: list[str] = []
    try:
        page_no = max(1, int(page))
    except ValueError:
        page_no = 1
    lower = date_or_notice(form["from"], upper=False, notices=notices)
    upper = date_or_notice(form["to"], upper=True, notices=notices)
    filters = {
        "language": form["lang"] or None,
        "type": form["type"] or None,
        "organization": form["org"] or None,
        "body": form["body"] or None,
        "date_from": lower,
        "date_to": upper,
    }
    stats = data.as_dict(store.stats()) if callable(getattr(store, "stats", None)) else {}
    context: dict[str, Any] = {
        "form": form,
        "notices": notices,
        "page": page_no,
        "options": _options(stats),
        "facet_labels": FACET_LABELS,
        "store_documents": stats.get("documents"),
    }
    if form["q"]:
        offset = (page_no - 1) * HITS_PER_PAGE
        search_filters = {"lang" if k == "language" else k: v for k, v in filters.items()}
        raw = data.store_search(
            store, form["q"], **search_filters, limit=HITS_PER_PAGE, offset=offset
        )
        result = data.search_response(raw, limit=HITS_PER_PAGE, offset=offset)
        infos = _infos(store, [g.document_id for g in result.groups], filters)
        context.update(
            mode="search",
            result=result,
            clusters=version_clusters(store, result.groups),
            infos=infos,
            facets=result.facets,
            pages=_pages(result.total, HITS_PER_PAGE, page_no),
        )
        title = f"{form['q']} · communique"
    else:
        offset = (page_no - 1) * DOCS_PER_PAGE
        listing = [
            data.document_info(d)
            for d in store.documents(**filters, limit=DOCS_PER_PAGE, offset=offset, sort="-date")
        ]
        total, facets = _listing_counts(store, filters, stats, form.filtered)
        context.update(
            mode="browse",
            documents=listing,
            total=total,
            facets=facets,
            pages=_pages(total, DOCS_PER_PAGE, page_no) if total is not None else None,
        )
        title = "communique · documents"
    context["title"] = title
    return templates.TemplateResponse(request, "search.html", context)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    store = request.app.state.stores.get()
    found = store.document(int(doc_id)) if doc_id.isdigit() else None
    if found is None:
        return error_page(request, 404, f"There is no document with id {doc_id}.")
    detail = data.document_detail(found)
    record = detail.record or {}
    from communique.service.linked import document_links

    context = {
        "title": f"{detail.title or detail.name} · communique",
        "doc": detail,
        "versions": [data.document_info(v) for v in data.versions(store, detail.id)],
        "paragraphs": render.render_paragraphs(detail, document_links(store, int(doc_id))),
        "record": record,
        "meeting": record.get("meeting") or {},
        "commitments": _commitments(detail, record),
        "kinds_present": _kinds_present(detail, record),
        "header": found_header(detail, found),
        "warnings": _warnings(found, record),
        "form": SearchForm(),
    }
    return templates.TemplateResponse(request, "document.html", context)


def version_clusters(store: Any, groups: list[Any]) -> list[dict[str, Any]]:
    """Result groups of one text's language versions together, in the order of the best.

    Each cluster holds the groups with hits (best first) and the versions
    without hits on this page, offered as links.
    """
    clusters: list[dict[str, Any]] = []
    where: dict[Any, dict[str, Any]] = {}
    for g in groups:
        cluster = where.get(g.document_id)
        if cluster is None:
            versions = (
                data.versions(store, int(g.document_id)) if isinstance(g.document_id, int) else []
            )
            cluster = {"groups": [], "others": {v.id: v for v in versions}}
            clusters.append(cluster)
            for v in versions:
                where.setdefault(v.id, cluster)
            where[g.document_id] = cluster
        cluster["groups"].append(g)
        cluster["others"].pop(g.document_id, None)
    return [
        {"groups": c["groups"], "others": [data.document_info(v) for v in c["others"].values()]}
        for c in clusters
    ]


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    context = {"title": f"{status} · communique", "status": status, "message": message}
    try:
        context["form"] = SearchForm()
        return templates.TemplateResponse(request, "error.html", context, status_code=status)
    except Exception:  # the error page itself must never fail
        log.exception("error page failed")
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)


# ------------------------------------------------------------------------ helpers


def date_or_notice(value: str, *, upper: bool, notices: list[str]) -> str | None:
    try:
        return data.date_param(value, upper=upper)
    except ValueError as exc:
        notices.append(f"Date filter ignored: {exc}")
        return None


def _options(stats: dict[str, Any]) -> dict[str, list[str]]:
    """Values offered in the filter menus: everything the store holds."""

    def keys(name: str) -> list[str]:
        counts = stats.get(name) or {}
        return sorted(str(k) for k in counts if k)

    return {
        "lang": keys("languages"),
        "type": keys("types"),
        "org": keys("organizations"),
        "body": keys("bodies"),
    }


def _infos(store: Any, ids: list[Any], filters: dict[str, Any]) -> dict[Any, DocumentInfo]:
    """Listing records (for the place) of the documents on a result page.

    The store looks documents up one by one only with their full text, so the
    listing under the same filters is read once instead.
    """
    if not ids:
        return {}
    wanted = set(ids)
    return {
        info.id: info
        for info in (data.document_info(d) for d in store.documents(**filters, sort="id"))
        if info.id in wanted
    }


def _listing_counts(
    store: Any, filters: dict[str, Any], stats: dict[str, Any], filtered: bool
) -> tuple[int | None, dict[str, dict[str, int]]]:
    """How many documents the browse view holds, and its facet counts."""
    if not filtered and stats:
        facets = {
            "organization": dict(stats.get("organizations") or {}),
            "body": dict(stats.get("bodies") or {}),
            "type": dict(stats.get("types") or {}),
            "language": dict(stats.get("languages") or {}),
            "year": dict(stats.get("years") or {}),
        }
        return stats.get("documents"), _ordered(facets)
    docs = [
        data.document_info(d)
        for d in store.documents(**filters, limit=COUNT_SCAN, offset=0, sort="-date")
    ]
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACET_LABELS}
    for d in docs:
        for name, value in (
            ("organization", d.organization),
            ("body", d.body),
            ("type", d.type),
            ("language", d.language),
            ("year", (d.date or "")[:4]),
        ):
            if value:
                counts[name][value] += 1
    total = data.document_total(store, filters)
    return total, _ordered({k: dict(v) for k, v in counts.items()})


def _ordered(facets: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    out = {
        name: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        for name, counts in facets.items()
    }
    out["year"] = dict(sorted((facets.get("year") or {}).items(), reverse=True))
    return out


def _pages(total: int, per_page: int, page: int) -> dict[str, int] | None:
    last = max(1, -(-total // per_page))
    if last == 1:
        return None
    return {"page": page, "last": last}


def _commitments(detail: DocumentDetail, record: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for c in record.get("commitments") or []:
        if not isinstance(c, dict):
            continue
        span = c.get("span") or [-1, -1]
        sentence = render.sentence_of(detail, int(span[0])) if span[0] is not None else None
        out.append({**c, "sentence_index": sentence})
    return out


def _kinds_present(detail: DocumentDetail, record: dict[str, Any]) -> set[str]:
    present = {
        render.KINDS[m.kind][0] for m in detail.mentions if m.kind in render.KINDS and m.start >= 0
    }
    for key, css in (
        ("persons", "person"),
        ("instruments", "instrument"),
        ("commitments", "commitment"),
    ):
        if record.get(key):
            present.add(css)
    return present


def found_header(detail: DocumentDetail, found: Any) -> dict[str, str]:
    """The record header's fields (``[Title]``, ``[Place]`` ...) when the document had one."""
    header = data.as_dict(found).get("header") or {}
    fields = header.get("fields") if isinstance(header, dict) else None
    if isinstance(fields, dict):
        return {str(k): str(v) for k, v in fields.items() if v}
    return {}


def _warnings(found: Any, record: dict[str, Any]) -> list[str]:
    warnings = data.as_dict(found).get("warnings") or record.get("warnings") or []
    return data.unique(str(w) for w in warnings)
