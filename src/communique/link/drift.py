"""Positions over time and formula drift.

Positions: the stored position sentences of one issue, in date order, with
the language versions of one text (same organization, body and date) grouped.

Formulas: recurring wordings ("terrorism, separatism and extremism", "openness
and non-alliance") are found as runs of content words shared by several
documents. Each document's content-word trigrams are counted once; a trigram in
two or more documents that is not merely a name (a state, an organization) is a
formula seed, and overlapping seeds of one sentence grow into the formula's
occurrence. Its written form in each document (stop words and punctuation
included) is its variant; each change of variant in date order gets a
word-level diff. Counting is one pass over the sentences, linear in the corpus.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from communique.link.rules import _STOP_EN, _STOP_RU, _STOP_ZH


def positions(store: Any, issue: str, *, organization: str | None = None) -> list[dict[str, Any]]:
    """Sentences stating the organization's position on ``issue``, grouped by text version."""
    sql = (
        "SELECT d.name, d.sha256, d.date, d.language, d.organization, d.body, m.sentence,"
        ' m.start, m."end", s.text, m.attrs FROM mentions m JOIN documents d ON d.id = m.doc_id'
        " LEFT JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence"
        " WHERE m.kind = 'position' AND m.value = ?"
    )
    params: list[Any] = [issue.upper()]
    if organization:
        sql += " AND d.organization = ?"
        params.append(organization)
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for name, sha, date, lang, org, body, sidx, start, end, stext, _attrs in store.conn.execute(
        sql, params
    ):
        key = (date or "", org or "", body or "")
        g = groups.setdefault(
            key,
            {
                "date": date,
                "organization": org,
                "body": body,
                "issue": issue.upper(),
                "versions": {},
            },
        )
        doc = g["versions"].setdefault(
            sha, {"file": name, "sha256": sha, "language": lang, "sentences": []}
        )
        doc["sentences"].append({"sentence_index": sidx, "sentence": stext, "span": [start, end]})
    out = []
    for key in sorted(groups):
        g = groups[key]
        versions = sorted(g["versions"].values(), key=lambda v: (v["language"], v["sha256"]))
        for v in versions:
            v["sentences"].sort(key=lambda s: s["sentence_index"])
        g["versions"] = versions
        out.append(g)
    return out


# ------------------------------------------------------------------ formulas

_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_N = 3
_NAME_KINDS = ("state", "organization", "body", "city")


@dataclass(slots=True)
class _Occurrence:
    file: str
    sha256: str
    date: str | None
    language: str
    sentence_index: int
    span: tuple[int, int]
    text: str


