"""Commitments over many documents: the evidence index against a query per promise,
the follow-ups kept until the store changes, and the page and API in pages; on
SQLite and, in the suite's second run, PostgreSQL."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from communique.link import ensure_built, followups
from communique.link import followup as fu
from communique.service import create_app, linked
from communique.service.pages_link import COMMITMENT_PAGE
from communique.store import Store
from conftest import bench_corpus, linked_store, new_db


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Any:
    s = linked_store(tmp_path_factory.mktemp("commitment-pages"), seeds_dir, 60, seed=12)
    yield s
    s.close()


def _query_per_promise(conn: Any, p: Any, keys: list[str]) -> dict[int, list[str]]:
    """What the follow-up once asked the database for each promise: the evidence rows
    under its keys, then each row's document, kept when later and of the promise's
    organization or of none."""
    under: dict[int, list[str]] = defaultdict(list)
    for key in keys:
        for (ev_id,) in conn.execute(
            "SELECT evidence FROM link_evidence_keys WHERE key = ?", (key,)
        ):
            under[ev_id].append(key)
    out: dict[int, list[str]] = {}
    for ev_id, found in under.items():
        date, org = conn.execute(
            "SELECT date, organization FROM documents WHERE id ="
            " (SELECT doc_id FROM link_evidence WHERE id = ?)",
            (ev_id,),
        ).fetchone()
        if date and date > p.date and not (p.organization and org and org != p.organization):
            out[ev_id] = sorted(found)
    return out


def test_the_evidence_index_finds_what_a_query_per_promise_finds(store: Store) -> None:
    conn = store.conn
    promises = [p for p in fu._promises(conn) if p.date]
    assert len(promises) > 300
    keys = sorted({k for p in promises for k in p.match_keys()})
    index = fu._EvidenceIndex(conn, keys)
    found = 0
    for p in promises:
        mine = list(dict.fromkeys(p.match_keys()))
        got = {i: sorted(k) for i, k in index.later(mine, p.date, p.organization).items()}
        reports = index.later(mine, p.date, p.organization, ("done", "progress"))
        assert {i for i in got if index.rows[i][0] in ("done", "progress")} == set(reports)
        assert got == _query_per_promise(conn, p, mine), (p.file, p.sentence_index)
        found += len(got)
    assert found > 5_000  # the index is exercised, not only empty answers compared


def test_scoring_only_evidence_past_the_gates_changes_no_follow_up(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Evidence that shares none of a promise's gate keys (a body, office, instrument,
    issue, kind of instrument or rare word) cannot pass the score: leaving it unscored
    must give the follow-ups of scoring every row under every key."""
    gated = [f.to_dict() for f in fu._all_followups(store)]
    assert sum(bool(f["evidence"]) for f in gated) > 0
    calls: list[int] = []
    gates = fu._gates

    def every_key(p: Any, keys: list[str], ctx: Any) -> list[str]:
        calls.append(len(keys) - len(gates(p, keys, ctx)))
        return keys

    monkeypatch.setattr(fu, "_gates", every_key)
    assert [f.to_dict() for f in fu._all_followups(store)] == gated
    assert sum(calls) > 1000  # the gates did leave keys out


