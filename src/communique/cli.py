"""The ``communique`` command: ingest, list, show, search, extract, align, serve.

Tables and panels go to stdout through Rich; ``--json`` prints machine-readable
output instead (one JSON document, or JSON Lines for ``extract``). Progress
and per-file errors go to stderr so that stdout stays clean for pipes.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from communique import __version__

app = typer.Typer(
    name="communique",
    help="Official documents of intergovernmental organizations as a searchable, "
    "multilingual knowledge base with provenance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DbOpt = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="COMMUNIQUE_DB",
        help="SQLite database file (created when missing) or postgresql://user@host/database.",
        show_default=True,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="Only documents in this language.")]
TypeOpt = Annotated[str | None, typer.Option("--type", help="Only documents of this type.")]
OrgOpt = Annotated[str | None, typer.Option("--org", help="Only documents of this organization.")]
BodyOpt = Annotated[str | None, typer.Option("--body", help="Only documents of this body.")]
FromOpt = Annotated[
    str | None, typer.Option("--from", help="Dated on or after (YYYY, YYYY-MM, YYYY-MM-DD).")
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Dated on or before (YYYY, YYYY-MM, YYYY-MM-DD).")
]

_DEFAULT_DB = "communique.db"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"communique {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """communique: documents in, provenance-keeping knowledge out."""


def open_store(db: str | Path | None) -> Any:
    """The store in ``db`` (``None``: ``$COMMUNIQUE_DB`` or communique.db) for every
    command, the link layer's and the token ones included; a database this version
    cannot read ends the command with status 2."""
    from rich.markup import escape

    from communique.store import SchemaError, Store, default_db

    try:
        return Store.open(db if db is not None else default_db())
    except SchemaError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _one_line(text: str) -> str:
    """``text`` with control characters (newlines in file names) written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False))


def _filters(
    type_: str | None,
    org: str | None,
    body: str | None,
    date_from: str | None,
    date_to: str | None,
) -> dict[str, str | None]:
    """The document filters ``list`` and ``search`` share, dates checked before any query."""
    from communique.search.filters import parse_bound

    for name, value, upper in (("--from", date_from, False), ("--to", date_to, True)):
        if value:
            try:
                parse_bound(value, upper=upper)
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint=name) from exc
    return {
        "type": type_,
        "organization": org,
        "body": body,
        "date_from": date_from,
        "date_to": date_to,
    }


# ------------------------------------------------------------------------ ingest


@app.command()
def ingest(
    # readable=False: Click would refuse the whole batch for one unreadable
    # file; the store reports that file and goes on with the others.
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders to ingest.", readable=False)
    ],
    db: DbOpt = _DEFAULT_DB,
    workers: Annotated[
        int, typer.Option("--workers", "-j", help="Processes to use (0: one per CPU).")
    ] = 1,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            help="Run reading and extraction on a Dask cluster: its scheduler address"
            " (tcp://HOST:8786) or local:N (N local worker processes). Writes stay here.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Read, extract and store documents; files already stored are left as they are."""
    from contextlib import nullcontext

    from communique.pipeline import tune_collector
    from communique.store import IngestEvent

    tune_collector()  # this process does nothing but the batch
    engine_cm: Any = nullcontext(None)
    if dask is not None:
        from communique.distributed import DaskEngine

        try:
            engine_cm = DaskEngine(dask)
        except ValueError as exc:
            err.print(str(exc), markup=False)
            raise typer.Exit(2) from exc
    store = open_store(db)
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=err,
        transient=not err.is_terminal,
    )
    task = progress.add_task("ingest", total=None, current="")

    def on_event(event: IngestEvent) -> None:
        if event.kind == "start":
            progress.update(task, total=event.total)
        else:
            name = Path(event.path or "").name
            progress.update(task, completed=event.done, current=name)

    from communique.distributed import DaskUnavailable

    try:
        with store, engine_cm as engine, progress:
            report = store.ingest(paths, progress=on_event, workers=workers, engine=engine)
    except DaskUnavailable as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(2) from exc
    # One line per failed file on stderr, whatever the width of the terminal, so
    # that a log can be grepped; a newline in a file name must not split it.
    for r in report.failed:
        err.print(_one_line(f"{r.path}: {r.reason or 'failed'}"), markup=False, soft_wrap=True)

    if as_json:
        echo_json(report.to_dict())
    else:
        counts = report.counts()
        summary = Table(title="ingest", show_header=True)
        summary.add_column("status")
        summary.add_column("files", justify="right")
        for status in ("stored", "unchanged", "failed"):
            summary.add_row(status, str(counts[status]))
        out.print(summary)
        if report.failed:
            failed = Table(title="failed", show_header=True)
            failed.add_column("path", overflow="fold")
            failed.add_column("reason", overflow="fold")
            for r in report.failed:
                failed.add_row(r.path, r.reason or "")
            out.print(failed)
        out.print(f"{len(report.results)} files in {report.seconds:.2f} s -> {store.location}")
    raise typer.Exit(0 if report.ok else 1)


