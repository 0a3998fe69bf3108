"""Run the collector: ingest plus the web app, stopped cleanly on SIGINT or SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading

import uvicorn

from collector.api.app import create_app
from collector.ingest import Ingest
from collector.settings import CollectorSettings
from collector.store import Store

log = logging.getLogger("taqyeem.collector")
TRUSTED_PROXIES = "127.0.0.1"  # only a reverse proxy on this machine may say the request came over https


def make_server(settings: CollectorSettings, store: Store, ingest: Ingest | None) -> uvicorn.Server:
    host, port = settings.http_host_port()
    app = create_app(store, ingest)
    # Open live feeds (server-sent events) would hold a graceful shutdown forever: give them 5 s.
    # X-Forwarded-Proto/-For are believed only from a reverse proxy on this machine (docs/deployment.md):
    # then a page served over https gets Secure cookies, and sign-in limits see the PC's address.
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
        proxy_headers=True,
        forwarded_allow_ips=TRUSTED_PROXIES,
    )
    return uvicorn.Server(config)


def serve_until_stopped(server: uvicorn.Server) -> None:
    """Serve until Ctrl-C or SIGTERM, then return normally so the caller can clean up.

    uvicorn re-raises the signal it caught after its own shutdown; with SIGTERM's default
    action that would end the process before the ingest thread is stopped.
    """

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop_background_work(server: uvicorn.Server) -> None:
    """Stop the app's own threads (alert delivery) before the store they write to closes."""
    alerts = getattr(getattr(server.config.app, "state", None), "alerts", None)
    if alerts is not None:
        alerts.stop()


def run_collector(settings: CollectorSettings, ready: threading.Event | None = None) -> None:
    """Blocks until interrupted; the broker keeps anything not yet committed."""
    store = Store(settings.db)
    ingest = Ingest(settings, store)
    server = make_server(settings, store, ingest)  # first: it may refuse the settings, with nothing to stop
    ingest.start()
    host, port = settings.http_host_port()
    log.info("collector: web app and API on http://%s:%d, database %s", host, port, settings.db)
    if ready is not None:
        ready.set()
    try:
        serve_until_stopped(server)
    finally:
        ingest.stop()
        stop_background_work(server)
        store.close()
        log.info("collector stopped")
