"""Tables that fit the terminal without breaking words.

Rich narrows the widest columns first when a table is wider than the terminal,
down to equal widths, and then folds words in the middle ("Superintende / nt").
:class:`FittedTable` narrows the widest columns first too, but never below a
column's longest word. Used by every table the command line prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

__all__ = ["FittedTable", "column_widths"]


def _words(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _lines(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(columns: Sequence[Sequence[str]], available: int) -> list[int] | None:
    """Content widths for columns of text that fit ``available`` characters in all.

    Every column gets at least its longest word; the widest columns give way first,
    down to a common cap (so as many columns as possible show their longest line in
    full). When even the longest words do not all fit, only the columns with the
    longest words fold them. ``None`` when the texts fit as they are (no fixed width
    needed) or not even one character per column does.

    Parameters
    ----------
    columns : sequence of sequences of str
        Each column's texts, header first.
    available : int
        Characters for the content of all columns (borders and padding excluded).

    Examples
    --------
    >>> column_widths([["administration", "Assistant Superintendent"], ["score", "0.13"]], 20)
    [15, 5]
    >>> column_widths([["a long text here", "x"], ["another long one"], ["short"]], 30)
    [13, 12, 5]
    >>> column_widths([["Superintendent"], ["Professional"], ["score"]], 25)
    [10, 10, 5]
    >>> column_widths([["a", "b"], ["c"]], 20) is None
    True
    """
    least = [max((_words(t) for t in texts), default=1) or 1 for texts in columns]
    most = [
        max(max((_lines(t) for t in texts), default=1), w)
        for texts, w in zip(columns, least, strict=True)
    ]
    if sum(most) <= available:
        return None
    if sum(least) > available:  # some words must fold: only in the widest columns
        most, least = least, [1] * len(least)
        if sum(least) > available:
            return None

    def capped(cap: int) -> list[int]:
        return [max(w, min(m, cap)) for w, m in zip(least, most, strict=True)]

    low, high = 1, max(most)  # the largest cap that still fits
    while low < high:
        middle = (low + high + 1) // 2
        if sum(capped(middle)) <= available:
            low = middle
        else:
            high = middle - 1
    widths = capped(low)
    # what the cap left over goes, one character each, to the columns still cut
    for i in range(len(widths)):
        if sum(widths) < available and widths[i] < most[i]:
            widths[i] += 1
    return widths


class FittedTable(Table):
    """A rich :class:`~rich.table.Table` that keeps words whole when it must narrow.

    At each rendering, when the table is wider than the space it gets, its columns
    get the widths :func:`column_widths` gives for their header and cells; otherwise
    it renders as a plain table.

    Examples
    --------
    >>> from rich.console import Console
    >>> table = FittedTable("who", "title")
    >>> table.add_row("Ana", "Assistant Superintendent, Human Resources")
    >>> console = Console(width=30, record=True)
    >>> console.print(table)
    ┏━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┓
    ┃ who ┃ title                ┃
    ┡━━━━━╇━━━━━━━━━━━━━━━━━━━━━━┩
    │ Ana │ Assistant            │
    │     │ Superintendent,      │
    │     │ Human Resources      │
    └─────┴──────────────────────┘
    """

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        texts = [
            [_plain(column.header), *(_plain(cell) for cell in column.cells)]
            for column in self.columns
        ]
        border = 0 if self.box is None else len(self.columns) + 1
        padding = (self.padding[1] + self.padding[3]) * len(self.columns)
        width = options.max_width if self.width is None else min(self.width, options.max_width)
        widths = column_widths(texts, width - border - padding)
        kept = [column.width for column in self.columns]
        if widths is not None:
            for column, fixed in zip(self.columns, widths, strict=True):
                column.width = fixed if column.width is None else column.width
        try:
            yield from super().__rich_console__(console, options)
        finally:
            for column, old in zip(self.columns, kept, strict=True):
                column.width = old


def _plain(renderable: object) -> str:
    if isinstance(renderable, Text):
        return renderable.plain
    return renderable if isinstance(renderable, str) else ""