# -------------------------------------------------------------------------- list


@app.command("list")
def list_documents(
    db: DbOpt = _DEFAULT_DB,
    lang: LangOpt = None,
    type_: TypeOpt = None,
    org: OrgOpt = None,
    body: BodyOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many.")] = None,
    offset: Annotated[int, typer.Option("--offset")] = 0,
    sort: Annotated[
        str, typer.Option("--sort", help="date, -date, name, title, id, ingested (- descends).")
    ] = "date",
    as_json: JsonOpt = False,
) -> None:
    """List stored documents."""
    filters = _filters(type_, org, body, date_from, date_to)
    with open_store(db) as store:
        try:
            docs = store.documents(language=lang, **filters, limit=limit, offset=offset, sort=sort)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    if as_json:
        echo_json([d.to_dict() for d in docs])
        return
    table = Table(show_header=True)
    for col in ("id", "file", "lang", "type", "date", "org", "body"):
        table.add_column(col, no_wrap=True, justify="right" if col == "id" else "left")
    table.add_column("title", overflow="fold", ratio=1, min_width=20)
    for d in docs:
        table.add_row(
            str(d.id),
            d.name,
            d.language,
            d.type or "",
            d.date or "",
            d.organization or "",
            d.body or "",
            d.title or "",
        )
    out.print(table)
    out.print(f"{len(docs)} documents")


# -------------------------------------------------------------------------- show


def render_entities(text: str, mentions: list[Any]) -> str:
    """``text`` with every value that has a span marked as ``[[surface|kind:value]]``.

    Several values on one span share a mark (``[[surface|kind:value|kind:value]]``).
    Values inside others (a state inside a commitment's sentence) are marked
    inside the outer mark; a value whose span crosses an outer one's edge cannot
    be nested and is left out rather than cut in two.
    """
    # Values with the same span share one mark: [[Kazakhstan|state:KZ|meta:KZ]].
    labels: dict[tuple[int, int], list[str]] = {}
    for m in mentions:
        if 0 <= m.start < m.end <= len(text):
            label = f"{m.kind}:{m.value}" if m.value else m.kind
            bucket = labels.setdefault((m.start, m.end), [])
            if label not in bucket:
                bucket.append(label)
    # Each node: ((start, end), children); built with a stack of open spans.
    root: list[tuple[tuple[int, int], list[Any]]] = []
    stack: list[tuple[tuple[int, int], list[Any]]] = []
    for start, end in sorted(labels, key=lambda se: (se[0], -se[1])):
        while stack and stack[-1][0][1] <= start:
            stack.pop()
        if stack and end > stack[-1][0][1]:
            continue
        node: tuple[tuple[int, int], list[Any]] = ((start, end), [])
        (stack[-1][1] if stack else root).append(node)
        stack.append(node)

    def render(start: int, end: int, children: list[tuple[Any, list[Any]]]) -> str:
        parts: list[str] = []
        pos = start
        for (s, e), kids in children:
            parts.append(text[pos:s])
            parts.append(f"[[{render(s, e, kids)}|{'|'.join(labels[(s, e)])}]]")
            pos = e
        parts.append(text[pos:end])
        return "".join(parts)

    return render(0, len(text), root)


