"""Working with the views in real headless Chromium: search and focus, filters,
PNG and SVG export, printing, readable label sizes, and glyphs for every script.

Pages are written from examples/small-district.yaml (and a district with Korean,
Japanese, Arabic and Vietnamese names) and opened from disk. Screenshots go to
``test-artifacts/views/`` (not committed).
"""

from __future__ import annotations

import base64
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collabgraph.graph import DistrictGraph, workbook_to_graph
from collabgraph.workbook import load_workbook
from tests.chromium import browser_marks
from tests.conftest import MINI, ROOT
from visualizations import View, build_view, write_view

ARTIFACTS = ROOT / "test-artifacts" / "views"
#: The dashboard frames a view in an iframe about this size (1280-pixel window).
FRAME = {"width": 1206, "height": 600}

pytestmark = browser_marks


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def open_view(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """Open a view's page from disk; yields a function ``(view, viewport) -> page``."""
    contexts: list[Any] = []

    def opener(view: View, viewport: dict[str, int] | None = None) -> Any:
        path = write_view(view, tmp_path / f"{view.kind}-{len(contexts)}.html")
        context = browser.new_context(viewport=viewport or {"width": 1366, "height": 768})
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.errors = errors
        page.goto(path.as_uri())
        page.wait_for_function("document.body.dataset.painted === '1'", timeout=20_000)
        return page

    yield opener
    for context in contexts:
        context.close()


def neighbours(view: View, node: str) -> set[str]:
    out = set()
    for e in view.edges:
        if e["from"] == node:
            out.add(e["to"])
        if e["to"] == node:
            out.add(e["from"])
    return out


def test_search_selects_centres_and_focuses_with_the_keyboard(
    open_view: Any, small_graph: DistrictGraph
) -> None:
    view = build_view("network", small_graph)
    page = open_view(view)
    # Keyboard first: "/" jumps to the search box, typing lists matches, Enter picks.
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search"
    page.keyboard.type("goldb")
    hits = page.locator("#hits li")
    hits.first.wait_for(state="visible")
    assert hits.count() == 1
    assert hits.first.inner_text().startswith("Maya Goldberg")
    page.keyboard.press("Enter")
    maya = "Person:maya-goldberg"
    assert page.evaluate("collabView.state.focused") == maya
    assert page.evaluate("collabView.network.getSelectedNodes()") == [maya]
    # Centred: the node sits in the middle of the drawing area.
    where = page.evaluate(
        """id => { const n = collabView.network, p = n.canvasToDOM(n.getPosition(id));
                   const g = document.getElementById('graph');
                   return [p.x - g.clientWidth / 2, p.y - g.clientHeight / 2]; }""",
        maya,
    )
    assert abs(where[0]) < 2 and abs(where[1]) < 2, where
    # Focus dims everyone but Maya and her neighbours.
    opacity = page.evaluate(
        "() => Object.fromEntries(collabView.nodes.get().map(n => [n.id, n.opacity]))"
    )
    kept = {maya} | neighbours(view, maya)
    assert len(kept) < len(view.nodes)
    for node, value in opacity.items():
        assert value == (1 if node in kept else pytest.approx(0.14)), node
    assert "Maya Goldberg and" in page.locator("#focus-note").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "network-focus.png"))
    # Esc clears the focus.
    page.keyboard.press("Escape")
    assert page.evaluate("collabView.state.focused") is None
    assert set(page.evaluate("collabView.nodes.get().map(n => n.opacity)")) == {1}
    assert page.errors == []


def test_search_finds_titles_schools_and_teams(open_view: Any, small_graph: DistrictGraph) -> None:
    page = open_view(build_view("structure", small_graph))
    # A person's name finds the side group of the team they sit on; a team by its name.
    found = page.evaluate("collabView.search('workload')")
    assert found[0]["id"] == "Team:cmte-workload"
    by_person = {h["id"] for h in page.evaluate("collabView.search('Maya Goldberg')")}
    assert "Team:slt-jefferson-es#side:labor" in by_person
    kept = page.evaluate("id => collabView.focus(id)", "Team:cmte-workload")
    assert "Team:cmte-workload#side:labor" in kept
    assert page.evaluate("collabView.search('')") == []
    assert page.errors == []


