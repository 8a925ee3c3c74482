"""The ``generate`` command: synthetic districts for scale tests and tutorials."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from collabgraph.cli.app import command, console, err_console, print_json
from collabgraph.generate import (
    MAX_DISTRICTS,
    MAX_SCHOOLS,
    MAX_WAVES,
    GeneratedDistrict,
    write_district,
    write_districts,
)

__all__ = ["generate"]

_SINGLE_FILE_SUFFIXES = (".yaml", ".yml", ".json")


def _totals(done: list[GeneratedDistrict]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for district in done:
        for section, n in district.counts.items():
            totals[section] = totals.get(section, 0) + n
    return totals


@command()
def generate(
    out: Annotated[
        Path,
        typer.Argument(
            help="A .yaml/.json file for one district, or a folder (one <district-id>.yaml "
            "per district)."
        ),
    ],
    schools: Annotated[
        int,
        typer.Option("--schools", "-n", min=1, max=MAX_SCHOOLS, help="Schools per district."),
    ],
    districts: Annotated[
        int, typer.Option("--districts", "-d", min=1, max=MAX_DISTRICTS, help="How many districts.")
    ] = 1,
    waves: Annotated[
        int, typer.Option("--waves", "-w", min=1, max=MAX_WAVES, help="Tie survey waves.")
    ] = 1,
    seed: Annotated[int, typer.Option("--seed", "-s", help="Same seed, same files.")] = 0,
    missing_rep_rate: Annotated[
        float,
        typer.Option(
            "--missing-rep-rate", min=0.0, max=1.0, help="Share of schools without a building rep."
        ),
    ] = 0.05,
    gap_rate: Annotated[
        float,
        typer.Option(
            "--gap-rate",
            min=0.0,
            max=1.0,
            help="Share of SLTs, standing meetings and counterparts left out, and of "
            "committees that are one-sided or unoverseen.",
        ),
    ] = 0.1,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Write synthetic but realistic district workbooks (invented people)."""
    done: list[GeneratedDistrict] = []
    if districts == 1 and out.suffix.lower() in _SINGLE_FILE_SUFFIXES:
        done.append(
            write_district(
                out,
                schools,
                seed=seed,
                waves=waves,
                missing_rep_rate=missing_rep_rate,
                gap_rate=gap_rate,
            )
        )
    else:
        files = write_districts(
            out,
            districts,
            schools,
            seed=seed,
            waves=waves,
            missing_rep_rate=missing_rep_rate,
            gap_rate=gap_rate,
        )
        if as_json or districts == 1:
            done.extend(files)
        else:
            with Progress(
                TextColumn("generating"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=err_console,
                transient=True,
            ) as bar:
                task = bar.add_task("", total=districts)
                for district in files:
                    done.append(district)
                    bar.update(task, advance=1, description=district.district)
    totals = _totals(done)
    if as_json:
        print_json(
            {
                "ok": True,
                "files": [
                    {"district": d.district, "path": str(d.path), "counts": d.counts} for d in done
                ],
                "totals": totals,
            }
        )
        return
    where = done[0].path if len(done) == 1 else out
    console.print(
        f"wrote {len(done)} district{'s' if len(done) != 1 else ''} to {escape(str(where))}: "
        f"{totals.get('schools', 0):,} schools, {totals.get('people', 0):,} people, "
        f"{totals.get('teams', 0):,} teams, {totals.get('ties', 0):,} ties"
    )
