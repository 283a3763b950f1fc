"""The JSON API over the linked knowledge and the writes, on a real store of the five seeds.

Every source a response names must be the sentence it claims: the test opens the
document by the ``document_id`` given and compares the sentence at the index.
Writes are tested with tokens made by :mod:`communique.auth`, and documents
of the genre written here (English, Chinese, Russian).
"""

from __future__ import annotations

import csv
import io
import json
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from communique.auth import create_token, revoke_token
from communique.service import create_app
from communique.service.charts import bar_chart, small_multiples
from communique.service.pages_link import aligned_rows
from conftest import copy_store, new_db

SEEDS = sorted(
    (Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "seeds").glob("*.txt")
)

OWN = {
    "cmfa_2019_en.txt": """PRESS RELEASE

On 14 March 2019, a meeting of the Council of Ministers of Foreign Affairs of the Shanghai Cooperation Organization Member States was held in Bishkek.

The ministers agreed to prepare a draft programme of cooperation in tourism before the end of 2020.
""",
    "cmfa_2019_zh.txt": """新闻公报

2019年3月14日，上海合作组织成员国外交部长理事会会议在比什凯克举行。

部长们商定于2020年底前制定旅游合作纲要草案。
""",
    "cmfa_2019_ru.txt": """ИНФОРМАЦИОННОЕ СООБЩЕНИЕ

14 марта 2019 года в Бишкеке состоялось заседание Совета министров иностранных дел государств-членов Шанхайской организации сотрудничества.

Министры договорились до конца 2020 года подготовить проект программы сотрудничества в области туризма.
""",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SEEDS:
        pytest.skip("../shared/corpus/seeds not present")
    from communique.store import Store

    db = new_db(tmp_path_factory.mktemp("api"), "seeds.db")
    with Store.open(db) as store:
        report = store.ingest(SEEDS)
        assert not report.failed
        from communique.link import ensure_built

        ensure_built(store)
    return db


@pytest.fixture(scope="module")
def client(seeded: Path) -> Iterator[TestClient]:
    with TestClient(create_app(seeded)) as c:
        yield c


@pytest.fixture
def writable(seeded: Path, tmp_path: Path) -> Path:
    return copy_store(seeded, new_db(tmp_path, "w.db"))


def _token(db: Path, name: str = "test") -> str:
    from communique.store import Store

    with Store.open(db) as store:
        return create_token(store.conn, name)[1]


def _sentence(client: TestClient, doc_id: int, index: int, cache: dict[int, Any]) -> str:
    if doc_id not in cache:
        r = client.get(f"/api/v1/documents/{doc_id}")
        assert r.status_code == 200
        cache[doc_id] = {s["index"]: s for s in r.json()["sentences"]}
    return cache[doc_id][index]["text"]


def _check_sources(client: TestClient, sources: list[dict[str, Any]], cache: dict[int, Any]) -> int:
    n = 0
    for s in sources:
        assert isinstance(s["document_id"], int), s
        if s.get("sentence_index") is None or s["sentence_index"] < 0:
            continue
        assert _sentence(client, s["document_id"], s["sentence_index"], cache) == s["sentence"]
        n += 1
    return n


# --------------------------------------------------------------------- reading


def test_document_lists_its_versions_and_alignment(client: TestClient) -> None:
    docs = {d["name"][:3]: d["id"] for d in client.get("/api/v1/documents").json()["documents"]}
    en, zh = docs["000"], docs["003"]
    d = client.get(f"/api/v1/documents/{en}").json()
    assert [v["id"] for v in d["versions"]] == [zh]
    assert d["versions"][0]["language"] == "zh"
    assert d["alignment"] is None
    a = client.get(f"/api/v1/documents/{en}/alignment/{zh}").json()
    assert len(a["links"]) > 20
    n_en = len(d["sentences"])
    assert all(0 <= i < n_en for link in a["links"] for i in link["source"])
    with_ = client.get(f"/api/v1/documents/{en}?with={zh}").json()
    assert with_["alignment"] == a["links"]
    # a document that is no version of it: 404, in JSON
    other = docs["001"]
    r = client.get(f"/api/v1/documents/{en}/alignment/{other}")
    assert r.status_code == 404 and "not a language version" in r.json()["error"]


def test_entities_list_filter_and_detail(client: TestClient) -> None:
    every = client.get("/api/v1/entities").json()
    kinds = {e["kind"] for e in every["entities"]}
    assert {"state", "organization", "person", "instrument", "issue"} <= kinds
    states = client.get("/api/v1/entities?kind=state").json()["entities"]
    assert states and all(e["kind"] == "state" for e in states)
    # a name in another script finds the entity
    found = client.get("/api/v1/entities", params={"q": "哈萨克斯坦"}).json()["entities"]
    assert [e["id"] for e in found] == ["KZ"]
    assert client.get("/api/v1/entities?kind=planet").status_code == 422

    kz = client.get("/api/v1/entities/KZ").json()
    assert kz["names"]["en"][0] == "Kazakhstan"
    assert "哈萨克斯坦" in kz["names"]["zh"] and "Казахстан" in kz["names"]["ru"]
    assert sum(kz["mentions_by_year"].values()) == kz["mention_count"] > 0
    assert any(f["predicate"] == "member" and f["object"] == "SCO" for f in kz["facts"])
    cache: dict[int, Any] = {}
    assert _check_sources(client, kz["mentions"], cache) == len(kz["mentions"])
    for m in kz["mentions"]:
        text = client.get(f"/api/v1/documents/{m['document_id']}").json()["text"]
        assert text[m["span"][0] : m["span"][1]] == m["surface"]


def test_person_entity_joins_scripts(client: TestClient) -> None:
    persons = client.get("/api/v1/entities?kind=person&q=Tang").json()["entities"]
    assert persons, "Tang Jiaxuan is among the participants of 2002"
    tang = client.get(f"/api/v1/entities/{persons[0]['id']}").json()
    assert "唐家璇" in tang["names"].get("zh", [])
    assert client.get("/api/v1/entities/person:nobody|x").status_code == 404


def test_facts_filters_and_sources(client: TestClient) -> None:
    every = client.get("/api/v1/facts").json()
    assert every["count"] == len(every["facts"]) > 10
    members = client.get("/api/v1/facts?predicate=member&at=2003-05-29").json()["facts"]
    assert {f["subject"] for f in members} >= {"CN", "KZ", "KG", "RU", "TJ", "UZ"}
    cache: dict[int, Any] = {}
    assert _check_sources(client, [s for f in members for s in f["sources"]], cache) > 0
    rats = client.get("/api/v1/facts?subject=RATS").json()["facts"]
    assert rats and {f["subject"] for f in rats} == {"RATS"}
    assert client.get("/api/v1/facts?at=yesterday").status_code == 422


def test_organization_at_a_date(client: TestClient) -> None:
    r = client.get("/api/v1/at/2003-05-29?organization=SCO")
    assert r.status_code == 200
    state = r.json()
    assert state["date"] == "2003-05-29" and state["organization"] == "SCO"
    assert len(state["members"]) == 6
    assert any(s["subject"] == "SECRETARIAT" and s["object"] == "Beijing" for s in state["seats"])
    # a year is its first day; the organization's code in any case
    assert client.get("/api/v1/at/2003?organization=sco").json()["date"] == "2003-01-01"
    for bad in ("2003-02-30", "2003-13", "soon", "20030529"):
        r = client.get(f"/api/v1/at/{bad}")
        assert r.status_code == 422 and r.json()["error"].startswith("date"), bad


def test_commitments_status_and_evidence(client: TestClient) -> None:
    every = client.get("/api/v1/commitments").json()
    assert every["count"] == len(every["commitments"]) > 0
    assert sum(every["statuses"].values()) == every["count"]
    cache: dict[int, Any] = {}
    with_evidence = [c for c in every["commitments"] if c["evidence"]]
    assert with_evidence
    for c in with_evidence:
        # both sentences: the commitment and its evidence, each with file and span
        assert _sentence(client, c["document_id"], c["sentence_index"], cache) == c["sentence"]
        assert _check_sources(client, c["evidence"], cache) == len(c["evidence"])
        assert all(len(e["span"]) == 2 and e["file"] for e in c["evidence"])
    for status, n in every["statuses"].items():
        page = client.get(f"/api/v1/commitments?status={status}").json()
        assert page["count"] == n and all(c["status"] == status for c in page["commitments"])
    assert client.get("/api/v1/commitments?status=forgotten").status_code == 422


def test_positions_meetings_and_issue_stats(client: TestClient) -> None:
    pos = client.get("/api/v1/positions/terrorism").json()
    assert pos["issue"] == "TERRORISM" and pos["name"]
    dates = [g["date"] for g in pos["groups"]]
    assert dates == sorted(dates) and len(dates) >= 3
    first = pos["groups"][0]
    assert {v["language"] for v in first["versions"]} == {"en", "zh"}
    assert all(isinstance(v["document_id"], int) for g in pos["groups"] for v in g["versions"])
    assert client.get("/api/v1/positions/NOT_AN_ISSUE").status_code == 404

    meetings = client.get("/api/v1/meetings").json()["meetings"]
    assert [m["date"] for m in meetings] == sorted(m["date"] for m in meetings)
    first_meeting = meetings[0]
    assert first_meeting["body"] == "CMFA" and first_meeting["place"] == "Moscow"
    assert {s["language"] for s in first_meeting["sources"]} == {"en", "zh"}

    stats = client.get("/api/v1/issues/stats").json()
    assert stats["years"] == sorted(stats["years"])
    terror = next(r for r in stats["issues"] if r["issue"] == "TERRORISM")
    assert terror["total"] == sum(terror["by_year"].values()) > 0
    issues = client.get("/api/v1/issues").json()["issues"]
    assert any(i["code"] == "TERRORISM" and i["documents"] >= 3 for i in issues)


def test_exports_stream_every_format(client: TestClient) -> None:
    r = client.get("/api/v1/export/jsonl")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in r.text.splitlines()]
    assert {rec["record"] for rec in records} == {"fact", "commitment"}

    z = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/export/csv").content))
    assert sorted(z.namelist()) == ["commitments.csv", "facts.csv"]
    facts_csv = client.get("/api/v1/export/csv?table=facts")
    assert facts_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(facts_csv.text)))
    assert rows and "subject" in rows[0]
    assert client.get("/api/v1/export/jsonl?table=facts").status_code == 422

    popolo = client.get("/api/v1/export/popolo").json()
    assert {"persons", "organizations", "memberships"} <= set(popolo)

    from communique.export import check_akn

    akn = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/export/akn").content))
    assert len(akn.namelist()) == 5
    one = client.get("/api/v1/documents/1/akn")
    assert one.headers["content-type"].startswith("application/akn+xml")
    assert check_akn(one.content) == []
    assert client.get("/api/v1/documents/999/akn").status_code == 404
    r = client.get("/api/v1/export/xlsx")
    assert r.status_code == 404 and "jsonl" in r.json()["error"]


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {
        "/api/v1/entities",
        "/api/v1/entities/{entity_id}",
        "/api/v1/facts",
        "/api/v1/at/{date}",
        "/api/v1/commitments",
        "/api/v1/positions/{issue}",
        "/api/v1/meetings",
        "/api/v1/issues/stats",
        "/api/v1/export/{fmt}",
        "/api/v1/documents/{doc_id}/akn",
        "/api/v1/documents/{doc_id}/alignment/{other_id}",
        "/api/v1/documents/{doc_id}/reextract",
    } <= paths
    page = client.get("/docs").text
    for path in (
        "/api/v1/commitments",
        "/api/v1/export/{fmt}",
        "/api/v1/documents/{doc_id}/reextract",
    ):
        assert path in page


