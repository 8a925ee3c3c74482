"""``collabgraph serve``: run the HTTP API (and dashboard) with uvicorn."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from collabgraph.cli.app import command, console
from collabgraph.errors import CollabGraphError

if TYPE_CHECKING:
    from api.config import Settings

__all__ = ["check_bind", "serve"]


def check_bind(settings: Settings) -> None:
    """Refuse a non-loopback address unless an access token is configured.

    Raises
    ------
    CollabGraphError
        When the server would be reachable from other machines without a token.
    """
    from api.config import is_loopback

    if not is_loopback(settings.host) and settings.api_token is None:
        raise CollabGraphError(
            f"refusing to listen on {settings.host}, which other machines can reach, without "
            "an access token: set COLLABGRAPH_API_TOKEN (clients then send "
            "'Authorization: Bearer <token>'), or keep the default 127.0.0.1"
        )


@command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0 picks a free one).")] = 8000,
    store: Annotated[
        str | None, typer.Option("--store", help="embedded or neo4j (default: from environment)")
    ] = None,
) -> None:
    """Serve the API, its docs (/docs) and the dashboard (/) on the configured store."""
    import uvicorn

    from api.config import Settings
    from api.main import create_app
    from collabgraph.store import StoreSettings, open_store

    settings = Settings(host=host, port=port)
    check_bind(settings)
    store_settings = StoreSettings.from_env(store)
    opened = open_store(store_settings)  # fail fast, with a clear message, before listening
    app = create_app(settings, store=opened)
    console.print(f"collabgraph API on http://{host}:{port}/  (docs: http://{host}:{port}/docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
