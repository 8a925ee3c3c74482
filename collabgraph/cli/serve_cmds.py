"""``collabgraph serve``: run the HTTP API (and dashboard) with uvicorn."""

from __future__ import annotations

import errno
import socket
from typing import TYPE_CHECKING, Annotated

import typer

from collabgraph.cli.app import command, console
from collabgraph.errors import CollabGraphError

if TYPE_CHECKING:
    from api.config import Settings

__all__ = ["check_bind", "listen", "serve"]


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
    import secrets

    import uvicorn
    from pydantic import ValidationError

    from api.config import Settings
    from api.main import create_app
    from collabgraph.access import Accounts
    from collabgraph.store import StoreSettings, open_store

    try:
        settings = Settings(host=host, port=port)
    except ValidationError as exc:
        reasons = "; ".join(
            str(e.get("msg", "")).removeprefix("Value error, ") for e in exc.errors()
        )
        raise CollabGraphError(f"cannot start: {reasons}") from None
    check_bind(settings)
    store_settings = StoreSettings.from_env(store)
    listener = listen(host, port)  # before anything else, so a busy port is said plainly
    try:
        opened = open_store(store_settings)  # fail fast, with a clear message
        # No account yet: a one-time link creates the first admin (Jupyter's convention).
        setup = None if Accounts(opened).any() else secrets.token_urlsafe(32)
        app = create_app(settings, store=opened, store_settings=store_settings, setup_token=setup)
        bound = listener.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        if host in ("0.0.0.0", "::"):
            shown = "127.0.0.1"
        base = f"http://{shown}:{bound}"
        console.print(f"collabgraph dashboard: {base}/", soft_wrap=True)
        console.print(f"API and its docs:      {base}/docs", soft_wrap=True)
        if setup is not None:
            console.print(
                "No account yet. Open this one-time link to create the admin account:",
                soft_wrap=True,
            )
            console.print(f"    {base}/setup?token={setup}", soft_wrap=True, highlight=False)
        else:
            console.print(f"Sign in at {base}/signin; Ctrl-C stops the server.", soft_wrap=True)
        config = uvicorn.Config(app, log_level="warning")
        uvicorn.Server(config).run(sockets=[listener])
    finally:
        listener.close()


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one).

    Raises
    ------
    CollabGraphError
        When the address is taken or cannot be used.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise CollabGraphError(f"cannot listen on {host!r}: {exc.strerror}") from exc
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise CollabGraphError(
                f"port {port} on {host} is already in use (another collabgraph serve?): "
                f"stop that program or pick another port with --port"
            ) from exc
        raise CollabGraphError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.set_inheritable(True)
    return sock
