"""Document filters (language, type, organization, body, date range) as SQL.

Shared by search and by the store's listing so both read the same options the
same way. Values are always bound parameters; only column names, fixed here,
enter the SQL text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_bound(value: str, *, upper: bool) -> str:
    """A ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` bound as a comparable ISO string.

    Stored dates are ISO strings of varying precision, so they compare as text.
    A lower bound is kept as written (``"2003" <= "2003-05-01"``); an upper bound
    is widened to the last day it names (``2003`` -> ``2003-12-31``) so that a
    document dated anywhere within it is included.
    """
    m = _DATE.match(value.strip())
    if not m:
        raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    year, month, day = m.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"month out of range: {value!r}")
    if day is not None and not 1 <= int(day) <= 31:
        raise ValueError(f"day out of range: {value!r}")
    if not upper:
        return value.strip()
    if month is None:
        return f"{year}-12-31"
    if day is None:
        return f"{year}-{month}-31"
    return value.strip()


@dataclass(slots=True, frozen=True)
class Filters:
    language: str | None = None
    type: str | None = None
    organization: str | None = None
    body: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def sql(self, alias: str = "d") -> tuple[str, list[Any]]:
        """``AND ...`` conditions on the documents table under ``alias`` (may be empty)."""
        conds: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("language", self.language),
            ("type", self.type),
            ("organization", self.organization),
            ("body", self.body),
        ):
            if value:
                conds.append(f"{alias}.{column} = ?")
                params.append(value)
        if self.date_from:
            conds.append(f"{alias}.date >= ?")
            params.append(parse_bound(self.date_from, upper=False))
        if self.date_to:
            conds.append(f"{alias}.date <= ?")
            params.append(parse_bound(self.date_to, upper=True))
        return "".join(f" AND {c}" for c in conds), params

    @classmethod
    def of_search(
        cls,
        lang: str | None = None,
        type: str | None = None,
        organization: str | None = None,
        body: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> Filters:
        """The filters of ``search(...)``'s keyword arguments, dates checked."""
        return cls(lang, type, organization, body, date_from, date_to).validate()

    def validate(self) -> Filters:
        """Raise ``ValueError`` for a malformed date bound, before any query runs."""
        if self.date_from:
            parse_bound(self.date_from, upper=False)
        if self.date_to:
            parse_bound(self.date_to, upper=True)
        return self


__all__ = ["Filters", "parse_bound"]
