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
_MIN_WORDS = 2
_MAX_WORDS = 8
# An occurrence joined from overlapping phrases longer than this is a repeated
# passage (a paragraph copied from year to year), not a formula: its core is kept.
_MAX_JOINED = 10
# Cities stay: "Shanghai spirit" is a formula; a city in a meeting's place is procedure.
_NAME_KINDS = ("state", "organization", "body", "office")
# Between two words of one formula: list punctuation and a few stop words, never a
# clause or sentence break, a bracket, a quotation or a number.
_BREAK = re.compile(r"[.;:!?()\[\]{}\"«»“”„。；：！？（）《》「」【】\d]")
_MAX_GAP = 24
# The genre's procedure ("the next meeting was held", "下次会议前", "принять участие в
# заседании") recurs in every document and is no political formula.
# So are its verbs of saying and deciding ("the ministers noted", "们重申",
# "поручили не позднее") and its deadlines and drafts.
_PROCEDURE = frozenset(
    """meeting meetings held hold session sessions next took take part participate
    participated attended attend chaired chair chairmanship presidency regular forthcoming
    venue date agenda delegation delegations report reports noted note informed affairs
    expressed express stressed stress reaffirmed reaffirm welcomed welcome agreed agree
    instructed instruct tasked decided decide emphasized underlined believe believed
    later before end draft drafts prepare prepared submit submitted documents document
    们 号 会议 举行 下次 出席 主持 参加 会晤 届 本次 代表团 团长 期间 前 商定 责成 认为
    指出 重申 支持 强调 欢迎 表示 同意 决定 提交 关于 起草 草案 文件 审议 成立 今年 组织
    заседание совещание встреча состояться проводить провести принять участие прийти
    очередной следующий делегация глава возглавлять председательствовать председательство
    подтвердить отметить выразить приветствовать поручить договориться подчеркнуть
    согласовать согласование поздний позднее проект подготовить документ представить
    рассмотреть решение заявить считать press release информационный сообщение
    新闻公报 公报 出席会议 有关 问题""".split()
)
# A wording may add this many words to its formula ("international terrorism,
# separatism and extremism"); more is the sentence around it, not the formula.
_MAX_EXTRA = 2


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
        seen: dict[str, dict[str, Any]] = {}
        last: str | None = None
        for o in occ:
            norm = _norm(o.text)
            if last is not None and norm != last:
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
            v = seen.get(norm)
            if v is None:
                v = seen[norm] = {"text": norm, "first": o.date, "last": o.date, "file": o.file}
                v["documents"] = 0
                variants.append(v)
            v["last"] = o.date
            v["documents"] += 1
        years = sorted({o.date[:4] for o in occ if o.date})
        return {
            "formula": self.words,
            "language": self.language,
            "documents": len({o.sha256 for o in occ}),
            "dates": len({o.date for o in occ if o.date}),
            "years": [years[0], years[-1]] if years else [],
            "first": _occ(occ[0]) if occ else None,
            "last": _occ(occ[-1]) if occ else None,
            "variants": variants,
            "changes": changes,
        }


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


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
    """Word-level diff: "-word" removed, "+word" added, "=word" kept.

    Words are split on spaces, and Chinese (no spaces) character by character, so
    "下次会议前" → "下次元首理事会会议前" shows only what was added.
    """
    wa, wb = _diff_units(a), _diff_units(b)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend("=" + w for w in wa[i1:i2])
        else:
            out.extend("-" + w for w in wa[i1:i2])
            out.extend("+" + w for w in wb[j1:j2])
    return out


def _diff_units(text: str) -> list[str]:
    out: list[str] = []
    for w in text.split():
        if any("\u3400" <= ch <= "\u9fff" for ch in w):
            out.extend(w)
        else:
            out.append(w)
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


def _segments(
    text: str, base: int, lang: str, masked: list[tuple[int, int]]
) -> list[list[tuple[str, int, int]]]:
    """Runs of content words that may belong to one formula (names and breaks cut them)."""
    runs: list[list[tuple[str, int, int]]] = []
    cur: list[tuple[str, int, int]] = []
    for tok in _content(text, lang, base):
        if any(x < tok[2] and tok[1] < y for x, y in masked):
            if cur:
                runs.append(cur)
            cur = []
            continue
        if cur:
            gap = text[cur[-1][2] - base : tok[1] - base]
            if len(gap) > _MAX_GAP or _BREAK.search(gap):
                runs.append(cur)
                cur = []
        cur.append(tok)
    if cur:
        runs.append(cur)
    return [r for r in runs if len(r) >= _MIN_WORDS]


def _grams(run: list[tuple[str, int, int]]) -> list[tuple[tuple[str, ...], int, int]]:
    out = []
    for n in range(_MIN_WORDS, _MAX_WORDS + 1):
        for i in range(len(run) - n + 1):
            g = run[i : i + n]
            out.append((tuple(t[0] for t in g), g[0][1], g[-1][2]))
    return out


def _procedural(gram: tuple[str, ...]) -> bool:
    if 2 * sum(w in _PROCEDURE for w in gram) >= len(gram):
        return True
    # one-character Chinese words (上, 国, 有) carry no formula by themselves
    return sum(len(w) >= 2 for w in gram) < _MIN_WORDS


