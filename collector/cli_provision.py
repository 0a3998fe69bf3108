"""IT commands: ``taqyeem provision ...``, ``taqyeem sites apply``, ``taqyeem backup`` and ``restore``.

Thin wrappers over collector/provisioning.py, sites.py and backup.py: they
gather options, build the real collaborators (the store, mosquitto's password
file, an MQTT publisher) and turn errors into one ``Error:`` line.
"""

from __future__ import annotations

import functools
import getpass
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from collector.backup import BackupError, make_backup, restore_backup
from collector.fleet.broker import BrokerError, PasswordFileAdmin, reload_by_pid_file
from collector.fleet.config_publisher import (
    ConfigPublishError,
    ConnectOnFirstPublish,
    RetainedConfigPublisher,
    connect_config_publisher,
)
from collector.fleet.enrolment import Bundle, BundleOptions
from collector.fleet.provisioning import (
    ProvisioningError,
    provision_account,
    register_device,
    replace_device,
    resolve_desk_config,
    revoke_account,
    revoke_device,
)
from collector.fleet.provisioning import provision_device as provision_device_fn
from collector.fleet.sites import SitesFileError, apply_sites, load_sites_file
from collector.settings import SettingsError, load_collector_settings, read_toml_file
from collector.store import Store, StoreError
from shared.clock import format_time

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_PASSWD = Path("/etc/mosquitto/taqyeem/passwd")
DEFAULT_PID_FILE = Path("/run/mosquitto/mosquitto.pid")
DEFAULT_DEVICE_CA = Path("/etc/mosquitto/taqyeem/ca.crt")
ERRORS = (
    ProvisioningError,
    ConfigPublishError,
    SitesFileError,
    StoreError,
    SettingsError,
    BrokerError,
    BackupError,
    OSError,
)


def _now() -> str:
    return format_time(datetime.now(UTC))


def _actor() -> str:
    return os.environ.get("SUDO_USER") or getpass.getuser()


def _fail_cleanly(command: F) -> F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ERRORS as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


# --- shared options --------------------------------------------------------------


def _collector_options(command: F) -> F:
    for decorator in reversed(
        [
            click.option(
                "--config",
                "config_file",
                type=click.Path(path_type=Path),
                help="The collector's TOML (db, broker, broker_password_file, ca are read from it).",
            ),
            click.option(
                "--db", type=click.Path(path_type=Path), help="SQLite file of the collector  [env TAQYEEM_DB]"
            ),
            click.option("--broker", help="The collector's broker account: mqtt://taqyeem-collector@127.0.0.1:1883"),
            click.option(
                "--broker-password-file", type=click.Path(path_type=Path), help="File holding that account's password."
            ),
            click.option("--ca", type=click.Path(path_type=Path), help="CA certificate if --broker is mqtts://."),
        ]
    ):
        command = decorator(command)
    return command


def _admin_options(command: F) -> F:
    for decorator in reversed(
        [
            click.option(
                "--passwd-file",
                type=click.Path(path_type=Path),
                envvar="TAQYEEM_PASSWD_FILE",
                default=DEFAULT_PASSWD,
                show_default=True,
                help="mosquitto's password file  [env TAQYEEM_PASSWD_FILE]",
            ),
            click.option(
                "--mosquitto-pid-file",
                type=click.Path(path_type=Path),
                envvar="TAQYEEM_MOSQUITTO_PID_FILE",
                default=DEFAULT_PID_FILE,
                show_default=True,
                help="mosquitto's pid file, to make it reload its accounts (SIGHUP).",
            ),
        ]
    ):
        command = decorator(command)
    return command


def _bundle_options(command: F) -> F:
    for decorator in reversed(
        [
            click.option(
                "--device-broker",
                envvar="TAQYEEM_DEVICE_BROKER",
                required=True,
                help="Address tablets dial, e.g. mqtts://broker.centre.example:8883  [env TAQYEEM_DEVICE_BROKER]",
            ),
            click.option(
                "--device-ca",
                type=click.Path(path_type=Path),
                envvar="TAQYEEM_DEVICE_CA",
                default=DEFAULT_DEVICE_CA,
                show_default=True,
                help="CA certificate of the broker's TLS listener.",
            ),
            click.option(
                "--out",
                type=click.Path(path_type=Path),
                default=Path("bundles"),
                show_default=True,
                help="Folder for the bundle; it goes to OUT/<device-id>/.",
            ),
            click.option(
                "--install-dir",
                default="/etc/taqyeem",
                show_default=True,
                help="Where the bundle's files will be on the tablet; '-' for the bundle folder itself "
                "(to try the kiosk on this machine).",
            ),
            click.option(
                "--device-data-dir",
                type=click.Path(path_type=Path),
                help="The tablet's data folder (its outbox); default /var/lib/taqyeem, or with "
                "--install-dir - the bundle's data/ folder.",
            ),
            click.option("--qr/--no-qr", default=True, show_default=True, help="Print the enrolment QR code here."),
        ]
    ):
        command = decorator(command)
    return command


