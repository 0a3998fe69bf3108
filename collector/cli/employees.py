"""``taqyeem employees``: the employee registry (thin wrappers over fleet/registry.py).

``import`` loads the HR export's CSV (fleet/registry_csv.py), ``list`` shows
the registry, ``pin`` sets an employee's desk PIN. A change that alters a
site's staff sends that site's desks their new config, through the broker as
``sites apply`` does (--config or --broker); without devices to tell, no
broker is needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from collector.cli.context import CollectorContext
from collector.cli.invocation import actor, now, one_line_errors
from collector.cli.options import collector_options, db_options
from collector.fleet.errors import RegistryError
from collector.fleet.registry import apply_employees, check_pin, check_places, set_employee_pin
from collector.fleet.registry_csv import read_employees_file


@click.group()
def employees() -> None:
    """The employee registry: names in Arabic and English, site, section, desk PIN.

    Employees also come from sites.toml ([[sites.employees]]) and the API
    (PUT /api/v1/employees/{id}). An employee is never deleted: set active to 0.

    Example:

        taqyeem employees import hr-export.csv --config /etc/taqyeem/collector.toml
    """


@employees.command("import")
@click.argument("csv_file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would change; change and send nothing.")
@collector_options
@one_line_errors
def employees_import(csv_file: Path, dry_run: bool, collector: CollectorContext) -> None:
    """Create or update employees from CSV_FILE; importing it again changes nothing.

    UTF-8 (a byte-order mark is fine), a header row with exactly the columns
    employee_id,name_ar,name_en,site_id,section_id,active (section_id may be
    empty; active is 1 or 0, empty means 1). Any bad line stops the import and
    is named; nothing is saved then. Employees missing from the file are kept.

    Example:

        taqyeem employees import hr-export.csv --dry-run --db /var/lib/taqyeem/taqyeem.db
    """
    entries, where = read_employees_file(csv_file)
    store = collector.store
    publisher = None if dry_run else collector.publisher_if_configured()
    check_places(store, entries, where)
    applied = apply_employees(
        store, entries, actor=actor(), now=now(), publisher=publisher, kind="import", dry_run=dry_run
    )
    would = "would be " if dry_run else ""
    for label in applied.plan.created:
        click.echo(f"{would}created {label}")
    for label in applied.plan.updated:
        click.echo(f"{would}updated {label}")
    for device_id in applied.device_ids:
        click.echo(f"{'would send' if dry_run else 'sent'} the new staff list to device {device_id}")
    if not applied.plan.changed:
        click.echo("no changes: the registry already matches the file")
    elif dry_run:
        click.echo("dry run: nothing was changed")


@employees.command("list")
@click.option("--site", "site_id", help="Only this site's employees.")
@db_options
@one_line_errors
def employees_list(site_id: str | None, collector: CollectorContext) -> None:
    """List the registry: id, site, section, active, whether a PIN is set, names.

    Example:

        taqyeem employees list --site riyadh-hq --db /var/lib/taqyeem/taqyeem.db
    """
    rows = collector.store.employees.rows(site_id=site_id)
    if not rows:
        click.echo("no employees" + (f" at site {site_id}" if site_id else ""))
    for r in rows:
        flags = ("active" if r["active"] else "inactive") + (", PIN set" if r["pin_set"] else ", no PIN")
        place = f"{r['site_id']}\t{r['section_id'] or '-'}"
        click.echo(f"{r['employee_id']}\t{place}\t{flags}\t{r['name_en']}\t{r['name_ar']}")


def at_a_terminal() -> bool:
    return sys.stdin.isatty()


def _read_pin() -> str:
    """Prompted twice without echo at a terminal; else the first line of stdin (for scripts)."""
    if at_a_terminal():
        pin: str = click.prompt("PIN (4-8 digits)", hide_input=True, confirmation_prompt=True)
        return check_pin(pin.strip())
    line = sys.stdin.readline().strip()
    if not line:
        raise RegistryError("no PIN on standard input; pipe it in or run this at a terminal to be asked for it")
    return check_pin(line)


@employees.command("pin")
@click.argument("employee_id")
@collector_options
@one_line_errors
def employees_pin(employee_id: str, collector: CollectorContext) -> None:
    """Set or reset EMPLOYEE_ID's desk PIN; only its salted hash is kept, and sent to the site's desks.

    Asked for twice without echo, or read from standard input when that is not
    a terminal. 4 to 8 digits, not one digit repeated and not a run like 1234
    or 9876 (PROTOCOL 1.2); a weak PIN is refused with the reason. The change
    log records who set it, never the PIN.

    Example:

        taqyeem employees pin E1042 --config /etc/taqyeem/collector.toml
    """
    store = collector.store  # a mistyped --db fails before the PIN is asked
    if store.employees.get(employee_id) is None:
        raise RegistryError(f"no employee {employee_id!r} in the registry; see `taqyeem employees list`")
    pin = _read_pin()
    publisher = collector.publisher_if_configured()
    sent = set_employee_pin(store, employee_id, pin, actor=actor(), now=now(), publisher=publisher)
    click.echo(f"PIN set for employee {employee_id}")
    for device_id in sent:
        click.echo(f"sent the new staff list to device {device_id}")
