"""Report routes at a ministry's scale: median times over real HTTP against a real uvicorn server.

Builds (once; reused through --db) a database of N ratings from 20 sites x 20
desks, 400 employees each keeping a desk for a week, over one year ending today, with
the languages and survey answers a centre has, visits recorded by a queue system (one
desk rating in five names one, and as many go unrated) and phone calls (3% of the
ratings, each naming its call, as many calls unrated), and a review for each negative,
inserted in bulk with executemany as the store lays them out, then the daily rollups
and the devices' seq history rebuilt from them (what ``taqyeem rollups rebuild`` does).
Then serves the app, checks yesterday's daily report against a count of every rating of
the day, and times, signed in as an admin: the Reports, Employees and Reviews pages, the
JSON daily report, the Today page, the devices (page and API), and the year's and
since-launch period reports (JSON, the by-employee CSV, the workbook, the period page
and the figures sheet; all sites and one site) and causes reports (JSON, the workbook,
the Why page). Negatives name 0 to 2 reasons, closed reviews a cause and an action;
``--add-reasons`` gives them to a file built before they were (by rowid) and rebuilds
their sums.

    .venv/bin/python bench/reports.py --db /tmp/taqyeem-1m.db --ratings 1000000
    .venv/bin/python bench/reports.py --db /tmp/taqyeem-10m.db --runs 5 --only since
    .venv/bin/python bench/reports.py --db /tmp/taqyeem-1m.db --direct   # the reports read every rating
    .venv/bin/python bench/reports.py --db /tmp/copy-of-10m.db --add-reasons --runs 5 --only auses
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collector.app import create_app
from collector.app_deps import AppDeps
from collector.ingest.contacts import integration_device
from collector.people.auth import Accounts
from collector.reports.maths import Calendar
from collector.store import Store
from collector.store.ratings import RATING_COLUMNS
from collector.store.reason_rollups import fill_reason_sums
from devtools.local_broker import free_port
from shared.clock import format_time, uuid7
from shared.contract import DeviceConfig

SITES, DESKS, EMPLOYEES = 20, 20, 400
ADMIN, PASSWORD = "bench-admin", "bench-password-long-enough"
COLUMNS = (*RATING_COLUMNS, "run")
INSERT = f"INSERT INTO ratings ({', '.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))})"  # noqa: S608
LANGS = (("ar", 70), ("en", 20), ("ur", 6), ("bn", 4))  # the languages a centre's visitors pick, by weight
ANSWERS = {"waited": ("yes", "no"), "clear": (1, 2, 3, 4, 5)}  # a survey answered by one rating in ten
VISIT_INSERT = (
    "INSERT INTO visits (site_id, visit_id, desk_id, employee_id, channel, recorded_at, token_name) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
NAMED_VISIT = 0.2  # a desk rating naming the visit the queue system recorded; as many visits again go unrated
CALLED = 0.03  # a rating given on a phone call (the phone system's, naming its call); as many calls go unrated
IVR = integration_device("ivr")
REASON_CODES = ("waiting_time", "staff_courtesy", "not_resolved", "procedure", "information", "facilities")
CAUSE_CODES = ("staff_conduct", "waiting_time", "procedure_policy", "system_outage", "visitor_misunderstanding")
ACTION_CODES = ("coaching", "process_fix", "visitor_contacted", "no_action", "no_action", "no_action")
# A file built before ratings carried reasons gains them (and closed reviews their cause and action) by rowid.
_REASONS_SQL = (
    "UPDATE ratings SET reasons = CASE rowid % 5 WHEN 0 THEN '[\"waiting_time\"]' "
    'WHEN 1 THEN \'["waiting_time", "staff_courtesy"]\' WHEN 2 THEN \'["procedure"]\' '
    "WHEN 3 THEN '[\"not_resolved\", \"information\"]' ELSE '[]' END WHERE negative = 1 AND reasons = '[]'"
)
_CAUSES_SQL = (
    "UPDATE reviews SET cause = CASE rowid % 5 WHEN 0 THEN 'staff_conduct' WHEN 1 THEN 'waiting_time' "
    "WHEN 2 THEN 'procedure_policy' WHEN 3 THEN 'system_outage' ELSE 'visitor_misunderstanding' END, "
    "action = CASE rowid % 400 WHEN 0 THEN 'coaching' WHEN 1 THEN 'process_fix' WHEN 2 THEN 'visitor_contacted' "
    "ELSE 'no_action' END, attributable = (rowid % 5 < 2), note = 'bench' WHERE status = 'closed' AND cause IS NULL"
)


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
        rows, reviews, visits = [], [], []
        for moment in moments:
            device_id, site_id, desk_id, number = devices[rng.randrange(len(devices))]
            employee = f"E{(number + offset // 7) % EMPLOYEES:03d}"  # shifts move employees between desks weekly
            stamp = format_time(moment)
            channel, visit_id = "desk", None
            if rng.random() < CALLED:  # the phone system's rating of a call: its own device, no desk
                channel, device_id, desk_id, employee = "call", IVR, None, None
            if channel == "call" or rng.random() < NAMED_VISIT:
                visit_id, token = f"{channel}-{day:%y%m%d}-{len(visits):07d}", "queue" if channel == "desk" else "ivr"
                for recorded in (visit_id, f"{visit_id}-unrated"):  # one rated, one not: a response rate of half
                    visits.append((site_id, recorded, desk_id, employee, channel, stamp, token))
            seqs[device_id] = seqs.get(device_id, 0) + 1
            score = rng.choices((1, 2, 3, 4, 5), (5, 7, 13, 30, 45))[0]
            rating_id = str(uuid7(int(moment.timestamp() * 1000)))
            lang = rng.choices([code for code, _ in LANGS], [weight for _, weight in LANGS])[0]
            answers = None
            if rng.random() < 0.1:
                answers = json.dumps({q: rng.choice(options) for q, options in ANSWERS.items()}, sort_keys=True)
            reasons = json.dumps(rng.sample(REASON_CODES, rng.choice((0, 1, 1, 2)))) if score <= 2 else "[]"
            rows.append((rating_id, device_id, seqs[device_id], employee, score, reasons, visit_id, lang, stamp, stamp,
                         stamp, site_id, desk_id, int(score <= 2), channel, answers, None, 1))  # fmt: skip
            if score <= 2:
                closed = offset > 2 or rng.random() < 0.5
                cause, action = (rng.choice(CAUSE_CODES), rng.choice(ACTION_CODES)) if closed else (None, None)
                held = None if cause is None else int(cause in ("staff_conduct", "waiting_time"))
                reviews.append((rating_id, "closed" if closed else "open", stamp, stamp if closed else None, cause,
                                action, held))  # fmt: skip
        with store.transaction() as db:  # in bulk, laid out as Ratings.add lays them
            db.conn.executemany(INSERT, rows)
            db.conn.executemany(
                "INSERT INTO reviews (rating_id, status, opened_at, closed_at, cause, action, attributable) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                reviews,
            )
            db.conn.executemany(VISIT_INSERT, visits)
        if offset % 30 == 0:
            print(f"  {day}: {seqs and sum(seqs.values()):,} ratings in {time.monotonic() - started:.0f} s", flush=True)
    started = time.monotonic()
    rows_built = store.rollups.rebuild(calendar.zone.key)
    print(f"rollups rebuilt: {rows_built:,} rows in {time.monotonic() - started:.1f} s", flush=True)
    started = time.monotonic()
    runs = store.seq_history.rebuild()  # also `taqyeem rollups rebuild`: the ratings went in around the store
    print(f"seq history rebuilt: {runs:,} runs in {time.monotonic() - started:.1f} s", flush=True)
    store.close()


def add_reasons(path: Path) -> None:
    """Reasons on a file's negatives and causes on its closed reviews (by rowid), then their sums rebuilt."""
    started = time.monotonic()
    store = Store(path)  # the schema steps first: reason_rollups exists (empty for a file without reasons)
    with store.transaction() as db:
        named = db.execute(_REASONS_SQL).rowcount
        closed = db.execute(_CAUSES_SQL).rowcount
        fill_reason_sums(db, store.rollups.zone())
    store.close()
    print(f"reasons on {named:,} negatives, causes on {closed:,} reviews, sums rebuilt in "
          f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip


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


def routes(launch: date) -> dict[str, str]:
    """Route name -> URL: the day's, the devices', and the year's and since-launch period reports."""
    today = Calendar.from_settings().today()
    day = today - timedelta(days=1)  # a whole day, not today's first hours
    year = f"from={day - timedelta(days=364)}&to={day}"
    since = f"from={launch}&to={today}"  # what the period page's "since launch" asks for
    one = "&site_id=site-07"
    found = {
        "Reports page (all sites)": f"/reports?date={day}",
        "Reports page, one site": f"/reports?date={day}{one}",
        "Employees page (all sites)": "/employees",
        "Employees page, one site": "/employees?site_id=site-07",
        "Reviews page (all sites)": "/reviews",
        "API daily report, all sites": f"/api/v1/reports/daily?date={day}",
        "API daily report, one site": f"/api/v1/reports/daily?date={day}{one}",
        "Today page (all sites)": "/today",
        "API devices (all sites)": "/api/v1/devices",
        "Devices page (all sites)": "/devices",
    }
    for name, span, kind in (("a year", year, "year"), ("since launch", since, "launch")):
        api = "/api/v1/reports/period"
        found |= {
            f"API period report, {name}, all sites": f"{api}?{span}",
            f"API period report, {name}, one site": f"{api}?{span}{one}",
            f"Period CSV by employee, {name}, all sites": f"{api}.csv?{span}&table=by_employee",
            f"Period xlsx, {name}, all sites": f"{api}.xlsx?{span}",
            f"Period xlsx, {name}, one site": f"{api}.xlsx?{span}{one}",
            f"Period page, {name} (all sites)": f"/reports/period?kind={kind}&day={day}",
            f"Period page, {name}, one site": f"/reports/period?kind={kind}&day={day}{one}",
            f"Figures sheet, {name} (all sites)": f"/reports/figures?kind={kind}&day={day}",
            f"Figures sheet, {name}, one site": f"/reports/figures?kind={kind}&day={day}{one}",
            f"API causes report, {name}, all sites": f"/api/v1/reports/causes?{span}",
            f"API causes report, {name}, one site": f"/api/v1/reports/causes?{span}{one}",
            f"Causes xlsx, {name}, all sites": f"/api/v1/reports/causes.xlsx?{span}",
            f"Causes page (Why), {name} (all sites)": f"/reports/causes?kind={kind}&day={day}",
            f"Causes page (Why), {name}, one site": f"/reports/causes?kind={kind}&day={day}{one}",
        }
    return found


def measure(client: httpx.Client, urls: dict[str, str], runs: int) -> dict[str, tuple[float, float, int]]:
    """Route -> (median ms, median CPU ms, response bytes), after one warm-up request each; each printed as
    measured. The CPU time is this process's (the server's threads and the client's) over the request: on a
    machine other work shares, it moves less than the wall time does."""
    result = {}
    for name, url in urls.items():
        first = client.get(url)
        if first.status_code != 200:
            raise RuntimeError(f"{url}: {first.status_code} {first.text[:200]}")
        times, cpu = [], []
        for _ in range(runs):
            started, used = time.perf_counter(), time.process_time()
            client.get(url).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        result[name] = (statistics.median(times), statistics.median(cpu), len(first.content))
        ms, cpu_ms, size = result[name]
        print(f"{name:48} median {ms:8.1f} ms  CPU {cpu_ms:7.1f} ms  ({size / 1024:.0f} KB)", flush=True)
    return result


def check_daily(client: httpx.Client, store: Store) -> str:
    """Yesterday's report, all sites and one, against a count of every rating of the day; raises if they differ."""
    calendar = Calendar.from_settings()
    day = calendar.today() - timedelta(days=1)
    since, until = calendar.day_bounds(day)
    totals = []
    for site_id in (None, "site-07"):
        query = f"/api/v1/reports/daily?date={day}" + (f"&site_id={site_id}" if site_id else "")
        report = client.get(query).raise_for_status().json()
        sql = "SELECT score, count(*), sum(negative) FROM ratings WHERE counted_at >= ? AND counted_at < ?"
        params = [since, until]
        if site_id is not None:
            sql, params = sql + " AND site_id = ?", [*params, site_id]
        with store.transaction() as db:
            counted = {score: (n, neg) for score, n, neg in db.execute(sql + " GROUP BY score", params)}
        distribution = [counted.get(score, (0, 0))[0] for score in range(1, 6)]
        negatives = sum(neg for _, neg in counted.values())
        got = (report["totals"]["count"], report["totals"]["negatives"], report["distribution"])
        if got != (sum(distribution), negatives, distribution):
            raise RuntimeError(f"{query}: the report says {got}, every rating {distribution} ({negatives} negative)")
        totals.append(sum(distribution))
    return f"{day}'s report equals a count of every rating of the day: {totals[0]:,}, site-07 {totals[1]:,}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="database to build or reuse (keep it out of the repo)")
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=11, help="timed requests per route")
    parser.add_argument("--direct", action="store_true", help="time the reports read from every rating instead")
    parser.add_argument("--only", default="", help="time only the routes whose name contains this (e.g. 'since')")
    parser.add_argument(
        "--add-reasons", action="store_true", help="a file built before reasons: give its negatives reasons first"
    )
    args = parser.parse_args()
    if args.add_reasons and args.db.exists():
        add_reasons(args.db)
    if not args.db.exists():
        print(f"building {args.db}: {args.ratings:,} ratings over {args.days} days", flush=True)
        build(args.db, args.ratings, args.days)
    store = Store(args.db)
    zone = store.rollups.zone()
    with store.transaction() as db:
        count = db.execute("SELECT count(*) FROM ratings").fetchone()[0]
    launch = date.fromisoformat(store.rollups.first_day() or Calendar.from_settings().today().isoformat())
    mode = "direct from the ratings" if args.direct else "from the rollups"
    print(json.dumps({"ratings": count, "mode": mode, "launch": str(launch)}), flush=True)
    try:
        if args.direct:
            with store.transaction() as db:
                db.execute("UPDATE rollup_zone SET zone = 'none (bench --direct)'")
        with serve(store) as base, signed_in(base) as client:
            print(check_daily(client, store), flush=True)
            measure(client, {n: u for n, u in routes(launch).items() if args.only in n}, args.runs)
    finally:
        if args.direct:
            with store.transaction() as db:
                db.execute("UPDATE rollup_zone SET zone = ?", [zone])
        store.close()


if __name__ == "__main__":
    main()
