"""Request limits: the body size (on the bytes actually received) and query turns.

A ``Content-Length`` check alone is bypassed by chunked uploads, so the
middleware counts the body as it streams in and answers 413 as soon as the
limit is passed. :class:`QuerySlots` bounds how many researchers' queries run
at once; a query that does not get a turn in time is answered 429.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodySizeLimit", "QuerySlots"]


class QuerySlots:
    """At most ``size`` queries at once; a caller waits up to ``wait_ms`` for a turn.

    >>> slots = QuerySlots(1, wait_ms=0)
    >>> with slots.turn():
    ...     slots.try_turn()
    False
    """

    def __init__(self, size: int, *, wait_ms: int) -> None:
        self.size = size
        self.wait = wait_ms / 1000
        self._sem = threading.BoundedSemaphore(size)

    def try_turn(self) -> bool:
        """Take a turn if one frees up in time (give it back with :meth:`release`)."""
        return self._sem.acquire(timeout=self.wait) if self.wait else self._sem.acquire(False)

    def release(self) -> None:
        """Give a turn back."""
        self._sem.release()

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Hold a turn for the block.

        Raises
        ------
        QueryBusy
            When every turn stays taken for ``wait_ms``.
        """
        from collabgraph.research import QueryBusy

        if not self.try_turn():
            raise QueryBusy(
                f"{self.size} queries are already running (COLLABGRAPH_QUERY_CONCURRENCY); "
                "try again in a moment"
            )
        try:
            yield
        finally:
            self.release()


class BodySizeLimit:
    """ASGI middleware rejecting bodies over ``max_bytes`` with a 413 problem."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(send)
            return
        # Read the whole body first (it is at most max_bytes), then replay it to the app.
        # Answering before the app starts means no half-sent response is ever possible.
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body = message.get("body", b"")
            received += len(body)
            if received > self.max_bytes:
                await self._reject(send)
                return
            chunks.append(body)
            more = bool(message.get("more_body", False))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, send: Send) -> None:
        body: dict[str, Any] = {
            "type": "https://collabgraph.invalid/problems/request-body-too-large",
            "title": "Request body too large",
            "status": 413,
            "detail": f"the request body is larger than the limit of {self.max_bytes} bytes",
            "errors": [],
        }
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
