"""Language versions of one text: find them among stored documents, group them, keep their alignments.

Two stored documents are versions of one text when

* their languages differ and their metadata do not contradict each other (a
  date both know is the same, to the precision both give; organization and
  body agree where both are dated official texts, whose metadata the
  extraction reads reliably; an undated document's organization is only a guess
  from the organizations it names, so there it is not a test);
* they name the same things: the sets of language-independent anchors (codes,
  numbers, dates) of the two documents overlap (cosine of the sets at least
  0.75). Translations measured 0.91-1.0 (the seeds, the test texts); different
  texts of one meeting 0.08-0.65 (real statements and communiqués of one CICA or
  SCO meeting) and generated texts of one date 0.31-0.56, which the aligner
  alone accepted: sentences written from shared templates translate each other
  one by one. A pair that fails this is rejected without aligning it;
* their content aligns: the sentence aligner links nearly every sentence, the
  links find most of their words and anchors on the other side, and the
  language-independent anchors (codes, numbers, dates) of linked sentences
  agree. Two different texts of one meeting (a declaration and a communiqué of
  one summit) share date, body, states and organizations, but forced into one
  alignment their linked sentences do not translate each other: the mean link
  score stays far below that of a translation (measured on the seeds and on
  official white papers: translations 0.6-0.7, different texts 0.1-0.25).

Every pair evaluated is kept (``version_pairs``, with its sentence links), and
the groups (``version_groups``) are recomputed from the accepted pairs by one
deterministic greedy pass (best pair first, ties by content hash, one document
per language in a group, no rejected pair inside a group), so the groups are the
same whatever the order in which the documents arrived.
"""

from __future__ import annotations

import bisect
import json
import math
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import orjson

from communique.align.anchors import text_anchors
from communique.records import json_text

# Raise when the features or the content test change: every pair is evaluated again.
VERSION = 2
# Features stored with a document by the writer (computed where the document
# was processed) carry -VERSION until the document has been tested against the
# others: a crash in between leaves it pending, and ``ensure`` takes it up.
PENDING = -VERSION

# Extraction values that read the same in every language.
_ANCHOR_KINDS = ("state", "organization", "body", "date")

# The content test (see the module docstring for the measured ranges).
MIN_COVERAGE = 0.75  # share of sentences, both sides, inside links with both sides
MIN_MEAN_SCORE = 0.40  # mean link score, weighted by sentences
MIN_GOOD_LINKS = 0.60  # share of links scoring at least GOOD_LINK
GOOD_LINK = 0.20
MIN_ANCHOR_AGREEMENT = 0.70  # of links with anchors on both sides, share that share one
MIN_ANCHORED_LINKS = 3  # fewer anchored links than this: agreement is not tested
MIN_SENTENCES = 2
MAX_SENTENCE_RATIO = 2.5  # a translation does not have 2.5 times the sentences of its source
CANDIDATES_PER_LANGUAGE = 3  # best anchor fingerprints aligned per new document and language
MIN_FINGERPRINT = 0.15  # anchor overlap of a candidate (below: not even tested)
MIN_ANCHOR_OVERLAP = 0.75  # cosine of the two documents' sets of anchors
MIN_DOC_ANCHORS = 5  # fewer distinct anchors on a side: the overlap is not tested
FINGERPRINT_WINDOW = 4096  # fingerprints kept in memory while candidates are chosen


@dataclass(slots=True, frozen=True)
class DocMeta:
    id: int
    sha256: str
    language: str
    date: str | None
    organization: str | None
    body: str | None
    sentences: int

    @property
    def key(self) -> tuple[str, str]:
        """Orientation of a pair: the same whatever the ids, so the same in any ingest order."""
        return (self.language, self.sha256)


@dataclass(slots=True)
class PairVerdict:
    a: int
    b: int
    accepted: bool
    score: float
    stats: dict[str, float]
    links: list[tuple[list[int], list[int], float]]


# ------------------------------------------------------------------ metadata


