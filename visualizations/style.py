"""One palette for every view and for the dashboard.

Sides keep the same color everywhere (the Okabe-Ito palette, readable by people
with the common forms of color blindness). The network view colors people by
their association role in shades of the association's color, so a reader who
has learned "vermillion = association" on one page is never misled on another.

Examples
--------
>>> SIDE_COLORS["labor"], SIDE_COLORS["management"]
('#D55E00', '#0072B2')
>>> side_color("nobody-knows")
'#8A8A8A'
>>> side_label("labor")
'Association'
"""

from __future__ import annotations

from typing import Final

from collabgraph.fonts import FONT_STACK as _FONT_STACK

__all__ = [
    "DESIRED_BORDER",
    "EDGE_COLOR",
    "FONT_STACK",
    "ROLE_COLORS",
    "ROLE_LABELS",
    "SEVERITY_COLORS",
    "SIDE_COLORS",
    "SIDE_LABELS",
    "SIDE_SHORT",
    "TEAM_COLORS",
    "UNKNOWN_COLOR",
    "css_variables",
    "side_color",
    "side_label",
]

#: The fonts every page and view asks for (:mod:`collabgraph.fonts`).
FONT_STACK: Final = _FONT_STACK

#: Fill color of each side (stakeholder group).
SIDE_COLORS: Final[dict[str, str]] = {
    "management": "#0072B2",
    "labor": "#D55E00",
    "board": "#009E73",
    "community": "#CC79A7",
    "external": "#E69F00",
}
#: Color of anything whose side is not known.
UNKNOWN_COLOR: Final = "#8A8A8A"

#: How each side is named on screen.
SIDE_LABELS: Final[dict[str, str]] = {
    "management": "Administration",
    "labor": "Association",
    "board": "School board",
    "community": "Parents and community",
    "external": "External partners",
}
#: Short names for small labels.
SIDE_SHORT: Final[dict[str, str]] = {
    "management": "Admin",
    "labor": "Assoc",
    "board": "Board",
    "community": "Community",
    "external": "Partner",
}

#: Association roles in the network view: shades of the association's color.
ROLE_COLORS: Final[dict[str, str]] = {
    "officer": "#8A3100",
    "building_rep": "#D55E00",
    "other": "#F2A66F",
}
ROLE_LABELS: Final[dict[str, str]] = {
    "officer": "Officer (president, vice president, negotiator...)",
    "building_rep": "Building representative",
    "other": "Other association role",
}

#: Border color of a structure a finding is about, by the finding's severity.
SEVERITY_COLORS: Final[dict[str, str]] = {
    "critical": "#B00020",
    "warning": "#B8860B",
    "advice": "#3C7DBF",
}

#: Team boxes in the structure chart: (fill, font) by team kind.
TEAM_COLORS: Final[dict[str, tuple[str, str]]] = {
    "dlt": ("#2F3E46", "#FFFFFF"),
    "slt": ("#52796F", "#FFFFFF"),
    "working_committee": ("#CAD2C5", "#1B1B1B"),
    "plc": ("#E0E7DD", "#1B1B1B"),
    "task_force": ("#E0E7DD", "#1B1B1B"),
    "other": ("#E0E7DD", "#1B1B1B"),
}

#: Border of a desired (placeholder) structure.
DESIRED_BORDER: Final = "#5F6368"
#: Default edge color.
EDGE_COLOR: Final = "#9AA0A6"


def side_color(side: str | None) -> str:
    """The color of a side (gray when unknown)."""
    return SIDE_COLORS.get(side or "", UNKNOWN_COLOR)


def side_label(side: str | None) -> str:
    """The on-screen name of a side."""
    if not side:
        return "Side not given"
    return SIDE_LABELS.get(side, side.replace("_", " ").capitalize())


def css_variables() -> str:
    """The palette as CSS custom properties (``--side-labor`` ...), for the dashboard.

    >>> css_variables().splitlines()[0]
    '--side-management: #0072B2;'
    """
    lines = [f"--side-{side}: {color};" for side, color in SIDE_COLORS.items()]
    lines += [f"--severity-{sev}: {color};" for sev, color in SEVERITY_COLORS.items()]
    lines.append(f"--side-unknown: {UNKNOWN_COLOR};")
    lines.append(f"--font-stack: {FONT_STACK};")
    return "\n".join(lines)
