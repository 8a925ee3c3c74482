"""The per-install secret: pseudonyms, CSRF tokens and the one-time setup link use it.

It is 32 random bytes in ``<data dir>/access.key`` (mode 0600), made on first
use. Pseudonyms stay stable for as long as the file is kept; delete it and every
pseudonym changes (and every CSRF token with it).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Final

from collabgraph.access.roles import AccessError

__all__ = ["KEY_FILE", "install_key"]

#: The secret's file name inside the data folder.
KEY_FILE: Final = "access.key"


def install_key(data_dir: Path) -> bytes:
    """The install's secret, made (atomically, mode 0600) when it does not exist yet.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> key = install_key(folder)
    >>> len(key), install_key(folder) == key
    (32, True)
    """
    path = Path(data_dir) / KEY_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    except OSError as exc:
        raise AccessError(f"cannot read the install secret {path}: {exc.strerror}") from exc
    if len(data) == 32:
        return data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = secrets.token_bytes(32)
        tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(fresh)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)  # never replaces a key another process made meanwhile
        except FileExistsError:
            pass
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        data = path.read_bytes()
    except OSError as exc:
        raise AccessError(f"cannot write the install secret {path}: {exc.strerror}") from exc
    if len(data) != 32:
        raise AccessError(f"the install secret {path} is damaged: delete it to make a new one")
    return data
