"""Build a new FalkorDB graph in one pass with ``GRAPH.BULK``.

This is the binary format FalkorDB's own bulk loader (``falkordb-bulk-loader``)
sends, packed straight from the store rows instead of from CSV files:

* ``GRAPH.BULK <graph> [BEGIN] <nodes> <relationships> <labels> <types> <blob>...``
* a label blob is ``name\\0``, the number of properties (uint32), each property
  name ``name\\0``, then one record per node: each property as a type byte and
  its value (``0`` = no value, ``1`` bool, ``2`` double, ``3`` NUL-terminated
  UTF-8 string, ``4`` int64);
* a relationship-type blob has the same header; each record starts with the
  source and target node numbers (uint64), which count nodes in the order they
  were sent, from 0.

The graph must not exist yet; only a staging graph is ever built this way
(``BEGIN`` creates it).

Examples
--------
>>> pack_value("ab"), pack_value(True), pack_value(None)
(b'\\x03ab\\x00', b'\\x01\\x01', b'\\x00')
>>> header("Person", ["id", "name"])
b'Person\\x00\\x02\\x00\\x00\\x00id\\x00name\\x00'
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["BulkCommand", "bulk_commands", "header", "pack_value"]

#: Bytes of entity data per GRAPH.BULK command.
CHUNK_BYTES: Final = 32 * 1024 * 1024

_DOUBLE = struct.Struct("=Bd")
_LONG = struct.Struct("=Bq")
_BOOL = struct.Struct("=B?")
_ENDS = struct.Struct("=QQ")


def _pack_str(value: str) -> bytes:
    return b"\x03" + value.encode("utf-8") + b"\x00"


def _pack_none(value: None) -> bytes:
    return b"\x00"


_PACKERS: Final[dict[type, Callable[[Any], bytes]]] = {
    str: _pack_str,
    int: lambda v: _LONG.pack(4, v),
    float: lambda v: _DOUBLE.pack(2, v),
    bool: lambda v: _BOOL.pack(1, v),
    type(None): _pack_none,
}


def pack_value(value: Any) -> bytes:
    """One property value in the bulk format."""
    try:
        return _PACKERS[type(value)](value)
    except KeyError:
        raise TypeError(f"cannot bulk-load a {type(value).__name__} property") from None


def header(name: str, props: Sequence[str]) -> bytes:
    """A label or relationship-type blob header."""
    parts = [name.encode("utf-8") + b"\x00", struct.pack("=I", len(props))]
    parts.extend(p.encode("utf-8") + b"\x00" for p in props)
    return b"".join(parts)


def _prop_names(rows: Sequence[dict[str, Any]]) -> list[str]:
    names: dict[str, None] = {}
    for row in rows:
        for k in row:
            names.setdefault(k, None)
    return list(names)


@dataclass
class BulkCommand:
    """One ``GRAPH.BULK`` call's arguments after the graph name, and how many rows it holds."""

    args: list[bytes | str | int]
    rows: int


def bulk_commands(
    labels: dict[str, list[dict[str, Any]]],
    types: Sequence[tuple[str, list[tuple[int, int, dict[str, Any]]]]],
    *,
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[BulkCommand]:
    """The ``GRAPH.BULK`` calls that create the given nodes and relationships.

    Parameters
    ----------
    labels : dict
        Label -> node property maps, in the order their node numbers are counted.
    types : sequence
        ``(type, [(source number, target number, properties), ...])``.
    chunk_bytes : int
        Roughly how much entity data goes into one call.
    """
    first = True
    pending_labels: list[bytes] = []
    pending_types: list[bytes] = []
    n_nodes = n_rels = size = 0

    def flush() -> BulkCommand:
        nonlocal first, n_nodes, n_rels, size
        args: list[bytes | str | int] = []
        if first:
            args.append("BEGIN")
            first = False
        args.extend([n_nodes, n_rels, len(pending_labels), len(pending_types)])
        args.extend(pending_labels)
        args.extend(pending_types)
        cmd = BulkCommand(args, n_nodes + n_rels)
        pending_labels.clear()
        pending_types.clear()
        n_nodes = n_rels = size = 0
        return cmd

    def blobs(
        name: str,
        rows: Sequence[Any],
        props: list[str],
        pack_row: Callable[[Any], bytes],
        into: list[bytes],
    ) -> Iterator[tuple[int, int]]:
        """Pack rows into blobs, yielding (rows in blob, bytes) when a blob is closed."""
        head = header(name, props)
        parts: list[bytes] = [head]
        count = 0
        length = len(head)
        for row in rows:
            packed = pack_row(row)
            parts.append(packed)
            count += 1
            length += len(packed)
            if length >= chunk_bytes:
                into.append(b"".join(parts))
                yield count, length
                parts, count, length = [head], 0, len(head)
        if count:
            into.append(b"".join(parts))
            yield count, length

    for label, rows in labels.items():
        props = _prop_names(rows)

        def pack_node(row: dict[str, Any], props: list[str] = props) -> bytes:
            get = row.get
            return b"".join([_PACKERS[type(v := get(p))](v) for p in props])

        for count, length in blobs(label, rows, props, pack_node, pending_labels):
            n_nodes += count
            size += length
            if size >= chunk_bytes:
                yield flush()
    for type_, edges in types:
        props = _prop_names([e[2] for e in edges])

        def pack_edge(edge: tuple[int, int, dict[str, Any]], props: list[str] = props) -> bytes:
            src, dst, attrs = edge
            get = attrs.get
            return _ENDS.pack(src, dst) + b"".join([_PACKERS[type(v := get(p))](v) for p in props])

        for count, length in blobs(type_, edges, props, pack_edge, pending_types):
            n_rels += count
            size += length
            if size >= chunk_bytes:
                yield flush()
    if n_nodes or n_rels or first:
        yield flush()
