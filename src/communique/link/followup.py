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
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from communique.extract.dates import first_day, last_day
from communique.link.build import ensure_built, in_batches

STATUSES = ("fulfilled", "in_progress", "open", "overdue", "superseded")

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

    def match_keys(self) -> list[str]:
        a = self.attrs
        org = self.organization
        codes = [c for c in a.get("codes", []) if c != org]
        return (
            [f"c:{c}" for c in codes]
            + [f"k:{k}" for k in a.get("kinds", [])]
            + [f"t:{t}" for t in a.get("terms", [])]
        )


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
    """What scoring needs beyond the pair: key frequencies and the knowledge pack."""

    total: int  # evidence rows in the promise's language (terms are per language)
    df: dict[str, int]
    kb: Any

    def term_weight(self, key: str) -> float:
        # a term in many evidence sentences ("council", "work", 合作) says little
        n = max(self.total, 20)
        df = max(1, self.df.get(key, 1))
        return max(0.0, min(1.0, math.log(n / df) / math.log(n)))

    def code_weight(self, code: str) -> tuple[float, str]:
        entry = self.kb.entry(code)
        kind = entry.kind if entry is not None else "other"
        return _CODE_WEIGHT.get(kind, _PLACE_WEIGHT), kind


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
    offices = set(p.attrs.get("offices", []))
    acts = set(p.attrs.get("actions", []))
    if ev_kind == "office":
        # An office the promise speaks of is now held: only a promise to create or
        # rename a post ("renaming ... to that of the Secretary General") is kept by it.
        held = [c for c in codes if c in offices]
        if held and acts & {"rename", "establish"}:
            return 10.0, {"office_now_held": held, "promised_action": sorted(acts)}
        return 0.0, {}
    weighted_codes = [(c, *ctx.code_weight(c)) for c in codes]
    matter = [c for c, _w, kind in weighted_codes if kind in _CODE_WEIGHT]
    code_score = sum(w for _c, w, _k in weighted_codes)
    term_score = sum(ctx.term_weight(k) for k in terms)
    named_kinds = [k for k in kinds if k != "document"]
    reason: dict[str, Any] = {
        "codes": [{"code": c, "kind": k} for c, _w, k in weighted_codes],
        "instrument_kinds": kinds,
        "terms": [k[2:] for k in terms if ctx.term_weight(k) >= 0.5],
    }
    if ev_kind == "instrument":
        if "conclude" not in acts and "establish" not in acts:
            return 0.0, {}
        if not named_kinds and not (matter or at_meeting):
            return 0.0, {}  # "legal documents" alone is met only by the matter or the meeting
        reason["promised_action"] = sorted(acts & {"conclude", "establish"})
        score = 3.0 * len(named_kinds) + 1.0 * (len(kinds) - len(named_kinds))
        score += code_score + 1.5 * term_score + (4.0 if at_meeting else 0.0)
        if at_meeting:
            reason["at_promised_meeting"] = at_meeting
        return score, reason
    # A report in a sentence: it must name the matter (a body, office, issue or the
    # promised instrument) and report the promised kind of action, not only share words.
    common_acts = sorted(acts & set(ev_attrs.get("actions", [])))
    strong_terms = [k for k in terms if ctx.term_weight(k) >= 0.6]
    # without a shared name, only the promised action on the same rare words will do
    # ("permanent bodies ... start operating" / "permanent bodies ... in operation")
    by_terms = bool(common_acts) and len(strong_terms) >= 3
    if not (matter or named_kinds or (at_meeting and kinds) or by_terms):
        return 0.0, {}
    if acts and not common_acts and not named_kinds:
        return 0.0, {}
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
    """Every stored commitment with its status and evidence, oldest first."""
    from communique.knowledge import load

    if build:
        ensure_built(store)
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
    pairs: list[tuple[_Promise, Followup]] = []
    for p in promises:
        keys = [k for k in dict.fromkeys(p.match_keys()) if 0 < key_df.get(k, 0) <= limit]
        keys.sort(key=lambda k: (key_df.get(k, 0), k))
        peers = {
            q.id: q
            for k in p.match_keys()
            if k.startswith("c:")
            for q in by_code[(p.organization, k)]
        }
        f = _follow(
            conn,
            p,
            keys[:_MAX_KEYS],
            newest.get(p.organization),
            list(peers.values()),
            _Ctx(per_language.get(p.language, total), key_df, kb),
        )
        pairs.append((p, f))
    _share_across_versions(store, pairs)
    return [f for _p, f in pairs if status is None or f.status == status]


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


def _follow(
    conn: Any,
    p: _Promise,
    keys: list[str],
    newest: str | None,
    peers: list[_Promise],
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
    candidates: dict[int, list[str]] = defaultdict(list)
    if keys and p.date:
        marks = ",".join("?" * len(keys))
        for ev_id, key in conn.execute(
            f"SELECT evidence, key FROM link_evidence_keys WHERE key IN ({marks})", keys
        ):
            candidates[ev_id].append(key)
    found: list[Evidence] = []
    if candidates:
        for chunk, marks in in_batches(sorted(candidates)):
            for (
                ev_id,
                kind,
                edate,
                attrs,
                sidx,
                start,
                end,
                name,
                sha,
                ddate,
                lang,
                org,
                stext,
                ev_body,
            ) in conn.execute(
                'SELECT e.id, e.kind, e.date, e.attrs, e.sentence, e.start, e."end", d.name,'
                " d.sha256, d.date, d.language, d.organization, s.text, d.body"
                " FROM link_evidence e JOIN documents d ON d.id = e.doc_id"
                " LEFT JOIN sentences s ON s.doc_id = e.doc_id AND s.idx = e.sentence"
                f" WHERE e.id IN ({marks})",
                chunk,
            ):
                if not ddate or ddate <= (p.date or "") or sha == p.sha256:
                    continue
                if p.organization and org and org != p.organization:
                    continue
                shared = sorted(candidates[ev_id])
                ev_attrs = json.loads(attrs)
                targets = p.attrs.get("targets") or []
                at_meeting = (
                    ev_body
                    if ev_body in targets and p.deadline and first_day(ddate) <= p.deadline
                    else None
                )
                score, reason = _score(p, kind, ev_attrs, shared, ctx, at_meeting)
                if score < _THRESHOLD[kind]:
                    continue
                date = edate or ddate
                found.append(
                    Evidence(
                        kind,
                        name,
                        sha,
                        ddate,
                        date,
                        "event" if edate else "document",
                        lang,
                        sidx,
                        stext,
                        (start, end),
                        score,
                        shared,
                        reason,
                    )
                )
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
    later = _superseding(p, peers)
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


def _superseding(p: _Promise, peers: list[_Promise]) -> dict[str, Any] | None:
    """A later promise on the same matter with a later deadline (a deadline moved)."""
    if not p.deadline:
        return None
    mine = set(p.match_keys())
    for q in sorted(peers, key=lambda q: (q.date or "", q.sha256, q.sentence_index)):
        if (q.date or "") <= (p.date or "") or not q.deadline or q.deadline <= p.deadline:
            continue
        theirs = q.match_keys()
        shared = [k for k in theirs if k in mine]
        codes = [k for k in shared if k.startswith("c:")]
        if (
            len(shared) >= max(5, 0.5 * min(len(mine), len(theirs)))
            and codes
            and set(p.attrs.get("actions", [])) & set(q.attrs.get("actions", []))
        ):
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
