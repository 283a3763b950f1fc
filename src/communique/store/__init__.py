"""Storage: a single SQLite file with documents, sentences, extracted values and a
full-text index. ``Store.open(db)`` (or ``communique.open(db)``) creates and
migrates it as needed; see :mod:`communique.store.sqlite`."""

from __future__ import annotations

from communique.store.migrations import LATEST, MIGRATIONS, SchemaError
from communique.store.models import (
    DocumentDetail,
    DocumentInfo,
    IngestEvent,
    IngestReport,
    IngestResult,
    MentionInfo,
    ParagraphInfo,
    SentenceInfo,
    Stats,
)
from communique.store.sqlite import DEFAULT_DB, ENV_DB, Store, default_db

__all__ = [
    "DEFAULT_DB",
    "ENV_DB",
    "LATEST",
    "MIGRATIONS",
    "DocumentDetail",
    "DocumentInfo",
    "IngestEvent",
    "IngestReport",
    "IngestResult",
    "MentionInfo",
    "ParagraphInfo",
    "SchemaError",
    "SentenceInfo",
    "Stats",
    "Store",
    "default_db",
]
