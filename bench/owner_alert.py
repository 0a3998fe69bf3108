"""From a stored negative rating to its owner's own webhook: how long the owner waits for the alert.

Each round stores one negative through ingest's own path (``store_batch``: the review opens
and gets its owner from the site's rota in the same commit), hands the batch to a running
alert dispatcher as ingest does, and times until a real HTTP server on loopback (the owner's
apprise ``json://`` URL) has the alert. Apprise's first use is left out (a warm-up round).

    .venv/bin/python bench/owner_alert.py --rounds 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collector.alerts.dispatcher import AlertDispatcher
from collector.fleet.sites import SitesFile, apply_sites
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.people.auth import Accounts
from collector.settings import CollectorSettings
from collector.store import Store
from collector.web.live_feed import LiveFeed
from shared.clock import now_text, uuid7
from shared.contract import DeviceConfig, Rating


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    arrived = threading.Event()

    class Owner(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()
            arrived.set()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Owner)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        store = Store(db)
        site = {"id": "hq", "name_ar": "المقر", "name_en": "HQ", "reviews": {"supervisors": ["sara"]}}
        apply_sites(store, SitesFile.model_validate({"sites": [site]}), "2026-11-28T00:00:00.000Z")
        url = f"json://127.0.0.1:{server.server_address[1]}/sara"
        Accounts(store).add_user("sara", "supervisor", ["hq"], "bench-password-1", notify_url=url)
        config = DeviceConfig(site_id="hq", desk_id="desk-01", desk_name_ar="مكتب", desk_name_en="Desk")
        store.devices.register("dev-1", config, "2026-11-28T00:00:00.000Z")
        settings = CollectorSettings.model_validate({"broker": "mqtt://127.0.0.1:1", "db": db})
        dispatcher: AlertDispatcher[LiveFeed] = AlertDispatcher(store, settings, LiveFeed())
        dispatcher.start()
        times = []
        for seq in range(1, args.rounds + 2):
            arrived.clear()
            now = now_text()
            rating = Rating(id=str(uuid7()), device_id="dev-1", seq=seq, score=1, created_at=now, employee_id="E1")
            started = time.perf_counter()
            batch = store_batch(store, Batch([rating]), now)
            dispatcher.on_stored(batch)
            if not arrived.wait(30):
                raise SystemExit("the owner's webhook heard nothing in 30 s")
            if seq > 1:  # the first round pays apprise's first use
                times.append((time.perf_counter() - started) * 1000)
        dispatcher.stop()
        store.close()
    server.shutdown()
    times.sort()
    print(
        f"stored negative -> owner's webhook, {len(times)} rounds: median {statistics.median(times):.1f} ms, "
        f"min {times[0]:.1f} ms, max {times[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
