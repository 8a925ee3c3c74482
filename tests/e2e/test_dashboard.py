"""The dashboard end to end: a real ``collabgraph serve`` process, real headless Chromium.

Uploads examples/small-district.yaml through the form, checks that each of the
three embedded views painted its canvas and shows its legend, that the
structure chart draws every desired structure as a dashed placeholder, and that
a broken workbook's problems are listed on the page with their places. No
request may leave 127.0.0.1 and the browser console must stay free of errors.
Screenshots go to ``test-artifacts/`` (not committed).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.api.test_pages import broken_small_district
from tests.chromium import browser_marks
from tests.conftest import EXAMPLES, ROOT
from tests.e2e.conftest import Served, sign_in

ARTIFACTS = ROOT / "test-artifacts"
SMALL = EXAMPLES / "small-district.yaml"
DISTRICT = "lakeside-usd"
KINDS = ("network", "structure", "counterparts")

pytestmark = browser_marks

#: Pixels of a canvas that are not transparent (vis-network clears to transparent).
PAINTED_PIXELS = """(canvas) => {
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }
  return {painted, width: canvas.width, height: canvas.height, url: canvas.toDataURL().length};
}"""

#: The structure view's placeholder nodes, read from the page's own data.
PLACEHOLDERS = """() => window.collabView.nodes.get()
  .filter((n) => n.placeholder === true)
  .map((n) => ({
    id: String(n.id),
    desired: String(n.desiredId ?? n.desired_id ?? n.id),
    dashed: Boolean(n.shapeProperties && n.shapeProperties.borderDashes),
  }))"""


class Watch:
    """Requests that tried to leave the machine, and console errors, of one page."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []

    def route(self, route: Any) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} @ {message.location}")

    def page_error(self, error: Any) -> None:
        self.errors.append(f"uncaught: {error}")


@pytest.fixture
def served(server: Served) -> Served:
    return server


