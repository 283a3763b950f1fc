"""Commitment follow-up: each promise matched with what later documents say.

A commitment (a stored sentence with a deadline) is compared with evidence
rows of later documents of the same organization: sentences that report
something done ("in operation since 2004", 已签署, вступило в силу) or under
way ("continue to draft", 正在, продолжают), dated instruments, and officials
holding an office. Candidates come from an inverted index of the evidence's
keys (knowledge codes, instrument kinds, content terms), using only the
commitment's rarer keys, so no commitment is compared with every sentence.

Matching is by what the texts share, not by their wording: knowledge codes
(bodies, offices, issues, states: the same in every language), the kind of
instrument promised, and content terms. Status:

* ``fulfilled``: a later instrument of the promised kind on the same matter, an
  office the promise would create now held, or a later report of completion;
  ``timing`` is ``on_time`` or ``late`` against the deadline, using the event's
  own date when the text gives one ("of June 17, 2004", "since 2004") and the
  reporting document's date otherwise;
* ``superseded``: a later commitment on the same matter with a later deadline;
* ``in_progress``: only reports of work under way;
* ``overdue`` / ``open``: nothing yet, and the deadline passed / not passed as
  of the organization's newest document.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from communique.extract.dates import first_day, last_day
from communique.link.build import ensure_built, in_batches

STATUSES = ("fulfilled", "in_progress", "open", "overdue", "superseded")
# The kinds of link_evidence rows (communique.link.rules).
EVIDENCE_KINDS = ("done", "progress", "instrument", "office")

# A key held by more than this share of all evidence rows says nothing.
_COMMON_SHARE = 0.2
_MAX_KEYS = 24
_MIN_COMMON = 200


@dataclass(slots=True)
class Evidence:
    kind: str
    file: str
    sha256: str
    doc_date: str | None
    date: str | None  # the event's own date, else the document's
    date_kind: str  # "event" | "document"
    language: str
    sentence_index: int
    sentence: str | None
    span: tuple[int, int]
    score: float
    shared: list[str]
    reason: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "sha256": self.sha256,
            "document_date": self.doc_date,
            "date": self.date,
            "date_kind": self.date_kind,
            "language": self.language,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "span": list(self.span),
            "score": round(self.score, 2),
            "shared": self.shared,
            "reason": self.reason,
        }


@dataclass(slots=True)
class Followup:
    file: str
    sha256: str
    date: str | None
    language: str
    organization: str | None
    sentence_index: int
    sentence: str
    span: tuple[int, int]
    deadline: str | None
    deadline_text: str
    actor: str | None
    status: str
    timing: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    superseded_by: dict[str, Any] | None = None
    # the same promise in the other language versions of its text (one status for all)
    versions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "date": self.date,
            "language": self.language,
            "organization": self.organization,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "span": list(self.span),
            "deadline": self.deadline,
            "deadline_text": self.deadline_text,
            "actor": self.actor,
            "status": self.status,
            "timing": self.timing,
            "evidence": [e.to_dict() for e in self.evidence],
            "superseded_by": self.superseded_by,
            "versions": self.versions,
        }


@dataclass(slots=True)
class _Promise:
    id: int
    doc_id: int
    file: str
    sha256: str
    date: str | None
    language: str
    organization: str | None
    sentence_index: int
    sentence: str
    span: tuple[int, int]
    deadline: str | None
    attrs: dict[str, Any]
    # made once: each promise is compared with thousands of evidence rows and peers
    _keys: list[str] | None = None
    _actions: set[str] | None = None

    def match_keys(self) -> list[str]:
        if self._keys is None:
            a = self.attrs
            org = self.organization
            codes = [c for c in a.get("codes", []) if c != org]
            self._keys = (
                [f"c:{c}" for c in codes]
                + [f"k:{k}" for k in a.get("kinds", [])]
                + [f"t:{t}" for t in a.get("terms", [])]
            )
        return self._keys

    def actions(self) -> set[str]:
        if self._actions is None:
            self._actions = set(self.attrs.get("actions", []))
        return self._actions


def _promises(conn: Any) -> list[_Promise]:
    rows = conn.execute(
        "SELECT c.id, c.doc_id, d.name, d.sha256, d.date, d.language, d.organization, c.sentence,"
        ' s.text, c.start, c."end", c.deadline, c.attrs'
        " FROM link_commitments c JOIN documents d ON d.id = c.doc_id"
        " LEFT JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence"
    )
    out = [
        _Promise(
            cid,
            doc,
            name,
            sha,
            date,
            lang,
            org,
            sidx,
            stext or "",
            (start, end),
            deadline,
            json.loads(attrs),
        )
        for cid, doc, name, sha, date, lang, org, sidx, stext, start, end, deadline, attrs in rows
    ]
    out.sort(key=lambda p: (p.date or "", p.sha256, p.sentence_index))
    return out


# What a shared knowledge code is worth: a body, office, instrument or issue names the
# matter; a state or city only says where or who.
_CODE_WEIGHT = {"body": 2.0, "office": 2.0, "instrument": 2.0, "issue": 1.5, "organization": 1.5}
_PLACE_WEIGHT = 1.0


@dataclass(slots=True)
class _Ctx:
    """What scoring needs beyond the pair: key frequencies and the knowledge pack.

    One per language, for every promise in it: a key's weight is asked for again
    for each of the thousands of pairs it is shared in, and is kept."""

    total: int  # evidence rows in the promise's language (terms are per language)
    df: dict[str, int]
    kb: Any
    _terms: dict[str, float] = field(default_factory=dict)
    _codes: dict[str, tuple[float, str]] = field(default_factory=dict)

    def term_weight(self, key: str) -> float:
        got = self._terms.get(key)
        if got is None:
            # a term in many evidence sentences ("council", "work", 合作) says little
            n = max(self.total, 20)
            df = max(1, self.df.get(key, 1))
            got = self._terms[key] = max(0.0, min(1.0, math.log(n / df) / math.log(n)))
        return got

    def code_weight(self, code: str) -> tuple[float, str]:
        got = self._codes.get(code)
        if got is None:
            entry = self.kb.entry(code)
            kind = entry.kind if entry is not None else "other"
            got = self._codes[code] = (_CODE_WEIGHT.get(kind, _PLACE_WEIGHT), kind)
        return got


def _score(
    p: _Promise,
    ev_kind: str,
    ev_attrs: dict[str, Any],
    shared: list[str],
    ctx: _Ctx,
    at_meeting: str | None,
) -> tuple[float, dict[str, Any]]:
    """How strongly a later sentence reports the promise done, and why (shown in the JSON)."""
    codes = [k[2:] for k in shared if k.startswith("c:")]
    terms = [k for k in shared if k.startswith("t:")]
    kinds = [k[2:] for k in shared if k.startswith("k:")]
    acts = p.actions()
    if ev_kind == "office":
        # An office the promise speaks of is now held: only a promise to create or
        # rename a post ("renaming ... to that of the Secretary General") is kept by it.
        offices = set(p.attrs.get("offices", []))
        held = [c for c in codes if c in offices]
        if held and acts & {"rename", "establish"}:
            return 10.0, {"office_now_held": held, "promised_action": sorted(acts)}
        return 0.0, {}
    weighted_codes = [(c, *ctx.code_weight(c)) for c in codes]
    matter = [c for c, _w, kind in weighted_codes if kind in _CODE_WEIGHT]
    named_kinds = [k for k in kinds if k != "document"]
    if ev_kind == "instrument" and (
        ("conclude" not in acts and "establish" not in acts)
        # "legal documents" alone is met only by the matter or the meeting
        or (not named_kinds and not (matter or at_meeting))
    ):
        return 0.0, {}
    if ev_kind != "instrument":
        # A report in a sentence: it must name the matter (a body, office, issue or the
        # promised instrument) and report the promised kind of action, not only share
        # words. Most pairs fail here, before anything else is weighed.
        common_acts = sorted(acts & set(ev_attrs.get("actions", [])))
        # without a shared name, only the promised action on the same rare words will do
        # ("permanent bodies ... start operating" / "permanent bodies ... in operation")
        by_terms = bool(common_acts) and sum(1 for k in terms if ctx.term_weight(k) >= 0.6) >= 3
        if not (matter or named_kinds or (at_meeting and kinds) or by_terms):
            return 0.0, {}
        if acts and not common_acts and not named_kinds:
            return 0.0, {}
    code_score = sum(w for _c, w, _k in weighted_codes)
    term_score = sum(ctx.term_weight(k) for k in terms)
    reason: dict[str, Any] = {
        "codes": [{"code": c, "kind": k} for c, _w, k in weighted_codes],
        "instrument_kinds": kinds,
        "terms": [k[2:] for k in terms if ctx.term_weight(k) >= 0.5],
    }
    if ev_kind == "instrument":
        reason["promised_action"] = sorted(acts & {"conclude", "establish"})
        score = 3.0 * len(named_kinds) + 1.0 * (len(kinds) - len(named_kinds))
        score += code_score + 1.5 * term_score + (4.0 if at_meeting else 0.0)
        if at_meeting:
            reason["at_promised_meeting"] = at_meeting
        return score, reason
    score = code_score + 1.5 * term_score + 2.0 * len(named_kinds)
    score += 2.0 if common_acts else 0.0
    if not acts:
        # a promise of no recognised action ("circulate", "review") needs more in common
        score -= 2.0
    if ev_kind == "done" and ev_attrs.get("since"):
        score += 1.0  # "in operation since 2004": the report dates the event itself
        reason["event_date"] = ev_attrs["since"]
    if at_meeting and kinds and "conclude" in acts and "conclude" in common_acts:
        # "to be signed at the next meeting of the heads of state": that meeting's
        # record reports instruments signed or approved
        score += 4.0
        reason["at_promised_meeting"] = at_meeting
    reason["common_actions"] = common_acts
    return score, reason


_THRESHOLD = {"instrument": 7.0, "office": 10.0, "done": 5.5, "progress": 6.0}


def followups(store: Any, *, status: str | None = None, build: bool = True) -> list[Followup]:
    """Every stored commitment with its status and evidence, oldest first.

    Following every promise reads the whole link layer, so the answer is kept until
    the store changes (:func:`communique.store.derived.derived`): the follow-ups
    are shared, do not modify them."""
    from communique.store.derived import derived

    if build:
        ensure_built(store)
    every = derived(store.conn, "followups", lambda _: _all_followups(store))
    return [f for f in every if status is None or f.status == status]


def _all_followups(store: Any) -> list[Followup]:
    from communique.knowledge import load

    conn = store.conn
    promises = _promises(conn)
    total = int(conn.execute("SELECT count(*) FROM link_evidence").fetchone()[0]) or 1
    newest: dict[str | None, str] = {}
    for org, d in conn.execute(
        "SELECT organization, max(date) FROM documents WHERE date IS NOT NULL GROUP BY 1"
    ):
        newest[org] = d
    key_df = _key_frequencies(conn, promises)
    # a small store has no common words to speak of; a large one drops its commonest keys
    limit = max(_MIN_COMMON, _COMMON_SHARE * total)
    # Later promises on the same matter are looked up by the codes they share.
    by_code: dict[tuple[str | None, str], list[_Promise]] = defaultdict(list)
    for p in promises:
        for k in dict.fromkeys(p.match_keys()):
            if k.startswith("c:"):
                by_code[(p.organization, k)].append(p)
    kb = load()
    per_language = {
        lang: int(n)
        for lang, n in conn.execute(
            "SELECT d.language, count(*) FROM link_evidence e JOIN documents d ON d.id = e.doc_id"
            " GROUP BY d.language"
        )
    }
    searched: list[tuple[_Promise, list[str]]] = []
    for p in promises:
        keys = [k for k in dict.fromkeys(p.match_keys()) if 0 < key_df.get(k, 0) <= limit]
        keys.sort(key=lambda k: (key_df.get(k, 0), k))
        searched.append((p, keys[:_MAX_KEYS] if p.date else []))
    index = _EvidenceIndex(conn, sorted({k for _p, keys in searched for k in keys}))
    ctxs: dict[str, _Ctx] = {}
    pairs: list[tuple[_Promise, Followup]] = []
    for p, keys in searched:
        ctx = ctxs.get(p.language)
        if ctx is None:
            ctx = ctxs[p.language] = _Ctx(per_language.get(p.language, total), key_df, kb)
        f = _follow(index, p, keys, newest.get(p.organization), by_code, ctx)
        pairs.append((p, f))
    _share_across_versions(store, pairs)
    index.fill_sentences([e for _p, f in pairs for e in f.evidence])
    return [f for _p, f in pairs]


def _key_frequencies(conn: Any, promises: list[_Promise]) -> dict[str, int]:
    wanted = sorted({k for p in promises for k in p.match_keys()})
    df: dict[str, int] = {}
    for chunk, marks in in_batches(wanted):
        for key, n in conn.execute(
            f"SELECT key, count(*) FROM link_evidence_keys WHERE key IN ({marks}) GROUP BY key",
            chunk,
        ):
            df[key] = int(n)
    return df


# The postings of every organization together, for a promise of none.
_ANY_ORG = "\x00any"


def _by_id(conn: Any, select: str, ids: list[int]) -> dict[int, Any]:
    """The rows of ``select`` (its first column ``id``) with those ids, by id, without it."""
    out: dict[int, Any] = {}
    for chunk, marks in in_batches(ids):
        for first, *row in conn.execute(f"{select} WHERE id IN ({marks})", chunk):
            out[first] = tuple(row)
    return out


class _EvidenceIndex:
    """The evidence rows under the keys promises are matched by, read once: for each
    key and organization, its rows in the order of their documents' dates, so that
    a promise takes those of its organization's (or no organization's) later
    documents alone, by bisection, instead of every row under the key (a query per
    promise read 16 million rows at 1,000 documents, in 80 s)."""

    def __init__(self, conn: Any, keys: list[str]) -> None:
        self.conn = conn
        self._attrs: dict[int, dict[str, Any]] = {}
        self.keys_of: dict[int, set[str]] = defaultdict(set)  # of the keys asked for
        postings: dict[tuple[str | None, str, str], list[tuple[str, int]]] = defaultdict(list)
        for chunk, marks in in_batches(keys):
            for ev_id, key, kind, ddate, org in conn.execute(
                "SELECT k.evidence, k.key, e.kind, d.date, d.organization FROM link_evidence_keys k"
                " JOIN link_evidence e ON e.id = k.evidence JOIN documents d ON d.id = e.doc_id"
                f" WHERE k.key IN ({marks}) AND d.date IS NOT NULL",
                chunk,
            ):
                postings[(org, key, kind)].append((ddate, ev_id))
                postings[(_ANY_ORG, key, kind)].append((ddate, ev_id))
                self.keys_of[ev_id].add(key)
        self.dates: dict[tuple[str | None, str, str], list[str]] = {}
        self.ids: dict[tuple[str | None, str, str], list[int]] = {}
        for posting, rows in postings.items():
            rows.sort()
            self.dates[posting] = [d for d, _i in rows]
            self.ids[posting] = [i for _d, i in rows]
        # id -> kind, event date, attrs (JSON), sentence, start, end, document id
        self.rows: dict[int, tuple[str, str | None, str, int, int, int, int]] = _by_id(
            conn,
            'SELECT id, kind, date, attrs, sentence, start, "end", doc_id FROM link_evidence',
            sorted(self.keys_of),
        )
        # document id -> name, sha256, date, language, organization, body
        self.docs: dict[int, tuple[str, str, str | None, str, str | None, str | None]] = _by_id(
            conn,
            "SELECT id, name, sha256, date, language, organization, body FROM documents",
            sorted({r[6] for r in self.rows.values()}),
        )

    def later(
        self,
        keys: list[str],
        date: str,
        organization: str | None,
        kinds: tuple[str, ...] = EVIDENCE_KINDS,
    ) -> dict[int, list[str]]:
        """The rows of ``kinds`` under ``keys`` of documents dated after ``date``, each
        with its keys: documents of ``organization`` or of none (of any, for a
        promise of none)."""
        orgs: tuple[str | None, ...] = (organization, None) if organization else (_ANY_ORG,)
        out: dict[int, list[str]] = defaultdict(list)
        for key in keys:
            for org in orgs:
                for kind in kinds:
                    dates = self.dates.get((org, key, kind))
                    if not dates:
                        continue
                    for ev_id in self.ids[(org, key, kind)][bisect_right(dates, date) :]:
                        out[ev_id].append(key)
        return out

    def attrs(self, ev_id: int) -> dict[str, Any]:
        got = self._attrs.get(ev_id)
        if got is None:
            got = self._attrs[ev_id] = json.loads(self.rows[ev_id][2])
        return got

    def evidence(
        self, ev_id: int, score: float, shared: list[str], reason: dict[str, Any]
    ) -> Evidence:
        """The row as evidence, its sentence's text to come (:meth:`fill_sentences`)."""
        kind, edate, _attrs, sidx, start, end, doc_id = self.rows[ev_id]
        name, sha, ddate, lang, _org, _body = self.docs[doc_id]
        return Evidence(
            kind,
            name,
            sha,
            ddate,
            edate or ddate,
            "event" if edate else "document",
            lang,
            sidx,
            None,
            (start, end),
            score,
            shared,
            reason,
        )

    def fill_sentences(self, kept: list[Evidence]) -> None:
        """The sentence of each evidence shown: read for those alone, not for every row."""
        doc_of = {row[1]: doc_id for doc_id, row in self.docs.items()}
        wanted: dict[int, set[int]] = defaultdict(set)
        for e in kept:
            wanted[doc_of[e.sha256]].add(e.sentence_index)
        text: dict[tuple[int, int], str] = {}
        for doc_id, idxs in sorted(wanted.items()):
            for chunk, marks in in_batches(sorted(idxs)):
                for idx, t in self.conn.execute(
                    f"SELECT idx, text FROM sentences WHERE doc_id = ? AND idx IN ({marks})",
                    [doc_id, *chunk],
                ):
                    text[(doc_id, idx)] = t
        for e in kept:
            e.sentence = text.get((doc_of[e.sha256], e.sentence_index))