def test_leaving_out_kinds_of_evidence_a_promise_cannot_use_changes_no_follow_up(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An instrument passes the score only for a promise to conclude or establish
    one, an office held only for a promise to establish or rename it: looking at
    reports alone for the other promises must give the follow-ups of looking at
    every kind of evidence for all."""
    kept = [f.to_dict() for f in fu._all_followups(store)]
    # offices and instruments still reach the promises that can use them
    assert {e["kind"] for f in kept for e in f["evidence"]} >= {"done", "instrument", "office"}
    narrowed: list[int] = []
    kinds = fu._kinds

    def every_kind(p: Any) -> tuple[str, ...]:
        narrowed.append(len(fu.EVIDENCE_KINDS) - len(kinds(p)))
        return fu.EVIDENCE_KINDS

    monkeypatch.setattr(fu, "_kinds", every_kind)
    assert [f.to_dict() for f in fu._all_followups(store)] == kept
    assert sum(map(bool, narrowed)) > len(narrowed) // 2  # most promises were narrowed


def test_follow_ups_are_kept_until_documents_are_linked_elsewhere(
    tmp_path: Path, seeds_dir: Path
) -> None:
    bench_corpus().generate(tmp_path / "more", 12, seed=13)
    db = new_db(tmp_path, "k.db")
    with Store.open(db) as page, Store.open(db) as ingest:
        assert ingest.ingest([seeds_dir]).ok
        ensure_built(ingest)
        before = followups(page, build=False)
        # On PostgreSQL a kept value is checked against the server's snapshot, which
        # the server's own work also moves (autovacuum's ANALYZE after a bulk insert):
        # the value is then computed anew, which is right but not what this checks.
        # Of a few calls on the unchanged store, some must find it kept.
        assert before and any(
            followups(page, build=False)[0] is followups(page, build=False)[0] for _ in range(5)
        )
        assert ingest.ingest([tmp_path / "more"]).ok
        ensure_built(ingest)
        after = followups(page, build=False)
        assert len(after) > len(before)
        fresh = fu._all_followups(page)  # computed anew, not kept
        assert [f.to_dict() for f in after] == [f.to_dict() for f in fresh]


def _rows(page: str) -> list[str]:
    """The commitment sentences of a page, in order, as the page shows them."""
    return re.findall(r'<summary lang="[a-z]+">(.*?) <span class="muted small">', page, re.S)


def test_the_commitments_page_and_api_come_in_pages(store: Store) -> None:
    client = TestClient(create_app(store.path))
    every = linked.commitments(store, by_deadline=True)
    soonest = sorted(followups(store), key=lambda f: (f.deadline or "9999", f.date or "", f.file))
    assert every == linked.with_doc_ids(store, [f.to_dict() for f in soonest])
    counts = linked.commitment_counts(store)
    assert len(every) == sum(counts.values()) > COMMITMENT_PAGE + 10

    first = client.get("/commitments").text
    assert len(_rows(first)) == COMMITMENT_PAGE
    assert f"1–{COMMITMENT_PAGE} of {len(every)}" in first
    assert f'href="/commitments?offset={COMMITMENT_PAGE}" rel="next"' in first
    # the second page goes on where the first stopped, soonest deadline first
    second = client.get("/commitments", params={"offset": COMMITMENT_PAGE}).text
    want = every[COMMITMENT_PAGE : 2 * COMMITMENT_PAGE]
    assert len(_rows(second)) == len(want)
    assert str(escape(want[0]["sentence"][:60])) in second
    assert 'rel="prev"' in second
    # a status's pages keep the status; the counts are over every commitment
    status = max(counts, key=lambda s: counts[s])
    one = client.get("/commitments", params={"status": status}).text
    assert len(_rows(one)) == min(COMMITMENT_PAGE, counts[status])
    if counts[status] > COMMITMENT_PAGE:
        assert f'href="/commitments?status={status}&amp;offset={COMMITMENT_PAGE}"' in one
    for s, n in counts.items():
        assert f'<span class="count">{n}</span>' in first, s
    # past the end: the last page, not an empty one
    assert len(_rows(client.get("/commitments", params={"offset": 10**6}).text)) == 1

    api = client.get("/api/v1/commitments", params={"limit": 7, "offset": 5}).json()
    oldest_first = linked.commitments(store)
    assert api["count"] == len(oldest_first) and (api["limit"], api["offset"]) == (7, 5)
    assert api["commitments"] == oldest_first[5:12]
    assert api["statuses"] == counts
    only = client.get("/api/v1/commitments", params={"status": status, "limit": 3}).json()
    assert only["count"] == counts[status]
    assert only["commitments"] == linked.commitments(store, status)[:3]
    assert client.get("/api/v1/commitments", params={"limit": 0}).status_code == 422


def test_the_facts_api_comes_in_pages(store: Store) -> None:
    from communique.link import facts

    client = TestClient(create_app(store.path))
    every = linked.with_doc_ids(
        store, [{**f.to_dict(), "source_count": len(f.sources)} for f in facts(store)]
    )
    assert len(every) > 500
    assert max(f["source_count"] for f in every) > 3
    whole = client.get("/api/v1/facts", params={"sources": 10**6}).json()  # 1,000 a page
    assert whole["count"] == len(every) and whole["facts"] == every[:1000]
    # the first 100 sources of each by default, the oldest first, and how many in all
    capped = client.get("/api/v1/facts").json()["facts"]
    assert capped == [{**f, "sources": f["sources"][:100]} for f in every[:1000]]
    few = client.get("/api/v1/facts", params={"sources": 2, "limit": 10_000}).json()["facts"]
    assert few == [{**f, "sources": f["sources"][:2]} for f in every]
    assert client.get("/api/v1/facts", params={"sources": -1}).status_code == 422
    got = client.get("/api/v1/facts", params={"limit": 50, "offset": 400, "sources": 10**6}).json()
    assert (got["count"], got["limit"], got["offset"]) == (len(every), 50, 400)
    assert got["facts"] == every[400:450]
    members = client.get(
        "/api/v1/facts", params={"predicate": "member", "limit": 2, "sources": 10**6}
    ).json()
    assert members["count"] == sum(f["predicate"] == "member" for f in every)
    assert members["facts"] == [f for f in every if f["predicate"] == "member"][:2]
    assert client.get("/api/v1/facts", params={"limit": 10_001}).status_code == 422


def test_the_positions_page_and_api_come_in_pages_between_dates(store: Store) -> None:
    """An issue's statements, a page of groups at a time, optionally between two
    dates: the same groups, in the same order, as the whole list of the store."""
    from communique.link import positions
    from communique.service.pages_link import POSITION_PAGE

    client = TestClient(create_app(store.path))
    issue = max(linked.issues(store), key=lambda i: len(positions(store, i["code"])))["code"]
    every = linked.with_doc_ids(store, positions(store, issue))
    assert len(every) > POSITION_PAGE  # more than one page
    first = client.get("/positions", params={"issue": issue}).text
    assert first.count('<section class="position-group">') == POSITION_PAGE
    assert f"1–{POSITION_PAGE} of {len(every)}" in first
    assert f"/positions?issue={issue}&amp;offset={POSITION_PAGE}" in first
    last = client.get("/positions", params={"issue": issue, "offset": 10**6}).text
    assert last.count('<section class="position-group">') == 1  # past the end: the last

    api = client.get(f"/api/v1/positions/{issue}", params={"limit": 7, "offset": 3}).json()
    assert (api["count"], api["limit"], api["offset"]) == (len(every), 7, 3)
    assert api["groups"] == every[3:10]

    years = sorted({g["date"][:4] for g in every if g["date"]})
    low, high = years[len(years) // 3], years[2 * len(years) // 3]
    inside = [g for g in every if g["date"] and low <= g["date"][:4] <= high]
    assert 0 < len(inside) < len(every)
    ranged = client.get(
        f"/api/v1/positions/{issue}", params={"from": low, "to": high, "limit": 10_000}
    ).json()
    assert ranged["count"] == len(inside) and ranged["groups"] == inside
    page = client.get("/positions", params={"issue": issue, "from": low, "to": high}).text
    shown = re.findall(r'<time datetime="([^"]*)"', page)
    assert shown == [g["date"] for g in inside][:POSITION_PAGE]
    if len(inside) > POSITION_PAGE:
        assert f"from={low}&amp;to={high}&amp;offset={POSITION_PAGE}" in page
    bad = client.get("/positions", params={"issue": issue, "from": "the 1990s"})
    assert bad.status_code == 200 and "Date filter ignored" in bad.text
    assert client.get(f"/api/v1/positions/{issue}", params={"to": "1990s"}).status_code == 422
    assert client.get(f"/api/v1/positions/{issue}", params={"limit": 0}).status_code == 422


def test_the_meetings_page_and_api_come_in_pages_between_dates(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from communique.service import pages_link

    monkeypatch.setattr(pages_link, "MEETING_PAGE", 7)
    client = TestClient(create_app(store.path))
    every = linked.meetings(store)
    assert len(every) > 14
    first = client.get("/meetings").text
    assert first.count('class="tl-item"') == 7 and f"1–7 of {len(every)}" in first
    second = client.get("/meetings", params={"offset": 7}).text
    shown = re.findall(r'<li class="tl-item">\s*<time datetime="([^"]*)"', second)
    assert shown == [m["date"] for m in every[7:14]]
    assert client.get("/meetings", params={"offset": 10**6}).text.count('class="tl-item"') == 1

    api = client.get("/api/v1/meetings", params={"limit": 5, "offset": 2}).json()
    assert (api["count"], api["limit"], api["offset"]) == (len(every), 5, 2)
    assert api["meetings"] == every[2:7]
    years = sorted({m["date"][:4] for m in every})
    low, high = years[len(years) // 3], years[2 * len(years) // 3]
    inside = [m for m in every if low <= m["date"][:4] <= high]
    assert 0 < len(inside) < len(every)
    ranged = client.get("/api/v1/meetings", params={"from": low, "to": high}).json()
    assert ranged["count"] == len(inside) and ranged["meetings"] == inside
    page = client.get("/meetings", params={"from": low, "to": high}).text
    assert f"{len(inside)} meeting" in page
    if len(inside) > 7:
        assert f"/meetings?from={low}&amp;to={high}&amp;offset=7" in page
    assert "Date filter ignored" in client.get("/meetings", params={"to": "soon"}).text
    assert client.get("/api/v1/meetings", params={"from": "soon"}).status_code == 422


_MOVED = """JOINT COMMUNIQUE

The meeting of the Council of Ministers of Foreign Affairs of the member states of the \
Shanghai Cooperation Organization was held on {held} in {place}.

The Ministers agreed that the SCO Secretariat will {act} the Agreement on cooperation in \
the field of energy security not later than {limit}.
"""


@pytest.mark.parametrize(
    ("later_act", "status"), [("conclude", "superseded"), ("discuss", "overdue")]
)
def test_a_deadline_moved_by_a_later_promise_of_the_same_action(
    tmp_path: Path, later_act: str, status: str
) -> None:
    """The 2011 communiqué sets a later limit for concluding the same agreement: the
    2010 promise is superseded, not overdue; a later promise of another action (only
    to discuss it) moves nothing."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(
        _MOVED.format(
            held="10 March 2010", place="Tashkent", act="conclude", limit="1 September 2010"
        )
    )
    (folder / "b.txt").write_text(
        _MOVED.format(held="15 May 2011", place="Astana", act=later_act, limit="1 September 2012")
    )
    with Store(new_db(tmp_path, "m.db")) as s:
        assert s.ingest([folder]).ok
        first, second = followups(s)
    assert (first.date, first.deadline, first.status) == ("2010-03-10", "2010-09-01", status)
    if status == "superseded":
        assert first.superseded_by is not None
        assert first.superseded_by["deadline"] == "2012-09-01"
        assert first.superseded_by["sha256"] == second.sha256
    else:
        assert first.superseded_by is None
    assert second.status == "open"
