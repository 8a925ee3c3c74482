"""The partnership report: two to four printable pages to bring to a DLT meeting.

The headline figures with what they mean, the findings with their suggested
changes, the structure chart, and charts (the network's trend across survey
waves, building reps against staff per school) -- as one HTML page that
prints on Letter paper, or as a PDF printed by headless Chromium.

``collabgraph report DISTRICT -o report.pdf`` (or ``.html``) writes it; the
dashboard's district page links to it. ``--audience partner`` makes the copy
for the district side: no person named, network figures only over groups of at
least five people.

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Workbook
>>> graph = workbook_to_graph(Workbook(district=District(id="d", name="D")))
>>> page = report_html(build_report(graph))
>>> page.startswith("<!doctype html>"), "https://" in page
(True, False)
"""

from __future__ import annotations

from collabgraph.report.build import (
    AUDIENCES,
    MIN_GROUP,
    Audience,
    FigureRow,
    FindingRow,
    PartnershipReport,
    build_report,
)
from collabgraph.report.render import chromium_path, html_to_pdf, report_html, write_report

__all__ = [
    "AUDIENCES",
    "MIN_GROUP",
    "Audience",
    "FigureRow",
    "FindingRow",
    "PartnershipReport",
    "build_report",
    "chromium_path",
    "html_to_pdf",
    "report_html",
    "write_report",
]
