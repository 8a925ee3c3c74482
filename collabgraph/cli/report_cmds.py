"""``collabgraph report``: the partnership report to print for a DLT meeting."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from collabgraph.cli.analyze_cmds import (
    TargetArg,
    ThresholdOpt,
    TodayOpt,
    _today,
    load_graph,
    store_surveys,
)
from collabgraph.cli.app import command, console
from collabgraph.errors import CollabGraphError

__all__ = ["AudienceChoice", "report"]


class AudienceChoice(StrEnum):
    """Who the report is for."""

    ASSOCIATION = "association"
    PARTNER = "partner"


@command("report")
def report(
    target: TargetArg,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Where to write it: a .pdf or an .html file."),
    ] = Path("report.pdf"),
    audience: Annotated[
        AudienceChoice,
        typer.Option(
            "--audience",
            help="association: everything, names included; partner: the district side's "
            "copy, with no one named and network figures only over groups of 5 or more.",
        ),
    ] = AudienceChoice.ASSOCIATION,
    today: TodayOpt = None,
    threshold: ThresholdOpt = 0.5,
) -> None:
    """Write the partnership report: figures with their meaning, findings with the
    suggested changes, the structure chart and charts, on two to four pages.

    Response rates of the district's tie surveys go in too (--threshold flags the
    schools under it). A PDF is printed by headless Chromium (Debian's chromium package); an .html
    file prints from any browser.
    """
    from collabgraph.report import build_report, write_report

    if out.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise CollabGraphError(f"--out must end in .pdf or .html, not {out.name!r}")
    if out.exists() and out.is_dir():
        raise CollabGraphError(f"--out must be a file, but {out} is a folder")
    graph = load_graph(target)
    surveys = list(store_surveys(target, threshold).values())
    built = build_report(graph, audience.value, today=_today(today), surveys=surveys)
    try:
        path = write_report(built, out)
    except OSError as exc:
        raise CollabGraphError(f"cannot write {out}: {exc.strerror or exc}") from None
    console.print(escape(str(path)))
