"""The link layer as the service shows it: entities, facts, the organization at a date,
commitments, positions, meetings and issue counts, every source with its document id.

The link layer names a source by file and SHA-256; the service adds the stored
document's id so that each value is one link from its sentence
(``/documents/{id}#s{sentence}``). The JSON API and the pages both read from
here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

ENTITY_KINDS = ("state", "organization", "person", "instrument", "issue")
COMMITMENT_STATUSES = ("fulfilled", "in_progress", "open", "overdue", "superseded")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _kb() -> Any:
    from communique.knowledge import load

    return load()


def _ensure(store: Any) -> None:
    from communique.link import ensure_built

    ensure_built(store)


@dataclass(slots=True)
class DocRef:
    id: int
    name: str
    language: str
    date: str | None
    title: str | None


def doc_refs(store: Any) -> dict[str, DocRef]:
    """SHA-256 -> the stored document."""
    rows = store.conn.execute("SELECT sha256, id, name, language, date, title FROM documents")
    return {
        sha: DocRef(int(i), name, lang, date, title) for sha, i, name, lang, date, title in rows
    }


def refs_for(store: Any, shas: Iterable[str]) -> dict[str, DocRef]:
    """:func:`doc_refs` of the documents ``shas`` only (an answer about a few
    documents need not read every document's row)."""
    return {sha: ref for sha, ref in _refs_where(store, "sha256", sorted(set(shas)))}


def _refs_where(store: Any, column: str, values: list[Any]) -> Iterator[tuple[str, DocRef]]:
    """(sha256, ref) of the documents whose ``column`` is one of ``values``."""
    from communique.link.build import in_batches

    for batch, marks in in_batches(values):
        for sha, i, name, lang, date, title in store.conn.execute(
            f"SELECT sha256, id, name, language, date, title FROM documents"
            f" WHERE {column} IN ({marks})",
            list(batch),
        ):
            yield sha, DocRef(int(i), name, lang, date, title)


def _shas(obj: Any, into: set[str]) -> set[str]:
    if isinstance(obj, list):
        for x in obj:
            _shas(x, into)
    elif isinstance(obj, dict):
        sha = obj.get("sha256")
        if isinstance(sha, str):
            into.add(sha)
        for v in obj.values():
            if isinstance(v, (list, dict)):
                _shas(v, into)
    return into


def with_doc_ids(store: Any, obj: Any) -> Any:
    """:func:`with_ids`, reading only the documents ``obj`` names."""
    return with_ids(obj, refs_for(store, _shas(obj, set())))


def with_ids(obj: Any, refs: dict[str, DocRef]) -> Any:
    """``obj`` with ``document_id`` beside every ``sha256`` in it (dicts and lists, deeply)."""
    if isinstance(obj, list):
        return [with_ids(x, refs) for x in obj]
    if isinstance(obj, dict):
        out = {k: with_ids(v, refs) for k, v in obj.items()}
        sha = obj.get("sha256")
        if isinstance(sha, str) and "document_id" not in out:
            ref = refs.get(sha)
            out["document_id"] = ref.id if ref else None
        return out
    return obj


def script_lang(name: str) -> str:
    """The language a name is written for, judged by its script."""
    if _HAN.search(name):
        return "zh"
    if _CYRILLIC.search(name):
        return "ru"
    return "en"


# ------------------------------------------------------------------ facts


def fact_page(
    store: Any,
    *,
    subject: str | None = None,
    predicate: str | None = None,
    at: str | None = None,
    offset: int = 0,
    limit: int | None = None,
    sources: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The facts from ``offset`` (``limit`` of them, or all), and how many there are:
    a page is written out alone (the store's every fact was 21 MB at 1,000 documents).

    Each fact has its first ``sources`` sources (all when None) and ``source_count``,
    the number of them all: an organization's position on an issue is stated in
    thousands of sentences (7,263 for one at 10,000 generated documents: 4.3 MB
    for one fact), which ``/positions/{issue}`` pages through."""
    from communique.link import facts as link_facts

    every = link_facts(store, subject=subject, predicate=predicate, at=at)
    rows = []
    for f in _cut(every, offset, limit):
        shown = f if sources is None else replace(f, sources=f.sources[:sources])
        rows.append({**shown.to_dict(), "source_count": len(f.sources)})
    return with_doc_ids(store, rows), len(every)


def state_at(store: Any, day: str, organization: str) -> dict[str, Any]:
    from communique.link import state_at as link_state_at

    _ensure(store)
    state = link_state_at(store, day, organization)
    return with_doc_ids(store, state)


def organizations_with_facts(store: Any) -> list[tuple[str, str]]:
    """Organizations that facts are known about (code, name), most facts first."""
    _ensure(store)
    kb = _kb()
    counts: Counter[str] = Counter()
    for obj, n in store.conn.execute(
        "SELECT object, count(*) FROM link_facts WHERE predicate IN"
        " ('member', 'observer', 'dialogue_partner') GROUP BY object"
    ):
        counts[obj] += n
    for subj, n in store.conn.execute(
        "SELECT subject, count(*) FROM link_facts WHERE predicate IN ('presidency', 'memorandum')"
        " GROUP BY subject"
    ):
        entry = kb.entry(subj)
        if entry is not None and entry.kind == "organization":
            counts[subj] += n
    return [(code, kb.name(code)) for code, _ in counts.most_common()]


def commitments(
    store: Any,
    status: str | None = None,
    *,
    offset: int = 0,
    limit: int | None = None,
    by_deadline: bool = False,
) -> list[dict[str, Any]]:
    """Commitments with their follow-up, oldest first (``by_deadline``: soonest deadline
    first, none dated last); ``offset`` and ``limit`` cut a page before any row is
    written out, so a page of a store with thousands of them costs a page."""
    from communique.link import followups

    if by_deadline:
        every = _by_deadline(store)
        if status is not None:
            every = [f for f in every if f.status == status]
    else:
        every = followups(store, status=status)
    chosen = every[offset:] if limit is None else every[offset : offset + limit]
    return with_doc_ids(store, [f.to_dict() for f in chosen])


def _by_deadline(store: Any) -> list[Any]:
    """The follow-ups, soonest deadline first, sorted once until the store changes
    (each page of /commitments asks; 0.2 s a sort at 10,000 documents)."""
    from communique.link import followups
    from communique.link.build import ensure_built
    from communique.store.derived import derived

    ensure_built(store)  # a write, if any, before the store's marker is read
    return derived(
        store.conn,
        "followups_by_deadline",
        lambda _: sorted(
            followups(store, build=False),
            key=lambda f: (f.deadline or "9999", f.date or "", f.file),
        ),
    )


def commitment_counts(store: Any) -> dict[str, int]:
    """Commitments per status, every status named."""
    from communique.link import followups

    counts = Counter(f.status for f in followups(store))
    return {s: counts.get(s, 0) for s in COMMITMENT_STATUSES}


def position_page(
    store: Any,
    issue: str,
    organization: str | None = None,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The statements on ``issue`` grouped by text (see :func:`communique.link.positions`),
    dated between ``date_from`` and ``date_to`` (``YYYY[-MM[-DD]]``, a year or month
    taken whole; undated ones only without bounds), from ``offset`` (``limit``
    groups, or all), and how many groups there are.

    An issue stated in every other document has thousands of groups (7,591 for
    Afghanistan at 10,000 generated documents: 10 MB of HTML at once), so they
    are shown a page at a time; an issue's groups for every organization are
    kept until the store changes, and each page or date range is cut from them."""
    from communique.link import positions as link_positions
    from communique.store.derived import derived

    if organization:
        groups = link_positions(store, issue, organization=organization)
    else:
        # one issue's groups, among the pack's issues
        groups = derived(
            store.conn,
            ("positions", issue),
            lambda _: link_positions(store, issue),
            one_of_many=True,
        )
    groups = _dated_between(groups, date_from, date_to)
    return with_doc_ids(store, _cut(groups, offset, limit)), len(groups)


def _dated_between(
    rows: list[dict[str, Any]], date_from: str | None, date_to: str | None
) -> list[dict[str, Any]]:
    """The rows whose ``date`` lies between two bounds (``YYYY[-MM[-DD]]``, an upper
    year or month taken whole, as search takes them); undated rows only without bounds."""
    from communique.search.filters import parse_bound

    if not (date_from or date_to):
        return rows
    low = parse_bound(date_from, upper=False) if date_from else None
    high = parse_bound(date_to, upper=True) if date_to else None
    return [
        r
        for r in rows
        if r["date"] and (low is None or r["date"] >= low) and (high is None or r["date"] <= high)
    ]


def _cut(rows: list[Any], offset: int, limit: int | None) -> list[Any]:
    return rows[offset:] if limit is None else rows[offset : offset + limit]


def issues(store: Any) -> list[dict[str, Any]]:
    """Every issue of the knowledge pack with its name and how often the store states it.

    Counting reads every position mention (0.26 s at 10,000 documents, on every
    view of the positions page before), so the list is kept until the store
    changes (:func:`communique.store.derived.derived`): do not modify it."""
    from communique.store.derived import derived

    return derived(store.conn, "issues", _issues)


def _issues(conn: Any) -> list[dict[str, Any]]:
    kb = _kb()
    counts = dict(
        conn.execute(
            "SELECT value, count(DISTINCT doc_id) FROM mentions WHERE kind = 'position'"
            " GROUP BY value"
        ).fetchall()
    )
    out = [
        {
            "code": code,
            "name": kb.name(code),
            "names": {lang: list(ns[:1]) for lang, ns in e.names.items()},
            "documents": int(counts.get(code, 0)),
        }
        for code, e in kb.issues.items()
    ]
    out.sort(key=lambda r: (-r["documents"], r["name"].lower()))
    return out


def issue_stats(store: Any) -> dict[str, Any]:
    """Position sentences per issue and year, with the years in order.

    Counting reads every position mention of the store, so the table is kept until
    the store changes (:func:`communique.store.derived.derived`): do not modify it."""
    from communique.store.derived import derived

    return derived(store.conn, "issue_stats", _issue_stats)


def _issue_stats(conn: Any) -> dict[str, Any]:
    kb = _kb()
    table: dict[str, Counter[str]] = defaultdict(Counter)
    years: set[str] = set()
    for value, year, n in conn.execute(
        "SELECT m.value, substr(d.date, 1, 4), count(*) FROM mentions m"
        " JOIN documents d ON d.id = m.doc_id WHERE m.kind = 'position' AND d.date IS NOT NULL"
        " GROUP BY 1, 2"
    ):
        table[value][year] += int(n)
        years.add(year)
    ordered = sorted(years)
    rows = [
        {
            "issue": code,
            "name": kb.name(code),
            "total": sum(c.values()),
            "by_year": {y: c.get(y, 0) for y in ordered},
        }
        for code, c in table.items()
    ]
    rows.sort(key=lambda r: (-r["total"], r["issue"]))
    return {"years": ordered, "issues": rows}


def meetings(store: Any) -> list[dict[str, Any]]:
    """Meetings (body, place, dates), oldest first, each with the documents reporting it.

    Kept until the store changes (:func:`communique.store.derived.derived`): do
    not modify what comes back."""
    from communique.store.derived import derived

    # linked first: building the link layer inside the computation would change the
    # store under the value, and the next call would compute it again
    _ensure(store)
    return derived(store.conn, "meetings", lambda _: _meetings(store))


def meeting_page(
    store: Any,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The meetings that began between ``date_from`` and ``date_to`` (``YYYY[-MM[-DD]]``,
    a year or month taken whole), from ``offset`` (``limit`` of them, or all), and
    how many there are: 10,000 generated documents report thousands of meetings
    (5.6 MB of HTML on one page)."""
    rows = _dated_between(meetings(store), date_from, date_to)
    return _cut(rows, offset, limit), len(rows)


def _meetings(store: Any) -> list[dict[str, Any]]:
    from communique.link import facts as link_facts

    refs = doc_refs(store)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for f in link_facts(store, predicate="meeting"):
        d = f.to_dict()
        attrs = d.get("attrs") or {}
        key = (d["subject"], d["object"])
        m = out.setdefault(
            key,
            {
                "body": d["subject"],
                "body_name": d.get("subject_name") or d["subject"],
                "date": d["object"],
                "end": attrs.get("end"),
                "place": attrs.get("place"),
                "participants": len(attrs.get("participants") or []),
                "sources": [],
            },
        )
        m["place"] = m["place"] or attrs.get("place")
        m["participants"] = max(m["participants"], len(attrs.get("participants") or []))
        m["sources"].extend(with_ids(d.get("sources") or [], refs))
    rows = sorted(out.values(), key=lambda m: (m["date"], m["body"]))
    for m in rows:
        seen: set[Any] = set()
        docs = []
        for s in m["sources"]:
            if s.get("document_id") in seen:
                continue
            seen.add(s.get("document_id"))
            docs.append(s)
        m["sources"] = docs
    return rows


# ------------------------------------------------------------------ entities


def _code_rows(store: Any, kinds: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    marks = ", ".join("?" * len(kinds))
    rows = store.conn.execute(
        f"SELECT value, count(*), count(DISTINCT doc_id) FROM mentions WHERE kind IN ({marks})"
        " AND start >= 0 GROUP BY value",
        kinds,
    )
    return {v: (int(n), int(d)) for v, n, d in rows}


def _code_kinds(kind: str) -> tuple[str, ...]:
    return {"state": ("state",), "organization": ("organization", "body"), "issue": ("position",)}[
        kind
    ]


def entities(store: Any, kind: str | None = None, q: str | None = None) -> list[dict[str, Any]]:
    """Entities the store mentions: id, kind, name, mention and document counts, most
    widely mentioned first.

    Counting reads every mention of the store, so the list is kept on the
    connection until the store changes (:func:`communique.store.derived.derived`)
    and each request filters it. The rows are shared: do not modify them."""
    from communique.store.derived import derived

    if kind is not None and kind not in ENTITY_KINDS:
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(ENTITY_KINDS)})")
    _ensure(store)
    out = derived(store.conn, "entities", lambda _: _entities(store))
    if kind is not None:
        out = [e for e in out if e["kind"] == kind]
    if q:
        needle = q.casefold().strip()
        out = [
            e
            for e in out
            if needle in e["id"].casefold() or any(needle in n.casefold() for n in e["names"])
        ]
    return out


def _entities(store: Any) -> list[dict[str, Any]]:
    from communique.link.entities import all_persons

    kb = _kb()
    out: list[dict[str, Any]] = []
    for k in ("state", "organization", "issue"):
        for code, (n, docs) in _code_rows(store, _code_kinds(k)).items():
            entry = kb.entry(code)
            names = [n for ns in entry.names.values() for n in ns] if entry else [code]
            out.append(
                {
                    "id": code,
                    "kind": k,
                    "name": kb.name(code),
                    "names": names,
                    "mentions": n,
                    "documents": docs,
                }
            )
    per_doc = _person_docs(store)
    for p in all_persons(store.conn):
        d = p.to_dict()
        out.append(
            {
                "id": d["id"],
                "kind": "person",
                "name": d["name"],
                "names": d["names"],
                "mentions": sum(per_doc.get(d["id"], Counter()).values()),
                "documents": len(per_doc.get(d["id"], ())),
            }
        )
    names: dict[str, Counter[str]] = defaultdict(Counter)
    docs_of: dict[str, set[int]] = defaultdict(set)
    for key, name, doc_id in store.conn.execute(
        "SELECT key, name, doc_id FROM link_entity_mentions WHERE kind = 'instrument'"
    ):
        names[key][name] += 1
        docs_of[key].add(int(doc_id))
    for key, counter in names.items():
        out.append(
            {
                "id": f"instrument:{key}",
                "kind": "instrument",
                "name": counter.most_common(1)[0][0],
                "names": [n for n, _ in counter.most_common()],
                "mentions": sum(counter.values()),
                "documents": len(docs_of[key]),
            }
        )
    out.sort(key=lambda e: (-e["documents"], -e["mentions"], e["name"].casefold()))
    return out


def _person_docs(store: Any) -> dict[str, Counter[int]]:
    from communique.link.entities import person_index

    index = person_index(store.conn)
    out: dict[str, Counter[int]] = defaultdict(Counter)
    for key, doc_id in store.conn.execute(
        "SELECT key, doc_id FROM link_entity_mentions WHERE kind = 'person'"
    ):
        out[index.get(key, "person:" + key)][int(doc_id)] += 1
    return out


_MENTION_LIMIT = 500


def entity(store: Any, entity_id: str) -> dict[str, Any] | None:
    """One entity: names in every language, facts about it, mentions (with sentences) by year."""
    kb = _kb()
    conn = store.conn
    kind: str | None = None
    names: dict[str, list[str]] = {}
    mention_rows: list[tuple[Any, ...]] = []
    # (doc_id, sentence, start, end, surface)
    cols = 'm.doc_id, m.sentence, m.start, m."end", m.surface'
    if entity_id.startswith("person:"):
        from communique.link import persons

        _ensure(store)
        person = next(iter(persons(conn, ids=[entity_id])), None)
        if person is None:
            return None
        kind = "person"
        for n in person.names:
            names.setdefault(script_lang(n), []).append(n)
        keys = list(person.keys)
        marks = ", ".join("?" * len(keys))
        mention_rows = conn.execute(
            f"SELECT {cols.replace('m.surface', 'm.name')} FROM link_entity_mentions m"
            f" WHERE m.kind = 'person' AND m.key IN ({marks})",
            keys,
        ).fetchall()
        extra = {"countries": person.countries, "offices": person.offices}
    elif entity_id.startswith("instrument:"):
        _ensure(store)
        key = entity_id.split(":", 1)[1]
        mention_rows = conn.execute(
            f"SELECT {cols.replace('m.surface', 'm.name')}, d.language FROM link_entity_mentions m"
            " JOIN documents d ON d.id = m.doc_id WHERE m.kind = 'instrument' AND m.key = ?",
            (key,),
        ).fetchall()
        if not mention_rows:
            return None
        kind = "instrument"
        for *_, surface, lang in mention_rows:
            if surface not in names.setdefault(lang, []):
                names[lang].append(surface)
        mention_rows = [r[:5] for r in mention_rows]
        extra = {}
    else:
        entry = kb.entry(entity_id)
        mention_rows = conn.execute(
            f"SELECT {cols} FROM mentions m WHERE m.kind IN"
            " ('state', 'organization', 'body', 'position') AND m.value = ? AND m.start >= 0",
            (entity_id,),
        ).fetchall()
        if entry is None and not mention_rows:
            return None
        if entry is not None:
            kind = {"body": "organization"}.get(entry.kind, entry.kind)
            names = {lang: list(ns) for lang, ns in entry.names.items()}
        else:
            kind = "organization"
        extra = {"parent": entry.parent if entry else None}
    refs = _refs_by_id(store, {int(r[0]) for r in mention_rows})
    sentences = _sentences(conn, {(r[0], r[1]) for r in mention_rows})
    mentions = []
    by_year: Counter[str] = Counter()
    for doc_id, sidx, start, end, surface in mention_rows:
        ref = refs.get(int(doc_id))
        if ref is None:
            continue
        year = (ref.date or "")[:4]
        if year:
            by_year[year] += 1
        mentions.append(
            {
                "document_id": ref.id,
                "file": ref.name,
                "title": ref.title,
                "date": ref.date,
                "language": ref.language,
                "sentence_index": sidx,
                "sentence": sentences.get((doc_id, sidx)),
                "span": [start, end],
                "surface": surface,
            }
        )
    mentions.sort(key=lambda m: (m["date"] or "", m["document_id"], m["span"][0]))
    name = (names.get("en") or next(iter(names.values()), None) or [entity_id])[0]
    return {
        "id": entity_id,
        "kind": kind,
        "name": name,
        "names": names,
        **extra,
        "facts": _entity_facts(store, entity_id),
        "mentions_by_year": dict(sorted(by_year.items())),
        "mention_count": len(mentions),
        "mentions": mentions[:_MENTION_LIMIT],
    }


def _refs_by_id(store: Any, doc_ids: set[int]) -> dict[int, DocRef]:
    return {ref.id: ref for _, ref in _refs_where(store, "id", sorted(doc_ids))}


def _sentences(conn: Any, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    from communique.link.build import in_batches

    out: dict[tuple[int, int], str] = {}
    by_doc: dict[int, list[int]] = defaultdict(list)
    for doc_id, idx in wanted:
        if idx is not None and idx >= 0:
            by_doc[int(doc_id)].append(int(idx))
    for doc_id, idxs in by_doc.items():
        for chunk, marks in in_batches(idxs):
            for idx, text in conn.execute(
                f"SELECT idx, text FROM sentences WHERE doc_id = ? AND idx IN ({marks})",
                [doc_id, *chunk],
            ):
                out[(doc_id, int(idx))] = text
    return out


def _entity_facts(store: Any, entity_id: str) -> list[dict[str, Any]]:
    """Facts with the entity as subject or object, positions left to the positions page."""
    from communique.link import facts_about

    return with_doc_ids(store, [f.to_dict() for f in facts_about(store, entity_id)])


def document_links(store: Any, doc_id: int) -> dict[tuple[str, int, int], str]:
    """(kind, start, end) -> entity page, for the persons and instruments of one document."""
    from urllib.parse import quote

    from communique.link.entities import person_index

    _ensure(store)
    rows = store.conn.execute(
        'SELECT kind, key, start, "end" FROM link_entity_mentions WHERE doc_id = ? AND start >= 0',
        (doc_id,),
    ).fetchall()
    if not rows:
        return {}
    index = person_index(store.conn) if any(r[0] == "person" for r in rows) else {}
    out: dict[tuple[str, int, int], str] = {}
    for kind, key, start, end in rows:
        entity_id = index.get(key, "person:" + key) if kind == "person" else f"{kind}:{key}"
        out[(kind, int(start), int(end))] = "/entities/" + quote(entity_id, safe=":")
    return out