def formulas(
    store: Any, *, min_documents: int = 2, limit: int | None = 50, language: str | None = None
) -> list[dict[str, Any]]:
    """Recurring political formulas with first/last appearance and each change of wording.

    A formula is a short run of content words (2–8; names of states, bodies,
    offices, persons and places excluded) found in ``min_documents`` documents or
    more of one language. Phrases contained in a longer one found in the same
    documents are dropped (the longer says it all); phrases overlapping in the same
    sentences are one formula, its wording in each document a variant, each change
    of variant in date order a word-level diff of the formula's span only. Ranked by
    the number of meeting dates, then years spanned, then documents.
    """
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
    persons: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for doc_id, sidx, start, end in conn.execute(
        "SELECT doc_id, sentence, start, \"end\" FROM mentions WHERE kind = 'person'"
    ):
        persons[(doc_id, sidx)].append((start, end))

    def segments(doc_id: int, lang: str, org: str | None) -> list[Any]:
        out = []
        for idx, start, text in conn.execute(
            "SELECT idx, start, text FROM sentences WHERE doc_id = ? ORDER BY idx", (doc_id,)
        ):
            masked = [
                (m.start + start, m.end + start)
                for m in kb.find(text, lang, _NAME_KINDS, organization=org)
            ] + persons.get((doc_id, idx), [])
            out.append((idx, _segments(text, start, lang, masked)))
        return out

    # pass 1: in how many documents each phrase occurs (recomputed in pass 2, not held)
    df: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    for doc_id, (_n, _s, _d, lang, org) in sorted(docs.items()):
        seen: set[tuple[str, ...]] = set()
        for _idx, runs in segments(doc_id, lang, org):
            for run in runs:
                seen.update(g for g, _a, _b in _grams(run))
        for g in seen:
            df[(lang, g)] += 1
    recurring = {k: n for k, n in df.items() if n >= min_documents and not _procedural(k[1])}
    del df
    # a phrase inside a longer recurring phrase of the same documents adds nothing
    covered: set[tuple[str, tuple[str, ...]]] = set()
    for (lang, g), n in recurring.items():
        if len(g) > _MIN_WORDS:
            for sub in (g[1:], g[:-1]):
                if recurring.get((lang, sub)) == n:
                    covered.add((lang, sub))
    kept = {k for k in recurring if k not in covered}

    # near-duplicates: a longer phrase is a wording of the commonest phrase inside it
    # ("international terrorism, separatism, extremism" of "terrorism, separatism and
    # extremism"); joining only phrases that contain the core keeps spans short
    core: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}
    for lang, g in kept:
        best = (lang, g)
        for n in range(_MIN_WORDS, len(g)):
            for i in range(len(g) - n + 1):
                sub = (lang, g[i : i + n])
                if sub in kept and (recurring[sub], len(sub[1])) > (
                    recurring[best],
                    len(best[1]),
                ):
                    best = sub
        core[(lang, g)] = best
    # two formulas side by side in the same documents ("openness and non-alliance and
    # non-interference in internal affairs") make one long phrase; what lies beyond the
    # core is a formula of its own when it recurs
    for (lang, g), (_l, c) in list(core.items()):
        if len(g) - len(c) <= _MAX_EXTRA:
            continue
        at = next(i for i in range(len(g) - len(c) + 1) if g[i : i + len(c)] == c)
        for part in (g[:at], g[at + len(c) :]):
            k = (lang, part)
            if len(part) >= _MIN_WORDS and k in recurring and k not in core:
                core[k] = k

    # pass 2: where the kept phrases occur, joined around their core's occurrence
    spans: dict[tuple[str, tuple[str, ...]], dict[int, tuple[int, int, int]]] = defaultdict(dict)
    for doc_id, (_n, _s, _d, lang, org) in sorted(docs.items()):
        for idx, runs in segments(doc_id, lang, org):
            for run in runs:
                for g, a, b in _grams(run):
                    c = core.get((lang, g))
                    if c is None or len(g) - len(c[1]) > _MAX_EXTRA:
                        continue
                    cur = spans[c].get(doc_id)
                    if cur is None:
                        spans[c][doc_id] = (idx, a, b)
                    elif cur[0] == idx and a < cur[2] and cur[1] < b:
                        spans[c][doc_id] = (idx, min(a, cur[1]), max(b, cur[2]))

    bodies: dict[int, str] = {}

    def body(doc_id: int) -> str:
        if doc_id not in bodies:
            bodies[doc_id] = conn.execute(
                "SELECT text FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()[0]
        return bodies[doc_id]

    found: list[Formula] = []
    for (lang, words), per_doc in spans.items():
        f = Formula(" ".join(words), lang)
        for doc_id, (idx, a, b) in per_doc.items():
            name, sha, date, _lang, _org = docs[doc_id]
            text = body(doc_id)[a:b]
            if len(_content(text, lang, 0)) > _MAX_JOINED:
                continue  # a repeated passage in this document, not a wording of the formula
            f.occurrences.append(_Occurrence(name, sha, date, lang, idx, (a, b), text))
        found.append(f)
    result = [f.to_dict() for f in found if f.occurrences]
    result = [r for r in result if r["documents"] >= min_documents]
    result.sort(
        key=lambda r: (
            -r["dates"],
            # a formula is a fixed phrase of some length; two words are more often a topic
            -min(len(r["formula"].split()), 3),
            -(int(r["years"][-1]) - int(r["years"][0]) if r["years"] else 0),
            -r["documents"],
            r["formula"],
        )
    )
    return result[:limit] if limit else result


__all__ = ["Formula", "formulas", "positions", "word_diff"]
