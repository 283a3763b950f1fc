"""What one document says about the organization: fact candidates, evidence, commitments.

Everything here reads a single stored document (its sentences, its extracted
mentions and its record) and the knowledge pack; nothing looks at another
document, so a document's rows can be built once, in any order, in parallel.

The rules are the genre's: a communiqué names member states in an enumeration
after "the heads of the member states" (成员国, государств-членов), grants
"observer status to" states (观察员, наблюдатель), puts a permanent body "in"
a city (在北京建立秘书处, Секретариат в Пекине), names an official by office and
name ("The SCO Secretary General D. Mezentsev"), refers to "the presidency of"
a state (主席国, председательство), dates an instrument ("Agreement ... of June
17, 2004"), and reports memoranda "between" organizations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from communique.extract.dates import find_dates
from communique.link.names import instrument_key, person_key
from communique.store.models import DocumentDetail, MentionInfo, SentenceInfo

# ------------------------------------------------------------------ records


@dataclass(slots=True)
class FactRow:
    subject: str
    predicate: str
    object: str
    valid_from: str | None
    mode: str  # "stated" | "planned"
    sentence: int
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class EntityRow:
    kind: str  # "person" | "instrument"
    key: str
    name: str
    sentence: int
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class EvidenceRow:
    kind: str  # "done" | "progress" | "instrument" | "office"
    date: str | None  # the event's own date when the text gives one
    sentence: int
    start: int
    end: int
    keys: list[str]
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class CommitmentRow:
    sentence: int
    start: int
    end: int
    deadline: str | None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class DocumentLinks:
    facts: list[FactRow] = field(default_factory=list)
    entities: list[EntityRow] = field(default_factory=list)
    evidence: list[EvidenceRow] = field(default_factory=list)
    commitments: list[CommitmentRow] = field(default_factory=list)


# -------------------------------------------------------------------- cues

_LANGS = ("en", "zh", "ru")

_MEMBER_CUE = {
    "en": re.compile(r"\bmember[\s-]+(?:states?|countries|nations)\b", re.I),
    "zh": re.compile(r"成员国"),
    "ru": re.compile(r"государств\w*[\s-]+член\w*|стран\w*[\s-]+член\w*", re.I),
}
# Admission: the states just before the cue become members ("welcomed Egypt, Ethiopia and
# Iran as full members of BRICS", "вступление Республики Беларусь в ШОС в качестве
# полноправного государства-члена", "接收白俄罗斯为上合组织成员国").
_ADMITTED_CUE = {
    "en": re.compile(
        r"\b(?:as|to\s+become|became|becoming)\s+(?:a\s+|the\s+)?(?:new\s+)?"
        r"(?:full(?:-fledged)?[\s-]+|fully[\s-]+fledged\s+)?"
        r"(?:member[\s-]+(?:states?|countries|nations)|members?)\b",
        re.I,
    ),
    "zh": re.compile(r"(?:为|成为)(?:[^，。；、]{0,10}?)(?:正式|新)?成员国"),
    "ru": re.compile(
        r"(?<!\w)(?:в\s+качестве\s+(?:нового\s+)?(?:полноправного\s+)?(?:государства[\s-]+члена"
        r"|члена)|в\s+члены|(?:стал|став)\w*\s+(?:полноправным\s+)?(?:государством[\s-]+)?"
        r"член\w*)",
        re.I,
    ),
}
# Joining, in the past: "Egypt and Ethiopia joined BRICS", "Республика Беларусь вступила в
# ШОС", "埃及加入了金砖国家". The organization must be written right after: "joined the
# consensus" or "joined the statement" makes no one a member.
_JOINED_CUE = {
    "en": re.compile(r"\b(?:(?:has|have|had)\s+)?joined\b", re.I),
    "zh": re.compile(r"加入了"),
    "ru": re.compile(r"(?<!\w)вступил[аои]?(?!\w)", re.I),
}
# Admission begun is not admission done: "start the procedure of admitting India as a
# member state", "the memorandum of obligations of Iran to obtain the status".
_PROCEDURE = {
    "en": re.compile(
        r"\b(?:procedures?|process|candidates?|applicants?|obligations|consider\w*)\b", re.I
    ),
    "zh": re.compile(r"程序|进程|候选|义务|审议"),
    "ru": re.compile(r"процедур\w*|процесс\w*|кандидат\w*|обязательств\w*|рассмотр\w*", re.I),
}
_OBSERVER_CUE = {
    "en": re.compile(
        r"\bobserver(?:s|\s+status|\s+states?)?\b|\bstatus\s+of\s+(?:an\s+)?observer", re.I
    ),
    "zh": re.compile(r"观察员"),
    "ru": re.compile(r"наблюдател\w*", re.I),
}
_PARTNER_CUE = {
    "en": re.compile(r"\bdialogue\s+partners?\b|\bpartners?\s+(?:in|of)\s+dialogue\b", re.I),
    "zh": re.compile(r"对话伙伴"),
    "ru": re.compile(r"партн[её]р\w*\s+по\s+диалогу", re.I),
}
# A request or an application is not a status.
_NOT_GRANTED = {
    "en": re.compile(r"\b(?:appl(?:y|ied|ication)s?|request(?:s|ed)?|seek(?:s|ing)?|bid)\b", re.I),
    "zh": re.compile(r"申请|请求"),
    "ru": re.compile(r"заявк\w*|просьб\w*|ходатайств\w*", re.I),
}
_FUTURE = {
    "en": re.compile(
        r"\b(?:will|shall|to\s+be|planned|plans?\s+to|establishment\s+of|to\s+establish|"
        r"location\s+of|proposed|future|draft)\b",
        re.I,
    ),
    "zh": re.compile(r"将|拟|建立|设立|筹建|计划|决定在"),
    "ru": re.compile(
        r"будет|будут|создани\w*|учрежд\w*|размещени\w*|планир\w*|решени\w+\s+о", re.I
    ),
}
_FORMER = {
    "en": re.compile(r"\b(?:former|ex-|late|outgoing|then)\s*$", re.I),
    "zh": re.compile(r"前任?$|原$"),
    "ru": re.compile(r"(?:бывш\w*|прежн\w*)\s*$", re.I),
}
_MEETING_BEFORE = {
    "en": re.compile(
        r"\b(?:meetings?|sessions?|summits?|sitting|held|met|convened)\b[^.]{0,20}$", re.I
    ),
    "zh": re.compile(r"(?:会议|会晤|峰会)[^，。]{0,4}$"),
    "ru": re.compile(r"(?:заседани\w*|встреч\w*|саммит\w*|совещани\w*)[^.]{0,20}$", re.I),
}
# Between a body and the city it sits in.
_SEAT_GAP = {
    "en": re.compile(
        r"^\s*(?:\([^()]{1,40}\)\s*)?,?\s*(?:which\s+is\s+|that\s+is\s+)?"
        r"(?:(?:headquartered|based|located|seated|situated|sitting)\s+|"
        r"with\s+(?:its\s+)?(?:headquarters|seat)\s+)?(?:in|at)\s+(?:the\s+city\s+of\s+)?$",
        re.I,
    ),
    "zh": re.compile(
        r"^(?:（[^（）]{1,12}）|\([^()]{1,12}\))?(?:总部)?(?:设在|设于|位于|落户|驻)$"
    ),
    "ru": re.compile(
        r"^\s*(?:\([^()]{1,40}\)\s*)?,?\s*(?:(?:со\s+штаб-квартирой|с\s+местопребыванием|"
        r"расположенн\w*|находящ\w*|размещенн\w*|размещённ\w*|базирующ\w*)\s+)?"
        r"(?:в|во)\s+(?:городе\s+|г\.\s*)?$",
        re.I,
    ),
}
# zh: 在北京建立本组织秘书处 / 在比什凯克建立本组织地区反恐机构总部: city first.
_ZH_SEAT_BEFORE = re.compile(r"在$")
_ZH_SEAT_BETWEEN = re.compile(
    r"^(?:建立|设立|设置|成立|组建|开设)?(?:本组织|上海合作组织|上合组织|该组织)?(?:的)?$"
)
_SINCE = {
    "en": re.compile(r"\b(?:since|from)\s+(?:(?:early|mid|late)[\s-]+)?$", re.I),
    "zh": re.compile(r"(?:自|从|于)$"),
    "ru": re.compile(r"(?:^|\s)(?:с|со)\s+$", re.I),
}
_SINCE_AFTER_ZH = re.compile(r"^(?:起|以来|开始)")
_PRESIDENCY_CUE = {
    "en": re.compile(
        r"\b(?:presidency|presidencies|chairmanship|chairpersonship|chairship"
        r"|presiding\s+(?:country|state|party))\b",
        re.I,
    ),
    "zh": re.compile(r"主席国|轮值主席|担任主席"),
    "ru": re.compile(r"председательств\w*", re.I),
}
_CHAIRED_MEETING = {
    "en": re.compile(
        r"chaired\s+by|chairmanship\s+of\s+the\s+meeting|presided\s+over|"
        r"under\s+the\s+(?:chairmanship|presidency)",
        re.I,
    ),
    "zh": re.compile(r"主持"),
    "ru": re.compile(
        r"под\s+председательством|председательствовал\w*|председательств\w*\s+на\s+"
        r"(?:заседании|совещании|встрече)",
        re.I,
    ),
}
# The presidency passing on: the next holder's term lies ahead.
_HANDOVER = {
    "en": re.compile(
        r"\b(?:pass(?:es|ed)?\s+to|(?:will|to)\s+(?:assume|take\s+over|hold)|incoming|"
        r"readiness|looked\s+forward|successive)\b",
        re.I,
    ),
    "zh": re.compile(r"接任|交接|移交|将担任|接过"),
    "ru": re.compile(
        r"переход\w*\s+к|перейд\w*|прим\w*\s+председательство|будет\s+председательств", re.I
    ),
}
# What lies between a state and a presidency cue after it when the state takes or holds
# the office the cue names.
_TAKES_OFFICE = {
    "en": re.compile(
        r",?\s*(?:which|that|who)\s+(?:will\s+|is\s+to\s+|is\s+going\s+to\s+)?"
        r"(?:assumes?|assumed|takes?\s+over|took\s+over|holds?|held)\s+(?:the\s+)?"
        r"(?:[\w-]+\s+){0,4}",
        re.I,
    ),
    "zh": re.compile(r"(?:将|于)?(?:担任|接任|出任|作为)[^，。；、,;]{0,24}"),
    "ru": re.compile(
        r",?\s*(?:котор\w+\s+)?(?:примет|принимает|приняла|принял|приняли|будет\s+осуществлять"
        r"|осуществляет|осуществляла|осуществлял)\s+",
        re.I,
    ),
}
_CLAUSE_END = {
    "en": re.compile(r"[,.;:]|\s+and\s+", re.I),
    "zh": re.compile(r"[，。；：,;:]|并|和"),
    "ru": re.compile(r"[,.;:]|\s+(?:и|а)\s+", re.I),
}
_MEMO_CUE = {
    "en": re.compile(r"\bmemorand(?:um|a)\b", re.I),
    "zh": re.compile(r"备忘录"),
    "ru": re.compile(r"меморандум\w*", re.I),
}
_BETWEEN = {
    "en": re.compile(r"\bbetween\s+(?:the\s+)?$", re.I),
    "zh": re.compile(r"(?:与|和|同)$"),
    "ru": re.compile(r"(?:между)\s+$", re.I),
}
_AND = {
    "en": re.compile(r"^\s*(?:and|&)\s+(?:the\s+)?(?:[A-Z][\w-]+\s+of\s+(?:the\s+)?)?$"),
    "zh": re.compile(r"^(?:与|和|同|及)$"),
    "ru": re.compile(r"^\s*и\s+$", re.I),
}
_ENUM_GAP = re.compile(
    r"^[\s,;:、，；–—\-()]*(?:(?:and|и|和|及|以及)\s*)?(?:the\s+)?[\s,、，]*$", re.I
)

# Completion and progress cues for commitment follow-up.
_DONE = {
    "en": re.compile(
        r"\b(?:in\s+operation|operational|(?:has|have)\s+been\s+(?:\w+ly\s+)?(?:implemented|"
        r"established|launched|completed|signed|adopted|set\s+up|created|concluded|approved|"
        r"fulfilled|renamed)|(?:was|were)\s+(?:\w+ly\s+)?(?:signed|adopted|established|launched|"
        r"set\s+up|created|concluded|approved|renamed)|entered\s+into\s+force|came\s+into\s+"
        r"(?:force|effect)|(?:started|began|commenced)\s+(?:its\s+|their\s+)?(?:work|operat\w*|"
        r"function\w*)|functioning|in\s+force|"
        # a plain past report: "the heads of state signed the agreement", "approved the draft"
        r"(?<!\bbe\s)(?<!\bbeen\s)(?:signed|approved|adopted|ratified|concluded|launched)\s+"
        r"(?:the|a|an|this|these|their|its|respective|relevant)\b)",
        re.I,
    ),
    "zh": re.compile(
        r"已(?:经)?(?:签署|签订|建立|设立|启动|开始|成立|生效|完成|正式|投入|运作|运行|通过|落实)"
        r"|正式(?:启动|运作|成立)|投入运(?:行|作)|开始运作|开始工作|生效"
        r"|(?:签署|签订|批准|通过|成立|建立)了"
    ),
    "ru": re.compile(
        # participles, not the nouns: "подписания", "выполнение", "утверждение" name work to do
        r"подписан(?:[аоы]?\b|н\w*)|вступил\w*\s+в\s+силу|начал\w*\s+(?:работ\w*|функционир\w*)|"
        # "действует" reports a working body; "действующих органов" only names one
        r"функционирует|функционируют|действует|действуют|создан[аоы]?\b|учрежден[аоы]?\b|"
        r"(?:выполнен|реализован|утвержд[её]н)(?:[аоы]?\b|н\w*)|принят[аоы]?\b|"
        r"(?:подписали|утвердили|одобрили|ратифицировали)\b|приняли\b(?!\s+к\s+сведению)",
        re.I,
    ),
}
_PROGRESS = {
    "en": re.compile(
        r"\b(?:continu\w+|ongoing|under\s+way|underway|in\s+progress|being\s+(?:prepared|"
        r"drafted|finali[sz]ed|elaborated|developed|negotiated)|work\s+on|working\s+on|"
        r"not\s+yet|still)\b",
        re.I,
    ),
    "zh": re.compile(r"正在|继续|推进|尚未|仍在"),
    "ru": re.compile(r"продолжа\w*|вед[её]тся|в\s+стадии|пока\s+не|ещ[её]\s+не", re.I),
}

# A sentence that instructs, agrees to do or plans something reports nothing done yet.
_ORDERS = {
    "en": re.compile(
        r"\b(?:instruct\w*|task(?:s|ed)?|direct(?:s|ed)?\s+(?:the|our|their)|request(?:s|ed)?|"
        r"charged|agreed\s+to|decided\s+to|will|shall|to\s+be\s+(?:signed|adopted|approved|"
        r"submitted|held)|for\s+(?:signature|signing|approval|adoption)|with\s+a\s+view\s+to)\b",
        re.I,
    ),
    "zh": re.compile(r"责成|指示|委托|要求|商定|同意|将于|将在|以备|应于|应在|拟|提交.{0,12}审议"),
    "ru": re.compile(
        r"поручил\w*|поручено|поручается|договорились|решили|будет|будут|завершат|"
        r"разработают|для\s+(?:подписания|утверждения|рассмотрения)",
        re.I,
    ),
}

_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "agreement": ("agreement", "соглашени", "协定", "协议"),
    "convention": ("convention", "конвенци", "公约"),
    "treaty": ("treaty", "договор", "条约"),
    "charter": ("charter", "устав", "宪章"),
    "memorandum": ("memorand", "меморандум", "备忘录"),
    "program": ("program", "программ", "纲要", "规划"),
    "plan": ("plan of action", "action plan", "план", "计划"),
    "strategy": ("strategy", "стратеги", "战略"),
    "concept": ("concept", "концепци", "构想"),
    "regulations": ("regulations", "положени", "条例"),
    "budget": ("budget", "бюджет", "预算"),
}
# "legal documents", "法律文件", "правовые документы": any instrument may be meant.
_GENERIC_DOCUMENTS = re.compile(
    r"\b(?:legal|draft|statutory|constituent)\s+documents?\b|\bdocuments?\s+(?:on|for|of)\b|"
    r"法律文件|文件草案|法律文书|документ\w*",
    re.I,
)
_ACTION = {
    "operate": re.compile(
        r"\boperat\w*|\bfunction\w*|\blaunch\w*|start\s+work\w*|begin\s+work\w*|commence\w*|"
        r"启动|运作|运转|开始工作|начал\w*\s+работ\w*|функционир\w*|запуск\w*|заработа\w*",
        re.I,
    ),
    "conclude": re.compile(
        r"\bconclud\w*|\bsign\w*|\badopt\w*|\bapprov\w*|\bfinali[sz]\w*|签署|签订|缔结|通过|"
        r"подпис\w*|заключ\w*|приня\w*|утверд\w*",
        re.I,
    ),
    "rename": re.compile(
        r"\brenam\w*|\bposition\s+of\b|\bpost\s+of\b|更名|改称|职务|переименова\w*|должност\w*",
        re.I,
    ),
    "establish": re.compile(
        r"\bestablish\w*|\bset\s+up\b|\bcreat\w*|\bfound\w*|建立|设立|成立|созда\w*|учрежд\w*",
        re.I,
    ),
}

_STOP_EN = frozenset(
    """a an the of and or in on at to for by with from as is are was were be been being that this
    these those it its their them they we our us which who whom whose will shall should would
    can could may might must not no than then there here such so also both all any each other
    into over under between within without about after before during until upon per via
    further more most very has have had do does did make made ensure need needs necessary
    important order well including regard this year next end heads head state states member
    members parties party side sides country countries minister ministers organization
    organizations sco""".split()
)
_STOP_ZH = frozenset(
    "的 和 与 在 了 是 等 及 对 为 将 并 以 于 就 其 各 本 该 这 之 也 而 或 把 被 年 月 日".split()
)
_STOP_RU = frozenset(
    """и в во на с со по к ко о об от до из за для при а но или что как это этот также
    быть который их его ее её они мы наш свой весь все год глава государство член сторона
    министр организация шос""".split()
)
_EN_SUFFIX = re.compile(r"(?:ions?|ing|ed|es|s|al|ly)$")


def stem(term: str, lang: str) -> str:
    """A crude English stem so "operating" meets "operation"; ru terms are lemmas already."""
    if lang == "en" and term.isascii() and len(term) > 5:
        # suffix off, then a fixed length: operating/operation -> operat,
        # implemented/implementation -> impleme
        return (_EN_SUFFIX.sub("", term) or term)[:7]
    return term


def content_terms(text: str, lang: str) -> list[str]:
    """Content words of a text as matching keys (stems, lemmas, Chinese words)."""
    from communique.segment import index_terms

    stop = _STOP_ZH if lang == "zh" else _STOP_RU if lang == "ru" else _STOP_EN
    out: list[str] = []
    for t in index_terms(text, lang):
        if t in stop or t.isdigit() or (len(t) < 2 and not _is_cjk(t)):
            continue
        if lang == "zh" and len(t) < 2:
            continue
        out.append(stem(t, lang))
    return list(dict.fromkeys(out))


def _is_cjk(t: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in t)


def kind_words(text: str, *, generic: bool = False) -> list[str]:
    """Instrument kinds a text speaks of; ``generic`` adds "document" for "legal documents"."""
    low = text.lower()
    out = [k for k, words in _KIND_WORDS.items() if any(w in low for w in words)]
    if generic and _GENERIC_DOCUMENTS.search(text):
        out.append("document")
    return out


def actions(text: str) -> list[str]:
    return [a for a, rx in _ACTION.items() if rx.search(text)]


# ------------------------------------------------------------------ helpers


@dataclass(frozen=True, slots=True)
class _M:
    kind: str
    code: str
    start: int  # absolute offsets into the document text
    end: int
    surface: str
    form: str = "name"


def _lang(lang: str) -> str:
    return lang if lang in _LANGS else "en"


def _find(
    kb: Any, sent: SentenceInfo, lang: str, org: str | None, kinds: tuple[str, ...]
) -> list[_M]:
    return [
        _M(m.kind, m.code, sent.start + m.start, sent.start + m.end, m.surface, m.form)
        for m in kb.find(sent.text, lang, kinds, organization=org)
    ]


def _explicit_since(
    text: str, sent: SentenceInfo, after: int, lang: str, ref: str | None
) -> str | None:
    """A "since 2004" / "自2004年起" / "с 2004 года" date in the sentence after ``after``."""
    rel = max(0, after - sent.start)
    for d in find_dates(sent.text, lang, ref):
        if d.start < rel:
            continue
        before = sent.text[max(0, d.start - 30) : d.start]
        if _SINCE[lang].search(before):
            return d.value
        if lang == "zh" and _SINCE_AFTER_ZH.match(sent.text[d.end :]):
            return d.value
    return None


def _org_near(ms: list[_M], at: int, kb: Any, default: str | None) -> str | None:
    """The organization a cue at ``at`` speaks of: the nearest organization or body's root."""
    best: tuple[int, str] | None = None
    for m in ms:
        if m.kind not in ("organization", "body"):
            continue
        dist = abs(m.start - at)
        root = kb.root(m.code)
        if best is None or dist < best[0]:
            best = (dist, root)
    if best is not None and best[0] <= 80:
        return best[1]
    return default


