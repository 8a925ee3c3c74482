"""Rebuild the Excel and CSV copies of the example workbooks from their YAML sources.

The YAML files are the ones to edit; run this afterwards so the other encodings
match them (tests/test_tabular.py checks that they do)::

    python examples/regenerate.py

For each ``<name>.yaml`` listed below it writes ``<name>.xlsx`` and the folder
``<name>-csv/`` next to it. A source that does not exist yet is skipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = ("abc-unified", "small-district")

if str(HERE.parent) not in sys.path:  # run from a checkout where collabgraph is not installed
    sys.path.append(str(HERE.parent))


def regenerate(folder: Path = HERE) -> list[Path]:
    """Write the .xlsx file and the CSV folder of every example; return what was written."""
    from collabgraph.workbook import Encoding, load_workbook, write_workbook

    written: list[Path] = []
    for name in EXAMPLES:
        source = folder / f"{name}.yaml"
        if not source.exists():
            continue
        wb = load_workbook(source)
        written.append(write_workbook(wb, folder / f"{name}.xlsx", Encoding.XLSX))
        written.append(write_workbook(wb, folder / f"{name}-csv", Encoding.CSV))
    return written


def main() -> int:
    from collabgraph.errors import CollabGraphError

    try:
        written = regenerate()
    except CollabGraphError as err:
        sys.stderr.write(f"{err}\n")
        return 2
    for path in written:
        sys.stdout.write(f"wrote {path.relative_to(HERE.parent)}\n")
    if not written:
        sys.stdout.write("no example sources found\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
