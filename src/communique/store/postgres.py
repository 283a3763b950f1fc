"""PostgreSQL behind the interface the store's code already speaks.

Every layer above the store (search, versions, link, auth, the service) talks
to a connection with ``execute(sql, params)`` / ``executemany``, ``?``
placeholders and the DB-API exceptions of :mod:`sqlite3`. :class:`PgConnection`
gives psycopg that face, so one body of SQL runs on both databases:

- ``?`` placeholders become ``%s`` (and a literal ``%`` is doubled);
- ``BEGIN IMMEDIATE`` becomes ``BEGIN``: PostgreSQL locks rows, not the file;
- ``INSERT OR IGNORE`` becomes ``ON CONFLICT DO NOTHING`` and ``INSERT OR
  REPLACE`` an upsert on the table's key (:data:`KEYS`);
- psycopg's errors are raised as the matching :mod:`sqlite3` classes (a
  missing table is an ``OperationalError`` on both, as callers expect);
- ``numeric`` results (``sum`` of integers) come back as ``int`` or ``float``,
  never ``Decimal``.

What cannot be translated word for word, full-text search above all, is
written per dialect where it is used (see :func:`dialect`). Text columns are
created with the ``"C"`` collation, so that rows sort by code point exactly as
SQLite sorts them.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

try:  # optional at import time: a SQLite-only install never needs it
    import psycopg
    from psycopg.adapt import Loader
except ImportError:  # pragma: no cover - psycopg is a dependency
    psycopg = None
    Loader = object  # type: ignore[assignment,misc]

URL_PREFIXES = ("postgresql://", "postgres://")

# The key an ``INSERT OR REPLACE`` replaces on, per table that is written so.
KEYS: dict[str, tuple[str, ...]] = {
    "version_features": ("doc_id",),
    "version_pairs": ("a_id", "b_id"),
    "version_groups": ("doc_id",),
    "link_documents": ("doc_id",),
}


def is_url(db: object) -> bool:
    """Whether ``db`` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(db, str) and db.startswith(URL_PREFIXES)


def display_location(db: str) -> str:
    """``db`` fit to print: a URL loses its password, a path is kept."""
    if not is_url(db):
        return db
    return re.sub(r"^(\w+://[^:/@]*):[^@/]*@", r"\1:***@", db)


def dialect(conn: object) -> str:
    """``"postgresql"`` for a :class:`PgConnection`, ``"sqlite"`` otherwise."""
    return str(getattr(conn, "dialect", "sqlite"))


_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?|%|[^'\"?%-]+|-")
_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)", re.IGNORECASE)
_COLUMNS = re.compile(r"^\s*INSERT\s+INTO\s+\w+\s*\(([^)]*)\)", re.IGNORECASE)
_RETURNING = re.compile(r"\sRETURNING\s", re.IGNORECASE)


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """The PostgreSQL text of a statement written for SQLite (see the module doc)."""
    stripped = sql.strip()
    if re.fullmatch(r"BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)", stripped, re.IGNORECASE):
        return "BEGIN"
    out = []
    for tok in _TOKENS.findall(sql):
        if tok == "?":
            out.append("%s")
        elif tok == "%":
            out.append("%%")
        elif tok.startswith("'") and "%" in tok:
            out.append(tok.replace("%", "%%"))
        else:
            out.append(tok)
    text = "".join(out)
    m = _INSERT_OR.match(text)
    if m:
        action, table = m.group(1).upper(), m.group(2)
        text = text[: m.start()] + f"INSERT INTO {table}" + text[m.end() :]
        if action == "IGNORE":
            clause = " ON CONFLICT DO NOTHING"
        else:
            key = KEYS.get(table)
            cols = _COLUMNS.match(text)
            if key is None or cols is None:
                raise ValueError(f"INSERT OR REPLACE into {table}: no key known for PostgreSQL")
            names = [c.strip().strip('"') for c in cols.group(1).split(",")]
            sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in names if c not in key)
            action_sql = f"DO UPDATE SET {sets}" if sets else "DO NOTHING"
            clause = f" ON CONFLICT ({', '.join(key)}) {action_sql}"
        returning = _RETURNING.search(text)
        if returning:
            text = text[: returning.start()] + clause + text[returning.start() :]
        else:
            text = text.rstrip().rstrip(";") + clause
    return text


