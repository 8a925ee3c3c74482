"""The embedded FalkorDB server: how it starts, is shared, is hardened, and recovers."""

from __future__ import annotations

import os
import signal
import stat
import time
from pathlib import Path

import pytest

from collabgraph.store.base import StoreUnavailable
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.store.falkor import FalkorStore
from tests.store.conftest import open_falkor


def _listening_tcp_inodes() -> set[str]:
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                inodes.add(fields[9])
    return inodes


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def wait_dead(server: EmbeddedServer, timeout: float = 10.0) -> None:
    """Wait until a killed server's lock is free (all its threads have exited)."""
    deadline = time.monotonic() + timeout
    while server.is_running():
        assert time.monotonic() < deadline, "the killed server still holds its lock"
        time.sleep(0.02)


def test_no_tcp_listener_and_a_private_socket(falkor_server: EmbeddedServer) -> None:
    pid = falkor_server.pid()
    assert pid is not None
    sockets = _socket_inodes(pid)
    assert sockets, "the server should at least have its Unix socket"
    assert not (sockets & _listening_tcp_inodes()), "the embedded server listens on TCP"
    mode = stat.S_IMODE(falkor_server.socket_path.stat().st_mode)
    assert mode == 0o700
    assert stat.S_IMODE(falkor_server.root.stat().st_mode) == 0o700


def test_hardening_is_in_force(falkor_store: FalkorStore) -> None:
    config = dict(falkor_store._cmd("GRAPH.CONFIG", "GET", "*"))
    assert config["CMD_INFO"] == 0
    assert config["TIMEOUT_DEFAULT"] == 120000
    assert config["TIMEOUT_MAX"] == 600000
    assert config["RESULTSET_SIZE"] == 5000000
    assert config["QUERY_MEM_CAPACITY"] == 512 * 1024**2
    assert config["MAX_QUEUED_QUERIES"] == 32
    assert config["THREAD_COUNT"] == 2
    assert falkor_store.r.config_get("maxmemory")["maxmemory"] == str(2048 * 1024**2)
    assert falkor_store.r.config_get("maxmemory-policy")["maxmemory-policy"] == "noeviction"
    pid = falkor_store.server.pid() if falkor_store.server else None
    assert pid is not None
    limits = Path(f"/proc/{pid}/limits").read_text()
    assert f"Max address space         {3072 * 1024**2}" in limits
    assert falkor_store.r.config_get("appendonly")["appendonly"] == "yes"
    assert falkor_store.r.config_get("port")["port"] == "0"
    assert falkor_store.version().startswith("FalkorDB 4.16.")


def test_a_second_process_joins_the_running_server(falkor_server: EmbeddedServer) -> None:
    pid = falkor_server.pid()
    again = EmbeddedServer(falkor_server.data_dir)
    assert again.ensure_running() == falkor_server.socket_path
    assert again.pid() == pid


def test_stale_socket_and_pid_after_kill_are_cleaned(tmp_path: Path) -> None:
    server, store = open_falkor(tmp_path)
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    wait_dead(server)
    store.close()
    assert server.socket_path.exists() and server.pid_path.exists()  # left behind
    server.pid_path.write_text("999999\n")
    server2, store2 = open_falkor(tmp_path)
    try:
        assert server2.pid() not in (None, pid, 999999)
        assert store2.r.ping()
    finally:
        store2.close()
        server2.stop()
    assert not server2.is_running()


def test_long_data_folder_puts_the_socket_under_tmp(tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 60) / ("y" * 60)
    server = EmbeddedServer(deep)
    assert len(str(deep)) > 100
    assert not str(server.socket_path).startswith(str(deep))
    server.ensure_running()
    try:
        assert server.is_running()
        assert stat.S_IMODE(server.socket_path.parent.stat().st_mode) == 0o700
    finally:
        server.stop()


def test_unusable_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match=r"cannot use the data folder .*a-file"):
        EmbeddedServer(blocker / "data").ensure_running()
