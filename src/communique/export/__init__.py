"""Exports of the linked knowledge: Popolo JSON, Akoma Ntoso XML, JSON Lines, CSV.

* ``popolo``: one JSON file with ``persons``, ``organizations`` (organizations,
  their bodies and the states that belong to them), ``memberships`` (state in
  organization, person in office) and ``posts`` (offices), per the Popolo
  specification's field names.
* ``akn``: one Akoma Ntoso 3.0 XML file per document in the folder OUT: FRBR
  identification, the body text as paragraphs, and ``<references>`` to every
  entity it mentions (TLCPerson, TLCOrganization, TLCLocation, TLCConcept);
  :func:`check_akn` is the structural check used by the tests.
* ``jsonl`` / ``csv``: facts and commitments, one record per line / row.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

FORMATS = ("popolo", "akn", "jsonl", "csv")
AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"


def export(store: Any, fmt: str, out: Path) -> list[Path]:
    """Write ``fmt`` to ``out``; returns the files written."""
    from communique.link.build import ensure_built

    ensure_built(store)
    if fmt == "popolo":
        return [_write_json(out, popolo(store))]
    if fmt == "akn":
        return akn(store, out)
    if fmt == "jsonl":
        return [jsonl(store, out)]
    if fmt == "csv":
        return csv_files(store, out)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def _write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _slug(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", code).strip("_") or "x"


# ------------------------------------------------------------------ popolo


def popolo(store: Any) -> dict[str, Any]:
    from communique.knowledge import load
    from communique.link.entities import all_persons
    from communique.link.timeline import facts

    kb = load()
    people = all_persons(store.conn)
    all_facts = [f for f in facts(store, build=False) if f.predicate != "position"]
    org_codes: set[str] = set()
    posts: dict[str, dict[str, Any]] = {}
    memberships: list[dict[str, Any]] = []
    for f in all_facts:
        sources = [{"url": s.file, "note": s.sentence} for s in f.sources[:3]]
        if f.predicate in ("member", "observer", "dialogue_partner"):
            org_codes.update({f.subject, f.object})
            memberships.append(
                {
                    "id": f"{f.predicate}/{f.subject}/{f.object}",
                    "organization_id": f.object,
                    "member": {"@type": "Organization", "id": f.subject},
                    "role": f.predicate,
                    "start_date": f.valid_from,
                    "end_date": f.valid_to,
                    "sources": sources,
                }
            )
        elif f.predicate == "office_holder":
            office = f.subject
            code = office.split(":")[0]
            parent = kb.entry(code).parent if kb.entry(code) else None
            country = office.split(":")[1] if ":" in office else None
            org = parent or country
            if org:
                org_codes.add(org)
            posts.setdefault(
                office,
                {
                    "id": office,
                    "label": f.subject_name or kb.name(code),
                    "organization_id": org,
                },
            )
            memberships.append(
                {
                    "id": f"office_holder/{office}/{f.object}/{f.valid_from}",
                    "person_id": f.object,
                    "post_id": office,
                    "organization_id": org,
                    "start_date": f.valid_from,
                    "end_date": f.valid_to,
                    "sources": sources,
                }
            )
        elif f.predicate == "seat":
            org_codes.add(f.subject)
    for code in list(org_codes):
        org_codes.update(kb.ancestors(code))
    organizations = []
    for code in sorted(org_codes):
        e = kb.entry(code)
        organizations.append(
            {
                "id": code,
                "name": kb.name(code),
                "classification": e.kind if e else None,
                "parent_id": e.parent if e else None,
                "other_names": [
                    {"name": n, "note": lang}
                    for lang, names in (e.names.items() if e else [])
                    for n in names[:3]
                ],
            }
        )
    return {
        "persons": [
            {
                "id": p.id,
                "name": p.name,
                "other_names": [{"name": n} for n in p.names[1:]],
                "identifiers": [{"scheme": "communique-key", "identifier": k} for k in p.keys],
            }
            for p in people
        ],
        "organizations": organizations,
        "memberships": memberships,
        "posts": sorted(posts.values(), key=lambda p: p["id"]),
    }


# ------------------------------------------------------------------ akoma ntoso

_TLC = {
    "person": "TLCPerson",
    "organization": "TLCOrganization",
    "body": "TLCOrganization",
    "state": "TLCLocation",
    "city": "TLCLocation",
    "place": "TLCLocation",
    "office": "TLCRole",
    "position": "TLCConcept",
    "instrument": "TLCReference",
}
_AKN_DOC = {"declaration": "doc", "communique": "doc", "press_release": "doc", "statement": "doc"}


def akn_document(store: Any, doc_id: int) -> bytes:
    """One stored document as Akoma Ntoso XML, with references to its entities."""
    from lxml import etree

    from communique.link.entities import person_index
    from communique.link.names import person_key

    detail = store.document(doc_id)
    if detail is None:
        raise KeyError(doc_id)
    info = detail.info
    pids = person_index(store.conn)
    ns = AKN_NS

    def sub(parent: Any, tag: str, **kw: Any) -> Any:
        return etree.SubElement(parent, f"{{{ns}}}{tag}", {k: str(v) for k, v in kw.items()})

    root = etree.Element(f"{{{ns}}}akomaNtoso", nsmap={None: ns})
    doc = sub(root, "doc", name=info.type or "document")
    meta = sub(doc, "meta")
    ident = sub(meta, "identification", source="#communique")
    date = info.date or "1900-01-01"
    org = (info.organization or "unknown").lower()
    work_uri = f"/akn/{org}/doc/{info.type or 'document'}/{date}/{info.sha256[:12]}"
    for level, uri in (
        ("FRBRWork", work_uri),
        ("FRBRExpression", f"{work_uri}/{info.language}@"),
        ("FRBRManifestation", f"{work_uri}/{info.language}@/main.xml"),
    ):
        frbr = sub(ident, level)
        sub(frbr, "FRBRthis", value=uri if level != "FRBRWork" else f"{uri}/main")
        sub(frbr, "FRBRuri", value=uri)
        sub(frbr, "FRBRdate", date=_iso_day(date), name="document")
        sub(frbr, "FRBRauthor", href=f"#{_slug(info.organization or 'unknown')}")
        if level == "FRBRWork":
            sub(frbr, "FRBRcountry", value=org)
        if level == "FRBRExpression":
            sub(frbr, "FRBRlanguage", language=info.language)
    refs = sub(meta, "references", source="#communique")
    sub(refs, "TLCOrganization", eId="communique", href="/communique", showAs="communique")
    seen: set[str] = set()
    for m in detail.mentions:
        if m.kind not in _TLC or m.kind == "instrument":
            continue
        value = m.value
        if m.kind == "person":
            value = pids.get(person_key(m.value), "person:" + person_key(m.value))
        eid = _slug(f"{m.kind}-{value}")
        if eid in seen:
            continue
        seen.add(eid)
        sub(
            refs,
            _TLC[m.kind],
            eId=eid,
            href=f"/ontology/{m.kind}/{_slug(value)}",
            showAs=m.surface[:120] if m.sentence >= 0 else value,
        )
    main = sub(doc, "mainBody")
    text = detail.text
    for p in detail.paragraphs:
        para = sub(main, "p", eId=f"para_{p.index + 1}")
        para.text = _xml_safe(text[p.start : p.end])
    if not detail.paragraphs:
        sub(main, "p").text = _xml_safe(text)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _iso_day(value: str) -> str:
    from communique.extract.dates import first_day

    try:
        return first_day(value)
    except (ValueError, IndexError):
        return "1900-01-01"


def _xml_safe(s: str) -> str:
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", s)


def akn(store: Any, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for doc_id, name in store.conn.execute("SELECT id, name FROM documents ORDER BY id"):
        path = out / (Path(name).stem + ".akn.xml")
        path.write_bytes(akn_document(store, doc_id))
        written.append(path)
    return written


def check_akn(data: bytes) -> list[str]:
    """Problems with an Akoma Ntoso document's structure (empty when it is sound).

    No package ships the OASIS schema, so this checks what the schema requires
    of a ``doc``: the namespace, meta/identification with the three FRBR levels
    each holding FRBRthis, FRBRuri, FRBRdate and FRBRauthor, a mainBody, and
    that every TLC reference has an eId, an href and a showAs, eIds unique.
    """
    from lxml import etree

    problems: list[str] = []
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        return [f"not XML: {exc}"]
    n = {"a": AKN_NS}
    if root.tag != f"{{{AKN_NS}}}akomaNtoso":
        problems.append("root is not akn:akomaNtoso")
    docs = root.xpath("a:*", namespaces=n)
    if len(docs) != 1:
        problems.append("akomaNtoso must hold exactly one document")
        return problems
    doc = docs[0]
    if not doc.get("name"):
        problems.append("document has no @name")
    ident = doc.xpath("a:meta/a:identification", namespaces=n)
    if len(ident) != 1:
        problems.append("meta/identification missing")
    else:
        for level in ("FRBRWork", "FRBRExpression", "FRBRManifestation"):
            el = ident[0].xpath(f"a:{level}", namespaces=n)
            if len(el) != 1:
                problems.append(f"{level} missing")
                continue
            for child in ("FRBRthis", "FRBRuri", "FRBRdate", "FRBRauthor"):
                if not el[0].xpath(f"a:{child}", namespaces=n):
                    problems.append(f"{level}/{child} missing")
            d = el[0].xpath("a:FRBRdate/@date", namespaces=n)
            if d and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d[0]):
                problems.append(f"{level}/FRBRdate/@date is not a day")
        if not ident[0].xpath("a:FRBRExpression/a:FRBRlanguage/@language", namespaces=n):
            problems.append("FRBRExpression/FRBRlanguage missing")
    ids: set[str] = set()
    for ref in doc.xpath("a:meta/a:references/*", namespaces=n):
        for attr in ("eId", "href", "showAs"):
            if not ref.get(attr):
                problems.append(f"{etree.QName(ref).localname} without @{attr}")
        eid = ref.get("eId")
        if eid in ids:
            problems.append(f"duplicate eId {eid}")
        ids.add(eid or "")
    if not doc.xpath("a:mainBody", namespaces=n):
        problems.append("mainBody missing")
    return problems


# ------------------------------------------------------------------ jsonl / csv


def _records(store: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from communique.link.followup import followups
    from communique.link.timeline import facts

    return (
        [f.to_dict() for f in facts(store, build=False)],
        [c.to_dict() for c in followups(store, build=False)],
    )


def jsonl(store: Any, out: Path) -> Path:
    fs, cs = _records(store)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for f in fs:
            fh.write(json.dumps({"record": "fact", **f}, ensure_ascii=False) + "\n")
        for c in cs:
            fh.write(json.dumps({"record": "commitment", **c}, ensure_ascii=False) + "\n")
    return out


_FACT_COLUMNS = [
    "subject",
    "subject_name",
    "predicate",
    "object",
    "object_name",
    "valid_from",
    "valid_to",
    "mode",
    "conflict",
    "file",
    "sentence_index",
    "start",
    "end",
    "sentence",
]
_COMMITMENT_COLUMNS = [
    "file",
    "date",
    "language",
    "sentence_index",
    "start",
    "end",
    "sentence",
    "deadline",
    "actor",
    "status",
    "timing",
    "evidence_file",
    "evidence_date",
    "evidence_sentence",
]


def csv_files(store: Any, out: Path) -> list[Path]:
    """``OUT`` for facts and ``OUT`` with ``.commitments`` before the suffix for commitments."""
    fs, cs = _records(store)
    out.parent.mkdir(parents=True, exist_ok=True)
    commitments_path = out.with_name(out.stem + ".commitments" + (out.suffix or ".csv"))
    fact_rows = []
    for f in fs:
        s = f["sources"][0] if f["sources"] else {}
        fact_rows.append(
            {
                **{k: f[k] for k in _FACT_COLUMNS if k in f},
                "file": s.get("file"),
                "sentence_index": s.get("sentence_index"),
                "start": (s.get("span") or [None])[0],
                "end": (s.get("span") or [None, None])[1],
                "sentence": s.get("sentence"),
            }
        )
    commitment_rows = []
    for c in cs:
        ev = c["evidence"][0] if c["evidence"] else {}
        commitment_rows.append(
            {
                **{k: c[k] for k in _COMMITMENT_COLUMNS if k in c},
                "start": c["span"][0],
                "end": c["span"][1],
                "evidence_file": ev.get("file"),
                "evidence_date": ev.get("date"),
                "evidence_sentence": ev.get("sentence"),
            }
        )
    _write_csv(out, _FACT_COLUMNS, fact_rows)
    _write_csv(commitments_path, _COMMITMENT_COLUMNS, commitment_rows)
    return [out, commitments_path]


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, columns)
        w.writeheader()
        w.writerows(rows)


__all__ = [
    "AKN_NS",
    "FORMATS",
    "akn",
    "akn_document",
    "check_akn",
    "csv_files",
    "export",
    "jsonl",
    "popolo",
]