def _error(exc: Exception) -> sqlite3.Error:
    """The :mod:`sqlite3` exception a caller would have caught for this psycopg one."""
    message = str(exc).strip() or type(exc).__name__
    if isinstance(exc, psycopg.errors.IntegrityError):
        return sqlite3.IntegrityError(message)
    if isinstance(exc, psycopg.errors.DataError):
        return sqlite3.DataError(message)
    if isinstance(exc, psycopg.errors.InterfaceError):
        return sqlite3.InterfaceError(message)
    if isinstance(exc, (psycopg.errors.OperationalError, psycopg.errors.ProgrammingError)):
        return sqlite3.OperationalError(message)
    return sqlite3.DatabaseError(message)


class _NumericLoader(Loader):  # type: ignore[misc,valid-type]
    """``numeric`` as ``int`` when whole, else ``float`` (SQLite's sums are never Decimal)."""

    def load(self, data: bytes | bytearray | memoryview) -> int | float:
        text = bytes(data).decode()
        if "." in text or "e" in text.lower() or text in ("NaN", "Infinity", "-Infinity"):
            return float(text)
        return int(text)


def _param(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL. Stored text never does (normalization
    # removes control characters), so a value with one, always from a query,
    # can match nothing either way: U+FFFD keeps it unmatched instead of an error.
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


class PgCursor:
    """The result of one statement, read like a :class:`sqlite3.Cursor`."""

    __slots__ = ("_rows", "lastrowid", "rowcount")

    def __init__(self, rows: list[tuple[Any, ...]], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid: int | None = None

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows.pop(0) if self._rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self._rows = self._rows, []
        return rows

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        while self._rows:
            yield self._rows.pop(0)


class PgConnection:
    """One psycopg connection in autocommit mode, spoken to as SQLite is.

    Transactions are opened and closed by the SQL the callers send (``BEGIN``,
    ``SAVEPOINT``, ``COMMIT``), as with SQLite's ``isolation_level=None``.
    Statements from several threads are serialized, as sqlite3 serializes them.
    """

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        if psycopg is None:  # pragma: no cover - psycopg is a dependency
            raise RuntimeError("PostgreSQL needs psycopg: pip install 'psycopg[binary]'")
        self.url = url
        try:
            self._conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise _error(exc) from exc
        self._conn.adapters.register_loader("numeric", _NumericLoader)
        self._lock = threading.RLock()
        # communique.store.derived keeps its values here
        self.derived: dict[Any, tuple[Any, Any]] = {}

    def change_marker(self) -> str | None:
        """The server's current snapshot (``xmin:xmax:in-progress``): the same snapshot
        sees the same committed rows, and it moves whenever a transaction that wrote
        ends, anywhere on the server. None on a standby, whose snapshots follow the
        primary's WAL as it is replayed.

        The WAL position, used before, also moves with checkpoints and with pages
        pruned by reads: values were computed again every few minutes on a server
        where nothing was written."""
        with self._lock:
            if self.in_transaction:
                return None  # a failure here would abort the caller's transaction
            try:
                row = self._conn.execute(
                    "SELECT CASE WHEN pg_is_in_recovery() THEN NULL"
                    " ELSE pg_current_snapshot()::text END"
                ).fetchone()
            except psycopg.Error:
                return None
        return None if row is None or row[0] is None else str(row[0])

    @property
    def in_transaction(self) -> bool:
        return bool(self._conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE)

    def execute(self, sql: str, params: Sequence[Any] | None = ()) -> PgCursor:
        query = translate(sql)
        with self._lock:
            try:
                cur = self._conn.execute(query, [_param(p) for p in params or ()], prepare=False)
                rows = cur.fetchall() if cur.description is not None else []
                return PgCursor(rows, cur.rowcount)
            except psycopg.Error as exc:
                raise _error(exc) from exc

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        query = translate(sql)
        params = [[_param(v) for v in p] for p in seq]
        if not params:
            return PgCursor([], 0)
        with self._lock:
            try:
                with self._conn.cursor() as cur:
                    cur.executemany(query, params)
                    return PgCursor([], cur.rowcount)
            except psycopg.Error as exc:
                raise _error(exc) from exc

    def commit(self) -> None:
        """Nothing to do: statements outside ``BEGIN`` commit as they run (DB-API's name
        kept so that code written for sqlite3 reads the same)."""

    def close(self) -> None:
        self._conn.close()

    def database_bytes(self) -> int:
        row = self.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(row[0]) if row else 0


__all__ = [
    "KEYS",
    "URL_PREFIXES",
    "PgConnection",
    "PgCursor",
    "dialect",
    "display_location",
    "is_url",
    "translate",
]