def test_filters_in_the_network_map_and_the_structure_chart(
    open_view: Any, small_graph: DistrictGraph
) -> None:
    view = build_view("network", small_graph)
    page = open_view(view)
    shown = "collabView.nodes.get({filter: n => !n.hidden}).map(n => n.id).sort()"
    edges_shown = "collabView.edges.get({filter: e => !e.hidden}).map(e => e.id).sort()"
    page.select_option("#school", "jefferson-es")
    assert page.evaluate(shown) == sorted(
        n["id"] for n in view.nodes if n["school"] == "jefferson-es"
    )
    page.select_option("#school", "")
    page.select_option("#topic", "curriculum")
    assert page.evaluate(edges_shown) == sorted(
        e["id"] for e in view.edges if "curriculum" in e["topics"]
    )
    page.select_option("#topic", "")
    assert len(page.evaluate(edges_shown)) == len(view.edges)

    chart = build_view("structure", small_graph)
    page = open_view(chart)
    page.select_option("#severity", "critical")
    visible = page.evaluate(shown)
    assert visible == ["Team:cmte-workload", "Team:cmte-workload#side:labor"]
    page.select_option("#severity", "")
    page.select_option("#level", "elementary")
    visible = set(page.evaluate(shown))
    teams = {n["id"] for n in chart.nodes if n["kind"] == "team" and n["level"] == "elementary"}
    assert teams and {v for v in visible if not v.count("#")} == teams
    assert page.errors == []


@pytest.mark.parametrize("kind", ["network", "structure", "counterparts"])
def test_png_export_is_twice_the_screen_and_svg_parses(
    kind: str, open_view: Any, small_graph: DistrictGraph, tmp_path: Path
) -> None:
    view = build_view(kind, small_graph)  # type: ignore[arg-type]
    page = open_view(view)
    size = page.evaluate("(g => [g.clientWidth, g.clientHeight])(document.getElementById('graph'))")
    with page.expect_download() as download:
        page.click("#export-png")
    saved = tmp_path / "view.png"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith(".png")
    assert png_size(saved.read_bytes()) == (2 * size[0], 2 * size[1])
    # The same through the page's API (a data URL).
    url = page.evaluate("collabView.exportPNG()")
    assert png_size(base64.b64decode(url.split(",", 1)[1])) == (2 * size[0], 2 * size[1])

    with page.expect_download() as download:
        page.click("#export-svg")
    svg_path = tmp_path / "view.svg"
    download.value.save_as(svg_path)
    root = ET.fromstring(svg_path.read_text("utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert (root.get("width"), root.get("height")) == (str(size[0]), str(size[1]))
    texts = " ".join(t.text or "" for t in root.iter(f"{ns}text"))
    shapes = [e for e in root.iter() if e.tag in {f"{ns}circle", f"{ns}rect", f"{ns}ellipse"}]
    assert len(shapes) >= len([n for n in view.nodes if n.get("shape") != "text"])
    first = next(n for n in view.nodes if n.get("shape") != "text")
    assert str(first["label"]).split("\n")[0] in texts
    assert page.errors == []


def test_print_puts_the_view_on_one_landscape_page(
    open_view: Any, small_graph: DistrictGraph, tmp_path: Path
) -> None:
    if shutil.which("pdfinfo") is None:
        pytest.skip("needs pdfinfo (Debian's poppler-utils; make test installs it)")
    page = open_view(build_view("structure", small_graph))
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    image = page.locator("#print-image")
    assert image.is_visible()
    assert page.evaluate("document.getElementById('print-image').naturalWidth") > 0
    assert not page.locator("#graph").is_visible()
    assert not page.locator(".controls").is_visible()
    pdf = tmp_path / "view.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Pages"].strip() == "1"
    w, h = (float(v) for v in fields["Page size"].split("pts")[0].split(" x "))
    assert w > h, fields["Page size"]


@pytest.mark.parametrize("kind", ["structure", "counterparts"])
def test_default_zoom_keeps_labels_at_12px_in_the_dashboard_frame(
    kind: str, open_view: Any, tmp_path: Path
) -> None:
    graph = workbook_to_graph(load_workbook(ROOT / "examples" / "abc-unified.yaml"))
    page = open_view(build_view(kind, graph), FRAME)  # type: ignore[arg-type]
    # Smallest label on screen = smallest node font size x the canvas scale.
    smallest = page.evaluate("collabView.minLabelPx()")
    assert smallest >= 12, smallest
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"abc-{kind}-frame.png"))
    # "Fit" shows everything, smaller.
    page.click("#fit")
    assert page.evaluate("collabView.network.getScale()") <= page.evaluate(
        "collabView.data.minLabelPx / 12"
    )
    assert page.errors == []


