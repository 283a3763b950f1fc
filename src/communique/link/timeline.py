"""Facts with validity: what each document asserts, assembled into periods.

An assertion is valid from its document's date (or the date the sentence gives:
"in operation since 2004"). For a single-valued predicate (a body's seat, an
office's holder, an organization's presidency) the next different value ends
the period before it; two different values from the same day are both kept
and marked ``conflict``. Multi-valued predicates (member, observer, ...) stay
open, except that a state's observer or dialogue-partner status ends when its
membership of the same organization begins.

Assertions are ordered by (valid_from, document date, sha256, sentence), so the
result does not depend on the order in which documents were ingested.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from communique.extract.dates import first_day

SINGLE_VALUED = frozenset({"seat", "office_holder", "presidency"})
PREDICATES = (
    "member",
    "observer",
    "dialogue_partner",
    "seat",
    "office_holder",
    "presidency",
    "signed",
    "memorandum",
    "meeting",
    "position",
)
# Statuses that membership supersedes.
_BELOW_MEMBER = frozenset({"observer", "dialogue_partner"})


@dataclass(slots=True)
class Source:
    file: str
    sha256: str
    date: str | None
    language: str
    sentence_index: int
    sentence: str | None
    span: tuple[int, int]
    surface: str
    mode: str

    def key(self) -> tuple[str, str, int, int]:
        return (self.date or "", self.sha256, self.sentence_index, self.span[0])

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "date": self.date,
            "language": self.language,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "span": list(self.span),
            "surface": self.surface,
            "mode": self.mode,
        }


@dataclass(slots=True)
class Fact:
    subject: str
    predicate: str
    object: str
    valid_from: str | None
    valid_to: str | None = None
    mode: str = "stated"
    conflict: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    subject_name: str | None = None
    object_name: str | None = None

    def valid_at(self, day: str) -> bool:
        if self.valid_from is not None and first_day(self.valid_from) > day:
            return False
        return self.valid_to is None or first_day(self.valid_to) > day

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "subject_name": self.subject_name,
            "predicate": self.predicate,
            "object": self.object,
            "object_name": self.object_name,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "mode": self.mode,
            "conflict": self.conflict,
            "attrs": self.attrs,
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(slots=True)
class _Assertion:
    subject: str
    predicate: str
    object: str
    valid_from: str | None
    mode: str
    attrs: dict[str, Any]
    source: Source

    def order(self) -> tuple[str, bool, str, str, int, int]:
        vf = first_day(self.valid_from) if self.valid_from else "0000-00-00"
        return (vf, self.mode == "planned", *self.source.key())


_NO_SOURCE = Source("", "", None, "", -1, None, (-1, -1), "", "")


def _assertions(
    conn: Any,
    predicate: str | None,
    person_ids: dict[str, str],
    *,
    subjects: Sequence[str] | None = None,
    without: Sequence[str] = (),
) -> list[_Assertion]:
    """The assertions (of every subject in ``subjects``, when given) of ``predicate``,
    except those of the predicates ``without``, in the order :func:`assemble` takes them."""
    sql = (
        "SELECT f.subject, f.predicate, f.object, f.valid_from, f.mode, f.sentence, f.start,"
        ' f."end", f.attrs, d.name, d.sha256, d.date, d.language, s.text,'
        # The surface from the sentence when the span lies in it: the document's
        # whole text read for each row cost 0.9 s of 2.4 for the 380,000 rows of
        # 10,000 generated documents.
        ' CASE WHEN f.start >= s.start AND f."end" <= s."end"'
        ' THEN substr(s.text, f.start - s.start + 1, f."end" - f.start)'
        ' ELSE substr(d.text, f.start + 1, f."end" - f.start) END'
        " FROM link_facts f JOIN documents d ON d.id = f.doc_id"
        " LEFT JOIN sentences s ON s.doc_id = f.doc_id AND s.idx = f.sentence"
        " WHERE 1 = 1"
    )
    params: list[Any] = []
    if predicate:
        sql += " AND f.predicate = ?"
        params.append(predicate)
    if without:
        sql += f" AND f.predicate NOT IN ({','.join('?' * len(without))})"
        params.extend(without)
    if subjects is None:
        rows: Iterable[tuple[Any, ...]] = conn.execute(sql, params)
    else:
        from communique.link.build import in_batches

        found: list[tuple[Any, ...]] = []
        for batch, marks in in_batches(sorted(set(subjects))):
            found.extend(conn.execute(sql + f" AND f.subject IN ({marks})", [*params, *batch]))
        rows = found
    # A position's attributes are a few hundred distinct texts over hundreds of
    # thousands of rows: each is parsed once (the dicts are only read).
    parsed: dict[str, dict[str, Any]] = {}
    out = []
    for (
        subj,
        pred,
        obj,
        valid_from,
        mode,
        sentence,
        start,
        end,
        attrs,
        file,
        sha,
        date,
        lang,
        stext,
        surface,
    ) in rows:
        if obj.startswith("person:"):
            obj = person_ids.get(obj[7:], obj)
        src = Source(
            file,
            sha,
            date,
            lang,
            sentence,
            stext,
            (start, end),
            surface if start >= 0 else "",
            mode,
        )
        a = parsed.get(attrs)
        if a is None:
            a = parsed[attrs] = json.loads(attrs)
        out.append(_Assertion(subj, pred, obj, valid_from, mode, a, src))
    out.sort(key=lambda a: (a.subject, a.predicate, a.order()))
    return out


def _merge(into: Fact, a: _Assertion) -> None:
    into.sources.append(a.source)
    if a.mode == "stated":
        into.mode = "stated"
    for k, v in a.attrs.items():
        into.attrs.setdefault(k, v)


def assemble(assertions: list[_Assertion]) -> list[Fact]:
    """Periods from assertions sorted by (subject, predicate, order)."""
    facts: list[Fact] = []
    groups: dict[tuple[str, str], list[_Assertion]] = defaultdict(list)
    for a in assertions:
        groups[(_timeline_key(a), a.predicate)].append(a)
    for (_, predicate), items in groups.items():
        subject = items[0].subject
        if predicate in SINGLE_VALUED:
            items.sort(key=_Assertion.order)
            facts.extend(_single(predicate, items))
        else:
            by_object: dict[str, Fact] = {}
            for a in items:
                f = by_object.get(a.object)
                if f is None:
                    f = by_object[a.object] = Fact(
                        subject, predicate, a.object, a.valid_from, mode=a.mode
                    )
                _merge(f, a)
            facts.extend(by_object.values())
    _end_lower_statuses(facts)
    for f in facts:
        f.sources.sort(key=Source.key)
    facts.sort(
        key=lambda f: (
            f.subject,
            f.predicate,
            first_day(f.valid_from) if f.valid_from else "",
            f.object,
        )
    )
    return facts


def _timeline_key(a: _Assertion) -> str:
    """What one timeline is about. A body has one head whatever the office is called
    (an Executive Secretary renamed Secretary General), so the head offices of one
    body share a timeline; deputies are many and keep their own."""
    if a.predicate != "office_holder" or ":" in a.subject or "DEPUTY" in a.subject:
        return a.subject
    from communique.knowledge import load

    entry = load().entry(a.subject)
    return f"head-of:{entry.parent}" if entry is not None and entry.parent else a.subject


def _single(predicate: str, items: list[_Assertion]) -> list[Fact]:
    periods: list[Fact] = []
    open_: list[Fact] = []  # the periods holding at the latest start seen
    for a in items:
        start = first_day(a.valid_from) if a.valid_from else ""
        same = [p for p in open_ if p.object == a.object and p.subject == a.subject]
        if same:
            _merge(same[0], a)
            continue
        cur_start = first_day(open_[0].valid_from) if open_ and open_[0].valid_from else None
        p = Fact(a.subject, predicate, a.object, a.valid_from, mode=a.mode)
        _merge(p, a)
        # the same day, a stated holder and a planned successor: a handover, not a conflict
        if open_ and cur_start == start and all(q.mode == a.mode for q in open_):
            for q in open_:
                q.conflict = True
            p.conflict = True
            open_.append(p)
        else:
            for q in open_:
                q.valid_to = a.valid_from
            open_ = [p]
        periods.append(p)
    return periods


def _end_lower_statuses(facts: list[Fact]) -> None:
    member_from: dict[tuple[str, str], str] = {}
    for f in facts:
        if f.predicate == "member" and f.valid_from:
            member_from[(f.subject, f.object)] = f.valid_from
    for f in facts:
        if f.predicate in _BELOW_MEMBER:
            joined = member_from.get((f.subject, f.object))
            if joined and f.valid_from and first_day(joined) > first_day(f.valid_from):
                f.valid_to = joined


_FEW_PERSONS = 1_000


def _names(facts: list[Fact], conn: Any) -> None:
    from communique.knowledge import load
    from communique.link.entities import all_persons, persons

    kb = load()
    wanted = {f.object for f in facts if f.object.startswith("person:")}
    # a subject's few holders read their own mentions; the store's thousands take
    # the whole list, read once for every such computation
    people: dict[str, str] = {}
    if wanted:
        chosen = all_persons(conn) if len(wanted) > _FEW_PERSONS else persons(conn, ids=wanted)
        people = {p.id: p.name for p in chosen}
    for f in facts:
        if f.subject.startswith("instrument:"):
            f.subject_name = f.attrs.get("name")
        elif ":" in f.subject:
            office, country = f.subject.split(":", 1)
            f.subject_name = f"{kb.name(office)} ({kb.name(country)})"
        else:
            f.subject_name = kb.name(f.subject)
        if f.object.startswith("person:"):
            f.object_name = people.get(f.object, f.object)
        elif f.predicate in ("signed", "meeting"):
            f.object_name = f.object
        else:
            f.object_name = kb.name(f.object)


def facts(
    store: Any,
    *,
    subject: str | None = None,
    predicate: str | None = None,
    at: str | None = None,
    build: bool = True,
    without: Sequence[str] = (),
) -> list[Fact]:
    """Facts with their periods, optionally of one subject / predicate / valid at a day;
    none of the predicates ``without`` (left out in SQL: the periods of one predicate
    never depend on another's, except that membership ends lower statuses, so
    memberships are still read for those).

    The facts of the whole store, and of each subject asked for, are kept until it
    changes (:func:`communique.store.derived.derived`): they are shared, do not
    modify them."""
    from communique.link.build import ensure_built
    from communique.store.derived import derived

    if build:
        ensure_built(store)
    conn = store.conn
    if subject:
        # One subject's periods read only its timeline's assertions, but an
        # organization's positions are thousands (1.3 s for SCO at 10,000 documents):
        # kept too, under a name of their own.
        key = ("facts of", subject, predicate, tuple(sorted(set(without))))
        out = derived(
            conn, key, lambda c: _assembled(c, subject, predicate, without), one_of_many=True
        )
    else:
        # Every period of the store, read and assembled once until the store changes:
        # the organization at a date and the list of meetings ask again and again.
        key = ("facts", predicate, tuple(sorted(set(without))))
        out = derived(conn, key, lambda c: _assembled(c, None, predicate, without))
    if at:
        day = first_day(at)
        return [f for f in out if f.valid_at(day)]
    return list(out)


def _assembled(
    conn: Any, subject: str | None, predicate: str | None, without: Sequence[str]
) -> list[Fact]:
    """The facts of :func:`facts` before the filter by day, names filled in."""
    from communique.link.entities import person_index

    ids = person_index(conn)
    # A subject's periods depend only on the assertions of its timeline (its own, or
    # those of every head office of its body) and the same predicate (and, for
    # statuses below membership, on its membership), so both filters go to SQL.
    subjects = _timeline_subjects(subject) if subject else None
    items = _assertions(
        conn, predicate, ids, subjects=subjects, without=_unread(without, predicate)
    )
    if predicate in _BELOW_MEMBER:
        items += _assertions(conn, "member", ids, subjects=subjects)
        items.sort(key=lambda a: (a.subject, a.predicate, a.order()))
    out = assemble(items)
    if without:
        out = [f for f in out if f.predicate not in without]
    if subject:
        out = [f for f in out if f.subject == subject]
    if predicate:
        out = [f for f in out if f.predicate == predicate]
    _names(out, conn)
    return out


def _unread(without: Sequence[str], predicate: str | None = None) -> tuple[str, ...]:
    """Of the predicates left out of an answer, those whose assertions need not be
    read: all but memberships while a status they end is wanted."""
    wanted = _BELOW_MEMBER - set(without) if predicate is None else _BELOW_MEMBER & {predicate}
    return tuple(p for p in without if not (p == "member" and wanted))


def facts_about(
    store: Any, entity_id: str, *, without: Sequence[str] = ("position",), build: bool = True
) -> list[Fact]:
    """The facts with ``entity_id`` as subject or object, or as the country of an office
    ("PRESIDENT:KZ" for "KZ"), except those of the predicates ``without``.

    The same facts as :func:`facts` filtered so, read from the assertions they
    depend on only: those of the subjects involved and of the offices sharing a
    timeline with them (a fact's period depends on its own timeline and, for a
    status below membership, on the membership of the same subject). An entity's
    page thus reads its neighbourhood, not every fact of the store."""
    from communique.link.build import ensure_built, in_batches
    from communique.link.entities import person_index, person_keys

    if build:
        ensure_built(store)
    conn = store.conn
    ids = person_index(conn)
    objects = sorted({entity_id, *("person:" + k for k in person_keys(conn).get(entity_id, ()))})
    every = fact_subjects(conn)
    seeds = {s for s in every if s == entity_id or s.endswith(":" + entity_id)}
    # Named predicates, so that the lookup by object uses the (predicate, object) index.
    preds = [p for p in PREDICATES if p not in without]
    for batch, marks in in_batches(objects):
        seeds.update(
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT subject FROM link_facts WHERE predicate IN"
                f" ({','.join('?' * len(preds))}) AND object IN ({marks})",
                [*preds, *batch],
            )
        )
    timelines = {_subject_timeline(s) for s in seeds}
    subjects = [s for s in every if _subject_timeline(s) in timelines]
    items = _assertions(conn, None, ids, subjects=subjects, without=_unread(without))
    out = [
        f
        for f in assemble(items)
        if f.predicate not in without
        and (f.subject == entity_id or f.object == entity_id or f.subject.endswith(":" + entity_id))
    ]
    _names(out, conn)
    return out


def fact_subjects(conn: Any) -> list[str]:
    """Every subject of a fact, kept on the connection until the store changes."""
    from communique.store.derived import derived

    return derived(
        conn,
        "fact_subjects",
        lambda c: sorted(r[0] for r in c.execute("SELECT DISTINCT subject FROM link_facts")),
    )


def _timeline_subjects(subject: str) -> list[str]:
    """The subjects whose assertions share a timeline with ``subject``'s: the head
    offices of its body (an Executive Secretary renamed Secretary-General), or itself."""
    from communique.knowledge import load

    key = _subject_timeline(subject)
    if key == subject:
        return [subject]
    return sorted({subject, *(e.code for e in load() if _subject_timeline(e.code) == key)})


def _subject_timeline(subject: str) -> str:
    """The timeline of a subject's office-holder assertions (see :func:`_timeline_key`);
    its own subject for every other predicate, so this groups a superset."""
    return _timeline_key(_Assertion(subject, "office_holder", "", None, "", {}, _NO_SOURCE))


def state_at(store: Any, day: str, organization: str = "SCO") -> dict[str, Any]:
    """What was true of an organization on a day, each item with its sources."""
    from communique.knowledge import load

    kb = load()
    d = first_day(day)
    valid = facts(store, at=d, without=("position", "meeting"))

    def items(pred: str, test: Any) -> list[dict[str, Any]]:
        return [f.to_dict() for f in valid if f.predicate == pred and test(f)]

    def own(code: str) -> bool:
        return code == organization or kb.root(code.split(":")[0]) == organization

    # an instrument is the organization's when its own documents speak of it
    org_docs = {
        r[0]
        for r in store.conn.execute(
            "SELECT sha256 FROM documents WHERE organization = ?", (organization,)
        )
    }

    return {
        "date": d,
        "organization": organization,
        "members": items("member", lambda f: f.object == organization),
        "observers": items("observer", lambda f: f.object == organization),
        "dialogue_partners": items("dialogue_partner", lambda f: f.object == organization),
        "seats": items("seat", lambda f: own(f.subject)),
        "office_holders": items("office_holder", lambda f: ":" not in f.subject and own(f.subject)),
        "presidency": items("presidency", lambda f: f.subject == organization),
        "memoranda": items("memorandum", lambda f: f.subject == organization),
        "instruments": items("signed", lambda f: any(x.sha256 in org_docs for x in f.sources)),
    }


__all__ = [
    "PREDICATES",
    "SINGLE_VALUED",
    "Fact",
    "Source",
    "assemble",
    "fact_subjects",
    "facts",
    "facts_about",
    "state_at",
]
