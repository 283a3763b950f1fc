"""The store's schema as an ordered list of migrations.

``MIGRATIONS[i]`` takes a database from schema version ``i`` to ``i + 1``. A
migration is never edited once released: a change to the schema is a new entry
at the end. :func:`migrate` applies the missing ones in order, each inside its
own ``BEGIN IMMEDIATE`` transaction together with the ``schema_version`` row
that records it, so a crash leaves the database at a whole version.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from communique.store.postgres import dialect

# The advisory lock (an arbitrary constant) migrations of one PostgreSQL database take.
_PG_LOCK = 0x636F6D6D

# v1: documents and everything read out of them. Offsets are character offsets
# into documents.text; mentions with sentence = -1 come from the record header.
# sentences.id is written as doc_id << 20 | idx (communique.search.DOC_SHIFT),
# so that the full-text index alone tells which document a match is in.
_V1 = """
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,
    path          TEXT NOT NULL,
    name          TEXT NOT NULL,
    format        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    encoding      TEXT,
    language      TEXT NOT NULL,
    type          TEXT,
    title         TEXT,
    date          TEXT,
    place         TEXT,
    organization  TEXT,
    body          TEXT,
    header        TEXT,
    text          TEXT NOT NULL,
    record        TEXT NOT NULL,
    warnings      TEXT NOT NULL DEFAULT '[]',
    ingested_at   TEXT NOT NULL
);

