"""Plain tables of a natural-network report, for the terminal.

:func:`network_tables` turns a :class:`NetworkReport` into rich tables: the
headline figures first, then the people and places that need attention. Long
lists are cut to :data:`MAX_ROWS` rows with a closing "... and N more" row; the
JSON form of the report (``model_dump(mode="json")``) always has everything.

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Workbook
>>> from collabgraph.network.analyze import analyze_network
>>> tables = network_tables(analyze_network(workbook_to_graph(
...     Workbook(district=District(id="d", name="D")))))
>>> [str(t.title) for t in tables]
['Natural network: nothing to analyse']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from rich.table import Table
from rich.text import Text

from collabgraph.meanings import MEANINGS
from collabgraph.network.report import Density, NetworkReport
from collabgraph.network.response import SurveyWave
from collabgraph.text_tables import FittedTable

__all__ = ["MAX_ROWS", "fmt", "network_tables", "survey_tables"]

#: Longest list shown in a table.
MAX_ROWS: Final = 25


def fmt(value: float | int | None, digits: int = 4) -> str:
    """A figure as text: ``-`` for an undefined one.

    >>> fmt(0.13903743), fmt(None), fmt(3)
    ('0.1390', '-', '3')
    """
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def _table(title: str, *columns: str) -> Table:
    # A title holds workbook text (a wave label): printed as text, never as markup.
    table = FittedTable(title=Text(title), title_justify="left", min_width=len(title))
    for c in columns:
        table.add_column(c, overflow="fold")
    return table


def _rows(table: Table, rows: Sequence[Sequence[str]]) -> Table:
    for row in rows[:MAX_ROWS]:
        table.add_row(*(Text(c) for c in row))
    if len(rows) > MAX_ROWS:
        table.add_row(Text(f"... and {len(rows) - MAX_ROWS} more", style="italic"))
    return table


def _label(group: str) -> str:
    """A group's name as a reader writes it (``early_childhood`` -> ``early childhood``)."""
    return group.replace("_", " ")


def _why(value: float | int | None, reason: str | None) -> str:
    return fmt(value) if value is not None or not reason else f"- ({reason})"


def _means(key: str) -> str:
    """A figure's meaning and its low/high reading, for the table's third column."""
    m = MEANINGS[key]
    return f"{m.what} {m.scale}".strip()


def _legend(*keys: str) -> Table:
    """A borderless one-column table saying what the figures above mean (wraps to fit)."""
    table = FittedTable(show_header=False, box=None, padding=(0, 0, 1, 0))
    table.add_column("meaning", overflow="fold")
    for key in keys:
        m = MEANINGS[key]
        table.add_row(Text(f"{m.label.lower()}: {m.what} {m.scale}", style="dim"))
    return table


def _density_rows(label: str, d: Density) -> list[list[str]]:
    return [
        [f"{label}people (n)", fmt(d.n), "Association people in the network."],
        [
            f"{label}ties (m, either direction)",
            fmt(d.m),
            "Pairs who talk, named by either person.",
        ],
        [f"{label}directed ties", fmt(d.arcs), "Ties counted once per person naming them."],
        [f"{label}density", _why(d.density, d.undefined.get("density")), _means("density")],
        [f"{label}directed density", fmt(d.directed_density), _means("directed_density")],
        [f"{label}weighted density", fmt(d.weighted_density), _means("weighted_density")],
        [f"{label}mean degree", fmt(d.mean_degree, 2), "Ties per person, on average."],
    ]


def survey_tables(survey: SurveyWave) -> list[Table]:
    """The response to a wave's tie survey and its figures, then the rate per school."""
    head = _table(
        f"Survey wave {survey.wave} ({survey.state}): who answered", "figure", "value", "meaning"
    )
    undefined = survey.undefined
    rows = [
        [
            "response rate",
            f"{survey.responded} of {survey.asked} ({fmt(survey.response_rate, 2)})",
            _means("response_rate"),
        ],
        [
            "density among respondents",
            _why(survey.density_respondents, undefined.get("density_respondents")),
            _means("density_respondents"),
        ],
        [
            f"density among all rostered ({survey.roster} people)",
            _why(survey.density_roster, undefined.get("density_roster")),
            _means("density_roster"),
        ],
        [
            "ties named by one side only",
            _why(survey.one_sided_share, undefined.get("one_sided_share")),
            _means("one_sided_share"),
        ],
        [
            "reciprocity",
            _why(survey.reciprocity, undefined.get("reciprocity")),
            _means("reciprocity"),
        ],
        [
            f"schools under {survey.threshold:.0%} response",
            ", ".join(survey.below_threshold) or "none",
            "Remind the people there who have not answered (collabgraph survey status).",
        ],
    ]
    rows += [["left out", note, ""] for note in survey.suppressed]
    tables = [_rows(head, rows)]
    if survey.schools:
        tables.append(
            _rows(
                _table("Response by school", "school", "asked", "answered", "rate", "flag"),
                [
                    [
                        s.school,
                        fmt(s.asked),
                        fmt(s.responded),
                        fmt(s.rate, 2),
                        f"under {survey.threshold:.0%}" if s.below_threshold else "",
                    ]
                    for s in survey.schools
                ],
            )
        )
    return tables


