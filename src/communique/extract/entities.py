"""States and organizations named in a document's text, each with its exact span.

The names come from the knowledge pack (``communique.knowledge``); this module
decides which of its matches count:

* a state's name inside the name of a company, newspaper, database or other
  non-state body does not count ("Malaysia Airlines", "The World and Japan"
  Database, "Bank of China"); the pack lists well-known ones, and the rules
  below catch the pattern in general (a quoted title with a non-state head noun,
  a state name followed by a company word);
* regions are not states: the pack's region names swallow the state names and
  adjectives inside them ("Korean Peninsula", "Central Asian states");
* organizations are matched with the context of the document's own
  organization (the one named most often), so that its ambiguous aliases
  ("Secretariat", "秘书处") resolve, and a body's name also mentions the
  organizations named inside it ("the UN" in "UN Security Council").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from communique.knowledge import Knowledge, KnowledgeMatch
from communique.records import Mention, SegmentedDocument

__all__ = ["document_organization", "find_organizations", "find_states", "record_organizations"]

# Head nouns of non-state bodies that can carry a state's name.
_NONSTATE_HEADS_EN = (
    r"Airlines?|Airways|Air\s+Lines|Railways?|Bank|Petroleum|Oil|Gas|Telecom|Telecommunications|"
    r"Post|Daily|Times|Herald|Tribune|Today|News|Television|TV|Radio|Corporation|Corp\.?|"
    r"Company|Co\.|Inc\.?|Ltd\.?|Group|Holdings?|Database|Data\s*base|Archives?|University|"
    r"Institute|Academy|Foundation|Press|Publishing|Journal|Review|Magazine|Motors?|Steel|"
    r"Mining|Shipping|Lines|Express|Telegraph|Gazette|Broadcasting|Network"
)
_AFTER_EN = re.compile(rf"(?:['\"”’]\s*)?(?:\s+[A-Z][\w&-]*){{0,3}}\s+(?:{_NONSTATE_HEADS_EN})\b")
_BEFORE_EN = re.compile(
    r"\b(?:Air|Bank\s+of(?:\s+the)?|University\s+of|Radio|Air\s+Lines\s+of)\s+$"
)
_AFTER_ZH = re.compile(
    r"^(?:国际|国家|东方|南方)?(?:航空|银行|日报|时报|大学|公司|集团|电视台|广播电台|通讯社|"
    r"数据库|研究所|研究院|出版社|石油|铁路|电信)"
)
_BEFORE_RU = re.compile(
    r"(?:авиакомпани\w*|компани\w*|банк\w*|газет\w*|агентств\w*|корпораци\w*|баз\w*\s+данных|"
    r"университет\w*|институт\w*|журнал\w*|издательств\w*|телеканал\w*|радио)\s*[«\"„“]?[^»\"”\n]{0,40}$",
    re.IGNORECASE,
)
_AFTER_RU = re.compile(
    r"\s+(?:[а-яё-]+\s+)?(?:железн\w+\s+дорог\w*|авиалини\w*|авиакомпани\w*|банк\w*|"
    r"компани\w*|корпораци\w*|холдинг\w*|телекоммуникаци\w*|нефтегаз\w*|газет\w*|"
    r"агентств\w*|университет\w*|телерадиокомпани\w*|пароходств\w*)(?!\w)",
    re.IGNORECASE,
)
_QUOTES = {"“": "”", '"': '"', "«": "»", "„": "“", "‘": "’", "「": "」", "《": "》"}


def _sentence_index(seg: SegmentedDocument, offset: int) -> int:
    s = seg.sentence_at(offset)
    if s is not None:
        return s.index
    # between sentences (a heading's trailing space): the sentence before it
    starts = [x.start for x in seg.sentences]
    i = bisect.bisect_right(starts, offset) - 1
    return seg.sentences[i].index if i >= 0 else -1


def _quoted_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The quotation (inner span) holding ``text[start:end]``, on the same line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    for open_q, close_q in _QUOTES.items():
        o = text.rfind(open_q, line_start, start)
        if o < 0:
            continue
        if open_q == close_q and text.count(open_q, line_start, o) % 2:
            continue  # that straight quote closes an earlier quotation
        c = text.find(close_q, end, line_end)
        if c >= 0 and c - o < 200:
            return o + 1, c
    return None


def _in_nonstate_name(text: str, m: KnowledgeMatch, lang: str) -> bool:
    """Is this state name part of the name of a company, medium, database ...?"""
    after = text[m.end : m.end + 80]
    before = text[max(0, m.start - 60) : m.start]
    if lang == "zh":
        return bool(_AFTER_ZH.match(after))
    if lang == "ru":
        if _BEFORE_RU.search(before) and _quoted_span(text, m.start, m.end) is not None:
            return True
        # «Монгольская железная дорога», "Узбекские авиалинии": a capitalized adjective
        # mid-sentence opens a proper name, and a company noun after it makes it a firm's
        named = _quoted_span(text, m.start, m.end) is not None or (
            m.surface[:1].isupper() and not _sentence_initial(text, m.start)
        )
        return m.form == "adjective" and named and bool(_AFTER_RU.match(after))
    quoted = _quoted_span(text, m.start, m.end)
    if quoted is not None:
        # a quoted title whose own last word, or the word right after it, is a non-state head
        inner = text[quoted[0] : quoted[1]]
        tail = text[quoted[1] + 1 : quoted[1] + 40]
        heads = re.compile(rf"^(?:{_NONSTATE_HEADS_EN})\b")
        last_word = re.findall(r"[\w.]+", inner)
        if last_word and heads.match(last_word[-1]) and last_word[-1] != m.surface:
            return True
        if heads.match(tail.lstrip()):
            return True
    # an unquoted name: "<State> Airlines", "Air <State>", "Bank of <State>"
    if _BEFORE_EN.search(before) and m.form != "adjective":
        return True
    return bool(re.match(rf"\s+(?:{_NONSTATE_HEADS_EN})\b", after))


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start]
    return start == 0 or bool(re.search(r"(?:^|[.!?\n]\s*)$", before))


def find_states(seg: SegmentedDocument, kb: Knowledge) -> list[Mention]:
    """Every sovereign state named in the text, by name, long form, abbreviation or adjective."""
    text, lang = seg.text, seg.language
    out: list[Mention] = []
    for m in kb.find(text, lang, ("state",)):
        if _in_nonstate_name(text, m, lang):
            continue
        out.append(
            Mention(
                kind="state",
                value=m.code,
                start=m.start,
                end=m.end,
                surface=m.surface,
                sentence=_sentence_index(seg, m.start),
                attrs={"form": m.form},
            )
        )
    return out


def _generic(kb: Knowledge, code: str) -> bool:
    """A body that belongs to no organization ("Summit"): it names a kind of meeting, not an organ."""
    e = kb.entry(code)
    return e is not None and e.kind == "body" and e.parent is None


def document_organization(seg: SegmentedDocument, kb: Knowledge) -> str | None:
    """Root code of the document's own organization.

    The organization named most often, where a name in the title, the opening
    sentences or the record header weighs more: a Chinese text names itself
    once and then says 本组织 ("this Organization"), while it may name the UN
    several times.
    """
    scores: Counter[str] = Counter()
    first: dict[str, int] = {}
    lead_end = seg.sentences[min(2, len(seg.sentences) - 1)].end if seg.sentences else 0
    texts = [(seg.text, 0)]
    header = seg.doc.header
    if header is not None:
        texts += [(t, 1) for t in (header.title, header.source) if t]
    for t, is_header in texts:
        for m in kb.find(t, seg.language, ("organization", "body")):
            if _generic(kb, m.code):
                continue
            root = kb.root(m.code)
            e = kb.entry(root)
            if e is None or e.kind != "organization":
                continue
            scores[root] += 5 if (is_header or m.start < lead_end) else 1
            first.setdefault(root, m.start if not is_header else -1)
    if not scores:
        return None
    return max(scores, key=lambda c: (scores[c], -first[c]))


def find_organizations(seg: SegmentedDocument, kb: Knowledge) -> list[Mention]:
    """Every organization, forum or organ named in the text ("organization" or "body" mentions)."""
    text, lang = seg.text, seg.language
    org = document_organization(seg, kb)
    out: list[Mention] = []
    for m in kb.find(text, lang, ("organization", "body"), organization=org):
        if _generic(kb, m.code):
            continue
        sentence = _sentence_index(seg, m.start)
        out.append(_org_mention(kb, m, sentence))
        # a body's name may hold its parents' names, each nested in the next
        # ("UN" in "UN Security Council" in "Counter-Terrorism Committee of ...")
        outer = [m]
        while outer:
            o = outer.pop()
            ancestors = kb.ancestors(o.code)
            if not ancestors:
                continue
            for inner in kb.find_within(text, lang, o.start, o.end, ancestors):
                out.append(_org_mention(kb, inner, sentence, nested_in=o.code))
                outer.append(inner)
    out.sort(key=lambda x: (x.start, -x.end))
    return out


def record_organizations(
    mentions: list[Mention], kb: Knowledge, organization: str | None
) -> list[str]:
    """The record's ``organizations``: the codes of the vocabulary among ``mentions`` (not
    the knowledge pack's extended entries, ``NDB``), less the issuing organization's own
    bodies, which ``body`` and the knowledge layer carry."""
    codes = set()
    for m in mentions:
        if m.attrs.get("record") is False:
            continue
        own_body = organization is not None and m.value != organization
        if own_body and kb.root(m.value) == organization:
            continue
        codes.add(m.value)
    return sorted(codes)


def _org_mention(
    kb: Knowledge, m: KnowledgeMatch, sentence: int, nested_in: str | None = None
) -> Mention:
    e = kb.entry(m.code)
    attrs: dict[str, object] = {"form": m.form, "root": kb.root(m.code)}
    if nested_in is not None:
        attrs["nested_in"] = nested_in
    if e is not None and e.attrs.get("extended"):
        attrs["record"] = False  # a mention, but no code of the record's vocabulary
    return Mention(
        kind=e.kind if e is not None else m.kind,
        value=m.code,
        start=m.start,
        end=m.end,
        surface=m.surface,
        sentence=sentence,
        attrs=attrs,
    )