CREATE TABLE paragraphs (
    doc_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;

CREATE TABLE sentences (
    id         INTEGER PRIMARY KEY,
    doc_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    paragraph  INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    terms      TEXT NOT NULL,
    UNIQUE (doc_id, idx)
);

CREATE TABLE mentions (
    id        INTEGER PRIMARY KEY,
    doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    value     TEXT NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    surface   TEXT NOT NULL,
    sentence  INTEGER NOT NULL,
    attrs     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX mentions_doc ON mentions (doc_id, start);
CREATE INDEX mentions_kind_value ON mentions (kind, value);
"""

# v2: full-text index over the sentences' index terms (words for zh, lemmas for
# ru), filled from the rows a v1 database already holds. The store indexes new
# sentences itself, in the transaction that inserts them: a per-row insert
# trigger doubled the cost of writing a document. Deletes and updates (rare,
# and deletes arrive by cascade from documents) are kept in step by triggers.
_V2 = """
CREATE VIRTUAL TABLE sentences_fts USING fts5 (
    terms,
    content = 'sentences',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts (sentences_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
END;

CREATE TRIGGER sentences_fts_update AFTER UPDATE OF terms ON sentences BEGIN
    INSERT INTO sentences_fts (sentences_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
    INSERT INTO sentences_fts (rowid, terms) VALUES (new.id, new.terms);
END;

INSERT INTO sentences_fts (sentences_fts) VALUES ('rebuild');
"""

# v3: the filters of listing and search (language, type, organization, body,
# date range) as indexes.
_V3 = """
CREATE INDEX documents_language ON documents (language, date);
CREATE INDEX documents_type ON documents (type, date);
CREATE INDEX documents_organization ON documents (organization, body, date);
CREATE INDEX documents_body ON documents (body, date);
CREATE INDEX documents_date ON documents (date);
"""

# v4: the link layer (communique.link): what it read out of each document,
# rebuilt per document (link_documents records the rule version used), so the
# cross-document picture is assembled from these rows without rereading texts.
_V4 = """
CREATE TABLE link_documents (
    doc_id    INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    built_at  TEXT NOT NULL
);

CREATE TABLE link_facts (
    id          INTEGER PRIMARY KEY,
    doc_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    subject     TEXT NOT NULL,
    predicate   TEXT NOT NULL,
    object      TEXT NOT NULL,
    valid_from  TEXT,
    mode        TEXT NOT NULL,
    sentence    INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    attrs       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX link_facts_subject ON link_facts (subject, predicate);
CREATE INDEX link_facts_predicate ON link_facts (predicate, object);
CREATE INDEX link_facts_doc ON link_facts (doc_id);

CREATE TABLE link_entity_mentions (
    id        INTEGER PRIMARY KEY,
    doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL,
    name      TEXT NOT NULL,
    sentence  INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    attrs     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX link_entity_mentions_key ON link_entity_mentions (kind, key);
CREATE INDEX link_entity_mentions_doc ON link_entity_mentions (doc_id);

CREATE TABLE link_evidence (
    id        INTEGER PRIMARY KEY,
    doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    date      TEXT,
    sentence  INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    attrs     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX link_evidence_doc ON link_evidence (doc_id);

CREATE TABLE link_evidence_keys (
    key       TEXT NOT NULL,
    evidence  INTEGER NOT NULL REFERENCES link_evidence(id) ON DELETE CASCADE,
    PRIMARY KEY (key, evidence)
) WITHOUT ROWID;
CREATE INDEX link_evidence_keys_evidence ON link_evidence_keys (evidence);

CREATE TABLE link_commitments (
    id        INTEGER PRIMARY KEY,
    doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence  INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    deadline  TEXT,
    attrs     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX link_commitments_doc ON link_commitments (doc_id);
"""

# v5: API tokens for the web service's writes (communique.auth). Only a salted
# hash of each token is kept; ``key`` is the token's public half, by which it is
# looked up, so that checking a token costs one hash, not one per stored token.
_V5 = """
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    salt        BLOB NOT NULL,
    hash        BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    last_used   TEXT,
    revoked_at  TEXT
);
"""

# v6: language versions (communique.align.versions): each document's alignment
# anchors, every pair of documents the content test was run on (with its
# sentence links, oriented a -> b), and the groups of versions found from them.
_V6 = """
CREATE TABLE version_features (
    doc_id   INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version  INTEGER NOT NULL,
    anchors  TEXT NOT NULL
);

CREATE TABLE version_pairs (
    a_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    b_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    accepted  INTEGER NOT NULL,
    score     REAL NOT NULL,
    stats     TEXT NOT NULL,
    links     TEXT NOT NULL,
    PRIMARY KEY (a_id, b_id)
) WITHOUT ROWID;
CREATE INDEX version_pairs_b ON version_pairs (b_id);

CREATE TABLE version_groups (
    doc_id    INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    group_id  INTEGER NOT NULL
);
CREATE INDEX version_groups_group ON version_groups (group_id);
"""

# v7: the store's generation, a random number drawn anew by every write to a table
# that whole-store values are computed from (communique.store.derived), so that
# every connection of a process can tell, by one read, whether a value another
# connection computed is still that of the database it reads. The tables not
# listed change only with a row of one that is, in the same transaction:
# paragraphs, sentences, their index and mentions with their document, the link_
# tables with link_documents. api_tokens is left out on purpose: a token's
# last_used changes with every request made with it. Random rather than counted: a
# file put back from a copy and written again does not meet its old numbers.
GENERATION_TABLES = (
    "documents",
    "link_documents",
    "version_features",
    "version_pairs",
    "version_groups",
)
_V7 = (
    "CREATE TABLE store_generation (\n"
    "    id  INTEGER PRIMARY KEY CHECK (id = 1),\n"
    "    n   INTEGER NOT NULL\n"
    ");\n"
    "INSERT INTO store_generation (id, n) VALUES (1, random());\n"
    + "".join(
        f"CREATE TRIGGER {table}_{event.lower()}_generation AFTER {event} ON {table} BEGIN\n"
        "    UPDATE store_generation SET n = random() WHERE id = 1;\n"
        "END;\n"
        for table in GENERATION_TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    )
)

MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7]
LATEST = len(MIGRATIONS)

# The same versions for PostgreSQL (communique.store.postgres): the same tables
# and columns, in its types. Text sorts by code point ("C"), as in SQLite; ids
# that SQLite assigns as rowids are identities; the full-text index is a
# tsvector per sentence (communique.search.pgtext builds it from the same index
# terms FTS5 reads, Chinese already cut into words), kept in step by the store
# on insert and by the foreign key's cascade on delete.
_T = 'TEXT COLLATE "C"'
_PG_V1 = f"""
CREATE TABLE documents (
    id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    sha256        {_T} NOT NULL UNIQUE,
    path          {_T} NOT NULL,
    name          {_T} NOT NULL,
    format        {_T} NOT NULL,
    size          BIGINT NOT NULL,
    encoding      {_T},
    language      {_T} NOT NULL,
    type          {_T},
    title         {_T},
    date          {_T},
    place         {_T},
    organization  {_T},
    body          {_T},
    header        {_T},
    text          {_T} NOT NULL,
    record        {_T} NOT NULL,
    warnings      {_T} NOT NULL DEFAULT '[]',
    ingested_at   {_T} NOT NULL
);

CREATE TABLE paragraphs (
    doc_id  BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE sentences (
    id         BIGINT PRIMARY KEY,
    doc_id     BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    paragraph  INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       {_T} NOT NULL,
    terms      {_T} NOT NULL,
    UNIQUE (doc_id, idx)
);

CREATE TABLE mentions (
    id        BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    doc_id    BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind      {_T} NOT NULL,
    value     {_T} NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    surface   {_T} NOT NULL,
    sentence  INTEGER NOT NULL,
    attrs     {_T} NOT NULL DEFAULT '{{}}'
);
CREATE INDEX mentions_doc ON mentions (doc_id, start);
CREATE INDEX mentions_kind_value ON mentions (kind, value);
"""

_PG_V2 = """
CREATE TABLE sentences_fts (
    rowid  BIGINT PRIMARY KEY REFERENCES sentences(id) ON DELETE CASCADE,
    tsv    TSVECTOR NOT NULL
);
CREATE INDEX sentences_fts_tsv ON sentences_fts USING gin (tsv);
"""

_PG_V4 = (
    _V4.replace("INTEGER PRIMARY KEY REFERENCES", "BIGINT PRIMARY KEY REFERENCES")
    .replace(
        "id          INTEGER PRIMARY KEY",
        "id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    )
    .replace(
        "id        INTEGER PRIMARY KEY",
        "id        BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    )
    .replace("INTEGER NOT NULL REFERENCES", "BIGINT NOT NULL REFERENCES")
    .replace(") WITHOUT ROWID;", ");")
    .replace("TEXT", _T)
)

_PG_V5 = f"""
CREATE TABLE api_tokens (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    key         {_T} NOT NULL UNIQUE,
    name        {_T} NOT NULL,
    salt        BYTEA NOT NULL,
    hash        BYTEA NOT NULL,
    created_at  {_T} NOT NULL,
    last_used   {_T},
    revoked_at  {_T}
);
"""

_PG_V6 = (
    _V6.replace("INTEGER PRIMARY KEY REFERENCES", "BIGINT PRIMARY KEY REFERENCES")
    .replace("INTEGER NOT NULL REFERENCES", "BIGINT NOT NULL REFERENCES")
    .replace("group_id  INTEGER", "group_id  BIGINT")
    .replace("REAL", "DOUBLE PRECISION")
    .replace(") WITHOUT ROWID;", ");")
    .replace("TEXT", _T)
)


def _pg_fill_fts(conn: Any) -> None:
    """v2 on PostgreSQL: index the sentences a v1 database already holds (the tokens
    are cut in Python, as the store cuts them on insert)."""
    from communique.search import pgtext

    rows = conn.execute("SELECT id, terms FROM sentences ORDER BY id").fetchall()
    conn.executemany(
        "INSERT INTO sentences_fts (rowid, tsv) VALUES (?, CAST(? AS tsvector))",
        [(sid, pgtext.tsvector(terms)) for sid, terms in rows],
    )


# Work a PostgreSQL migration does in Python after its statements, by the version it makes.
_PG_AFTER = {2: _pg_fill_fts}

# v7 has nothing to do on PostgreSQL: the server's current snapshot is the marker there
# (communique.store.postgres.PgConnection.change_marker), and a generation row
# updated by every writer would serialize the parallel writers of an ingest.
_PG_V7 = ""

PG_MIGRATIONS: list[str] = [_PG_V1, _PG_V2, _V3, _PG_V4, _PG_V5, _PG_V6, _PG_V7]

assert len(PG_MIGRATIONS) == LATEST


class SchemaError(RuntimeError):
    """The database was written by a newer communique than this one."""


def statements(script: str) -> list[str]:
    """Split a script into complete SQL statements (trigger bodies stay whole).

    ``executescript`` would commit any open transaction first, which is exactly
    what a migration must not do.
    """
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def current_version(conn: Any) -> int:
    if dialect(conn) == "postgresql":
        found = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
        exists = bool(found and found[0])
    else:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


# Secondary indexes of SQLite stores that a bulk ingest leaves out while it writes
# and builds at its end (Store.ingest), each with the statement that builds it.
# One that an interrupted ingest left out is built when the store is next opened.
BULK_DEFERRED_INDEXES = {
    "mentions_kind_value": "CREATE INDEX IF NOT EXISTS mentions_kind_value ON mentions (kind, value)",
}


def migrate(conn: Any, target: int = LATEST) -> int:
    """Bring ``conn`` (autocommit mode; SQLite or :class:`~communique.store.postgres.PgConnection`)
    to schema version ``target``; returns it."""
    if target > LATEST:
        raise ValueError(f"no schema version {target} (latest is {LATEST})")
    version = current_version(conn)
    if version > LATEST:
        raise SchemaError(
            f"database schema version {version} is newer than this communique ({LATEST})"
        )
    postgres = dialect(conn) == "postgresql"
    scripts = PG_MIGRATIONS if postgres else MIGRATIONS
    while version < target:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if postgres:
                # What SQLite's write lock does: one process migrates, the others
                # wait and then find the work done.
                conn.execute("SELECT pg_advisory_xact_lock(?)", (_PG_LOCK,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            # Another process may have migrated while this one waited for the lock.
            version = current_version(conn)
            if version >= target:
                conn.execute("COMMIT")
                break
            for stmt in statements(scripts[version]):
                conn.execute(stmt)
            version += 1
            if postgres and version in _PG_AFTER:
                _PG_AFTER[version](conn)
            conn.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                (version, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version


__all__ = [
    "GENERATION_TABLES",
    "LATEST",
    "MIGRATIONS",
    "PG_MIGRATIONS",
    "SchemaError",
    "current_version",
    "migrate",
    "statements",
]