def _meta(conn: sqlite3.Connection, ids: Iterable[int] | None = None) -> dict[int, DocMeta]:
    sql = (
        "SELECT d.id, d.sha256, d.language, d.date, d.organization, d.body,"
        " (SELECT count(*) FROM sentences s WHERE s.doc_id = d.id) FROM documents d"
    )
    if ids is None:
        rows = conn.execute(sql).fetchall()
    else:
        wanted = list(ids)
        rows = []
        for k in range(0, len(wanted), 500):
            chunk = wanted[k : k + 500]
            rows += conn.execute(
                sql + f" WHERE d.id IN ({', '.join('?' * len(chunk))})", chunk
            ).fetchall()
    return {int(r[0]): DocMeta(int(r[0]), r[1], r[2], r[3], r[4], r[5], int(r[6])) for r in rows}


def _dates_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def compatible(x: DocMeta, y: DocMeta) -> bool:
    """Whether metadata allow ``x`` and ``y`` to be versions of one text."""
    if x.language == y.language or x.id == y.id:
        return False
    if min(x.sentences, y.sentences) < MIN_SENTENCES:
        return False
    if max(x.sentences, y.sentences) > MAX_SENTENCE_RATIO * min(x.sentences, y.sentences):
        return False
    if not _dates_agree(x.date, y.date):
        return False
    if x.date and y.date:
        for u, v in ((x.organization, y.organization), (x.body, y.body)):
            if u and v and u != v:
                return False
    return True


# ------------------------------------------------------------------ features


def sentence_anchors(
    conn: sqlite3.Connection, doc_id: int
) -> tuple[str, list[str], list[set[str]]]:
    """Language, sentence texts and per-sentence anchors of a stored document.

    Anchors are the aligner's own (numbers, months, Latin acronyms) plus the
    codes and ISO dates the extraction stored for the sentence.
    """
    lang = conn.execute("SELECT language FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
    texts = _texts(conn, doc_id)
    kinds = (*_ANCHOR_KINDS, "instrument")
    mentions = conn.execute(
        "SELECT kind, value, sentence, attrs FROM mentions"
        f" WHERE doc_id = ? AND kind IN ({', '.join('?' * len(kinds))})",
        (doc_id, *kinds),
    ).fetchall()
    return lang, texts, document_anchors(lang, texts, mentions)


def document_anchors(
    lang: str, texts: Sequence[str], mentions: Iterable[tuple[str, str, int, Any]]
) -> list[set[str]]:
    """Per-sentence anchors of a document from its sentence texts and extracted
    values ``(kind, value, sentence, attrs)``, attrs as a dict or its JSON."""
    anchors = [text_anchors(t, lang) for t in texts]
    for kind, value, sentence, attrs in mentions:
        if not 0 <= sentence < len(anchors):
            continue
        if kind in _ANCHOR_KINDS:
            if value:
                anchors[sentence].add(f"{kind}:{value}")
        elif kind == "instrument":
            a = json.loads(attrs) if isinstance(attrs, str) else attrs
            if a.get("number"):
                anchors[sentence].add(f"n:{a['number']}")
            if a.get("date"):
                anchors[sentence].add(f"d:{a['date']}")
    return anchors


def features_json(anchors: Sequence[Iterable[str]]) -> str:
    """The stored form of a document's anchors (``version_features.anchors``)."""
    return json_text([sorted(s) for s in anchors])


def _fingerprint(anchors: Iterable[Iterable[str]]) -> frozenset[str]:
    # A set, not counts: the organization and the date a document names in
    # every other sentence outweighed all else in a vector of counts, and every
    # candidate shares them (unrelated texts of one date: cosine 0.65-0.96).
    # Latin words are anchors only inside a non-Latin text; across a Latin
    # pair they would just measure the shared language.
    return frozenset(a for s in anchors for a in s if not a.startswith("lat:"))


def _overlap(x: frozenset[str], y: frozenset[str]) -> float:
    if not x or not y:
        return 0.0
    return len(x & y) / math.sqrt(len(x) * len(y))


def anchor_overlap(
    a_anchors: Iterable[Iterable[str]], b_anchors: Iterable[Iterable[str]]
) -> tuple[float, int]:
    """Cosine of the two documents' sets of anchors, and the smaller set's size."""
    fa, fb = _fingerprint(a_anchors), _fingerprint(b_anchors)
    return _overlap(fa, fb), min(len(fa), len(fb))


def unlike(overlap: float, doc_anchors: int) -> bool:
    """Whether the anchors alone rule a pair out (enough of them, too few shared)."""
    return doc_anchors >= MIN_DOC_ANCHORS and overlap < MIN_ANCHOR_OVERLAP


def _unaligned(overlap: float, doc_anchors: int) -> dict[str, float]:
    return {"anchor_overlap": round(overlap, 4), "doc_anchors": doc_anchors, "links": 0}


# ------------------------------------------------------------ content test


def evaluate(
    a_lang: str,
    a_texts: list[str],
    a_anchors: list[set[str]],
    b_lang: str,
    b_texts: list[str],
    b_anchors: list[set[str]],
) -> tuple[bool, float, dict[str, float], list[tuple[list[int], list[int], float]]]:
    """Align two texts and decide whether they translate each other.

    Returns (accepted, score, statistics, links); the score is the mean link
    score. Documents whose anchors rule them out are not aligned (no links, score 0).
    """
    from communique.align import align

    overlap, doc_anchors = anchor_overlap(a_anchors, b_anchors)
    if unlike(overlap, doc_anchors):
        return False, 0.0, _unaligned(overlap, doc_anchors), []
    result = align(a_texts, b_texts, a_lang, b_lang, src_anchors=a_anchors, tgt_anchors=b_anchors)
    links = [(list(k.src), list(k.tgt), float(k.score)) for k in result.links]
    stats = content_stats(links, a_anchors, b_anchors, len(a_texts), len(b_texts))
    stats.update(anchor_overlap=round(overlap, 4), doc_anchors=doc_anchors)
    accepted = (
        stats["coverage"] >= MIN_COVERAGE
        and stats["mean_score"] >= MIN_MEAN_SCORE
        and stats["good_links"] >= MIN_GOOD_LINKS
        and (
            stats["anchored_links"] < MIN_ANCHORED_LINKS
            or stats["anchor_agreement"] >= MIN_ANCHOR_AGREEMENT
        )
    )
    return accepted, stats["mean_score"], stats, links


def content_stats(
    links: Sequence[tuple[list[int], list[int], float]],
    a_anchors: Sequence[set[str]],
    b_anchors: Sequence[set[str]],
    n: int,
    m: int,
) -> dict[str, float]:
    both = [k for k in links if k[0] and k[1]]
    weight = sum(len(s) + len(t) for s, t, _ in both)
    coverage = weight / max(n + m, 1)
    mean = sum(sc * (len(s) + len(t)) for s, t, sc in both) / weight if weight else 0.0
    good = sum(1 for *_, sc in both if sc >= GOOD_LINK) / len(both) if both else 0.0
    one_one = sum(1 for s, t, _ in both if len(s) == len(t) == 1) / len(both) if both else 0.0
    # Only anchors both texts show can testify: the rest were simply not translated as such.
    shared = set().union(*a_anchors) & set().union(*b_anchors) if a_anchors and b_anchors else set()
    anchored = agreeing = 0
    for s, t, _ in both:
        xa = set().union(*(a_anchors[i] for i in s)) & shared
        xb = set().union(*(b_anchors[j] for j in t)) & shared
        if xa and xb:
            anchored += 1
            agreeing += bool(xa & xb)
    return {
        "coverage": round(coverage, 4),
        "mean_score": round(mean, 4),
        "good_links": round(good, 4),
        "one_one": round(one_one, 4),
        "anchored_links": anchored,
        "anchor_agreement": round(agreeing / anchored, 4) if anchored else 0.0,
        "links": len(links),
    }


# --------------------------------------------------------------- the tables


def _stored_features(conn: sqlite3.Connection, doc_id: int) -> str | None:
    row = conn.execute(
        "SELECT anchors FROM version_features WHERE doc_id = ? AND version IN (?, ?)",
        (doc_id, VERSION, PENDING),
    ).fetchone()
    return None if row is None else str(row[0])


def _features(conn: sqlite3.Connection, doc_id: int) -> list[set[str]] | None:
    stored = _stored_features(conn, doc_id)
    return None if stored is None else [set(x) for x in orjson.loads(stored)]


def _stored_fingerprint(store: Any, doc_id: int) -> frozenset[str]:
    """:func:`_fingerprint` of a document's stored anchors, read without making a
    set per sentence: grouping 100,000 documents read 106,000 of them, and the
    sets (with ``json.loads``) were a third of its time, spent mostly on
    candidates ruled out by their fingerprints alone."""
    stored = _stored_features(store.conn, doc_id)
    if stored is None:
        _, _, anchors = _store_features(store, doc_id)
        return _fingerprint(anchors)
    return _fingerprint((set(chain.from_iterable(orjson.loads(stored))),))


def _without_features(conn: sqlite3.Connection, ids: Sequence[int]) -> list[int]:
    """Those of ``ids`` whose features are not stored (or are of other rules)."""
    have: set[int] = set()
    for k in range(0, len(ids), 500):
        chunk = ids[k : k + 500]
        have.update(
            int(r[0])
            for r in conn.execute(
                "SELECT doc_id FROM version_features WHERE version IN (?, ?)"
                f" AND doc_id IN ({', '.join('?' * len(chunk))})",
                (VERSION, PENDING, *chunk),
            )
        )
    return [i for i in ids if i not in have]


def _pair_row(conn: sqlite3.Connection, x: int, y: int) -> tuple[Any, ...] | None:
    return conn.execute(
        "SELECT a_id, b_id, accepted, score, links FROM version_pairs"
        " WHERE version = ? AND ((a_id = ? AND b_id = ?) OR (a_id = ? AND b_id = ?))",
        (VERSION, x, y, y, x),
    ).fetchone()


def _write(store: Any, sql_rows: list[tuple[str, Sequence[Any]]]) -> None:
    with store._lock:
        conn = store.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sql, params in sql_rows:
                conn.execute(sql, params)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _store_features(store: Any, doc_id: int) -> tuple[str, list[str], list[set[str]]]:
    lang, texts, anchors = sentence_anchors(store.conn, doc_id)
    _write(
        store,
        [
            (
                "INSERT OR REPLACE INTO version_features (doc_id, version, anchors) VALUES (?, ?, ?)",
                (doc_id, PENDING, features_json(anchors)),
            ),
        ],
    )
    return lang, texts, anchors


def _texts(conn: sqlite3.Connection, doc_id: int) -> list[str]:
    return [
        r[0]
        for r in conn.execute("SELECT text FROM sentences WHERE doc_id = ? ORDER BY idx", (doc_id,))
    ]


# A pair to test, as sent to a worker: ids, then language, sentences and anchors of each side.
PairWork = tuple[int, int, str, list[str], list[set[str]], str, list[str], list[set[str]]]
# Pairs read, tested and stored together (one transaction of verdicts).
PAIR_BLOCK = 256


def _oriented(x: DocMeta, y: DocMeta) -> tuple[DocMeta, DocMeta]:
    return (x, y) if x.key <= y.key else (y, x)


def _anchors(store: Any, doc_id: int) -> list[set[str]]:
    anchors = _features(store.conn, doc_id)
    if anchors is None:
        _, _, anchors = _store_features(store, doc_id)
    return anchors


def evaluate_work(items: list[PairWork]) -> list[PairVerdict]:
    """The content test on pairs read from the store: pure, so it runs on any worker."""
    out = []
    for a, b, a_lang, a_texts, fa, b_lang, b_texts, fb in items:
        accepted, score, stats, links = evaluate(a_lang, a_texts, fa, b_lang, b_texts, fb)
        out.append(PairVerdict(a, b, accepted, score, stats, links))
    return out


def _store_verdicts(store: Any, verdicts: Sequence[PairVerdict]) -> None:
    _write(
        store,
        [
            (
                "INSERT OR REPLACE INTO version_pairs (a_id, b_id, version, accepted, score,"
                " stats, links) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    v.a,
                    v.b,
                    VERSION,
                    int(v.accepted),
                    round(v.score, 6),
                    json.dumps(v.stats),
                    json.dumps([[s, t, round(sc, 4)] for s, t, sc in v.links]),
                ),
            )
            for v in verdicts
        ],
    )