def test_cors_is_off_by_default(client: TestClient, seeded: Path) -> None:
    r = client.get("/api/v1/health", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers
    with TestClient(create_app(seeded, cors_origins=["https://tool.example"])) as c:
        r = c.get("/api/v1/health", headers={"Origin": "https://tool.example"})
        assert r.headers["access-control-allow-origin"] == "https://tool.example"


# --------------------------------------------------------------------- writes


def _files(*names: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (n, OWN[n].encode("utf-8"), "text/plain")) for n in names]


def test_writes_need_a_token(writable: Path) -> None:
    with TestClient(create_app(writable)) as c:
        for method, url in (
            ("post", "/api/v1/documents"),
            ("delete", "/api/v1/documents/1"),
            ("post", "/api/v1/documents/1/reextract"),
        ):
            r = c.request(method.upper(), url)
            assert r.status_code == 401, url
            assert r.headers["www-authenticate"].startswith("Bearer")
            assert "token" in r.json()["error"]
            r = c.request(method.upper(), url, headers={"Authorization": "Bearer cq_nope"})
            assert r.status_code == 401 and r.json() == {"error": "invalid or revoked API token"}
        assert c.get("/api/v1/documents/1").status_code == 200


def test_upload_stores_each_file_with_its_result(writable: Path, tmp_path: Path) -> None:
    token = _token(writable)
    auth = {"Authorization": f"Bearer {token}"}
    folder = tmp_path / "uploads"
    with TestClient(create_app(writable, upload_folder=folder)) as c:
        files = [
            *_files("cmfa_2019_en.txt", "cmfa_2019_zh.txt", "cmfa_2019_ru.txt"),
            ("files", ("virus.exe", b"MZ", "application/octet-stream")),
            ("files", ("empty.txt", b"", "text/plain")),
        ]
        r = c.post("/api/v1/documents", files=files, headers=auth)
        assert r.status_code == 200, r.text
        body = r.json()
        by_name = {x["file"]: x for x in body["results"]}
        assert [by_name[n]["status"] for n in OWN] == ["stored"] * 3
        assert (
            by_name["virus.exe"]["status"] == "failed"
            and "not accepted" in by_name["virus.exe"]["reason"]
        )
        assert by_name["empty.txt"]["status"] == "failed" and by_name["empty.txt"]["reason"]
        assert body["counts"] == {"stored": 3, "unchanged": 0, "failed": 2}
        zh = c.get(f"/api/v1/documents/{by_name['cmfa_2019_zh.txt']['document_id']}").json()
        assert zh["language"] == "zh" and "比什凯克" in zh["text"]
        # the stored files stay (re-extraction reads them); refused files leave nothing
        kept = sorted(p.name for p in folder.rglob("*") if p.is_file())
        assert kept == sorted(OWN)
        again = c.post("/api/v1/documents", files=_files("cmfa_2019_en.txt"), headers=auth).json()
        assert again["results"][0]["status"] == "unchanged"
        assert again["results"][0]["document_id"] == by_name["cmfa_2019_en.txt"]["document_id"]
        assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == sorted(OWN)
        # the new meeting is in the linked knowledge at once
        dates = [m["date"] for m in c.get("/api/v1/meetings").json()["meetings"]]
        assert "2019-03-14" in dates