# A clause or list break between a status cue and a name: the name is in another clause
# ("observer states ..., the special envoy of the President of Afghanistan").
_CLAUSE_GAP = re.compile(r"[,;，；。、]")


def _status_run(states: list[_M], text: str, cue_at: int, cue_end: int) -> list[_M]:
    """The states a status cue speaks of: the enumeration right before or right after it.

    "Pakistan, Iran and India as observers", "印度、伊朗等观察员国", "observer status
    to Pakistan, Iran and India", "наблюдателей ... представители Австралии, Индонезии".
    """
    out: list[_M] = []
    # the cue ends an enumeration before it and starts one after it
    runs = _enumeration([s for s in states if s.end <= cue_at], text, 60)
    runs += _enumeration([s for s in states if s.start >= cue_end], text, 60)
    for run in runs:
        before = text[run[-1].end : cue_at]
        after = text[cue_end : run[0].start]
        if (run[-1].end <= cue_at and len(before) <= 40 and not _CLAUSE_GAP.search(before)) or (
            run[0].start >= cue_end and len(after) <= 80 and not _CLAUSE_GAP.search(after)
        ):
            out.extend(run)
    return out


def _status_org(
    ms: list[_M], text: str, cue_at: int, cue_end: int, kb: Any, default: str | None
) -> str | None:
    """The organization granting a status: one written against the cue ("SCO observer",
    "observer status in the SCO", "观察员国"), else the document's own."""
    best: tuple[int, str] | None = None
    for m in ms:
        if m.kind not in ("organization", "body"):
            continue
        root = kb.root(m.code)
        entry = kb.entry(root)
        if entry is None or entry.kind != "organization":
            continue
        gap = text[m.end : cue_at] if m.end <= cue_at else text[cue_end : m.start]
        if len(gap) > 30 or _CLAUSE_GAP.search(gap):
            continue
        if best is None or len(gap) < best[0]:
            best = (len(gap), root)
    return best[1] if best is not None else default


