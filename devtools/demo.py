"""The demo (``./dev.sh demo``, or ``python -m devtools.demo`` from the repository's root).

Mosquitto, the collector and busy desks on one machine. A developer tool: it
uses both sides (the collector and the simulated devices), so neither install
extra ships it.
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from collector.fleet.broker import COLLECTOR_USER, BrokerError, set_password
from collector.fleet.config_publisher import ConfigPublishError
from collector.fleet.registry import set_employee_pin
from collector.fleet.releases import with_release
from collector.fleet.sites import (
    DeskEntry,
    EmployeeFileEntry,
    SectionEntry,
    SiteEntry,
    SitesFile,
    apply_sites,
    desk_config,
)
from collector.fleet.staff import publish_staffed, staffed
from collector.ingest.subscriber import Ingest
from collector.service import exit_when_ingest_stops, make_server, open_database, serve_until_stopped, wire_alerts
from collector.settings import CollectorSettings, SettingsError
from collector.store import Store, StoreError
from collector.visits.links import make_link
from device.simulator import desk_employee, open_desks, simulate
from devtools.demo_calls import simulate_calls
from devtools.local_broker import LocalBroker, free_port
from shared.clock import format_time, parse_time
from shared.contract import DeviceConfig
from shared.pins import pin_weakness

SITE = "riyadh-hq"
SITE_NAMES = ("المقر الرئيسي - الرياض", "Riyadh headquarters")
QUEUE_USER = "taqyeem-queue"
SECTIONS = (
    ("women-hall", "قاعة النساء", "Women's hall"),
    ("men-hall", "قاعة الرجال", "Men's hall"),
    ("business", "خدمة الشركات", "Business counter"),
)
# The demo's employees, one per desk in order (E1001 serves desk 1): names as HR would export them.
STAFF_NAMES = (  # in the sections' turn: a woman in the women's hall, a man in the men's, then business
    ("سارة العتيبي", "Sara Alotaibi"),
    ("محمد القحطاني", "Mohammed Alqahtani"),
    ("نورة الشهري", "Noura Alshehri"),
    ("ريم الغامدي", "Reem Alghamdi"),
    ("خالد المطيري", "Khalid Almutairi"),
    ("عبدالله الدوسري", "Abdullah Aldosari"),
    ("منيرة الجهني", "Munirah Aljuhani"),
    ("فهد الزهراني", "Fahad Alzahrani"),
    ("لمى الرشيد", "Lama Alrashid"),
    ("أمل الشمري", "Amal Alshammari"),
    ("إبراهيم الحربي", "Ibrahim Alharbi"),
    ("تركي العنزي", "Turki Alanazi"),
)
EMPLOYEE_USER = "sara"  # the employee account of E1001: their own page on the web


def demo_employees(count: int) -> list[EmployeeFileEntry]:
    """``count`` employees in the demo's sections; past the twelve names, a number tells them apart."""
    entries = []
    for number in range(1, count + 1):
        ar, en = STAFF_NAMES[(number - 1) % len(STAFF_NAMES)]
        if number > len(STAFF_NAMES):
            ar, en = f"{ar} {number}", f"{en} {number}"
        section = SECTIONS[(number - 1) % len(SECTIONS)][0]
        entries.append(EmployeeFileEntry(id=desk_employee(number), name_ar=ar, name_en=en, section=section))
    return entries


def demo_sites(desks: int) -> SitesFile:
    """The demo's site, its three sections and ``desks`` desks, as IT would write them in sites.toml."""
    entries = []
    for number in range(1, desks + 1):
        section, section_ar, section_en = SECTIONS[(number - 1) % len(SECTIONS)]
        entries.append(
            DeskEntry(
                id=f"desk-{number:02d}",
                section=section,
                name_ar=f"{section_ar} - مكتب {number}",
                name_en=f"{section_en} - desk {number}",
            )
        )
    site = SiteEntry(
        id=SITE,
        name_ar=SITE_NAMES[0],
        name_en=SITE_NAMES[1],
        sections=[SectionEntry(id=s, name_ar=ar, name_en=en) for s, ar, en in SECTIONS],
        desks=entries,
        employees=demo_employees(desks),
    )
    return SitesFile(sites=[site])