def test_network_labels_never_overlap_at_the_default_zoom(open_view: Any) -> None:
    graph = workbook_to_graph(load_workbook(ROOT / "examples" / "abc-unified.yaml"))
    view = build_view("network", graph)
    page = open_view(view, FRAME)
    boxes = page.evaluate("collabView.labelBoxes")
    assert boxes, "no labels drawn"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a["r"] < b["l"] or a["l"] > b["r"] or a["b"] < b["t"] or a["t"] > b["b"], (a, b)
    labelled = page.evaluate("collabView.nodes.get().filter(n => n.label.trim()).length")
    assert labelled == len(boxes)
    # A name held back at the default zoom (ABC's dense cluster) shows when zoomed in
    # on; its full label is in the tooltip all along.
    held = page.evaluate("collabView.nodes.get().filter(n => !n.label.trim()).map(n => n.id)")
    assert held, "every name fits at the default zoom: nothing to check"
    page.evaluate(
        """id => collabView.network.moveTo({position: collabView.network.getPosition(id),
                                             scale: collabView.network.getScale() * 3})""",
        held[0],
    )
    page.evaluate("collabView.declutter()")
    assert page.evaluate("id => collabView.nodes.get(id).label", held[0]).strip()
    assert page.errors == []


#: Names in four scripts the default fonts of a bare Debian lack.
WORLD_NAMES = {
    "p-supt": "김민준",
    "p-pres": "佐藤 花子",
    "p-rep1": "فاطمة الزهراء",
    "p-rep2": "Nguyễn Thị Minh Khai",
}

#: For each character: whether it draws exactly like a character no font has
#: (the missing-glyph box), compared pixel by pixel on a canvas.
MISSING_GLYPHS = """(text) => {
  const font = '28px ' + getComputedStyle(document.body).fontFamily;
  function draw(ch) {
    const c = document.createElement('canvas'); c.width = 48; c.height = 48;
    const x = c.getContext('2d'); x.font = font; x.fillStyle = '#000';
    x.fillText(ch, 4, 36);
    return Array.from(x.getImageData(0, 0, 48, 48).data).join(',');
  }
  const tofu = draw('\\u{10FFFD}');
  return Array.from(new Set(Array.from(text))).filter(ch => ch.trim() && draw(ch) === tofu);
}"""


def test_no_missing_glyph_boxes_for_korean_japanese_arabic_vietnamese(
    open_view: Any, write_yaml: Any
) -> None:
    fonts = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True)
    if "Noto" not in fonts.stdout:
        pytest.skip("needs Debian's fonts-noto-cjk (make test installs it)")
    doc = dict(MINI)
    doc["people"] = [{**p, "name": WORLD_NAMES.get(p["id"], p["name"])} for p in MINI["people"]]
    graph = workbook_to_graph(load_workbook(write_yaml(doc)))
    text = "".join(WORLD_NAMES.values())
    for kind in ("network", "counterparts"):
        page = open_view(build_view(kind, graph))  # type: ignore[arg-type]
        assert page.evaluate(MISSING_GLYPHS, text) == []
        # The check can fail: characters no font has are reported.
        assert page.evaluate(MISSING_GLYPHS, "a\U0010fffc\u0378") == ["\U0010fffc", "\u0378"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"world-names-{kind}.png"))
        assert page.errors == []


def test_a_big_districts_slt_folds_open_with_a_click(open_view: Any) -> None:
    from collabgraph.generate import generate_workbook

    view = build_view("structure", workbook_to_graph(generate_workbook(60, seed=3)))
    page = open_view(view, FRAME)
    assert page.evaluate("collabView.minLabelPx()") >= 12
    fold = next(n for n in view.nodes if n["kind"] == "slt-group" and len(n["members"]) > 10)
    hidden = "id => collabView.nodes.get(id).hidden"
    assert page.evaluate(hidden, fold["members"][0])
    page.evaluate("collabView.network.fit()")
    where = page.evaluate(
        """id => { const n = collabView.network, p = n.canvasToDOM(n.getPosition(id));
                   const g = document.getElementById('graph').getBoundingClientRect();
                   return {x: g.left + p.x, y: g.top + p.y}; }""",
        fold["id"],
    )
    page.mouse.click(where["x"], where["y"])
    assert page.evaluate("id => collabView.state.open[id]", fold["id"]) is True
    assert not any(page.evaluate(hidden, m) for m in fold["members"])
    # Searching for a folded SLT opens its fold and focuses it.
    other = next(
        n for n in view.nodes if n["kind"] == "slt-group" and n["id"] != fold["id"] and n["members"]
    )
    target = other["members"][0]
    assert page.evaluate(hidden, target)
    page.evaluate("id => collabView.focus(id)", target)
    assert not page.evaluate(hidden, target)
    assert page.evaluate("collabView.state.focused") == target
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "big-structure-open.png"))
    assert page.errors == []
