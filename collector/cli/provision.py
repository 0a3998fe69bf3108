"""``taqyeem provision ...``: desk tablets' broker accounts, retained configs and enrolment bundles.

Thin wrappers over collector/fleet/: they gather options, build the real
collaborators (the store, mosquitto's password file, an MQTT publisher) and
turn errors into one ``Error:`` line.
"""

from __future__ import annotations

import shutil

import click

from collector.cli.context import CollectorContext
from collector.cli.enrol_codes import code_options, code_target, codes, print_code, revoke_code
from collector.cli.invocation import actor, now, one_line_errors
from collector.cli.options import (
    BundleRequest,
    DeskRequest,
    admin_options,
    bundle_options,
    collector_options,
    db_options,
    desk_options,
)
from collector.fleet.broker import PasswordFileAdmin
from collector.fleet.enrol_by_code import issue_code
from collector.fleet.enrolment import Bundle
from collector.fleet.provisioning import (
    provision_account,
    register_device,
    replace_device,
    resolve_desk_config,
    revoke_account,
    revoke_device,
)
from collector.fleet.provisioning import provision_device as provision_device_fn
from collector.store import Store


def _report_bundle(bundle: Bundle, qr: bool, what: str) -> None:
    config = bundle.config
    if config is not None:
        click.echo(f"{what} {bundle.device_id} for desk {config.site_id}/{config.desk_id} ({config.desk_name_en}).")
    else:
        click.echo(f"{what} {bundle.device_id} on this broker (its desk and config come from HQ).")
    click.echo(f"Bundle: {bundle.folder}/  (device.toml, password, ca.crt, enrol-qr.png)")
    if qr:
        _print_qr(bundle)
    click.echo(bundle.next_step())


def _print_qr(bundle: Bundle) -> None:
    """The code only if the terminal is wide enough: a wrapped QR code does not scan."""
    code = bundle.qr_terminal()
    width = max(len(line) for line in code.splitlines())
    columns = shutil.get_terminal_size().columns
    if width > columns:
        click.echo(
            f"The enrolment QR code is {width} columns wide and this terminal has {columns}: open "
            f"{bundle.qr_png} or show {bundle.folder / 'enrol-qr.txt'} in a wider terminal "
            "(it holds the device's password: do not photograph or share it)."
        )
        return
    click.echo("Enrolment QR code (it holds the device's password: do not photograph or share it):")
    click.echo(code, nl=False)


def _issue_code(store: Store, bundle: Bundle, target: tuple[str, str | None] | None, hours: int | None) -> None:
    """With --code (``hours``, checked into ``target`` before anything was made): the code, printed once."""
    if target is not None and hours is not None:
        tablet_url, release_key = target
        issued = issue_code(
            store,
            bundle.enrolment,
            tablet_url=tablet_url,
            actor=actor(),
            hours=hours,
            release_key=release_key,
            config=bundle.config,
        )
        print_code(issued, hours)


@click.group()
def provision() -> None:
    """Desk tablets: create, replace, revoke and list their broker accounts.

    Run these as root on the broker's machine: they edit mosquitto's password
    file and make mosquitto reload it.

    Example:

        taqyeem provision list --db /var/lib/taqyeem/taqyeem.db
    """


@provision.command("device")
@desk_options("Site id, e.g. riyadh-hq.", "Desk id within the site, e.g. desk-12.")
@collector_options
@admin_options
@bundle_options
@code_options
@one_line_errors
def provision_device(
    desk: DeskRequest,
    collector: CollectorContext,
    admin: PasswordFileAdmin,
    bundle: BundleRequest,
    code_hours: int | None,
) -> None:
    """Register a new tablet for a desk and write its enrolment bundle.

    Creates the tablet's broker account (username = the new device id, a
    random password), publishes its retained desk config and writes
    OUT/<device-id>/ with device.toml, the password file, the CA certificate
    and a QR code that carries the same enrolment data. With --code, also a
    one-time enrolment code the new tablet can type instead (docs/deployment.md).

    Example:

    \b
        export TAQYEEM_DEVICE_BROKER=mqtts://broker.riyadh.example:8883
        sudo -E taqyeem provision device --config /etc/taqyeem/collector.toml \\
            --site riyadh-hq --desk desk-12
    """
    options = bundle.options(collector.release_key)
    options.check()
    target = code_target(collector) if code_hours is not None else None
    store, publisher = collector.store, collector.connected_publisher()
    desk_config = resolve_desk_config(store, desk.site, desk.desk, desk.label_ar, desk.label_en)
    made = provision_device_fn(store, admin, publisher, options, config=desk_config, actor=actor(), now=now())
    _report_bundle(made, bundle.qr, "Provisioned")
    _issue_code(store, made, target, code_hours)


