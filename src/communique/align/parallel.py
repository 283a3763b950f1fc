"""Two language versions of a stored document, sentence by sentence (``show --parallel``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class ParallelRow:
    """One link: source sentence indices and texts beside the target's (either side may be empty)."""

    source: list[int]
    target: list[int]
    source_text: str
    target_text: str
    score: float


@dataclass(slots=True)
class ParallelView:
    document_id: int
    language: str
    other_id: int
    other_language: str
    title: str | None
    other_title: str | None
    rows: list[ParallelRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class NoVersion(LookupError):
    """The document has no stored version in the language asked for."""


def parallel(store: Any, doc_id: int, lang: str) -> ParallelView:
    """The document beside its version in ``lang``; raises :class:`NoVersion` or ``KeyError``."""
    from communique.align import versions

    detail = store.document(doc_id)
    if detail is None:
        raise KeyError(doc_id)
    others = [d for d in store.versions(doc_id) if d.language == lang]
    if not others:
        raise NoVersion(f"document {doc_id} has no stored version in {lang!r}")
    other = store.document(others[0].id)
    links = versions.scored_alignment(store.conn, doc_id, other.info.id) or []
    src = [s.text for s in detail.sentences]
    tgt = [s.text for s in other.sentences]
    rows = [
        ParallelRow(
            source=s,
            target=t,
            source_text=" ".join(src[i] for i in s if i < len(src)),
            target_text=" ".join(tgt[j] for j in t if j < len(tgt)),
            score=sc,
        )
        for s, t, sc in links
    ]
    return ParallelView(
        document_id=doc_id,
        language=detail.info.language,
        other_id=other.info.id,
        other_language=other.info.language,
        title=detail.info.title,
        other_title=other.info.title,
        rows=rows,
    )


__all__ = ["NoVersion", "ParallelRow", "ParallelView", "parallel"]
