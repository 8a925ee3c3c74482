"""The three interactive views of a district as self-contained HTML pages.

Each page inlines vis-network and its data (nothing is fetched from anywhere),
so it can be embedded in the dashboard, saved, or opened straight from the API.
Pages are cached per district revision, like the analyses they draw.
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.cache import AnalysisCache
from api.deps import CacheDep, PrincipalDep, SettingsDep, StoreDep
from api.results import (
    counterpart_report,
    district_graph,
    district_stamp,
    gap_report,
    network_report,
)
from api.web import render_page
from collabgraph.store import Store, UnknownDistrict
from visualizations import ViewKind

__all__ = ["VIEW_SECURITY", "aggregate_page", "router", "view_page"]

router = APIRouter(prefix="/districts/{district}/views", tags=["views"])


#: What a view page may load: its own inline script and styles, nothing else.
VIEW_SECURITY: Final = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; frame-ancestors 'self'; base-uri 'none'; "
    "form-action 'none'"
)


def view_page(store: Store, cache: AnalysisCache, district: str, kind: ViewKind) -> str:
    """The HTML page of one view of ``district`` (cached per district revision).

    Parameters
    ----------
    store
        The graph store.
    cache
        The analysis cache.
    district
        The district id.
    kind
        ``network``, ``structure`` or ``counterparts``.

    Returns
    -------
    str
        A complete, self-contained HTML page.

    Raises
    ------
    collabgraph.store.UnknownDistrict
        When the district is not in the store.
    """
    stamp = district_stamp(store, cache, district)

    def build() -> str:
        from visualizations import build_view, view_html

        graph = district_graph(store, cache, district, stamp)
        # Only the report this view draws, from the same cache as the analyses.
        if kind == "network":
            view = build_view(kind, graph, network=network_report(store, cache, district, None))
        elif kind == "structure":
            view = build_view(kind, graph, gaps=gap_report(store, cache, district))
        else:
            view = build_view(kind, graph, counterparts=counterpart_report(store, cache, district))
        return view_html(view)

    page: str = cache.get_or_compute(district, stamp, f"view:{kind}", build)
    return page


def aggregate_page(store: Store, cache: AnalysisCache, district: str, k: int) -> str:
    """The partner's network view: school levels as nodes (cached per revision and k)."""
    stamp = district_stamp(store, cache, district)

    def build() -> str:
        from collabgraph.access import network_aggregate
        from visualizations import view_html
        from visualizations.aggregate_view import build_aggregate_view

        agg = network_aggregate(network_report(store, cache, district, None), k=k)
        return view_html(build_aggregate_view(agg))

    page: str = cache.get_or_compute(district, stamp, f"view:network:aggregate:{k}", build)
    return page


@router.get(
    "/{kind}",
    summary="One interactive view as a self-contained HTML page",
    response_class=HTMLResponse,
    responses={
        200: {
            "description": "The view: vis-network and the data inlined, works offline",
            "content": {"text/html": {}},
        },
        404: {
            "description": "Unknown district (a short HTML page), or one the account may "
            "not see (a problem document)",
            "content": {
                "text/html": {},
                "application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/ProblemDetail"}
                },
            },
        },
    },
)
async def view(
    district: str,
    kind: ViewKind,
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """The natural network map, the structure chart (with the desired structures as
    dashed placeholders) or the counterparts view of a district.

    A partner's network view is the aggregate picture (school levels as nodes)."""
    try:
        if kind == "network" and not principal.sees_people(district):
            page = await run_in_threadpool(
                aggregate_page, store, cache, district, settings.min_group
            )
        else:
            page = await run_in_threadpool(view_page, store, cache, district, kind)
    except UnknownDistrict:
        return render_page(request, "not_found.html.j2", status_code=404, district=district)
    return HTMLResponse(
        page,
        headers={
            "Content-Security-Policy": VIEW_SECURITY,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )
