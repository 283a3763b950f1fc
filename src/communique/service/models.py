"""The JSON API's response models.

They are built from the store's records through ``to_dict()`` and ignore fields
they do not name, so the store may grow without breaking the published schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

DocumentId = int | str


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ErrorResponse(_Model):
    error: str = Field(description="What went wrong, in one line.")


class Health(_Model):
    status: str = Field(description='"ok" when the store answers.')
    version: str
    documents: int | None = Field(None, description="Documents in the store, when it says.")


class Hit(_Model):
    """One matching sentence."""

    document_id: DocumentId
    file: str | None = None
    title: str | None = None
    language: str | None = None
    type: str | None = None
    date: str | None = None
    organization: str | None = None
    body: str | None = None
    sentence_index: int = Field(
        description="Index of the sentence; anchor #s{index} in the reader."
    )
    sentence: str = Field(description="The sentence's text, as stored.")
    start: int = Field(description="Start of the sentence in the document's text.")
    end: int
    score: float | None = None
    snippet: str = Field(description="HTML-escaped text with the matches inside <mark>…</mark>.")
    matched_via: str | None = Field(
        None,
        description='How it was found: "query", or across languages "entity:CODE", "lexicon", '
        '"cognate", "alignment".',
    )
    matched_language: str | None = None


class Group(_Model):
    """The hits of one document, best first."""

    document_id: DocumentId
    file: str | None = None
    title: str | None = None
    language: str | None = None
    type: str | None = None
    date: str | None = None
    place: str | None = None
    organization: str | None = None
    body: str | None = None
    score: float | None = None
    hits: list[Hit] = Field(default_factory=list)


class SearchResponse(_Model):
    query: str
    total: int = Field(description="Matching sentences in all, not only this page.")
    total_documents: int | None = Field(None, description="Documents with a matching sentence.")
    mode: str | None = Field(
        None, description='"AND" (every word), "OR" (any word, when no sentence has all).'
    )
    limit: int
    offset: int
    hits: list[Hit]
    groups: list[Group]
    facets: dict[str, dict[str, int]] = Field(
        description="Counts by organization, body, type, language and year over every match."
    )


class _DocumentBase(_Model):
    id: DocumentId
    name: str | None = Field(None, description="The source file's name.")
    title: str | None = None
    language: str | None = None
    type: str | None = None
    date: str | None = None
    place: str | None = None
    organization: str | None = None
    body: str | None = None
    format: str | None = Field(None, description="txt, html, pdf, docx.")
    size: int | None = Field(None, description="Bytes of the source file.")
    sha256: str | None = None
    ingested_at: str | None = None


class DocumentInfo(_DocumentBase):
    sentence_count: int | None = Field(None, validation_alias="sentences")


class DocumentList(_Model):
    documents: list[DocumentInfo]
    count: int = Field(description="Documents on this page.")
    total: int | None = Field(None, description="Documents matching the filters, when known.")
    limit: int
    offset: int
    sort: str


class ParagraphOut(_Model):
    index: int
    start: int
    end: int


class SentenceOut(_Model):
    index: int
    start: int
    end: int
    text: str
    paragraph: int | None = None


class MentionOut(_Model):
    kind: str
    value: str | None = None
    start: int = Field(description="-1 for a value read from the record header.")
    end: int
    surface: str | None = None
    sentence: int = -1
    attrs: dict[str, Any] = Field(
        default_factory=dict, description="Particulars: a person's role, a deadline ..."
    )


class AlignmentLink(_Model):
    """Sentences of one document (by index) that translate sentences of another."""

    source: list[int]
    target: list[int]


class Alignment(_Model):
    document_id: int
    other_id: int
    links: list[AlignmentLink]


class DocumentDetail(_DocumentBase):
    text: str
    encoding: str | None = None
    header: dict[str, Any] | None = Field(
        None, description="The record header, when there was one."
    )
    warnings: list[str] = Field(default_factory=list)
    paragraphs: list[ParagraphOut] = Field(default_factory=list)
    sentences: list[SentenceOut] = Field(default_factory=list)
    mentions: list[MentionOut] = Field(default_factory=list)
    record: dict[str, Any] = Field(
        default_factory=dict, description="The extraction record (shared spec v1 and extras)."
    )
    versions: list[DocumentInfo] = Field(
        default_factory=list,
        description="The same text in other languages; their alignment: /alignment/{other_id}.",
    )
    alignment: list[AlignmentLink] | None = Field(
        None, description="With ?with=OTHER_ID: sentence links to that version."
    )


# ------------------------------------------------------------------ linked knowledge


class _Open(BaseModel):
    """A link-layer record: the fields named here are documented, the rest pass through."""

    model_config = ConfigDict(extra="allow")


class SourceOut(_Open):
    """A sentence that states a value: its document, sentence and character span."""

    document_id: int | None = Field(None, description="Open /documents/{document_id}#s{index}.")
    file: str
    sha256: str | None = None
    date: str | None = None
    language: str | None = None
    sentence_index: int | None = None
    sentence: str | None = None
    span: list[int] | None = Field(None, description="[start, end) in the document's text.")
    surface: str | None = None


class FactOut(_Open):
    subject: str
    subject_name: str | None = None
    predicate: str = Field(description="member, observer, seat, office_holder, presidency ...")
    object: str
    object_name: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    mode: str | None = Field(None, description="stated, or inferred from another fact.")
    conflict: bool = False
    sources: list[SourceOut] = Field(default_factory=list)
    source_count: int | None = Field(
        None, description="How many sources the fact has, when `sources` may hold fewer."
    )


class FactList(_Model):
    facts: list[FactOut]
    count: int = Field(description="Facts matching the filters, on every page.")
    limit: int
    offset: int


class StateAt(_Model):
    date: str
    organization: str
    members: list[FactOut] = Field(default_factory=list)
    observers: list[FactOut] = Field(default_factory=list)
    dialogue_partners: list[FactOut] = Field(default_factory=list)
    seats: list[FactOut] = Field(default_factory=list)
    office_holders: list[FactOut] = Field(default_factory=list)
    presidency: list[FactOut] = Field(default_factory=list)
    memoranda: list[FactOut] = Field(default_factory=list)
    instruments: list[FactOut] = Field(default_factory=list)


class EvidenceOut(SourceOut):
    kind: str | None = Field(None, description="done, progress, instrument, office.")


class CommitmentOut(_Open):
    """A commitment (its sentence) and what later documents say of it (evidence sentences)."""

    document_id: int | None = None
    file: str
    date: str | None = None
    language: str | None = None
    sentence_index: int | None = None
    sentence: str | None = None
    span: list[int] | None = None
    deadline: str | None = None
    deadline_text: str | None = None
    actor: str | None = None
    status: str = Field(description="fulfilled, in_progress, open, overdue, superseded.")
    timing: str | None = None
    evidence: list[EvidenceOut] = Field(default_factory=list)


class CommitmentList(_Model):
    commitments: list[CommitmentOut]
    count: int = Field(description="Commitments of the status asked for (all), on every page.")
    limit: int
    offset: int
    statuses: dict[str, int] = Field(description="Commitments per status, over all of them.")


class PositionSentence(_Open):
    sentence_index: int
    sentence: str | None = None
    span: list[int] | None = None


class PositionVersion(_Open):
    document_id: int | None = None
    file: str
    language: str
    sentences: list[PositionSentence]


class PositionGroup(_Open):
    date: str | None = None
    organization: str | None = None
    body: str | None = None
    issue: str
    versions: list[PositionVersion]


class Positions(_Model):
    issue: str
    name: str
    groups: list[PositionGroup]
    count: int = Field(description="Groups between the dates asked for, on every page.")
    limit: int
    offset: int


class EntitySummary(_Model):
    id: str = Field(description="A code (KZ, SCO, CMFA), person:…, instrument:… or an issue.")
    kind: str
    name: str
    names: list[str]
    mentions: int
    documents: int


class EntityList(_Model):
    entities: list[EntitySummary]
    count: int = Field(description="Entities matching the kind and query, on every page.")
    limit: int
    offset: int


class MentionAt(SourceOut):
    title: str | None = None


class EntityDetail(_Open):
    id: str
    kind: str | None = None
    name: str
    names: dict[str, list[str]] = Field(description="Names by language (en, zh, ru).")
    facts: list[FactOut]
    mentions_by_year: dict[str, int]
    mention_count: int
    mentions: list[MentionAt] = Field(description="At most 500, oldest first.")


class MeetingOut(_Model):
    body: str
    body_name: str
    date: str
    end: str | None = None
    place: str | None = None
    participants: int = 0
    sources: list[SourceOut]


class MeetingList(_Model):
    meetings: list[MeetingOut]
    count: int = Field(description="Meetings between the dates asked for, on every page.")
    limit: int
    offset: int


class IssueYears(_Model):
    issue: str
    name: str
    total: int
    by_year: dict[str, int]


class IssueStats(_Model):
    years: list[str]
    issues: list[IssueYears]


# ------------------------------------------------------------------ writes


class UploadResult(_Model):
    file: str = Field(description="The file's name as uploaded.")
    status: str = Field(description="stored, unchanged or failed.")
    document_id: int | None = None
    reason: str | None = None
    size: int | None = None


class UploadResponse(_Model):
    results: list[UploadResult]
    counts: dict[str, int]


class Deleted(_Model):
    deleted: int


class Reextracted(_Model):
    document_id: int = Field(description="The document's id now (it may differ from before).")
    previous_id: int
    status: str
