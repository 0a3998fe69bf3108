"""A real collector serving HTTPS itself, with one site and desk, for the enrolment-by-code tests.

Served by uvicorn exactly as the service serves it (collector/service.py:make_server with
https_cert and https_key from a throwaway CA of tests/support/throwaway_ca.py); ``HttpsCollector.code()``
runs the real ``taqyeem provision device --code`` against the test broker.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner, Result

from collector.cli import cli
from collector.fleet.sites import apply_sites, load_sites_file
from collector.service import make_server
from collector.settings import CollectorSettings
from collector.store import Store
from devtools.local_broker import free_port
from tests.conftest import RunningBroker, wait_until
from tests.support.throwaway_ca import make_test_ca

SITES = """
[[sites]]
id = "riyadh-hq"
name_ar = "المقر الرئيسي"
name_en = "Riyadh headquarters"

  [[sites.desks]]
  id = "desk-01"
  name_ar = "مكتب ١"
  name_en = "Desk 1"
"""
CODE_LINE = re.compile(r"Enrolment code: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")


class HttpsCollector:
    def __init__(self, base: str, ca_file: Path, db: Path, broker: RunningBroker, tmp: Path) -> None:
        self.base, self.ca_file, self.db, self.broker, self.tmp = base, ca_file, db, broker, tmp

    def provision(self, *extra: str, tablet_url: str | None = None) -> Result:
        assert self.broker.local.process is not None
        pid_file = self.tmp / "mosquitto.pid"
        pid_file.write_text(f"{self.broker.local.process.pid}\n")
        args = [
            *("provision", "device", "--site", "riyadh-hq", "--desk", "desk-01", "--db", str(self.db)),
            *("--broker", self.broker.collector_url(), "--passwd-file", str(self.broker.local.password_file)),
            *("--mosquitto-pid-file", str(pid_file), "--device-ca", str(self.broker.ca_file)),
            *("--device-broker", f"mqtts://127.0.0.1:{self.broker.tls_port}", "--out", str(self.tmp / "bundles")),
            *("--no-qr", *extra),
        ]
        env = {"TAQYEEM_TABLET_URL": tablet_url if tablet_url is not None else self.base, "COLUMNS": "200"}
        return CliRunner().invoke(cli, args, env=env)

    def code(self) -> str:
        made = self.provision("--code", "--code-hours", "2")
        assert made.exit_code == 0, made.output
        found = CODE_LINE.search(made.output)
        assert found, made.output
        return found.group(1)


@contextmanager
def serve_https_collector(tmp_path: Path, broker: RunningBroker) -> Iterator[HttpsCollector]:
    """The collector's web app on HTTPS (its own CA), its database with one site and desk."""
    tls = make_test_ca(tmp_path / "https")
    db = tmp_path / "collector.db"
    store = Store(db)
    sites = tmp_path / "sites.toml"
    sites.write_text(SITES)
    apply_sites(store, load_sites_file(sites), "2026-12-01T04:00:00.000Z")
    port = free_port()
    settings = CollectorSettings(
        broker=broker.collector_url(),
        db=db,
        http=f"127.0.0.1:{port}",
        https_cert=tls.server_cert,
        https_key=tls.server_key,
        tablet_url=f"https://127.0.0.1:{port}",
    )
    server = make_server(settings, store, None)
    thread = threading.Thread(target=server.run, name="https-collector", daemon=True)
    thread.start()
    wait_until(lambda: server.started or not thread.is_alive(), what="uvicorn to start on HTTPS")
    assert server.started
    try:
        yield HttpsCollector(f"https://127.0.0.1:{port}", tls.ca_cert, db, broker, tmp_path)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()
