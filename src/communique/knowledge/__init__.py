"""The knowledge pack: names of states, organizations, bodies, offices, cities and issues.

Everything here is data. ``common/`` holds what every organization shares and
each other folder (``sco/`` ...) one organization's bodies and offices; a new
organization is a new folder of TSV files, not new code.

Every ``*.tsv`` file in a pack folder has the columns ``code kind parent lang
form name flags``. Rows with the same code merge into one :class:`Entry`.
``flags`` is a comma-separated list:

* ``context``: the name is ambiguous on its own ("Secretariat", "峰会") and only
  counts when the document's organization makes it unambiguous, or right after
  the organization's own name;
* ``cs`` / ``ci``: force case-sensitive / case-insensitive matching (by default
  a one-word name with two or more capitals, "UN", "EurAsEC", is an acronym and
  matches case-sensitively, everything else case-insensitively);
* ``seg``: a Chinese name so short that it must also be a word of its own
  (``加纳`` is not a state inside ``增加纳税``);
* ``key=value``: an attribute of the entry (``country=KZ`` for a city);
* ``extended``: an organization or organ outside the record contract's vocabulary
  (``NDB``, ``WHO``): it is found and kept as a mention, but the extraction record's
  ``organizations`` lists only vocabulary codes (``Entry.attrs["extended"]``).

Matching is one automaton pass per language (pyahocorasick), built lazily:

* English (and any other Latin-script language) is matched on the text's letters
  and digits with every separator removed and lowercased, so hyphen and space
  variants ("Anti-Terrorist" / "Antiterrorist", "Co-operation", "U.N.") need no
  listing; a match must start and end on word edges.
* Russian is matched on pymorphy3 lemma sequences, so every case form of a
  multiword name matches ("Шанхайской организации сотрудничества").
* Chinese is matched on the characters themselves.
"""

from __future__ import annotations

import bisect
import csv
import functools
import itertools
import operator
import re
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import ahocorasick

__all__ = ["Entry", "Knowledge", "KnowledgeMatch", "TextCache", "load"]

PACK_DIR = Path(__file__).resolve().parent

# What find() reports by default; "region" (a non-state place such as the Middle
# East) and "block" (a non-state name holding a state's name, "Malaysia Airlines")
# exist so that leftmost-longest lets them swallow the state name inside them.
KINDS = ("state", "organization", "body", "office", "city", "issue")
_ALL_KINDS = (*KINDS, "region", "block")
# When one surface is the name of entries of several kinds, the first kind wins.
_PRIORITY = {
    k: i
    for i, k in enumerate(
        ("block", "region", "state", "organization", "body", "city", "office", "issue")
    )
}
# Proper nouns: in English and Russian their names must be capitalized in the text
# ("china" the porcelain, "turkey" the bird are not states).
_PROPER = {"state", "city", "region", "block"}
# Short Latin acronyms that are also English words: in ALL-CAPS text they are words.
_WORDLIKE = {
    "us",
    "it",
    "is",
    "as",
    "at",
    "be",
    "in",
    "no",
    "on",
    "or",
    "so",
    "we",
    "an",
    "am",
    "me",
}

# Kinds that compete for the same span. Offices and issues are matched apart from
# names: "Afghanistan" is both the state AF and the issue AFGHANISTAN, and the
# office "Minister of Foreign Affairs" lies inside the body "Council of Ministers
# of Foreign Affairs"; neither may hide the other.
_GROUPS = {
    "entity": frozenset({"state", "organization", "body", "city", "region", "block"}),
    "office": frozenset({"office"}),
    "issue": frozenset({"issue"}),
}


_GROUP_OF = {kind: group for group, kinds in _GROUPS.items() for kind in kinds}


# A Chinese name cannot start with the unit that closes a date ("5月15日本组织" is
# "15日" + "本组织", not Japan); the unit follows a numeral or a day word (今日, 次日).
_ZH_DATE_UNITS = frozenset("年月日号")
_ZH_DATE_LEAD = frozenset("0123456789０１２３４５６７８９〇零一二三四五六七八九十两今昨明次翌每近")

