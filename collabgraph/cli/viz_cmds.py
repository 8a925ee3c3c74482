"""``collabgraph viz``: write a district's interactive views as self-contained HTML files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from collabgraph.cli.analyze_cmds import TargetArg, load_graph
from collabgraph.cli.app import command, console
from collabgraph.district_view import DistrictView
from collabgraph.errors import CollabGraphError
from collabgraph.safety.ids import inside

__all__ = ["ViewChoice", "viz"]


class ViewChoice(StrEnum):
    """Which view(s) to write."""

    NETWORK = "network"
    STRUCTURE = "structure"
    COUNTERPARTS = "counterparts"
    ALL = "all"


@command("viz")
def viz(
    target: TargetArg,
    view: Annotated[
        ViewChoice, typer.Option("--view", help="The view to write, or all three.")
    ] = ViewChoice.ALL,
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the pages to (created if missing).")
    ] = Path("views"),
) -> None:
    """Write the network map, structure chart and counterparts view as HTML pages.

    Each page works offline (nothing is fetched when it is opened); open it in
    any browser. Files are named <district>-<view>.html.
    """
    from visualizations import VIEW_KINDS, build_view, write_view

    graph = load_graph(target)
    district = DistrictView(graph).district_key()
    stem = district.split(":", 1)[1] if district else "district"
    kinds = [k for k in VIEW_KINDS if view is ViewChoice.ALL or k == view.value]
    if out.exists() and not out.is_dir():
        raise CollabGraphError(f"--out must be a folder, but {out} is a file")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CollabGraphError(f"cannot create the folder {out}: {exc.strerror}") from None
    for kind in kinds:
        page = build_view(kind, graph)
        try:
            path = write_view(page, inside(out, f"{stem}-{kind}.html"))
        except OSError as exc:
            raise CollabGraphError(f"cannot write into {out}: {exc.strerror}") from None
        console.print(escape(str(path)))
