"""The meeting a document reports: when, where, who chaired, which heads of delegation attended.

Participants are read from attendance lists ("It was attended by ...", "出席会议的有
...", "В заседании приняли участие: ..."). A list is cut into items around the
states it names, because items are shaped "role of STATE name" (en, ru),
"STATE role name" (zh), "name (STATE)" or "role name of STATE", and a role may
itself hold a comma ("Deputy Prime Minister, Minister of Foreign Affairs").
Only items with a state are heads of delegation: officials of the organization
(its Secretary General, the head of one of its bodies) attend without one.

Persons named with a role anywhere else ("received by President E. Rahmon of
the Republic of Tajikistan", "to endorse Zhang Deguang (People's Republic of
China) as the SCO Executive Secretary") are returned beside the meeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from communique.extract.dates import led_by
from communique.extract.metadata import Metadata, sentence_index
from communique.knowledge import Knowledge, KnowledgeMatch
from communique.records import Meeting, Person, SegmentedDocument

__all__ = ["extract_meeting"]

# --------------------------------------------------------------- vocabularies

# Words of offices and of the institutions named inside a role: a capitalized
# word in this set is never part of a person's name.
_EN_ROLE_WORDS = frozenset(
    [
        "minister",
        "ministers",
        "president",
        "vice",
        "prime",
        "premier",
        "deputy",
        "first",
        "secretary",
        "general",
        "secretary-general",
        "director",
        "director-general",
        "executive",
        "chairman",
        "chairperson",
        "chair",
        "chairwoman",
        "head",
        "heads",
        "state",
        "foreign",
        "affairs",
        "external",
        "ambassador",
        "plenipotentiary",
        "extraordinary",
        "representative",
        "permanent",
        "special",
        "envoy",
        "commissioner",
        "governor",
        "mayor",
        "speaker",
        "king",
        "queen",
        "emir",
        "amir",
        "sultan",
        "crown",
        "prince",
        "sheikh",
        "adviser",
        "advisor",
        "assistant",
        "coordinator",
        "national",
        "chief",
        "of",
        "the",
        "and",
        "for",
        "on",
        "in",
        "at",
        "to",
        "committee",
        "council",
        "structure",
        "secretariat",
        "organization",
        "organisation",
        "commission",
        "office",
        "ministry",
        "bureau",
        "agency",
        "department",
        "government",
        "federation",
        "republic",
        "kingdom",
        "union",
        "regional",
        "antiterrorist",
        "anti-terrorist",
        "terrorist",
        "security",
        "defence",
        "defense",
        "interior",
        "internal",
        "justice",
        "finance",
        "economy",
        "economic",
        "trade",
        "industry",
        "energy",
        "culture",
        "education",
        "health",
        "transport",
        "agriculture",
        "development",
        "investment",
        "emergency",
        "situations",
        "cooperation",
        "co-operation",
        "relations",
        "international",
        "affairs",
        "people's",
        "democratic",
        "islamic",
        "socialist",
        "united",
        "arab",
        "member",
        "states",
        # who attends, not who is named ("Representatives of Vietnam, Thailand ...")
        "representatives",
        "delegations",
        "delegation",
        "delegates",
        "observers",
        "observer",
        "members",
        "leaders",
        "his",
        "her",
        "excellency",
        "h.e.",
        "mr",
        "mrs",
        "ms",
        "dr",
        "acting",
        "senior",
        "high",
        "level",
        "sco",
        "brics",
        "cica",
        "un",
    ]
)
_RU_ROLE_WORDS = frozenset(
    [
        "министр",
        "министра",
        "министров",
        "президент",
        "президента",
        "вице-президент",
        "премьер-министр",
        "премьер-министра",
        "председатель",
        "председателя",
        "заместитель",
        "заместителя",
        "первый",
        "первого",
        "генеральный",
        "генерального",
        "генеральный",
        "секретарь",
        "секретаря",
        "государственный",
        "государственного",
        "исполнительный",
        "исполнительного",
        "директор",
        "директора",
        "глава",
        "главы",
        "посол",
        "посла",
        "представитель",
        "представителя",
        "постоянный",
        "постоянного",
        "специальный",
        "специального",
        "советник",
        "советника",
        "помощник",
        "помощника",
        "координатор",
        "координатора",
        "национальный",
        "национального",
        "правительства",
        "правительство",
        "совета",
        "совет",
        "комитета",
        "комитет",
        "исполнительного",
        "структуры",
        "секретариата",
        "организации",
        "иностранных",
        "дел",
        "республики",
        "федерации",
        "королевства",
        "государства",
        "представители",
        "делегации",
        "наблюдатели",
        "члены",
    ]
)
# A role word capitalized at the head of a phrase starts a candidate person outside lists.
_EN_ROLES = (
    r"Prime\s+Minister", "Minister", "President", "Premier", "Chairman", "Chairperson",
    "Chairwoman", r"Secretary[\s-]+General", "Secretary", r"Director[\s-]+General", "Director",
    r"Executive\s+Secretary", "Ambassador", "King", "Emir", "Amir", "Sultan", "Head",
    r"Special\s+Envoy", r"Special\s+Representative", "Representative", "Commissioner",
    "Governor", "Speaker", r"Foreign\s+Minister", "Adviser", "Advisor", "Coordinator", "Chief",
)  # fmt: skip
# Every English sentence is searched for one. The matches of
# ``\b(?:(?:First\s+)?(?:Deputy|Vice)[\s-]+)?(?:<roles>)\b``, written as one branch per
# first word, each opening with its capital (``(?<!\w.)`` after it is the ``\b``
# before it), in the order that pattern tries them: ``re`` then seeks the capitals
# in C (0.10 -> 0.045 ms an English document; 0.47 with no help at all).
_EN_ROLE_ALT = "|".join(_EN_ROLES)
_EN_ROLE_HEAD = re.compile(
    "|".join(
        [
            rf"F(?<!\w.)irst\s+(?:Deputy|Vice)[\s-]+(?:{_EN_ROLE_ALT})\b",
            rf"D(?<!\w.)eputy[\s-]+(?:{_EN_ROLE_ALT})\b",
            rf"V(?<!\w.)ice[\s-]+(?:{_EN_ROLE_ALT})\b",
            *(rf"{r[0]}(?<!\w.){r[1:]}\b" for r in _EN_ROLES),
        ]
    )
)
_RU_ROLE_HEAD = re.compile(
    r"(?<![\w-])(?:(?:Первый\s+)?[Зз]аместител[ьяю]\s+)?(?:[Пп]ремьер-министр[аеу]?|[Мм]инистр[аеу]?|"
    r"[Пп]резидент[аеу]?|[Пп]редседател[ьяюе]|[Гг]енеральн(?:ый|ого|ому)\s+секретар[ьяю]|"
    r"[Гг]осударственн(?:ый|ого|ому)\s+секретар[ьяю]|[Ии]сполнительн(?:ый|ого|ому)\s+секретар[ьяю]|"
    r"[Дд]иректор[аеу]?|[Пп]осл[аоу]м?|[Гг]лав[аыеу]|[Пп]редставител[ьяюе]|[Сс]оветник[аеу]?)(?![\w-])"
)
_RU_ROLE_HEAD = led_by(_RU_ROLE_HEAD, "ПпЗзМмГгИиДдСс")
# Chinese roles end with one of these office words; the name follows directly.
_ZH_ROLE_END = (
    "外交部长|外交大臣|大臣|外长|部长|总统|总理|副主席|主席|国务秘书|秘书长|执行秘书|大使|特使|特别代表|代表|"
    "主任|国王|埃米尔|苏丹|首相|议长|助理|顾问|协调员"
)
_ZH_ROLE_END_RE = re.compile(_ZH_ROLE_END)
# What cannot begin a Chinese personal name: the office word continues ("外交部长会议").
_ZH_NOT_NAME_START = set("会理级们的等在对就为将已也都处委之和及与并、，。；：（）()")
_ZH_NAME = re.compile(r"[\u4e00-\u9fff·•]{2,10}")
_ZH_NAME_STOP = re.compile(
    r"出席|主持|参加|会见|表示|指出|在|和|及|与|等|先生|女士|阁下|率|作|向|于|对"
)

# Attendance lists. "after": the list follows the trigger; "before": it precedes it.
_ATTEND_AFTER = {
    "en": re.compile(
        r"\battended\s+by\b\s*:?|\bwith\s+the\s+participation\s+of\b\s*:?"
        r"|\b(?:took\s+part|participated)\s+in\s+the\s+(?:meeting|session|summit|talks|work)[^:.]{0,40}:"
        r"|\bparticipants\s+(?:of|in)\s+the\s+(?:meeting|session)\s+(?:were|included)\b\s*:?"
        # "Taking part in the meeting were", "Among the heads of delegation were",
        # "Participants included", "Present at the session were"
        r"|\b(?:taking\s+part|participating|present)(?:\s+(?:in|at)\s+the\s+(?:meeting|session"
        r"|summit|talks|work)[^:.]{0,40}?)?\s+(?:were|was)\b\s*:?"
        r"|\bamong\s+(?:the\s+)?(?:heads\s+of\s+(?:the\s+)?delegations?|participants|those\s+"
        r"(?:present|attending)|the\s+attendees)[^:.]{0,40}?\s+(?:were|was)\b\s*:?"
        r"|\bparticipants\s+(?:included|were)\b\s*:?",
        re.I,
    ),
    "ru": re.compile(
        r"\bприняли\s+участие\b\s*:?|\bучаствовали\b\s*:?|\bс\s+участием\b\s*:?"
        r"|\bприсутствовали\b\s*:?"
        # "Участие в заседании приняли", "Среди глав делегаций были", "Участниками встречи стали"
        r"|\bучастие\s+в\s+(?:\w+\s+){0,3}?приняли\b\s*:?"
        r"|\bсреди\s+(?:глав\s+делегаций|участников|присутствовавших)[^:.]{0,40}?\s+(?:были|находились)\b\s*:?"
        r"|\bучастниками\s+(?:\w+\s+){0,3}?(?:стали|были)\b\s*:?",
        re.I,
    ),
    "zh": re.compile(
        r"(?:出席|参加|与会)(?:了)?(?:会议|会晤|峰会|本次会议)?的(?:[^，。；]{0,12}?)?(?:有|是|包括)[：:]?"
        r"|与会者有[：:]?"
    ),
}
# A later attendance sentence adds to the list only when it says so ("also attended",
# "также приняли участие", "出席会议的还有"): other sentences name people who took part in
# something else (a signing, a reception) or repeat the list.
# Searched in every sentence after the list. The Russian one is written to open with
# the class of its first letter's cases (those IGNORECASE takes for т), so that
# ``re`` seeks it in C (0.088 -> 0.029 ms a Russian document): the same matches as
# ``(?<!\w)также(?!\w)`` under IGNORECASE. (The same for "also" gains nothing: "a"
# is too common.)
_ALSO = {
    "en": re.compile(r"\balso\b", re.I),
    "ru": re.compile(r"[Тт\u1c84\u1c85](?<!\w.)(?i:акже)(?!\w)"),
    "zh": re.compile(r"还|也|此外|另外"),
}
_ATTEND_BEFORE = {
    "en": re.compile(
        r"\b(?:took\s+part|participated)\s+in\s+the\s+(?:meeting|session|summit|talks)\b"
        r"|\battended\s+the\s+(?:meeting|session|summit)\b",
        re.I,
    ),
    "ru": re.compile(r"\b(?:приняли|принял[аи]?)\s+участие\b|\bучаствовал[аи]?\b", re.I),
    "zh": re.compile(r"(?:出席|参加)(?:了)?(?:会议|会晤|峰会)"),
}
# The leaders as the subject of the opening ("President A of Brazil, ... met in Sanya on",
# "巴西联邦共和国总统罗塞夫、...在三亚举行会晤"). Such a subject is as often "the Leaders of
# Brazil, Russia, ..." with no one named, so only items shaped like names count.
_ATTEND_SUBJECT = {
    "en": re.compile(
        r"\b(?:met|held\s+(?:a\s+|their\s+)?(?:meeting|summit|talks))\s+(?:in|at|on)\b", re.I
    ),
    "ru": re.compile(
        r"\b(?:встретились|провели\s+(?:встречу|переговоры|заседание|саммит))\s+в\b", re.I
    ),
    "zh": re.compile(r"在[^，。；、]{1,20}?举行(?:了)?[^，。；、]{0,20}?(?:会晤|会议|峰会|会谈)"),
}
_CHAIR_AFTER = {
    "en": re.compile(
        r"\bchaired\s+by\b|\bpresided\s+(?:over\s+)?by\b|\bunder\s+the\s+(?:chairmanship|presidency)\s+of\b",
        re.I,
    ),
    "ru": re.compile(
        r"\bпредседательствовал[аи]?(?:\s+на\s+(?:заседании|встрече|совещании|саммите))?\s*:?"
        r"|\bпод\s+председательством\b"
        r"|\b(?:заседание|встречу|совещание|сессию|саммит|переговоры)\s+(?:провел[аи]?|вел[аи]?)\b\s*:?",
        re.I,
    ),
    "zh": re.compile(r"由(?=[^。，；、]{2,40}?主持)|在(?=[^。]{2,60}主持下)"),
}
_CHAIR_BEFORE = {
    "en": re.compile(r"\b(?:chaired|presided\s+over)\s+the\s+(?:meeting|session|summit)\b", re.I),
    "ru": re.compile(
        r"\bпредседательствовал[аи]?\s*[.]|\bпровел[аи]?\s+(?:заседание|встречу|совещание)\b", re.I
    ),
    "zh": re.compile(r"主持(?:了)?(?:会议|会晤)"),
}

# Separators between list items; ", and" / ", а также" first so that they win.
_SEPARATORS = {
    "en": re.compile(r"\s*[,;]\s*(?:and\s+|as\s+well\s+as\s+)?|\s+and\s+|\s+as\s+well\s+as\s+"),
    "ru": re.compile(r"\s*[,;]\s*(?:и\s+|а\s+также\s+)?|\s+и\s+|\s+а\s+также\s+"),
    "zh": re.compile(r"[、，,；;]|以及|和|及|与"),
}
# Initials may be hyphenated like the given names they stand for ("K.-J. Tokayev", "К.-Ж.Токаев").
# English transliterations write some initials with two letters ("Sh. Mirziyoyev").
_INI = r"(?:[A-ZА-ЯЁ]|Sh|Zh|Ch|Kh|Ts|Yu|Ya|Ye|Yo)\."
# A lowercase particle glued by a hyphen opens an Arabic or Persian surname ("al-Judeh",
# "аль-Джудех", "bin-Zayed").
_EN_PARTICLE = r"(?:al|el|ad|ar|as|ash|at|az|bin|ibn|abu|bou|ben|ould|da|de|di|du)-"
_RU_PARTICLE = r"(?:аль|эль|ал|ад|ар|ас|аш|ат|аз|бин|ибн|абу|бен|ульд|да|де|ди|дю)-"
_EN_NAME_TOKEN = re.compile(
    rf"^(?:{_INI}-?\s?)+(?:{_EN_PARTICLE})?(?:[A-Z][\w'’-]+)?$|^(?:{_EN_PARTICLE})?[A-Z][\w'’-]*$"
)
_RU_NAME_TOKEN = re.compile(
    rf"^(?:[А-ЯЁ]\.-?\s?)+(?:{_RU_PARTICLE})?(?:[А-ЯЁ][\w'’-]+)?$"
    rf"|^(?:{_RU_PARTICLE})?[А-ЯЁ][\w'’-]*$"
)
_INITIAL = re.compile(rf"^(?:{_INI}-?)+")
# Abbreviations whose full stop does not end a sentence inside a list of persons.
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "h.e", "st", "messrs", "prof", "jr", "sr", "gen", "г", "гг", "т.е"]
)
_NAME_PARTICLES = frozenset(
    "bin ibn al el de van von der den da di du la le ben bint abu "
    "бин ибн аль эль ван фон дер де ла бен".split()
)


@dataclass(slots=True)
class _Piece:
    start: int  # absolute offsets
    end: int


# --------------------------------------------------------------------- helpers


def _lang(seg: SegmentedDocument) -> str:
    return seg.language if seg.language in ("en", "zh", "ru") else "en"


def _states(kb: Knowledge, text: str, lang: str, base: int) -> list[KnowledgeMatch]:
    return [
        KnowledgeMatch(m.kind, m.code, base + m.start, base + m.end, m.surface, m.form)
        for m in kb.find(text, lang, kinds=["state"])
    ]


def _office(kb: Knowledge, role: str | None, lang: str) -> str | None:
    if not role:
        return None
    matches = kb.find(role, lang, kinds=["office"])
    if not matches:
        return None
    return max(matches, key=lambda m: (m.end - m.start, m.start)).code


# The rest of a state's long form the knowledge pack lacks, left before the separator of
# a "STATE: role name" item ("Kingdom of [Jordan]: Minister ...", "Королевства [Иордания] - ...").
_STATE_FORM_REST = re.compile(
    r"^\s*(?:(?:the\s+)?(?:[A-Z][\w'’-]*\s+){0,2}(?:Kingdom|Republic|State|Sultanate|Emirate|"
    r"Principality|Federation|Commonwealth|Union)\s+of(?:\s+the)?"
    r"|(?:от\s+)?(?:[А-ЯЁа-яё-]+\s+){0,2}(?:Королевства|Республики|Государства|Султаната|"
    r"Эмирата|Княжества|Федерации|Союза))\s*(?=[:–—-])"
)


def _clean_role(role: str, lang: str) -> str | None:
    role = _STATE_FORM_REST.sub("", role.strip()).strip()
    if lang == "en":
        role = re.sub(
            r"^(?:(?:by|of|and|as|with|also|including|the|from|for|:|-|–|—)\s+|[:–—-]\s*)+",
            "",
            role,
            flags=re.I,
        )
        role = re.sub(r"(?:\s+(?:of|the|from|for))+\s*$", "", role, flags=re.I)
    elif lang == "ru":
        role = re.sub(r"^(?:(?:и|а|также|от|:|-|–|—)\s+|[:–—-]\s*)+", "", role, flags=re.I)
    role = role.strip(" ,;:()（）-–—")
    if lang == "zh":
        role = role.strip("、，的：；")
    return role or None


def _name_tokens(text: str) -> list[tuple[int, int, str]]:
    return [
        (m.start(), m.end(), m.group()) for m in re.finditer(rf"(?:{_INI}-?\s?)+[\w'’-]*|\S+", text)
    ]


def _is_name_token(tok: str, lang: str) -> bool:
    token_re = _RU_NAME_TOKEN if lang == "ru" else _EN_NAME_TOKEN
    role_words = _RU_ROLE_WORDS if lang == "ru" else _EN_ROLE_WORDS
    acronym = len(tok) >= 2 and tok.isalpha() and tok.isupper()  # "SCO", "ШОС"
    return bool(token_re.match(tok)) and tok.lower() not in role_words and not acronym


def _name_head(text: str, lang: str) -> tuple[int, int] | None:
    """(start, end) of a person's name opening ``text`` ("S. Aslov participated ..." -> "S. Aslov")."""
    picked: list[tuple[int, int]] = []
    for s, _e, t in _name_tokens(text):
        core = t.rstrip(",;:)") if not _INITIAL.fullmatch(t) else t
        if not _is_name_token(core, lang):
            if picked and t.lower() in _NAME_PARTICLES:
                continue
            break
        picked.append((s, s + len(core)))
        if core != t or len(picked) == 4:
            break
    if not picked:
        return None
    start, end = picked[0][0], picked[-1][1]
    return start, end


