"""Workbook commands: validate, summarize, schema, template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from collabgraph.cli.app import command, console, note_json, print_json, print_notes
from collabgraph.model import Workbook
from collabgraph.text_tables import FittedTable
from collabgraph.workbook import Encoding, load_workbook, load_workbook_noted
from collabgraph.workbook.schema import workbook_json_schema
from collabgraph.workbook.summary import summarize

__all__ = ["schema", "summary", "template", "validate"]

PathArg = Annotated[Path, typer.Argument(help="A .yaml, .json or .xlsx workbook, or a CSV folder.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _summary_table(wb: Workbook) -> Table:
    # Workbook text is printed as text: console markup in a name is not interpreted.
    table = FittedTable(title=Text(f"{wb.district.name} ({wb.district.id})"), title_justify="left")
    table.add_column("section")
    table.add_column("rows", justify="right")
    table.add_column("detail")
    facts = summarize(wb)
    for name, count in wb.counts().items():
        table.add_row(Text(name), Text(str(count)), Text(facts.details.get(name, "")))
    return table


@command()
def validate(path: PathArg, as_json: JsonOpt = False) -> None:
    """Check a workbook without writing anything; list every problem with its place."""
    wb, notes = load_workbook_noted(path)
    if as_json:
        print_json(
            {
                "ok": True,
                "district": wb.district.id,
                "counts": wb.counts(),
                "notes": [note_json(n) for n in notes],
            }
        )
        return
    console.print(f"[bold green]✓[/] {escape(str(path))} is a valid collabgraph/1 workbook")
    print_notes(notes)
    console.print(_summary_table(wb))


@command()
def summary(path: PathArg, as_json: JsonOpt = False) -> None:
    """Summarize a workbook file: rows per section and the key facts."""
    wb = load_workbook(path)
    if as_json:
        facts = summarize(wb)
        print_json({"district": wb.district.id, "counts": wb.counts(), "details": facts.details})
        return
    console.print(_summary_table(wb))


@command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of the workbook format (generated from the models)."""
    text = json.dumps(workbook_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(Text(f"wrote {out}"))


@command()
def template(
    out: Annotated[Path, typer.Argument(help="Where to write the empty workbook.")],
    fmt: Annotated[
        Encoding, typer.Option("--format", "-f", help="xlsx, csv (a folder) or yaml.")
    ] = Encoding.XLSX,
) -> None:
    """Write an empty, commented workbook ready to fill in."""
    from collabgraph.workbook.template import write_template

    written = write_template(out, fmt)
    console.print(Text(f"wrote an empty {fmt.value} workbook to {written}"))
    console.print(Text(f"fill it in, then check it with: collabgraph validate {written}"))
