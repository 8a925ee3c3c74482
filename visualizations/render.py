"""Turn a :class:`View` into one self-contained HTML page.

The node and edge records are assembled with pyvis's own ``Node``/``Edge``
classes inside a pyvis ``Network`` (its data model, option handling and the
vis-network build it ships), and the page is written from our own Jinja
template rather than pyvis's: that template fetches Bootstrap from a CDN and
shows tooltips containing links as raw HTML. Ours:

* inlines vis-network's JavaScript and CSS from the installed pyvis package, so
  the page works with no network at all (nothing is fetched at view time);
* carries the data as a JSON ``<script type="application/json">`` block whose
  ``<``, ``>``, ``&`` and ``'`` are ``\\u``-escaped, so no value can close the
  block, and the script reads it with ``JSON.parse``;
* gives tooltips to vis-network as plain strings, which vis-network 9 puts on
  the page with ``innerText`` (shown as text, never parsed as HTML); labels are
  drawn on the canvas; the legend, title and controls are auto-escaped;
* marks ``document.body.dataset.painted`` (and ``window.viewPaintedAt``) after
  the first frame, which the browser tests and the benchmark wait for.

pyvis's ``add_node``/``add_edge`` check for duplicates by scanning lists (time
quadratic in the graph's size, minutes at 20,000 nodes), so :func:`to_pyvis`
fills the network's lists directly; our builders never produce duplicates.

Examples
--------
>>> view = View(kind="network", title="Two people <&>",
...             nodes=[{"id": "a", "label": "<img src=x onerror=alert(1)>", "x": 0, "y": 0}],
...             edges=[], legend=[LegendItem("Officer", "#8A3100")])
>>> page = view_html(view)
>>> "<img src=x" in page, "\\\\u003cimg src=x" in page, "Two people &lt;&amp;&gt;" in page
(False, True, True)
>>> "http://" in page or "https://" in page
False
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

import jinja2
from markupsafe import Markup

from visualizations.style import FONT_STACK

__all__ = [
    "LABEL_MAX_PX",
    "MIN_LABEL_PX",
    "PHYSICS_MAX_NODES",
    "WEBGL_MIN_NODES",
    "Control",
    "LegendItem",
    "Renderer",
    "View",
    "ViewKind",
    "base_options",
    "safe_json",
    "sigma_assets",
    "to_pyvis",
    "uses_webgl",
    "view_html",
    "vis_assets",
    "write_view",
]

ViewKind = Literal["network", "structure", "counterparts"]

#: Above this many nodes a network map is drawn with WebGL (sigma.js) instead of vis-network.
WEBGL_MIN_NODES: Final = 20_000
#: Which renderer draws a page: chosen by size, or forced.
Renderer = Literal["auto", "vis", "webgl"]

#: Above this many nodes the browser runs no physics at all.
PHYSICS_MAX_NODES: Final = 500
#: Iterations of the short stabilization run on small networks.
STABILIZE_ITERATIONS: Final = 120
#: The largest a label grows (CSS pixels) when zooming in.
LABEL_MAX_PX: Final = 16
#: The smallest label size (CSS pixels) the structure and counterparts views open
#: at: when fitting the whole chart would make labels smaller, the page opens at
#: this size on the top of the chart instead ("Fit" still shows everything).
MIN_LABEL_PX: Final = 12

LegendShape = Literal["dot", "box", "star", "ring", "dashed", "line", "thick-line", "dashed-line"]


@dataclass(frozen=True)
class LegendItem:
    """One entry of a view's legend: a swatch of ``shape`` in ``color``, and a label."""

    label: str
    color: str
    shape: LegendShape = "dot"