def test_upload_refusals_are_413_and_415(writable: Path, tmp_path: Path) -> None:
    auth = {"Authorization": f"Bearer {_token(writable)}"}
    app = create_app(
        writable, upload_folder=tmp_path / "u", max_file_bytes=200, max_request_bytes=5000
    )
    with TestClient(app) as c:
        r = c.post("/api/v1/documents", files=_files("cmfa_2019_ru.txt"), headers=auth)
        assert r.status_code == 413
        assert r.json()["results"][0]["reason"].startswith("file too large")
        r = c.post(
            "/api/v1/documents",
            files=[
                ("files", ("a.exe", b"x", "application/x-msdownload")),
                ("files", ("b", b"y", "text/plain")),
            ],
            headers=auth,
        )
        assert r.status_code == 415 and r.json()["counts"]["failed"] == 2
        big = [("files", ("big.txt", b"x" * 6000, "text/plain"))]
        r = c.post("/api/v1/documents", files=big, headers=auth)
        assert r.status_code == 413 and "too large" in r.json()["error"]
        r = c.post("/api/v1/documents", data={"note": "no file"}, headers=auth)
        assert r.status_code == 422 and "no file" in r.json()["error"]
        # the size limit holds without a token too, before anything is read
        r = c.post("/api/v1/documents", files=big)
        assert r.status_code == 413