@pytest.fixture
def page(browser: Any, server: Served) -> Iterator[tuple[Any, Watch]]:
    """A browser tab signed in as the association of the small district."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    watch = Watch()
    context.route("**/*", watch.route)
    tab = context.new_page()
    tab.on("console", watch.console)
    tab.on("pageerror", watch.page_error)
    tab.set_default_timeout(30_000)
    sign_in(tab, server.base, "association@example.org")
    try:
        yield tab, watch
    finally:
        context.close()


def test_upload_then_see_every_view_and_the_findings(
    served: Served, page: tuple[Any, Watch], tmp_path: Path
) -> None:
    tab, watch = page
    server = served.base
    tab.goto(f"{server}/")
    assert tab.locator("h1").first.inner_text() == "collabgraph"
    assert tab.locator("h2.page").inner_text() == "Districts"
    tab.screenshot(path=str(ARTIFACTS / "dashboard-empty.png"))

    tab.set_input_files("#file", str(SMALL))
    with tab.expect_navigation():
        tab.click("form.upload button[type=submit]")
    assert tab.url == f"{server}/d/{DISTRICT}"
    assert "small-district.yaml loaded" in tab.locator(".flash").inner_text()
    tab.screenshot(path=str(ARTIFACTS / "district-top.png"))

    gaps = httpx.get(
        f"{server}/districts/{DISTRICT}/analyses/gaps", timeout=30, headers=served.bearer()
    ).json()
    assert len(gaps["findings"]) == 6
    rows = tab.locator("tr.finding")
    assert rows.count() == len(gaps["findings"])
    for finding in gaps["findings"]:
        row = tab.locator(
            f'tr.finding[data-subject="{finding["subject"]}"][data-code="{finding["code"]}"]'
        )
        assert finding["message"] in row.inner_text()

    for kind in KINDS:
        frame = tab.frame(name=f"view-{kind}")
        assert frame is not None, kind
        frame.wait_for_function("document.body.dataset.painted === '1'", timeout=30_000)
        canvas = frame.locator("#graph canvas").first
        pixels = canvas.evaluate(PAINTED_PIXELS)
        assert pixels["width"] > 300 and pixels["height"] > 200, (kind, pixels)
        assert pixels["painted"] > 500, (kind, pixels)
        if kind != "network":
            # Labels at least 12 px at the default zoom, inside the dashboard's frame.
            assert frame.evaluate("collabView.minLabelPx()") >= 12, kind
        legend = frame.locator("#legend")
        assert legend.is_visible(), kind
        assert legend.locator("li").count() >= 2, kind
        tab.locator(f"#view-{kind}").scroll_into_view_if_needed()
        tab.locator(f"#view-{kind}").screenshot(path=str(ARTIFACTS / f"view-{kind}.png"))

    structure = tab.frame(name="view-structure")
    assert structure is not None
    placeholders = structure.evaluate(PLACEHOLDERS)
    wanted = {d["id"] for d in gaps["desired_structures"]}
    assert len(wanted) == 3  # an SLT, a committee and a standing meeting
    drawn = {p["desired"] for p in placeholders}
    assert wanted <= drawn, (wanted, placeholders)
    assert all(p["dashed"] for p in placeholders if p["desired"] in wanted), placeholders

    tab.locator("#findings").scroll_into_view_if_needed()
    tab.screenshot(path=str(ARTIFACTS / "district-findings.png"))
    for section in ("structure-worksheet", "standing-meetings"):
        tab.locator(f"#{section}").scroll_into_view_if_needed()
        tab.locator(f"#{section}").screenshot(path=str(ARTIFACTS / f"district-{section}.png"))
    tab.screenshot(path=str(ARTIFACTS / "district-full.png"), full_page=True)

    # The report button opens the printable report.
    report = tab.locator("p.report-link a.button")
    assert report.get_attribute("href") == f"/d/{DISTRICT}/report"
    tab.goto(f"{server}/d/{DISTRICT}/report")
    assert tab.locator("section.page").count() == 3
    assert tab.locator("figure.structure svg").count() == 1
    tab.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)

    assert watch.outside == []
    assert watch.errors == []


def test_a_broken_workbook_shows_its_problems_with_their_places(
    served: Served, page: tuple[Any, Watch], tmp_path: Path
) -> None:
    tab, watch = page
    server = served.base
    broken = tmp_path / "broken-district.yaml"
    broken.write_bytes(broken_small_district())
    before = httpx.get(f"{server}/districts", timeout=30, headers=served.bearer()).json()
    tab.goto(f"{server}/")
    tab.set_input_files("#file", str(broken))
    tab.check("input[name=replace]")
    with tab.expect_navigation():
        tab.click("form.upload button[type=submit]")
    problems = tab.locator("#problems")
    assert problems.is_visible()
    assert "3 problems" in problems.locator("h2").inner_text()
    rows = problems.locator("tr.problem")
    assert rows.count() == 3
    wheres = [rows.nth(i).locator("td.where").inner_text() for i in range(3)]
    assert wheres == [
        "broken-district.yaml, line 46, at schools[4].level",
        "broken-district.yaml, line 206, at ties[0].source",
        "broken-district.yaml, line 207, at ties[1].target",
    ]
    reasons = " ".join(rows.nth(i).locator("td.reason").inner_text() for i in range(3))
    assert "'boarding-school' is not an allowed level value" in reasons
    assert "unknown person 'nobody-here'" in reasons
    assert "cannot have a tie to themselves" in reasons
    tab.locator("#problems").scroll_into_view_if_needed()
    tab.screenshot(path=str(ARTIFACTS / "upload-errors.png"))
    assert httpx.get(f"{server}/districts", timeout=30, headers=served.bearer()).json() == before
    assert tab.is_checked("input[name=replace]")  # the form keeps what was asked

    assert watch.outside == []
    # Chromium reports the page's own 422 status on the console; that status is what
    # this test asks for. Anything else is an error.
    expected = (
        "Failed to load resource: the server responded with a status of 422"
        f" (Unprocessable Entity) @ {{'url': '{server}/upload'"
    )
    assert [e for e in watch.errors if not e.startswith(expected)] == []
    assert len(watch.errors) <= 1