def _enumeration(states: list[_M], text: str, max_gap: int) -> list[list[_M]]:
    """Runs of states separated only by list punctuation (or short titles/names)."""
    runs: list[list[_M]] = []
    cur: list[_M] = []
    for m in states:
        if cur:
            gap = text[cur[-1].end : m.start]
            if m.code == cur[-1].code and len(gap) < 3:
                continue
            if _ENUM_GAP.match(gap) or (
                len(gap) <= max_gap
                and re.search(r"[,、，]|\band\b|\bи\b", gap)
                and not re.search(r"[.;。；]", gap)
            ):
                cur.append(m)
                continue
            runs.append(cur)
        cur = [m]
    if cur:
        runs.append(cur)
    return runs


# -------------------------------------------------------------------- rules


def document_links(detail: DocumentDetail, kb: Any) -> DocumentLinks:
    """Every fact candidate, entity mention, evidence row and commitment of one document."""
    info = detail.info
    lang = _lang(info.language)
    text = detail.text
    org = info.organization
    date = info.date
    out = DocumentLinks()
    by_sentence: dict[int, list[MentionInfo]] = {}
    for m in detail.mentions:
        by_sentence.setdefault(m.sentence, []).append(m)

    promised = {m.sentence for m in detail.mentions if m.kind == "commitment"}
    for sent in detail.sentences:
        mentions = by_sentence.get(sent.index, [])
        _sentence_facts(out, sent, mentions, text, lang, org, date, kb)
        _sentence_evidence(out, sent, text, lang, org, date, kb, sent.index in promised)

    _person_rows(out, detail, lang, org, date, kb)
    _instrument_rows(out, detail, lang, date, kb)
    _meeting_fact(out, detail, org)
    _position_facts(out, detail, org, date)
    _commitment_rows(out, detail, lang, org, kb)
    return out


