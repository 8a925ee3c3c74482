"""Interactive API docs (Swagger UI) served from local files: no CDN, works offline."""

from __future__ import annotations

from importlib.resources import files
from typing import Final

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_ASSETS: Final = {
    "swagger-ui-bundle.js": "application/javascript",
    "swagger-ui.css": "text/css",
}


@router.get("/openapi.json")
def openapi(request: Request) -> JSONResponse:
    """The OpenAPI document (for signed-in callers, like everything but health)."""
    return JSONResponse(request.app.openapi())


@router.get("/docs")
def swagger(request: Request) -> HTMLResponse:
    """The Swagger UI page, pointing at our own copies of its assets."""
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}/openapi.json",
        title="collabgraph API",
        swagger_js_url=f"{root}/docs/assets/swagger-ui-bundle.js",
        swagger_css_url=f"{root}/docs/assets/swagger-ui.css",
        swagger_favicon_url="data:,",
    )


@router.get("/docs/assets/{name}")
def asset(name: str) -> Response:
    """A Swagger UI asset from the installed ``fastapi-offline`` package."""
    media = _ASSETS.get(name)
    if media is None:
        return Response(status_code=404)
    data = (files("fastapi_offline") / "static" / name).read_bytes()
    return Response(data, media_type=media, headers={"Cache-Control": "max-age=86400"})