_RUN = re.compile(r"[^\W_]+")
_RUN_SPLIT = re.compile(r"([^\W_]+)")
_RU_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_RU_TOKEN_SPLIT = re.compile(f"({_RU_TOKEN.pattern})")
_LATIN_KEY = re.compile(r"[A-Za-z0-9]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class KnowledgeMatch:
    kind: str  # "state", "organization", "body", "office", "city", "issue" (or "region")
    code: str
    start: int
    end: int
    surface: str
    form: str  # "name", "long", "adjective", "abbreviation", "alias", ...


@dataclass(frozen=True)
class Entry:
    code: str
    kind: str
    parent: str | None
    names: dict[str, tuple[str, ...]] = field(hash=False)  # lang -> names, preferred first
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class _Name:
    code: str
    kind: str
    lang: str
    form: str
    name: str
    context: bool
    case_sensitive: bool
    seg: bool
    spaced: bool  # the name has whitespace in it
    exact: str  # letters and digits of the name in their own case (for case-sensitive names)
    rank: tuple[bool, int] = (False, 99)  # tie-break at one span: plain before context, by kind
    trusted: bool = False  # no surface check can reject it (see _plausible)
    group: str = "entity"  # the kinds it competes with for a span (_GROUPS)


# A candidate match before selection: (start, end, name). A plain tuple, because
# a dense text yields hundreds of thousands of them.
_Raw = tuple[int, int, "_Name"]


# ----------------------------------------------------------------------- loading


# What may stand between an organization's name and a context-only name of its organ:
# nothing, a possessive, or "and its" ("the UN and its Security Council", "ООН и ее Совета
# Безопасности", "联合国及其安理会").
_OWNER_GAP = re.compile(
    r"\s*(?:'s|’s)?\s*|\s*,?\s+(?:and|as\s+well\s+as)\s+(?:its|their)\s+"
    r"|\s*,?\s+(?:и|а\s+также)\s+(?:ее|её|его|их)\s+|\s*(?:及其|和其|及|和)\s*",
    re.IGNORECASE,
)


def _is_acronym(name: str) -> bool:
    if any(ch.isspace() for ch in name):
        return False
    if re.fullmatch(r"[^\W\d_][^\W\d_A-ZА-ЯЁ]+(?:-[^\W\d_][^\W\d_A-ZА-ЯЁ]+)+", name):
        return False  # capitalized words joined by hyphens: "Чолпон-Ата", "Улан-Батор"
    return sum(ch.isupper() for ch in name) >= 2 or bool(re.fullmatch(r"[A-Z]+-?\d+", name))


def _read_pack(folder: Path, rows: list[dict[str, str]]) -> None:
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            for row in reader:
                if not row.get("code") or row["code"].startswith("#"):
                    continue
                rows.append({k: (v or "").strip() for k, v in row.items() if k})


def _packs(packs: Iterable[str] | None) -> list[Path]:
    folders = sorted(
        p for p in PACK_DIR.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))
    )
    if packs is not None:
        wanted = {"common", *packs}
        folders = [p for p in folders if p.name in wanted]
    # common first so that an organization's folder can refine what it shares
    return sorted(folders, key=lambda p: (p.name != "common", p.name))


