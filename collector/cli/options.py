"""Options several commands share, and what they make: the collector's database path and config publisher.

``collector_options`` name the collector (its TOML, database and broker account);
``admin_options`` name mosquitto's password and pid files; ``bundle_options``
say what a new tablet's bundle holds.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TypeVar

import click

from collector.fleet.config_publisher import ConnectOnFirstPublish, RetainedConfigPublisher, connect_config_publisher
from collector.settings import SettingsError, load_collector_settings, read_toml_file
from shared.releases import load_public_key

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_PASSWD = Path("/etc/mosquitto/taqyeem/passwd")
DEFAULT_PID_FILE = Path("/run/mosquitto/mosquitto.pid")
DEFAULT_DEVICE_CA = Path("/etc/mosquitto/taqyeem/ca.crt")


def db_options(command: F) -> F:
    """--config and --db: where the collector's database is (see ``invocation.db_path``)."""
    command = click.option(
        "--db", type=click.Path(path_type=Path), help="SQLite file of the collector  [env TAQYEEM_DB]"
    )(command)
    return click.option(
        "--config", "config_file", type=click.Path(path_type=Path), help="The collector's TOML (for db)."
    )(command)


def collector_options(command: F) -> F:
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


def admin_options(command: F) -> F:
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


def bundle_options(command: F) -> F:
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


def connect_publisher(
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


def publisher_if_configured(
    config_file: Path | None, db: Path | None, broker: str | None, password_file: Path | None, ca: Path | None
) -> ConnectOnFirstPublish | None:
    """A publisher that connects only when a desk must be told (a registry without devices needs no broker)."""
    if not has_broker(config_file, broker):
        return None
    return ConnectOnFirstPublish(lambda: connect_publisher(config_file, db, broker, password_file, ca))


def has_broker(config_file: Path | None, broker: str | None) -> bool:
    if broker or os.environ.get("TAQYEEM_BROKER"):
        return True
    if config_file is not None and config_file.exists():
        return "broker" in read_toml_file(config_file)
    return False


def release_key_of(config_file: Path | None) -> str | None:
    """``release_public_key`` (TAQYEEM_RELEASE_PUBLIC_KEY, else the --config TOML): new tablets get it."""
    key = os.environ.get("TAQYEEM_RELEASE_PUBLIC_KEY")
    if key is None and config_file is not None and config_file.exists():
        key = read_toml_file(config_file).get("release_public_key")
    if key is None:
        return None
    try:
        load_public_key(str(key))
    except ValueError as exc:
        raise SettingsError(f"release_public_key: {exc}") from None
    return str(key).strip()
