"""Values computed from a whole database, kept until it changes.

Some answers read every row of a table however little of them a page shows:
the person index (which spellings are one person, across documents and
scripts) reads every person mention, 36 ms at 1,000 documents and linear
beyond. :func:`derived` computes such a value once and reuses it for as long as
the database has not changed since, as told by its marker:

- SQLite: the store's generation (``store_generation``, schema v7), drawn anew
  by a trigger on every write to the tables such values are read from
  (:data:`communique.store.migrations.GENERATION_TABLES` and the rows that
  follow them); one read, alike on every connection;
- SQLite before v7, or a plain ``sqlite3`` connection: ``PRAGMA data_version``
  (moves when another connection commits) with the connection's own
  ``total_changes``, which means something on that connection only;
- PostgreSQL: the server's current snapshot (``pg_current_snapshot()``), which
  moves whenever a transaction that wrote ends anywhere on the server, so a busy
  server recomputes more often but never serves stale data.

A marker that means the same on every connection (the generation, the
snapshot) lets the connections of one process share a value: the web service
has one connection per worker thread, and each of them used to compute the
person index and the entity list again after every write. Concurrent callers
that miss wait for the one computing. A marker of one connection keeps the value
on that connection.

The marker is read before the value is computed: a commit in between leaves a
value newer than its marker, recomputed at the next call. Nothing is shared from
inside a transaction, which may still roll back what the value was computed
from; where no marker can be read (a standby server) nothing is cached.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

# Values of the databases used last, across connections: bounded, since a
# process may open many stores (a test suite does) and a value can be large.
SHARED_ENTRIES = 64
# Values of one argument among many (one subject's facts, one issue's positions)
# are kept apart: a client asking for a hundred subjects in turn must not push the
# store's follow-ups (seconds to compute again) out of the pool above.
ARGUMENT_ENTRIES = 256


class Connection(sqlite3.Connection):
    """A SQLite connection that can carry :func:`derived` values."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.derived: dict[Hashable, tuple[Hashable, Any]] = {}
        # The database's file, once read; "" for one in memory.
        self.database_file: str | None = None


class _Shared:
    """Values keyed by (database, name), each with the marker it was computed at."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self.values: OrderedDict[tuple[Hashable, Hashable], tuple[Hashable, Any]] = OrderedDict()
        self.lock = threading.Lock()
        self.computing: dict[tuple[Hashable, Hashable], threading.Lock] = {}

    def get(self, key: tuple[Hashable, Hashable], marker: Hashable) -> tuple[bool, Any]:
        with self.lock:
            hit = self.values.get(key)
            if hit is None or hit[0] != marker:
                return False, None
            self.values.move_to_end(key)
            return True, hit[1]

    def put(self, key: tuple[Hashable, Hashable], marker: Hashable, value: Any) -> None:
        with self.lock:
            self.values[key] = (marker, value)
            self.values.move_to_end(key)
            while len(self.values) > self.entries:
                gone, _ = self.values.popitem(last=False)
                self.computing.pop(gone, None)

    def lock_for(self, key: tuple[Hashable, Hashable]) -> threading.Lock:
        with self.lock:
            return self.computing.setdefault(key, threading.Lock())

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


_SHARED = _Shared(SHARED_ENTRIES)
_BY_ARGUMENT = _Shared(ARGUMENT_ENTRIES)


def _sqlite_file(conn: sqlite3.Connection) -> str:
    known = getattr(conn, "database_file", None)
    if known is not None:
        return str(known)
    row = conn.execute("PRAGMA database_list").fetchone()
    name = os.path.realpath(row[2]) if row and row[2] else ""
    if isinstance(conn, Connection):
        conn.database_file = name
    return name


def shared_marker(conn: Any) -> tuple[Hashable, Hashable] | None:
    """``(database, marker)`` where the marker means the same on every connection to
    that database; None where it cannot be read so, or inside a transaction."""
    if isinstance(conn, sqlite3.Connection):
        if conn.in_transaction:
            return None
        try:
            row = conn.execute("SELECT n FROM store_generation WHERE id = 1").fetchone()
        except sqlite3.OperationalError:
            return None  # a store before v7, or not a store
        if row is None:
            return None
        name = _sqlite_file(conn)
        if not name:
            return None  # in memory: one connection, one database
        return ("sqlite", name), row[0]
    marker = getattr(conn, "change_marker", None)
    url = getattr(conn, "url", None)
    if not callable(marker) or url is None:
        return None
    value = marker()
    return None if value is None else (("postgresql", url), value)


def change_marker(conn: Any) -> Hashable | None:
    """A value that differs whenever the database may have changed; None: unknown."""
    if isinstance(conn, sqlite3.Connection):
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        return (version, conn.total_changes)
    marker = getattr(conn, "change_marker", None)
    return marker() if callable(marker) else None


def derived(
    conn: Any, name: Hashable, compute: Callable[[Any], T], *, one_of_many: bool = False
) -> T:
    """``compute(conn)``, or the value it gave for this database if the database has
    not changed since. Callers must not modify what they get.

    ``one_of_many``: the value of one argument among many (``name`` holds it), kept
    in a pool of its own, and only where connections share values."""
    shared = shared_marker(conn)
    if shared is not None:
        pool = _BY_ARGUMENT if one_of_many else _SHARED
        database, marker = shared
        key = (database, name)
        found, value = pool.get(key, marker)
        if found:
            return value  # type: ignore[no-any-return]
        # One computes, the others wait for its value rather than compute it too.
        with pool.lock_for(key):
            found, value = pool.get(key, marker)
            if found:
                return value  # type: ignore[no-any-return]
            value = compute(conn)
            pool.put(key, marker, value)
            return value
    if one_of_many:
        return compute(conn)  # a connection's own values are not bounded
    cache: dict[Hashable, tuple[Hashable, Any]] | None = getattr(conn, "derived", None)
    if cache is None:
        return compute(conn)
    local = change_marker(conn)
    if local is None:
        return compute(conn)
    hit = cache.get(name)
    if hit is not None and hit[0] == local:
        return hit[1]  # type: ignore[no-any-return]
    value = compute(conn)
    cache[name] = (local, value)
    return value


def clear_shared() -> None:
    """Forget the values shared across connections (each is recomputed on next use)."""
    _SHARED.clear()
    _BY_ARGUMENT.clear()


__all__ = [
    "ARGUMENT_ENTRIES",
    "SHARED_ENTRIES",
    "Connection",
    "change_marker",
    "clear_shared",
    "derived",
    "shared_marker",
]
