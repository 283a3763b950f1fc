"""Commitments: sentences in which the issuing side binds itself or its bodies to act by a
stated time.

A sentence qualifies when it carries both an obligation or intent cue (``will``,
``agreed to``, ``it is important to ensure``; ``商定``, ``应``, ``以备``; ``будут``,
``договорились``, ``необходимо обеспечить``) and a time limit that is not already past
at the document's date (``not later than January 1, 2004``, ``by the next meeting``,
``2003年底前``, ``до конца 2003 года``). A past date in a report of what was done is not a
limit, and a sentence with an intent but no time ("will intensify the exchange of
views") is not a commitment.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from communique.extract.dates import Folded, TextDates, best_deadline, led_by, ru_parse
from communique.records import Commitment, SegmentedDocument, Sentence

_CUE = {
    "en": re.compile(
        r"\b(?:will|shall|agreed?|agrees|decided?|decides|instruct(?:s|ed)?|entrust(?:s|ed)?"
        r"|tasked|need\s+to\s+(?:make\s+sure|ensure)|(?:important|necessary|essential|expedient"
        r"|advisable)\s+(?:to|that)|should|must|are\s+to|is\s+to|intends?\s+to|intended\s+to"
        r"|undertakes?\s+to|undertook\s+to|commit(?:s|ted)?\s+to|with\s+a\s+view\s+to"
        r"|continues?\s+to|resolved\s+to"
        # "We task our Ministers of Trade to", "request the Secretariat to": the issuing
        # side hands a task to its own officials
        r"|(?:direct|task|ask|request|mandate|charge)(?:s|ed)?(?=\s+(?:our|the|its|their|all"
        r"|relevant|respective|competent)\b)"
        # the passive: "The Secretariat is requested to present ..."
        r"|(?:is|are)\s+(?:hereby\s+|also\s+)?(?:requested|instructed|tasked|mandated|charged"
        r"|entrusted|directed|asked)\s+to)\b",
        re.IGNORECASE,
    ),
    "zh": re.compile(
        r"将|商定|决定|责成|指示|应(?!对|用|邀)|以备|同意|需要|必须|争取|确保|拟|承诺|委托|要求"
        # "我们请秘书处于...前": a request to the side's own bodies (not 邀请, 申请, 吁请)
        r"|(?<![邀申提聘宴吁])请"
    ),
    "ru": re.compile(
        r"(?<!\w)(?:будут|будет|обязуются|обязуется|обязуемся|договорились|договорилась"
        r"|договорилось|договариваются|договариваемся|условились"
        r"|поруч(?:ить|или|ило|ила|ил|ено|ена|ены|ается|ают|ает|аем|аю)"
        r"|необходимо|решили|решено|примут|намерены|намерен|намерено|следует|должны|должен"
        r"|должна|предстоит|согласились|приложат|обеспечат|постановили|постановляет)(?!\w)",
        re.IGNORECASE,
    ),
}

# Every cue starts with one of these letters. Checked first, they let the regex engine
# pass over most positions without trying each alternative in turn: the same matches,
# in half the time (cue scanning runs over every sentence).
_CUE["en"] = led_by(_CUE["en"], "wsadietnmcru")
_CUE["ru"] = led_by(_CUE["ru"], "бодупнрс")
# Every sentence is searched for cues: over its lowercased text, case-sensitive, the
# English search took 0.35 ms a document instead of 0.69, the Russian 0.21 instead of 0.30.
_CUE_SEARCH: dict[str, Folded | re.Pattern[str]] = {
    lang: Folded(p) if p.flags & re.IGNORECASE else p for lang, p in _CUE.items()
}

# Only the issuing organization's own bodies (and the organization) can bind themselves.
_ACTOR_KINDS = ["organization", "body"]


def find_commitments(
    seg: SegmentedDocument, kb: Any, doc_date: str | None, organization: str | None
) -> list[Commitment]:
    lang = seg.language if seg.language in _CUE else "en"
    cue = _CUE_SEARCH[lang]
    out: list[Commitment] = []
    doc_dates: TextDates | None = None
    actors: _Actors | None = None
    for sent in seg.sentences:
        # cues are written with е; the text may spell ё ("проведён"); the length is kept
        text = sent.text.replace("ё", "е").replace("Ё", "Е") if lang == "ru" else sent.text
        matches = list(cue.finditer(text))
        if not matches and lang != "ru":
            continue  # no cue, no commitment (Russian may still have a bare future verb)
        if doc_dates is None:
            # A third of the sentences have a cue; scanning each again for dates
            # cost as much as the whole document's scan.
            doc_dates = TextDates(seg.text, lang, doc_date)
        found = best_deadline(sent.text, lang, doc_date, doc_dates.within(sent.start, sent.end))
        if found is None:
            continue
        # "will be held in 2017" only dates an event; "will be held before the end of 2019"
        # still sets a limit on holding it
        cues = [m.start() for m in matches if found.strong or not _schedules(text, m, lang)]
        if matches and all(_announces(text, m, found, lang) for m in matches):
            continue
        if not cues and lang == "ru":
            cues = _ru_future_verbs(sent.text)
        if not cues:
            continue
        if _others_act(sent.text, found, lang, kb):
            continue
        day, d_start, d_end = found.day, found.start, found.end
        if actors is None:
            actors = _Actors(seg.text, lang, kb, organization)
        out.append(
            Commitment(
                sentence=sent.text,
                deadline=day,
                deadline_text=sent.text[d_start:d_end],
                actor=actors.actor(sent, cues[-1]),
                start=sent.start,
                end=sent.end,
                sentence_index=sent.index,
                deadline_start=sent.start + d_start,
                deadline_end=sent.start + d_end,
            )
        )
    return out


# A cue that only says when an event takes place ("The next meeting will be held in China
# in 2017", "将于2019年6月在比什凯克举行") sets no task: the meeting is not an actor.
_SCHEDULE_AFTER = {
    "en": re.compile(
        r"\s+(?:also\s+)?(?:be\s+(?:held|convened|hosted|organized|organised)|take\s+place|convene|meet)\b",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"\s+(?:также\s+)?(?:проведен\w*|проходить|состояться|организован\w*)(?!\w)", re.IGNORECASE
    ),
    "zh": re.compile(r"\s*(?:于|在)[^，。；]{0,40}?(?:举行|召开|举办)"),
}
_RU_EVENT_VERBS = frozenset(
    ["состоится", "состоятся", "пройдет", "пройдёт", "пройдут", "откроется", "откроются"]
)


def _schedules(text: str, cue: re.Match[str], lang: str) -> bool:
    word = cue.group(0).lower()
    if lang == "en" and word not in {"will", "shall", "is to", "are to"}:
        return False
    if lang == "ru" and word not in {"будет", "будут"}:
        return False
    if lang == "zh" and word != "将":
        return False
    return bool(_SCHEDULE_AFTER[lang].match(text, cue.end()))


# Hosting or holding a meeting at a stated time ("will host the tenth Summit in 2018",
# "decided to hold its next meeting in July", "印度将于2012年主办第四次会晤", "Следующее
# совещание будет созвано в 2006 году") announces an event, and taking over the chair is
# no task either: a cue that governs only such a verb sets no one a task.
_EVENT_NOUN = {
    "en": r"(?:meeting|summit|session|sitting|conference|forum|consultations|chair\w*"
    r"|presidency)\b",
    "ru": r"(?:заседани|саммит|встреч|совещани|сесси|конференци|форум|консультаци"
    r"|председательств)\w*",
    "zh": r"(?:会议|会晤|峰会|论坛|大会|会谈|磋商|主席国|主席)",
}
_ANNOUNCE_AFTER = {
    "en": re.compile(
        r"\s+(?:also\s+)?(?:to\s+)?(?:host|hold|convene|organi[sz]e|assume|take\s+over"
        r"|be\s+(?:held|hosted|convened|organi[sz]ed))\b[^.;:,]{0,60}?\b" + _EVENT_NOUN["en"],
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"\s+(?:также\s+)?(?:провести|созвать|организовать|принять\s+у\s+себя"
        r"|(?:созван|проведен|организован)\w*|принять)\s+(?:[\w-]+\s+){0,4}?"
        + _EVENT_NOUN["ru"]
        + r"|\s+(?:также\s+)?(?:созван|проведен|организован)\w*(?!\w)",
        re.IGNORECASE,
    ),
    "zh": re.compile(
        r"\s*(?:于|在)?[^，。；]{0,30}?(?:主办|举办|举行|召开|承办|接任|担任)[^，。；]{0,20}?"
        + _EVENT_NOUN["zh"]
        + r"|\s*(?:于|在)[^，。；]{0,40}?(?:举行|召开|举办)"
    ),
}
_ANNOUNCE_CUES = {
    "en": {
        "will",
        "shall",
        "is to",
        "are to",
        "agreed",
        "agree",
        "agrees",
        "decided",
        "decide",
        "decides",
        "intend to",
        "intends to",
        "intended to",
        "resolved to",
    },
    "ru": {
        "будет",
        "будут",
        "решили",
        "решено",
        "договорились",
        "намерены",
        "намерен",
        "постановили",
        "согласились",
    },
    "zh": {"将", "决定", "商定", "同意", "拟"},
}
# Words that make a time a limit ("by", "before", "не позднее", "前"), not a date of the event.
_LIMIT = {
    "en": re.compile(
        r"^(?:(?:not|no)\s+later\s+than|by|before|until|till|prior\s+to|within|ahead\s+of"
        r"|in\s+time\s+for)\b",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"^(?:не\s+(?:позднее|позже)|до|к|в\s+течение|перед|в\s+\w+\s+срок)(?!\w)", re.IGNORECASE
    ),
    "zh": re.compile(r"不迟于|最迟|最晚|截至|(?:前|之前|以前|内|为止)$"),
}


def _announces(text: str, cue: re.Match[str], found: Any, lang: str) -> bool:
    """Whether a cue governs only hosting, holding or chairing a meeting at a stated time."""
    word = re.sub(r"\s+", " ", cue.group(0).lower())
    if word not in _ANNOUNCE_CUES[lang]:
        return False
    if _LIMIT[lang].search(found.surface.strip()):
        return False  # "will convene the meeting before the end of 2019" is a limit
    return bool(_ANNOUNCE_AFTER[lang].match(text, cue.end()))


# Supporting another state's own process ("will assist the Government of Afghanistan in
# holding the elections by September"): the dates are that state's, not a task of the side.
_SUPPORT = {
    "en": re.compile(
        r"\b(?:support\w*|assist\w*|help\w*|contribut\w*|facilitat\w*|welcom\w*)\b", re.I
    ),
    "ru": re.compile(r"(?<!\w)(?:поддерж|содейств|помо[гчщ]|способств|приветств)\w*", re.I),
    "zh": re.compile(r"支持|帮助|协助|欢迎|支援"),
}


def _others_act(text: str, found: Any, lang: str, kb: Any) -> bool:
    if kb is None:
        return False
    verbs = [m for m in _SUPPORT[lang].finditer(text) if m.end() <= found.start]
    if not verbs:
        return False
    between = text[verbs[0].end() : found.start]
    return bool(kb.find(between, lang, kinds=["state"]))


def _ru_future_verbs(text: str) -> list[int]:
    """Offsets of perfective future verbs ("подготовит", "завершат"): Russian states what a
    body will do with the bare future, no auxiliary. A verb that reads as present too
    ("приветствуют", of a two-aspect verb) states a view, and "состоится" only a date."""
    out = []
    for m in re.finditer(r"[а-яё]+", text, re.IGNORECASE):
        word = m.group(0).lower()
        if word in _RU_EVENT_VERBS:
            continue
        parses = ru_parse(word)
        if parses[0].normal_form == "быть":
            continue  # the auxiliary: a cue of its own, already weighed above
        tag = parses[0].tag
        if not ("VERB" in tag and "futr" in tag and "3per" in tag):
            continue
        if any("pres" in p.tag for p in parses):
            continue
        out.append(m.start())
    return out


class _Actors:
    """The issuing organization's own bodies named in a document, found in one pass over
    its text: a commitment's actor is read from those inside its sentence. Scanning each
    committing sentence again (a third of them, in a declaration) cost as much as the
    scan of the whole text."""

    def __init__(self, text: str, lang: str, kb: Any, organization: str | None) -> None:
        self.organization = organization
        self.own: list[Any] = []
        if kb is None:
            return
        try:
            matches = kb.find(text, lang, kinds=_ACTOR_KINDS, organization=organization)
        except TypeError:  # a knowledge object without the organization keyword
            matches = kb.find(text, lang, kinds=_ACTOR_KINDS)
        self.own = [
            m
            for m in matches
            if m.code != organization and (organization is None or kb.root(m.code) == organization)
        ]
        self.starts = [m.start for m in self.own]

    def actor(self, sent: Sentence, cue_at: int) -> str | None:
        """The body named last in ``sent`` before its cue (the subject of "the Council ...
        will prepare"), else the issuing organization itself."""
        if self.own:
            i = bisect.bisect_left(self.starts, sent.start)
            j = bisect.bisect_left(self.starts, sent.start + cue_at, i)
            for m in reversed(self.own[i:j]):
                if m.end <= sent.end:
                    return str(m.code)
        return self.organization


__all__ = ["find_commitments"]
