"""What saying "what changed" costs a reload: read back + compare, against the upsert itself.

A reload of an existing district (``collabgraph load``, the API upload) now
reads the stored district back and compares it row by row with the workbook
(:func:`collabgraph.workbook.changes.workbook_changes`), so that it can say what
was added, changed and removed per section. The peer is the upsert of the same
workbook into the same store in the same run; the figure is the ratio
(read + compare) / upsert, median of three.

Run::

    .venv/bin/python bench/bench_load_changes.py              # a generated 1,000-school district
    .venv/bin/python bench/bench_load_changes.py --schools 200
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

from collabgraph.generate import generate_workbook  # noqa: E402
from collabgraph.store.embedded import EmbeddedServer  # noqa: E402
from collabgraph.store.falkor import FalkorStore, connect_unix  # noqa: E402
from collabgraph.workbook.changes import workbook_changes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    wb = generate_workbook(args.schools, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-changes-") as tmp:
        server = EmbeddedServer(Path(tmp))
        try:
            store = FalkorStore(connect_unix(str(server.ensure_running())), server=server)
            store.upsert_workbook(wb)
            upsert, read, compare = [], [], []
            for _ in range(3):
                start = time.perf_counter()
                stored = store.read_workbook(wb.district.id)
                read.append(time.perf_counter() - start)
                start = time.perf_counter()
                workbook_changes(stored, wb, replace=False)
                compare.append(time.perf_counter() - start)
                start = time.perf_counter()
                store.upsert_workbook(wb)
                upsert.append(time.perf_counter() - start)
        finally:
            server.stop()
    rows = sum(wb.counts().values())
    up, rd, cp = (statistics.median(x) for x in (upsert, read, compare))
    print(
        f"{args.schools} schools, {rows} rows: upsert {up:.2f} s; read back {rd:.2f} s + "
        f"compare {cp:.3f} s = {(rd + cp) / up:.2f}x the upsert"
    )


if __name__ == "__main__":
    main()
