"""Report routes at a ministry's scale: median times over real HTTP against a real uvicorn server.

Builds (once; reused through --db) a database of N ratings from 20 sites x 20
desks, 400 employees, over one year ending today, inserted in bulk with
executemany as the store lays them out, then the daily rollups and the devices' seq
history rebuilt from them (the time ``taqyeem rollups rebuild`` takes at that size). Then serves the app
and times, signed in as an admin: the Reports page, the Employees page, the
JSON daily report for all sites and for one site, the Today page, the devices (page and
API, which show each device's seq history), and a year's period report (JSON for all
sites and one site, the period page, the figures sheet).

    .venv/bin/python bench/reports.py --db /tmp/taqyeem-1m.db --ratings 1000000
    .venv/bin/python bench/reports.py --db /tmp/taqyeem-1m.db --direct   # the reports read every rating

``--direct`` marks the rollups as built for no zone while it runs, so every
report falls back to reading the ratings themselves (the way they were computed
before the rollups), then puts the zone back.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.people.auth import Accounts
from collector.reports.maths import Calendar
from collector.store import Store
from collector.store.ratings import RATING_COLUMNS
from devtools.local_broker import free_port
from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig

SITES, DESKS, EMPLOYEES = 20, 20, 400
ADMIN, PASSWORD = "bench-admin", "bench-password-long-enough"
COLUMNS = (*RATING_COLUMNS, "run")
INSERT = f"INSERT INTO ratings ({', '.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))})"  # noqa: S608
LANGS = (("ar", 70), ("en", 20), ("ur", 6), ("bn", 4))  # the languages a centre's visitors pick, by weight
ANSWERS = {"waited": ("yes", "no"), "clear": (1, 2, 3, 4, 5)}  # a survey answered by one rating in ten


def build(path: Path, total: int, days: int) -> None:
    """Devices, ratings spread over ``days`` local days of open hours, reviews of the negatives, rollups."""
    calendar = Calendar.from_settings()
    store = Store(path)
    now = format_time(datetime.now(UTC))
    devices = []
    for site in range(SITES):
        for desk in range(DESKS):
            device_id = f"dev-{site:02d}-{desk:02d}"
            section = {"section": f"sec-{desk % 4}"}
            config = DeviceConfig(
                site_id=f"site-{site:02d}", desk_id=f"desk-{desk:02d}", desk_name_ar="م", desk_name_en="D", **section
            )
            store.devices.register(device_id, config, now)
            devices.append((device_id, f"site-{site:02d}", f"desk-{desk:02d}", site * DESKS + desk))
    Accounts(store).add_user(ADMIN, "admin", [], PASSWORD, lang="en")
    rng = random.Random(7)
    today = calendar.today()
    seqs = dict.fromkeys((d[0] for d in devices), 0)
    per_day = total // days
    started = time.monotonic()
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        opens = datetime.combine(day, calendar.opens, calendar.zone).astimezone(UTC)
        moments = sorted(opens + timedelta(seconds=rng.uniform(0, 8 * 3600)) for _ in range(per_day))
        rows, reviews = [], []
        for moment in moments:
            device_id, site_id, desk_id, number = devices[rng.randrange(len(devices))]
            seqs[device_id] += 1
            score = rng.choices((1, 2, 3, 4, 5), (5, 7, 13, 30, 45))[0]
            rating_id = str(uuid7(int(moment.timestamp() * 1000)))
            employee = f"E{(number + offset // 7) % EMPLOYEES:03d}"  # shifts move employees between desks weekly
            stamp = format_time(moment)
            lang = rng.choices([code for code, _ in LANGS], [weight for _, weight in LANGS])[0]
            answers = None
            if rng.random() < 0.1:
                answers = json.dumps({q: rng.choice(options) for q, options in ANSWERS.items()}, sort_keys=True)
            rows.append((rating_id, device_id, seqs[device_id], employee, score, "[]", None, lang, stamp, stamp,
                         stamp, site_id, desk_id, int(score <= 2), "desk", answers, None, 1))  # fmt: skip
            if score <= 2:
                closed = offset > 2 or rng.random() < 0.5
                reviews.append((rating_id, "closed" if closed else "open", stamp, stamp if closed else None))
        with store.transaction() as db:  # in bulk, laid out as Ratings.add lays them
            db.conn.executemany(INSERT, rows)
            db.conn.executemany(
                "INSERT INTO reviews (rating_id, status, opened_at, closed_at) VALUES (?, ?, ?, ?)", reviews
            )
        if offset % 30 == 0:
            print(f"  {day}: {seqs and sum(seqs.values()):,} ratings in {time.monotonic() - started:.0f} s", flush=True)
    started = time.monotonic()
    rows_built = store.rollups.rebuild(calendar.zone.key)
    print(f"rollups rebuilt: {rows_built:,} rows in {time.monotonic() - started:.1f} s", flush=True)
    started = time.monotonic()
    runs = store.seq_history.rebuild()  # also `taqyeem rollups rebuild`: the ratings went in around the store
    print(f"seq history rebuilt: {runs:,} runs in {time.monotonic() - started:.1f} s", flush=True)
    store.close()


@contextmanager
def serve(store: Store) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(AppDeps(store)), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start in 30 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def signed_in(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=120) as client:
        yield _sign_in(client)


def _sign_in(client: httpx.Client) -> httpx.Client:
    page = client.get("/login")
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    if match is None:
        raise RuntimeError("no CSRF token on /login")
    response = client.post("/login", data={"name": ADMIN, "password": PASSWORD, "csrf": match.group(1), "next": "/"})
    if response.status_code != 303:
        raise RuntimeError(f"sign-in failed: {response.status_code}")
    return client


def measure(client: httpx.Client, runs: int) -> dict[str, tuple[float, int]]:
    """Route -> (median ms, response bytes), after one warm-up request each."""
    day = Calendar.from_settings().today() - timedelta(days=1)  # a whole day, not today's first hours
    year = day - timedelta(days=364)
    routes = {
        "Reports page (all sites)": f"/reports?date={day}",
        "Employees page (all sites)": "/employees",
        "API daily report, all sites": f"/api/v1/reports/daily?date={day}",
        "API daily report, one site": f"/api/v1/reports/daily?date={day}&site_id=site-07",
        "Reports page, one site": f"/reports?date={day}&site_id=site-07",
        "Employees page, one site": "/employees?site_id=site-07",
        "Today page (all sites)": "/today",
        "API devices (all sites)": "/api/v1/devices",
        "Devices page (all sites)": "/devices",
        "API period report, a year, all sites": f"/api/v1/reports/period?from={year}&to={day}",
        "API period report, a year, one site": f"/api/v1/reports/period?from={year}&to={day}&site_id=site-07",
        "Period page, a year (all sites)": f"/reports/period?kind=year&day={day}",
        "Figures sheet, a year (all sites)": f"/reports/figures?kind=year&day={day}",
    }
    result = {}
    for name, url in routes.items():
        first = client.get(url)
        if first.status_code != 200:
            raise RuntimeError(f"{url}: {first.status_code} {first.text[:200]}")
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
        result[name] = (statistics.median(times), len(first.content))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="database to build or reuse (keep it out of the repo)")
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=11, help="timed requests per route")
    parser.add_argument("--direct", action="store_true", help="time the reports read from every rating instead")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"building {args.db}: {args.ratings:,} ratings over {args.days} days", flush=True)
        build(args.db, args.ratings, args.days)
    store = Store(args.db)
    zone = store.rollups.zone()
    with store.transaction() as db:
        count = db.execute("SELECT count(*) FROM ratings").fetchone()[0]
    try:
        if args.direct:
            with store.transaction() as db:
                db.execute("UPDATE rollup_zone SET zone = 'none (bench --direct)'")
        with serve(store) as base, signed_in(base) as client:
            figures = measure(client, args.runs)
    finally:
        if args.direct:
            with store.transaction() as db:
                db.execute("UPDATE rollup_zone SET zone = ?", [zone])
        store.close()
    mode = "direct from the ratings" if args.direct else "from the rollups"
    print(json.dumps({"ratings": count, "mode": mode}))
    for name, (ms, size) in figures.items():
        print(f"{name:40} median {ms:8.1f} ms  ({size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