def _name_tail(text: str, lang: str, floor: int = 0) -> tuple[int, int] | None:
    """(start, end) inside ``text`` of the trailing person's name ("President E. Rahmon" -> "E. Rahmon").

    Nothing before ``floor`` (the end of a known name of an office or organization) is taken.
    """
    toks = _name_tokens(text)
    # Trailing punctuation belongs to the sentence, not the name ("A. Kamilov .").
    while toks and not re.search(r"\w", toks[-1][2]):
        toks.pop()
    if toks:
        s, _e, t = toks[-1]
        stripped = t.rstrip(".,;:)")
        if stripped != t and not _INITIAL.fullmatch(t):
            toks[-1] = (s, s + len(stripped), stripped)
    picked: list[tuple[int, int, str]] = []
    for s, e, t in reversed(toks):
        core = t.strip()
        if s < floor:
            break
        if _is_name_token(core, lang):
            picked.append((s, e, core))
            continue
        if picked and core.lower() in _NAME_PARTICLES:
            picked.append((s, e, core))
            continue
        break
    while picked and picked[-1][2].lower() in _NAME_PARTICLES:
        picked.pop()
    if not picked or len(picked) > 4:
        return None
    start, end = picked[-1][0], picked[0][1]
    return start, end


def _floor(kb: Knowledge, text: str, lang: str) -> int:
    """End of the last known name (office, organization, state) before the text's last word."""
    last_word = len(text.rstrip(" .,;:)"))
    ends = [
        m.end
        for m in kb.find(text, lang, kinds=["office", "organization", "body", "state"])
        if m.end < last_word
    ]
    return max(ends, default=0)


