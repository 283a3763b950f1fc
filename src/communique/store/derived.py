"""Values computed from a whole database, kept on its connection until it changes.

Some answers read every row of a table however little of them a page shows:
the person index (which spellings are one person, across documents and
scripts) reads every person mention, 36 ms at 1,000 documents and linear
beyond. :func:`derived` computes such a value once per connection and reuses it
for as long as the database has not changed since, as told by:

- SQLite: ``PRAGMA data_version`` (moves when another connection, in this
  process or another, commits) with the connection's own ``total_changes``
  (moves when it writes itself);
- PostgreSQL: ``pg_current_wal_lsn()``, which moves with any write to the
  server, so a busy server recomputes more often but never serves stale data.

The marker is read before the value is computed: a commit in between leaves a
value newer than its marker, recomputed at the next call. Where no marker can
be read (a plain ``sqlite3`` connection, a standby server) nothing is cached.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Connection(sqlite3.Connection):
    """A SQLite connection that can carry :func:`derived` values."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.derived: dict[Hashable, tuple[Hashable, Any]] = {}


def change_marker(conn: Any) -> Hashable | None:
    """A value that differs whenever the database may have changed; None: unknown."""
    if isinstance(conn, sqlite3.Connection):
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        return (version, conn.total_changes)
    marker = getattr(conn, "change_marker", None)
    return marker() if callable(marker) else None


def derived(conn: Any, name: Hashable, compute: Callable[[Any], T]) -> T:
    """``compute(conn)``, or the value it gave on this connection if the database
    has not changed since. Callers must not modify what they get."""
    cache: dict[Hashable, tuple[Hashable, Any]] | None = getattr(conn, "derived", None)
    if cache is None:
        return compute(conn)
    marker = change_marker(conn)
    if marker is None:
        return compute(conn)
    hit = cache.get(name)
    if hit is not None and hit[0] == marker:
        return hit[1]  # type: ignore[no-any-return]
    value = compute(conn)
    cache[name] = (marker, value)
    return value


__all__ = ["Connection", "change_marker", "derived"]
