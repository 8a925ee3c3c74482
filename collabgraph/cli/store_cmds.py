"""Store commands: load, export, stats, districts, delete, status, stop.

Every command takes ``--store embedded|neo4j`` (or ``COLLABGRAPH_STORE``); the
default is the embedded FalkorDB unless ``NEO4J_URI`` is set.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from collabgraph.cli import audit_trail
from collabgraph.cli.app import command, console, err_console, note_json, print_json, print_notes
from collabgraph.errors import CollabGraphError, Location, Problem, WorkbookError
from collabgraph.model import Workbook
from collabgraph.store import (
    Counts,
    LoadSummary,
    Store,
    StoreError,
    StoreSettings,
    UnknownDistrict,
    open_store,
)
from collabgraph.text_tables import FittedTable
from collabgraph.workbook.changes import WorkbookChanges, changes_before_load

__all__ = ["delete", "districts", "export", "load", "stats", "status", "stop"]

#: Show a progress bar when a load writes at least this many rows.
PROGRESS_ROWS = 5000

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="COLLABGRAPH_STORE",
        help="embedded (FalkorDB in your data folder) or neo4j (NEO4J_URI).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
DistrictArg = Annotated[str, typer.Argument(help="The district's id, e.g. abc-unified.")]


class ExportFormat(StrEnum):
    """What ``collabgraph export`` can write."""

    YAML = "yaml"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"
    GRAPHML = "graphml"
    GEXF = "gexf"
    NODES_CSV = "nodes-csv"
    EDGES_CSV = "edges-csv"
    UCINET_DL = "ucinet-dl"
    PAJEK = "pajek"


_WORKBOOK_FORMATS = frozenset(
    {ExportFormat.YAML, ExportFormat.JSON, ExportFormat.CSV, ExportFormat.XLSX}
)


def _store(choice: str | None) -> Store:
    return open_store(StoreSettings.from_env(choice))


def _counts_table(title: str, counts: Counts) -> Table:
    table = FittedTable(title=title, title_justify="left")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, n in sorted(counts.nodes.items()):
        table.add_row("node", escape(label), str(n))
    for rel, n in sorted(counts.relationships.items()):
        table.add_row("relationship", escape(rel), str(n))
    table.add_row("", "total", f"{counts.node_total} nodes, {counts.relationship_total} rel.")
    return table


def _changes(db: Store, wb: Workbook, *, replace: bool) -> WorkbookChanges | None:
    """What loading ``wb`` changes, per section (``None`` for a very large reload)."""
    district = wb.district.id
    stored = (lambda: db.read_workbook(district)) if db.has_district(district) else None
    return changes_before_load(stored, wb, replace=replace)


def _summary_lines(s: LoadSummary, changes: WorkbookChanges | None) -> list[str]:
    what = "new district" if s.new_district else ("replaced" if s.replaced else "updated")
    lines = [
        f"[bold green]✓[/] {escape(s.district)} loaded into the {s.store} store ({what}, "
        f"{s.seconds:.2f} s)"
    ]
    if changes is None:
        return [
            *lines,
            f"  nodes: {s.nodes_created} created, {s.nodes_deleted} removed; relationships: "
            f"{s.relationships_created} created, {s.relationships_deleted} removed (a "
            f"district this large is not compared row by row)",
            f"  now: {s.after.node_total} nodes, {s.after.relationship_total} relationships",
        ]
    changed = [(name, part) for name, part in changes.sections.items() if part.any]
    if not changed:
        lines.append(f"  {escape(changes.sentence())}")
    for name, part in changed:
        bits = [
            f"{getattr(part, word)} {word}"
            for word in ("added", "changed", "removed")
            if getattr(part, word)
        ]
        lines.append(f"  {name}: {', '.join(bits)}")
    kept = changes.totals().kept
    if kept and changed:
        lines.append(
            f"  {kept} stored rows the workbook does not list were kept (--replace removes them)"
        )
    lines.append(f"  now: {s.after.node_total} nodes, {s.after.relationship_total} relationships")
    return lines


@command()
def load(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="One or more workbooks: .yaml, .json or .xlsx files, or CSV folders.",
            show_default=False,
        ),
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Make the district exactly this workbook (remove what it lacks)."
        ),
    ] = False,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Validate workbooks, then load each into the store (all or nothing per district).

    With several workbooks (a state's districts: ``collabgraph load state/*.yaml``)
    every one is validated before the first is written; one bad workbook stops
    the whole run with every problem listed, and nothing is loaded.
    """
    workbooks, notes = _read_all(paths)  # every problem is reported before anything is written
    db = _store(store)
    summaries: list[LoadSummary] = []
    changes: list[WorkbookChanges | None] = []
    for wb in workbooks:
        try:
            change = _changes(db, wb, replace=replace)
            summaries.append(_load_one(db, wb, replace=replace, quiet=as_json))
            changes.append(change)
            audit_trail.record(db, "write: cli load", wb.district.id)
        except CollabGraphError as exc:
            if not summaries:
                raise
            done = ", ".join(s.district for s in summaries)
            raise CollabGraphError(
                f"{exc}\n{len(summaries)} of {len(workbooks)} districts were loaded before "
                f"this ({done}); {wb.district.id} and the ones after it are as they were. "
                "Loading is idempotent: run the same command again to finish."
            ) from exc
    if as_json:
        loaded = [
            {**s.model_dump(), "changes": c.model_dump() if c is not None else None}
            for s, c in zip(summaries, changes, strict=True)
        ]
        extra = {"notes": [note_json(n) for n in notes]}
        if len(loaded) == 1:
            print_json({"ok": True, **loaded[0], **extra})
        else:
            print_json({"ok": True, "loaded": loaded, **extra})
        return
    print_notes(notes)
    for summary, change in zip(summaries, changes, strict=True):
        for line in _summary_lines(summary, change):
            console.print(line)


