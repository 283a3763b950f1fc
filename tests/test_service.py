"""The web service: JSON API, pages, error handling and escaping, over a real ingested store.

The store is built once per module by ``Store.ingest`` of the five seed documents
and three documents written here (English, Chinese, Russian) whose text carries
HTML and script payloads. The renderer and snippet sanitizer are also tested on
their own, without a store.
"""

from __future__ import annotations

import html
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest

with warnings.catch_warnings():
    # starlette's TestClient announces a future move away from httpx
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from communique.service import create_app
from communique.service.data import safe_snippet
from communique.service.models import DocumentDetail, MentionOut, SentenceOut
from communique.service.render import Span, render_paragraphs, render_range
from conftest import new_db

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEEDS = sorted((SHARED / "corpus" / "seeds").glob("*.txt"))

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
BOLD = "<b onmouseover=alert(3)>"

# Documents of the genre, written for these tests, each carrying markup in its text.
OWN_DOCS = {
    "xss_en.txt": f"""JOINT STATEMENT {BOLD}of the Ministers</b>

Meeting of the Council of Ministers of Foreign Affairs of the Member States of the Shanghai Cooperation Organization

The ministers of foreign affairs of the Republic of Kazakhstan, the People's Republic of China and the Russian Federation met in Astana {SCRIPT} on 14 March 2019.

The parties agreed to prepare a joint programme on the desalination {IMG} of water before the end of 2020.

The ministers noted that "<a href=javascript:alert(4)>quoted markup</a>" & ampersands stay text.
""",
    "xss_zh.txt": f"""上海合作组织成员国外交部长理事会新闻公报

2019年3月14日，上海合作组织成员国外交部长理事会会议在阿斯塔纳{SCRIPT}举行。

各方商定于2020年底前制定海水淡化{IMG}合作纲要。
""",
    "xss_ru.txt": f"""ИНФОРМАЦИОННОЕ СООБЩЕНИЕ

14 марта 2019 года в Астане состоялось заседание Совета министров иностранных дел государств-членов Шанхайской организации {SCRIPT} сотрудничества.

Стороны договорились до конца 2020 года подготовить программу опреснения {IMG} морской воды.
""",
}


# --------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not SEEDS:
        pytest.skip("../shared/corpus/seeds not present")
    try:
        from communique.store import Store
    except ImportError as exc:
        pytest.skip(f"the store is not importable yet: {exc}")
    folder = tmp_path_factory.mktemp("service")
    own = []
    for name, text in OWN_DOCS.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        own.append(path)
    db = new_db(folder, "communique.db")
    with Store.open(db) as store:
        report = store.ingest([*SEEDS, *own])
    missing = [
        r.reason
        for r in report.failed
        if r.reason and re.search(r"(ModuleNotFound|Import)Error", r.reason)
    ]
    if missing:
        pytest.skip(f"the pipeline is not complete yet: {missing[0]}")
    assert report.ok, [(r.path, r.reason) for r in report.failed]
    ids = {Path(r.path).name: r.document_id for r in report.results}
    return {"db": db, "ids": ids}


@pytest.fixture(scope="module")
def client(store_db: dict[str, Any]) -> TestClient:
    with TestClient(create_app(store_db["db"])) as c:
        yield c


@pytest.fixture(scope="module")
def ids(store_db: dict[str, Any]) -> dict[str, int]:
    return store_db["ids"]


def _assert_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in response.text
    return body["error"]


# --------------------------------------------------------------------- JSON API


def test_health_counts_the_documents(client: TestClient) -> None:
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["documents"] == len(SEEDS) + len(OWN_DOCS)