def _evaluate_block(
    store: Any, pairs: Sequence[tuple[DocMeta, DocMeta]], engine: Any
) -> list[PairVerdict]:
    from communique.pipeline import chunk_size

    block = [_oriented(x, y) for x, y in pairs]
    anchors: dict[int, list[set[str]]] = {}
    prints: dict[int, frozenset[str]] = {}
    texts: dict[int, list[str]] = {}
    ruled_out: dict[tuple[int, int], PairVerdict] = {}
    work: list[PairWork] = []
    for a, b in block:
        for d in (a, b):
            if d.id not in prints:
                prints[d.id] = _stored_fingerprint(store, d.id)
        # Most candidates of a large archive end here, before their sentences are read.
        fa, fb = prints[a.id], prints[b.id]
        overlap, doc_anchors = _overlap(fa, fb), min(len(fa), len(fb))
        if unlike(overlap, doc_anchors):
            ruled_out[(a.id, b.id)] = PairVerdict(
                a.id, b.id, False, 0.0, _unaligned(overlap, doc_anchors), []
            )
            continue
        for d in (a, b):
            if d.id not in texts:
                texts[d.id] = _texts(store.conn, d.id)
                anchors[d.id] = _anchors(store, d.id)
        work.append(
            (a.id, b.id, a.language, texts[a.id], anchors[a.id],
             b.language, texts[b.id], anchors[b.id])
        )  # fmt: skip
    if engine is None or engine.workers <= 1 or len(work) < 2:
        aligned = evaluate_work(work)
    else:
        aligned = list(engine.map(evaluate_work, work, chunk_size(len(work), engine, 8)))
    by_pair = {(v.a, v.b): v for v in aligned} | ruled_out
    verdicts = [by_pair[(a.id, b.id)] for a, b in block]
    _store_verdicts(store, verdicts)
    return verdicts