def demo_desk_config(number: int, file: SitesFile | None = None) -> DeviceConfig:
    file = file or demo_sites(number)
    site = file.sites[0]
    return desk_config(file, site, site.desks[number - 1])


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise BrokerError(f"timed out waiting for {what}")
        time.sleep(0.05)


def run_demo(
    *, data_dir: Path, desks: int, interval_s: float, http: str, kiosk: bool, echo: Callable[[str], None]
) -> None:
    data_dir = data_dir.resolve()
    broker = LocalBroker(data_dir / "broker", free_port(), queue_user=QUEUE_USER)
    broker.workdir.mkdir(parents=True, exist_ok=True)
    # Fresh secrets every run: nothing default, nothing in the repo.
    collector_password, desk_password = secrets.token_urlsafe(18), secrets.token_urlsafe(18)
    broker.password_file.unlink(missing_ok=True)
    set_password(broker.password_file, COLLECTOR_USER, collector_password)
    queue_password = secrets.token_urlsafe(18)
    set_password(broker.password_file, QUEUE_USER, queue_password)
    device_ids = [f"{SITE}-desk-{n:02d}" for n in range(1, desks + 1)]
    kiosk_id = f"{SITE}-kiosk"
    if kiosk:  # the kiosk is a device (and a desk) only when it is asked for
        device_ids.append(kiosk_id)
    for device_id in device_ids:
        set_password(broker.password_file, device_id, desk_password)
    broker.start()
    store = ingest = alerts = None
    stop = threading.Event()
    kiosk_process: subprocess.Popen[bytes] | None = None
    sim_thread = None
    desk_list = []
    try:
        settings = CollectorSettings(
            broker=f"mqtt://{COLLECTOR_USER}:{collector_password}@127.0.0.1:{broker.port}",
            db=data_dir / "taqyeem.db",
            http=http,
            public_url=f"http://{http}",  # the rating links' base: the demo's own web app
        )
        store = open_database(settings.db, create=True)  # as `taqyeem collector --create-db`: a new demo's first run
        ingest = Ingest(settings, store)
        alerts = wire_alerts(settings, store, ingest)
        alerts.start()
        ingest.start()
        _wait(lambda: ingest.connected, 10, "the collector to connect to mosquitto")
        now = format_time(datetime.now(UTC))
        sites = demo_sites(len(device_ids))
        apply_sites(store, sites, now, ingest.config_publisher)  # the site, its sections, desks and employees
        pins = demo_pins(store, len(device_ids), now, ingest)  # before the desks: their configs carry the hashes
        for old in store.devices.all(sites=[SITE]):  # left from an earlier run (the kiosk, more desks)
            if old["device_id"] not in device_ids and old["revoked_at"] is None:
                store.devices.revoke(old["device_id"], "demo", now, {"reason": "not in this demo run"})
        for number, device_id in enumerate(device_ids, start=1):
            config = demo_desk_config(number, sites)
            store.devices.register(device_id, config, now)
            config = with_release(store, device_id, staffed(store, config))
            publish_staffed(store, ingest.config_publisher, device_id, config)
        token = store.accounts.create_token("demo", "admin", [], now)
        ivr_token = store.accounts.create_token("ivr", "integration", [SITE], now)  # the phone system's
        people = demo_users(store)

        desk_list = open_desks(
            broker=f"mqtt://127.0.0.1:{broker.port}",
            password=desk_password,
            count=desks,
            prefix=f"{SITE}-desk",
            data_dir=data_dir / "desks",
        )
        for desk in desk_list:
            desk.core.start()
        sim_thread = threading.Thread(
            target=simulate,
            kwargs={"desks": desk_list, "ratings": None, "interval_s": interval_s, "stop": stop},
            daemon=True,
        )
        sim_thread.start()
        host, port = settings.http_host_port()
        calls_thread = threading.Thread(
            target=simulate_calls,
            kwargs={
                "base_url": f"http://{host}:{port}",
                "token": ivr_token,
                "site_id": SITE,
                "employee_ids": [desk_employee(n) for n in range(1, len(device_ids) + 1)],
                "interval_s": interval_s * 2,
                "stop": stop,
            },
            daemon=True,
        )
        calls_thread.start()
        if kiosk:
            kiosk_employee = desk_employee(len(device_ids))
            kiosk_process = _start_kiosk(data_dir, kiosk_id, broker.port, desk_password, kiosk_employee, pins)
        echo("Taqyeem demo is running.")
        echo(f"  Web:        http://{host}:{port}/   (sign in; Arabic first, English one click away)")
        for name, role, password in people:
            echo(f"  {role.capitalize() + ':':<11} {name} / {password}" + _whose(role))
        echo(f"  API:        http://{host}:{port}/api/v1/ratings   (docs at http://{host}:{port}/docs)")
        echo(f"  API token:  {token}")
        echo(f'  Try:        curl -H "Authorization: Bearer {token}" http://{host}:{port}/api/v1/reviews?status=open')
        echo(f"  Broker:     mqtt://127.0.0.1:{broker.port} (config in {broker.workdir})")
        echo(f"  Queue:      {QUEUE_USER} / {queue_password}   (may send Invites; see docs/protocol.md)")
        echo(f"  Desks:      {desks} simulated, a rating every ~{interval_s:g} s each; database {settings.db}")
        echo(f"  Calls:      a phone system records a call every ~{interval_s * 2:g} s (POST /api/v1/visits) and posts")
        echo("              the ratings of the 6 callers in 10 who answer (POST /api/v1/ratings): the response rate")
        echo(f"  Link:       {demo_link(store, settings, now)}   (a visitor's rating link: open it on a phone)")
        echo("  Staff:      each desk has its employee signed in; at a kiosk an employee signs in with the")
        echo("              small 'Staff sign in · دخول الموظف' key at the top left (the closed desk's button),")
        echo("              their name, then their own PIN, and out the same way (a kiosk lists its section's staff):")
        for line in staff_lines(sites.sites[0].employees, pins):
            echo(f"              {line}")
        if kiosk:
            echo(f"  Kiosk:      {kiosk_id} opens on the faces, signed in as {kiosk_employee}: tap a face to rate")
        echo("Press Ctrl-C to stop.")
        server = make_server(settings, store, ingest, alerts.live)
        exit_when_ingest_stops(server, ingest)
        serve_until_stopped(server)
    finally:
        stop.set()
        if kiosk_process is not None:
            kiosk_process.terminate()
            kiosk_process.wait(10)
        if sim_thread is not None:
            sim_thread.join(5)
        for desk in desk_list:
            desk.core.stop()
        if ingest is not None:
            ingest.stop()
        if alerts is not None:
            alerts.stop()
        if store is not None:
            store.close()
        broker.stop()
        echo("Demo stopped.")


