"""The ``collabgraph`` console script (and ``python -m collabgraph``).

A command needs only its own module of :mod:`collabgraph.cli`: ``collabgraph
analyze`` has no use for the survey, account, report or server commands, whose
imports were about a tenth of its run on a large district. :func:`main` names
the command before importing the command line, which then registers just that
command's module (every module for ``--help``, ``--version`` or a name it does
not know, so those behave exactly as before). Importing :mod:`collabgraph.cli`
any other way registers every command, as it always has.

When the command is done, :func:`run` (the console script and ``python -m
collabgraph``) ends the process without tearing down every object
and module it holds (a 1,000-school load holds hundreds of thousands, and
freeing them one by one took about a sixth of the command's time): the exit
handlers run and the output is flushed first, as a normal exit does; a process
with other threads still running exits the normal way.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

__all__ = ["ONE_COMMAND", "main", "run"]

#: The command this process runs, set by :func:`main` before :mod:`collabgraph.cli`
#: is imported (which reads it); ``None``: register every command.
ONE_COMMAND: str | None = None


def main() -> None:
    """Run the command line for the command named in ``sys.argv``."""
    global ONE_COMMAND
    ONE_COMMAND = sys.argv[1] if len(sys.argv) > 1 else None
    from collabgraph.cli import main as run_cli

    run_cli()


def run() -> None:
    """The console script: :func:`main`, then the end of the process (see the module)."""
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    _end(code)


def _end(code: object) -> None:
    """End the process with ``code`` without the interpreter's teardown (see the module)."""
    if not isinstance(code, int | None) or threading.active_count() > 1:
        raise SystemExit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: let Python report it as it would
        raise SystemExit(code) from None
    os._exit(code or 0)