def _looks_like_name(name: str, lang: str) -> bool:
    if lang == "zh":
        return 2 <= len(name) <= 12 and name[0] not in _ZH_NOT_NAME_START
    if _INITIAL.match(name):
        return True
    return len(name.split()) >= 2  # a bare capitalized word is too often an ordinary noun


def _is_place_name(kb: Knowledge, name: str, lang: str) -> bool:
    """Whether a would-be person's name is only names of states, organizations and places.

    A list of observer states ("observers from Australia, Indonesia ...", "наблюдатели от
    Австралии, Индонезии ...") is shaped like a list of names; a person's name keeps at
    least one word that is not such a name (in Russian, in none of its case forms).
    """
    if lang == "zh":
        return False
    rest = name
    for m in sorted(
        kb.find(name, lang, kinds=["state", "organization", "body", "city", "region", "block"]),
        key=lambda m: -m.start,
    ):
        rest = rest[: m.start] + " " * (m.end - m.start) + rest[m.end :]
    words = [
        w
        for w in re.findall(r"[^\W\d_][\w'’-]*", _INITIAL.sub("", rest))
        if w.lower() not in _NAME_PARTICLES and w not in ("the", "of", "and")
    ]
    if not words:
        return True
    if lang == "ru" and not _INITIAL.match(name):
        from communique.extract.dates import ru_parse

        def placelike(word: str) -> bool:
            tag = ru_parse(word)[0].tag
            return ("Geox" in tag or "Orgn" in tag) and "Surn" not in tag and "Name" not in tag

        return all(placelike(w) for w in words)
    return False