def evaluate_pairs(store: Any, pairs: Sequence[tuple[DocMeta, DocMeta]], engine: Any = None) -> int:
    """Align pairs of stored documents and store the verdicts, on ``engine``'s workers
    when it has several (``communique.pipeline.Engine``): aligning is most of what
    grouping costs, and a large ingest finds a pair or so per document. Returns
    how many were aligned; the verdicts are in the store only (their links held
    ~0.7 GB at 40,000 pairs)."""
    for k in range(0, len(pairs), PAIR_BLOCK):
        _evaluate_block(store, pairs[k : k + PAIR_BLOCK], engine)
    return len(pairs)


def evaluate_pair(store: Any, x: DocMeta, y: DocMeta) -> PairVerdict:
    """Align two stored documents (oriented by language and hash) and store the verdict."""
    return _evaluate_block(store, [(x, y)], None)[0]


def update(store: Any, doc_ids: Iterable[int] | None = None, engine: Any = None) -> list[list[int]]:
    """Evaluate new documents against the stored ones and regroup; returns the groups.

    ``doc_ids``: the documents that are new (None: every document whose
    features are missing or were computed by another version of these rules).
    ``engine``: where the pairs are aligned (default: this process).
    """
    conn = store.conn
    meta = _meta(conn)
    if doc_ids is None:
        done = {
            int(r[0])
            for r in conn.execute(
                "SELECT doc_id FROM version_features WHERE version = ?", (VERSION,)
            )
        }
        new = sorted(i for i in meta if i not in done)
    else:
        new = sorted(i for i in set(doc_ids) if i in meta)
    if not new and doc_ids is not None:
        return groups(conn)
    # Verdicts on these ids are from other rules or from a document deleted since.
    _write(store, [("DELETE FROM version_pairs WHERE a_id = ? OR b_id = ?", (i, i)) for i in new])
    # Features usually came with the document (computed where it was processed).
    for i in _without_features(conn, new):
        _store_features(store, i)
    # Fingerprints are read when a document is a candidate, and only a window of
    # them is kept: new documents go in date order, so the candidates of one
    # date are read once, used, and dropped later. Keeping all of them held
    # ~1 GB at 100k documents (a dict of anchors each).
    cache: OrderedDict[int, frozenset[str]] = OrderedDict()

    def fingerprint(i: int) -> frozenset[str]:
        f = cache.get(i)
        if f is not None:
            cache.move_to_end(i)
            return f
        f = cache[i] = _stored_fingerprint(store, i)
        if len(cache) > FINGERPRINT_WINDOW:
            cache.popitem(last=False)
        return f

    pool = _Pool(meta)
    # Which pairs to test depends on fingerprints only, never on another pair's
    # verdict: all are listed first, then tested in parallel.
    todo: dict[tuple[int, int], tuple[DocMeta, DocMeta]] = {}
    for i in sorted(new, key=lambda i: (meta[i].date or "", i)):
        for y in _candidates(meta[i], pool.possible(meta[i]), fingerprint):
            a, b = _oriented(meta[i], y)
            if (a.id, b.id) not in todo and _pair_row(conn, a.id, b.id) is None:
                todo[(a.id, b.id)] = (a, b)
    evaluate_pairs(store, list(todo.values()), engine)
    _write(
        store,
        [("UPDATE version_features SET version = ? WHERE doc_id = ?", (VERSION, i)) for i in new],
    )
    return regroup(store, meta)


