"""The link layer's commands: ``link``, ``facts``, ``at``, ``commitments``, ``positions``,
``formulas``, ``export``. ``register(app)`` adds them to the main Typer app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

out = Console(highlight=False)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite database file or postgresql:// URL (default: $COMMUNIQUE_DB or communique.db).",
    ),
]


# communique.cli imports this module while it is itself being imported, so its
# helpers are looked up when a command runs.
def _open(db: str | None) -> Any:
    from communique.cli import open_store

    return open_store(db)


def _emit(data: Any) -> None:
    from communique.cli import echo_json

    echo_json(data)


def _day(value: str, name: str) -> str:
    from communique.extract.dates import first_day

    try:
        return first_day(value)
    except (ValueError, IndexError) as exc:
        raise typer.BadParameter(f"not a date: {value!r}", param_hint=name) from exc


def _source(f: dict[str, Any]) -> str:
    s = f["sources"][0] if f["sources"] else None
    return f"{s['file']}#{s['sentence_index']}" if s else ""


def _table(*columns: str, title: str | None = None) -> Table:
    t = Table(title=title, show_header=True)
    for col in columns:
        t.add_column(col, overflow="fold")
    return t


def _fact_table(rows: list[dict[str, Any]], title: str | None = None) -> Table:
    t = _table("subject", "predicate", "object", "from", "to", "mode", "source", title=title)
    for f in rows:
        t.add_row(
            f["subject_name"] or f["subject"],
            f["predicate"],
            f["object_name"] or f["object"],
            f["valid_from"] or "",
            f["valid_to"] or "",
            f["mode"] + (" conflict" if f["conflict"] else ""),
            _source(f),
        )
    return t


def facts_cmd(
    db: DbOpt = None,
    subject: Annotated[
        str | None, typer.Option("--subject", help="A code (RATS, KZ, SCO).")
    ] = None,
    predicate: Annotated[str | None, typer.Option("--predicate", help="member, seat, ...")] = None,
    at: Annotated[str | None, typer.Option("--at", help="Only facts valid on this day.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Facts (subject, predicate, object) with their validity and source sentences."""
    from communique.link.timeline import facts

    day = _day(at, "--at") if at else None
    with _open(db) as store:
        rows = [f.to_dict() for f in facts(store, subject=subject, predicate=predicate, at=day)]
    if as_json:
        _emit(rows)
    else:
        out.print(_fact_table(rows))


def at_cmd(
    date: Annotated[str, typer.Argument(help="YYYY, YYYY-MM or YYYY-MM-DD.")],
    db: DbOpt = None,
    organization: Annotated[str, typer.Option("--organization", help="Its code.")] = "SCO",
    as_json: JsonOpt = False,
) -> None:
    """What was true of an organization on a day, each item with its source sentence."""
    from communique.link.timeline import state_at

    day = _day(date, "DATE")
    with _open(db) as store:
        state = state_at(store, day, organization.upper())
    if as_json:
        _emit(state)
        return
    for key in (
        "members",
        "observers",
        "dialogue_partners",
        "seats",
        "office_holders",
        "presidency",
        "memoranda",
        "instruments",
    ):
        if state[key]:
            out.print(_fact_table(state[key], title=f"{key} on {state['date']}"))


