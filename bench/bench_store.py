"""Benchmark the embedded store against its peers, side by side in one run.

Each figure is a ratio against a peer doing the same work on the same data,
against the same FalkorDB server, in the same run:

* **initial load** of a new district: ``store.upsert_workbook`` (validated
  workbook -> graph -> GRAPH.BULK into a staging graph -> RENAME) against
  FalkorDB's own bulk loader (``falkordb-bulk-insert``, from CSV files written
  beforehand, with an index on the id);
* **memory** of the loaded graph (``MEMORY USAGE``) against the bulk-loaded one;
* **incremental upsert** of a new survey wave into the existing district
  (``store.upsert_workbook``: GRAPH.COPY + batched UNWIND MERGE + RENAME)
  against a raw ``UNWIND ... MERGE`` loop with the ``falkordb`` client straight
  into a copy of the district, same batch size, both from the district as it
  was before the update, ``--repeat`` times (median of the per-run ratios);
  it is also put against the product's own bulk rebuild: the updated district
  loaded whole with ``replace=True`` (GRAPH.BULK of everything);
* **read** of the district into networkx (``store.read_graph``: every node and
  relationship with all properties) and into a workbook (``store.read_workbook``)
  against the raw client's ``MATCH (a)-[e]->(b) RETURN a.id, b.id, id(e)`` pull
  plus ``add_edges_from`` keyed on ``id(e)`` (without ``id(e)`` in the result,
  FalkorDB 4.16 returns one row per pair of ends and silently drops parallel
  edges: such a pull does about half the work); best of three, interleaved;
* **load from a file** (the 1,000-school district only): the whole
  ``collabgraph load --replace`` command (parse, validate, write) on the same
  district written as JSON, a CSV folder, xlsx and YAML, each run a first load
  of the district, against a peer process that starts from the same file: it
  reads it with the plain library (``json``, ``csv``, openpyxl read-only,
  libyaml), writes the rows out as CSV and runs the bulk loader on the
  district's graph CSVs (:data:`FILE_PEER`); the bare bulk loader from its CSV
  files is shown too, and for YAML our load is also put against libyaml's
  parse of the same file (``yaml.CSafeLoader``) plus our write.

Run::

    .venv/bin/python bench/bench_store.py                # abc + 1,000 schools
    .venv/bin/python bench/bench_store.py --large        # + 100k people / 1M ties
    .venv/bin/python bench/bench_store.py --json out.json
    .venv/bin/python bench/bench_store.py --files-only --repeat 3   # just the file loads
    .venv/bin/python bench/bench_store.py --scales-only --repeat 3  # no file loads
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collabgraph.cypher import statement  # noqa: E402
from collabgraph.graph import workbook_to_graph  # noqa: E402
from collabgraph.model import District, Person, Position, School, Tie, Workbook  # noqa: E402
from collabgraph.store.embedded import EmbeddedServer  # noqa: E402
from collabgraph.store.falkor import FalkorStore, connect_unix, graph_key  # noqa: E402
from collabgraph.store.rows import store_rows  # noqa: E402

BATCH = 2000


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def synthetic(district: str, people: int, ties: int, *, seed: int, wave: str) -> Workbook:
    """``people`` people at ``people/50`` schools with a rep each, ``ties`` ties in one wave."""
    rng = random.Random(seed)
    n_schools = max(1, people // 50)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < ties:
        a, b = rng.randrange(people), rng.randrange(people)
        if a != b:
            pairs.add((a, b))
    return Workbook(
        district=District(id=district, name=district),
        schools=[School(id=f"s{i}", name=f"School {i}", level="high") for i in range(n_schools)],
        people=[
            Person(id=f"p{i}", name=f"Person {i}", side="labor", school=f"s{i % n_schools}")
            for i in range(people)
        ],
        positions=[
            Position(
                id=f"rep{i}",
                title="Building rep",
                side="labor",
                kind="building_rep",
                level="school",
                school=f"s{i}",
                holder=f"p{i}",
            )
            for i in range(n_schools)
        ],
        ties=[
            Tie(source=f"p{a}", target=f"p{b}", weight=round(rng.uniform(0.1, 1), 3), wave=wave)
            for a, b in sorted(pairs)
        ],
    )


def with_wave(wb: Workbook, ties: list[Tie]) -> Workbook:
    """The same district with a different set of ties (a new survey wave)."""
    return wb.model_copy(update={"ties": ties})


def write_csvs(g: nx.MultiDiGraph, folder: Path) -> list[str]:
    """The district graph as bulk-loader CSV files; returns the loader's arguments."""
    args: list[str] = []
    by_label: dict[str, list[dict[str, Any]]] = {}
    for key, data in g.nodes(data=True):
        by_label.setdefault(data["kind"], []).append({"_key": key, **data})
    for label, rows in by_label.items():
        cols = sorted({k for r in rows for k in r} - {"kind", "_key"})
        path = folder / f"{label}.csv"
        with path.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["_key", *cols])
            for r in rows:
                w.writerow([r["_key"], *(r.get(c, "") for c in cols)])
        args += ["-N", label, str(path)]
    by_type: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for u, v, data in g.edges(data=True):
        by_type.setdefault(data["type"], []).append((u, v, data))
    for type_, edges in by_type.items():
        cols = sorted({k for _, _, d in edges for k in d} - {"type"})
        path = folder / f"{type_}.csv"
        with path.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["src", "dst", *cols])
            for u, v, d in edges:
                w.writerow([u, v, *(d.get(c, "") for c in cols)])
        args += ["-R", type_, str(path)]
    return args