def _db_path(config_file: Path | None, db: Path | None) -> Path:
    if db is not None:
        return db
    if os.environ.get("TAQYEEM_DB"):
        return Path(os.environ["TAQYEEM_DB"])
    if config_file is not None:
        values = read_toml_file(config_file)
        if "db" in values:
            return Path(values["db"])
    raise SettingsError("no db given: pass --db, set TAQYEEM_DB or pass --config with db = ... in it")


@contextmanager
def _store(config_file: Path | None, db: Path | None, *, create: bool = False) -> Iterator[Store]:
    path = _db_path(config_file, db)
    if not create and not path.exists():
        raise SettingsError(
            f"database {path} does not exist; check --db (the collector creates it when it "
            "first starts, and so does `taqyeem sites apply`)"
        )
    store = Store(path)
    try:
        yield store
    finally:
        store.close()


def _publisher(
    config_file: Path | None, db: Path | None, broker: str | None, broker_password_file: Path | None, ca: Path | None
) -> AbstractContextManager[RetainedConfigPublisher]:
    settings = load_collector_settings(
        config_file, db=db, broker=broker, broker_password_file=broker_password_file, ca=ca
    )
    try:
        address = settings.broker_address()
    except OSError as exc:
        raise SettingsError(
            f"cannot read the broker password file {settings.broker_password_file} ({exc.strerror}); "
            "run this command as root (sudo), or pass --broker-password-file"
        ) from None
    return connect_config_publisher(address, settings.ca)


def _has_broker(config_file: Path | None, broker: str | None) -> bool:
    if broker or os.environ.get("TAQYEEM_BROKER"):
        return True
    if config_file is not None and config_file.exists():
        return "broker" in read_toml_file(config_file)
    return False


def _admin(passwd_file: Path, mosquitto_pid_file: Path) -> PasswordFileAdmin:
    return PasswordFileAdmin(passwd_file, reload_by_pid_file(mosquitto_pid_file))


def _bundle_settings(
    device_broker: str, device_ca: Path, out: Path, install_dir: str, device_data_dir: Path | None
) -> BundleOptions:
    return BundleOptions(
        broker_url=device_broker,
        ca_file=device_ca,
        out_dir=out,
        install_dir=None if install_dir == "-" else Path(install_dir),
        data_dir=device_data_dir,
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


# --- provision ----------------------------------------------------------------------


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
@_collector_options
@_admin_options
@_bundle_options
@_fail_cleanly
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
    options = _bundle_settings(device_broker, device_ca, out, install_dir, device_data_dir)
    options.check()
    with _store(config_file, db) as store, _publisher(config_file, db, broker, broker_password_file, ca) as pub:
        desk_config = resolve_desk_config(store, site, desk, label_ar, label_en)
        bundle = provision_device_fn(
            store, _admin(passwd_file, mosquitto_pid_file), pub, options, config=desk_config, actor=_actor(), now=_now()
        )
    _report_bundle(bundle, qr, "Provisioned")


@provision.command("replace")
@click.option("--device", "device_id", required=True, help="The device id of the tablet being replaced.")
@_collector_options
@_admin_options
@_bundle_options
@_fail_cleanly
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
    options = _bundle_settings(device_broker, device_ca, out, install_dir, device_data_dir)
    options.check()
    with _store(config_file, db) as store, _publisher(config_file, db, broker, broker_password_file, ca) as pub:
        bundle = replace_device(
            store,
            _admin(passwd_file, mosquitto_pid_file),
            pub,
            options,
            device_id=device_id,
            actor=_actor(),
            now=_now(),
        )
    click.echo(f"Revoked {device_id}: its password is refused and its connection was dropped.")
    _report_bundle(bundle, qr, "Provisioned")


@provision.command("register")
@click.option("--site", required=True, help="Site id of the bridged centre, e.g. jeddah.")
@click.option("--desk", required=True, help="Desk id within the site, e.g. desk-01.")
@click.option("--label-ar", help="Desk name in Arabic (overrides sites.toml; needed if the desk is not in it).")
@click.option("--label-en", help="Desk name in English (overrides sites.toml; needed if the desk is not in it).")
@_collector_options
@_fail_cleanly
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
    with _store(config_file, db) as store, _publisher(config_file, db, broker, broker_password_file, ca) as pub:
        config = resolve_desk_config(store, site, desk, label_ar, label_en)
        device_id = register_device(store, pub, config=config, actor=_actor(), now=_now())
    click.echo(f"Registered {device_id} for desk {site}/{desk} ({config.desk_name_en}) and sent its config.")
    click.echo(f"Next, on the centre's broker machine: sudo -E taqyeem provision account --device {device_id}")


@provision.command("account")
@click.option("--device", "device_id", required=True, help="The device id that `provision register` printed at HQ.")
@_admin_options
@_bundle_options
@_fail_cleanly
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
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="The collector's TOML (for db).")
@click.option("--db", type=click.Path(path_type=Path), help="SQLite file of the collector  [env TAQYEEM_DB]")
@click.option(
    "--account-only",
    is_flag=True,
    help="Only remove the account from this broker, no database (a bridged centre; HQ revokes it there).",
)
@_admin_options
@_fail_cleanly
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
        with _store(config_file, db) as store:
            revoke_device(store, admin, device_id=device_id, actor=_actor(), now=_now())
    click.echo(f"Revoked {device_id}: its password is refused and any open connection was dropped.")