def commitments_cmd(
    db: DbOpt = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="fulfilled, in_progress, open, overdue, superseded."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Every commitment with its follow-up status and the evidence for it."""
    from communique.link.followup import STATUSES, followups

    if status is not None and status not in STATUSES:
        raise typer.BadParameter(f"one of {', '.join(STATUSES)}", param_hint="--status")
    with _open(db) as store:
        rows = [f.to_dict() for f in followups(store, status=status)]
    if as_json:
        _emit(rows)
        return
    t = _table("date", "file", "deadline", "status", "timing", "commitment", "evidence")
    for r in rows:
        ev = r["evidence"][0] if r["evidence"] else None
        t.add_row(
            r["date"] or "",
            r["file"],
            r["deadline"] or "",
            r["status"],
            r["timing"] or "",
            r["sentence"][:160],
            f"{ev['file']} ({ev['date']}): {(ev['sentence'] or '')[:120]}" if ev else "",
        )
    out.print(t)


def positions_cmd(
    issue: Annotated[str, typer.Argument(help="An issue code (TERRORISM, AFGHANISTAN, ...).")],
    db: DbOpt = None,
    organization: Annotated[str | None, typer.Option("--organization")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The organization's stated positions on an issue, in date order, versions grouped."""
    from communique.knowledge import load
    from communique.link.drift import positions

    issues = load().issues
    if issue.strip().upper() not in issues:
        # the API answers 404 here; an empty table would read as "never said anything"
        typer.echo(
            f"error: no issue {issue!r}; known issues: {', '.join(sorted(issues))}", err=True
        )
        raise typer.Exit(2)
    with _open(db) as store:
        rows = positions(store, issue, organization=organization)
    if as_json:
        _emit(rows)
        return
    t = _table("date", "body", "language", "file", "sentence")
    for g in rows:
        for v in g["versions"]:
            for s in v["sentences"]:
                t.add_row(g["date"] or "", g["body"] or "", v["language"], v["file"], s["sentence"])
    out.print(t)


def formulas_cmd(
    db: DbOpt = None,
    min_documents: Annotated[int, typer.Option("--min-documents", min=2)] = 2,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 50,
    lang: Annotated[str | None, typer.Option("--lang")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Recurring formulas, their first and last appearance and each change of wording."""
    from communique.link.drift import formulas

    with _open(db) as store:
        rows = formulas(store, min_documents=min_documents, limit=limit, language=lang)
    if as_json:
        _emit(rows)
        return
    t = _table("formula", "docs", "first", "last", "changes")
    for r in rows:
        t.add_row(
            r["formula"],
            str(r["documents"]),
            f"{r['first']['date']} {r['first']['file']}",
            f"{r['last']['date']} {r['last']['file']}",
            "\n".join(" ".join(c["diff"]) for c in r["changes"]),
        )
    out.print(t)


def link_cmd(
    db: DbOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild every document, not only new ones.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Build the link rows (facts, entities, evidence, commitments) of new documents now.

    Without it they are built the first time a command or a page needs them,
    and that first user waits for every document ingested since.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from communique.link.build import ensure_built

    err = Console(stderr=True, highlight=False)
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=not err.is_terminal,
    )
    task = bar.add_task("link", total=None)
    with _open(db) as store, bar:
        report = ensure_built(
            store,
            force=force,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if as_json:
        _emit(report.to_dict())
        return
    out.print(
        f"linked {report.built} document(s), {report.kept} already linked, in {report.seconds:.1f} s"
    )


def export_cmd(
    out_path: Annotated[Path, typer.Argument(help="File (popolo, jsonl, csv) or folder (akn).")],
    fmt: Annotated[str, typer.Option("--format", help="popolo, akn, jsonl or csv.")] = "jsonl",
    db: DbOpt = None,
) -> None:
    """Export entities, facts and commitments (Popolo, Akoma Ntoso, JSON Lines, CSV)."""
    from communique.export import FORMATS, export

    if fmt not in FORMATS:
        raise typer.BadParameter(f"one of {', '.join(FORMATS)}", param_hint="--format")
    with _open(db) as store:
        written = export(store, fmt, out_path)
    typer.echo(f"{len(written)} file(s) written to {out_path}", err=True)


def register(app: typer.Typer) -> None:
    """Add the link layer's commands to ``app``."""
    app.command("link")(link_cmd)
    app.command("facts")(facts_cmd)
    app.command("at")(at_cmd)
    app.command("commitments")(commitments_cmd)
    app.command("positions")(positions_cmd)
    app.command("formulas")(formulas_cmd)
    app.command("export")(export_cmd)


__all__ = ["register"]
