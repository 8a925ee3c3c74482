"""The ``collabgraph`` command line: thin typer commands over the library.

Importing this package registers every command on :data:`app`, except when the
console script (:mod:`collabgraph.entry`) runs one command it knows: then only
that command's module is imported (see :data:`COMMANDS`).
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Final

from collabgraph.cli.app import app

__all__ = ["COMMANDS", "MODULES", "app", "load_commands", "main"]

#: Every command module of the package (importing one registers its commands).
MODULES: Final = (
    "access_cmds",
    "analyze_cmds",
    "generate_cmds",
    "query_cmds",
    "report_cmds",
    "serve_cmds",
    "store_cmds",
    "survey_cmds",
    "viz_cmds",
    "workbook_cmds",
)

#: The module of each top-level command and command group (a test keeps it whole).
COMMANDS: Final = {
    **dict.fromkeys(("load", "export", "stats", "districts", "delete"), "store_cmds"),
    **dict.fromkeys(("status", "stop"), "store_cmds"),
    **dict.fromkeys(("audit", "users", "person"), "access_cmds"),
    **dict.fromkeys(("analyze", "worksheet"), "analyze_cmds"),
    "generate": "generate_cmds",
    **dict.fromkeys(("query", "queries"), "query_cmds"),
    "report": "report_cmds",
    "serve": "serve_cmds",
    "viz": "viz_cmds",
    **dict.fromkeys(("validate", "summary", "schema", "template"), "workbook_cmds"),
    "survey": "survey_cmds",
}


def load_commands(command: str | None = None) -> None:
    """Register the commands: only ``command``'s module when it is a known command,
    else every module."""
    for name in (COMMANDS[command],) if command in COMMANDS else MODULES:
        import_module(f"{__name__}.{name}")


def main() -> None:
    """Entry point of the command line (see :mod:`collabgraph.entry`)."""
    app()


_entry = sys.modules.get("collabgraph.entry")
load_commands(getattr(_entry, "ONE_COMMAND", None))
