"""Options several commands share, each group handed to the command as one record.

``collector_options`` name the collector (its TOML, database and broker account) and give
the command one ``CollectorContext`` (collector/cli/context.py) as ``collector``;
``db_options`` are its --config and --db alone. ``admin_options`` name mosquitto's password
and pid files and give a ``PasswordFileAdmin`` as ``admin``; ``bundle_options`` say what a
new tablet's bundle holds and give a ``BundleRequest`` as ``bundle``; ``desk_options`` name
a desk and give a ``DeskRequest`` as ``desk``. The options keep their names on the command
line: only the function behind the command takes fewer, named parameters.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from collector.cli.context import CollectorContext
from collector.fleet.broker import PasswordFileAdmin, reload_by_pid_file
from collector.fleet.enrolment import BundleOptions

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_PASSWD = Path("/etc/mosquitto/taqyeem/passwd")
DEFAULT_PID_FILE = Path("/run/mosquitto/mosquitto.pid")
DEFAULT_DEVICE_CA = Path("/etc/mosquitto/taqyeem/ca.crt")


@dataclass(frozen=True)
class DeskRequest:
    """--site, --desk and the optional --label-ar and --label-en of a command that names one desk."""

    site: str
    desk: str
    label_ar: str | None = None
    label_en: str | None = None


@dataclass(frozen=True)
class BundleRequest:
    """What ``bundle_options`` ask of a new tablet's bundle."""

    device_broker: str
    device_ca: Path
    out: Path
    install_dir: str  # "-": the bundle folder itself (to try the kiosk on this machine)
    device_data_dir: Path | None
    qr: bool

    def options(self, release_key: str | None = None) -> BundleOptions:
        return BundleOptions(
            broker_url=self.device_broker,
            ca_file=self.device_ca,
            out_dir=self.out,
            install_dir=None if self.install_dir == "-" else Path(self.install_dir),
            data_dir=self.device_data_dir,
            release_key=release_key,
        )


def gathered(
    into: str, names: tuple[str, ...], build: Callable[..., Any], options: list[Callable[[F], F]]
) -> Callable[[F], F]:
    """A decorator adding ``options`` to a command, whose values reach it as one ``build(...)`` named ``into``.

    ``build`` gets the options' values by parameter name; a record that is a context
    manager (``CollectorContext``) is left when the command returns or fails.
    """

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def with_record(*args: Any, **kwargs: Any) -> Any:
            record = build(**{name: kwargs.pop(name) for name in names})
            if isinstance(record, CollectorContext):
                with record:
                    return command(*args, **kwargs, **{into: record})
            return command(*args, **kwargs, **{into: record})

        wrapped: Any = with_record
        for option in reversed(options):
            wrapped = option(wrapped)
        return wrapped

    return decorate


CONFIG_FOR_DB = click.option(
    "--config", "config_file", type=click.Path(path_type=Path), help="The collector's TOML (for db)."
)
CONFIG = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="The collector's TOML (db, broker, broker_password_file, ca are read from it).",
)
DB = click.option("--db", type=click.Path(path_type=Path), help="SQLite file of the collector  [env TAQYEEM_DB]")
BROKER = [
    click.option("--broker", help="The collector's broker account: mqtt://taqyeem-collector@127.0.0.1:1883"),
    click.option(
        "--broker-password-file", type=click.Path(path_type=Path), help="File holding that account's password."
    ),
    click.option("--ca", type=click.Path(path_type=Path), help="CA certificate if --broker is mqtts://."),
]

db_options = gathered("collector", ("config_file", "db"), CollectorContext, [CONFIG_FOR_DB, DB])
"""--config and --db: where the collector's database is (``CollectorContext.db_path``), as ``collector``."""

collector_options = gathered(
    "collector", ("config_file", "db", "broker", "broker_password_file", "ca"), CollectorContext, [CONFIG, DB, *BROKER]
)
"""--config, --db, --broker, --broker-password-file and --ca, as one ``CollectorContext`` named ``collector``."""


def _admin(passwd_file: Path, mosquitto_pid_file: Path) -> PasswordFileAdmin:
    return PasswordFileAdmin(passwd_file, reload_by_pid_file(mosquitto_pid_file))


admin_options = gathered(
    "admin",
    ("passwd_file", "mosquitto_pid_file"),
    _admin,
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
    ],
)
"""--passwd-file and --mosquitto-pid-file, as the ``PasswordFileAdmin`` named ``admin``."""

bundle_options = gathered(
    "bundle",
    ("device_broker", "device_ca", "out", "install_dir", "device_data_dir", "qr"),
    BundleRequest,
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
    ],
)
"""What a new tablet's bundle holds, as the ``BundleRequest`` named ``bundle``."""


def desk_options(site_help: str, desk_help: str) -> Callable[[F], F]:
    """--site, --desk, --label-ar and --label-en, as the ``DeskRequest`` named ``desk``."""
    label = "Desk name in {} (overrides sites.toml; needed if the desk is not in it)."
    return gathered(
        "desk",
        ("site", "desk", "label_ar", "label_en"),
        DeskRequest,
        [
            click.option("--site", required=True, help=site_help),
            click.option("--desk", required=True, help=desk_help),
            click.option("--label-ar", help=label.format("Arabic")),
            click.option("--label-en", help=label.format("English")),
        ],
    )
