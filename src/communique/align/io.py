"""A file through the pipeline's stages up to sentences, with extraction's codes as anchors."""

from __future__ import annotations

from dataclasses import dataclass

# Extraction values that read the same in every language: codes and ISO dates.
_ANCHOR_KINDS = frozenset({"state", "organization", "body", "date", "instrument"})


@dataclass(slots=True)
class LoadedText:
    name: str
    language: str
    sentences: list[str]
    anchors: list[set[str]]


def load_sentences(path: str) -> LoadedText:
    from communique.normalize import normalize
    from communique.readers import read
    from communique.segment import segment

    seg = segment(normalize(read(path)))
    sentences = [s.text for s in seg.sentences]
    anchors: list[set[str]] = [set() for _ in sentences]
    try:
        from communique.extract import extract
    except ImportError:
        extract = None
    if extract is not None:
        try:
            ex = extract(seg)
        except Exception:  # anchors only sharpen the alignment; it stands without them
            ex = None
        if ex is not None:
            for mention in ex.mentions:
                if mention.kind in _ANCHOR_KINDS and 0 <= mention.sentence < len(anchors):
                    anchors[mention.sentence].add(f"{mention.kind}:{mention.value}")
            for inst in ex.instruments:
                if 0 <= inst.sentence < len(anchors):
                    if inst.number:
                        anchors[inst.sentence].add(f"n:{inst.number}")
                    if inst.date:
                        anchors[inst.sentence].add(f"d:{inst.date}")
    return LoadedText(seg.doc.raw.name, seg.language, sentences, anchors)