def _sentence_facts(
    out: DocumentLinks,
    sent: SentenceInfo,
    mentions: list[MentionInfo],
    text: str,
    lang: str,
    org: str | None,
    date: str | None,
    kb: Any,
) -> None:
    st = sent.text
    has_body = any(m.kind == "body" for m in mentions)
    cues = {
        "member": _MEMBER_CUE[lang].search(st),
        "admitted": _ADMITTED_CUE[lang].search(st) or _JOINED_CUE[lang].search(st),
        "observer": _OBSERVER_CUE[lang].search(st),
        "dialogue_partner": _PARTNER_CUE[lang].search(st),
        "presidency": _PRESIDENCY_CUE[lang].search(st),
        "memorandum": _MEMO_CUE[lang].search(st),
    }
    if not has_body and not any(cues.values()):
        return
    ms = _find(kb, sent, lang, org, ("state", "organization", "body", "city"))
    # "Kazakh", "Монгольская железная дорога": an adjective names no party to a status
    states = [m for m in ms if m.kind == "state" and m.form != "adjective"]
    future = bool(_FUTURE[lang].search(st)) and not _DONE[lang].search(st)

    def fact(
        subject: str,
        predicate: str,
        obj: str,
        a: int,
        b: int,
        mode: str | None = None,
        valid_from: str | None = None,
        **attrs: Any,
    ) -> None:
        out.facts.append(
            FactRow(
                subject,
                predicate,
                obj,
                valid_from or date,
                mode or ("planned" if future else "stated"),
                sent.index,
                a,
                b,
                {k: v for k, v in attrs.items() if v is not None},
            )
        )

    # member: "the heads of the member states of ORG - STATE, STATE and STATE"
    m_cue = cues["member"]
    if m_cue and states:
        cue_at = sent.start + m_cue.start()
        after = [s for s in states if s.start > cue_at]
        runs = _enumeration(after, text, 60)
        if runs:
            run = runs[0]
            gap = text[sent.start + m_cue.end() : run[0].start]
            if len({s.code for s in run}) >= 2 and len(gap) <= 160:
                o = _org_near([m for m in ms if m.start < run[0].start], cue_at, kb, org)
                if o:
                    for s in run:
                        fact(s.code, "member", o, s.start, s.end, mode="stated", cue=m_cue.group())
    # admission: "welcomed Egypt, Ethiopia and Iran as full members of BRICS"
    a_cue = cues["admitted"]
    if a_cue and states and not _NOT_GRANTED[lang].search(st) and not _PROCEDURE[lang].search(st):
        cue_at = sent.start + a_cue.start()
        cue_end = sent.start + a_cue.end()
        runs = _enumeration([s for s in states if s.end <= cue_at], text, 60)
        # the enumeration right before the cue, or with the organization between
        # ("Республики Беларусь в ШОС в качестве ...")
        if runs and len(text[runs[-1][-1].end : cue_at]) <= 40:
            gap = text[runs[-1][-1].end : cue_at]
            # a participle after a comma: "Исламская Республика Иран, ставшая членом"
            if not _CLAUSE_GAP.search(gap) or (
                a_cue.group().lower().startswith("став") and re.fullmatch(r"\s*,\s*", gap)
            ):
                if _JOINED_CUE[lang].fullmatch(a_cue.group()):
                    # only the organization written right after "joined" is joined
                    named = [m for m in ms if 0 <= m.start - cue_end <= 15]
                    o = _status_org(named, text, cue_at, cue_end, kb, None)
                else:
                    o = _status_org(ms, text, cue_at, cue_end, kb, org)
                # "joined the SCO as a full member in 2023", "ставшая членом в прошлом
                # году": the one date written next to the admission is when, else the
                # document's ("... and the Strategy until 2035" is another matter)
                lo = max(0, runs[-1][0].start - sent.start - 40)
                hi = cue_end - sent.start + 40
                when = {
                    d.value for d in find_dates(st, lang, date) if d.start >= lo and d.end <= hi
                }
                since = when.pop() if len(when) == 1 else None
                ahead = since is not None and date is not None and since[:10] > date[:10]
                if o:
                    for s in runs[-1]:
                        fact(
                            s.code,
                            "member",
                            o,
                            s.start,
                            s.end,
                            mode="planned" if future or ahead else "stated",
                            valid_from=since,
                            cue=a_cue.group(),
                        )
    # observer / dialogue partner: "granting the SCO observer status to Pakistan, Iran and India"
    for pred in ("observer", "dialogue_partner"):
        cue = cues[pred]
        if not cue or not states or _NOT_GRANTED[lang].search(st):
            continue
        cue_at = sent.start + cue.start()
        cue_end = sent.start + cue.end()
        near = _status_run(states, text, cue_at, cue_end)
        o = _status_org(ms, text, cue_at, cue_end, kb, org)
        if not o or not near:
            continue
        for s in near:
            if (
                pred == "observer"
                and cues["member"]
                and _MEMBER_CUE[lang].search(text[max(sent.start, s.start - 40) : s.start])
            ):
                continue
            local = text[max(sent.start, cue_at - 60) : cue_at]
            fact(
                s.code,
                pred,
                o,
                s.start,
                s.end,
                cue=cue.group(),
                mode="planned" if _FUTURE[lang].search(local) else "stated",
            )
    # seat: body -> city
    if has_body:
        _seat_facts(fact, ms, sent, text, lang)
    # presidency: "the presidency of the Republic of Tajikistan in the SCO", "South
    # Africa's Chairship", "индийское председательство в БРИКС в 2026 году"; each cue of
    # the sentence names its own holder ("India's G20 Presidency in 2023 and the
    # successive presidencies of Brazil ...")
    if cues["presidency"]:
        # adjectives too, but only right before a cue (see _presidency_fact)
        holders = [m for m in ms if m.kind == "state"]
        given: set[tuple[str, str]] = set()
        for p_cue in _PRESIDENCY_CUE[lang].finditer(st):
            if _CHAIRED_MEETING[lang].search(st[max(0, p_cue.start() - 12) : p_cue.end() + 25]):
                continue  # who chaired a meeting is not who holds the presidency
            _presidency_fact(fact, p_cue, holders, ms, sent, text, st, lang, org, date, kb, given)
    # memorandum: between ORG and ORG
    if cues["memorandum"]:
        orgs = [m for m in ms if m.kind in ("organization", "body")]
        dates = [d for d in find_dates(st, lang, date) if not d.relative]
        pairs = []
        for i, x in enumerate(orgs):
            # "between the SCO Secretariat and the Secretariat of the CIS": the partner
            # is the first organization after "and" whose gap reads as one name
            for y in orgs[i + 1 : i + 4]:
                if kb.root(y.code) == kb.root(x.code):
                    continue
                if _AND[lang].match(text[x.end : y.start]):
                    pairs.append((x, y))
                    break
        for x, y in pairs:
            before = text[max(sent.start, x.start - 12) : x.start]
            after = text[y.end : y.end + 4]
            if not (_BETWEEN[lang].search(before) or (lang == "zh" and after.startswith("之间"))):
                continue
            rx, ry = kb.root(x.code), kb.root(y.code)
            if rx == ry:
                continue
            # the date written nearest after the pair ("... and CIS in April 2005"), else before
            rel = y.end - sent.start
            after_d = [d for d in dates if 0 <= d.start - rel <= 60]
            before_d = [d for d in dates if d.end <= x.start - sent.start]
            when = after_d[0] if after_d else before_d[-1] if before_d else None
            when_v = when.value if when else date
            for s, o in ((rx, ry), (ry, rx)):
                fact(
                    s,
                    "memorandum",
                    o,
                    x.start,
                    y.end,
                    mode="stated",
                    valid_from=when_v,
                    bodies=[x.code, y.code],
                )


