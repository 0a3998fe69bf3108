"""What the collector process logs as it starts: the address its web app really answers at (issue 19)."""

from __future__ import annotations

import re
import ssl
from contextlib import suppress
from pathlib import Path

import httpx

from tests.conftest import RunningBroker, wait_until
from tests.support.collector_process import CollectorProcess
from tests.support.throwaway_ca import make_test_ca


def test_a_collector_serving_https_logs_an_https_address_that_answers(
    broker: RunningBroker, tmp_path: Path, unique_id
) -> None:
    tls = make_test_ca(tmp_path / "tls")
    config = tmp_path / "collector.toml"
    config.write_text(f'https_cert = "{tls.server_cert}"\nhttps_key = "{tls.server_key}"\n')
    process = CollectorProcess(
        broker, tmp_path / "taqyeem.db", unique_id("collector"), tmp_path / "collector.log",
        "--config", str(config), "--create-db",
    )  # fmt: skip
    try:
        started = re.compile(r"web app and API on (\S+), database")
        wait_until(lambda: started.search(process.output()) or process.process.poll() is not None, timeout=30,
                   what="the collector's start-up line")  # fmt: skip
        found = started.search(process.output())
        assert found, process.output()
        assert found.group(1) == f"https://127.0.0.1:{process.port}"
        trust = ssl.create_default_context(cafile=str(tls.ca_cert))

        def answers() -> bool:  # the line comes as uvicorn starts: wait for it to listen
            assert process.process.poll() is None, process.output()
            with suppress(httpx.ConnectError):
                return httpx.get(f"{found.group(1)}/healthz", verify=trust, timeout=10).status_code in (200, 503)
            return False

        wait_until(answers, timeout=30, what="the collector to answer over TLS at the address it logged")
    finally:
        process.stop()
