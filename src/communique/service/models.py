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
