"""One client process of the survey burst: PUT answers, note each one acknowledged.

``python -m tests.survey.burst_client BASE TOKENS OUT`` reads ``id token`` lines from
TOKENS and appends ``id status`` to OUT (flushed per line, so a line is there as soon
as the answer was acknowledged); connection errors are written as status ``0``.
With ``--stop-on-error`` it stops at the first connection error.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx


def answers_of(person: str, roster: list[str]) -> dict[str, object]:
    """The answers a burst respondent gives: three names for q-data, one for q-union."""
    i = roster.index(person)
    named = [roster[(i + k) % len(roster)] for k in (1, 2, 3)]
    return {
        "answers": [{"question": "q-data", "person": p, "frequency": "weekly"} for p in named]
        + [{"question": "q-union", "person": named[0], "frequency": "monthly"}],
        "submitted": True,
    }


def main(argv: list[str]) -> int:
    base, tokens_path, out_path = argv[0], Path(argv[1]), Path(argv[2])
    stop_on_error = "--stop-on-error" in argv
    roster = Path(argv[argv.index("--roster") + 1]).read_text().split()
    pairs = [line.split() for line in tokens_path.read_text().splitlines() if line.strip()]
    with httpx.Client(base_url=base, timeout=30) as client, out_path.open("a") as out:
        for person, token in pairs:
            started = time.perf_counter()
            try:
                res = client.put(f"/s/{token}/answers", json=answers_of(person, roster))
                status = res.status_code
            except httpx.HTTPError:
                status = 0
            took = time.perf_counter() - started
            out.write(f"{person} {status} {took:.6f}\n")
            out.flush()
            if status == 0 and stop_on_error:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