class Knowledge:
    """Names in en/zh/ru of everything the extractors look for, with a one-pass matcher."""

    def __init__(self, rows: Iterable[dict[str, str]]) -> None:
        kinds: dict[str, str] = {}
        parents: dict[str, str] = {}
        names: dict[str, dict[str, list[str]]] = {}
        attrs: dict[str, dict[str, Any]] = {}
        self._names: list[_Name] = []
        seen: set[tuple[str, str, str]] = set()
        for row in rows:
            code = row["code"]
            if row.get("kind") and code not in kinds:
                kinds[code] = row["kind"]
            if row.get("parent"):
                parents[code] = row["parent"]
            flags = [f.strip() for f in row.get("flags", "").split(",") if f.strip()]
            entry_attrs = attrs.setdefault(code, {})
            for flag in flags:
                if "=" in flag:
                    key, value = flag.split("=", 1)
                    entry_attrs[key] = value
                elif flag == "extended":
                    entry_attrs["extended"] = True
            name, lang = row.get("name", ""), row.get("lang", "")
            if not name or not lang:
                continue
            by_lang = names.setdefault(code, {}).setdefault(lang, [])
            if name not in by_lang:
                by_lang.append(name)
            if (code, lang, name) in seen:
                continue
            seen.add((code, lang, name))
            context = "context" in flags
            if context:
                entry_attrs.setdefault("context", {}).setdefault(lang, []).append(name)
            cs = "cs" in flags or ("ci" not in flags and _is_acronym(name))
            self._names.append(
                _Name(
                    code=code,
                    kind="",  # filled below, once every row's kind is known
                    lang=lang,
                    form=row.get("form") or "name",
                    name=name,
                    context=context,
                    case_sensitive=cs,
                    seg="seg" in flags or (lang == "zh" and len(name) <= 2),
                    spaced=any(ch.isspace() for ch in name),
                    exact="".join(_RUN.findall(name)),
                )
            )
        self._names = [_complete(n, kinds[n.code]) for n in self._names if kinds.get(n.code)]
        entries: dict[str, Entry] = {}
        for code, kind in kinds.items():
            entry_attrs = attrs.get(code, {})
            if "context" in entry_attrs:
                entry_attrs["context"] = {k: tuple(v) for k, v in entry_attrs["context"].items()}
            entries[code] = Entry(
                code=code,
                kind=kind,
                parent=parents.get(code),
                names={lang: tuple(ns) for lang, ns in names.get(code, {}).items()},
                attrs=entry_attrs,
            )
        self._entries = entries
        self.states = {c: e for c, e in entries.items() if e.kind == "state"}
        self.organizations = {
            c: e for c, e in entries.items() if e.kind in ("organization", "body")
        }
        self.offices = {c: e for c, e in entries.items() if e.kind == "office"}
        self.cities = {c: e for c, e in entries.items() if e.kind == "city"}
        self.issues = {c: e for c, e in entries.items() if e.kind == "issue"}
        self.regions = {c: e for c, e in entries.items() if e.kind == "region"}
        self._matchers: dict[str, _Matcher] = {}
        self._scans: TextCache[tuple[str, str], _Scan] = TextCache()

    # ------------------------------------------------------------------ lookups

    def entry(self, code: str) -> Entry | None:
        return self._entries.get(code)

    def root(self, code: str) -> str:
        """Top of the parent chain: root("RATS_EC") == "SCO"; an unknown code is its own root."""
        seen = {code}
        while (e := self._entries.get(code)) is not None and e.parent and e.parent not in seen:
            code = e.parent
            seen.add(code)
        return code

    def ancestors(self, code: str) -> list[str]:
        """Parent chain above ``code``, nearest first."""
        out: list[str] = []
        while (e := self._entries.get(code)) is not None and e.parent and e.parent not in out:
            code = e.parent
            out.append(code)
        return out

    def name(self, code: str, lang: str = "en") -> str:
        e = self._entries.get(code)
        if e is None:
            return code
        for lg in (lang, "en"):
            if e.names.get(lg):
                return e.names[lg][0]
        return code

    def city_for(self, text: str, lang: str) -> str | None:
        """English name of the city written as ``text`` ("Москве", "莫斯科", "St. Petersburg")."""
        for m in self.find(text, lang, ("city",)):
            return self.name(m.code, "en")
        return None

    # ------------------------------------------------------------------ matching

    def find(
        self,
        text: str,
        lang: str,
        kinds: Iterable[str] | None = None,
        *,
        organization: str | None = None,
    ) -> list[KnowledgeMatch]:
        """Every known name in ``text``: leftmost-longest, non-overlapping, sorted by start.

        One automaton pass over the text finds every candidate. Overlaps are then
        resolved within each group of competing kinds (names of places and
        organizations; offices; issues) before ``kinds`` filters, so a state's
        name inside an organization's ("Shanghai" in "Shanghai Cooperation
        Organization") is never reported as a city, while the issue
        AFGHANISTAN and the state AF may share the span "Afghanistan".
        ``organization`` (a root code such as "SCO") enables that
        organization's context-only aliases.
        """
        wanted = set(kinds) if kinds is not None else set(KINDS)
        if not text:
            return []
        scan = self._scan(text, lang)
        out: list[KnowledgeMatch] = []
        for group, group_kinds in _GROUPS.items():
            if group_kinds.isdisjoint(wanted):
                continue
            out.extend(m for m in scan.selected(self, group, organization) if m.kind in wanted)
        out.sort(key=lambda m: m.start)  # stable: at one start, names before offices and issues
        return out

    def clear_cache(self) -> None:
        """Forget the matches of every text seen so far (benchmarks, between passes)."""
        self._scans.clear()

    def _scan(self, text: str, lang: str) -> _Scan:
        """The plausible candidates of one text, computed once however many components ask.

        Every extractor asks for its own kinds over the same document and sentence
        texts; the automaton pass and the surface checks depend on the text alone.
        """
        script = lang if lang in ("zh", "ru") else "en"
        key = (script, text)
        scan = self._scans.get(key)
        if scan is None:
            by_group: dict[str, list[_Raw]] = {g: [] for g in _GROUPS}
            plausible = self._plausible
            for r in self._matcher(lang).raw_matches(text):
                c = r[2]
                if c.trusted or plausible(text, r):
                    by_group[c.group].append(r)
            scan = _Scan(text, by_group)
            self._scans.put(key, scan, len(text))
        return scan

    def find_within(
        self, text: str, lang: str, start: int, end: int, codes: Iterable[str]
    ) -> list[KnowledgeMatch]:
        """Names of ``codes`` nested inside ``text[start:end]`` (the "UN" in "UN Security Council").

        ``find`` reports only the outermost name; this looks inside one of its
        matches for the names of chosen entries (a body's parent organizations).
        """
        codes = set(codes)
        piece = text[start:end]
        raw = [
            r
            for r in self._matcher(lang).raw_matches(piece)
            if r[2].code in codes
            and not r[2].context
            and (r[1] - r[0]) < len(piece)
            and self._plausible(piece, r)
        ]
        return [
            KnowledgeMatch(
                r[2].kind,
                r[2].code,
                start + r[0],
                start + r[1],
                piece[r[0] : r[1]],
                r[2].form,
            )
            for r in self._select(piece, raw, None)
        ]

    def _select(self, text: str, raw: list[_Raw], organization: str | None) -> list[_Raw]:
        """Leftmost-longest, non-overlapping; context-only names only where they resolve."""
        raw.sort(key=lambda r: (r[0], r[0] - r[1], r[2].rank))
        chosen: list[_Raw] = []
        last_end = -1
        for r in raw:
            if r[0] < last_end:
                continue
            if r[2].context and not self._context_ok(text, r, organization, chosen):
                continue
            chosen.append(r)
            last_end = r[1]
        return chosen

    def _plausible(self, text: str, r: _Raw) -> bool:
        c = r[2]
        surface = text[r[0] : r[1]]
        if (
            c.lang == "zh"
            and surface[:1] in _ZH_DATE_UNITS
            and r[0] > 0
            and text[r[0] - 1] in _ZH_DATE_LEAD
        ):
            return False  # "15日本组织": the 日 closes a date, "日本" spans two words
        if c.trusted:
            return True
        if c.case_sensitive:
            if "".join(_RUN.findall(surface)) != c.exact:
                return False
            if c.exact.lower() in _WORDLIKE and _all_caps_around(text, r[0], r[1]):
                return False
        proper = c.kind in _PROPER and (
            c.lang == "en" or (c.lang == "ru" and c.form != "adjective")
        )
        if proper and not surface[:1].isupper():
            return False
        # "in dia" is not "India": short names may not be glued from several words
        return c.spaced or len(c.exact) > 5 or not any(ch.isspace() for ch in surface)

    def _context_ok(self, text: str, r: _Raw, organization: str | None, chosen: list[_Raw]) -> bool:
        code = r[2].code
        entry = self._entries[code]
        generic = entry.parent is None and entry.kind == "body"
        root = self.root(code)
        if organization is not None and (organization == root or generic):
            return True
        if chosen:
            prev = chosen[-1]
            gap = text[prev[1] : r[0]]
            if len(gap) <= 16 and _OWNER_GAP.fullmatch(gap):
                prev_root = self.root(prev[2].code)
                if prev_root == root or (generic and prev[2].kind == "organization"):
                    return True
        return False

    def _matcher(self, lang: str) -> _Matcher:
        script = lang if lang in ("zh", "ru") else "en"
        m = self._matchers.get(script)
        if m is None:
            if script == "ru":
                m = _RussianMatcher(self._names)
            elif script == "zh":
                m = _ChineseMatcher(self._names)
            else:
                m = _LatinMatcher(self._names)
            self._matchers[script] = m
        return m

    def names_of(self, code: str, lang: str) -> tuple[str, ...]:
        e = self._entries.get(code)
        return e.names.get(lang, ()) if e else ()

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())