# ------------------------------------------------------------------- parsing


def _split(
    text: str, lang: str, start: int, end: int, protected: list[tuple[int, int]]
) -> list[_Piece]:
    pieces: list[_Piece] = []
    pos = start
    for m in _SEPARATORS[lang].finditer(text, start, end):
        s, e = m.start(), m.end()
        if any(ps < e and s < pe for ps, pe in protected):
            continue  # "Trinidad and Tobago", "中华人民共和国"
        if lang == "en" and m.group().strip() == "," and s > 0 and re.search(r"\b[A-Z]$", text[:s]):
            continue
        if s > pos:
            pieces.append(_Piece(pos, s))
        pos = e
    if end > pos:
        pieces.append(_Piece(pos, end))
    return pieces


def _person_en_ru(
    seg: SegmentedDocument,
    kb: Knowledge,
    lang: str,
    start: int,
    end: int,
    states: list[KnowledgeMatch],
    require_name_shape: bool,
) -> Person | None:
    text = seg.text
    inside = [m for m in states if m.start >= start and m.end <= end]
    state = inside[-1] if inside else None
    name_span: tuple[int, int] | None = None
    role_text = ""
    if state is not None:
        before = text[start : state.start]
        after = text[state.end : end]
        paren = re.search(r"[(（]\s*$", before) and re.match(r"\s*[)）]", after)
        lead_ws = len(after) - len(after.lstrip())
        head = _name_head(after[lead_ws:], lang) if not paren else None
        after_tail = (
            _name_tail(after, lang, _floor(kb, after, lang))
            if head is None and after.strip(" .)")
            else None
        )
        if paren:
            lead = before.rstrip(" (（")
            tail = _name_tail(lead, lang, _floor(kb, lead, lang))
            if tail is not None:
                name_span = (start + tail[0], start + tail[1])
                role_text = lead[: tail[0]]
        elif head is not None:
            name_span = (state.end + lead_ws + head[0], state.end + lead_ws + head[1])
            role_text = before
        elif after_tail is not None:
            name_span = (state.end + after_tail[0], state.end + after_tail[1])
            role_text = (before + " " + after[: after_tail[0]]).strip()
            if lang == "en" and not before.strip():
                role_text = after[: after_tail[0]]  # "Chinese Foreign Minister Wang Yi"
        else:
            lead = re.sub(r"(?:\s+of)?(?:\s+the)?\s*$", "", before, flags=re.I)
            tail = _name_tail(lead, lang, _floor(kb, lead, lang))
            if tail is not None:
                name_span = (start + tail[0], start + tail[1])
                role_text = lead[: tail[0]]
    else:
        piece = text[start:end]
        tail = _name_tail(piece, lang, _floor(kb, piece, lang))
        if tail is not None:
            name_span = (start + tail[0], start + tail[1])
            role_text = piece[: tail[0]]
    if name_span is None:
        return None
    name = text[name_span[0] : name_span[1]]
    if require_name_shape and not _looks_like_name(name, lang):
        return None
    if _is_place_name(kb, name, lang):
        return None
    if state is None and not _looks_like_name(name, lang):
        return None
    role = _clean_role(role_text, lang)
    return Person(
        name=name,
        role=role,
        country=state.code if state is not None else None,
        office=_office(kb, role, lang),
        start=name_span[0],
        end=name_span[1],
        sentence=sentence_index(seg, name_span[0]),
    )


