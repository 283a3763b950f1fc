"""Keys that make one entity of a person's or an instrument's many spellings.

A person is written "D. Mezentsev", "Dmitry Mezentsev", "Д. Мезенцев" or
"梅津采夫". Latin and Cyrillic spellings meet on a transliterated skeleton of
the surname plus the first initial; Chinese spellings (and any other pair no
skeleton can join) meet through language versions of one meeting, where the
participant of one country is the same person in every version (see
:mod:`communique.link.entities`).
"""

from __future__ import annotations

import re
import unicodedata

_CYR = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ў": "u",
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
}

# Romanized Chinese names are written surname first ("Zhang Deguang"); these
# common surnames tell that order apart from "Dmitry Mezentsev".
_PINYIN_SURNAMES = frozenset(
    """wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo
    zheng liang xie tang han cao deng feng song wei ye yu jiang lu hou qian dai xi meng
    bai shi cheng cui du fan fu ge gu jin kong lei lv mao pan peng qin ren shen su tan
    tian wan xiao xue yan yao yin yuan zeng zhong qiu""".split()
)

_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[^\W\d_]+\.?", re.UNICODE)


def translit(text: str) -> str:
    """Latin letters for a name in Latin or Cyrillic script, lowercased, accents dropped."""
    out = []
    for ch in text.lower():
        out.append(_CYR.get(ch, ch))
    folded = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in folded if not unicodedata.combining(c))


def skeleton(word: str) -> str:
    """A spelling-tolerant form: Tokaev = Tokayev, Rahmon = Rakhmon, Aytmatov = Aitmatov."""
    w = translit(word)
    w = re.sub(r"[^a-z]", "", w)
    w = w.replace("kh", "h").replace("y", "i").replace("j", "i").replace("ie", "e")
    return re.sub(r"(.)\1+", r"\1", w)


def is_han(name: str) -> bool:
    return bool(_HAN.search(name))


def person_parts(name: str) -> tuple[str, str, str] | None:
    """(surname skeleton, first initial, given-name skeleton or "") of a Latin/Cyrillic name."""
    if is_han(name):
        return None
    words = _WORD.findall(name.replace("’", "'"))
    if not words:
        return None
    initials = [w for w in words if w.endswith(".") or len(w) == 1]
    full = [w.rstrip(".") for w in words if not (w.endswith(".") or len(w) == 1)]
    if not full:
        return None
    caps = [w for w in full if w.isupper() and len(w) > 1]
    if caps and len(caps) < len(full):  # "TANAKA Akihiko": the capitals are the surname
        surname = caps[0]
        given = [w for w in full if w != surname]
    elif len(full) == 2 and not initials and translit(full[0]).lower() in _PINYIN_SURNAMES:
        surname, given = full[0], [full[1]]
    else:
        surname, given = full[-1], full[:-1]
    first = given[0] if given else (initials[0].rstrip(".") if initials else "")
    initial = skeleton(first)[:1] if first else ""
    return skeleton(surname), initial, skeleton(given[0]) if given else ""


def person_key(name: str) -> str:
    """The key of a spelling: ``mezentsev|d`` for every Latin/Cyrillic form, ``zh:唐家璇`` else."""
    parts = person_parts(name)
    if parts is None:
        return "zh:" + re.sub(r"\s+", "", name) if is_han(name) else "raw:" + name.strip().lower()
    surname, initial, _ = parts
    return f"{surname}|{initial}"


_INSTRUMENT_NOISE = re.compile(
    r"^(the|a|an)\s+|[《》「」“”\"'«»]|\bthe\b|\bof\b|\bon\b|\band\b|\bin\b|\s+", re.IGNORECASE
)


def instrument_key(name: str, kind: str | None, date: str | None, number: str | None) -> str:
    """One key per instrument: a numbered act by kind and number, a dated one by kind and
    day, anything else by its normalized name (same-language spellings only)."""
    k = (kind or "instrument").lower()
    if number:
        return f"{k}#{number}"
    if date and len(date) == 10:
        return f"{k}@{date}"
    norm = _INSTRUMENT_NOISE.sub(" ", translit(name)).strip()
    norm = re.sub(r"\s+", " ", norm)
    return f"{k}:{norm}"


__all__ = ["instrument_key", "is_han", "person_key", "person_parts", "skeleton", "translit"]
