"""Extraction: from a segmented document to the extraction record, every value with provenance.

Each kind of value has its own small component (one module each); this module
only composes them in the order their inputs require: metadata first (its date
anchors relative dates), then everything that reads the text.

Components read the same texts over and over (the document, its sentences):
the knowledge pack's matches and the date scanner's candidates are computed
once per text and kept in bounded caches keyed by the text itself (see
:class:`communique.knowledge.TextCache`), so a document never sees another's
results. :func:`clear_caches` empties them (benchmarks do, between passes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from communique.extract.commitments import find_commitments
from communique.extract.dates import clear_caches as _clear_date_caches
from communique.extract.dates import date_mentions
from communique.extract.entities import find_organizations, find_states, record_organizations
from communique.extract.instruments import find_instruments
from communique.extract.meeting import extract_meeting
from communique.extract.metadata import extract_metadata
from communique.extract.positions import find_positions
from communique.extract.quality import quality_warnings
from communique.knowledge import Knowledge, load
from communique.records import Extraction, Mention, SegmentedDocument

T = TypeVar("T")

# The components in the order extract() runs them (the keys of ``timings``).
COMPONENTS = (
    "metadata",
    "dates",
    "states",
    "organizations",
    "meeting",
    "instruments",
    "commitments",
    "positions",
    "quality",
)


def extract(
    seg: SegmentedDocument,
    kb: Knowledge | None = None,
    *,
    timings: dict[str, float] | None = None,
) -> Extraction:
    """The extraction of one segmented document.

    ``timings``, when given, gets each component's CPU seconds added under its
    name (:data:`COMPONENTS`): what a benchmark reports per component.
    """
    kb = kb or load()

    def run(name: str, fn: Callable[[], T]) -> T:
        if timings is None:
            return fn()
        t0 = time.process_time()
        try:
            return fn()
        finally:
            timings[name] = timings.get(name, 0.0) + time.process_time() - t0

    meta = run("metadata", lambda: extract_metadata(seg, kb))
    out = Extraction(
        file=seg.doc.raw.name,
        language=seg.language,
        type=meta.type,
        title=meta.title,
        date=meta.date,
        place=meta.place,
        organization=meta.organization,
        body=meta.body,
    )
    mentions: list[Mention] = list(meta.mentions)

    dates = run("dates", lambda: date_mentions(seg, meta.date))
    mentions.extend(dates)
    out.dates = sorted({m.value for m in dates})

    states = run("states", lambda: find_states(seg, kb))
    mentions.extend(states)
    out.states = sorted({m.value for m in states})

    orgs = run("organizations", lambda: find_organizations(seg, kb))
    mentions.extend(orgs)
    out.organizations = run(
        "organizations", lambda: record_organizations(orgs, kb, meta.organization)
    )

    out.meeting, out.persons = run("meeting", lambda: extract_meeting(seg, kb, meta))
    out.instruments = run("instruments", lambda: find_instruments(seg, kb, meta.date))
    out.commitments = run(
        "commitments", lambda: find_commitments(seg, kb, meta.date, meta.organization)
    )
    out.positions = run("positions", lambda: find_positions(seg, kb))
    mentions.extend(out.positions)

    warnings = run("quality", lambda: quality_warnings(seg, meta, dates))
    out.warnings = [*seg.doc.warnings, *meta.warnings, *warnings]
    mentions.sort(key=lambda m: (m.start, m.end, m.kind))
    out.mentions = mentions
    return out


def clear_caches(kb: Knowledge | None = None) -> None:
    """Empty the per-text caches (knowledge matches, date scans, deadlines).

    Never needed for correctness (they are keyed by the full text); a benchmark
    that runs the same documents again calls it so that every pass pays for its
    scans as a new document would."""
    (kb or load()).clear_cache()
    _clear_date_caches()


__all__ = ["COMPONENTS", "clear_caches", "extract"]
