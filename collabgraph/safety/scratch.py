"""Private scratch folders under the data folder, removed even after a crash.

An upload is a workbook with people's names in it; it must not linger in the
system's shared temporary folder. Scratch folders live in ``<data dir>/tmp``
(mode 0700), their files are written with mode 0600, and each folder is named
after the process that made it: a folder whose process is gone (killed mid-
upload) is removed the next time any process makes a scratch folder, or when
the API starts (:func:`clean_stale`).

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as data:
...     with scratch_dir(Path(data), "upload") as tmp:
...         path = write_private(tmp / "w.yaml", b"format: collabgraph/1")
...         oct(path.stat().st_mode & 0o777), tmp.parent.name
...     sorted(p.name for p in (Path(data) / "tmp").iterdir())
('0o600', 'tmp')
[]
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Final

__all__ = ["SCRATCH_FOLDER", "clean_stale", "scratch_dir", "write_private"]

#: The scratch folder's name inside the data folder.
SCRATCH_FOLDER: Final = "tmp"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(data_dir: Path) -> list[Path]:
    """Remove scratch folders whose process is no longer running; return what was removed."""
    root = Path(data_dir) / SCRATCH_FOLDER
    removed: list[Path] = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    for entry in entries:
        parts = entry.name.split("-")
        pid = int(parts[-2]) if len(parts) >= 3 and parts[-2].isdigit() else None
        if pid is not None and _alive(pid):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
        removed.append(entry)
    return removed


@contextlib.contextmanager
def scratch_dir(data_dir: Path, purpose: str) -> Iterator[Path]:
    """A fresh folder (mode 0700) under ``<data_dir>/tmp``, removed when the block ends."""
    root = Path(data_dir) / SCRATCH_FOLDER
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(root, 0o700)
    clean_stale(data_dir)
    folder = root / f"{purpose}-{os.getpid()}-{secrets.token_hex(6)}"
    folder.mkdir(mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_private(path: Path, data: bytes) -> Path:
    """Write a new file readable by its owner only (mode 0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path