def network_tables(report: NetworkReport) -> list[Table]:
    """Rich tables of a natural-network report."""
    if report.empty:
        table = _table("Natural network: nothing to analyse", "note")
        table.add_row(Text(report.message or ""))
        return [table]
    wave = f", wave {report.wave}" if report.wave else ""
    head = _table(
        f"Natural network ({len(report.people)} association people{wave})",
        "figure",
        "value",
        "what it means",
    )
    comps, cov = report.components, report.coverage
    bet = report.betweenness_method + (
        f" ({report.betweenness_k} sampled sources)" if report.betweenness_k else ""
    )
    rows = [
        *_density_rows("", report.observed),
        ["isolates", fmt(len(report.isolates)), _means("isolates")],
        ["components", fmt(comps.count), _means("components")],
        ["share in the largest component", fmt(comps.largest_share), _means("largest_share")],
        [
            "degree centralization",
            _why(report.centralization, report.undefined.get("centralization")),
            _means("centralization"),
        ],
        ["betweenness", bet, "How brokerage was computed; the brokers are listed below."],
        [
            "officers' 2-step reach (share of others)",
            fmt(report.officers_reach_share),
            _means("officers_reach"),
        ],
        [
            "worksite coverage",
            f"{cov.covered}/{cov.schools} ({fmt(cov.share, 2)})",
            _means("coverage"),
        ],
        ["cross-school tie share", fmt(report.cross_school_share), _means("cross_school")],
        ["E-I index, labor vs management", fmt(report.ei_labor_management.ei), _means("ei_index")],
        [
            "  (if every pair were tied)",
            fmt(report.ei_labor_management.expected_ei),
            "The E-I index the group sizes alone would give: compare with the line above.",
        ],
        [
            "co-membership ties (shared team)",
            fmt(report.co_membership.density.m),
            _means("co_membership"),
        ],
        [
            "co-membership density",
            fmt(report.co_membership.density.density),
            "Density of the shared-team ties.",
        ],
        [
            "co-member pairs also tied",
            fmt(report.co_membership.overlap),
            "Share of shared-team pairs who also report talking.",
        ],
    ]
    tables = [_rows(head, rows)]
    if report.survey is not None:
        tables.extend(survey_tables(report.survey))
    if report.isolates:
        tables.append(
            _rows(
                _table("Isolated people", "id", "name"),
                [[p.id, p.name] for p in report.isolates],
            )
        )
    if report.brokers:
        tables.append(
            _rows(
                _table("Brokers (highest betweenness)", "name", "betweenness", "pairs routed"),
                [[b.name, fmt(b.betweenness), fmt(b.raw, 1)] for b in report.brokers],
            )
        )
        tables.append(_legend("betweenness"))
    if report.reach:
        tables.append(
            _rows(
                _table("Officers' reach in two steps", "officer", "position", "reach", "share"),
                [[r.name, r.position, fmt(r.reach), fmt(r.share, 2)] for r in report.reach],
            )
        )
    if report.coverage.uncovered:
        vacant = {s.id for s in report.coverage.vacant}
        tables.append(
            _rows(
                _table("Schools without a building rep", "school", "level", "rep position"),
                [
                    [s.name, s.level or "", "vacant" if s.id in vacant else "none"]
                    for s in report.coverage.uncovered
                ],
            )
        )
    flagged = [r for r in report.staff_ratios if r.flag in ("very_hard", "stretched")]
    if flagged:
        tables.append(
            _rows(
                _table(
                    "Building reps stretched thin",
                    "school",
                    "staff",
                    "reps",
                    "staff per rep",
                    "flag",
                ),
                [
                    [
                        r.school.name,
                        fmt(r.staff),
                        fmt(r.reps),
                        fmt(r.staff_per_rep, 1),
                        r.flag.replace("_", " "),
                    ]
                    for r in flagged
                ],
            )
        )
    if report.by_level or report.by_topic:
        groups = _table(
            "Density by school level and by topic", "group", "people", "ties", "density"
        )
        rows = [
            [f"level: {_label(g.group)}", fmt(g.n), fmt(g.m), fmt(g.density)]
            for g in report.by_level
        ]
        rows += [
            [f"topic: {t.name}", fmt(report.observed.n), fmt(t.m), fmt(t.density)]
            for t in report.by_topic
        ]
        tables.append(_rows(groups, rows))
    for matrix in report.matrices:
        if len(matrix.groups) < 2:
            continue
        table = _table(
            f"Tie density within and between groups ({matrix.by.replace('_', ' ')})",
            "",
            *(_label(g) for g in matrix.groups),
        )
        cell = {(c.row, c.col): c for c in matrix.cells}
        grid = []
        for r, a in enumerate(matrix.groups):
            grid.append(
                [
                    _label(a),
                    *(
                        "" if s < r else fmt(cell[(a, b)].density, 3)
                        for s, b in enumerate(matrix.groups)
                    ),
                ]
            )
        tables.append(_rows(table, grid))
    bridging = sorted(report.bridging, key=lambda b: (-(b.score or 0.0), b.id))
    if bridging:
        tables.append(
            _rows(
                _table(
                    "Building reps bridging schools",
                    "rep",
                    "ties to reps",
                    "at other schools",
                    "score",
                ),
                [[b.name, fmt(b.rep_ties), fmt(b.cross_school), fmt(b.score, 3)] for b in bridging],
            )
        )
    holes = [h for h in report.holes if h.constraint is not None][
        : max(report.config.top_brokers, 1)
    ]
    if holes:
        tables.append(
            _rows(
                _table(
                    "Structural holes (least constrained first)",
                    "name",
                    "degree",
                    "effective size",
                    "constraint",
                ),
                [
                    [h.name, fmt(h.degree), fmt(h.effective_size, 2), fmt(h.constraint, 3)]
                    for h in holes
                ],
            )
        )
        tables.append(_legend("constraint"))
    if report.per_wave:
        waves = _table(
            "Survey waves", "wave", "ties", "density", "isolates", "largest share", "E-I"
        )
        _rows(
            waves,
            [
                [
                    w.wave,
                    fmt(w.density.m),
                    fmt(w.density.density),
                    fmt(w.isolates),
                    fmt(w.largest_share),
                    fmt(w.ei),
                ]
                for w in report.per_wave
            ],
        )
        tables.append(waves)
        tables.append(_legend("density", "ei_index"))
    surveyed = [w for w in report.per_wave if w.survey is not None]
    if surveyed:
        tables.append(
            _rows(
                _table(
                    "Survey waves: response and figures",
                    "wave",
                    "response",
                    "density (respondents)",
                    "density (all rostered)",
                    "one-sided",
                    "reciprocity",
                ),
                [
                    [
                        w.wave,
                        fmt(w.survey.response_rate, 2),
                        fmt(w.survey.density_respondents),
                        fmt(w.survey.density_roster),
                        fmt(w.survey.one_sided_share),
                        fmt(w.survey.reciprocity),
                    ]
                    for w in surveyed
                    if w.survey is not None
                ],
            )
        )
    if report.changes:
        tables.append(
            _rows(
                _table(
                    "Change between waves",
                    "from",
                    "to",
                    "ties added",
                    "ties dropped",
                    "density change",
                ),
                [
                    [
                        c.before,
                        c.after,
                        fmt(c.ties_added),
                        fmt(c.ties_dropped),
                        fmt(c.delta.get("density")),
                    ]
                    for c in report.changes
                ],
            )
        )
        compared = [c for c in report.changes if c.delta.get("response_rate") is not None]
        if compared:
            tables.append(
                _rows(
                    _table(
                        "Change in the survey figures",
                        "from",
                        "to",
                        "response",
                        "density (respondents)",
                        "reciprocity",
                    ),
                    [
                        [
                            c.before,
                            c.after,
                            fmt(c.delta.get("response_rate")),
                            fmt(c.delta.get("density_respondents")),
                            fmt(c.delta.get("reciprocity")),
                        ]
                        for c in compared
                    ],
                )
            )
    if report.interlock.bridges:
        tables.append(
            _rows(
                _table("DLT to SLT links", "SLT", "shared members", "bridging teams", "steps"),
                [
                    [
                        b.slt.name,
                        ", ".join(p.name for p in b.shared_people) or "none",
                        ", ".join(t.name for t in b.bridging_teams) or "none",
                        fmt(b.distance) if b.distance is not None else "not linked",
                    ]
                    for b in sorted(
                        report.interlock.bridges, key=lambda b: (-(b.distance or 10**9), b.slt.id)
                    )
                ],
            )
        )
    return tables
