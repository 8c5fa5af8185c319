"""A redis-server of a test's own, keeping nothing on disk (a restart starts empty), which
the test may stop, start again or make refuse writes; never the shared one."""

import subprocess

import redis

from cms.testing.ports import free_port
from cms.testing.processes import stop, wait_until


class RedisServer:
    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.args = args
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", *self.args], stdout=subprocess.DEVNULL)
        def pong() -> bool:
            assert self.process.poll() is None, "redis-server exited"
            try:
                return bool(self.client().ping())
            except redis.ConnectionError:
                return False
        wait_until(pong, 10, interval=0.1, message="redis answering PING")

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(port=self.port, db=db, socket_timeout=5)

    def refuse_writes(self, refuse: bool) -> None:
        """With no replica attached, a primary that needs one refuses every write."""
        self.client().config_set("min-replicas-to-write", 1 if refuse else 0)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None
