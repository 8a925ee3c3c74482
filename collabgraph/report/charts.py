"""The partnership report's charts, drawn as SVG with matplotlib (offline, no browser).

Text stays text in the SVG (``svg.fonttype: none``), so the page's font stack
draws it, names in every script included; the output is the same for the same
input (a fixed hash salt, no dates in the metadata).

Examples
--------
>>> svg = line_chart_svg(["2024", "2025"], [[0.2, 0.3]], ["Density"], "Share")
>>> svg.startswith("<svg") and "2025" in svg
True
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from typing import Any, Final

__all__ = ["PALETTE", "bar_chart_svg", "line_chart_svg", "structure_chart_svg"]

#: Series colors (Okabe-Ito, as in the views).
PALETTE: Final = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_TEXT: Final = "#1B1B1B"
_GRID: Final = "#DDDDD6"


def _figure(width: float, height: float) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot()
    return fig, ax


def _svg(fig: Any) -> str:
    import matplotlib

    out = io.StringIO()
    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "collabgraph", "font.family": ["sans-serif"]}
    ):
        fig.savefig(
            out, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight"
        )
    text = out.getvalue()
    text = text[text.index("<svg") :]
    # The RDF metadata block names licence and schema addresses; the page needs none.
    return re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)


def _style(ax: Any, ylabel: str) -> None:
    ax.set_ylabel(ylabel, color=_TEXT, fontsize=9)
    ax.tick_params(colors=_TEXT, labelsize=8.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color=_GRID, linewidth=0.7)
    ax.set_axisbelow(True)


def line_chart_svg(
    labels: Sequence[str],
    series: Sequence[Sequence[float | None]],
    names: Sequence[str],
    ylabel: str,
    *,
    percent: bool = False,
) -> str:
    """A line chart (one line per series over ``labels``, gaps for ``None``) as SVG."""
    fig, ax = _figure(6.6, 2.5)
    xs = list(range(len(labels)))
    for k, (values, name) in enumerate(zip(series, names, strict=True)):
        pts = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        if not pts:
            continue
        ax.plot(
            [p[0] for p in pts],
            [p[1] for p in pts],
            marker="o",
            color=PALETTE[k % len(PALETTE)],
            label=name,
            linewidth=2,
        )
        for x, v in pts:
            ax.annotate(
                f"{v:.0%}" if percent else f"{v:.2f}",
                (x, v),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
                color=PALETTE[k % len(PALETTE)],
            )
    ax.set_xticks(xs, list(labels))
    ax.set_xlim(-0.5, max(len(labels) - 0.5, 0.5))
    if percent:
        ax.set_ylim(0, 1.12)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    _style(ax, ylabel)
    ax.legend(frameon=False, fontsize=8.5, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _svg(fig)


def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[float | None],
    ylabel: str,
    *,
    reference: float | None = None,
    reference_label: str = "",
    missing_label: str = "none",
) -> str:
    """One bar per label (``None``: no bar, ``missing_label`` written instead) as SVG,
    with an optional dashed reference line.

    >>> svg = bar_chart_svg(["Lincoln", "Grant"], [40.0, None], "Staff per rep", reference=30)
    >>> svg.startswith("<svg") and "Lincoln" in svg
    True
    """
    fig, ax = _figure(6.6, 2.6)
    xs = list(range(len(labels)))
    top = max([v for v in values if v is not None] + [reference or 0.0, 1.0])
    for x, v in zip(xs, values, strict=True):
        if v is None:
            ax.text(
                x,
                top * 0.04,
                missing_label,
                ha="center",
                va="bottom",
                fontsize=8,
                color="#B00020",
                rotation=90,
            )
            continue
        over = reference is not None and v > reference
        ax.bar([x], [v], width=0.62, color=PALETTE[1] if over else PALETTE[0])
        ax.annotate(
            f"{v:.0f}",
            (x, v),
            textcoords="offset points",
            xytext=(0, 3),
            ha="center",
            fontsize=8,
            color=_TEXT,
        )
    if reference is not None:
        ax.axhline(reference, color="#5F6368", linestyle="--", linewidth=1)
        ax.text(
            len(labels) - 0.5,
            reference,
            f" {reference_label}",
            va="bottom",
            ha="right",
            fontsize=8,
            color="#3C4043",
        )
    short = ["\n".join(textwrap.wrap(label, 14)[:2]) for label in labels]
    ax.set_xticks(xs, short, rotation=0 if len(labels) <= 8 else 60, ha="center")
    ax.set_ylim(0, top * 1.18)
    _style(ax, ylabel)
    return _svg(fig)


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def structure_chart_svg(
    top: Sequence[tuple[str, bool]],
    bands: Sequence[tuple[str, Sequence[tuple[str, bool]]]],
    meetings: Sequence[tuple[str, bool]],
) -> str:
    """The structure chart as a printable org chart (plain SVG: boxes, lines, text).

    Parameters
    ----------
    top
        The leadership team(s) at the top: ``(label, desired)``.
    bands
        ``(heading, boxes)`` under it, top to bottom; each box ``(label, desired)``
        (desired boxes are dashed). One trunk runs down the left margin and a bus
        above each band joins it, so no line crosses a box.
    meetings
        Standing meetings, in a column on the right.

    >>> svg = structure_chart_svg([("DLT", False)], [("SLTs", [("A <SLT>", True)])], [])
    >>> "A &lt;SLT&gt;" in svg, 'stroke-dasharray="5 3"' in svg
    (True, True)
    """
    cols, bw, gap, line, pad = 4, 132.0, 8.0, 11.0, 6.0
    area = cols * bw + (cols - 1) * gap  # the bands' width
    mx, mw = area + 26.0, 150.0  # the meetings column
    width = mx + mw
    parts: list[str] = []

    def block(
        x: float,
        y: float,
        w: float,
        label: str,
        desired: bool,
        fill: str,
        ink: str,
        size: float = 9.0,
        chars: int = 24,
    ) -> float:
        lines = textwrap.wrap(label, chars)[:4] or [""]
        h = len(lines) * line * size / 9.0 + 2 * pad
        stroke = "#5F6368" if desired else fill
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="4" '
            f'fill="{"#FFFFFF" if desired else fill}" stroke="{stroke}" stroke-width="1"'
            + (' stroke-dasharray="5 3"' if desired else "")
            + "/>"
        )
        for i, text in enumerate(lines):
            ty = y + pad + (i + 0.8) * line * size / 9.0
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{ty:.1f}" font-size="{size}" text-anchor="middle" '
                f'fill="{ink}">{_esc(text)}</text>'
            )
        return h

    y = 6.0
    tops = list(top) or [("No District Leadership Team yet", True)]
    tw = 190.0
    left = area / 2 - (len(tops) * tw + (len(tops) - 1) * gap) / 2
    tallest = 0.0
    for k, (label, desired) in enumerate(tops):
        tallest = max(
            tallest,
            block(left + k * (tw + gap), y, tw, label, desired, "#2F3E46", "#FFFFFF", 10.5, 30),
        )
    trunk_top = y + tallest / 2
    parts.append(
        f'<path d="M{left:.1f},{trunk_top:.1f} H2" stroke="#5F6368" fill="none" '
        'stroke-width="1.2"/>'
    )
    y += tallest + 22.0
    for heading, boxes in bands:
        if not boxes:
            continue
        parts.append(
            f'<path d="M2,{trunk_top:.1f} V{y:.1f} H{area:.1f}" stroke="#5F6368" fill="none" '
            'stroke-width="1.2"/>'
        )
        parts.append(
            f'<text x="8" y="{y + 13:.1f}" font-size="10" font-weight="700" fill="{_TEXT}">'
            f"{_esc(heading)} ({len(boxes)})</text>"
        )
        y += 20.0
        row_h = 0.0
        for i, (label, desired) in enumerate(boxes):
            c = i % cols
            if i and c == 0:
                y += row_h + gap
                row_h = 0.0
            row_h = max(row_h, block(c * (bw + gap), y, bw, label, desired, "#CAD2C5", _TEXT))
        y += row_h + 20.0
    my = 6.0
    if meetings:
        parts.append(
            f'<text x="{mx + mw / 2:.1f}" y="{my + 10:.1f}" font-size="10" font-weight="700" '
            f'text-anchor="middle" fill="{_TEXT}">Standing meetings ({len(meetings)})</text>'
        )
        my += 18.0
        for label, desired in meetings:
            my += block(mx, my, mw, label, desired, "#E3E6E8", _TEXT, 8.5, 28) + 5.0
    height = max(y, my) + 4.0
    head = (
        f'<svg xmlns="http:{"//"}www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="Structure chart">'
    )
    return "\n".join([head, *parts, "</svg>"])
