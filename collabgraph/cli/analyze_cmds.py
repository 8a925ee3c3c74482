"""Analysis commands: ``analyze`` (network, gaps, counterparts) and ``worksheet``."""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import json
import sys
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from collabgraph.cli.app import command, console
from collabgraph.collector import paused
from collabgraph.counterparts import CounterpartReport, counterparts_in_view, find_counterparts
from collabgraph.district_view import DistrictView
from collabgraph.errors import CollabGraphError
from collabgraph.gaps import GapReport, RuleSet, find_gaps, load_rules
from collabgraph.graph import DistrictGraph, workbook_to_graph
from collabgraph.jsontext import dumps_indented
from collabgraph.meanings import MEANINGS
from collabgraph.text_tables import FittedTable
from collabgraph.worksheet import SheetFormat, standing_meeting_worksheet, structure_worksheet

__all__ = ["Part", "ThresholdOpt", "analyze", "load_graph", "store_surveys", "worksheet"]

_WORKBOOK_SUFFIXES = {".yaml", ".yml", ".json", ".xlsx", ".csv"}

TargetArg = Annotated[
    str,
    typer.Argument(
        help="A district id in the store, or a workbook (.yaml, .json, .xlsx, CSV folder).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="A rules file that tunes the gap rules.")
]
ThresholdOpt = Annotated[
    float,
    typer.Option(
        "--threshold",
        min=0.0,
        max=1.0,
        help="Survey waves: flag the schools whose response rate is under this share.",
    ),
]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", help="Judge overdue meetings as of this date (YYYY-MM-DD)."),
]


class Part(StrEnum):
    """The three analyses."""

    NETWORK = "network"
    GAPS = "gaps"
    COUNTERPARTS = "counterparts"


def _store_for(target: str) -> Any | None:
    """The store when ``target`` names a district in it; ``None`` for a workbook path."""
    path = Path(target)
    if path.exists():
        return None
    if path.suffix.lower() in _WORKBOOK_SUFFIXES or "/" in target or "\\" in target:
        raise CollabGraphError(f"no such workbook file or folder: {target}")
    try:
        store_mod = importlib.import_module("collabgraph.store")
        open_store = store_mod.open_store
    except (ImportError, AttributeError) as exc:
        raise CollabGraphError(
            f"'{target}' is not a file or folder here, and the district store cannot be "
            f"opened in this installation ({exc}); give the path of a workbook instead"
        ) from None
    # The store is shared by the whole process (and closed at exit): do not close it here.
    return open_store()


def load_graph(target: str) -> DistrictGraph:
    """The district graph of a workbook path, or of a district id in the store."""
    store = _store_for(target)
    if store is None:
        from collabgraph.workbook import load_workbook

        return workbook_to_graph(load_workbook(Path(target)))
    graph: DistrictGraph = store.read_graph(target)
    return graph


def _has_surveys(store: Any, district: str) -> bool:
    """Whether the district has a tie survey (checked without loading the survey code)."""
    from collabgraph.store.falkor import FalkorStore
    from collabgraph.store.keys import survey_key

    inner = getattr(store, "inner", store)
    if not isinstance(inner, FalkorStore):
        return False
    with inner._errors("looking up the district's surveys"):
        return bool(inner.r.exists(survey_key(district)))


def store_surveys(target: str, threshold: float, store: Any | None = None) -> dict[str, Any]:
    """Every tie survey of a district in the store, by wave (none for a workbook file)."""
    store = store if store is not None else _store_for(target)
    if store is None or not _has_surveys(store, target):
        return {}
    from collabgraph.survey.waves import survey_waves

    return dict(survey_waves(store, target, threshold))


def _result_cache(store: Any) -> Any | None:
    """The kept results of the embedded store (none on Neo4j)."""
    from collabgraph.store.falkor import FalkorStore
    from collabgraph.store.results import ResultCache

    inner = getattr(store, "inner", store)
    return ResultCache(inner.r) if isinstance(inner, FalkorStore) else None


def _result_name(
    parts: list[Part],
    wave: str | None,
    members: bool,
    rules: Path | None,
    day: dt.date,
    surveys: dict[str, Any],
) -> str:
    """What one ``analyze --json`` asks, as the name of its kept result (the district's
    surveys included: answers arrive without changing the district's revision)."""
    from collabgraph.store.results import code_fingerprint, digest

    try:
        rules_text = rules.read_bytes().hex() if rules is not None else ""
    except OSError as exc:  # (load_rules has read it already)
        raise CollabGraphError(f"cannot read {rules}: {exc.strerror or exc}") from None
    answered = {w: s.model_dump(mode="json") for w, s in sorted(surveys.items())}
    asked = json.dumps(
        [[p.value for p in parts], wave, members, rules_text, day.isoformat(), answered]
    )
    return digest("analyze --json", code_fingerprint(), asked)


def _rules(path: Path | None) -> RuleSet | None:
    return load_rules(path) if path is not None else None


