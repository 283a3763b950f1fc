"""Positions: sentences in which the issuing side takes a stance on an issue.

A sentence states a position when it carries a declarative stance cue (support,
call for, welcome, express concern, reaffirm, believe, stand for, oppose,
condemn, note ...; 支持, 主张, 欢迎, 认为, 重申 ...; поддерживают, выступают за,
приветствуют, считают ...) and names an issue of the knowledge pack (its
``issue`` entries: keywords in en/zh/ru, Russian by lemma). Each (sentence,
issue) pair gives one mention whose span is the whole sentence.

The cues are the genre's reporting verbs of communiqués and declarations, whose
grammatical subject is the issuing side ("The ministers", "The heads of state",
"The member states", "部长们", "Стороны") or an impersonal passive ("It has been
noted", "concerns have been voiced"); a sentence whose cue is inside a quoted
title is not a stance.
"""

from __future__ import annotations

import re
from collections import defaultdict

from communique.extract.dates import led_by
from communique.knowledge import Knowledge, KnowledgeMatch
from communique.records import Mention, SegmentedDocument, Sentence

__all__ = ["find_positions", "stance_cue"]

_EN_CUES = re.compile(
    r"\b(?:"
    r"support(?:s|ed|ing)?|call(?:s|ed|ing)?\s+(?:for|upon|on)|welcome(?:s|d)?|welcoming|"
    r"express(?:es|ed|ing)?\s+(?:\w+\s+){0,3}?(?:concern|support|hope|satisfaction|conviction|"
    r"condolences|regret|readiness|confidence|interest|willingness|opinion|view|solidarity)|"
    r"reaffirm(?:s|ed|ing)?|reiterat(?:e|es|ed|ing)|believe(?:s|d)?|"
    r"stand(?:s)?\s+(?:for|ready)|stood\s+for|hold(?:s)?\s+that|held\s+that|"
    r"oppose(?:s|d)?|opposing|condemn(?:s|ed|ing)?|"
    r"note(?:s|d)?|noting|t(?:ake|akes|ook)\s+note|in\s+favou?r\s+of|argue(?:s|d)?|"
    r"advocate(?:s|d)?|urge(?:s|d)?|consider(?:s|ed)?|"
    r"emphasi[sz](?:e|es|ed|ing)|stress(?:es|ed|ing)?|underlin(?:e|es|ed|ing)|"
    r"underscor(?:e|es|ed|ing)|recogni[sz](?:e|es|ed|ing)|"
    r"(?:are|is|were|was|remain)\s+(?:firmly\s+)?(?:convinced|confident|concerned|determined|ready|"
    r"committed|unanimous|of\s+the\s+(?:view|opinion))|"
    r"concerns?\s+(?:have|has|were|was)\s+been|deem(?:s|ed)?|confirm(?:s|ed|ing)?|"
    r"agree(?:s|d)?\s+(?:that|to|on)|insist(?:s|ed)?|appreciat(?:e|es|ed)|hope(?:s|d)?|"
    r"commend(?:s|ed)?|attach(?:es|ed)?\s+(?:great\s+|particular\s+|special\s+)?importance|"
    r"positive(?:ly)?\s+assess(?:ment|ed)?|share\s+the\s+view|deplore(?:s|d)?|"
    r"(?:it\s+)?is\s+(?:important|necessary|essential|imperative|vital)|"
    r"(?:should|must)\s+(?:be|not)|have\s+been\s+regarded|voiced"
    r")\b",
    re.IGNORECASE,
)
# The initials of every English cue (see led_by): searched in every sentence.
_EN_CUES = led_by(_EN_CUES, "abcdehimnoprstuvw")
_ZH_CUES = re.compile(
    r"支持|主张|欢迎|认为|重申|关切|关注|呼吁|反对|强调|指出|表示|赞成|赞同|谴责|确认|"
    r"希望|担心|担忧|致力于|坚持|一致认为|商定|同意|决心|满意|注意到|敦促|倡导|积极评价|"
    r"愿意|愿同|准备|应当|必须|有必要|至关重要|深信|相信|坚信"
)
# Russian cues by lemma (pymorphy3 normal forms).
_RU_CUE_LEMMAS = frozenset(
    [
        "поддерживать",
        "поддержать",
        "выступать",
        "выступить",
        "приветствовать",
        "считать",
        "подтверждать",
        "подтвердить",
        "выражать",
        "выразить",
        "призывать",
        "призвать",
        "осуждать",
        "осудить",
        "отмечать",
        "отметить",
        "подчёркивать",
        "подчеркивать",
        "подчеркнуть",
        "исходить",
        "убеждённый",
        "убежденный",
        "убедить",
        "полагать",
        "заявлять",
        "заявить",
        "высказываться",
        "высказаться",
        "настаивать",
        "констатировать",
        "признавать",
        "признать",
        "одобрять",
        "одобрить",
        "согласиться",
        "соглашаться",
        "обеспокоенность",
        "озабоченность",
        "озабоченный",
        "обеспокоенный",
        "готовый",
        "решимость",
        "решительно",
        "важный",
        "необходимый",
        "необходимо",
        "важно",
        "придавать",
        "придать",
        "положительно",
        "приветствие",
        "надеяться",
        "надежда",
        "выступление",
        "противостоять",
    ]
)
_RU_WORD = re.compile(r"[^\W\d_]+")


