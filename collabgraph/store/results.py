"""Analysis results kept in the embedded store, per district revision.

Every write of a district (load, row edit, survey close, erasure) gives it a new
revision token (``collabgraph-version:<district>``). A result kept under the
token it was computed from can therefore never be served stale: once the token
changes it is never read again, and the next result kept for the district
replaces every older one. The results of a district live in one hash,
``collabgraph-results:<district>``:

* its field ``revision`` is the token they were computed from; every other
  field is one result (zlib-compressed text, in base64), named by a digest of what was
  asked (command, options, the day, the installed code);
* at most :data:`MAX_ENTRIES` results per district and :data:`MAX_BYTES` per
  result; the hash expires :data:`TTL_SECONDS` after its last write;
* a result is kept only if the token has not changed since it was read,
  before the district was read (``WATCH``), so a write during an analysis
  keeps its result out;
* :func:`purge_results` removes every district's results: the store calls it
  when it deletes a district and before it rewrites its files after an
  erasure (:meth:`collabgraph.store.falkor.FalkorStore.compact`), so an erased
  person's name never survives in an old result.

Examples
--------
>>> result_key("abc-unified")
'collabgraph-results:abc-unified'
>>> len(digest("analyze", "--json"))
32
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from pathlib import Path
from typing import Any, Final

import redis

from collabgraph.store.keys import VERSION_PREFIX

__all__ = [
    "MAX_BYTES",
    "MAX_ENTRIES",
    "RESULTS_PREFIX",
    "TTL_SECONDS",
    "ResultCache",
    "code_fingerprint",
    "digest",
    "purge_results",
    "result_key",
]

RESULTS_PREFIX: Final = "collabgraph-results:"
#: Results kept per district (one per set of options asked).
MAX_ENTRIES: Final = 8
#: The largest result kept, compressed.
MAX_BYTES: Final = 32 * 1024 * 1024
#: A district's results expire this long after the last one was kept.
TTL_SECONDS: Final = 7 * 24 * 3600

_REVISION: Final = "revision"


def result_key(district: str) -> str:
    """The hash that holds a district's results."""
    return RESULTS_PREFIX + district


def digest(*parts: str) -> str:
    """A short name for what was asked."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def code_fingerprint() -> str:
    """Names, sizes and times of the installed collabgraph sources: a result computed by
    other code (an upgrade, an edited checkout) is never served."""
    root = Path(__file__).resolve().parents[1]
    marks = [
        f"{p.relative_to(root)}:{s.st_size}:{s.st_mtime_ns}"
        for p in sorted(root.rglob("*"))
        if p.suffix in {".py", ".yaml"} and (s := p.stat())
    ]
    return digest(*marks)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


class ResultCache:
    """The results of the embedded store's districts.

    Parameters
    ----------
    r : redis.Redis
        The store's client.
    """

    def __init__(self, r: redis.Redis) -> None:
        self.r = r

    def revision(self, district: str) -> str | None:
        """The district's revision token now (``None``: none, nothing is kept)."""
        try:
            return _text(self.r.get(VERSION_PREFIX + district))
        except redis.RedisError:
            return None

    def get(self, district: str, revision: str | None, name: str) -> str | None:
        """The result ``name`` computed at ``revision``, if kept."""
        if revision is None:
            return None
        try:
            kept, blob = self.r.hmget(result_key(district), [_REVISION, name])
            if _text(kept) != revision or blob is None:
                return None
            return zlib.decompress(base64.b64decode(blob)).decode()
        except (redis.RedisError, ValueError, zlib.error):
            return None  # only a faster way to the same result: compute it instead

    def put(self, district: str, revision: str | None, name: str, text: str) -> bool:
        """Keep ``text`` as the result ``name`` of ``revision``; ``False`` when the district
        changed since ``revision`` was read (nothing is kept) or the result is too large."""
        if revision is None:
            return False
        blob = base64.b64encode(zlib.compress(text.encode(), 1)).decode()
        if len(blob) > MAX_BYTES:
            return False
        key, version_key = result_key(district), VERSION_PREFIX + district
        with self.r.pipeline(transaction=True) as raw:
            pipe: Any = raw  # redis-py's pipeline methods are untyped
            try:
                pipe.watch(version_key, key)
                if _text(pipe.get(version_key)) != revision:
                    return False
                fields = pipe.hlen(key)
                same = _text(pipe.hget(key, _REVISION)) == revision
                pipe.multi()
                if not same or fields - 1 >= MAX_ENTRIES:
                    pipe.delete(key)  # older revisions' results (or too many) go
                pipe.hset(key, mapping={_REVISION: revision, name: blob})
                pipe.expire(key, TTL_SECONDS)
                pipe.execute()
            except redis.WatchError:
                return False  # written meanwhile: the result may be stale already
            except redis.RedisError:
                return False  # (e.g. the store is full: the result is simply not kept)
        return True


def purge_results(r: redis.Redis, district: str | None = None) -> int:
    """Remove the kept results of one district, or of every district; how many hashes."""
    if district is not None:
        return int(r.delete(result_key(district)))
    keys = list(r.scan_iter(match=RESULTS_PREFIX + "*", count=1000))
    return int(r.delete(*keys)) if keys else 0