@provision.command("list")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="The collector's TOML (for db).")
@click.option("--db", type=click.Path(path_type=Path), help="SQLite file of the collector  [env TAQYEEM_DB]")
@_fail_cleanly
def provision_list(config_file: Path | None, db: Path | None) -> None:
    """Desks, the devices serving them (and those they replaced), and their state.

    Example:

        taqyeem provision list --db /var/lib/taqyeem/taqyeem.db
    """
    with _store(config_file, db) as store:
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


# --- sites ----------------------------------------------------------------------------


@click.group()
def sites() -> None:
    """Sites, sections and desks, from one TOML file kept in version control.

    Example:

        taqyeem sites apply deploy/sites.example.toml --db /var/lib/taqyeem/taqyeem.db
    """


@sites.command("apply")
@click.argument("sites_file", type=click.Path(path_type=Path))
@_collector_options
@_fail_cleanly
def sites_apply(
    sites_file: Path,
    config_file: Path | None,
    db: Path | None,
    broker: str | None,
    broker_password_file: Path | None,
    ca: Path | None,
) -> None:
    """Make the database match SITES_FILE; applying it again changes nothing.

    Desks missing from the file are kept (they have history) and listed.
    Devices at a changed desk get their new config; that needs the broker
    (--config or --broker).

    Example:

        taqyeem sites apply /etc/taqyeem/sites.toml --config /etc/taqyeem/collector.toml
    """
    file = load_sites_file(sites_file)
    publisher = (  # connects only if a device's config changed: the first apply needs no broker password
        ConnectOnFirstPublish(lambda: _publisher(config_file, db, broker, broker_password_file, ca))
        if _has_broker(config_file, broker)
        else None
    )
    with _store(config_file, db, create=True) as store, publisher or nullcontext() as pub:
        applied = apply_sites(store, file, _now(), pub)
    changes = applied.plan
    for label in changes.created:
        click.echo(f"created {label}")
    for label in changes.updated:
        click.echo(f"updated {label}")
    for device_id, _config in applied.device_configs:
        click.echo(f"sent the new config to device {device_id}")
    if changes.not_in_file:
        click.echo(f"kept, not in the file: {', '.join('desk ' + d for d in changes.not_in_file)}")
    if not changes.changed:
        click.echo("no changes: the database already matches the file")


# --- backup and restore ---------------------------------------------------------------


@click.command()
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="The collector's TOML (for db).")
@click.option("--db", type=click.Path(path_type=Path), help="SQLite file of the collector  [env TAQYEEM_DB]")
@click.option(
    "--dir",
    "backup_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder of the backups (taqyeem-<UTC time>.db).",
)
@click.option(
    "--keep",
    default=14,
    show_default=True,
    type=click.IntRange(1),
    help="How many backups to keep; older ones are deleted.",
)
@_fail_cleanly
def backup(config_file: Path | None, db: Path | None, backup_dir: Path, keep: int) -> None:
    """Copy the live database safely (SQLite's online backup); the collector keeps running.

    Each copy is checked with PRAGMA integrity_check before it counts.

    Example:

        taqyeem backup --db /var/lib/taqyeem/taqyeem.db --dir /var/backups/taqyeem --keep 14
    """
    result = make_backup(_db_path(config_file, db), backup_dir, keep=keep, now=datetime.now(UTC))
    click.echo(f"backup {result.path} ({result.ratings} ratings, integrity ok)")
    for old in result.deleted:
        click.echo(f"deleted old backup {old}")


@click.command()
@click.argument("backup_file", type=click.Path(path_type=Path))
@click.option("--db", required=True, type=click.Path(path_type=Path), help="The database file to restore to.")
@click.option("--force", is_flag=True, help="Replace an existing database (it is kept as <db>.before-restore-<time>).")
@_fail_cleanly
def restore(backup_file: Path, db: Path, force: bool) -> None:
    """Restore the database from a backup; stop the collector first.

    Example:

        taqyeem restore /var/backups/taqyeem/taqyeem-20261128T020000Z.db --db /var/lib/taqyeem/taqyeem.db --force
    """
    result = restore_backup(backup_file, db, force=force, now=datetime.now(UTC))
    if result.previous is not None:
        click.echo(f"kept the previous database as {result.previous}")
    click.echo(f"restored {db} from {backup_file} ({result.ratings} ratings, integrity ok)")


def register(cli: click.Group) -> None:
    """Add the IT commands to the ``taqyeem`` group."""
    cli.add_command(provision)
    cli.add_command(sites)
    cli.add_command(backup)
    cli.add_command(restore)
