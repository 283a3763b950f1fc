"""Segment: paragraphs, sentences and words of the stored body text, with exact spans."""

from __future__ import annotations

from communique.records import (
    NormalizedDocument,
    Paragraph,
    SegmentedDocument,
    Sentence,
    SentenceTokens,
)
from communique.segment.sentences import (
    paragraph_language,
    paragraph_sentences,
    paragraph_spans,
    split_sentences,
)
from communique.segment.words import add_words, index_terms, lemma, words


def segment(doc: NormalizedDocument) -> SegmentedDocument:
    """Paragraphs, sentences and the words of each sentence of ``doc.text``.

    The words are made when first read (:class:`~communique.records.SentenceTokens`):
    the pipeline reads few of them, and tokenizing was most of this stage's time.
    """
    text = doc.text
    lang = doc.language
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    spans: list[tuple[int, int, str]] = []
    for p_index, (p_start, p_end) in enumerate(paragraph_spans(text)):
        paragraphs.append(Paragraph(p_index, p_start, p_end))
        p_lang = paragraph_language(text, p_start, p_end, lang)
        for s, e in paragraph_sentences(text, p_start, p_end, p_lang):
            sentences.append(Sentence(len(sentences), p_index, s, e, text[s:e]))
            spans.append((s, e, p_lang))
    tokens = SentenceTokens(text, spans, words)
    return SegmentedDocument(doc=doc, paragraphs=paragraphs, sentences=sentences, tokens=tokens)


__all__ = [
    "add_words",
    "index_terms",
    "lemma",
    "paragraph_language",
    "paragraph_spans",
    "segment",
    "split_sentences",
    "words",
]