def _person_zh(
    seg: SegmentedDocument, kb: Knowledge, start: int, end: int, states: list[KnowledgeMatch]
) -> Person | None:
    text = seg.text
    inside = [m for m in states if m.start >= start and m.end <= end]
    state = inside[0] if inside else None
    rest_start = state.end if state is not None else start
    rest = text[rest_start:end]
    # The role runs to the last office word; what follows is the name.
    role_end = -1
    for m in _ZH_ROLE_END_RE.finditer(rest):
        tail = rest[m.end() :]
        if tail[:1] and tail[0] in _ZH_NOT_NAME_START:
            continue
        role_end = m.end()
    if role_end < 0:
        return None
    after = rest[role_end:]
    stop = _ZH_NAME_STOP.search(after)
    name = after[: stop.start()] if stop else after
    m_name = _ZH_NAME.match(name)
    if m_name is None or not _looks_like_name(m_name.group(), "zh"):
        return None
    name_start = rest_start + role_end + m_name.start()
    name_end = rest_start + role_end + m_name.end()
    # A state's long form the knowledge pack lacks leaves its tail before the role.
    role = _clean_role(
        re.sub(r"^(?:联邦|共和国|王国|合众国|民主共和国)", "", rest[:role_end]), "zh"
    )
    return Person(
        name=text[name_start:name_end],
        role=role,
        country=state.code if state is not None else None,
        office=_office(kb, role, "zh"),
        start=name_start,
        end=name_end,
        sentence=sentence_index(seg, name_start),
    )


def _parse_list(
    seg: SegmentedDocument, kb: Knowledge, lang: str, start: int, end: int, strict: bool = False
) -> list[Person]:
    """Every person in an enumeration between ``start`` and ``end``.

    ``strict`` (outside attendance lists) also asks a name with a state to look
    like one, since a role-led phrase there need not end with a name at all.
    """
    text = seg.text
    states = _states(kb, text[start:end], lang, start)
    protected = [(m.start, m.end) for m in states]
    protected += [
        (start + m.start, start + m.end)
        for m in kb.find(text[start:end], lang, kinds=["office", "organization", "body"])
    ]
    if lang == "zh":
        pieces = _split_zh(text, start, end, states)
        out = [_person_zh(seg, kb, p.start, p.end, states) for p in pieces]
        return [p for p in out if p is not None]
    pieces = _split(text, lang, start, end, protected)
    people: list[Person] = []
    carry: int | None = None
    prev_end = -1  # end of the piece that gave the last person, while it may still take a state
    for i, piece in enumerate(pieces):
        p_start = carry if carry is not None else piece.start
        has_state = any(m.start >= piece.start and m.end <= piece.end for m in states)
        person = _person_en_ru(seg, kb, lang, p_start, piece.end, states, require_name_shape=strict)
        if person is None and has_state and people and people[-1].country is None and prev_end >= 0:
            # "H.E. Mr. Wang Yi, Minister of Foreign Affairs of the People's Republic of China":
            # the name came first, its role and state follow after the comma.
            state = next(m for m in states if m.start >= piece.start and m.end <= piece.end)
            if not text[prev_end : piece.start].strip(" ,;"):
                people[-1].country = state.code
                role = re.sub(
                    r"(?:\s+of)?(?:\s+the)?\s*$", "", text[piece.start : state.start], flags=re.I
                )
                people[-1].role = _clean_role(role, lang)
                people[-1].office = _office(kb, people[-1].role, lang)
                prev_end = -1
                carry = None
                continue
        if person is None or (not has_state and not _looks_like_name(person.name, lang)):
            # A role cut off by a comma ("Deputy Prime Minister, Minister of ...") joins the next item.
            if i + 1 < len(pieces) and carry is None and len(text[piece.start : piece.end]) < 80:
                carry = p_start
            else:
                carry = None
            continue
        carry = None
        people.append(person)
        prev_end = piece.end
    return people


_ZH_ROLE_START = re.compile(rf"(?:第一)?(?:副)?(?:{_ZH_ROLE_END})")


def _split_zh(text: str, start: int, end: int, states: list[KnowledgeMatch]) -> list[_Piece]:
    """Chinese items: break at 、，； always, at 和/及/与 only before a state's name."""
    starts = {m.start for m in states}
    protected = [(m.start, m.end) for m in states]
    pieces: list[_Piece] = []
    pos = start
    for m in _SEPARATORS["zh"].finditer(text, start, end):
        s, e = m.start(), m.end()
        if any(ps < e and s < pe for ps, pe in protected):
            continue
        if (
            m.group() in ("和", "及", "与", "以及")
            and e not in starts
            and not _ZH_ROLE_START.match(text, e)
        ):
            continue  # "中华人民共和国和..." no; "...拉夫罗夫和外交部长诺罗夫" yes
        if s > pos:
            pieces.append(_Piece(pos, s))
        pos = e
    if end > pos:
        pieces.append(_Piece(pos, end))
    return pieces


def _clause_end(text: str, pos: int, limit: int, lang: str) -> int:
    """End of the sentence from ``pos``, ignoring the full stops of initials ("K.Tokaev")."""
    if lang == "zh":
        m = re.compile(r"[。；;]").search(text, pos, limit)
        return m.start() if m else limit
    for m in re.finditer(r"[.!?](?=\s|$)|\n", text[pos:limit]):
        i = pos + m.start()
        if text[i] == "." and re.search(rf"(?:^|[\s.(-]){_INI[:-2]}$", text[max(0, i - 3) : i]):
            continue  # an initial
        word = re.search(r"[\w.]+$", text[max(0, i - 12) : i])
        if text[i] == "." and word and word.group().casefold() in _ABBREVIATIONS:
            continue  # "H.E. Mr. Wang Yi", "г. Астана"
        return i
    return limit


