"""The partnership report: what it says, for whom, and the PDF Chromium prints."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from collabgraph.cli import app
from collabgraph.graph import DistrictGraph, workbook_to_graph
from collabgraph.report import build_report, report_html, write_report
from collabgraph.workbook import load_workbook
from tests.chromium import CHROMIUM
from tests.conftest import EXAMPLES, MINI, ROOT

runner = CliRunner()
DAY = dt.date(2026, 1, 5)
ARTIFACTS = ROOT / "test-artifacts" / "report"
needs_pdf = pytest.mark.skipif(
    not CHROMIUM.exists() or shutil.which("pdftoppm") is None,
    reason="needs Debian's chromium and poppler-utils (make test installs both)",
)


@pytest.fixture(scope="module")
def small() -> DistrictGraph:
    return workbook_to_graph(load_workbook(EXAMPLES / "small-district.yaml"))


def person_names(graph: DistrictGraph) -> set[str]:
    return {str(d["name"]) for _, d in graph.nodes(data=True) if d.get("kind") == "Person"}


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_association_report_figures_and_findings(small: DistrictGraph) -> None:
    report = build_report(small, today=DAY)
    figures = {f.key: f.value for f in report.figures}
    # By hand from examples/small-district.yaml: 10 tied pairs among 8 association
    # people -> 2*10/(8*7) = 0.357; 4 of 5 schools have a building rep; one isolate.
    assert figures["density"] == "0.36"
    assert figures["coverage"] == "80% (4 of 5)"
    assert figures["isolates"] == "1"
    assert figures["gaps"] == "1 critical, 4 warning, 1 advice"
    assert report.isolates == ["Gabriel Ruiz"]
    assert report.findings[0].title == "Team missing a required stakeholder group"
    page = report_html(report)
    text = text_of(page)
    assert "Gabriel Ruiz" in text
    assert "The share of all possible pairs of association people" in text
    # No address anywhere but XML namespace names (never fetched).
    addresses = re.findall(r"https?://[^\s\"']+", page)
    assert set(addresses) <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert page.count('class="page"') == 3


def test_partner_report_names_no_one(small: DistrictGraph, write_yaml: Any) -> None:
    report = build_report(small, "partner", today=DAY)
    assert report.isolates == []
    page = report_html(report)
    names = person_names(small)
    assert len(names) > 10
    leaked = [n for n in names if n in page or html.escape(n) in page]
    assert leaked == []
    figures = {f.key: f.value for f in report.figures}
    assert figures["density"] == "0.36"  # 8 people: an aggregate a partner may see
    # Under five association people, no network figure is shown at all.
    tiny = workbook_to_graph(load_workbook(write_yaml(MINI)))
    shown = {f.key: f.value for f in build_report(tiny, "partner", today=DAY).figures}
    assert shown["density"] == shown["isolates"] == "not shown: fewer than 5 people"
    assert build_report(tiny, today=DAY).figures[0].value != shown["density"]


@pytest.mark.browser
@needs_pdf
@pytest.mark.parametrize("audience", ["association", "partner"])
def test_pdf_has_the_expected_pages(audience: str, small: DistrictGraph, tmp_path: Path) -> None:
    out = tmp_path / f"report-{audience}.pdf"
    result = runner.invoke(
        app,
        [
            "report",
            str(EXAMPLES / "small-district.yaml"),
            "-o",
            str(out),
            "--audience",
            audience,
            "--today",
            "2026-01-05",
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-"
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    assert 2 <= pages <= 4
    assert "612 x 792 pts" in info.stdout  # US Letter
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Where the partnership stands" in text
    assert "The collaborative structure" in text
    assert "Building representatives against staff" in text
    assert "Educator Workload" in text  # the structure chart is text, not pixels
    if audience == "partner":
        assert [n for n in person_names(small) if n in text] == []
    else:
        assert "Gabriel Ruiz" in text
    # Pictures of each page, to look at (test-artifacts/report/).
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS / audience
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(out), str(stem)], check=True)
    images = sorted(ARTIFACTS.glob(f"{audience}-*.png"))
    assert len(images) >= pages
    assert all(p.stat().st_size > 5_000 for p in images[:pages])  # not blank


def test_report_command_refuses_other_formats(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["report", str(EXAMPLES / "small-district.yaml"), "-o", str(tmp_path / "r.docx")]
    )
    assert result.exit_code == 2
    assert "must end in .pdf or .html" in result.output
    assert not (tmp_path / "r.docx").exists()


def test_report_html_is_written_whole(small: DistrictGraph, tmp_path: Path) -> None:
    out = write_report(build_report(small, today=DAY), tmp_path / "sub" / "r.html")
    assert out.read_text("utf-8").startswith("<!doctype html>")
    assert not list(tmp_path.rglob("*.part"))


def test_trend_across_waves(write_yaml: Any) -> None:
    doc = dict(MINI)
    doc["ties"] = [*MINI["ties"], {"source": "p-pres", "target": "p-rep2", "wave": "2025"}]
    report = build_report(workbook_to_graph(load_workbook(write_yaml(doc))), today=DAY)
    assert report.trend_svg is not None
    assert "2024" in report.trend_svg and "2025" in report.trend_svg
    assert "Density" in report.trend_svg
    # A partner sees no trend over three people.
    partner = build_report(workbook_to_graph(load_workbook(write_yaml(doc))), "partner")
    assert partner.trend_svg is None