def test_health_does_not_gather_the_stats(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A health check is polled: it counts the documents and nothing else (it used
    to compute every stat, 18 ms at 1M sentences)."""
    from communique.store.sqlite import Store as SqliteStore

    def no_stats(self: object) -> object:
        raise AssertionError("health gathered the stats")

    monkeypatch.setattr(SqliteStore, "stats", no_stats)
    body = client.get("/api/v1/health").json()
    assert body["documents"] == len(SEEDS) + len(OWN_DOCS)


def test_an_endpoint_uses_its_own_threads_store(store_db: dict[str, Any]) -> None:
    """Each pool thread has its own store (SQLite connections are not to be shared
    between threads). The store dependency used to be resolved in one pool thread
    and used by the endpoint in another, so under concurrent requests two threads
    could work on one connection."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from communique.service.data import StoreProvider
    from communique.store import Store

    strangers: list[str] = []

    class Owned:
        def __init__(self, store: Any) -> None:
            self._store = store
            self._owner = threading.get_ident()

        def __getattr__(self, name: str) -> Any:
            if threading.get_ident() != self._owner:
                strangers.append(name)
            return getattr(self._store, name)

    app = create_app(store_db["db"])
    provider = StoreProvider(store_db["db"], lambda db: Owned(Store.open(db)))
    app.state.stores = provider
    try:
        with TestClient(app) as c, ThreadPoolExecutor(8) as pool:

            def ask(i: int) -> int:
                path = "/api/v1/search" if i % 2 else "/api/v1/health"
                return c.get(path, params={"q": "terrorism"}).status_code

            codes = list(pool.map(ask, range(240)))
            serving = list(strangers)
    finally:
        provider.close()  # from this thread: closing at shutdown is not a use
    assert set(codes) == {200}
    assert serving == []


def test_search_returns_hits_groups_and_facets(client: TestClient, ids: dict[str, int]) -> None:
    r = client.get("/api/v1/search", params={"q": "terrorism", "limit": 10})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "terrorism"
    assert body["total"] >= len(body["hits"]) > 0
    assert len(body["hits"]) <= 10
    for hit in body["hits"]:
        assert "<mark>" in hit["snippet"]
        assert hit["language"] == "en"
    grouped = [h["sentence_index"] for g in body["groups"] for h in g["hits"]]
    assert sorted(grouped) == sorted(h["sentence_index"] for h in body["hits"])
    assert set(body["facets"]) >= {"organization", "body", "type", "language", "year"}
    assert body["facets"]["language"] == {"en": body["total_documents"]}
    # a hit's span and sentence are the stored document's own
    hit = body["hits"][0]
    doc = client.get(f"/api/v1/documents/{hit['document_id']}").json()
    assert doc["text"][hit["start"] : hit["end"]] == hit["sentence"]


def test_search_filters_by_language_and_date(client: TestClient) -> None:
    zh = client.get("/api/v1/search", params={"q": "上海合作组织", "lang": "zh"}).json()
    assert zh["hits"] and {h["language"] for h in zh["hits"]} == {"zh"}
    ru = client.get("/api/v1/search", params={"q": "опреснение"}).json()
    assert ru["hits"] and ru["hits"][0]["file"] == "xss_ru.txt"
    year = client.get("/api/v1/search", params={"q": "Organization", "from": "2005", "to": "2005"})
    hits = year.json()["hits"]
    assert hits and all(h["date"].startswith("2005") for h in hits)


def test_search_limit_is_clamped_and_offset_pages(client: TestClient) -> None:
    big = client.get("/api/v1/search", params={"q": "Organization", "limit": 5000}).json()
    assert big["limit"] == 100 and len(big["hits"]) <= 100
    first = client.get("/api/v1/search", params={"q": "Organization", "limit": 3}).json()
    second = client.get("/api/v1/search", params={"q": "Organization", "limit": 3, "offset": 3})
    assert second.status_code == 200
    seen = {(h["document_id"], h["sentence_index"]) for h in first["hits"]}
    assert not seen & {(h["document_id"], h["sentence_index"]) for h in second.json()["hits"]}


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "*",
        "NEAR(",
        ")",
        "'",
        '"terror*',
        "NEAR(terrorism security, 5)",
        "a OR",
        "AND",
        "-",
        "^x",
        "col:x",
        "''",
    ],
)
def test_fts_syntax_is_taken_literally(client: TestClient, q: str) -> None:
    r = client.get("/api/v1/search", params={"q": q})
    assert r.status_code == 200, r.text
    assert isinstance(r.json()["hits"], list)