def demo_link(store: Store, settings: CollectorSettings, now: str) -> str:
    """A recorded visit at desk 1 and its single-use rating link, as POST /api/v1/visits makes them."""
    visit: dict[str, str | None] = {"site_id": SITE, "visit_id": f"DEMO-{now}", "channel": "desk", "phone": None}
    visit |= {"desk_id": demo_desk_config(1).desk_id, "employee_id": desk_employee(1)}
    store.visits.record({**visit, "recorded_at": now, "token_name": "demo"})
    return make_link(store, visit, parse_time(now), settings)


def demo_users(store: Store) -> list[tuple[str, str, str]]:
    """A supervisor of the demo site, an admin and E1001's own account, with fresh passwords (set on every run)."""
    from collector.people.auth import Accounts, generate_password

    accounts, people = Accounts(store), []
    for name, role, sites, employee in (
        ("supervisor", "supervisor", [SITE], None),
        ("admin", "admin", [], None),
        (EMPLOYEE_USER, "employee", [SITE], desk_employee(1)),
    ):
        password = generate_password()
        if store.accounts.user(name=name) is None:
            accounts.add_user(name, role, sites, password, employee_id=employee)
        else:
            accounts.set_password(name, password)
        people.append((name, role, password))
    return people


def _strong_pin() -> str:
    """A random four-digit PIN that PROTOCOL 1.2 accepts (not one digit repeated, not a run)."""
    while True:
        pin = f"{secrets.randbelow(10_000):04d}"
        if pin_weakness(pin) is None:
            return pin