def _complete(n: _Name, kind: str) -> _Name:
    """The name with its entry's kind and what follows from it."""
    proper = kind in _PROPER and (n.lang == "en" or (n.lang == "ru" and n.form != "adjective"))
    trusted = not n.case_sensitive and not proper and (n.spaced or len(n.exact) > 5)
    fields = {f: getattr(n, f) for f in _Name.__slots__}
    fields.update(
        kind=kind,
        rank=(n.context, _PRIORITY.get(kind, 99)),
        trusted=trusted,
        group=_GROUP_OF.get(kind, "entity"),
    )
    return _Name(**fields)


def _all_caps_around(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - 40) : end + 40]
    letters = [ch for ch in window if ch.isalpha()]
    return len(letters) > 8 and all(ch.isupper() for ch in letters)


class _Scan:
    """One text's plausible candidates by group, and the selections made from them."""

    __slots__ = ("_selected", "raw", "text")

    def __init__(self, text: str, raw: dict[str, list[_Raw]]) -> None:
        self.text = text
        self.raw = raw
        self._selected: dict[tuple[str, str | None], tuple[KnowledgeMatch, ...]] = {}

    def selected(
        self, kb: Knowledge, group: str, organization: str | None
    ) -> tuple[KnowledgeMatch, ...]:
        key = (group, organization)
        got = self._selected.get(key)
        if got is None:
            text = self.text
            # _select sorts in place: the cached candidates stay in automaton order
            got = tuple(
                KnowledgeMatch(r[2].kind, r[2].code, r[0], r[1], text[r[0] : r[1]], r[2].form)
                for r in kb._select(text, list(self.raw[group]), organization)
            )
            self._selected[key] = got
        return got


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TextCache(Generic[K, V]):
    """A least-recently-used cache of results computed from texts, bounded both in entries
    and in the characters of the texts it keeps alive, so that a run of large documents
    cannot hold more than a few megabytes. Safe to share between threads."""

    def __init__(self, entries: int = 512, chars: int = 2_000_000) -> None:
        self._entries = entries
        self._chars = chars
        self._size = 0
        self._data: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is None:
                return None
            self._data.move_to_end(key)
            return hit[0]

    def put(self, key: K, value: V, chars: int) -> None:
        if chars > self._chars:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._data[key] = (value, chars)
            self._size += chars
            while len(self._data) > self._entries or self._size > self._chars:
                _, (_, n) = self._data.popitem(last=False)
                self._size -= n

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._data)

    def __getstate__(self) -> dict[str, Any]:
        # a copy (a pickled pack sent to a worker) starts empty; locks do not pickle
        return {"_entries": self._entries, "_chars": self._chars}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["_entries"], state["_chars"])  # type: ignore[misc]