class _Pool:
    """The stored documents by language and date, so that a new document is tested
    only against those whose language and date can agree with it: testing every
    stored document makes an ingest of N documents cost N * N tests."""

    def __init__(self, meta: dict[int, DocMeta]) -> None:
        self.by_lang: dict[str, tuple[dict[str, list[DocMeta]], list[str], list[DocMeta]]] = {}
        for y in meta.values():
            dated, _, undated = self.by_lang.setdefault(y.language, ({}, [], []))
            if y.date:
                dated.setdefault(y.date, []).append(y)
            else:
                undated.append(y)
        for dated, keys, _ in self.by_lang.values():
            keys.extend(sorted(dated))

    def possible(self, x: DocMeta) -> list[DocMeta]:
        """A superset of the documents ``compatible`` with ``x``: other languages, and a
        date that is missing, a prefix of x's, or has x's as its prefix."""
        out: list[DocMeta] = []
        d = x.date
        for lang, (dated, keys, undated) in self.by_lang.items():
            if lang == x.language:
                continue
            out += undated
            if not d:
                for k in keys:
                    out += dated[k]
                continue
            for n in range(1, len(d)):
                out += dated.get(d[:n], ())
            lo = bisect.bisect_left(keys, d)
            hi = lo
            while hi < len(keys) and keys[hi].startswith(d):
                hi += 1
            for k in keys[lo:hi]:
                out += dated[k]
        return out


def _candidates(
    x: DocMeta, pool: Iterable[DocMeta], fingerprint: Callable[[int], frozenset[str]]
) -> list[DocMeta]:
    by_lang: dict[str, list[tuple[float, str, DocMeta]]] = {}
    for y in pool:
        if not compatible(x, y):
            continue
        sim = _overlap(fingerprint(x.id), fingerprint(y.id))
        if sim >= MIN_FINGERPRINT:
            by_lang.setdefault(y.language, []).append((-sim, y.sha256, y))
    out: list[DocMeta] = []
    for lang in sorted(by_lang):
        out += [y for _, _, y in sorted(by_lang[lang])[:CANDIDATES_PER_LANGUAGE]]
    return out


def regroup(store: Any, meta: dict[int, DocMeta] | None = None) -> list[list[int]]:
    """Recompute the groups from the stored verdicts (order-independent) and store them."""
    conn = store.conn
    meta = meta if meta is not None else _meta(conn)
    verdicts: dict[frozenset[int], bool] = {}
    accepted: list[tuple[float, str, str, int, int]] = []
    for a, b, ok, score in conn.execute(
        "SELECT a_id, b_id, accepted, score FROM version_pairs WHERE version = ?", (VERSION,)
    ):
        if a not in meta or b not in meta:
            continue
        verdicts[frozenset((a, b))] = bool(ok)
        if ok:
            sa, sb = sorted((meta[a].sha256, meta[b].sha256))
            accepted.append((-float(score), sa, sb, a, b))
    parent: dict[int, int] = {}
    members: dict[int, list[int]] = {}

    def find(i: int) -> int:
        while parent.get(i, i) != i:
            i = parent[i]
        return i

    for _, _, _, a, b in sorted(accepted):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        ga, gb = members.get(ra, [ra]), members.get(rb, [rb])
        if {meta[i].language for i in ga} & {meta[j].language for j in gb}:
            continue
        if any(not compatible(meta[i], meta[j]) for i in ga for j in gb):
            continue
        # Two documents joined only through a third were never tested against each
        # other: tested now, before the merge, so that a group never holds a pair
        # whose own test says no (and whose side-by-side view would be empty).
        for i in ga:
            for j in gb:
                if frozenset((i, j)) not in verdicts:
                    verdicts[frozenset((i, j))] = evaluate_pair(store, meta[i], meta[j]).accepted
        if any(verdicts[frozenset((i, j))] is False for i in ga for j in gb):
            continue
        parent[rb] = ra
        members[ra] = ga + gb
        members.pop(rb, None)
    out = sorted(sorted(g) for g in members.values() if len(g) > 1)
    rows: list[tuple[str, Sequence[Any]]] = [("DELETE FROM version_groups", ())]
    for g in out:
        for i in g:
            rows.append(("INSERT INTO version_groups (doc_id, group_id) VALUES (?, ?)", (i, g[0])))
    # Every pair of a group was tested above, so each has its alignment stored.
    _write(store, rows)
    return out