def _read_all(paths: list[Path]) -> tuple[list[Workbook], list[Problem]]:
    """Read and validate every workbook; raise one error listing all problems.

    Returns the workbooks and the notes on what was read other than written.
    """
    from collabgraph.store.rows import no_gc_pauses
    from collabgraph.workbook import load_workbook_noted

    workbooks: list[Workbook] = []
    problems: list[Problem] = []
    notes: list[Problem] = []
    failed = 0
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            # Tens of thousands of rows become objects at once: without the cyclic
            # collector rescanning them over and over, a 1,000-school load takes half the time.
            with no_gc_pauses():
                wb, noted = load_workbook_noted(path)
        except WorkbookError as exc:
            failed += 1
            problems.extend(exc.problems)
            notes.extend(exc.notes)
            continue
        notes.extend(noted)
        first = seen.setdefault(wb.district.id, path)
        if first != path:
            failed += 1
            problems.append(
                Problem(
                    Location(file=str(path), path="district.id"),
                    f"district {wb.district.id!r} is also described by {first}; "
                    "load one workbook per district",
                    code="duplicate_district",
                )
            )
            continue
        workbooks.append(wb)
    if problems:
        source = str(paths[0]) if len(paths) == 1 else f"{failed} of {len(paths)} workbooks"
        raise WorkbookError(problems=problems, source=source, notes=notes)
    return workbooks, notes