def _presidency_fact(
    fact: Any,
    p_cue: re.Match[str],
    holders: list[_M],
    ms: list[_M],
    sent: SentenceInfo,
    text: str,
    st: str,
    lang: str,
    org: str | None,
    date: str | None,
    kb: Any,
    given: set[tuple[str, str]],
) -> None:
    a = sent.start + p_cue.start()
    b = sent.start + p_cue.end()
    chosen = None
    best_gap = 10**6
    for s in holders:
        if s.form == "adjective":
            # "the Brazilian presidency", "бразильское председательство": right before the
            # cue only; an adjective elsewhere names no holder
            if s.end <= a and not text[s.end : a].strip():
                gap = a - s.end
            else:
                continue
        else:
            # the nearest: "Brazil, India, China and South Africa supported Russia's
            # presidency" / "поддержку председательству России" names Russia
            gap = s.start - b if s.start >= b else a - s.end
            limit = 45 if s.start >= b else (12 if lang == "zh" else 20)
            if not 0 <= gap <= limit:
                # "South Africa, which will assume the BRICS chairship", "俄罗斯担任2015年
                # 至2016年金砖国家主席国": the state takes the cue's office, farther off
                if not (s.end <= a and _TAKES_OFFICE[lang].fullmatch(text, s.end, a)):
                    continue
                gap = limit
        if gap < best_gap:
            chosen, best_gap = s, gap
    if chosen is None:
        return
    o = _org_near([m for m in ms if m.kind != "state"], a, kb, None)
    entry = kb.entry(o) if o else None
    if entry is None or entry.kind != "organization":
        # "the Shanghai Summit ... the chairmanship of China": a meeting has no
        # presidency of its own, the document's organization has
        o = org
    if not o:
        return
    # A handover word after the cue counts up to the end of its clause: in "India's G20
    # Presidency in 2023 and looked forward to the successive presidencies of Brazil",
    # the looking forward is Brazil's, India's presidency is the current one.
    clause = _CLAUSE_END[lang].split(st[p_cue.end() : p_cue.end() + 60], maxsplit=1)[0]
    planned = bool(_HANDOVER[lang].search(st[max(0, p_cue.start() - 40) : p_cue.end()] + clause))
    # "for the period 2024-2026", "в 2015-2016 годах": a term that starts later
    windows = [(chosen, st[max(0, p_cue.start() - 40) : p_cue.end() + 60])]
    if p_cue.group().lower() == "presidencies" and chosen.start >= b:
        # "the successive presidencies of Brazil in 2024 and South Africa in 2025": each
        # holder of the enumeration with the date written after it
        after = [m for m in holders if m.form != "adjective" and m.start >= chosen.start]
        run = _enumeration(sorted(after, key=lambda m: m.start), text, 60)[0]
        windows = [
            (h, text[h.end : run[k + 1].start if k + 1 < len(run) else min(b + 160, h.end + 40)])
            for k, h in enumerate(run)
        ]
    for holder, local in windows:
        if (o, holder.code) in given:
            continue
        given.add((o, holder.code))
        starts = None
        for d in find_dates(local, lang, date):
            if not d.relative and date and d.value[:4] > date[:4]:
                starts = d.value
                break
        fact(
            o,
            "presidency",
            holder.code,
            min(a, holder.start),
            max(b, holder.end),
            mode="planned" if planned or starts else "stated",
            valid_from=starts,
        )