def test_failed_tokens_are_rate_limited_per_client(writable: Path) -> None:
    good = _token(writable)
    with TestClient(create_app(writable, auth_failures=3, auth_window=60)) as c:
        bad = {"Authorization": "Bearer cq_0123456789ab_" + "A" * 43}
        codes = [c.delete("/api/v1/documents/1", headers=bad).status_code for _ in range(4)]
        assert codes == [401, 401, 401, 429]
        r = c.delete("/api/v1/documents/1", headers={"Authorization": f"Bearer {good}"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        assert c.get("/api/v1/documents/1").status_code == 200


def test_delete_and_reextract(writable: Path, tmp_path: Path) -> None:
    token = _token(writable)
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(writable, upload_folder=tmp_path / "u")) as c:
        up = c.post("/api/v1/documents", files=_files("cmfa_2019_en.txt"), headers=auth).json()
        doc_id = up["results"][0]["document_id"]
        r = c.post(f"/api/v1/documents/{doc_id}/reextract", headers=auth)
        assert r.status_code == 200, r.text
        new_id = r.json()["document_id"]
        assert r.json() == {"document_id": new_id, "previous_id": doc_id, "status": "reextracted"}
        # stored anew: one document for the file, whatever its id now
        names = [d["name"] for d in c.get("/api/v1/documents?limit=100").json()["documents"]]
        assert names.count("cmfa_2019_en.txt") == 1
        assert "Bishkek" in c.get(f"/api/v1/documents/{new_id}").json()["text"]
        # the seeds were ingested from ../shared: a copy of the store cannot reach a moved source
        assert c.delete(f"/api/v1/documents/{new_id}", headers=auth).json() == {"deleted": new_id}
        assert c.get(f"/api/v1/documents/{new_id}").status_code == 404
        assert c.delete(f"/api/v1/documents/{new_id}", headers=auth).status_code == 404
        assert not list((tmp_path / "u").rglob("*.txt"))
        assert c.post("/api/v1/documents/424242/reextract", headers=auth).status_code == 404


def test_reextract_of_a_vanished_source_is_409(writable: Path, tmp_path: Path) -> None:
    token = _token(writable)
    auth = {"Authorization": f"Bearer {token}"}
    folder = tmp_path / "u"
    with TestClient(create_app(writable, upload_folder=folder)) as c:
        up = c.post("/api/v1/documents", files=_files("cmfa_2019_ru.txt"), headers=auth).json()
        for f in folder.rglob("*.txt"):
            f.unlink()
        r = c.post(f"/api/v1/documents/{up['results'][0]['document_id']}/reextract", headers=auth)
        assert r.status_code == 409 and "no longer" in r.json()["error"]


def test_a_revoked_token_stops_working(writable: Path) -> None:
    from communique.store import Store

    token = _token(writable, "to revoke")
    with TestClient(create_app(writable)) as c:
        auth = {"Authorization": f"Bearer {token}"}
        assert c.delete("/api/v1/documents/424242", headers=auth).status_code == 404
        with Store.open(writable) as store:
            assert revoke_token(store.conn, token.split("_")[1]) is not None
        assert c.delete("/api/v1/documents/424242", headers=auth).status_code == 401


def test_upload_page_plain_form(writable: Path, tmp_path: Path) -> None:
    token = _token(writable)
    with TestClient(create_app(writable, upload_folder=tmp_path / "u")) as c:
        page = c.get("/upload")
        assert page.status_code == 200 and 'type="file"' in page.text
        r = c.post("/upload", data={"token": "wrong"}, files=_files("cmfa_2019_zh.txt"))
        assert r.status_code == 401 and "invalid or revoked" in r.text
        assert not list((tmp_path / "u").rglob("*.txt"))
        r = c.post("/upload", data={"token": token}, files=_files("cmfa_2019_zh.txt"))
        assert r.status_code == 200
        assert 'class="pill st-stored"' in r.text and "/documents/" in r.text


# --------------------------------------------------------------------- pages


def test_every_page_renders_and_links_to_sentences(client: TestClient) -> None:
    import re

    for url in (
        "/entities",
        "/entities?kind=person",
        "/entities/KZ",
        "/entities/SCO",
        "/at?date=2005-07-05",
        "/at?date=not-a-date",
        "/commitments",
        "/commitments?status=overdue",
        "/positions?issue=AFGHANISTAN",
        "/positions",
        "/meetings",
        "/upload",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        assert 'href="/commitments"' in r.text and 'href="/meetings"' in r.text, url
    at = client.get("/at?date=2005-07-05").text
    assert re.search(r'href="/documents/\d+#s\d+"', at)
    assert "<svg" in client.get("/entities/SCO").text
    assert client.get("/entities/NOWHERE").status_code == 404
    assert client.get("/positions?issue=NOWHERE").status_code == 404


def test_reader_links_values_and_offers_the_parallel_reader(client: TestClient) -> None:
    docs = {d["name"][:3]: d["id"] for d in client.get("/api/v1/documents").json()["documents"]}
    page = client.get(f"/documents/{docs['000']}").text
    assert f'href="/documents/{docs["000"]}/parallel/{docs["003"]}"' in page
    assert '<a class="m m-state" href="/entities/KZ"' in page
    assert 'href="/entities/person:' in page
    par = client.get(f"/documents/{docs['000']}/parallel/{docs['003']}")
    assert par.status_code == 200 and par.text.count('class="pl-row') > 20
    assert client.get(f"/documents/{docs['000']}/parallel/{docs['001']}").status_code == 404


def test_aligned_rows_keep_both_orders() -> None:
    left = ["a0", "a1", "a2", "a3"]
    right = ["b0", "b1", "b2"]
    rows = aligned_rows(left, right, [([0, 1], [0]), ([3], [2])])
    assert [([i for i, _ in r["left"]], [j for j, _ in r["right"]]) for r in rows] == [
        ([0, 1], [0]),
        ([2], []),
        ([], [1]),
        ([3], [2]),
    ]
    assert [r["linked"] for r in rows] == [True, False, False, True]
    # links out of range are dropped, every sentence still shows once
    rows = aligned_rows(left, right, [([9], [0])])
    assert sorted(i for r in rows for i, _ in r["left"]) == [0, 1, 2, 3]
    assert sorted(j for r in rows for j, _ in r["right"]) == [0, 1, 2]


def test_charts_are_plain_svg_with_gaps() -> None:
    svg = str(bar_chart({"2002": 3, "2005": 1}, label="x <y>"))
    assert svg.startswith("<svg") and svg.count("<rect") == 2
    assert ">2003<" in svg and ">2004<" in svg  # the axis runs through the gap years
    assert "x &lt;y&gt;" in svg and "<y>" not in svg
    assert str(bar_chart({}, label="none")) == ""
    multi = str(
        small_multiples(
            [("A", "a & b", {"2001": 2}), ("B", "b", {"2003": 1})], ["2001", "2003"], label="m"
        )
    )
    assert (
        multi.count("<rect") == 2 and "a &amp; b" in multi and 'href="/positions?issue=A"' in multi
    )


def test_search_groups_language_versions_and_searches_across(client: TestClient) -> None:
    docs = {d["name"][:3]: d["id"] for d in client.get("/api/v1/documents").json()["documents"]}
    en, zh = docs["000"], docs["003"]
    page = client.get("/", params={"q": "foreign ministers"}).text
    articles = page.split('<article class="result')[1:]
    lead = next(a for a in articles if f'href="/documents/{en}"' in a.split("</h2>")[0])
    # the Chinese version sits under its English text, with the side-by-side reader one click away
    assert f'href="/documents/{en}/parallel/{zh}"' in lead
    assert not any(f'href="/documents/{zh}"' in a.split("</h2>")[0] for a in articles)
    # an English query restricted to Chinese finds Chinese sentences, and says how
    r = client.get("/api/v1/search", params={"q": "terrorism", "lang": "zh", "cross": "true"})
    hits = r.json()["hits"]
    assert hits and {h["language"] for h in hits} == {"zh"}
    assert all(h["matched_via"] and h["matched_via"] != "query" for h in hits)
    off = client.get("/api/v1/search", params={"q": "terrorism", "lang": "zh", "cross": "false"})
    assert off.json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Afghanistan"},
        {"q": "terrorism separatism extremism", "limit": 3, "offset": 2},
        {"q": "Afghanistan Iraq"},  # falls back to OR
        {"q": "阿富汗", "lang": "en"},  # across languages
        {"q": "drug trafficking Afghanistan", "lang": "zh"},
        {"q": "nothing-of-the-kind"},
    ],
)
def test_search_payload_is_the_validated_response(seeded: Any, params: dict[str, Any]) -> None:
    """The endpoint's fast path gives exactly what validating through SearchResponse gives,
    and that validates against it."""
    from communique.service import data
    from communique.service.models import SearchResponse
    from communique.store import Store

    limit, offset = int(params.get("limit", 20)), int(params.get("offset", 0))
    with Store.open(seeded) as store:
        result = store.search(params["q"], lang=params.get("lang"), limit=limit, offset=offset)
    fast = data.search_payload(result, limit=limit, offset=offset)
    slow = data.search_response(result, limit=limit, offset=offset).model_dump(mode="json")
    assert json.loads(json.dumps(fast)) == slow
    assert SearchResponse.model_validate(fast).model_dump(mode="json") == slow


@pytest.mark.parametrize("q", ["Afghanistan", "阿富汗"])
def test_search_answers_compact_utf8_json(client: TestClient, q: str) -> None:
    """The body is what ``json.dumps(ensure_ascii=False, separators=(",", ":"))`` writes:
    letters as UTF-8, not \\u escapes, and no spaces between items."""
    r = client.get("/api/v1/search", params={"q": q, "limit": 3})
    assert r.status_code == 200 and r.json()["total"] > 0
    expected = json.dumps(r.json(), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    assert r.content == expected.encode()


def test_search_echoes_an_offset_past_64_bits(client: TestClient) -> None:
    # orjson refuses such integers; the answer must not become a 500 for it.
    r = client.get("/api/v1/search", params={"q": "Afghanistan", "offset": 10**30})
    assert r.status_code == 200
    body = r.json()
    assert (body["offset"], body["hits"]) == (10**30, []) and body["total"] > 0
