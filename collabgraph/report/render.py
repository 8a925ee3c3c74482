"""The partnership report as an HTML page, and as a PDF printed by headless Chromium.

The page needs nothing from the network: the charts are inline SVG, the fonts
are the installed ones (the same Noto stack as the dashboard). The PDF is the
page printed by Debian's ``chromium`` (``--print-to-pdf``), found on ``PATH`` or
through ``COLLABGRAPH_CHROMIUM``.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Final

import jinja2
from markupsafe import Markup

from collabgraph.errors import CollabGraphError
from collabgraph.fonts import FONT_STACK
from collabgraph.report.build import PartnershipReport, response_schools

__all__ = ["PDF_TIMEOUT", "chromium_path", "html_to_pdf", "report_html", "write_report"]

#: Seconds Chromium may take to print the PDF.
PDF_TIMEOUT: Final = 120
_BROWSERS: Final = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("collabgraph.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def report_html(report: PartnershipReport) -> str:
    """The report as one self-contained HTML page, laid out for printing."""
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            r=report,
            font_stack=Markup(FONT_STACK),
            structure=Markup(report.structure_svg),
            trend=Markup(report.trend_svg) if report.trend_svg else None,
            reps=Markup(report.reps_svg) if report.reps_svg else None,
            schools=response_schools(report.responses)[0],
            more_schools=response_schools(report.responses)[1],
        )
    )


def chromium_path() -> str | None:
    """The Chromium to print with: ``COLLABGRAPH_CHROMIUM``, else the first on ``PATH``."""
    given = os.environ.get("COLLABGRAPH_CHROMIUM")
    if given:
        return given
    return next((found for name in _BROWSERS if (found := shutil.which(name))), None)


def html_to_pdf(html: str, target: Path, workdir: Path | None = None) -> Path:
    """Print ``html`` to the PDF ``target`` with headless Chromium.

    The page (and Chromium's profile) are written to a private temporary folder,
    inside ``workdir`` when given (the server passes a scratch folder under the
    data folder, so a crash leaves no names behind in the system's temporary
    folder), never in the working directory; the PDF appears at ``target`` only
    once complete.

    Raises
    ------
    CollabGraphError
        When no Chromium is found, or it fails or runs past :data:`PDF_TIMEOUT`.
    """
    browser = chromium_path()
    if browser is None:
        raise CollabGraphError(
            "writing a PDF needs Chromium (Debian: apt-get install chromium, or set "
            "COLLABGRAPH_CHROMIUM); write the report as .html instead and print it from a browser"
        )
    with tempfile.TemporaryDirectory(prefix="collabgraph-report-", dir=workdir) as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=PDF_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise CollabGraphError(
                f"Chromium took longer than {PDF_TIMEOUT} s to print the report"
            ) from None
        except OSError as exc:
            raise CollabGraphError(f"cannot run Chromium at {browser}: {exc}") from exc
        if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            tail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise CollabGraphError(f"Chromium could not print the report: {tail[0]}")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copyfile(out, partial)
        partial.replace(target)
    return target


def write_report(report: PartnershipReport, path: Path | str) -> Path:
    """Write the report to ``path``: a PDF for ``.pdf``, the HTML page for ``.html``.

    Raises
    ------
    CollabGraphError
        For any other suffix, or when the PDF cannot be printed.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    html = report_html(report)
    if suffix in (".html", ".htm"):
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_text(html, encoding="utf-8")
        partial.replace(target)
        return target
    if suffix == ".pdf":
        return html_to_pdf(html, target)
    raise CollabGraphError(f"write the report as .pdf or .html, not {target.name!r}")