def demo_pins(store: Store, count: int, now: str, ingest: Ingest) -> dict[str, str]:
    """A fresh four-digit PIN for each of the first ``count`` employees, set as IT would (hashed, published)."""
    pins = {}
    for number in range(1, count + 1):
        employee_id = desk_employee(number)
        pins[employee_id] = _strong_pin()
        set_employee_pin(
            store, employee_id, pins[employee_id], actor="demo", now=now, publisher=ingest.config_publisher
        )
    return pins


def staff_lines(employees: list[EmployeeFileEntry], pins: dict[str, str], per_line: int = 3) -> list[str]:
    """ "Men's hall: E1001 Sara Alotaibi PIN 4821 ...", by section (a kiosk lists only its own section's
    staff, so a newcomer looks for a name under the desk's section), three to a line, for the banner."""
    lines = []
    for section, _, section_en in SECTIONS:
        cells = [f"{e.id} {e.name_en} PIN {pins[e.id]}" for e in employees if e.id in pins and e.section == section]
        for i in range(0, len(cells), per_line):
            label = f"{section_en}:" if i == 0 else ""
            lines.append(f"{label:<18}" + "   ".join(cells[i : i + per_line]))
    return lines


def _whose(role: str) -> str:
    return f"   ({desk_employee(1)}'s own page)" if role == "employee" else ""


def _start_kiosk(
    data_dir: Path, device_id: str, port: int, password: str, employee_id: str, pins: dict[str, str]
) -> subprocess.Popen[bytes]:
    kiosk_dir = data_dir / "kiosk"
    kiosk_dir.mkdir(parents=True, exist_ok=True)
    password_file = kiosk_dir / "password"
    password_file.write_text(password)
    password_file.chmod(0o600)
    config = kiosk_dir / "device.toml"
    config.write_text(
        f'device_id = "{device_id}"\ndata_dir = "{kiosk_dir}"\nbroker = "mqtt://127.0.0.1:{port}"\n'
        f'password_file = "{password_file}"\nfullscreen = false\n'
    )
    env = {**os.environ, "TAQYEEM_SIGN_IN_PIN": pins[employee_id]}  # never on the command line
    command = [sys.executable, "-m", "device", "run", "--config", str(config), "--windowed", "--sign-in", employee_id]
    return subprocess.Popen(command, env=env)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=Path("data/demo"),
    show_default=True,
    help="Folder for the broker, database and desk outboxes.",
)
@click.option("--desks", default=6, show_default=True, type=click.IntRange(1, 50), help="Simulated desks.")
@click.option("--interval", default=5.0, show_default=True, help="Mean seconds between ratings at a desk.")
@click.option("--http", default="127.0.0.1:8080", show_default=True, help="HOST:PORT of the web app.")
@click.option("--kiosk", is_flag=True, help="Also open one real kiosk window wired to the demo.")
def main(data_dir: Path, desks: int, interval: float, http: str, kiosk: bool) -> None:
    """Run everything on this machine: mosquitto, the collector and busy desks.

    Ctrl-C stops all of it.

    Example:

        ./dev.sh demo --desks 6      (the same as: .venv/bin/python -m devtools.demo --desks 6)
    """
    logging.basicConfig(level="WARNING", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        run_demo(data_dir=data_dir, desks=desks, interval_s=interval, http=http, kiosk=kiosk, echo=click.echo)
    except (BrokerError, ConfigPublishError, SettingsError, StoreError, OSError) as exc:
        raise click.ClickException(str(exc)) from None


if __name__ == "__main__":
    main(prog_name="python -m devtools.demo")