# ---------------------------------------------------------------------- matchers


class _Matcher:
    def raw_matches(self, text: str) -> list[_Raw]:
        raise NotImplementedError


@functools.lru_cache(maxsize=4)
def _latin_norm(text: str) -> tuple[str, list[int], list[int]]:
    """Letters and digits of ``text``, lowercased, separators dropped, with the word runs.

    Returns the joined runs, the offset in ``text`` of every run's start and
    end (interleaved: ``bounds[2*i]``, ``bounds[2*i+1]``) and the offset of
    every run's start in the joined string (plus its total length). Built with
    list operations only: this is the per-character cost of matching.
    """
    low = text.lower()
    if len(low) != len(text):  # a character whose lowercase is longer ("İ"): keep it as is
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    parts = _RUN_SPLIT.split(low)  # gap, run, gap, run, ..., gap
    bounds = list(itertools.accumulate(map(len, parts)))[:-1]
    pieces = parts[1::2]
    norm_starts = [0, *itertools.accumulate(map(len, pieces))]
    return "".join(pieces), bounds, norm_starts


class _LatinMatcher(_Matcher):
    def __init__(self, names: list[_Name]) -> None:
        table: dict[str, list[_Name]] = {}
        for n in names:
            if n.lang != "en":
                continue
            key = "".join(_RUN.findall(n.name.lower()))
            if key:
                table.setdefault(key, []).append(n)
        self._auto = ahocorasick.Automaton()
        for key, cands in table.items():
            self._auto.add_word(key, (len(key), tuple(cands)))
        self._auto.make_automaton()

    def raw_matches(self, text: str) -> list[_Raw]:
        norm, bounds, norm_starts = _latin_norm(text)
        out: list[_Raw] = []
        find = bisect.bisect_left
        for last, (length, cands) in self._auto.iter(norm):
            ns = last + 1 - length
            i = find(norm_starts, ns)
            if norm_starts[i] != ns:
                continue  # starts inside a word
            j = find(norm_starts, last + 1, i)
            if norm_starts[j] != last + 1:
                continue  # ends inside a word
            s, e = bounds[2 * i], bounds[2 * j - 1]
            out.extend([(s, e, c) for c in cands])
        return out