def test_bad_search_parameters_are_422_json(client: TestClient) -> None:
    assert "from" in _assert_error(client.get("/api/v1/search?q=x&from=yesterday"), 422)
    _assert_error(client.get("/api/v1/search?q=x&to=2003-13"), 422)
    _assert_error(client.get("/api/v1/search?q=x&limit=many"), 422)
    _assert_error(client.get("/api/v1/search?q=x&offset=-1"), 422)
    _assert_error(client.get("/api/v1/search"), 422)
    _assert_error(client.get("/api/v1/search?q=%20"), 422)


def test_documents_list_filters_sorts_and_pages(client: TestClient) -> None:
    body = client.get("/api/v1/documents").json()
    assert body["total"] == body["count"] == len(SEEDS) + len(OWN_DOCS)
    dates = [d["date"] for d in body["documents"] if d["date"]]
    assert dates == sorted(dates, reverse=True)  # newest first by default
    oldest = client.get("/api/v1/documents", params={"sort": "date", "limit": 1}).json()
    assert oldest["documents"][0]["date"] == min(dates)
    zh = client.get("/api/v1/documents", params={"lang": "zh"}).json()
    assert zh["total"] == len(zh["documents"]) >= 2
    assert {d["language"] for d in zh["documents"]} == {"zh"}
    paged = client.get("/api/v1/documents", params={"limit": 2, "offset": 2}).json()
    assert [d["id"] for d in paged["documents"]] == [d["id"] for d in body["documents"][2:4]]
    assert client.get("/api/v1/documents", params={"limit": 999}).json()["limit"] == 100
    _assert_error(client.get("/api/v1/documents?sort=colour"), 422)


def test_document_detail_spans_are_exact(client: TestClient, ids: dict[str, int]) -> None:
    for name, doc_id in ids.items():
        doc = client.get(f"/api/v1/documents/{doc_id}").json()
        text = doc["text"]
        assert doc["name"] == name and doc["sentences"] and doc["paragraphs"]
        for s in doc["sentences"]:
            assert text[s["start"] : s["end"]] == s["text"]
        for m in doc["mentions"]:
            if m["start"] >= 0:
                assert text[m["start"] : m["end"]] == m["surface"], m
        assert doc["record"]["file"] == name
    seed = client.get(f"/api/v1/documents/{ids[SEEDS[0].name]}").json()
    assert {"state", "date"} <= {m["kind"] for m in seed["mentions"]}


def test_unknown_things_are_404_json(client: TestClient) -> None:
    assert "999999" in _assert_error(client.get("/api/v1/documents/999999"), 404)
    _assert_error(client.get("/api/v1/documents/abc"), 422)
    _assert_error(client.get("/api/v1/nothing-here"), 404)


def test_a_failing_store_is_a_500_without_a_traceback(tmp_path: Path) -> None:
    # a directory cannot be opened as a database: every request fails inside the store
    with TestClient(create_app(tmp_path), raise_server_exceptions=False) as broken:
        error = _assert_error(broken.get("/api/v1/health"), 500)
        assert "sqlite" not in error.lower()
        page = broken.get("/")
        assert page.status_code == 500 and "text/html" in page.headers["content-type"]
        assert "Traceback" not in page.text


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {
        "/api/v1/search",
        "/api/v1/documents",
        "/api/v1/documents/{doc_id}",
        "/api/v1/health",
    } <= set(spec["paths"])
    assert "/" not in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    for path in spec["paths"]:
        assert html.escape(path) in docs.text
    assert "<script" not in docs.text  # rendered here, nothing loaded from a CDN


# --------------------------------------------------------------------- pages


def test_search_page_groups_hits_with_marks_and_links(client: TestClient) -> None:
    r = client.get("/", params={"q": "terrorism"})
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    page = r.text
    assert "<mark>" in page
    assert re.search(r'href="/documents/\d+#s\d+"', page)
    assert 'class="result"' in page
    assert 'href="/?q=terrorism&amp;lang=en"' in page  # a facet is a link that filters
    filtered = client.get("/", params={"q": "terrorism", "from": "2005", "to": "2005"}).text
    assert filtered.count('class="result"') < page.count('class="result"')