# ------------------------------------------------------------------- main


def extract_meeting(
    seg: SegmentedDocument, kb: Knowledge, meta: Metadata
) -> tuple[Meeting, list[Person]]:
    text = seg.text
    lang = _lang(seg)
    meeting = Meeting(
        body=meta.body,
        start=meta.meeting_start or meta.date,
        end=meta.meeting_end or meta.date,
        place=meta.place,
    )
    persons: list[Person] = []
    covered: list[tuple[int, int]] = []
    listed: list[Person] = []  # everyone in the attendance list, with a state or not
    genitive = False  # the chair's name is in the genitive ("под председательством ...")
    list_end = -1  # where the last attendance list read ends (its items may be lines)

    for sent in seg.sentences:
        s_text = text[sent.start : sent.end]
        if lang == "ru":
            # cues are written with е; the text may spell ё ("провёл"); the length is kept
            s_text = s_text.replace("ё", "е").replace("Ё", "Е")
        if not meeting.participants:
            parts = _attendance(seg, kb, lang, sent.start, sent.end, s_text)
            if parts is not None:
                people, span = parts
                listed = people
                meeting.participants = [p for p in people if p.country]
                persons.extend(people)
                covered.append(span)
                list_end = span[1]
                # the same sentence may still name the chair ("..., who chaired the meeting")
        elif sent.start >= list_end and _ALSO[lang].search(s_text):
            # "The meeting was also attended by the Minister of Foreign Affairs of
            # Mongolia D. Tsogtbaatar as an observer": heads of delegation too.
            parts = _attendance(seg, kb, lang, sent.start, sent.end, s_text)
            if parts is not None:
                people, span = parts
                known = {(p.country, _surname(p.name)) for p in meeting.participants}
                for p in people:
                    if p.country and (p.country, _surname(p.name)) not in known:
                        meeting.participants.append(p)
                        known.add((p.country, _surname(p.name)))
                listed = listed + people
                persons.extend(people)
                covered.append(span)
                list_end = span[1]
        if meeting.chair is None:
            listed_chair = _relative_chair(lang, sent.start, s_text, persons)
            if listed_chair is not None:
                meeting.chair = listed_chair
                continue
            chair = _chair(seg, kb, lang, sent.start, sent.end, s_text)
            if chair is not None:
                people, span = chair
                meeting.chair = _known_person(people[0], persons) or people[0]
                genitive = lang == "ru" and bool(
                    re.search(r"председательством\s*$", text[: span[0]], re.I)
                )
                persons.extend(people)
                covered.append(span)
                continue

    if meeting.chair is not None:
        chair = meeting.chair
        if genitive:
            chair = meeting.chair = _nominative_chair(chair, listed)
        # "The meeting was chaired by Hu Jianming": the attendance list knows the rest.
        same = _same_person(chair, listed)
        if same is not None:
            chair.country = chair.country or same.country
            chair.role = chair.role or same.role
            chair.office = chair.office or same.office
            # "外交部长王毅" in the list, the chair's state named only where he chairs
            same.country = same.country or chair.country
            if same.country and same not in meeting.participants:
                meeting.participants.append(same)
        elif chair.country:
            # the chair heads a delegation too, even when the list leaves the host out
            meeting.participants.append(chair)
        meeting.participants.sort(key=lambda p: (p.start, p.end))

    for person in _persons_anywhere(seg, kb, lang, covered):
        persons.append(person)

    seen: set[tuple[int, int]] = set()
    unique: list[Person] = []
    for p in sorted(persons, key=lambda p: (p.start, p.end)):
        if (p.start, p.end) in seen:
            continue
        seen.add((p.start, p.end))
        unique.append(p)
    return meeting, unique


def _attendance(
    seg: SegmentedDocument, kb: Knowledge, lang: str, s_start: int, s_end: int, s_text: str
) -> tuple[list[Person], tuple[int, int]] | None:
    text = seg.text
    m = _ATTEND_AFTER[lang].search(s_text)
    if m is not None:
        start = s_start + m.end()
        # "attended by the heads of delegations: A (X), B (Y)": the list starts after the colon.
        colon = re.compile(r"[:：]").search(text, start, min(s_end, start + 80))
        if (
            colon is not None
            and "\n" not in text[start : colon.start()]
            and not _states(kb, text[start : colon.start()], lang, 0)
        ):
            start = colon.end()  # not the colon of a "STATE: role name" item
        end = _clause_end(text, start, s_end + 400 if lang != "zh" else s_end, lang)
        opens_lines = re.compile(r"[ \t]*(?:\n|$)").match(text, start) is not None
        lines = _item_lines(seg, kb, lang, start) if opens_lines else []
        if lines:
            # one item a line ("- Republic of X: Minister Y;", "от Государства - Министр Y;")
            people = [p for ls, le in lines for p in _parse_list(seg, kb, lang, ls, le)]
            if any(p.country for p in people):
                return people, (lines[0][0], lines[-1][1])
        people = _parse_list(seg, kb, lang, start, end)
        if any(p.country for p in people):
            return people, (start, end)
    for before, strict in ((_ATTEND_BEFORE[lang], False), (_ATTEND_SUBJECT[lang], True)):
        m = before.search(s_text)
        if m is None:
            continue
        start, end = s_start, s_start + m.start()
        if lang == "zh":
            # "...外交部长王毅等出席会议": the list starts after the last clause break.
            brk = max(text.rfind(c, start, end) for c in "。；：:")
            start = max(start, brk + 1)
        people = _parse_list(seg, kb, lang, start, end, strict=strict)
        if sum(1 for p in people if p.country) >= (2 if strict else 1):
            return people, (start, end)
    return None


_BULLET = re.compile(r"[ \t]*(?:[-–—•*·▪●◦]|\(?\d{1,2}[.)]|[a-zа-я][.)])[ \t]*")


