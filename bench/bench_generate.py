"""Benchmark ``collabgraph generate`` against peers, side by side in one run.

Figures are ratios of our time (or memory) over a peer's on the same rows in the
same run, so the machine's speed cancels out:

* **one district** (``--schools``, default 1,000): our streaming YAML writer
  (:func:`collabgraph.generate.write_district`) against collecting the same rows
  into one mapping and writing it with libyaml's C emitter
  (``yaml.dump(..., Dumper=yaml.CSafeDumper)``), and against ``json.dump`` of that
  mapping; time (best of ``--repeat``) and peak traced memory (``tracemalloc``);
* **a state** (``--districts``, default 300, of ``--state-schools`` schools each):
  time for the whole run, and the peak traced memory of the run against the peak
  of a run one tenth the size; a ratio near 1 means memory stays flat as the
  number of districts grows.

Run::

    .venv/bin/python bench/bench_generate.py
    .venv/bin/python bench/bench_generate.py --schools 2000 --waves 3 --json out.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from collabgraph.generate import generate_district, write_district, write_districts
from collabgraph.model import FORMAT


def best(fn: Callable[[], Any], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak(fn: Callable[[], Any]) -> int:
    """Peak memory traced while ``fn`` runs, in bytes."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def collect(schools: int, seed: int, waves: int) -> dict[str, Any]:
    """The same district as one in-memory mapping (what the peers write)."""
    out: dict[str, Any] = {"format": FORMAT}
    for section, row in generate_district(schools, seed=seed, waves=waves):
        if section == "district":
            out[section] = row
        else:
            out.setdefault(section, []).append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--waves", type=int, default=1)
    parser.add_argument("--districts", type=int, default=300)
    parser.add_argument("--state-schools", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args()
    results: dict[str, Any] = {}

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n, seed, waves = args.schools, args.seed, args.waves

        def ours() -> None:
            write_district(folder / "ours.yaml", n, seed=seed, waves=waves)

        def peer_yaml() -> None:
            with (folder / "peer.yaml").open("w", encoding="utf-8") as fh:
                yaml.dump(collect(n, seed, waves), fh, Dumper=yaml.CSafeDumper, sort_keys=False)

        def peer_json() -> None:
            with (folder / "peer.json").open("w", encoding="utf-8") as fh:
                json.dump(collect(n, seed, waves), fh, ensure_ascii=False)

        counts = write_district(folder / "ours.yaml", n, seed=seed, waves=waves).counts
        t_ours = best(ours, args.repeat)
        t_yaml = best(peer_yaml, args.repeat)
        t_json = best(peer_json, args.repeat)
        m_ours, m_yaml, m_json = peak(ours), peak(peer_yaml), peak(peer_json)
        results["district"] = {
            "schools": n,
            "waves": waves,
            "rows": sum(counts.values()),
            "ties": counts.get("ties", 0),
            "seconds": round(t_ours, 3),
            "time_vs_csafe_dumper": round(t_ours / t_yaml, 2),
            "time_vs_json_dump": round(t_ours / t_json, 2),
            "peak_mib": round(m_ours / 2**20, 1),
            "memory_vs_csafe_dumper": round(m_ours / m_yaml, 3),
            "memory_vs_json_dump": round(m_ours / m_json, 3),
        }

        d, s = args.districts, args.state_schools
        small = max(1, d // 10)
        start = time.perf_counter()
        files = list(write_districts(folder / "state", d, s, seed=seed, waves=waves))
        t_state = time.perf_counter() - start

        # Consume without keeping the results: only the generator's own memory counts.
        def state(out: Path, count: int) -> None:
            deque(write_districts(out, count, s, seed=seed, waves=waves), maxlen=0)

        m_state = peak(lambda: state(folder / "s2", d))
        m_small = peak(lambda: state(folder / "s3", small))
        results["state"] = {
            "districts": d,
            "schools_each": s,
            "ties": sum(f.counts.get("ties", 0) for f in files),
            "seconds": round(t_state, 2),
            "peak_mib": round(m_state / 2**20, 2),
            f"memory_vs_{small}_districts": round(m_state / m_small, 2),
        }

    for name, figures in results.items():
        print(name)
        for key, value in figures.items():
            print(f"  {key:>28}: {value}")
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