def _load_one(db: Store, wb: Workbook, *, replace: bool, quiet: bool) -> LoadSummary:
    if quiet or sum(wb.counts().values()) < PROGRESS_ROWS:
        return db.upsert_workbook(wb, replace=replace)
    with Progress(
        TextColumn("loading {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(wb.district.id, total=None)

        def advance(rows: int, total: int) -> None:
            bar.update(task, advance=rows, total=total)

        return db.upsert_workbook(wb, replace=replace, progress=advance)


@command()
def export(
    district: DistrictArg,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="A workbook: yaml, json, csv (a folder), xlsx. The graph: graphml, gexf, "
            "nodes-csv, edges-csv. The rep network: ucinet-dl, pajek.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The file (or folder, for csv).")],
    wave: Annotated[
        str | None,
        typer.Option("--wave", help="ucinet-dl, pajek: only this survey wave (and undated ties)."),
    ] = None,
    members: Annotated[
        bool,
        typer.Option(
            "--members", help="ucinet-dl, pajek: add association members who hold no position."
        ),
    ] = False,
    store: StoreOpt = None,
) -> None:
    """Write a district from the store as a workbook or as a graph file (Gephi, UCINET, R...)."""
    db = _store(store)
    if fmt not in _WORKBOOK_FORMATS:
        from collabgraph.export import export_graph
        from collabgraph.workbook.tabular import write_file_atomic

        data = export_graph(db.read_graph(district), fmt.value, wave=wave, include_members=members)
        write_file_atomic(out, data)
    else:
        from collabgraph.workbook import write_workbook

        wb = db.read_workbook(district)
        try:
            write_workbook(wb, out, fmt.value)
        except OSError as exc:
            raise StoreError(f"cannot write {out}: {exc.strerror or exc}") from exc
    audit_trail.record(db, "export: cli export", district)
    console.print(f"wrote {escape(district)} as {fmt.value} to {escape(str(out))}")


@command()
def stats(
    district: Annotated[
        str | None, typer.Argument(help="One district; all of them when left out.")
    ] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Nodes per label and relationships per type, for one district or the whole store."""
    db = _store(store)
    if district is not None:
        if not db.has_district(district):
            raise UnknownDistrict(district, db.list_districts())
        counts = db.counts(district)
        if as_json:
            print_json({"district": district, **counts.model_dump()})
        else:
            console.print(_counts_table(f"district {escape(district)}", counts))
        return
    per = {d: db.counts(d) for d in db.list_districts()}
    if as_json:
        print_json({d: c.model_dump() for d, c in per.items()})
        return
    table = FittedTable(title="districts in the store", title_justify="left")
    table.add_column("district")
    table.add_column("nodes", justify="right")
    table.add_column("relationships", justify="right")
    for d, c in per.items():
        table.add_row(escape(d), str(c.node_total), str(c.relationship_total))
    console.print(table)


@command()
def districts(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """List the districts in the store."""
    db = _store(store)
    ids = db.list_districts()
    if as_json:
        print_json(ids)
        return
    if not ids:
        console.print("the store has no districts yet: load one with `collabgraph load FILE`")
    for d in ids:
        console.print(escape(d))


@command()
def delete(
    district: DistrictArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    store: StoreOpt = None,
) -> None:
    """Remove a district and everything in it (the embedded store also purges it from disk)."""
    db = _store(store)
    if not db.has_district(district):
        raise UnknownDistrict(district, db.list_districts())
    if not yes:
        if not sys.stdin.isatty():
            raise StoreError(f"not deleting {district!r} without --yes (no terminal to ask)")
        typer.confirm(f"Delete district {district!r} and everything in it?", abort=True)
    db.delete_district(district)
    audit_trail.record(db, "write: cli delete", district)
    console.print(f"deleted district {escape(district)}")


@command()
def status(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Which store is in use, where it is, its version, and what it holds."""
    info = _store(store).status()
    if as_json:
        print_json(info.model_dump())
        return
    console.print(f"store:     {info.kind}")
    console.print(f"where:     {escape(info.where)}")
    console.print(f"version:   {escape(info.version)}")
    console.print(f"districts: {len(info.districts)} ({escape(', '.join(info.districts))})")
    console.print(
        f"contents:  {info.counts.node_total} nodes, {info.counts.relationship_total} relationships"
    )
    for key, value in info.details.items():
        console.print(f"{key + ':':<10} {escape(value)}")


@command()
def stop(as_json: JsonOpt = False) -> None:
    """Stop the embedded store's server (it keeps running between commands; data stays)."""
    from collabgraph.store.embedded import EmbeddedServer, default_data_dir

    settings = StoreSettings.from_env("embedded")
    folder = settings.data_dir or default_data_dir()
    stopped = EmbeddedServer(folder).stop()
    if as_json:
        print_json({"ok": True, "stopped": stopped, "data_dir": str(folder)})
    elif stopped:
        console.print(f"stopped the embedded store server of {escape(str(folder))} (data kept)")
    else:
        console.print(f"no embedded store server is running for {escape(str(folder))}")