@app.command()
def show(
    doc_id: Annotated[int, typer.Argument(metavar="ID", help="Document id (see `list`).")],
    db: DbOpt = _DEFAULT_DB,
    entities: Annotated[
        bool, typer.Option("--entities", help="Mark every extracted value in the text.")
    ] = False,
    parallel: Annotated[
        str | None,
        typer.Option(
            "--parallel", metavar="LANG", help="Beside its version in LANG, sentence by sentence."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one document: metadata and text."""
    if parallel:
        _show_parallel(doc_id, db, parallel, as_json)
        return
    with open_store(db) as store:
        detail = store.document(doc_id)
    if detail is None:
        err.print(f"[red]error:[/red] no document {doc_id}")
        raise typer.Exit(1)
    if as_json:
        echo_json(detail.to_dict())
        return
    info = detail.info
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    rec = detail.record
    rows: list[tuple[str, Any]] = [
        ("file", info.name),
        ("path", info.path),
        ("language", info.language),
        ("type", info.type),
        ("title", info.title),
        ("date", info.date),
        ("place", info.place),
        ("organization", info.organization),
        ("body", info.body),
        ("states", ", ".join(rec.get("states") or [])),
        ("organizations", ", ".join(rec.get("organizations") or [])),
        ("sentences", info.sentences),
        ("values", len(detail.mentions)),
        ("warnings", "; ".join(detail.warnings)),
        ("sha256", info.sha256),
    ]
    for key, value in rows:
        if value not in (None, ""):
            grid.add_row(key, Text(str(value)))
    out.print(Panel(grid, title=f"document {info.id}", expand=False))
    body = render_entities(detail.text, detail.mentions) if entities else detail.text
    typer.echo(body)


def _show_parallel(doc_id: int, db: str, lang: str, as_json: bool) -> None:
    from communique.align.parallel import NoVersion, parallel

    with open_store(db) as store:
        try:
            view = parallel(store, doc_id, lang)
        except KeyError:
            err.print(f"[red]error:[/red] no document {doc_id}")
            raise typer.Exit(1) from None
        except NoVersion as exc:
            err.print(f"[red]error:[/red] {exc}", markup=True)
            raise typer.Exit(1) from None
    if as_json:
        echo_json(view.to_dict())
        return
    table = Table(
        show_header=True,
        title=f"document {view.document_id} ({view.language}) | "
        f"document {view.other_id} ({view.other_language})",
    )
    table.add_column("#", justify="right")
    table.add_column(view.language, overflow="fold", ratio=1)
    table.add_column(view.other_language, overflow="fold", ratio=1)
    for row in view.rows:
        label = ",".join(str(i) for i in row.source) + " | " + ",".join(str(j) for j in row.target)
        table.add_row(label, Text(row.source_text), Text(row.target_text))
    out.print(table)


# ------------------------------------------------------------------------ search


def _snippet_text(snippet: str) -> Text:
    text = Text()
    for part in re.split(r"(<mark>.*?</mark>)", snippet):
        if part.startswith("<mark>"):
            text.append(html.unescape(part[6:-7]), style="bold yellow")
        elif part:
            text.append(html.unescape(part))
    return text


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="Words to look for (any of en, zh, ru).")],
    db: DbOpt = _DEFAULT_DB,
    lang: LangOpt = None,
    type_: TypeOpt = None,
    org: OrgOpt = None,
    body: BodyOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Hits per page.")] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    cross: Annotated[
        bool | None,
        typer.Option(
            "--cross/--no-cross",
            help="Search across languages (by entity codes, dictionary and alignment) for the "
            "--lang asked; by default only when the query is not in that language.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Search sentences (BM25), best first."""
    filters = _filters(type_, org, body, date_from, date_to)
    with open_store(db) as store:
        result = store.search(
            query,
            lang=lang,
            **filters,
            limit=limit,
            offset=offset,
            facets=as_json,
            cross=cross,
        )
    if as_json:
        echo_json(
            {
                "query": result.query,
                "terms": result.terms,
                "mode": result.mode,
                "total": result.total,
                "total_documents": result.total_documents,
                "limit": result.limit,
                "offset": result.offset,
                "hits": [h.to_dict() for h in result.hits],
                "facets": result.facets,
            }
        )
        return
    table = Table(show_header=True)
    table.add_column("#", justify="right")
    table.add_column("score", justify="right")
    table.add_column("document", overflow="fold", max_width=28)
    table.add_column("sent.", justify="right")
    crossed = any(h.matched_via != "query" for h in result.hits)
    if crossed:
        table.add_column("via", overflow="fold", max_width=16)
    table.add_column("sentence", overflow="fold", ratio=1)
    for n, hit in enumerate(result.hits, start=offset + 1):
        cells = [str(n), f"{hit.score:.2f}", f"{hit.document_id}: {hit.file}"]
        cells.append(str(hit.sentence_index))
        if crossed:
            cells.append(f"{hit.matched_via} ({hit.matched_language or '?'})")
        table.add_row(*cells, _snippet_text(hit.snippet))
    out.print(table)
    mode = " (no sentence has every term: any term)" if result.mode == "OR" else ""
    docs = f" in {result.total_documents} documents" if result.total_documents >= 0 else ""
    out.print(f"{result.total} sentences{docs}{mode}")


# ----------------------------------------------------------------------- extract


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Files or folders.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON record per line (JSON Lines).")
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", "-j", help="Processes to use (0: one per CPU).")
    ] = 1,
) -> None:
    """Extract the record of each file without storing it."""
    from communique.pipeline import iter_process

    failed = 0
    for outcome in iter_process(files, workers=workers):
        if outcome.document is None:
            failed += 1
            err.print(f"{outcome.path}: {outcome.error}", markup=False)
            continue
        record = outcome.document.extraction.to_record()
        if as_json:
            typer.echo(json.dumps(record, ensure_ascii=False))
        else:
            typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
        sys.stdout.flush()
    raise typer.Exit(1 if failed else 0)


# ------------------------------------------------------------------------- align


@app.command()
def align(
    source: Annotated[Path, typer.Argument(help="A document.")],
    target: Annotated[Path, typer.Argument(help="The same document in another language.")],
    as_json: JsonOpt = False,
) -> None:
    """Align the sentences of a document with those of its translation."""
    from communique.align import cli_align

    try:
        result = cli_align(source, target)
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}", markup=True)
        raise typer.Exit(1) from exc
    if as_json:
        echo_json(result)
        return
    src = result.get("source_sentences", [])
    tgt = result.get("target_sentences", [])
    table = Table(show_header=True)
    table.add_column("source", overflow="fold")
    table.add_column("target", overflow="fold")
    for s_idx, t_idx in result.get("links", []):
        table.add_row(
            Text(" ".join(src[i] for i in s_idx)),
            Text(" ".join(tgt[i] for i in t_idx)),
        )
    out.print(table)