def _today(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CollabGraphError(f"--today must be a date like 2026-09-01, not {text!r}") from None


def _network_module() -> ModuleType | None:
    try:
        return importlib.import_module("collabgraph.network")
    except ModuleNotFoundError as exc:
        if exc.name in {"collabgraph.network", "collabgraph"}:
            return None
        raise


def _cell(value: object) -> Text:
    return Text("" if value is None else str(value))


_SEVERITY_STYLE = {"critical": "bold red", "warning": "yellow", "advice": "cyan"}


def gap_tables(report: GapReport) -> list[Table]:
    """Rich tables of a gap report: the findings and the desired structures."""
    if not report.findings:
        table = FittedTable(title="Structural gaps (none)", title_justify="left", show_header=False)
        table.add_column("result")
        table.add_row("No structural gaps found with the rules in force.")
        return [table]
    counts = ", ".join(f"{n} {sev}" for sev, n in report.counts.items())
    table = FittedTable(
        title=f"Structural gaps ({len(report.findings)}: {counts})",
        title_justify="left",
        show_lines=True,
    )
    for name in ("severity", "what is wrong", "subject", "finding", "suggested change"):
        table.add_column(name, overflow="fold")
    for f in report.findings:
        rule = Text(f.title)
        rule.append(f"\nrule {f.code}", style="dim")
        table.add_row(
            Text(f.severity.value, style=_SEVERITY_STYLE[f.severity.value]),
            rule,
            _cell(f"{f.subject_name} ({f.subject_kind})"),
            _cell(f"{f.message}\n{f.evidence.summary}"),
            _cell(f.suggestion),
        )
    tables: list[Table] = [table]
    if report.desired_structures:
        desired = FittedTable(title="Desired structures (placeholders)", title_justify="left")
        for name in ("placeholder", "kind", "called for by"):
            desired.add_column(name, overflow="fold")
        titles = {f.id: f"{f.title}: {f.subject_name}" for f in report.findings}
        for d in report.desired_structures:
            kind = (d.team_kind or d.kind).replace("_", " ")
            called = "; ".join(titles.get(f, f) for f in d.findings)
            desired.add_row(_cell(d.name), _cell(kind), _cell(called))
        tables.append(desired)
    return tables


def counterpart_tables(
    report: CounterpartReport, graph: DistrictGraph | None = None
) -> list[Table]:
    """Rich tables of a counterpart report; with the ``graph``, everything is named
    (positions, meetings, topics, teams), never shown by its id."""

    def name(key: str) -> str:
        data = graph.nodes[key] if graph is not None and key in graph else {}
        return str(data.get("name") or data.get("title") or key.split(":", 1)[-1])

    score = MEANINGS["counterpart_score"]
    pairs = FittedTable(
        title=f"Counterpart pairs ({len(report.pairs)})",
        title_justify="left",
        show_lines=True,
    )
    for column in (
        "administration",
        "association",
        "how found",
        "score",
        "why",
        "standing meeting",
    ):
        pairs.add_column(column, justify="right" if column == "score" else "left", overflow="fold")
    for p in report.pairs:
        pairs.add_row(
            _cell(p.management.title),
            _cell(p.labor.title),
            _cell(p.method.replace("_", " ")),
            _cell(f"{p.score:.2f}"),
            _cell(p.reason),
            _cell(", ".join(name(m) for m in p.meetings) or "none"),
        )
    # What the score means, wrapped to the terminal like the tables are.
    legend = FittedTable(show_header=False, box=None, padding=(0, 0, 1, 0))
    legend.add_column("meaning", overflow="fold")
    legend.add_row(Text(f"score: {score.what} {score.scale}", style="dim"))
    tables: list[Table] = [pairs, legend]
    lonely = [("administration", u) for u in report.unmatched_management] + [
        ("association", u) for u in report.unmatched_labor
    ]
    if lonely:
        table = FittedTable(title="Positions with no counterpart yet", title_justify="left")
        for column in ("side", "position", "suggested partner"):
            table.add_column(column, overflow="fold")
        for side, u in lonely:
            suggested = ", ".join(name(k) for k in u.suggested) or "none found"
            table.add_row(_cell(side), _cell(u.position.title), _cell(suggested))
        tables.append(table)
    if report.not_co_chairing:
        table = FittedTable(
            title="Pairs sharing a topic who do not co-chair its committee", title_justify="left"
        )
        for column in ("administration", "association", "topic", "committee", "their roles"):
            table.add_column(column, overflow="fold")
        for n in report.not_co_chairing:
            roles = f"{n.management_role or 'not on it'} / {n.labor_role or 'not on it'}"
            table.add_row(
                *(_cell(name(k)) for k in (n.management, n.labor, n.topic, n.team)),
                _cell(roles),
            )
        tables.append(table)
    return tables


@command()
def analyze(
    target: TargetArg,
    only: Annotated[
        Part | None, typer.Option("--only", help="Run just one analysis.", show_default=False)
    ] = None,
    as_json: JsonOpt = False,
    wave: Annotated[
        str | None, typer.Option("--wave", help="Survey wave for the network analysis.")
    ] = None,
    members: Annotated[
        bool,
        typer.Option(
            "--members",
            help="Network analysis: add association members who hold no position.",
        ),
    ] = False,
    rules: RulesOpt = None,
    today: TodayOpt = None,
    threshold: ThresholdOpt = 0.5,
    fresh: Annotated[
        bool,
        typer.Option("--fresh", help="With --json: compute again, not the result kept."),
    ] = False,
) -> None:
    """Analyze a district: rep-network figures, structural gaps and counterparts.

    A wave whose ties came from a tie survey also gets the survey's response rate
    (overall and per school; --threshold flags the schools under it) and the figures
    that allow for who did not answer.

    With ``--json``, the result for a district in the embedded store is kept there
    under the district's revision, and the same command gives it back until the
    district (or one of its surveys) changes (``--fresh`` computes it again).
    """
    parts = [only] if only else list(Part)
    rule_set = _rules(rules)
    day = _today(today)
    store = _store_for(target)
    surveys = store_surveys(target, threshold, store) if Part.NETWORK in parts else {}
    cache = _result_cache(store) if as_json and store is not None else None
    revision, name = None, ""
    if cache is not None:
        day = day or dt.date.today()  # (what find_gaps would take: the result names it)
        name = _result_name(parts, wave, members, rules, day, surveys)
        revision = cache.revision(target)
        kept = None if fresh else cache.get(target, revision, name)
        if kept is not None:
            sys.stdout.write(kept)
            return
    # Reading the district and the analyses make many small objects and almost no
    # reference cycles: the cyclic collector would scan the district graph and the
    # results again and again (a third of a 1,000-school run), so it is off while
    # one command runs (collabgraph.collector).
    with paused():
        graph = load_graph(target) if store is None else store.read_graph(target)
        gc.freeze()  # (and out of any collection a library asks for)
        text = _analyze(graph, parts, as_json, wave, members, rule_set, day, surveys)
    if text is not None:
        sys.stdout.write(text)
        if cache is not None:
            cache.put(target, revision, name, text)


def _analyze(
    graph: DistrictGraph,
    parts: list[Part],
    as_json: bool,
    wave: str | None,
    members: bool,
    rule_set: RuleSet | None,
    day: dt.date | None,
    surveys: dict[str, Any] | None = None,
) -> str | None:
    """The analyses: their JSON text with ``as_json``, else printed as tables; a survey
    wave's network report carries its survey's response (``surveys``, by wave)."""
    out: dict[str, Any] = {"district": graph.graph.get("district"), "name": graph.graph.get("name")}
    notes: list[str] = []
    tables: list[Table] = []
    view = DistrictView(graph)  # one set of lookups (edges by type) for the three analyses
    if Part.NETWORK in parts:
        mod = _network_module()
        if mod is None:
            notes.append("network analysis is not available in this installation")
            out["network"] = None
        else:
            config = mod.NetworkConfig(include_members=True) if members else None
            try:
                net = mod.analyze_network(graph, wave=wave, config=config, view=view)
            except CollabGraphError as exc:
                if not surveys:
                    raise
                from collabgraph.survey.waves import explain_wave

                raise explain_wave(surveys, wave, exc) from None
            if surveys:
                from collabgraph.survey.waves import with_surveys

                net = with_surveys(net, surveys)
            out["network"] = net.model_dump(mode="json")
            if not as_json:
                tables.extend(mod.network_tables(net))
    if Part.GAPS in parts:
        gaps = find_gaps(graph, rule_set, today=day, view=view)
        out["gaps"] = gaps.model_dump(mode="json")
        if gaps.note:
            notes.append(gaps.note)
        if not as_json and not gaps.empty:
            tables.extend(gap_tables(gaps))
    if Part.COUNTERPARTS in parts:
        cps = counterparts_in_view(view)
        out["counterparts"] = cps.model_dump(mode="json")
        if cps.note:
            notes.append(cps.note)
        if not as_json and not cps.empty:
            tables.extend(counterpart_tables(cps, graph))
    if as_json:
        out["notes"] = notes
        return dumps_indented(out) + "\n"
    console.print(Text(f"{out['name']} ({out['district']})", style="bold"))
    for note in notes:
        console.print(Text(f"note: {note}", style="italic"))
    for table in tables:
        console.print(table)
    return None


@command()
def worksheet(
    target: TargetArg,
    standing_meetings: Annotated[
        bool,
        typer.Option(
            "--standing-meetings", help="The Standing Meeting Worksheet instead of Part 2."
        ),
    ] = False,
    fmt: Annotated[
        SheetFormat, typer.Option("--format", "-f", help="md (Markdown) or csv.")
    ] = SheetFormat.MD,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    rules: RulesOpt = None,
    today: TodayOpt = None,
) -> None:
    """Fill in the Collaborative Structure Worksheet (Part 2) or the Standing Meeting one."""
    rule_set = _rules(rules)
    day = _today(today)
    graph = load_graph(target)
    if standing_meetings:
        gaps = find_gaps(graph, rule_set, today=day)
        text = standing_meeting_worksheet(find_counterparts(graph), fmt, gaps)
    else:
        text = structure_worksheet(graph, find_gaps(graph, rule_set, today=day), fmt)
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CollabGraphError(f"cannot write {out}: {exc.strerror or exc}") from None
    console.print(Text(f"wrote {out}"))
