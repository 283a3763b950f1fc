"""Extraction: from a segmented document to the extraction record, every value with provenance.

Each kind of value has its own small component (one module each); this module
only composes them in the order their inputs require: metadata first (its date
anchors relative dates), then everything that reads the text.
"""

from __future__ import annotations

from communique.extract.commitments import find_commitments
from communique.extract.dates import date_mentions
from communique.extract.entities import find_organizations, find_states, record_organizations
from communique.extract.instruments import find_instruments
from communique.extract.meeting import extract_meeting
from communique.extract.metadata import extract_metadata
from communique.extract.positions import find_positions
from communique.extract.quality import quality_warnings
from communique.knowledge import Knowledge, load
from communique.records import Extraction, Mention, SegmentedDocument


def extract(seg: SegmentedDocument, kb: Knowledge | None = None) -> Extraction:
    kb = kb or load()
    meta = extract_metadata(seg, kb)
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

    dates = date_mentions(seg, meta.date)
    mentions.extend(dates)
    out.dates = sorted({m.value for m in dates})

    states = find_states(seg, kb)
    mentions.extend(states)
    out.states = sorted({m.value for m in states})

    orgs = find_organizations(seg, kb)
    mentions.extend(orgs)
    out.organizations = record_organizations(orgs, kb, meta.organization)

    out.meeting, out.persons = extract_meeting(seg, kb, meta)
    out.instruments = find_instruments(seg, kb, meta.date)
    out.commitments = find_commitments(seg, kb, meta.date, meta.organization)
    out.positions = find_positions(seg, kb)
    mentions.extend(out.positions)

    out.warnings = [*seg.doc.warnings, *meta.warnings, *quality_warnings(seg, meta, dates)]
    mentions.sort(key=lambda m: (m.start, m.end, m.kind))
    out.mentions = mentions
    return out


__all__ = ["extract"]