def _gates(p: _Promise, keys: list[str], ctx: _Ctx) -> list[str]:
    """Of a promise's keys, those that evidence must share for :func:`_score` to pass it
    (outside the promised meeting): a body, office, instrument, issue or organization,
    a kind of instrument, or, for a promise of a known action, a rare word (three of
    them and the action make a report). Evidence sharing only places and common words
    is never scored: at 1,000 documents, 92% of the pairs of a promise and a later
    row under its keys."""
    offices = p.attrs.get("offices", [])
    acts = p.actions()
    out = []
    for k in keys:
        head, code = k[:2], k[2:]
        if head == "c:":
            if ctx.code_weight(code)[1] in _CODE_WEIGHT or code in offices:
                out.append(k)
        elif head == "k:":
            if code != "document":
                out.append(k)
        elif acts and ctx.term_weight(k) >= 0.6:
            out.append(k)
    return out


def _kinds(p: _Promise) -> tuple[str, ...]:
    """The kinds of evidence :func:`_score` can pass for a promise: reports always,
    instruments only for a promise to conclude or establish one, an office held only
    for a promise to establish or rename it. 95% of the promises at 10,000 generated
    documents name no action, and 6 of every 10 evidence rows are offices or
    instruments: none of those is scored for them."""
    acts = p.actions()
    kinds: tuple[str, ...] = ("done", "progress")
    if acts & {"conclude", "establish"}:
        kinds += ("instrument",)
    if acts & {"rename", "establish"} and p.attrs.get("offices"):
        kinds += ("office",)
    return kinds


