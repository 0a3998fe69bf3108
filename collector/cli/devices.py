"""``taqyeem devices``: the fleet view for a terminal (``list``), and a lost tablet's revocation (``revoke --lost``).

The rows and flags come from collector/fleet/overview.py, as the page's and the API's do.
``revoke`` is ``taqyeem provision revoke`` (collector/fleet/provisioning.py); with
``--lost`` it also withdraws every PIN whose hash the tablet held
(collector/fleet/registry.py:withdraw_lost_pins).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import click

from collector.cli.context import CollectorContext
from collector.cli.invocation import actor, now, one_line_errors
from collector.cli.options import admin_options, collector_options, db_options
from collector.fleet.broker import PasswordFileAdmin
from collector.fleet.overview import age, disk_text, fleet_rows, temperature_text
from collector.fleet.provisioning import revoke_device
from collector.fleet.registry import withdraw_lost_pins

COLUMNS: tuple[str, ...] = ("DEVICE", "SITE", "DESK", "STATE", "LAST SEEN", "VERSION", "UPDATE", "OUTBOX", "GAPS")
COLUMNS += ("CLOCK", "FREE DISK", "TEMP", "FLAGS")
RIGHT = {"OUTBOX", "GAPS", "CLOCK", "FREE DISK", "TEMP"}  # numbers line up on their last digit


@click.group()
def devices() -> None:
    """The desk tablets as IT sees them: the silent ones first, then the rest.

    Example:

        taqyeem devices list --db /var/lib/taqyeem/taqyeem.db
    """


def ago_text(seconds: float | None) -> str:
    when = age(seconds)
    return "never" if when is None else f"{when[0]} {when[1]} ago"


def skew_text(seconds: float | None) -> str:
    """Seconds the tablet's clock is ahead (negative: behind), one decimal; "-" when never measured."""
    if seconds is None:
        return "-"
    shown = round(seconds, 1)
    return "0 s" if shown == 0 else f"{shown:+.1f} s"


def cells(row: dict[str, Any]) -> list[str]:
    update = row["update"]
    gaps = str(row["gaps"]) + (f" +{row['seq_jumps']} jumps" if row["seq_jumps"] else "")
    return [
        row["device_id"],
        row["site_id"] or "-",
        row["desk_id"] or "-",
        row["state"] or "unknown",
        ago_text(row["since_seen_s"]),
        row["app_version"] or "-",
        f"{update['version']} {update['state']}" if update else "-",
        "-" if row["outbox"] is None else str(row["outbox"]),
        gaps,
        skew_text(row["clock_skew_s"]),
        disk_text(row["free_disk_mb"]).replace("—", "-"),
        temperature_text(row["temperature_c"]).replace("—", "-"),
        ",".join(row["flags"]) or "-",
    ]


def table(rows: list[dict[str, Any]]) -> list[str]:
    """A plain table, columns two spaces apart, padded to their widest cell."""
    body = [cells(row) for row in rows]
    widths = [max(len(line[i]) for line in [list(COLUMNS), *body]) for i in range(len(COLUMNS))]

    def line(values: list[str]) -> str:
        padded = [
            value.rjust(width) if name in RIGHT else value.ljust(width)
            for name, value, width in zip(COLUMNS, values, widths, strict=True)
        ]
        return "  ".join(padded).rstrip()

    return [line(list(COLUMNS)), *(line(values) for values in body)]


def reasons(rows: list[dict[str, Any]]) -> list[str]:
    """Why an update was refused or rolled back, one line per tablet (too long for a column)."""
    return [
        f"{row['device_id']}: update {row['update']['version']} {row['update']['state']}: {row['update']['reason']}"
        for row in rows
        if row["update"] and row["update"]["reason"]
    ]


@devices.command("list")
@click.option("--site", "site_id", help="Only the tablets of this site (its id, e.g. riyadh-hq).")
@click.option(
    "--json", "as_json", is_flag=True, help="JSON (the rows of GET /api/v1/devices, without each desk's config)."
)
@db_options
@one_line_errors
def list_devices(site_id: str | None, as_json: bool, collector: CollectorContext) -> None:
    """Every tablet: state, last seen, version, update, outbox, seq gaps, clock, free disk, temperature, flags.

    The silent ones (not online, never seen, or nothing from them for two minutes) come
    first, the longest silent at the top; then the rest by site and desk. Flags: silent,
    low_disk, hot, clock_off, gaps, update_failed, rolled_back (docs/deployment.md says what
    each means and what to do).

    Example:

        taqyeem devices list --site riyadh-hq --db /var/lib/taqyeem/taqyeem.db
    """
    store = collector.store
    rows = fleet_rows(store.devices.all(sites=None if site_id is None else [site_id]), datetime.now(UTC))
    sites = store.devices.site_ids()
    if as_json:
        shown = [{key: value for key, value in row.items() if key != "config"} for row in rows]
        click.echo(json.dumps({"devices": shown}, ensure_ascii=False, indent=2))
        return
    if not rows:
        known = f" (sites with devices: {', '.join(sites)})" if site_id and sites else ""
        click.echo("no devices" + (f" at site {site_id}{known}" if site_id else ""))
        return
    for text in [*table(rows), *(["", *reasons(rows)] if reasons(rows) else [])]:
        click.echo(text)


@devices.command("revoke")
@click.option("--device", "device_id", required=True, help="The device id to revoke.")
@click.option(
    "--lost",
    is_flag=True,
    help="The tablet is lost or stolen: also withdraw the PIN of everyone whose PIN hash it held.",
)
@collector_options
@admin_options
@one_line_errors
def revoke(device_id: str, lost: bool, collector: CollectorContext, admin: PasswordFileAdmin) -> None:
    """Remove a tablet's broker account now; with --lost, also withdraw the PINs it held.

    A tablet's outbox keeps the PIN hashes of the staff who may sign in at its
    desk; a thief with time could guess a PIN from its hash (docs/privacy.md).
    With --lost everyone whose current hash was sent to it must set a new PIN
    (on My page, or IT with `taqyeem employees pin`) before signing in again;
    their desks are told at once and say so on the sign-in screen. Run it again
    if the broker could not be reached: nothing is withdrawn until the desks have
    the new staff list. Run it as root on the broker's machine.

    Example:

        sudo taqyeem devices revoke --lost --device riyadh-hq-desk-12-a1b2c3 --config /etc/taqyeem/collector.toml
    """
    store = collector.store
    publisher = collector.publisher_if_configured() if lost else None
    revoke_device(store, admin, device_id=device_id, actor=actor(), now=now())
    withdrawn = withdraw_lost_pins(store, device_id, actor=actor(), now=now(), publisher=publisher) if lost else None
    click.echo(f"Revoked {device_id}: its password is refused and any open connection was dropped.")
    if withdrawn is None:
        return
    if not withdrawn.employee_ids:
        click.echo("It held no PIN hash still in use: no PIN was withdrawn.")
        return
    click.echo(
        f"Withdrew the PINs of {len(withdrawn.employee_ids)} employee(s) whose hashes it held: "
        f"{', '.join(withdrawn.employee_ids)}. Each sets a new PIN on My page (or IT: taqyeem employees pin)."
    )
    for device in withdrawn.device_ids:
        click.echo(f"sent the new staff list to device {device}")