class _ChineseMatcher(_Matcher):
    def __init__(self, names: list[_Name]) -> None:
        table: dict[str, list[_Name]] = {}
        for n in names:
            # Chinese texts also write Latin acronyms ("WTO", "APEC") as they are.
            if n.lang == "zh" or (n.lang == "en" and n.case_sensitive):
                table.setdefault(n.name, []).append(n)
        self._auto = ahocorasick.Automaton()
        for key, cands in table.items():
            self._auto.add_word(key, (len(key), tuple(cands)))
        self._auto.make_automaton()

    def raw_matches(self, text: str) -> list[_Raw]:
        out: list[_Raw] = []
        bounds: set[int] | None = None
        for last, (length, cands) in self._auto.iter(text):
            s, e = last + 1 - length, last + 1
            latin = _LATIN_KEY.match(text[s]) is not None
            if latin and (
                (s > 0 and text[s - 1].isascii() and text[s - 1].isalnum())
                or (e < len(text) and text[e].isascii() and text[e].isalnum())
            ):
                continue
            for c in cands:
                if c.seg and not latin:
                    if bounds is None:
                        bounds = _jieba_bounds(text)
                    if s not in bounds or (
                        e not in bounds
                        and text[e : e + 2] not in _ZH_SUFFIXES
                        and text[e : e + 1] not in _ZH_SUFFIX_CHARS
                    ):
                        continue
                out.append((s, e, c))
        return out


# Words that jieba glues to a short name ("中东地区", "伊拉克问题") without changing it.
_ZH_SUFFIXES = frozenset(
    [
        "地区",
        "问题",
        "局势",
        "人民",
        "政府",
        "方面",
        "境内",
        "领导",
        "总统",
        "总理",
        "外长",
        "当局",
        "国内",
        "和平",
    ]
)