def _follow(
    index: _EvidenceIndex,
    p: _Promise,
    keys: list[str],
    newest: str | None,
    by_code: dict[tuple[str | None, str], list[_Promise]],
    ctx: _Ctx,
) -> Followup:
    f = Followup(
        p.file,
        p.sha256,
        p.date,
        p.language,
        p.organization,
        p.sentence_index,
        p.sentence,
        p.span,
        p.deadline,
        p.attrs.get("deadline_text", ""),
        p.attrs.get("actor"),
        "open",
    )
    found: list[Evidence] = []
    if keys and p.date:
        targets = p.attrs.get("targets") or []
        kinds = _kinds(p)
        if targets and p.deadline:
            # evidence of the promised meeting may need no more than a key in common
            candidates = index.later(keys, p.date, p.organization, kinds)
        else:
            candidates = index.later(_gates(p, keys, ctx), p.date, p.organization, kinds)
        for ev_id in sorted(candidates):
            kind, _edate, _attrs, _sidx, _start, _end, doc_id = index.rows[ev_id]
            _name, sha, ddate, _lang, _org, ev_body = index.docs[doc_id]
            if sha == p.sha256:
                continue
            at_meeting = (
                ev_body
                if ev_body in targets and p.deadline and first_day(ddate) <= p.deadline
                else None
            )
            mine = index.keys_of[ev_id]
            shared = sorted(k for k in keys if k in mine)
            score, reason = _score(p, kind, index.attrs(ev_id), shared, ctx, at_meeting)
            if score < _THRESHOLD[kind]:
                continue
            found.append(index.evidence(ev_id, score, shared, reason))
    done = [e for e in found if e.kind in ("instrument", "office", "done")]
    progress = [e for e in found if e.kind == "progress"]
    done.sort(key=lambda e: (first_day(e.date or "9999"), -e.score, e.sha256, e.sentence_index))
    progress.sort(key=lambda e: (-e.score, e.doc_date or "", e.sha256, e.sentence_index))
    if done:
        f.status = "fulfilled"
        f.evidence = done[:3]
        first = done[0]
        if p.deadline and first.date:
            f.timing = "on_time" if first_day(first.date) <= p.deadline else "late"
        return f
    later = _superseding(p, by_code)
    if later is not None:
        f.status = "superseded"
        f.superseded_by = later
        return f
    passed = bool(p.deadline and newest and last_day(newest) > p.deadline)
    if progress:
        f.status = "overdue" if passed else "in_progress"
        f.evidence = progress[:3]
        return f
    f.status = "overdue" if passed else "open"
    return f