@dataclass(slots=True)
class Formula:
    words: str
    language: str
    occurrences: list[_Occurrence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        occ = sorted(self.occurrences, key=lambda o: (o.date or "", o.sha256, o.span[0]))
        variants: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        last: str | None = None
        for o in occ:
            norm = o.text.lower()
            if norm != last:
                if last is not None:
                    changes.append(
                        {
                            "date": o.date,
                            "file": o.file,
                            "from": last,
                            "to": norm,
                            "diff": word_diff(last, norm),
                        }
                    )
                last = norm
            if not variants or variants[-1]["text"] != norm:
                variants.append({"text": norm, "first": o.date, "file": o.file})
        return {
            "formula": self.words,
            "language": self.language,
            "documents": len({o.sha256 for o in occ}),
            "first": _occ(occ[0]) if occ else None,
            "last": _occ(occ[-1]) if occ else None,
            "variants": variants,
            "changes": changes,
        }


def _occ(o: _Occurrence) -> dict[str, Any]:
    return {
        "file": o.file,
        "sha256": o.sha256,
        "date": o.date,
        "sentence_index": o.sentence_index,
        "span": list(o.span),
        "text": o.text,
    }


def word_diff(a: str, b: str) -> list[str]:
    """Word-level diff: "-word" removed, "+word" added, "=word" kept."""
    wa, wb = a.split(), b.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend("=" + w for w in wa[i1:i2])
        else:
            out.extend("-" + w for w in wa[i1:i2])
            out.extend("+" + w for w in wb[j1:j2])
    return out


def _content(text: str, lang: str, base: int) -> list[tuple[str, int, int]]:
    from communique.segment import words

    stop = _STOP_ZH if lang == "zh" else _STOP_RU if lang == "ru" else _STOP_EN
    out = []
    for t in words(text, lang, base):
        key = (t.lemma or t.text).lower()
        if key in stop or key.isdigit() or (len(key) < 2 and lang != "zh"):
            continue
        out.append((key, t.start, t.end))
    return out


def formulas(
    store: Any, *, min_documents: int = 2, limit: int | None = 50, language: str | None = None
) -> list[dict[str, Any]]:
    """Recurring formulas with first/last appearance and the diffs of each change of wording."""
    from communique.knowledge import load

    kb = load()
    conn = store.conn
    docs = {
        doc_id: (name, sha, date, lang, org)
        for doc_id, name, sha, date, lang, org in conn.execute(
            "SELECT id, name, sha256, date, language, organization FROM documents"
        )
        if language is None or lang == language
    }

    def sentences(doc_id: int, lang: str, org: str | None) -> list[Any]:
        out = []
        for idx, start, text in conn.execute(
            "SELECT idx, start, text FROM sentences WHERE doc_id = ? ORDER BY idx", (doc_id,)
        ):
            names = [
                (m.start + start, m.end + start)
                for m in kb.find(text, lang, _NAME_KINDS, organization=org)
            ]
            toks = [
                t
                for t in _content(text, lang, start)
                if not any(x <= t[1] and t[2] <= y for x, y in names)
            ]
            out.append((idx, toks))
        return out

    # pass 1: in how many documents each content trigram occurs (tokens are
    # recomputed in pass 2 rather than held: memory stays at the counts)
    df: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    for doc_id, (_name, _sha, _date, lang, org) in sorted(docs.items()):
        seen: set[tuple[str, ...]] = set()
        for _idx, toks in sentences(doc_id, lang, org):
            for i in range(len(toks) - _N + 1):
                seen.add(tuple(t[0] for t in toks[i : i + _N]))
        for g in seen:
            df[(lang, g)] += 1

    def recurring(lang: str, toks: list[tuple[str, int, int]]) -> bool:
        return df.get((lang, tuple(t[0] for t in toks)), 0) >= min_documents

    # pass 2: where each recurring trigram occurs; trigrams that always occur
    # together (the same sentences) are one formula, their spans joined
    where: dict[tuple[str, tuple[str, ...]], dict[tuple[int, int], tuple[int, int]]] = {}
    for doc_id, (_name, _sha, _date, lang, org) in sorted(docs.items()):
        for idx, toks in sentences(doc_id, lang, org):
            for i in range(len(toks) - _N + 1):
                gram = toks[i : i + _N]
                if not recurring(lang, gram):
                    continue
                spans = where.setdefault((lang, tuple(t[0] for t in gram)), {})
                a, b = spans.get((doc_id, idx), (gram[0][1], gram[-1][2]))
                spans[(doc_id, idx)] = (min(a, gram[0][1]), max(b, gram[-1][2]))
    together: dict[tuple[str, frozenset[tuple[int, int]]], dict[tuple[int, int], tuple[int, int]]]
    together = {}
    for (lang, _gram), spans in where.items():
        joined = together.setdefault((lang, frozenset(spans)), {})
        for k, (a, b) in spans.items():
            x, y = joined.get(k, (a, b))
            joined[k] = (min(a, x), max(b, y))
    bodies: dict[int, str] = {}

    def body(doc_id: int) -> str:
        if doc_id not in bodies:
            bodies[doc_id] = conn.execute(
                "SELECT text FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()[0]
        return bodies[doc_id]

    found: dict[tuple[str, str], Formula] = {}
    for (lang, _sig), spans in together.items():
        occ = []
        for (doc_id, idx), (a, b) in spans.items():
            name, sha, date, _lang, _org = docs[doc_id]
            occ.append(_Occurrence(name, sha, date, lang, idx, (a, b), body(doc_id)[a:b]))
        occ.sort(key=lambda o: (o.date or "", o.sha256, o.span[0]))
        words = " ".join(w for w, _, _ in _content(occ[0].text, lang, 0))
        f = found.setdefault((lang, words), Formula(words, lang))
        f.occurrences.extend(occ)
    result = [f.to_dict() for f in found.values()]
    result = [r for r in result if r["documents"] >= min_documents]
    # formulas whose wording changed first, then the most widespread
    result.sort(
        key=lambda r: (not r["changes"], -r["documents"], r["first"]["date"] or "", r["formula"])
    )
    return result[:limit] if limit else result


__all__ = ["Formula", "formulas", "positions", "word_diff"]