def memory(store: FalkorStore, key: str) -> float:
    """The graph's size in MB as FalkorDB reports it (``GRAPH.MEMORY USAGE``)."""
    reply = store._cmd("GRAPH.MEMORY", "USAGE", key)
    return float(dict(zip(reply[::2], reply[1::2], strict=False))["total_graph_sz_mb"])


def bench_scale(
    store: FalkorStore, name: str, wb: Workbook, wave2: list[Tie], repeat: int = 3
) -> dict[str, Any]:
    socket = str(store.server.socket_path) if store.server else ""
    d = wb.district.id
    out: dict[str, Any] = {
        "scale": name,
        "people": len(wb.people),
        "ties": len(wb.ties),
        "new_ties": len(wave2),
    }
    g = workbook_to_graph(wb)
    out["nodes"], out["relationships"] = g.number_of_nodes(), g.number_of_edges()

    # -- initial load ---------------------------------------------------------------
    with tempfile.TemporaryDirectory() as tmp:
        csv_args = write_csvs(g, Path(tmp))
        peer_key = f"bench-bulk:{d}"
        store.r.delete(peer_key)
        cmd = [
            str(Path(sys.executable).with_name("falkordb-bulk-insert")),
            peer_key,
            "-u", f"unix://{socket}",
            "-i", "Person:id",
            *csv_args,
        ]  # fmt: skip
        t_peer, _ = timed(lambda: subprocess.run(cmd, check=True, capture_output=True))
    store.delete_district(d) if store.has_district(d) else None
    t_ours, _ = timed(lambda: store.upsert_workbook(wb, replace=True))
    out["load_s"], out["bulk_loader_s"] = t_ours, t_peer
    out["load_ratio"] = t_ours / t_peer
    out["memory_mb"], out["bulk_memory_mb"] = memory(store, graph_key(d)), memory(store, peer_key)
    out["memory_ratio"] = out["memory_mb"] / max(1.0, out["bulk_memory_mb"])
    store.r.delete(peer_key)

    # -- incremental upsert ---------------------------------------------------------
    # The peer MERGEs exactly the rows the store writes (every node and relationship
    # of the update workbook), with the same statements and batch size, straight
    # into a copy of the district: no staging copy, no pruning, no swap. Both start
    # from the district as it was before the update (kept aside as ``bench-base``),
    # ``repeat`` times, alternating which goes first; the ratio is the median of
    # the per-run ratios.
    update = with_wave(wb, wave2)
    raw_key, base_key = f"bench-raw:{d}", f"bench-base:{d}"
    store.r.delete(raw_key, base_key)
    store._cmd("GRAPH.COPY", graph_key(d), base_key)
    raw = store.db.select_graph(raw_key)
    rows = store_rows(workbook_to_graph(update))

    def raw_upsert() -> None:
        for group in (rows.nodes, rows.edges):
            for name, batch_rows in group.items():
                text = statement(name)
                for i in range(0, len(batch_rows), BATCH):
                    raw.query(text, {"rows": batch_rows[i : i + BATCH]})

    def run_raw() -> float:
        store.r.delete(raw_key)
        store._cmd("GRAPH.COPY", base_key, raw_key)
        return timed(raw_upsert)[0]

    def run_ours() -> float:
        store.r.delete(graph_key(d))
        store._cmd("GRAPH.COPY", base_key, graph_key(d))
        return timed(lambda: store.upsert_workbook(update))[0]

    raws: list[float] = []
    ours: list[float] = []
    for i in range(repeat):
        if i % 2:
            ours.append(run_ours())
            raws.append(run_raw())
        else:
            raws.append(run_raw())
            ours.append(run_ours())
    t_raw, t_up = statistics.median(raws), statistics.median(ours)
    out["upsert_s"], out["raw_merge_s"] = t_up, t_raw
    out["upsert_runs"], out["raw_merge_runs"] = ours, raws
    out["upsert_ratio"] = statistics.median(o / r for o, r in zip(ours, raws, strict=True))
    out["upsert_rows"] = rows.total
    # Same input, same rows: the peer's copy holds every node ours does, and at least
    # every relationship (it only merges; ours also prunes what the update dropped).
    ours_counts = store.counts(d)
    peer_nodes = raw.ro_query("MATCH (n) RETURN count(n)").result_set[0][0]
    peer_rels = raw.ro_query("MATCH ()-[r]->() RETURN count(r)").result_set[0][0]
    if peer_nodes != ours_counts.node_total or peer_rels < ours_counts.relationship_total:
        raise SystemExit(
            f"upsert peer holds {peer_nodes} nodes / {peer_rels} relationships, ours "
            f"{ours_counts.node_total} / {ours_counts.relationship_total}"
        )
    store.r.delete(raw_key, base_key)

    # The product's own alternative: rebuild the updated district whole (GRAPH.BULK).
    merged = with_wave(
        update, [*wb.ties, *(t for t in wave2 if t.key not in {x.key for x in wb.ties})]
    )
    t_rebuild, _ = timed(lambda: store.upsert_workbook(merged, replace=True))
    out["rebuild_s"] = t_rebuild
    out["upsert_vs_rebuild"] = t_up / t_rebuild

    # -- read -------------------------------------------------------------------------
    def raw_read() -> nx.MultiDiGraph:
        result = store.db.select_graph(graph_key(d)).ro_query(
            "MATCH (a)-[e]->(b) RETURN a.id, b.id, id(e)"
        )
        h: nx.MultiDiGraph = nx.MultiDiGraph()
        h.add_edges_from(result.result_set)
        return h

    # Best of three, interleaved (one run each is at the mercy of a busy machine).
    runs = [
        (timed(raw_read), timed(lambda: store.read_graph(d)), timed(lambda: store.read_workbook(d)))
        for _ in range(3)
    ]
    t_raw_read, h = min((r[0] for r in runs), key=lambda x: x[0])
    t_read, g_read = min((r[1] for r in runs), key=lambda x: x[0])
    t_read_wb = min(r[2][0] for r in runs)
    if h.number_of_edges() != g_read.number_of_edges():
        raise SystemExit(
            f"read peer saw {h.number_of_edges()} edges, ours {g_read.number_of_edges()}"
        )
    out["read_s"], out["raw_read_s"], out["read_wb_s"] = t_read, t_raw_read, t_read_wb
    out["read_ratio"] = t_read / t_raw_read
    out["read_wb_ratio"] = t_read_wb / t_raw_read
    out["read_edges"] = g_read.number_of_edges()
    store.delete_district(d)
    return out