# One-character words glued the same way: "伊朗核问题" is the nuclear issue of Iran, and
# "伊朗籍" a national of it.
_ZH_SUFFIX_CHARS = frozenset(["核", "籍"])


def _jieba_bounds(text: str) -> set[int]:
    import rjieba

    bounds = {0}
    pos = 0
    for word in rjieba.cut(text):
        pos += len(word)
        bounds.add(pos)
    return bounds


def _morph() -> Any:
    """The Russian analyzer, shared with segmenting (one dictionary in memory)."""
    from communique.segment.words import _analyzer

    return _analyzer()


def _ru_parse(word: str) -> tuple[Any, ...]:
    from communique.segment.words import ru_parse

    return ru_parse(word)


class _RussianMatcher(_Matcher):
    def __init__(self, names: list[_Name]) -> None:
        self._lemmas: dict[str, str] = {}
        table: dict[str, list[_Name]] = {}
        for n in names:
            if n.lang == "ru" or (n.lang == "en" and n.case_sensitive):
                toks = [m.group() for m in _RU_TOKEN.finditer(n.name)]
                if not toks:
                    continue
                key = " " + " ".join(self._lemma(t) for t in toks) + " "
                table.setdefault(key, []).append(n)
        self._auto = ahocorasick.Automaton()
        for key, cands in table.items():
            self._auto.add_word(key, (len(key), tuple(cands)))
        self._auto.make_automaton()

    def _lemma(self, token: str) -> str:
        low = token.lower().replace("ё", "е")
        lemma = self._lemmas.get(low)
        if lemma is None:
            if low.isdigit() or not re.match(r"[а-я]", low):
                lemma = low
            else:
                lemma = _ru_parse(low)[0].normal_form.replace("ё", "е")
            self._lemmas[low] = lemma
        return lemma

    def raw_matches(self, text: str) -> list[_Raw]:
        low = text.lower()
        if len(low) == len(text) and "\u03a3" not in text:
            # Tokens and their offsets from one split of the lowered text, as in
            # _latin_norm: a match object per token (~1,800 a Russian document
            # with its sentences) cost more than the rest of the matching.
            parts = _RU_TOKEN_SPLIT.split(low.replace("ё", "е"))
            toks = parts[1::2]
            bounds = list(itertools.accumulate(map(len, parts)))
        else:  # a letter whose lowercase is longer, or a capital sigma (it lowers by its neighbours)
            spans = [m.span() for m in _RU_TOKEN.finditer(text)]
            toks = [text[s:e].lower().replace("ё", "е") for s, e in spans]
            bounds = [x for span in spans for x in span]
        if not toks:
            return []
        known = self._lemmas  # most tokens were seen before
        lemmas = [known.get(t) or self._lemma(t) for t in toks]
        n = len(lemmas)
        joined = " " + " ".join(lemmas) + " "
        # spaces[i]: the offset in ``joined`` of the space before token i (spaces[n]: after the last)
        spaces = [0, *map(operator.add, itertools.accumulate(map(len, lemmas)), range(1, n + 1))]
        find = bisect.bisect_left
        out: list[_Raw] = []
        for last, (length, cands) in self._auto.iter(joined):
            start = last + 1 - length
            i = find(spaces, start)
            if i >= n or spaces[i] != start:
                continue
            k = find(spaces, last, i)
            if k < 1 or spaces[k] != last:
                continue
            s, e = bounds[2 * i], bounds[2 * k - 1]
            for c in cands:
                out.append((s, e, c))
        return out


# -------------------------------------------------------------------------- load


@functools.cache
def _load(packs: tuple[str, ...] | None) -> Knowledge:
    rows: list[dict[str, str]] = []
    for folder in _packs(packs):
        _read_pack(folder, rows)
    return Knowledge(rows)


def load(packs: Iterable[str] | None = None) -> Knowledge:
    """The knowledge pack: ``common`` plus every organization folder (or only ``packs``)."""
    return _load(tuple(sorted(packs)) if packs is not None else None)