def _seat_facts(fact: Any, ms: list[_M], sent: SentenceInfo, text: str, lang: str) -> None:
    ents = [m for m in ms if m.kind in ("body", "city", "organization", "state")]
    for i, b in enumerate(ents):
        if b.kind != "body":
            continue
        # body ... city
        j = i + 1
        while j < len(ents) and ents[j].code == b.code and ents[j].start - b.end < 12:
            j += 1  # "Regional Anti-Terrorist Structure (RATS)"
        city: _M | None = None
        if j < len(ents) and ents[j].kind == "city":
            gap = text[b.end : ents[j].start]
            if _SEAT_GAP[lang].match(gap):
                city = ents[j]
        # zh: 在 CITY 建立 ... BODY
        if city is None and lang == "zh" and i > 0 and ents[i - 1].kind == "city":
            c = ents[i - 1]
            if _ZH_SEAT_BEFORE.search(text[max(sent.start, c.start - 1) : c.start]) and (
                _ZH_SEAT_BETWEEN.match(text[c.end : b.start])
            ):
                city = c
        if city is None:
            continue
        before = text[max(sent.start, min(b.start, city.start) - 40) : min(b.start, city.start)]
        if _MEETING_BEFORE[lang].search(before):
            continue
        window = text[max(sent.start, min(b.start, city.start) - 60) : min(b.start, city.start)]
        planned = bool(_FUTURE[lang].search(window)) or (
            lang == "zh" and bool(re.match(r"建立|设立|筹建", text[city.end : city.end + 2]))
        )
        since = _explicit_since(text, sent, city.end, lang, None)
        a, z = min(b.start, city.start), max(b.end, city.end)
        fact(
            b.code,
            "seat",
            city.code,
            a,
            z,
            mode="planned" if planned else "stated",
            valid_from=since,
            since=since,
        )