def stance_cue(text: str, lang: str, lemmas: list[str] | None = None) -> str | None:
    """The first stance cue of a sentence, or None."""
    if lang == "zh":
        m = _ZH_CUES.search(text)
        return m.group() if m else None
    if lang == "ru":
        words = lemmas if lemmas is not None else _ru_lemmas(text)
        for w in words:
            if w.replace("ё", "е") in _RU_CUE_LEMMAS or w in _RU_CUE_LEMMAS:
                return w
        return None
    m = _EN_CUES.search(text)
    return m.group() if m else None


def _ru_lemmas(text: str) -> list[str]:
    from communique.segment.words import ru_parse

    return [ru_parse(w.lower())[0].normal_form for w in _RU_WORD.findall(text)]


def _sentence_lemmas(seg: SegmentedDocument, sentence: Sentence) -> list[str] | None:
    if sentence.index >= len(seg.tokens):
        return None
    toks = seg.tokens[sentence.index]
    if not toks or any(t.lemma is None for t in toks if t.text[:1].isalpha()):
        return None
    return [t.lemma for t in toks if t.lemma]


def find_positions(seg: SegmentedDocument, kb: Knowledge) -> list[Mention]:
    """One ``position`` mention per (sentence stating a stance, issue it is about)."""
    lang = seg.language
    by_sentence: dict[int, list[KnowledgeMatch]] = defaultdict(list)
    sentences = seg.sentences
    for m in kb.find(seg.text, lang, ("issue",)):
        s = seg.sentence_at(m.start)
        if s is not None and m.end <= s.end:
            by_sentence[s.index].append(m)
    out: list[Mention] = []
    for index in sorted(by_sentence):
        sentence = sentences[index]
        lemmas = _sentence_lemmas(seg, sentence) if lang == "ru" else None
        cue = stance_cue(sentence.text, lang, lemmas)
        if cue is None:
            continue
        keywords: dict[str, list[str]] = defaultdict(list)
        for m in by_sentence[index]:
            if m.surface not in keywords[m.code]:
                keywords[m.code].append(m.surface)
        for code, words in keywords.items():
            out.append(
                Mention(
                    kind="position",
                    value=code,
                    start=sentence.start,
                    end=sentence.end,
                    surface=sentence.text,
                    sentence=sentence.index,
                    attrs={"keywords": words, "cue": cue},
                )
            )
    return out