@dataclass(frozen=True)
class Control:
    """A drop-down above the view.

    A filter (``target`` ``"nodes"`` or ``"edges"``) shows only the records whose
    ``field`` equals the chosen value, or holds it when the field is a list; the
    empty value shows everything. For a list field, ``empty_matches`` says whether
    a record with an empty list stays (a tie with no wave holds in every wave) or
    goes (a tie with no topic is not about the chosen topic). Other controls
    (``target`` ``"script"``, e.g. ``size-by``) are handled by the page's script by
    their ``id``.
    """

    id: str
    label: str
    choices: list[tuple[str, str]]
    selected: str = ""
    target: Literal["nodes", "edges", "script"] = "script"
    field: str = ""
    empty_matches: bool = False


@dataclass
class View:
    """Everything one interactive view shows.

    ``nodes`` and ``edges`` are vis-network records (``id``, ``label``,
    ``title``, ``x``, ``y``, ``color``...; extra keys are kept for the page's
    script). ``notes`` are short plain-text lines under the legend.
    """

    kind: ViewKind
    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[LegendItem]
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    physics: bool = False
    directed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def base_options(n_nodes: int, *, physics: bool = False) -> dict[str, Any]:
    """vis-network options shared by every view.

    Physics runs only when asked and the view has at most
    :data:`PHYSICS_MAX_NODES` nodes, as a short capped stabilization that the
    page switches off once done.

    >>> base_options(10)["physics"]["enabled"], base_options(10, physics=True)["physics"]["enabled"]
    (False, True)
    >>> base_options(5000, physics=True)["physics"]["enabled"]
    False
    """
    big = n_nodes > 2000
    run = physics and n_nodes <= PHYSICS_MAX_NODES
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "enabled": run,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -3000, "springLength": 120},
            "stabilization": {"enabled": run, "iterations": STABILIZE_ITERATIONS, "fit": True},
        },
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        "nodes": {
            "font": {"size": 14, "face": FONT_STACK},
            "borderWidth": 1,
            # Labels stop growing past LABEL_MAX_PX when zooming in, so zooming in
            # spreads names apart and more of them fit (the page hides colliding ones).
            "scaling": {"label": {"drawThreshold": 6, "maxVisible": LABEL_MAX_PX}},
        },
        "edges": {
            "smooth": False,
            "color": {"color": "#9AA0A6", "highlight": "#333333", "hover": "#333333"},
            "font": {
                "size": 12,
                "face": FONT_STACK,
                "align": "horizontal",
                "background": "#FFFFFF",
            },
            "selectionWidth": 1.5,
        },
    }


def safe_json(data: Any) -> Markup:
    """JSON that can sit inside an HTML ``<script>`` block without closing it.

    >>> str(safe_json({"a": "</script><b>&'"}))
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u0027"}'
    """
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(raw, escaped)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


@functools.cache
def vis_assets() -> tuple[str, str]:
    """vis-network's minified JavaScript and CSS, read from the installed pyvis package."""
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # Neither file holds a closing tag today; make sure one never ends our blocks early.
    js = js.replace("</script", "<\\/script")
    # The script names a few web addresses: licence links in comments, an error
    # message, and the SVG namespace string. None is fetched, but "://" written
    # as ":\\/\\/" (the same string to JavaScript, inside a comment, a string
    # or a regular expression) keeps every address out of the page's text, so a
    # search for "http://" or "https://" in a page finds only what we put there.
    # (The browser test checks separately that a page requests nothing.)
    js = js.replace("://", ":\\/\\/")
    return js, css.replace("</style", "<\\/style")


@functools.cache
def sigma_assets() -> tuple[str, str]:
    """graphology's and sigma.js's minified JavaScript, as vendored in
    ``visualizations/vendor`` (``make vendor`` fetches them from the npm registry)."""
    lib = resources.files("visualizations") / "vendor"
    graphology = (lib / "graphology.umd.min.js").read_text(encoding="utf-8")
    sigma = (lib / "sigma.min.js").read_text(encoding="utf-8")
    return tuple(  # type: ignore[return-value]
        js.replace("</script", "<\\/script").replace("://", ":\\/\\/") for js in (graphology, sigma)
    )