# ------------------------------------------------------------------ stats/delete


@app.command()
def stats(db: DbOpt = _DEFAULT_DB, as_json: JsonOpt = False) -> None:
    """Counts of what the database holds."""
    with open_store(db) as store:
        st = store.stats()
    if as_json:
        echo_json(st.to_dict())
        return
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for key, value in st.to_dict().items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        grid.add_row(key, Text(str(value)))
    out.print(Panel(grid, title="communique", expand=False))


@app.command()
def delete(
    doc_id: Annotated[int, typer.Argument(metavar="ID")],
    db: DbOpt = _DEFAULT_DB,
) -> None:
    """Delete a document and everything extracted from it."""
    with open_store(db) as store:
        gone = store.delete(doc_id)
    if not gone:
        err.print(f"[red]error:[/red] no document {doc_id}")
        raise typer.Exit(1)
    out.print(f"deleted document {doc_id}")


# ------------------------------------------------------------------------- serve


@app.command()
def serve(
    db: DbOpt = _DEFAULT_DB,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
) -> None:
    """Serve the REST API and the web UI."""
    import uvicorn

    from communique.service import create_app

    uvicorn.run(create_app(db), host=host, port=port)


def _register_commands() -> None:
    # The link layer (facts over time, commitments, positions, formulas, exports)
    # and API tokens bring their own commands; registering them here keeps
    # `communique --help` whole.
    from communique.auth import register as register_tokens
    from communique.link.cli import register as register_link

    register_link(app)
    register_tokens(app)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    app()