@provision.command("replace")
@click.option("--device", "device_id", required=True, help="The device id of the tablet being replaced.")
@collector_options
@admin_options
@bundle_options
@code_options
@one_line_errors
def provision_replace(
    device_id: str,
    collector: CollectorContext,
    admin: PasswordFileAdmin,
    bundle: BundleRequest,
    code_hours: int | None,
) -> None:
    """Give a desk a new tablet: a new device id and bundle; the old account stops at once.

    The old tablet's open connection is dropped and its password refused from
    now on. Ratings keep their site and desk, so the desk's history spans both.
    With --code, also a one-time enrolment code for the new tablet.

    Example:

    \b
        export TAQYEEM_DEVICE_BROKER=mqtts://broker.riyadh.example:8883
        sudo -E taqyeem provision replace --config /etc/taqyeem/collector.toml \\
            --device riyadh-hq-desk-12-a1b2c3
    """
    options = bundle.options(collector.release_key)
    options.check()
    target = code_target(collector) if code_hours is not None else None
    store, publisher = collector.store, collector.connected_publisher()
    made = replace_device(store, admin, publisher, options, device_id=device_id, actor=actor(), now=now())
    click.echo(f"Revoked {device_id}: its password is refused and its connection was dropped.")
    _report_bundle(made, bundle.qr, "Provisioned")
    _issue_code(store, made, target, code_hours)


@provision.command("register")
@desk_options("Site id of the bridged centre, e.g. jeddah.", "Desk id within the site, e.g. desk-01.")
@collector_options
@one_line_errors
def provision_register(desk: DeskRequest, collector: CollectorContext) -> None:
    """HQ's half for a desk at a bridged centre: a new device id, registered, sent its config.

    The desk's ratings are stamped with its site and desk from this
    registration; its retained config crosses the bridge to the centre. No
    broker account is made here: the centre's IT then runs `taqyeem provision
    account --device <the new id>` on the centre's broker machine.

    Example:

    \b
        sudo taqyeem provision register --config /etc/taqyeem/collector.toml \\
            --site jeddah --desk desk-01
    """
    store, publisher = collector.store, collector.connected_publisher()
    config = resolve_desk_config(store, desk.site, desk.desk, desk.label_ar, desk.label_en)
    device_id = register_device(store, publisher, config=config, actor=actor(), now=now())
    click.echo(f"Registered {device_id} for desk {desk.site}/{desk.desk} ({config.desk_name_en}) and sent its config.")
    click.echo(f"Next, on the centre's broker machine: sudo -E taqyeem provision account --device {device_id}")


@provision.command("account")
@click.option("--device", "device_id", required=True, help="The device id that `provision register` printed at HQ.")
@admin_options
@bundle_options
@one_line_errors
def provision_account_command(device_id: str, admin: PasswordFileAdmin, bundle: BundleRequest) -> None:
    """The centre's half: the broker account of a device registered at HQ, and its bundle.

    Run it on the bridged centre's broker machine, as root: it adds the
    account to this mosquitto's password file and writes the bundle, like
    `provision device`, but needs no collector database. The desk's config
    comes from HQ over the bridge.

    Example:

    \b
        export TAQYEEM_DEVICE_BROKER=mqtts://broker.jeddah.example:8883
        sudo -E taqyeem provision account --device jeddah-desk-01-5f0c2e
    """
    made = provision_account(admin, bundle.options(), device_id=device_id)
    _report_bundle(made, bundle.qr, "Created the account of")


@provision.command("revoke")
@click.option("--device", "device_id", required=True, help="The device id to revoke.")
@db_options
@click.option(
    "--account-only",
    is_flag=True,
    help="Only remove the account from this broker, no database (a bridged centre; HQ revokes it there).",
)
@admin_options
@one_line_errors
def provision_revoke(device_id: str, collector: CollectorContext, account_only: bool, admin: PasswordFileAdmin) -> None:
    """Remove a tablet's broker account now; its ratings and history stay.

    At a bridged centre, run it there with --account-only (the account) and
    at HQ without (the registration).

    Example:

        sudo taqyeem provision revoke --config /etc/taqyeem/collector.toml --device riyadh-hq-desk-12-a1b2c3
    """
    if account_only:
        revoke_account(admin, device_id=device_id)
    else:
        revoke_device(collector.store, admin, device_id=device_id, actor=actor(), now=now())
    click.echo(f"Revoked {device_id}: its password is refused and any open connection was dropped.")


@provision.command("list")
@db_options
@one_line_errors
def provision_list(collector: CollectorContext) -> None:
    """Desks, the devices serving them (and those they replaced), and their state.

    Example:

        taqyeem provision list --db /var/lib/taqyeem/taqyeem.db
    """
    rows = collector.store.devices.overview()
    header = ("SITE", "SECTION", "DESK", "DEVICE", "STATE", "LAST SEEN")
    table = [header]
    for row in rows:
        state = "revoked" if row["revoked_at"] else (row["state"] or "-")
        table.append(
            (
                row["site_id"] or "-",
                row["section_id"] or "-",
                row["desk_id"] or "-",
                row["device_id"] or "(no device)",
                state if row["device_id"] else "-",
                row["last_seen"] or "-",
            )
        )
    widths = [max(len(str(r[i])) for r in table) for i in range(len(header))]
    for line in table:
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    if len(table) == 1:
        click.echo("No desks yet: run `taqyeem sites apply sites.toml`, then `taqyeem provision device`.")


provision.add_command(codes)
provision.add_command(revoke_code)