def _sentence_evidence(
    out: DocumentLinks,
    sent: SentenceInfo,
    text: str,
    lang: str,
    org: str | None,
    date: str | None,
    kb: Any,
    promised: bool = False,
) -> None:
    st = sent.text
    done = _DONE[lang].search(st)
    if done and (promised or _ORDERS[lang].search(st)):
        # "instructed the Council to prepare proposals on ... permanent bodies": a new
        # order about the matter, not a report that the old one was carried out
        done = None
    progress = _PROGRESS[lang].search(st)
    if not done and not progress:
        return
    codes = sorted({m.code for m in kb.find(st, lang, organization=org)})
    terms = content_terms(st, lang)
    since = None
    if done:
        m = re.search(r"\b(?:since|from)\s+(\d{4})\b", st) if lang == "en" else None
        if m:
            since = m.group(1)
        elif lang == "zh":
            mz = re.search(r"(?:自|从)(\d{4})年(?:起|以来|开始)", st)
            since = mz.group(1) if mz else None
        elif lang == "ru":
            mr = re.search(r"(?:^|\s)с\s+(\d{4})\s+г", st)
            since = mr.group(1) if mr else None
    kinds = kind_words(st)
    # any named instrument answers a promise of unnamed "legal documents"
    keys = (
        [f"c:{c}" for c in codes]
        + [f"t:{t}" for t in terms]
        + [f"k:{k}" for k in kinds]
        + (["k:document"] if kinds else [])
    )
    out.evidence.append(
        EvidenceRow(
            "done" if done else "progress",
            since,
            sent.index,
            sent.start,
            sent.end,
            keys,
            {
                "cue": (done or progress).group() if (done or progress) else None,
                "actions": actions(st),
                "kinds": kinds,
                "since": since,
                "lang": lang,
            },
        )
    )


# Function characters never found in a Chinese personal name; a "name" holding
# them is a misread phrase ("国期间所做的工").
_NOT_IN_HAN_NAME = re.compile(r"[的所期间做在和与及对为是了将并工作会议]")


def _plausible_name(name: str) -> bool:
    if _is_cjk(name):
        return len(name) <= 6 and not _NOT_IN_HAN_NAME.search(name)
    return any(ch.isupper() for ch in name)


def _person_rows(
    out: DocumentLinks,
    detail: DocumentDetail,
    lang: str,
    org: str | None,
    date: str | None,
    kb: Any,
) -> None:
    seen: set[tuple[str, str]] = set()
    text = detail.text
    for m in detail.mentions:
        if m.kind != "person":
            continue
        a = m.attrs
        key = person_key(m.value)
        out.entities.append(
            EntityRow(
                "person",
                key,
                m.value,
                m.sentence,
                m.start,
                m.end,
                {k: a.get(k) for k in ("role", "country", "office", "meeting") if a.get(k)},
            )
        )
        office = a.get("office")
        if not office or m.start < 0 or not _plausible_name(m.value):
            continue
        before = text[max(0, m.start - 60) : m.start]
        if _FORMER[lang].search(before.split(",")[-1]) or re.search(
            r"\b(?:former|ex-)\s", before[-40:], re.I
        ):
            continue
        root = kb.root(office)
        country = a.get("country")
        if root != office:
            subject = office
        elif country:
            subject = f"{office}:{country}"
        else:
            continue
        if (subject, key) in seen:
            continue
        seen.add((subject, key))
        mode = (
            "planned"
            if lang == "en"
            and re.search(
                r"\b(?:will\s+(?:be|become|take\s+office)|appoint(?:ed)?\s+as\s+from)\b",
                before + text[m.end : m.end + 60],
            )
            else "stated"
        )
        out.facts.append(
            FactRow(
                subject,
                "office_holder",
                f"person:{key}",
                date,
                mode,
                m.sentence,
                m.start,
                m.end,
                {"name": m.value, "office": office, "country": country, "role": a.get("role")},
            )
        )
        out.evidence.append(
            EvidenceRow(
                "office",
                None,
                m.sentence,
                m.start,
                m.end,
                [f"c:{office}"],
                {"name": m.value, "office": office},
            )
        )


