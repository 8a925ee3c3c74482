"""Server-side rendering for the dashboard: templates, figures and small formatters.

The templates live in ``api/templates`` and are rendered with autoescaping on,
so every name, message and suggestion that came from a workbook is shown as
text. The page style comes from ``api/static/dashboard.css`` plus the shared
palette of :mod:`visualizations.style` (sides keep their colors across the views
and the dashboard).
"""

from __future__ import annotations

import functools
import site
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.cache import AnalysisCache
from api.results import counterpart_report, gap_report, network_report
from api.routes.districts import district_public
from api.security import csrf_for, principal_of
from collabgraph import __version__
from collabgraph.meanings import MEANINGS
from collabgraph.store import Store
from visualizations.style import SIDE_COLORS, SIDE_LABELS, css_variables

__all__ = [
    "EXAMPLE_DISTRICT",
    "SEVERITIES",
    "TEMPLATES",
    "DistrictFigures",
    "district_figures",
    "example_workbook",
    "included_groups",
    "percent",
    "render_page",
    "restarting_page",
    "wants_html",
]

#: Where the page templates are.
TEMPLATES: Final = Path(__file__).parent / "templates"
#: Finding severities, most serious first.
SEVERITIES: Final = ("critical", "warning", "advice")
#: The district id of the example the home page offers.
EXAMPLE_DISTRICT: Final = "abc-unified"
_EXAMPLE_FILE: Final = "abc-unified.yaml"


def example_workbook() -> Path | None:
    """The example workbook (ABC Unified): the checkout's ``examples/`` folder, or the
    copy the wheel installs under ``<prefix>/share/collabgraph/examples``; ``None``
    when neither is there."""
    prefixes = [sysconfig.get_path("data"), sys.prefix, sys.base_prefix, site.getuserbase()]
    candidates = [Path(__file__).resolve().parent.parent / "examples" / _EXAMPLE_FILE]
    candidates += [Path(p, "share", "collabgraph", "examples", _EXAMPLE_FILE) for p in prefixes]
    return next((path for path in candidates if path.is_file()), None)


def wants_html(request: Request) -> bool:
    """Whether the client is a browser asking for a page (``text/html`` in Accept).

    Scripts (``Accept: */*`` or ``application/json``) keep getting problem JSON.
    """
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept.split(",")[0]


@dataclass(frozen=True)
class DistrictFigures:
    """The key figures of one district, as the dashboard shows them.

    Attributes
    ----------
    id, name
        The district's id and display name.
    people, schools, ties
        Row counts from the store.
    density
        Density of the association's tie network (``None`` when undefined).
    density_note
        Why the density is undefined, when it is.
    covered
        Schools with at least one building rep in post.
    coverage
        ``covered / schools`` (``None`` without schools).
    gaps
        Findings per severity (every severity present, zero included).
    unmatched_management, unmatched_labor
        Positions with no counterpart on the other side.
    """

    id: str
    name: str
    people: int
    schools: int
    ties: int
    density: float | None
    density_note: str
    covered: int
    coverage: float | None
    gaps: dict[str, int] = field(default_factory=dict)
    unmatched_management: int = 0
    unmatched_labor: int = 0

    @property
    def unmatched(self) -> int:
        """Unmatched positions on both sides."""
        return self.unmatched_management + self.unmatched_labor


def district_figures(
    store: Store, cache: AnalysisCache, district: str, *, min_group: int | None = None
) -> DistrictFigures:
    """The key figures of ``district``, from the cached analyses.

    With ``min_group`` (a caller who may not see people by name), the density of
    a natural network of fewer than ``min_group`` people is withheld, like every
    other group figure under the k rule.

    Raises
    ------
    collabgraph.store.UnknownDistrict
        When the district is not in the store.
    """
    summary = district_public(store, cache, district)
    network = network_report(store, cache, district, None)
    gaps = gap_report(store, cache, district)
    counterparts = counterpart_report(store, cache, district)
    by_severity = {sev: 0 for sev in SEVERITIES}
    for finding in gaps.findings:
        severity = str(finding.severity.value)
        by_severity[severity] = by_severity.get(severity, 0) + 1
    density = network.observed.density
    note = "; ".join(network.observed.undefined.values()) if density is None else ""
    if min_group is not None and network.observed.n < min_group:
        density = None
        note = f"withheld: fewer than {min_group} association people (the k rule)"
    return DistrictFigures(
        id=district,
        name=summary.name,
        people=summary.people,
        schools=summary.schools,
        ties=summary.ties,
        density=None if density is None else float(density),
        density_note=note,
        covered=network.coverage.covered,
        coverage=None if network.coverage.share is None else float(network.coverage.share),
        gaps=by_severity,
        unmatched_management=len(counterparts.unmatched_management),
        unmatched_labor=len(counterparts.unmatched_labor),
    )


def percent(value: float | None, digits: int = 0) -> str:
    """A share as a percentage, or an em dash when undefined.

    >>> percent(0.8), percent(None), percent(0.35714, 1)
    ('80%', '—', '35.7%')
    """
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


#: How the worksheet names each side (see ``collabgraph.worksheet``).
_GROUP_SIDES: Final = {
    "Administration": "management",
    "Association": "labor",
    "Board": "board",
    "Parents/community": "community",
    "Partners": "external",
}


def included_groups(text: str) -> list[tuple[str, str]]:
    """Split a worksheet "Who is Included?" cell into ``(side, text)`` groups for coloring.

    >>> included_groups("Administration: Superintendent / Association: LEA President")
    [('management', 'Administration: Superintendent'), ('labor', 'Association: LEA President')]
    >>> included_groups("nobody yet")
    [('unknown', 'nobody yet')]
    """
    groups: list[tuple[str, str]] = []
    for part in text.split(" / "):
        label = part.split(":", 1)[0].strip()
        groups.append((_GROUP_SIDES.get(label, "unknown"), part.strip()))
    return groups


def _number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}"


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = percent
    env.filters["number"] = _number
    env.filters["groups"] = included_groups
    env.globals["version"] = __version__
    env.globals["palette"] = Markup(css_variables())
    env.globals["sides"] = [(side, SIDE_LABELS[side], color) for side, color in SIDE_COLORS.items()]
    env.globals["severities"] = SEVERITIES
    env.globals["meanings"] = MEANINGS
    return env


def render_page(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a dashboard page.

    Parameters
    ----------
    request
        The request (its root path prefixes every link).
    template
        File name under ``api/templates``.
    status_code
        The response status.
    **context
        Template variables.
    """
    me = principal_of(request)
    page = (
        _environment()
        .get_template(template)
        .render(
            root=request.scope.get("root_path", ""),
            protected=me is not None,
            me=me,
            csrf=csrf_for(request) if me is not None else "",
            **context,
        )
    )
    return HTMLResponse(
        page,
        status_code=status_code,
        headers={
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
        },
    )


def restarting_page(request: Request, retry_after: int) -> HTMLResponse:
    """The page a browser gets (503, ``Retry-After``) while the store is restarting.

    It reloads itself after ``retry_after`` seconds and offers a "try again" link.
    """
    again = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    response = render_page(
        request, "restarting.html.j2", status_code=503, retry_after=retry_after, again=again
    )
    response.headers["Retry-After"] = str(retry_after)
    return response