#: The first-load peer for one workbook file, run as its own process: read the
#: same file with the plain library for its encoding (``json``, ``csv``, openpyxl
#: in read-only mode, libyaml), write every section's rows out as CSV (the
#: conversion the bulk loader needs, as many rows and cells as the workbook
#: holds), then run ``falkordb-bulk-insert`` on the district's graph CSVs. It
#: validates nothing: that is the product's extra work.
FILE_PEER = """
import csv, json, subprocess, sys, tempfile
from pathlib import Path
path, encoding, loader = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
sections = {}
if encoding == "json":
    doc = json.loads(path.read_text("utf-8"))
    sections = {k: v for k, v in doc.items() if isinstance(v, list)}
elif encoding == "yaml":
    import yaml
    doc = yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)
    sections = {k: v for k, v in doc.items() if isinstance(v, list)}
elif encoding == "csv":
    for f in sorted(path.glob("*.csv")):
        with f.open(newline="", encoding="utf-8") as handle:
            sections[f.stem] = list(csv.DictReader(handle))
else:
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        head = next(rows, ())
        sections[sheet.title] = [dict(zip(head, r)) for r in rows]
    book.close()
with tempfile.TemporaryDirectory() as tmp:
    for name, rows in sections.items():
        cols = sorted({k for r in rows for k in r})
        with open(Path(tmp) / (name + ".csv"), "w", newline="") as out:
            w = csv.writer(out)
            w.writerow(cols)
            w.writerows([r.get(c, "") for c in cols] for r in rows)
subprocess.run(loader, check=True, capture_output=True)
"""

