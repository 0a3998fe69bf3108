"""``taqyeem collector`` as a process, started the way systemd starts it, its output kept in a file."""

from __future__ import annotations

import subprocess
import sys
from contextlib import suppress
from pathlib import Path

import httpx

from devtools.local_broker import free_port
from tests.conftest import RunningBroker, wait_until

REPO = Path(__file__).resolve().parents[2]


class CollectorProcess:
    """``python -m collector collector`` on ``db`` against the tests' broker, on a free loopback port."""

    def __init__(self, broker: RunningBroker, db: Path, client_id: str, log: Path, *extra: str) -> None:
        self.port = free_port()
        self.log = log
        self._log_file = log.open("ab")
        command = [sys.executable, "-m", "collector", "collector", "--broker", broker.collector_url()]
        command += ["--db", str(db), "--http", f"127.0.0.1:{self.port}", "--client-id", client_id, *extra]
        self.process = subprocess.Popen(command, cwd=REPO, stdout=self._log_file, stderr=subprocess.STDOUT)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def healthz(self) -> httpx.Response:
        return httpx.get(f"{self.url}/healthz", timeout=5)

    def wait_healthy(self) -> None:
        def healthy() -> bool:
            assert self.process.poll() is None, self.output()
            with suppress(httpx.HTTPError):
                return self.healthz().status_code == 200
            return False

        wait_until(healthy, timeout=30, what="the collector's /healthz to say 200")

    def wait_exit(self, timeout: float = 30) -> int:
        return self.process.wait(timeout)

    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(15)
        self._log_file.close()