def test_empty_query_lists_documents_newest_first(client: TestClient) -> None:
    listed = client.get("/api/v1/documents").json()["documents"]
    page = client.get("/").text
    positions = [page.index(f'href="/documents/{d["id"]}"') for d in listed]
    assert positions == sorted(positions)
    assert f"<strong>{len(listed)}</strong> documents" in page
    zh_only = client.get("/", params={"lang": "zh"}).text
    assert zh_only.count('class="doc"') == sum(d["language"] == "zh" for d in listed)


def test_search_page_survives_odd_input(client: TestClient) -> None:
    for params in (
        {"q": 'NEAR("'},
        {"q": "x", "from": "soon"},
        {"q": "x", "page": "-3"},
        {"page": "z"},
    ):
        r = client.get("/", params=params)
        assert r.status_code == 200, params
    assert "Date filter ignored" in client.get("/", params={"q": "x", "from": "soon"}).text


def test_document_page_highlights_mentions_with_anchors(
    client: TestClient, ids: dict[str, int]
) -> None:
    doc_id = ids[SEEDS[0].name]
    doc = client.get(f"/api/v1/documents/{doc_id}").json()
    page = client.get(f"/documents/{doc_id}").text
    assert re.search(r'<mark class="m m-state" title="State: [A-Z]{2}', page)
    assert '<mark class="m m-date" title="Date: ' in page
    for s in doc["sentences"]:
        assert page.count(f'id="s{s["index"]}"') == 1
    for label in ("State", "Person", "Date", "Commitment"):
        assert f">{label}</span>" in page  # the legend
    assert html.escape(doc["name"]) in page
    _TextCheck.balanced(page)


def test_reader_text_is_the_stored_text(client: TestClient, ids: dict[str, int]) -> None:
    for doc_id in ids.values():
        doc = client.get(f"/api/v1/documents/{doc_id}").json()
        shown = _TextCheck.reader_text(client.get(f"/documents/{doc_id}").text)
        expected = [
            doc["text"][p["start"] : p["end"]].strip()
            for p in doc["paragraphs"]
            if doc["text"][p["start"] : p["end"]].strip()
        ]
        assert shown == expected


def test_document_page_404_is_html(client: TestClient) -> None:
    for path in ("/documents/999999", "/documents/abc", "/nowhere"):
        r = client.get(path)
        assert r.status_code == 404 and "text/html" in r.headers["content-type"]
        assert "Not found" in r.text