def _item_lines(
    seg: SegmentedDocument, kb: Knowledge, lang: str, pos: int
) -> list[tuple[int, int]]:
    """The lines of a list that opens on the next line, one item each, bullets left out.

    A line is an item while it is bulleted or names a state; the list ends at a line
    that does not, or after a line closed by a full stop.
    """
    text = seg.text
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]*", text[pos : pos + 4000]):
        line_start, line_end = pos + m.start(), pos + m.end()
        line = m.group()
        if not line.strip():
            if out and "\n\n\n" in text[out[-1][1] : line_start + 2]:
                break
            continue
        bullet = _BULLET.match(line)
        body_start = line_start + (bullet.end() if bullet else len(line) - len(line.lstrip()))
        body = text[body_start:line_end].rstrip()
        if len(body) > 300 or not (bullet or _states(kb, body, lang, 0)):
            break
        initial = re.search(rf"(?:^|[\s.]){_INI[:-2]}\.$", body)
        closed = body.endswith("。") or (body.endswith(".") and not initial)
        out.append((body_start, body_start + len(body.rstrip(";,.；，。"))))
        if closed:
            break
    return out


def _chair(
    seg: SegmentedDocument, kb: Knowledge, lang: str, s_start: int, s_end: int, s_text: str
) -> tuple[list[Person], tuple[int, int]] | None:
    text = seg.text
    m = _CHAIR_AFTER[lang].search(s_text)
    if m is not None:
        start = s_start + m.end()
        if lang == "zh":
            host = re.compile(r"主持").search(text, start, s_end)
            end = host.start() if host else s_end
        else:
            end = _clause_end(text, start, s_end + 200, lang)
            comma = re.compile(r",\s+(?=[a-zа-яё])").search(text, start, end)
            end = comma.start() if comma else end
        people = _parse_list(seg, kb, lang, start, end)
        if not people and lang == "zh":
            people = _zh_name_then_title(seg, kb, start, end)
        if people:
            return people[:1], (start, end)
    m = _CHAIR_BEFORE[lang].search(s_text)
    if m is not None:
        start, end = s_start, s_start + m.start()
        people = _parse_list(seg, kb, lang, start, end)
        if people:
            return people[-1:], (start, end)
    return None


def _zh_name_then_title(
    seg: SegmentedDocument, kb: Knowledge, start: int, end: int
) -> list[Person]:
    """ "由胡锦涛主席主持", "由俄罗斯普京总统主持": the name before its title, a state maybe first."""
    text = seg.text
    phrase = text[start:end]
    states = _states(kb, phrase, "zh", start)
    lead = states[0].end if states and states[0].start == start else start
    m = re.compile(rf"({_ZH_NAME.pattern})(?:国家)?(?:{_ZH_ROLE_END})\s*$").match(text, lead, end)
    if m is None:
        return []
    n_start, n_end = m.span(1)
    name = text[n_start:n_end]
    # the name is what no office word ends and no known name covers
    if not _looks_like_name(name, "zh") or kb.find(name, "zh"):
        return []
    if _ZH_ROLE_END_RE.search(name):
        return []
    role = _clean_role(text[n_end:end], "zh")
    country = states[0].code if lead != start else None
    return [
        Person(
            name=name,
            role=role,
            country=country,
            office=_office(kb, role, "zh"),
            start=n_start,
            end=n_end,
            sentence=sentence_index(seg, n_start),
        )
    ]


# "..., President of Kazakhstan K.-J. Tokayev, who chaired the meeting": the chair is the
# list's item right before the clause, wherever a sentence splitter cut the list.
_RELATIVE_CHAIR = {
    "en": re.compile(r",\s*who\s+(?:chaired|presided\s+over)\s+(?:the\s+)?\w+", re.I),
    "ru": re.compile(
        r",\s*(?:который|которая)\s+(?:председательствовал[аи]?|провел[аи]?|вел[аи]?)(?!\w)",
        re.I,
    ),
    "zh": re.compile(r"(?!)"),  # Chinese puts the chair before 主持, handled by _chair
}


def _relative_chair(lang: str, s_start: int, s_text: str, persons: list[Person]) -> Person | None:
    m = _RELATIVE_CHAIR[lang].search(s_text)
    if m is None:
        return None
    at = s_start + m.start()
    for p in persons:
        if p.end <= at and at - p.end <= 2:
            return p
    return None


def _known_person(person: Person, persons: list[Person]) -> Person | None:
    """The very same mention found already (a chair named inside the attendance list)."""
    for p in persons:
        if (p.start, p.end) == (person.start, person.end):
            return p
    return None


def _nominative_chair(chair: Person, listed: list[Person]) -> Person:
    """Russian names the chair in the genitive ("под председательством ... К.К.Токаева"):
    the attendance list's own mention of the same person, else the surname's nominative
    where it is a prefix of the written form (the span then still covers the name)."""
    for p in listed:
        if (
            p is not chair
            and _ru_stem(p.name) == _ru_stem(chair.name)
            and (chair.country is None or p.country in (None, chair.country))
        ):
            return p
    m = re.search(r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)$", chair.name)
    if m is None:
        return chair
    nomn = _ru_surname_nominative(m.group(1))
    if nomn is None and re.search(r"[бвгджзклмнпрстфхцчшщ]а$", m.group(1)):
        nomn = m.group(1)[:-1]  # "Норова", "Рахмона": a man's surname the analyzer lacks
    if nomn is None or not m.group(1).startswith(nomn):
        return chair
    cut = len(m.group(1)) - len(nomn)
    return replace(chair, name=chair.name[:-cut], end=chair.end - cut)


def _ru_stem(name: str) -> str:
    """A surname up to its case ending: "Токаева" and "Токаев" share "токаев"."""
    return re.sub(r"(?:ого|ему|ым|ом|ой|а|у|е|ы)$", "", _surname(name))


def _ru_surname_nominative(word: str) -> str | None:
    from communique.extract.dates import ru_parse

    for parse in ru_parse(word):
        tag = parse.tag
        if "Surn" in tag and "gent" in tag and "sing" in tag:
            form = parse.inflect({"nomn"})
            if form is not None and form.word != word.lower():
                return form.word[:1].upper() + form.word[1:]
    return None


def _surname(name: str) -> str:
    tokens = [t for t in re.split(r"[\s.]+", name) if len(t) > 1]
    return (tokens[-1] if tokens else name).casefold()


def _same_person(chair: Person, participants: list[Person]) -> Person | None:
    key = _surname(chair.name)
    for p in participants:
        if _surname(p.name) == key and (
            chair.country is None or p.country is None or chair.country == p.country
        ):
            return p
    return None


