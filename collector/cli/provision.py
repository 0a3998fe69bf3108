"""``taqyeem provision ...``: desk tablets' broker accounts, retained configs and enrolment bundles.

Thin wrappers over collector/fleet/: they gather options, build the real
collaborators (the store, mosquitto's password file, an MQTT publisher) and
turn errors into one ``Error:`` line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from collector.cli.invocation import actor, db_path, now, one_line_errors, open_store
from collector.cli.options import (
    admin_options,
    bundle_options,
    collector_options,
    connect_publisher,
    db_options,
    release_key_of,
)
from collector.fleet.broker import PasswordFileAdmin, reload_by_pid_file
from collector.fleet.enrolment import Bundle, BundleOptions
from collector.fleet.provisioning import (
    provision_account,
    register_device,
    replace_device,
    resolve_desk_config,
    revoke_account,
    revoke_device,
)
from collector.fleet.provisioning import provision_device as provision_device_fn


def _admin(passwd_file: Path, mosquitto_pid_file: Path) -> PasswordFileAdmin:
    return PasswordFileAdmin(passwd_file, reload_by_pid_file(mosquitto_pid_file))


def _bundle_settings(
    device_broker: str,
    device_ca: Path,
    out: Path,
    install_dir: str,
    device_data_dir: Path | None,
    config_file: Path | None = None,
) -> BundleOptions:
    return BundleOptions(
        broker_url=device_broker,
        ca_file=device_ca,
        out_dir=out,
        install_dir=None if install_dir == "-" else Path(install_dir),
        data_dir=device_data_dir,
        release_key=release_key_of(config_file),
    )


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


@click.group()
def provision() -> None:
    """Desk tablets: create, replace, revoke and list their broker accounts.

    Run these as root on the broker's machine: they edit mosquitto's password
    file and make mosquitto reload it.

    Example:

        taqyeem provision list --db /var/lib/taqyeem/taqyeem.db
    """


@provision.command("device")
@click.option("--site", required=True, help="Site id, e.g. riyadh-hq.")
@click.option("--desk", required=True, help="Desk id within the site, e.g. desk-12.")
@click.option("--label-ar", help="Desk name in Arabic (overrides sites.toml; needed if the desk is not in it).")
@click.option("--label-en", help="Desk name in English (overrides sites.toml; needed if the desk is not in it).")
@collector_options
@admin_options
@bundle_options
@one_line_errors
def provision_device(
    site: str,
    desk: str,
    label_ar: str | None,
    label_en: str | None,
    config_file: Path | None,
    db: Path | None,
    broker: str | None,
    broker_password_file: Path | None,
    ca: Path | None,
    passwd_file: Path,
    mosquitto_pid_file: Path,
    device_broker: str,
    device_ca: Path,
    out: Path,
    install_dir: str,
    device_data_dir: Path | None,
    qr: bool,
) -> None:
    """Register a new tablet for a desk and write its enrolment bundle.

    Creates the tablet's broker account (username = the new device id, a
    random password), publishes its retained desk config and writes
    OUT/<device-id>/ with device.toml, the password file, the CA certificate
    and a QR code that carries the same enrolment data.

    Example:

    \b
        export TAQYEEM_DEVICE_BROKER=mqtts://broker.riyadh.example:8883
        sudo -E taqyeem provision device --config /etc/taqyeem/collector.toml \\
            --site riyadh-hq --desk desk-12
    """
    options = _bundle_settings(device_broker, device_ca, out, install_dir, device_data_dir, config_file)
    options.check()
    with (
        open_store(db_path(config_file, db)) as store,
        connect_publisher(config_file, db, broker, broker_password_file, ca) as pub,
    ):
        desk_config = resolve_desk_config(store, site, desk, label_ar, label_en)
        bundle = provision_device_fn(
            store, _admin(passwd_file, mosquitto_pid_file), pub, options, config=desk_config, actor=actor(), now=now()
        )
    _report_bundle(bundle, qr, "Provisioned")


@provision.command("replace")
@click.option("--device", "device_id", required=True, help="The device id of the tablet being replaced.")
@collector_options
@admin_options
@bundle_options
@one_line_errors
def provision_replace(
    device_id: str,
    config_file: Path | None,
    db: Path | None,
    broker: str | None,
    broker_password_file: Path | None,
    ca: Path | None,
    passwd_file: Path,
    mosquitto_pid_file: Path,
    device_broker: str,
    device_ca: Path,
    out: Path,
    install_dir: str,
    device_data_dir: Path | None,
    qr: bool,
) -> None:
    """Give a desk a new tablet: a new device id and bundle; the old account stops at once.

    The old tablet's open connection is dropped and its password refused from
    now on. Ratings keep their site and desk, so the desk's history spans both.

    Example:

    \b
        export TAQYEEM_DEVICE_BROKER=mqtts://broker.riyadh.example:8883
        sudo -E taqyeem provision replace --config /etc/taqyeem/collector.toml \\
            --device riyadh-hq-desk-12-a1b2c3
    """
    options = _bundle_settings(device_broker, device_ca, out, install_dir, device_data_dir, config_file)
    options.check()
    with (
        open_store(db_path(config_file, db)) as store,
        connect_publisher(config_file, db, broker, broker_password_file, ca) as pub,
    ):
        bundle = replace_device(
            store,
            _admin(passwd_file, mosquitto_pid_file),
            pub,
            options,
            device_id=device_id,
            actor=actor(),
            now=now(),
        )
    click.echo(f"Revoked {device_id}: its password is refused and its connection was dropped.")
    _report_bundle(bundle, qr, "Provisioned")


@provision.command("register")
@click.option("--site", required=True, help="Site id of the bridged centre, e.g. jeddah.")
@click.option("--desk", required=True, help="Desk id within the site, e.g. desk-01.")
@click.option("--label-ar", help="Desk name in Arabic (overrides sites.toml; needed if the desk is not in it).")
@click.option("--label-en", help="Desk name in English (overrides sites.toml; needed if the desk is not in it).")
@collector_options
@one_line_errors
def provision_register(
    site: str,
    desk: str,
    label_ar: str | None,
    label_en: str | None,
    config_file: Path | None,
    db: Path | None,
    broker: str | None,
    broker_password_file: Path | None,
    ca: Path | None,
) -> None:
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
    with (
        open_store(db_path(config_file, db)) as store,
        connect_publisher(config_file, db, broker, broker_password_file, ca) as pub,
    ):
        config = resolve_desk_config(store, site, desk, label_ar, label_en)
        device_id = register_device(store, pub, config=config, actor=actor(), now=now())
    click.echo(f"Registered {device_id} for desk {site}/{desk} ({config.desk_name_en}) and sent its config.")
    click.echo(f"Next, on the centre's broker machine: sudo -E taqyeem provision account --device {device_id}")


@provision.command("account")
@click.option("--device", "device_id", required=True, help="The device id that `provision register` printed at HQ.")
@admin_options
@bundle_options
@one_line_errors
def provision_account_command(
    device_id: str,
    passwd_file: Path,
    mosquitto_pid_file: Path,
    device_broker: str,
    device_ca: Path,
    out: Path,
    install_dir: str,
    device_data_dir: Path | None,
    qr: bool,
) -> None:
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
    options = _bundle_settings(device_broker, device_ca, out, install_dir, device_data_dir)
    bundle = provision_account(_admin(passwd_file, mosquitto_pid_file), options, device_id=device_id)
    _report_bundle(bundle, qr, "Created the account of")


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
def provision_revoke(
    device_id: str,
    config_file: Path | None,
    db: Path | None,
    account_only: bool,
    passwd_file: Path,
    mosquitto_pid_file: Path,
) -> None:
    """Remove a tablet's broker account now; its ratings and history stay.

    At a bridged centre, run it there with --account-only (the account) and
    at HQ without (the registration).

    Example:

        sudo taqyeem provision revoke --config /etc/taqyeem/collector.toml --device riyadh-hq-desk-12-a1b2c3
    """
    admin = _admin(passwd_file, mosquitto_pid_file)
    if account_only:
        revoke_account(admin, device_id=device_id)
    else:
        with open_store(db_path(config_file, db)) as store:
            revoke_device(store, admin, device_id=device_id, actor=actor(), now=now())
    click.echo(f"Revoked {device_id}: its password is refused and any open connection was dropped.")


@provision.command("list")
@db_options
@one_line_errors
def provision_list(config_file: Path | None, db: Path | None) -> None:
    """Desks, the devices serving them (and those they replaced), and their state.

    Example:

        taqyeem provision list --db /var/lib/taqyeem/taqyeem.db
    """
    with open_store(db_path(config_file, db)) as store:
        rows = store.devices.overview()
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
