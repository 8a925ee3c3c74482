"""The ``collabgraph`` command line: thin typer commands over the library."""

from __future__ import annotations

from collabgraph.cli import (
    access_cmds,  # noqa: F401
    analyze_cmds,  # noqa: F401
    generate_cmds,  # noqa: F401
    query_cmds,  # noqa: F401
    report_cmds,  # noqa: F401
    serve_cmds,  # noqa: F401
    store_cmds,  # noqa: F401
    survey_cmds,  # noqa: F401
    viz_cmds,  # noqa: F401
    workbook_cmds,  # noqa: F401  (registers commands)
)
from collabgraph.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``collabgraph`` console script."""
    app()
