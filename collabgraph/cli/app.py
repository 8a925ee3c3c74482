"""The typer application and the one place where errors become exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import Any, Final, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from collabgraph.errors import CollabGraphError, Problem, WorkbookError
from collabgraph.jsontext import dumps_indented

__all__ = [
    "EXIT_USER_ERROR",
    "app",
    "command",
    "console",
    "err_console",
    "fail",
    "handled",
    "note_json",
    "print_json",
    "print_notes",
]

#: Exit code for bad input or a bad environment (never a traceback).
EXIT_USER_ERROR: Final = 2

app = typer.Typer(
    name="collabgraph",
    help="Map a district's labor-management partnership and find where it is thin.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def _print_version(value: bool) -> None:
    if value:
        from collabgraph import __version__
        from collabgraph.model import FORMAT

        sys.stdout.write(f"collabgraph {__version__} (workbook format {FORMAT})\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Map a district's labor-management partnership and find where it is thin."""


P = ParamSpec("P")
R = TypeVar("R")


def note_json(note: Problem) -> dict[str, Any]:
    """A note (or problem) as JSON: its place, the same place as text, the message, a code."""
    return {
        "location": note.location.as_dict(),
        "where": str(note.location),
        "message": note.message,
        "code": note.code,
    }


def print_notes(notes: Sequence[Problem], *, stderr: bool = False) -> None:
    """List what was read other than written, one line each."""
    if not notes:
        return
    out = err_console if stderr else console
    n = len(notes)
    out.print(f"[cyan]{n} note{'s' if n != 1 else ''}[/] (read other than written; no error):")
    for note in notes:
        out.print(f"  [cyan]{escape(str(note.location))}[/]: {escape(note.message)}")


def fail(error: CollabGraphError, *, as_json: bool = False) -> typer.Exit:
    """Report an error on stderr (or as JSON on stdout) and return the Exit to raise."""
    if as_json:
        payload: dict[str, Any] = {"ok": False, "error": type(error).__name__}
        if isinstance(error, WorkbookError):
            payload["problems"] = [note_json(p) for p in error.problems]
            payload["notes"] = [note_json(n) for n in error.notes]
        else:
            payload["message"] = str(error)
        print_json(payload)
    elif isinstance(error, WorkbookError):
        n = len(error.problems)
        err_console.print(
            f"[bold red]✗ {escape(error.source)}[/]: {n} problem{'s' if n != 1 else ''} found"
        )
        for problem in error.problems:
            err_console.print(
                f"  [yellow]{escape(str(problem.location))}[/]: {escape(problem.message)}"
            )
        print_notes(error.notes, stderr=True)
    else:
        err_console.print(f"[bold red]error:[/] {escape(str(error))}")
    return typer.Exit(EXIT_USER_ERROR)


def print_json(payload: Any) -> None:
    """Write JSON to stdout (no colors, no wrapping), indented by two spaces."""
    sys.stdout.write(dumps_indented(payload) + "\n")


def command(*args: Any, **kwargs: Any) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``app.command`` that turns a :class:`CollabGraphError` into exit code 2.

    Commands with a ``as_json`` parameter report errors as JSON when it is set.
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        run = handled(func)
        app.command(*args, **kwargs)(run)
        return run

    return decorate


def handled(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` with a :class:`CollabGraphError` turned into exit code 2 (as JSON when the
    command's ``as_json`` is set): for commands registered on a sub-app."""

    @functools.wraps(func)
    def run(*a: P.args, **kw: P.kwargs) -> R:
        try:
            return func(*a, **kw)
        except CollabGraphError as error:
            raise fail(error, as_json=bool(kw.get("as_json"))) from None

    return run