def _persons_anywhere(
    seg: SegmentedDocument, kb: Knowledge, lang: str, covered: list[tuple[int, int]]
) -> list[Person]:
    """Persons with a role outside attendance lists and chair phrases."""
    text = seg.text
    out: list[Person] = []
    for sent in seg.sentences:
        s_text = text[sent.start : sent.end]
        if lang == "zh":
            out.extend(_zh_persons(seg, kb, sent.start, sent.end, s_text, covered))
            continue
        heads = _RU_ROLE_HEAD if lang == "ru" else _EN_ROLE_HEAD
        # states are read only inside brackets ("Zhang Deguang (China)"): a sentence
        # without any needs no scan
        has_paren = "(" in s_text or "（" in s_text
        states = _states(kb, s_text, lang, sent.start) if has_paren else []
        last_end = sent.start
        for h in heads.finditer(s_text):
            start = sent.start + h.start()
            if start < last_end or any(cs <= start < ce for cs, ce in covered):
                continue
            # Extend left over an organization's acronym or a state adjective ("the SCO Secretary General").
            pre = re.search(r"(?:\b[A-ZА-ЯЁ][\w-]*\s+){1,2}$", text[sent.start : start])
            role_start = start
            if pre:
                article = re.match(r"(?:The|A|An|In|On|At|By)\s+", pre.group())
                role_start = sent.start + pre.start() + (article.end() if article else 0)
            end = _clause_end(text, start, sent.end, lang)
            stop = re.compile(
                r",|\s+(?!(?:of|the|and|for|on|in|to|at|de|bin|al)\b)[a-z][\w-]*"
                if lang == "en"
                else r",|\s+(?:принял\w*|встрети\w*|провел\w*|отметил\w*|заявил\w*|был\w*|выступил\w*|участвовал\w*|и\s+[А-ЯЁ])"
            ).search(text, start, end)
            if stop is not None:
                end = stop.start()
            # "... Zhang Deguang (People's Republic of China)": keep the bracketed state.
            paren = re.match(r"\s*[(（][^)）]{2,60}[)）]", text[end : sent.end])
            if paren and any(m.start >= end and m.end <= end + paren.end() for m in states):
                end += paren.end()
            people = _parse_list(seg, kb, lang, role_start, end, strict=True)
            if not people:
                continue
            out.extend(people)
            last_end = people[-1].end
        out.extend(_name_paren_state(seg, kb, lang, sent.start, s_text, states, covered, out))
    return out


def _name_paren_state(
    seg: SegmentedDocument,
    kb: Knowledge,
    lang: str,
    s_start: int,
    s_text: str,
    states: list[KnowledgeMatch],
    covered: list[tuple[int, int]],
    found: list[Person],
) -> list[Person]:
    """ "Zhang Deguang (People's Republic of China) as the SCO Executive Secretary"."""
    out: list[Person] = []
    if not states or "(" not in s_text:
        return out  # a match needs a state inside ASCII brackets
    name_re = (
        r"((?:[А-ЯЁ]\.\s?)*[А-ЯЁ][\w'’-]+(?:\s+[А-ЯЁ][\w'’-]+){0,2})\s*\(([^)]{2,60})\)"
        if lang == "ru"
        else r"((?:[A-Z]\.\s?)*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})\s*\(([^)]{2,60})\)"
    )
    for m in re.finditer(name_re, s_text):
        n_start, n_end = s_start + m.start(1), s_start + m.end(1)
        if any(cs <= n_start < ce for cs, ce in covered) or any(
            p.start <= n_start < p.end for p in found
        ):
            continue
        inner = [
            x for x in states if x.start >= s_start + m.start(2) and x.end <= s_start + m.end(2)
        ]
        if not inner:
            continue
        name = seg.text[n_start:n_end]
        if _is_place_name(kb, name, lang):
            continue
        if not _looks_like_name(name, lang) or any(
            w.lower() in (_RU_ROLE_WORDS if lang == "ru" else _EN_ROLE_WORDS) for w in name.split()
        ):
            continue
        role = None
        after = s_text[m.end() :]
        as_role = re.match(
            r"\s+(?:as|в\s+качестве)\s+(?:the\s+|a\s+|an\s+)?"
            r"([A-ZА-ЯЁ][\w'’-]*(?:\s+(?:(?:of|the|for|and)\s+)*[A-ZА-ЯЁ][\w'’-]*)*)",
            after,
        )
        if as_role:
            role = _clean_role(as_role.group(1), lang)
        out.append(
            Person(
                name=name,
                role=role,
                country=inner[0].code,
                office=_office(kb, role, lang),
                start=n_start,
                end=n_end,
                sentence=sentence_index(seg, n_start),
            )
        )
    return out


def _zh_persons(
    seg: SegmentedDocument,
    kb: Knowledge,
    s_start: int,
    s_end: int,
    s_text: str,
    covered: list[tuple[int, int]],
) -> list[Person]:
    out: list[Person] = []
    pos = s_start
    if not _ZH_ROLE_END_RE.search(s_text):
        return out
    states = _states(kb, s_text, "zh", s_start)
    for m in _ZH_ROLE_END_RE.finditer(s_text):
        abs_end = s_start + m.end()
        if abs_end <= pos or any(cs <= abs_end < ce for cs, ce in covered):
            continue
        nxt = seg.text[abs_end : abs_end + 1]
        if not nxt or nxt in _ZH_NOT_NAME_START or not re.match(r"[\u4e00-\u9fff]", nxt):
            continue
        # The role phrase starts after the last clause break or at the nearest state before it.
        brk = max(seg.text.rfind(c, s_start, abs_end) for c in "，、。；：:（(")
        start = max(brk + 1, s_start, pos)
        # Outside lists a Chinese name needs a named state or organization before its
        # role ("塔吉克斯坦共和国总统拉赫蒙", "上海合作组织秘书长梅津采夫"): a bare office
        # word followed by characters is too often not a name at all.
        word_start = s_start + m.start()
        owners = [
            x
            for x in kb.find(
                seg.text[start:abs_end], "zh", kinds=["state", "organization", "body", "office"]
            )
            if start + x.start < word_start
        ]
        if not owners:
            continue
        start += owners[0].start
        stop = re.compile(r"[，。；、：（(]").search(seg.text, abs_end, s_end)
        end = stop.start() if stop else s_end
        word = _ZH_NAME_STOP.search(seg.text, abs_end, end)
        end = word.start() if word else end  # "秘书长阿利莫夫和...主任瑟索耶夫": one at a time
        person = _person_zh(seg, kb, start, end, states)
        if person is None:
            continue
        out.append(person)
        pos = person.end
    return out
