"""Collector fixtures: the real web app served by uvicorn in a thread on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import pytest
import uvicorn

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.ingest.subscriber import Ingest
from collector.service import wire_alerts
from collector.store import Store


@contextmanager
def serve_app(app: object, *, startup_timeout: float = 10.0) -> Iterator[str]:
    """Run ``app`` until the block ends; yields its base URL once it answers.

    The socket is bound here (port 0) and handed to uvicorn, so no other
    process can take the port between choosing and binding it.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # uvicorn sets no TCP_NODELAY on sockets it is handed: without it each request waits ~40 ms (Nagle).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="test-uvicorn", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:  # polled, not slept for a fixed time
            if not thread.is_alive():
                raise RuntimeError("uvicorn stopped before it started; see the log above")
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start within {startup_timeout} s")
            time.sleep(0.01)
        with socket.create_connection((host, port), timeout=startup_timeout):
            pass
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        assert not thread.is_alive(), "uvicorn did not shut down"


@contextmanager
def serve_collector(store: Store, ingest: object = None) -> Iterator[str]:
    """The app wired as the service wires it: alerts hear ingest and feed the pages' live feed.

    A stand-in for ingest (a /healthz test's) only reaches the app. Ratings posted to the API are
    announced as the service announces them (ingest's MQTT Alert and listeners), or without a real
    ingest straight to the alert dispatcher.
    """
    real = ingest if isinstance(ingest, Ingest) else None
    settings = real.settings if real is not None else None
    alerts = wire_alerts(settings, store, real)
    alerts.start()
    announce = real.announce if real is not None else alerts.on_stored
    app = create_app(AppDeps(store, settings=settings, live_feed=alerts.live, ingest=ingest, announce=announce))
    try:
        with serve_app(app) as base:
            yield base
    finally:
        alerts.stop()


@pytest.fixture(scope="module")
def live_api() -> Iterator[Callable[[Store], str]]:
    """Serve ``create_app(AppDeps(store))`` for the rest of the module: ``base_url = live_api(store)``."""
    with ExitStack() as stack:

        def start(store: Store, ingest: object = None) -> str:
            return stack.enter_context(serve_collector(store, ingest))

        yield start