_RANK = {"fulfilled": 0, "in_progress": 1, "superseded": 2, "overdue": 3, "open": 4}


def _share_across_versions(store: Any, pairs: list[tuple[_Promise, Followup]]) -> None:
    """One status for a promise and its translations: the best-supported version's.

    The same sentence in the en/zh/ru versions of one text is one promise; the
    evidence found for any of them (each language matches other words) holds for
    all. Sentences are paired through the stored sentence alignment of the
    versions, else by the same deadline in the same order.
    """
    from communique.align import versions

    by_doc: dict[int, list[int]] = defaultdict(list)
    for i, (p, _f) in enumerate(pairs):
        by_doc[p.doc_id].append(i)
    if len(by_doc) < 2:
        return
    try:
        versions.ensure(store)
        groups = versions.groups(store.conn)
    except Exception:  # without version groups each version stands alone
        return
    parent = list(range(len(pairs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for group in groups:
        docs = sorted(d for d in group if d in by_doc)
        for x_pos, x in enumerate(docs):
            for y in docs[x_pos + 1 :]:
                links = versions.alignment(store.conn, x, y) or []
                mapped = False
                for i in by_doc[x]:
                    si = pairs[i][0].sentence_index
                    targets = {t for src, tgt in links if si in src for t in tgt}
                    for j in by_doc[y]:
                        if pairs[j][0].sentence_index in targets:
                            union(i, j)
                            mapped = True
                if mapped or links:
                    continue
                # no alignment stored: the k-th promise with a deadline is the k-th in the other
                xs = [i for i in by_doc[x] if pairs[i][0].deadline]
                ys = [j for j in by_doc[y] if pairs[j][0].deadline]
                for i, j in zip(xs, ys, strict=False):
                    if pairs[i][0].deadline == pairs[j][0].deadline:
                        union(i, j)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(pairs)):
        clusters[find(i)].append(i)
    for members in clusters.values():
        if len(members) < 2:
            continue

        def strength(i: int) -> tuple[int, float, str, int]:
            f = pairs[i][1]
            best = max((e.score for e in f.evidence), default=0.0)
            return (_RANK.get(f.status, 9), -best, f.sha256, f.sentence_index)

        lead = pairs[min(members, key=strength)][1]
        for i in members:
            f = pairs[i][1]
            f.versions = [
                {
                    "file": pairs[j][1].file,
                    "sha256": pairs[j][1].sha256,
                    "language": pairs[j][1].language,
                    "sentence_index": pairs[j][1].sentence_index,
                    "status": pairs[j][1].status,
                }
                for j in sorted(members, key=lambda j: (pairs[j][1].language, pairs[j][1].sha256))
                if j != i
            ]
            if f is lead:
                continue
            f.status, f.timing = lead.status, lead.timing
            f.evidence = list(lead.evidence)
            f.superseded_by = lead.superseded_by
            if f.deadline is None:
                f.deadline = lead.deadline
    return


def _superseding(
    p: _Promise, by_code: dict[tuple[str | None, str], list[_Promise]]
) -> dict[str, Any] | None:
    """A later promise on the same matter (a code in common) with a later deadline and
    an action in common (a deadline moved)."""
    acts = p.actions()
    if not p.deadline or not acts:
        return None  # with no action of its own, no later promise shares one
    peers = {
        q.id: q for k in p.match_keys() if k.startswith("c:") for q in by_code[(p.organization, k)]
    }
    mine = set(p.match_keys())
    for q in sorted(peers.values(), key=lambda q: (q.date or "", q.sha256, q.sentence_index)):
        if (q.date or "") <= (p.date or "") or not q.deadline or q.deadline <= p.deadline:
            continue
        if not acts & q.actions():
            continue
        theirs = q.match_keys()
        shared = [k for k in theirs if k in mine]
        codes = [k for k in shared if k.startswith("c:")]
        if len(shared) >= max(5, 0.5 * min(len(mine), len(theirs))) and codes:
            return {
                "file": q.file,
                "sha256": q.sha256,
                "date": q.date,
                "sentence": q.sentence,
                "deadline": q.deadline,
                "span": list(q.span),
            }
    return None


__all__ = ["STATUSES", "Evidence", "Followup", "followups"]