ENCODINGS = (("json", "d.json"), ("csv", "d-csv"), ("xlsx", "d.xlsx"), ("yaml", "d.yaml"))


def bench_files(store: FalkorStore, wb: Workbook, data: Path, repeat: int = 3) -> dict[str, Any]:
    """The whole ``collabgraph load`` from each file format against a peer from the same file.

    Every run of ours is the first load of the district (it is deleted before):
    the bulk loader, too, builds a new graph. (A reload also reads the stored
    district back to report what changed: ``bench_load_changes.py``.) For each
    encoding the peer is :data:`FILE_PEER` started from the same file; the bare
    bulk loader from its CSV files is shown too. Medians of ``repeat``,
    interleaved (ours right after its peer).
    """
    import os
    import statistics

    import yaml

    from collabgraph.workbook import write_workbook

    d = wb.district.id
    socket = str(store.server.socket_path) if store.server else ""
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    env.pop("NEO4J_URI", None)
    runs: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "bulk").mkdir()
        csv_args = write_csvs(workbook_to_graph(wb), folder / "bulk")  # the bulk loader's files
        peer_key = f"bench-bulk:{d}"
        bulk = [
            str(Path(sys.executable).with_name("falkordb-bulk-insert")),
            peer_key, "-u", f"unix://{socket}", "-i", "Person:id", *csv_args,
        ]  # fmt: skip
        load = [sys.executable, "-m", "collabgraph", "load", "--replace"]
        paths = {e: write_workbook(wb, folder / name, e) for e, name in ENCODINGS}

        def run(cmd: list[str]) -> float:
            t, _ = timed(lambda: subprocess.run(cmd, check=True, capture_output=True, env=env))
            return t

        for _ in range(repeat):
            store.r.delete(peer_key)
            runs.setdefault("bulk_loader", []).append(run(bulk))
            for encoding, _name in ENCODINGS:
                store.r.delete(peer_key)
                peer = [sys.executable, "-c", FILE_PEER, str(paths[encoding]), encoding, *bulk]
                runs.setdefault(f"{encoding}_peer", []).append(run(peer))
                if store.has_district(d):
                    store.delete_district(d)
                runs.setdefault(encoding, []).append(run([*load, str(paths[encoding])]))
        store.r.delete(peer_key)
        text = paths["yaml"].read_text("utf-8")
        for _ in range(repeat):
            runs.setdefault("libyaml_parse", []).append(
                timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader))[0]
            )
            runs.setdefault("write", []).append(
                timed(lambda: store.upsert_workbook(wb, replace=True))[0]
            )
    store.delete_district(d)
    out: dict[str, Any] = {"repeat": repeat, "runs": runs}
    med = {k: statistics.median(v) for k, v in runs.items()}
    out["bulk_loader_s"] = med["bulk_loader"]
    for encoding, _name in ENCODINGS:
        out[f"{encoding}_s"] = med[encoding]
        out[f"{encoding}_peer_s"] = med[f"{encoding}_peer"]
        # ratios within each run (ours and its peer side by side), then their median
        out[f"{encoding}_ratio"] = statistics.median(
            o / p for o, p in zip(runs[encoding], runs[f"{encoding}_peer"], strict=True)
        )
        out[f"{encoding}_vs_bare_loader"] = statistics.median(
            o / p for o, p in zip(runs[encoding], runs["bulk_loader"], strict=True)
        )
    out["libyaml_parse_s"], out["write_s"] = med["libyaml_parse"], med["write"]
    out["yaml_vs_libyaml"] = out["yaml_s"] / (out["libyaml_parse_s"] + out["write_s"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--large", action="store_true", help="add 100k people / 1M ties")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument(
        "--files-only", action="store_true", help="only the loads from files (skip the scales)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each upsert and file load (median)"
    )
    parser.add_argument("--scales-only", action="store_true", help="skip the loads from files")
    args = parser.parse_args(argv)

    scales: list[tuple[str, Workbook, list[Tie]]] = []
    abc = ROOT / "examples" / "abc-unified.yaml"
    if abc.exists():
        from collabgraph.workbook import load_workbook

        wb = load_workbook(abc)
        scales.append(("abc-unified", wb, list(wb.ties)))
    from collabgraph.generate import generate_workbook

    gen = generate_workbook(1000, seed=1, waves=2)
    wave1 = [t for t in gen.ties if t.wave == "wave-1"]
    wave2 = [t for t in gen.ties if t.wave != "wave-1"]
    scales.append(("1,000 schools", with_wave(gen, wave1), wave2))
    if args.large:
        big = synthetic("large", 100_000, 1_000_000, seed=1, wave="w1")
        new = synthetic("large", 100_000, 50_000, seed=2, wave="w2").ties
        scales.append(("100k people / 1M ties", big, new))

    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedServer(Path(tmp))
        store = FalkorStore(connect_unix(str(server.ensure_running())), server=server)
        try:
            results = (
                []
                if args.files_only
                else [bench_scale(store, *scale, repeat=args.repeat) for scale in scales]
            )
            files = (
                {}
                if args.scales_only
                else bench_files(
                    store, generate_workbook(1000, seed=7, waves=3), Path(tmp), args.repeat
                )
            )
        finally:
            store.close()
            server.stop()

    print(
        f"{'scale':<24}{'nodes':>9}{'rels':>10} | {'load s':>7}{'bulk s':>8}{'ratio':>7} | "
        f"{'mem':>6} | {'upsert s':>9}{'raw s':>8}{'ratio':>7}{'rebuild':>8}{'ratio':>7} | "
        f"{'read s':>7}{'raw s':>7}{'ratio':>7}{'wb s':>7}{'ratio':>7}"
    )
    for r in results:
        print(
            f"{r['scale']:<24}{r['nodes']:>9}{r['relationships']:>10} | "
            f"{r['load_s']:>7.2f}{r['bulk_loader_s']:>8.2f}{r['load_ratio']:>7.2f} | "
            f"{r['memory_ratio']:>6.2f} | "
            f"{r['upsert_s']:>9.2f}{r['raw_merge_s']:>8.2f}{r['upsert_ratio']:>7.2f}"
            f"{r['rebuild_s']:>8.2f}{r['upsert_vs_rebuild']:>7.2f} | "
            f"{r['read_s']:>7.2f}{r['raw_read_s']:>7.2f}{r['read_ratio']:>7.2f}"
            f"{r['read_wb_s']:>7.2f}{r['read_wb_ratio']:>7.2f}"
        )
    if files:
        print(
            "collabgraph load (first load) of the 1,000-school district (waves=3), median of "
            f"{files['repeat']}; peer = the same file read by the plain library, written as CSV, "
            f"then the bulk loader; bare bulk loader from its CSVs {files['bulk_loader_s']:.2f} s:"
        )
        for e, _name in ENCODINGS:
            print(
                f"  {e:<5} ours {files[e + '_s']:.2f} s, peer {files[e + '_peer_s']:.2f} s: "
                f"{files[e + '_ratio']:.2f}x "
                f"(vs the bare loader {files[e + '_vs_bare_loader']:.2f}x)"
            )
        print(
            f"  yaml vs libyaml parse {files['libyaml_parse_s']:.2f} s"
            f" + write {files['write_s']:.2f} s = {files['yaml_vs_libyaml']:.2f}x"
        )
    if args.json:
        args.json.write_text(json.dumps({"scales": results, "files": files}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
