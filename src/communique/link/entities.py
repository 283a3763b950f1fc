"""Entities across documents: one per state, organization, body, office, person, instrument.

States, organizations, bodies and offices are knowledge-pack codes already
(every language's name maps to one code). Persons and instruments get keys
from :mod:`communique.link.names`; persons are then joined across scripts
through language versions: documents of the same date, body and organization
in different languages report the same meeting, so the one participant of a
country in one version is the one participant of that country in the other
(唐家璇 = Tang Jiaxuan). Everything here is one pass over rows grouped by key,
never a comparison of all pairs.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        # The smaller Latin key represents the set, so ids do not depend on order.
        keep, drop = sorted((ra, rb), key=lambda k: (k.startswith(("zh:", "raw:")), k))
        self.parent[drop] = keep


@dataclass(slots=True)
class Person:
    id: str
    names: list[str]
    keys: list[str]
    countries: list[str]
    offices: list[str]
    mentions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.id

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "names": self.names,
            "keys": self.keys,
            "countries": self.countries,
            "offices": self.offices,
            "mentions": self.mentions,
        }


def version_groups(conn: Any) -> list[list[tuple[int, str]]]:
    """Documents that are language versions of one text: same organization, body and date,
    different languages. Returns groups of (doc_id, language), each sorted by sha256."""
    groups: dict[tuple[str, str, str], list[tuple[str, int, str]]] = defaultdict(list)
    for doc_id, sha, date, org, body, lang in conn.execute(
        "SELECT id, sha256, date, organization, body, language FROM documents"
        " WHERE date IS NOT NULL"
    ):
        groups[(org or "", body or "", date)].append((sha, doc_id, lang))
    out = []
    for members in groups.values():
        if len({lang for _, _, lang in members}) < 2:
            continue
        out.append([(doc_id, lang) for _, doc_id, lang in sorted(members)])
    return out


def person_index(conn: Any) -> dict[str, str]:
    """Every person key -> the entity id ("person:<representative key>").

    Read from every person mention of the store, so kept on the connection until
    the database changes (:func:`communique.store.derived.derived`): a document
    page asks for it each time. The mapping is shared: do not modify it.
    """
    from communique.store.derived import derived

    return derived(conn, "person_index", _person_index)


def _person_index(conn: Any) -> dict[str, str]:
    uf = _UnionFind()
    by_doc: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    surnames: dict[str, set[str]] = defaultdict(set)
    for doc_id, key, attrs in conn.execute(
        "SELECT doc_id, key, attrs FROM link_entity_mentions WHERE kind = 'person'"
    ):
        uf.find(key)
        if "|" in key:
            surnames[key.split("|", 1)[0]].add(key)
        a = json.loads(attrs)
        if a.get("meeting") and a.get("country"):
            by_doc[doc_id][f"{a['meeting']}:{a['country']}"].add(key)
    # "Mezentsev" alone is "D. Mezentsev" when only one Mezentsev is known.
    for surname, keys in surnames.items():
        bare = f"{surname}|"
        full = sorted(k for k in keys if k != bare)
        if bare in keys and len(full) == 1:
            uf.union(bare, full[0])
    for group in version_groups(conn):
        for (a_id, a_lang), (b_id, b_lang) in itertools.pairwise(group):
            if a_lang == b_lang:
                continue
            a_slots, b_slots = by_doc.get(a_id, {}), by_doc.get(b_id, {})
            for slot, a_keys in a_slots.items():
                b_keys = b_slots.get(slot, set())
                if len(a_keys) == 1 and len(b_keys) == 1:
                    uf.union(next(iter(a_keys)), next(iter(b_keys)))
    return {k: "person:" + uf.find(k) for k in list(uf.parent)}


def person_keys(conn: Any) -> dict[str, tuple[str, ...]]:
    """Entity id -> its person keys (the inverse of :func:`person_index`), kept on the
    connection like it. Shared: do not modify it."""
    from communique.store.derived import derived

    return derived(conn, "person_keys", _person_keys)


def _person_keys(conn: Any) -> dict[str, tuple[str, ...]]:
    keys: dict[str, list[str]] = defaultdict(list)
    for key, pid in person_index(conn).items():
        keys[pid].append(key)
    return {pid: tuple(sorted(ks)) for pid, ks in keys.items()}


def all_persons(conn: Any) -> list[Person]:
    """:func:`persons` of the whole store, kept until it changes (the entity list, the
    names in the store's facts and the exports all ask): shared, do not modify."""
    from communique.store.derived import derived

    return derived(conn, "persons", lambda c: persons(c))


def persons(
    conn: Any, *, with_mentions: bool = False, ids: Iterable[str] | None = None
) -> list[Person]:
    """All person entities, their spellings (most frequent first) and mentions; or only
    those of ``ids``, read from their own mentions alone (a page about one person
    must not read every person's)."""
    index = person_index(conn)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    keys: dict[str, set[str]] = defaultdict(set)
    countries: dict[str, set[str]] = defaultdict(set)
    offices: dict[str, set[str]] = defaultdict(set)
    mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    sql = (
        'SELECT e.key, e.name, e.attrs, e.sentence, e.start, e."end", d.name, d.sha256, d.date'
        " FROM link_entity_mentions e JOIN documents d ON d.id = e.doc_id"
        " WHERE e.kind = 'person'"
    )
    if ids is None:
        rows: Iterable[tuple[Any, ...]] = conn.execute(sql + " ORDER BY d.date, d.sha256, e.start")
    else:
        from communique.link.build import in_batches

        by_id = person_keys(conn)
        # A key that no mention has is its own entity ("person:" + key).
        wanted = sorted({k for pid in ids for k in by_id.get(pid, (pid.removeprefix("person:"),))})
        found: list[tuple[Any, ...]] = []
        for batch, marks in in_batches(wanted):
            found.extend(conn.execute(sql + f" AND e.key IN ({marks})", list(batch)))
        # the order of the full query, so that mentions come out the same
        found.sort(key=lambda r: (r[8] is not None, r[8] or "", r[7], r[4]))
        rows = found
    for key, name, attrs, sentence, start, end, file, sha, date in rows:
        pid = index.get(key, "person:" + key)
        a = json.loads(attrs)
        names[pid][name] += 1
        keys[pid].add(key)
        if a.get("country"):
            countries[pid].add(a["country"])
        if a.get("office"):
            offices[pid].add(a["office"])
        if with_mentions:
            mentions[pid].append(
                {
                    "file": file,
                    "sha256": sha,
                    "date": date,
                    "name": name,
                    "sentence_index": sentence,
                    "span": [start, end],
                    **{k: a[k] for k in ("role", "country", "office") if a.get(k)},
                }
            )
    out = []
    for pid in sorted(names if ids is None else set(names) & set(ids)):
        ranked = sorted(names[pid].items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
        out.append(
            Person(
                pid,
                [n for n, _ in ranked],
                sorted(keys[pid]),
                sorted(countries[pid]),
                sorted(offices[pid]),
                mentions[pid],
            )
        )
    return out


__all__ = ["Person", "person_index", "person_keys", "persons", "version_groups"]
