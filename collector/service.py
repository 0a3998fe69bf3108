"""Run the collector: the one place its parts are wired, then serve until SIGINT or SIGTERM.

``run_collector`` builds the store, ingest, the pages' live feed and the alert
dispatcher and the hourly purge of old comments; subscribes the dispatcher to each batch ingest stores; hands the
store, settings, live feed, ingest and its announce to the app factory as one record (``make_server``:
collector/app_deps.py:AppDeps); and on the way out stops
ingest, then the dispatcher, then closes the store they both write to. Alerts
do not depend on the web app: ``wire_alerts`` works without one.

``open_database`` is how the collector (and the demo) opens its file: a missing
one only with ``create``, a damaged one never. The check before serving is
bounded (``startup_check_s``); a file too big for it is checked whole in the
background once the collector serves (collector/upkeep/integrity_check.py). When ingest
finds the file gone from under it, or found damaged, it stops acking; ``exit_when_ingest_stops`` then ends the server
after a short hold (so /healthz can say why) and ``run_collector`` raises
``CollectorStopped``: the process exits non-zero for systemd to restart it.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from pathlib import Path

import uvicorn

from collector.alerts.dispatcher import AlertDispatcher
from collector.app import create_app
from collector.app_deps import AppDeps
from collector.ingest.subscriber import Ingest
from collector.settings import CollectorSettings
from collector.store import STARTUP_CHECK_S, FileCheck, Store, StoreError, check_database_file
from collector.upkeep.integrity_check import IntegrityCheck
from collector.upkeep.retention import PurgeSchedule
from collector.web.live_feed import LiveFeed

log = logging.getLogger("taqyeem.collector")
TRUSTED_PROXIES = "127.0.0.1"  # only a reverse proxy on this machine may say the request came over https
EXIT_HOLD_S = 2.0  # /healthz answers 503 with the cause this long before a stopped collector exits


class CollectorStopped(StoreError):
    """Ingest stopped acking (its database file is gone or damaged); the cause is already logged."""


def open_database(path: Path, *, create: bool) -> Store:
    """The collector's store: a missing (or empty) file only with ``create``, a damaged one refused (checked whole)."""
    return open_checked(path, create=create, within_s=None)[0]


def open_checked(path: Path, *, create: bool, within_s: float | None = STARTUP_CHECK_S) -> tuple[Store, FileCheck]:
    """The store, and the check before opening, still running when it took longer than ``within_s`` (None: wait)."""
    check = check_database_file(path, create=create, within_s=within_s)
    store = Store(path, create=create)
    if check.made:
        log.warning("created a new, empty collector database at %s", path)
    return store, check


def exit_when_ingest_stops(server: uvicorn.Server, ingest: Ingest, hold_s: float = EXIT_HOLD_S) -> None:
    def watch() -> None:
        ingest.health.stopped.wait()
        time.sleep(hold_s)
        server.should_exit = True

    threading.Thread(target=watch, name="exit-when-ingest-stops", daemon=True).start()


def wire_alerts(settings: CollectorSettings | None, store: Store, ingest: Ingest | None) -> AlertDispatcher[LiveFeed]:
    """An alert dispatcher (not started) that hears of every batch ``ingest`` stores.

    Its live feed is the one the pages' /events streams read; without ingest it only serves digests.
    """
    publish = None if ingest is None else ingest.publish_alert
    dispatcher = AlertDispatcher(store, settings, LiveFeed(), publish_alert=publish)
    if ingest is not None:
        ingest.listeners.append(dispatcher.on_stored)
    return dispatcher


def make_server(
    settings: CollectorSettings, store: Store, ingest: Ingest | None, live: LiveFeed | None = None
) -> uvicorn.Server:
    host, port = settings.http_host_port()
    announce = ingest.announce if ingest is not None else None  # ratings posted to the API alert as ingest's do
    deps = AppDeps(store, settings=settings, live_feed=live or LiveFeed(), ingest=ingest, announce=announce)
    app = create_app(deps)
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
        ssl_certfile=settings.https_cert,
        ssl_keyfile=settings.https_key,
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


def run_collector(
    settings: CollectorSettings, ready: threading.Event | None = None, *, create_db: bool = False
) -> None:
    """Blocks until interrupted; the broker keeps anything not yet committed.

    Raises CollectorStopped when ingest stopped acking (the database file went away, or was found damaged).
    """
    store, check = open_checked(settings.db, create=create_db, within_s=settings.startup_check_s)
    if settings.themes_dir is not None:
        try:
            store.themes.use_folder(settings.themes_dir)  # refused before anything runs, the file and fault named
        except StoreError:
            store.close()
            raise
    late_check = None if check.running is None else IntegrityCheck(store, check.running)
    ingest = Ingest(settings, store)
    alerts = wire_alerts(settings, store, ingest)
    try:
        server = make_server(settings, store, ingest, alerts.live)  # it may refuse the settings: nothing runs yet
    except BaseException:
        if check.running is not None:
            check.running.cancel()
        store.close()
        raise
    exit_when_ingest_stops(server, ingest)
    purges = PurgeSchedule(  # old comments blanked and callback numbers erased, hourly
        store, settings.retention.comments_days, callback_days=settings.retention.callback_days
    )
    alerts.start()
    purges.start()
    ingest.start()
    if late_check is not None:
        late_check.start()  # the writer drains the broker's backlog meanwhile
    host, port = settings.http_host_port()
    scheme = "https" if settings.https_cert is not None else "http"  # https_cert and https_key go together
    log.info("collector: web app and API on %s://%s:%d, database %s", scheme, host, port, settings.db)
    if ready is not None:
        ready.set()
    try:
        serve_until_stopped(server)
    finally:
        if late_check is not None:
            late_check.stop()
        ingest.stop()  # first: no more batches for the dispatcher
        alerts.stop()  # before the store it logs alerts to closes
        purges.stop()
        store.close()
        log.info("collector stopped")
    stopped = ingest.health.now()
    if ingest.health.stopped.is_set():
        raise CollectorStopped(stopped.cause or "ingest stopped")
