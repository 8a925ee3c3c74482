"""Benchmark a survey wave's dashboard page against the JSON status route, side by side.

A district of ``--respondents`` reps (default 1,000) in a temporary embedded store, its
survey answered by every rep (ten names each, 10,000 answers) and ``--write-ins`` of them
(default 20) with a write-in each, so the page lists that many write-ins, each with a
select of the whole roster. One app in this process (FastAPI's test client, a bearer
token: no network); requests alternate between

* the page, ``GET /d/{d}/surveys/{wave}`` (status, write-ins with names, the roster,
  rendered to HTML), and
* its peer, ``GET /districts/{d}/surveys/{wave}/status`` (the same status as JSON),

``--repeat`` times each (default 15). Figures: the median of each, page / peer, and the
page's size.

Run::

    .venv/bin/python bench/bench_survey_pages.py [--respondents 1000] [--write-ins 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from api.config import Settings  # noqa: E402
from api.main import create_app  # noqa: E402
from collabgraph.access import Accounts  # noqa: E402
from collabgraph.store.embedded import EmbeddedServer  # noqa: E402
from collabgraph.store.falkor import FalkorStore, connect_unix  # noqa: E402
from collabgraph.survey import AnswerSet, issue_links, save_answers  # noqa: E402
from collabgraph.survey.lifecycle import read_answers  # noqa: E402
from tests.survey.big import big_survey  # noqa: E402

DISTRICT, WAVE = "bench-pages", "w1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--write-ins", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-survey-pages-") as tmp:
        server = EmbeddedServer(Path(tmp))
        store = FalkorStore(connect_unix(str(server.ensure_running())), server=server)
        try:
            big_survey(store, DISTRICT, n=args.respondents, per=10, wave=WAVE)
            answers = read_answers(store, DISTRICT, WAVE)
            links = issue_links(store, DISTRICT, WAVE)[: args.write_ins]
            for i, x in enumerate(links):  # keep the answers, add one write-in
                mine = [
                    {k: a[k] for k in ("question", "person", "frequency")}
                    for a in answers
                    if a["respondent"] == x.id
                ]
                wrote = {"question": "q-union", "name": f"Written In {i}", "frequency": "weekly"}
                body = {"answers": mine, "submitted": True, "write_ins": [wrote]}
                save_answers(store, x.token, AnswerSet.model_validate(body))
            accounts = Accounts(store)
            accounts.add("bench@example.org", "admin", "a long bench password")
            token = accounts.new_token("bench@example.org")
            app = create_app(Settings(allowed_hosts="testserver"), store=store)
            headers = {"Authorization": f"Bearer {token}"}
            urls = {
                "page": f"/d/{DISTRICT}/surveys/{WAVE}",
                "status": f"/districts/{DISTRICT}/surveys/{WAVE}/status",
            }
            times: dict[str, list[float]] = {k: [] for k in urls}
            size = 0
            with TestClient(app, headers=headers) as client:
                for name, url in urls.items():  # warm up
                    assert client.get(url).status_code == 200, name
                for _ in range(args.repeat):
                    for name, url in urls.items():
                        start = time.perf_counter()
                        res = client.get(url)
                        times[name].append(time.perf_counter() - start)
                        assert res.status_code == 200, (name, res.text[:300])
                        if name == "page":
                            size = len(res.content)
        finally:
            store.close()
            server.stop()
    page, status = (statistics.median(times[k]) for k in ("page", "status"))
    print(f"respondents {args.respondents}, answers {args.respondents * 10}, "
          f"write-ins {args.write_ins}, repeat {args.repeat}")  # fmt: skip
    print(f"page   median {page * 1000:7.1f} ms  ({size / 1024:.0f} KiB of HTML)")
    print(f"status median {status * 1000:7.1f} ms")
    print(f"page / status {page / status:.2f}x")


if __name__ == "__main__":
    main()
