"""The ``collabgraph`` console script (and ``python -m collabgraph``).

A command needs only its own module of :mod:`collabgraph.cli`: ``collabgraph
analyze`` has no use for the survey, account, report or server commands, whose
imports were about a tenth of its run on a large district. :func:`main` names
the command before importing the command line, which then registers just that
command's module (every module for ``--help``, ``--version`` or a name it does
not know, so those behave exactly as before). Importing :mod:`collabgraph.cli`
any other way registers every command, as it always has.
"""

from __future__ import annotations

import sys

__all__ = ["ONE_COMMAND", "main"]

#: The command this process runs, set by :func:`main` before :mod:`collabgraph.cli`
#: is imported (which reads it); ``None``: register every command.
ONE_COMMAND: str | None = None


def main() -> None:
    """Run the command line for the command named in ``sys.argv``."""
    global ONE_COMMAND
    ONE_COMMAND = sys.argv[1] if len(sys.argv) > 1 else None
    from collabgraph.cli import main as run

    run()
