"""``collabgraph survey ...``: run a tie survey from the command line.

create, links, status, close, reopen, export; every command takes the
district id and ``--wave``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.markup import escape

from collabgraph.cli.app import app, console, err_console, handled, print_json
from collabgraph.store import StoreSettings, open_store
from collabgraph.store.base import Store
from collabgraph.survey import (
    SurveyError,
    SurveySpec,
    close_survey,
    create_survey,
    issue_links,
    reopen_survey,
    survey_status,
)
from collabgraph.survey.links import links_csv, links_sheet
from collabgraph.survey.model import Question
from collabgraph.survey.review import answers_csv
from collabgraph.survey.tokens import public_url
from collabgraph.text_tables import FittedTable

__all__ = ["survey_app"]

P = ParamSpec("P")
R = TypeVar("R")

survey_app = typer.Typer(help="Run a tie survey: create, links, status, close, export.")
app.add_typer(survey_app, name="survey")

DistrictArg = Annotated[str, typer.Argument(help="The district's id.")]
WaveOpt = Annotated[str, typer.Option("--wave", help="The survey wave label, e.g. 2026-fall.")]
StoreOpt = Annotated[
    str | None, typer.Option("--store", envvar="COLLABGRAPH_STORE", show_default=False)
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


class Respondents(StrEnum):
    """Who is asked (``--respondents``)."""

    REPS = "reps"
    OFFICERS = "officers"
    ASSOCIATION = "association"


def _store(choice: str | None) -> Store:
    return open_store(StoreSettings.from_env(choice))


def _questions(path: Path) -> list[Question]:
    """Questions from a YAML or JSON file: a list of {id, topic, text}."""
    import yaml

    try:
        if path.stat().st_size > 1_000_000:
            raise SurveyError(f"{path}: a questions file may be at most 1 MB")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SurveyError(f"cannot read {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise SurveyError(f"{path}: not YAML or JSON ({exc})") from exc
    if isinstance(data, dict):
        data = data.get("questions")
    if not isinstance(data, list):
        raise SurveyError(f"{path}: expected a list of questions (each with id, topic, text)")
    out = []
    for i, item in enumerate(data):
        try:
            out.append(Question.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise SurveyError(f"{path}, question {i + 1}, {where}: {first['msg']}") from None
    return out


@survey_app.command("create")
@handled
def create(
    district: DistrictArg,
    wave: WaveOpt,
    respondents: Annotated[
        Respondents, typer.Option("--respondents", help="Who is asked.")
    ] = Respondents.REPS,
    questions: Annotated[
        Path | None, typer.Option("--questions", help="YAML/JSON list of {id, topic, text}.")
    ] = None,
    max_names: Annotated[int | None, typer.Option("--max-names", min=1, max=200)] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a survey wave (then: collabgraph survey links)."""
    fields: dict[str, Any] = {"district": district, "wave": wave, "respondents": respondents.value}
    if questions is not None:
        fields["questions"] = _questions(questions)
    if max_names is not None:
        fields["max_names"] = max_names
    try:
        spec = SurveySpec.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SurveyError(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    s = _store(store)
    survey = create_survey(s, spec)
    st = survey_status(s, district, wave)
    if as_json:
        print_json({"ok": True, "district": district, "wave": wave, "asked": st.asked})
        return
    console.print(
        f"created survey [bold]{escape(wave)}[/] of {escape(district)}: {st.asked} "
        f"respondents, {len(survey.spec.questions)} questions; next: collabgraph survey links "
        f"{escape(district)} --wave {escape(wave)} -o links.csv"
    )


@survey_app.command("links")
@handled
def links(
    district: DistrictArg,
    wave: WaveOpt,
    out: Annotated[Path, typer.Option("-o", "--out", help="The mail-merge CSV to write.")],
    sheet: Annotated[
        Path | None, typer.Option("--sheet", help="Also write a printable HTML sheet.")
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option("--respondent", help="Re-issue only these people's links.")
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Issue private links (previous links of the same people stop working)."""
    for path in (out, sheet):
        if path is not None and not path.parent.is_dir():
            raise SurveyError(f"cannot write {path}: no folder {path.parent}")
    issued = issue_links(_store(store), district, wave, only=only or None)
    base = public_url()
    out.write_text(links_csv(issued, base), encoding="utf-8")
    if sheet is not None:
        sheet.write_text(
            links_sheet(issued, base, title=f"Survey {wave} of {district}"), encoding="utf-8"
        )
    console.print(f"wrote {len(issued)} links on {escape(base)} to {escape(str(out))}")


@survey_app.command("status")
@handled
def status(
    district: DistrictArg,
    wave: WaveOpt,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0)] = 0.5,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Response rate overall and per school, who has not answered, write-ins."""
    st = survey_status(_store(store), district, wave, threshold)
    if as_json:
        print_json(st.model_dump(mode="json"))
        return
    rate = "-" if st.rate is None else f"{st.rate:.0%}"
    console.print(
        f"survey {escape(wave)} of {escape(district)} is {st.state}: {st.responded} of "
        f"{st.asked} answered ({rate}); {st.started} started; {len(st.write_ins)} write-ins"
    )
    table = FittedTable(title="per school", title_justify="left")
    for col in ("school", "asked", "answered", "rate"):
        table.add_column(col)
    for sr in st.schools:
        mark = " (below)" if sr.below_threshold else ""
        table.add_row(
            escape(sr.school), str(sr.asked), str(sr.responded), f"{sr.rate or 0:.0%}{mark}"
        )
    console.print(table)
    if st.not_answered:
        console.print("not answered: " + ", ".join(escape(r["name"]) for r in st.not_answered))


@survey_app.command("close")
@handled
def close(
    district: DistrictArg, wave: WaveOpt, store: StoreOpt = None, as_json: JsonOpt = False
) -> None:
    """Close the survey and write its answers as ties of the wave (all or nothing)."""
    result = close_survey(_store(store), district, wave)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    verb = "was already closed with" if result.already_closed else "closed:"
    console.print(f"survey {escape(wave)} of {escape(district)} {verb} {result.ties} ties")
    if result.skipped:
        err_console.print(
            f"{len(result.skipped)} answers name people no longer in the district and were left out"
        )


@survey_app.command("reopen")
@handled
def reopen(district: DistrictArg, wave: WaveOpt, store: StoreOpt = None) -> None:
    """Take answers again (the next close replaces this wave's survey ties)."""
    reopen_survey(_store(store), district, wave)
    console.print(f"survey {escape(wave)} of {escape(district)} is open again")


@survey_app.command("export")
@handled
def export(
    district: DistrictArg,
    wave: WaveOpt,
    out: Annotated[Path, typer.Option("-o", "--out", help="The answers CSV to write.")],
    store: StoreOpt = None,
) -> None:
    """Every answer as CSV: respondent, question, topic, person, frequency."""
    if not out.parent.is_dir():
        raise SurveyError(f"cannot write {out}: no folder {out.parent}")
    text, count = answers_csv(_store(store), district, wave)
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {count} answers to {escape(str(out))}")