def uses_webgl(view: View, renderer: Renderer = "auto") -> bool:
    """Whether the page of ``view`` is drawn with WebGL.

    >>> small = View("network", "t", [], [], [])
    >>> uses_webgl(small), uses_webgl(small, "webgl")
    (False, True)
    """
    if renderer != "auto":
        return renderer == "webgl"
    return view.kind == "network" and len(view.nodes) > WEBGL_MIN_NODES


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("visualizations", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def to_pyvis(view: View) -> Any:
    """A pyvis ``Network`` holding the view's nodes, edges and options."""
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    net = Network(height="100%", width="100%", directed=view.directed, heading=view.title)
    for record in view.nodes:
        opts = dict(record)
        ident = opts.pop("id")
        shape = opts.pop("shape", "dot")
        label = opts.pop("label", str(ident))
        node = Node(ident, shape, label=label, **opts)
        net.nodes.append(node.options)
        net.node_ids.append(ident)
        net.node_map[ident] = node.options
    for number, record in enumerate(view.edges):
        opts = dict(record)
        # The page's controls update edges by id: give every edge one.
        opts.setdefault("id", f"e{number}")
        edge = Edge(opts.pop("from"), opts.pop("to"), view.directed, **opts)
        net.edges.append(edge.options)
    net.options = base_options(len(view.nodes), physics=view.physics)
    return net


#: What the WebGL page reads of a node and of an edge (besides the filters' fields).
_WEBGL_NODE: Final = ("id", "label", "title", "x", "y", "size", "isolate", "sizes")
_WEBGL_EDGE: Final = ("id", "from", "to", "width")


def _webgl_records(
    view: View, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Node and edge records cut to what the WebGL page uses, so a 100,000-person
    page carries no vis-network styling it would never read."""
    node_fields = {*_WEBGL_NODE, *(c.field for c in view.controls if c.target == "nodes")}
    edge_fields = {*_WEBGL_EDGE, *(c.field for c in view.controls if c.target == "edges")}
    slim_nodes = []
    for n in nodes:
        record = {k: n[k] for k in node_fields if k in n}
        color = n.get("color")
        record["color"] = color.get("background") if isinstance(color, dict) else color
        slim_nodes.append(record)
    slim_edges = [{k: e[k] for k in edge_fields if k in e} for e in edges]
    return slim_nodes, slim_edges


def view_html(view: View, renderer: Renderer = "auto") -> str:
    """The view as one self-contained HTML page (no external resources).

    Network maps over :data:`WEBGL_MIN_NODES` nodes are drawn with WebGL
    (sigma.js), everything else with vis-network; ``renderer`` forces one.
    """
    webgl = uses_webgl(view, renderer)
    net = to_pyvis(view)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    if webgl:
        nodes, edges = _webgl_records(view, nodes, edges)
    js, css = vis_assets() if not webgl else ("", "")
    graphology_js, sigma_js = sigma_assets() if webgl else ("", "")
    data = {
        "kind": view.kind,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "extra": view.extra,
        "filters": [
            {"id": c.id, "target": c.target, "field": c.field, "emptyMatches": c.empty_matches}
            for c in view.controls
            if c.target != "script"
        ],
        "minLabelPx": MIN_LABEL_PX,
        "maxLabelPx": LABEL_MAX_PX,
    }
    template = _environment().get_template("view.html.j2")
    return template.render(
        view=view,
        data=safe_json(data),
        vis_js=Markup(js),
        vis_css=Markup(css),
        webgl=webgl,
        graphology_js=Markup(graphology_js),
        sigma_js=Markup(sigma_js),
        isolate_color_json=safe_json("#B00020"),
        font_stack=Markup(FONT_STACK),
        font_stack_json=safe_json(FONT_STACK),
        n_nodes=len(nodes),
        n_edges=len(edges),
    )


def write_view(view: View, path: Path | str, renderer: Renderer = "auto") -> Path:
    """Write :func:`view_html` to ``path`` (parent folders are created) and return it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(view_html(view, renderer), encoding="utf-8")
    return target
