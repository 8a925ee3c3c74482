"""Debian's headless Chromium for the browser tests and the view benchmark.

One place for where Chromium lives, the flags it needs on a machine with no
network (without them it keeps trying to reach Google's hosts), and the pytest
marks that skip a browser test, with the reason, where Chromium is absent. The
``browser`` fixture (one Chromium per test module) is in ``tests/conftest.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "Watch", "browser_marks"]

#: Where Debian's ``chromium`` package puts the browser (``make test`` installs it).
CHROMIUM = Path("/usr/bin/chromium")

#: Launch flags: headless-friendly, and no background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: ``pytestmark`` for a browser test module.
browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


class Watch:
    """A page's requests that tried to leave 127.0.0.1 (aborted), and its console errors
    (a test appends them); pass :meth:`route` to ``context.route("**/*", ...)``."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []

    def route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "about:")) or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()
