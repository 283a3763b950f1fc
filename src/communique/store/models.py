"""Records the store hands out: plain dataclasses with ``to_dict()`` for JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["stored", "unchanged", "failed"]


class _Dict:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(slots=True)
class IngestEvent(_Dict):
    """Progress of an ingest: ``start`` once (``total`` known), then one ``file`` per file."""

    kind: Literal["start", "file"]
    total: int
    done: int = 0
    path: str | None = None
    status: Status | None = None
    document_id: int | None = None
    reason: str | None = None


@dataclass(slots=True)
class IngestResult(_Dict):
    path: str
    status: Status
    document_id: int | None = None
    reason: str | None = None
    sha256: str | None = None


@dataclass(slots=True)
class IngestReport(_Dict):
    results: list[IngestResult] = field(default_factory=list)
    seconds: float = 0.0

    def _with(self, status: Status) -> list[IngestResult]:
        return [r for r in self.results if r.status == status]

    @property
    def stored(self) -> list[IngestResult]:
        return self._with("stored")

    @property
    def unchanged(self) -> list[IngestResult]:
        return self._with("unchanged")

    @property
    def failed(self) -> list[IngestResult]:
        return self._with("failed")

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, int]:
        return {s: len(self._with(s)) for s in ("stored", "unchanged", "failed")}

    def to_dict(self) -> dict[str, Any]:
        return {
            "results": [r.to_dict() for r in self.results],
            "counts": self.counts(),
            "seconds": self.seconds,
        }


@dataclass(slots=True)
class DocumentInfo(_Dict):
    """A document's metadata, as listed."""

    id: int
    name: str
    path: str
    format: str
    size: int
    sha256: str
    language: str
    type: str | None
    title: str | None
    date: str | None
    place: str | None
    organization: str | None
    body: str | None
    ingested_at: str
    sentences: int = 0


@dataclass(slots=True)
class ParagraphInfo(_Dict):
    index: int
    start: int
    end: int


@dataclass(slots=True)
class SentenceInfo(_Dict):
    index: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class MentionInfo(_Dict):
    """One stored value with its provenance (``sentence == -1``: from the record header)."""

    kind: str
    value: str
    start: int
    end: int
    surface: str
    sentence: int
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class DocumentDetail(_Dict):
    info: DocumentInfo
    text: str
    encoding: str | None
    header: dict[str, Any] | None
    warnings: list[str]
    paragraphs: list[ParagraphInfo]
    sentences: list[SentenceInfo]
    mentions: list[MentionInfo]
    record: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.info.to_dict(),
            "encoding": self.encoding,
            "header": self.header,
            "warnings": list(self.warnings),
            "text": self.text,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "sentences": [s.to_dict() for s in self.sentences],
            "mentions": [m.to_dict() for m in self.mentions],
            "record": self.record,
        }


@dataclass(slots=True)
class Stats(_Dict):
    documents: int
    sentences: int
    mentions: int
    schema_version: int
    languages: dict[str, int]
    types: dict[str, int]
    organizations: dict[str, int]
    bodies: dict[str, int]
    years: dict[str, int]
    mention_kinds: dict[str, int]
    db_path: str
    db_bytes: int


__all__ = [
    "DocumentDetail",
    "DocumentInfo",
    "IngestEvent",
    "IngestReport",
    "IngestResult",
    "MentionInfo",
    "ParagraphInfo",
    "SentenceInfo",
    "Stats",
    "Status",
]