# ------------------------------------------------------------------ reading


def groups(conn: sqlite3.Connection) -> list[list[int]]:
    acc: dict[int, list[int]] = {}
    for doc_id, group_id in conn.execute(
        "SELECT doc_id, group_id FROM version_groups ORDER BY group_id, doc_id"
    ):
        acc.setdefault(int(group_id), []).append(int(doc_id))
    return list(acc.values())


def ensure(store: Any) -> None:
    """Bring groups up to date for documents stored without them (``Store.add``, older stores)."""
    row = store.conn.execute(
        "SELECT 1 FROM documents d LEFT JOIN version_features f"
        " ON f.doc_id = d.id AND f.version = ? WHERE f.doc_id IS NULL LIMIT 1",
        (VERSION,),
    ).fetchone()
    if row is not None:
        update(store, None)


def version_ids(conn: sqlite3.Connection, doc_id: int) -> list[int]:
    """The other versions of a document (ids), or []."""
    return [
        int(r[0])
        for r in conn.execute(
            "SELECT g.doc_id FROM version_groups g JOIN version_groups h ON h.group_id = g.group_id"
            " JOIN documents d ON d.id = g.doc_id"
            " WHERE h.doc_id = ? AND g.doc_id != ? ORDER BY d.language, g.doc_id",
            (doc_id, doc_id),
        )
    ]


def alignment(
    conn: sqlite3.Connection, doc_id: int, other_id: int
) -> list[tuple[list[int], list[int]]] | None:
    """Stored sentence links from ``doc_id`` to ``other_id`` (None when the pair was never aligned)."""
    row = _pair_row(conn, doc_id, other_id)
    if row is None:
        return None
    a, _, _, _, links = row
    out = [(list(s), list(t)) for s, t, _ in json.loads(links)]
    if a != doc_id:
        out = [(t, s) for s, t in out]
    return out


def scored_alignment(
    conn: sqlite3.Connection, doc_id: int, other_id: int
) -> list[tuple[list[int], list[int], float]] | None:
    """Like :func:`alignment`, with each link's score."""
    row = _pair_row(conn, doc_id, other_id)
    if row is None:
        return None
    a, _, _, _, links = row
    out = [(list(s), list(t), float(sc)) for s, t, sc in json.loads(links)]
    if a != doc_id:
        out = [(t, s, sc) for s, t, sc in out]
    return out


def pair_stats(conn: sqlite3.Connection, x: int, y: int) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT accepted, score, stats FROM version_pairs WHERE version = ?"
        " AND ((a_id = ? AND b_id = ?) OR (a_id = ? AND b_id = ?))",
        (VERSION, x, y, y, x),
    ).fetchone()
    if row is None:
        return None
    return {"accepted": bool(row[0]), "score": row[1], **json.loads(row[2])}


__all__ = [
    "VERSION",
    "DocMeta",
    "PairVerdict",
    "alignment",
    "compatible",
    "content_stats",
    "document_anchors",
    "ensure",
    "evaluate",
    "evaluate_pair",
    "evaluate_pairs",
    "evaluate_work",
    "features_json",
    "groups",
    "pair_stats",
    "regroup",
    "scored_alignment",
    "sentence_anchors",
    "update",
    "version_ids",
]
