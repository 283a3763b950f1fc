"""communique: official documents of intergovernmental organizations as a
searchable, multilingual knowledge base in which every fact points back to the
sentence it came from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from communique.store import Store


def open(db: str | Path | None = None) -> Store:
    """Open (creating when needed) the store at ``db``: a SQLite path; by default
    ``$COMMUNIQUE_DB``, else ``./communique.db``."""
    from communique.store import Store

    return Store.open(db)


__all__ = ["__version__", "open"]