def test_static_css_is_local(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    page = client.get("/").text
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


# --------------------------------------------------------------------- escaping


@pytest.mark.parametrize("name", sorted(OWN_DOCS))
def test_markup_in_documents_is_shown_escaped_everywhere(
    client: TestClient, ids: dict[str, int], name: str
) -> None:
    doc_id = ids[name]
    word = {"xss_en.txt": "desalination", "xss_zh.txt": "淡化", "xss_ru.txt": "опреснение"}[name]
    hits = client.get("/api/v1/search", params={"q": word}).json()["hits"]
    assert hits and hits[0]["document_id"] == doc_id
    assert "&lt;img src=x onerror=alert(2)&gt;" in hits[0]["snippet"]
    pages = {
        "search": client.get("/", params={"q": word}).text,
        "script search": client.get("/", params={"q": "script alert"}).text,
        "browse": client.get("/").text,
        "reader": client.get(f"/documents/{doc_id}").text,
    }
    for where, page in pages.items():
        for payload in (SCRIPT, IMG, BOLD, "<a href=javascript"):
            assert payload not in page, (where, payload)
        assert "<script" not in page.lower(), where
        assert not re.search(r"<(img|b|a)\s+(src=x|onmouseover|href=javascript)", page), where
    assert html.escape(IMG, quote=False) in pages["search"] or html.escape(IMG) in pages["search"]
    assert html.escape(SCRIPT, quote=False) in pages["reader"]
    assert html.escape(IMG, quote=False) in pages["reader"]


# --------------------------------------------------------------------- without a store


def test_snippet_keeps_marks_and_neutralizes_tags() -> None:
    escaped = "a &lt;b&gt; &amp; <mark>word</mark> &quot;q&quot;"
    assert str(safe_snippet(escaped)) == escaped
    raw = "x <img src=y onerror=z> <mark>hit</mark> </mark><script>"
    out = str(safe_snippet(raw))
    assert "<img" not in out and "<script" not in out
    assert out.count("<mark>") == 1 and "&lt;img src=y onerror=z&gt;" in out


def _detail(
    text: str, sentences: list[tuple[int, int]], mentions: list[tuple[str, str, int, int]]
) -> DocumentDetail:
    return DocumentDetail(
        id=1,
        text=text,
        paragraphs=[{"index": 0, "start": 0, "end": len(text)}],
        sentences=[
            SentenceOut(index=i, start=s, end=e, text=text[s:e])
            for i, (s, e) in enumerate(sentences)
        ],
        mentions=[
            MentionOut(kind=k, value=v, start=s, end=e, surface=text[s:e], sentence=0)
            for k, v, s, e in mentions
        ],
    )


def test_renderer_nests_crossing_spans_and_escapes() -> None:
    text = "The <Treaty> of Kazakhstan & China, 2002. Next one."
    treaty = text.index("<Treaty> of Kazakhstan")
    kz = text.index("Kazakhstan")
    cn = text.index("China")
    first_end = text.index(" Next")
    detail = _detail(
        text,
        [(0, first_end), (first_end + 1, len(text))],
        [
            ("instrument", "Treaty", treaty, kz + len("Kazakhstan")),
            ("state", "KZ", kz, kz + len("Kazakhstan")),
            # crosses the instrument's end and the first sentence's end
            ("organization", "X", cn, first_end + 5),
            ("state", "CN", cn, cn + len("China")),
            ("meta", "x", -1, -1),
        ],
    )
    (para,) = render_paragraphs(detail)
    out = str(para.html)
    _TextCheck.balanced(out)
    assert _TextCheck.plain(out) == text
    assert "&lt;Treaty&gt;" in out and "&amp;" in out
    assert out.count('id="s0"') == 1 and out.count('id="s1"') == 1
    assert 'title="State: KZ · Kazakhstan"' in out
    # the organization span is cut at the sentence boundary and reopened inside the next one
    assert out.count('class="m m-org"') == 2


def test_render_range_clips_to_the_range() -> None:
    text = "alpha beta gamma"
    spans = [Span(0, 10, "state", "State: XX"), Span(6, 16, "date", "Date: 2001")]
    out = str(render_range(text, 6, 16, spans))
    assert _TextCheck.plain(out) == "beta gamma"
    _TextCheck.balanced(out)


class _TextCheck(HTMLParser):
    """Tag balance and the plain text of rendered HTML."""

    VOID: ClassVar[set[str]] = {"meta", "link", "input", "br", "img", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.paragraphs: list[str] = []
        self._in_text = 0
        self._para: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag == "div" and ("class", "text") in attrs:
            self._in_text = len(self.stack)
        if self._in_text and tag == "p" and len(self.stack) == self._in_text + 1:
            self._para = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
        if (
            self._in_text
            and tag == "p"
            and len(self.stack) == self._in_text + 1
            and self._para is not None
        ):
            self.paragraphs.append("".join(self._para))
            self._para = None
        if self._in_text and len(self.stack) == self._in_text:
            self._in_text = 0
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._para is not None:
            self._para.append(data)

    @classmethod
    def _fed(cls, markup: str) -> _TextCheck:
        parser = cls()
        parser.feed(markup)
        parser.close()
        return parser

    @classmethod
    def balanced(cls, markup: str) -> None:
        assert cls._fed(markup).stack == []

    @classmethod
    def plain(cls, markup: str) -> str:
        return "".join(cls._fed(markup).text)

    @classmethod
    def reader_text(cls, page: str) -> list[str]:
        return cls._fed(page).paragraphs