def _instrument_rows(
    out: DocumentLinks, detail: DocumentDetail, lang: str, date: str | None, kb: Any
) -> None:
    text = detail.text
    sentences = {s.index: s for s in detail.sentences}
    seen: set[str] = set()
    for m in detail.mentions:
        if m.kind != "instrument":
            continue
        a = m.attrs
        key = instrument_key(m.value, a.get("kind"), a.get("date"), a.get("number"))
        out.entities.append(
            EntityRow(
                "instrument",
                key,
                m.value,
                m.sentence,
                m.start,
                m.end,
                {k: a.get(k) for k in ("kind", "date", "number") if a.get(k)},
            )
        )
        idate = a.get("date")
        if not idate or key in seen:
            continue
        seen.add(key)
        place = None
        sent = sentences.get(m.sentence)
        if sent is not None:
            for c in kb.find(sent.text, lang, ("city",)):
                at = sent.start + c.start
                # "signed on June 7, 2002 in St. Petersburg", "2002年6月7日在圣彼得堡签署"
                if m.start - 60 < at < m.end + 150 and re.search(
                    r"(?:\bin|\bat|\bв|\bво|在)\s*$", text[max(0, at - 4) : at]
                ):
                    place = c.code
                    break
        out.facts.append(
            FactRow(
                f"instrument:{key}",
                "signed",
                idate,
                idate,
                "stated",
                m.sentence,
                m.start,
                m.end,
                {"name": m.value, "kind": a.get("kind"), "place": place},
            )
        )
        codes = sorted({x.code for x in kb.find(m.value, lang)})
        keys = [f"c:{c}" for c in codes] + [f"t:{t}" for t in content_terms(m.value, lang)]
        keys.append(f"k:{a.get('kind') or 'instrument'}")
        keys.append("k:document")
        out.evidence.append(
            EvidenceRow(
                "instrument",
                idate,
                m.sentence,
                m.start,
                m.end,
                keys,
                {"name": m.value, "kind": a.get("kind")},
            )
        )


def _meeting_fact(out: DocumentLinks, detail: DocumentDetail, org: str | None) -> None:
    meeting = detail.record.get("meeting") or {}
    start = meeting.get("start")
    subject = detail.info.body or org
    if not start or not subject:
        return
    sentence, a, b = -1, -1, -1
    for m in detail.mentions:
        if m.kind == "date" and m.value == start and m.sentence >= 0:
            sentence, a, b = m.sentence, m.start, m.end
            break
    chair = meeting.get("chair")
    out.facts.append(
        FactRow(
            subject,
            "meeting",
            start,
            start,
            "stated",
            sentence,
            a,
            b,
            {
                "end": meeting.get("end"),
                "place": meeting.get("place"),
                "chair": chair,
                "participants": meeting.get("participants") or [],
            },
        )
    )


def _position_facts(
    out: DocumentLinks, detail: DocumentDetail, org: str | None, date: str | None
) -> None:
    subject = org or "UNKNOWN"
    seen: set[tuple[str, int]] = set()
    for m in detail.mentions:
        if m.kind != "position" or (m.value, m.sentence) in seen:
            continue
        seen.add((m.value, m.sentence))
        out.facts.append(
            FactRow(
                subject,
                "position",
                m.value,
                date,
                "stated",
                m.sentence,
                m.start,
                m.end,
                {"cue": m.attrs.get("cue"), "keywords": m.attrs.get("keywords")},
            )
        )


# The meeting a deadline names by its participants ("at the next meeting of the heads
# of state", "到外长会议前", "к заседанию глав правительств").
_OFFICE_BODY = {
    "HEAD_OF_STATE": "CHS",
    "HEAD_OF_GOVERNMENT": "CHG",
    "FOREIGN_MINISTER": "CMFA",
    "NATIONAL_COORDINATOR": "CNC",
    "PRIME_MINISTER": "CHG",
    "SECURITY_COUNCIL_SECRETARY": "SECURITY_COUNCIL_SECRETARIES",
}
_SUMMIT_WORD = re.compile(r"summit|саммит|峰会|会晤|元首", re.I)


def _target_bodies(deadline_text: str, lang: str, org: str | None, kb: Any) -> list[str]:
    """The bodies whose meeting is the deadline: its record reports what was done there."""
    out: set[str] = set()
    for x in kb.find(deadline_text, lang, organization=org):
        if x.kind == "body":
            out.add(x.code)
        elif x.kind == "office" and x.code in _OFFICE_BODY:
            out.add(_OFFICE_BODY[x.code])
    if _SUMMIT_WORD.search(deadline_text):
        out.update(("SUMMIT", "CHS"))
    return sorted(out)


def _commitment_rows(
    out: DocumentLinks, detail: DocumentDetail, lang: str, org: str | None, kb: Any
) -> None:
    sentences = {s.index: s for s in detail.sentences}
    for m in detail.mentions:
        if m.kind != "commitment":
            continue
        sent = sentences.get(m.sentence)
        st = sent.text if sent is not None else m.surface
        a = m.attrs
        dl_text = a.get("deadline_text") or ""
        body = st.replace(dl_text, " ") if dl_text else st
        found = kb.find(st, lang, organization=org)
        # National offices ("head of state") are in every sentence of the genre: no key.
        codes = sorted({x.code for x in found if x.kind != "office" or kb.root(x.code) != x.code})
        offices = sorted({x.code for x in found if x.kind == "office"})
        targets = _target_bodies(dl_text, lang, org, kb) if dl_text else []
        # Named instruments in the promise are what it speaks about, not what it will create.
        out.commitments.append(
            CommitmentRow(
                m.sentence,
                m.start,
                m.end,
                a.get("deadline"),
                {
                    "deadline_text": dl_text,
                    "actor": a.get("actor"),
                    "codes": codes,
                    "offices": offices,
                    "terms": content_terms(body, lang),
                    "kinds": kind_words(body, generic=True),
                    "targets": targets,
                    "actions": actions(body),
                    "lang": lang,
                },
            )
        )


__all__ = [
    "CommitmentRow",
    "DocumentLinks",
    "EntityRow",
    "EvidenceRow",
    "FactRow",
    "actions",
    "content_terms",
    "document_links",
    "kind_words",
    "stem",
]
