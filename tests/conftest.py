"""Shared fixtures: a real mosquitto for the session, collectors and devices wired to it."""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from collector.fleet.broker import COLLECTOR_USER, set_password
from collector.ingest.subscriber import Ingest
from collector.settings import CollectorSettings
from collector.store import Store
from device.settings import DeviceSettings
from devtools.local_broker import LocalBroker, free_port
from tests.support.throwaway_ca import make_test_ca


def wait_until(condition: Callable[[], object], timeout: float = 10.0, what: str = "condition") -> None:
    """Poll instead of sleeping a fixed time."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.02)


class RunningBroker:
    """A running mosquitto with a collector account and helpers to add devices."""

    def __init__(self, broker: LocalBroker, collector_password: str) -> None:
        self.local = broker
        self.collector_password = collector_password

    @property
    def port(self) -> int:
        return self.local.port

    @property
    def tls_port(self) -> int:
        assert self.local.tls_port is not None
        return self.local.tls_port

    @property
    def ca_file(self) -> Path:
        assert self.local.tls is not None
        return self.local.tls.ca_cert

    def collector_url(self) -> str:
        return f"mqtt://{COLLECTOR_USER}:{self.collector_password}@127.0.0.1:{self.port}"

    def add_device(self, device_id: str) -> str:
        """Create broker credentials for a device; returns its password."""
        password = secrets.token_urlsafe(12)
        self.local.add_user(device_id, password)
        return password

    def desk_settings(self, device_id: str, data_dir: Path) -> DeviceSettings:
        """A real desk's settings: this broker's plain listener, new credentials, its data in ``data_dir``."""
        return DeviceSettings(
            device_id=device_id,
            data_dir=data_dir,
            broker=f"mqtt://127.0.0.1:{self.port}",
            password=self.add_device(device_id),
        )


def start_broker(workdir: Path, *, tls: bool = True) -> RunningBroker:
    tls_files = make_test_ca(workdir / "tls") if tls else None
    broker = LocalBroker(workdir, free_port(), free_port() if tls else None, tls_files)
    collector_password = secrets.token_urlsafe(12)
    workdir.mkdir(parents=True, exist_ok=True)
    set_password(broker.password_file, COLLECTOR_USER, collector_password)
    broker.start()
    return RunningBroker(broker, collector_password)


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBroker]:
    running = start_broker(tmp_path_factory.mktemp("mosquitto"))
    yield running
    running.local.stop()


_unique = iter(range(1, 1_000_000))


@pytest.fixture
def without_taqyeem_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """No TAQYEEM_ variable of the developer's shell reaches the settings under test (for the CLI and settings
    tests: ``pytestmark = pytest.mark.usefixtures("without_taqyeem_variables")``)."""
    for name in list(os.environ):
        if name.startswith("TAQYEEM_"):
            monkeypatch.delenv(name)


@pytest.fixture
def unique_id() -> Callable[[str], str]:
    """Device and client ids unique across the session, so tests never share broker state."""

    def make(prefix: str) -> str:
        return f"{prefix}-{next(_unique)}-{secrets.token_hex(2)}"

    return make


@pytest.fixture
def make_collector(
    tmp_path: Path, broker: RunningBroker, unique_id: Callable[[str], str]
) -> Iterator[Callable[..., Ingest]]:
    """Start an in-process collector (ingest only) on a fresh SQLite file."""
    started: list[tuple[Ingest, Store]] = []

    def make(db: Path | None = None, **overrides: object) -> Ingest:
        values: dict[str, object] = {
            "broker": broker.collector_url(),
            "db": db or tmp_path / "collector.db",
            "client_id": unique_id("collector"),
            "batch_wait_ms": 20,
        }
        values.update(overrides)
        settings = CollectorSettings.model_validate(values)
        store = Store(settings.db)
        ingest = Ingest(settings, store)
        ingest.start()
        wait_until(lambda: ingest.connected, what="the collector to connect")
        started.append((ingest, store))
        return ingest

    yield make
    for ingest, store in started:
        ingest.stop()
        store.close()


class _CallbackErrors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("callback failed"):
            self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_callback_errors() -> Iterator[None]:
    """An exception inside a paho callback would silently kill its thread: fail the test instead."""
    handler = _CallbackErrors()
    logger = logging.getLogger("taqyeem")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    assert not handler.records, f"a callback raised: {handler.records[0].getMessage()}"
