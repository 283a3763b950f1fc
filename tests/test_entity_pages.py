"""An entity's page reads its own neighbourhood, not the whole store: every shortcut
against the whole-store computation it replaces, on SQLite and, in the suite's
second run, PostgreSQL."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest

from communique.link import facts, facts_about, persons
from communique.service import linked
from communique.store import Store
from conftest import linked_store, new_db


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Any:
    s = linked_store(tmp_path_factory.mktemp("entity-pages"), seeds_dir, 60, seed=11)
    yield s
    s.close()


def _entities(all_facts: list[Any]) -> set[str]:
    out = {f.subject for f in all_facts}
    out |= {f.object for f in all_facts if not f.object[:1].isdigit()}
    # the countries of offices ("PRESIDENT:KZ" is about KZ)
    out |= {f.subject.split(":")[1] for f in all_facts if f.subject.count(":") == 1}
    return out


def test_an_entitys_facts_are_the_whole_stores_filtered(store: Store) -> None:
    everything = facts(store)
    entities = _entities(everything)
    assert len(entities) > 100
    assert any(e.startswith("person:") for e in entities)
    for e in sorted(entities):
        want = [
            f.to_dict()
            for f in everything
            if f.predicate != "position"
            and (f.subject == e or f.object == e or f.subject.endswith(":" + e))
        ]
        assert [f.to_dict() for f in facts_about(store, e)] == want, e


def test_head_offices_of_one_body_share_a_timeline_on_its_page(store: Store) -> None:
    """The seeds call the head of the secretariat Executive Secretary in 2005 and
    Secretary-General in 2014: one timeline, whose page shows both holders in turn."""
    everything = facts(store)
    heads = [f for f in everything if f.predicate == "office_holder" and ":" not in f.subject]
    subjects = {f.subject for f in heads}
    assert subjects, "the seeds name a head of the secretariat"
    for subject in subjects:
        got = facts_about(store, subject)
        assert [f.to_dict() for f in got] == [
            f.to_dict() for f in everything if f.predicate != "position" and f.subject == subject
        ]


def test_persons_of_some_ids_are_those_of_the_full_list(store: Store) -> None:
    full = {p.id: p.to_dict() for p in persons(store.conn, with_mentions=True)}
    assert len(full) > 20
    some = sorted(full)[::7]
    got = persons(store.conn, with_mentions=True, ids=some)
    assert [p.id for p in got] == some
    assert all(p.to_dict() == full[p.id] for p in got)
    assert persons(store.conn, ids=["person:nobody|at-all"]) == []


def test_document_ids_read_for_an_answer_alone(store: Store) -> None:
    rows = [f.to_dict() for f in facts(store)[:200]]
    assert linked.with_doc_ids(store, rows) == linked.with_ids(rows, linked.doc_refs(store))


def test_facts_of_one_predicate_are_the_whole_stores_filtered(store: Store) -> None:
    """The predicate goes to SQL (with memberships, which end lower statuses)."""
    everything = [f.to_dict() for f in facts(store)]
    seen = {f["predicate"] for f in everything}
    assert {"member", "observer", "meeting", "office_holder", "position"} <= seen
    for predicate in sorted(seen):
        want = [f for f in everything if f["predicate"] == predicate]
        assert [f.to_dict() for f in facts(store, predicate=predicate)] == want, predicate


def test_an_observer_status_ends_at_membership_with_the_predicate_in_sql(tmp_path: Path) -> None:
    """facts(predicate="observer") reads the memberships too: India, an observer from
    2005, is a member from 2017, and its observer period ends then."""
    (tmp_path / "a.txt").write_text(
        "DECLARATION\n\nThe Council of Heads of State of the Shanghai Cooperation "
        "Organization met in Astana on 5 July 2005.\n\nThe heads of state welcomed the "
        "participation of India and Pakistan as SCO observer states.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "DECLARATION\n\nThe Council of Heads of State of the Shanghai Cooperation "
        "Organization met in Astana on 9 June 2017.\n\nThe heads of state welcomed India "
        "and Pakistan as full members of the SCO.\n",
        encoding="utf-8",
    )
    with Store.open(new_db(tmp_path, "o.db")) as s:
        assert s.ingest([tmp_path]).ok
        got = [(f.subject, f.valid_from, f.valid_to) for f in facts(s, predicate="observer")]
        assert got == [("IN", "2005-07-05", "2017-06-09"), ("PK", "2005-07-05", "2017-06-09")]
        assert [f.to_dict() for f in facts(s, predicate="observer")] == [
            f.to_dict() for f in facts(s) if f.predicate == "observer"
        ]
        # left out of the answer, memberships still end the observer terms
        assert [f.to_dict() for f in facts(s, without=("member",))] == [
            f.to_dict() for f in facts(s) if f.predicate != "member"
        ]
        assert [f.to_dict() for f in facts_about(s, "IN", without=("member",))] == [
            f.to_dict() for f in facts(s) if f.predicate == "observer" and f.subject == "IN"
        ]


def test_the_entity_list_comes_in_pages(store: Store) -> None:
    from fastapi.testclient import TestClient

    from communique.service import create_app
    from communique.service.pages_link import ENTITY_PAGE, ENTITY_PREVIEW

    client = TestClient(create_app(store.path))
    every = linked.entities(store)
    persons_ = [e for e in every if e["kind"] == "person"]
    assert len(persons_) > ENTITY_PAGE

    got = client.get("/api/v1/entities", params={"limit": 7, "offset": 5}).json()
    assert got["count"] == len(every)
    assert [e["id"] for e in got["entities"]] == [e["id"] for e in every[5:12]]
    assert client.get("/api/v1/entities", params={"limit": 0}).status_code == 422

    page = client.get("/entities").text
    assert page.count('class="entity-card"') == sum(
        min(ENTITY_PREVIEW, sum(e["kind"] == k for e in every)) for k in linked.ENTITY_KINDS
    )
    assert f"All {len(persons_)} persons" in page
    one = client.get("/entities", params={"kind": "person"}).text
    assert one.count('class="entity-card"') == min(ENTITY_PAGE, len(persons_))
    assert html.escape(persons_[0]["name"]) in one
    assert f'href="/entities?kind=person&amp;offset={ENTITY_PAGE}" rel="next"' in one
    last = client.get("/entities", params={"kind": "person", "offset": ENTITY_PAGE}).text
    assert last.count('class="entity-card"') == min(ENTITY_PAGE, len(persons_) - ENTITY_PAGE)


def test_facts_of_one_subject_are_the_whole_stores_filtered(store: Store) -> None:
    """A head office renamed (Executive Secretary, then Secretary-General) is one
    timeline: asked for by subject, Zhang Deguang's term still ended when the 2014
    press release named a Secretary-General (it stayed open before)."""
    everything = [f.to_dict() for f in facts(store)]
    for subject in sorted({f["subject"] for f in everything}):
        want = [f for f in everything if f["subject"] == subject]
        assert [f.to_dict() for f in facts(store, subject=subject)] == want, subject
    (zhang,) = facts(store, subject="SCO_EXECUTIVE_SECRETARY")
    assert (zhang.valid_from, zhang.valid_to) == ("2003-05-29", "2014-07-31")


@pytest.mark.parametrize(
    "without", [("position", "meeting"), ("member",), ("member", "observer", "dialogue_partner")]
)
def test_facts_without_some_predicates_are_the_whole_stores_filtered(
    store: Store, without: tuple[str, ...]
) -> None:
    """The organization at a date leaves positions and meetings out in SQL (909 -> 352
    ms a call at 1,000 documents); memberships are still read to end observer terms."""
    everything = [f.to_dict() for f in facts(store)]
    want = [f for f in everything if f["predicate"] not in without]
    assert [f.to_dict() for f in facts(store, without=without)] == want
