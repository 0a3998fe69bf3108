"""The ``taqyeem`` command: one click group, thin wrappers around the library.

Library errors become ``click.ClickException`` so a person sees one line
saying what is wrong and what to do, never a traceback.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from datetime import UTC, datetime
from pathlib import Path

import click

from collector import __version__
from collector.fleet.broker import BrokerError
from collector.settings import SettingsError, load_collector_settings
from collector.store import Store, StoreError
from shared.clock import format_time
from shared.contract import NAME_PATTERN


def _setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="taqyeem")
def cli() -> None:
    """Taqyeem: visitor ratings from desk tablets to same-day review.

    Example:

        taqyeem collector --config /etc/taqyeem/collector.toml
    """


@cli.command()
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="TOML file with any of these options.")
@click.option("--broker", help="mqtt://USER:PASS@HOST:PORT or mqtts://USER@HOST:PORT  [env TAQYEEM_BROKER]")
@click.option("--broker-password-file", type=click.Path(path_type=Path), help="File holding the broker password.")
@click.option("--ca", type=click.Path(path_type=Path), help="CA certificate for an mqtts:// broker.")
@click.option("--db", type=click.Path(path_type=Path), help="SQLite file of the collector  [env TAQYEEM_DB]")
@click.option("--http", help="HOST:PORT for the web app and API (default 127.0.0.1:8080).")
@click.option("--client-id", help="MQTT client id (default taqyeem-collector); one per collector.")
@click.option("--shared-group", help="Share ratings between collectors via $share/GROUP/... (MQTT 5).")
@click.option("--log-level", help="DEBUG, INFO, WARNING or ERROR.")
def collector(config_file: Path | None, **options: object) -> None:
    """Receive ratings over MQTT, store them, open reviews, serve the API.

    Every option can also be set in the --config TOML file (same names with
    underscores) or as TAQYEEM_<NAME> in the environment.

    Example:

        taqyeem collector --broker mqtt://taqyeem-collector:PASS@127.0.0.1:1883 --db /var/lib/taqyeem/taqyeem.db
    """
    from collector.service import run_collector

    try:
        settings = load_collector_settings(config_file, **options)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    _setup_logging(settings.log_level)
    try:
        run_collector(settings)
    except (StoreError, BrokerError, OSError) as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.option("--broker", required=True, help="mqtt://HOST:PORT or mqtts://HOST:PORT of the broker.")
@click.option("--password", envvar="TAQYEEM_SIM_PASSWORD", help="Broker password shared by the simulated devices.")
@click.option("--ca", type=click.Path(path_type=Path), help="CA certificate for mqtts://.")
@click.option("--devices", default=5, show_default=True, type=click.IntRange(1, 500), help="Simulated desks.")
@click.option("--ratings", default=100, show_default=True, type=click.IntRange(0), help="Ratings per desk.")
@click.option("--interval", default=0.0, show_default=True, type=float, help="Mean seconds between taps at a desk.")
@click.option("--prefix", default="sim", show_default=True, help="Device ids are PREFIX-01, PREFIX-02, ...")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=Path("data/simulator"),
    show_default=True,
    help="Folder of the desks' outboxes.",
)
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait until the collector acked everything.")
@click.option("--timeout", default=120.0, show_default=True, help="Seconds to wait for the acks.")
@click.option("--resend-after", default=30.0, show_default=True, help="Seconds before an unacked rating is resent.")
@click.option("--seed", type=int, help="Random seed, for repeatable runs.")
def simulate(
    broker: str,
    password: str | None,
    ca: Path | None,
    devices: int,
    ratings: int,
    interval: float,
    prefix: str,
    data_dir: Path,
    wait: bool,
    timeout: float,
    resend_after: float,
    seed: int | None,
) -> None:
    """Drive the real device core from simulated desks (one outbox per desk).

    Each device's MQTT username is its device id (PREFIX-NN); all use --password.

    Example:

        taqyeem simulate --broker mqtt://127.0.0.1:1883 --password S3cret --devices 5 --ratings 1000
    """
    from device.simulator import open_desks, wait_drained
    from device.simulator import simulate as run

    _setup_logging("WARNING")
    try:
        desks = open_desks(
            broker=broker,
            password=password,
            count=devices,
            prefix=prefix,
            data_dir=data_dir,
            ca_file=ca,
            resend_after_s=resend_after,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    for desk in desks:
        desk.core.start()
    stop = threading.Event()
    try:
        taken = run(desks, ratings=ratings, interval_s=interval, stop=stop, seed=seed)
        click.echo(f"taken {taken} ratings at {devices} desks")
        if wait:
            drained = wait_drained(desks, timeout)
            left = sum(d.core.outbox_depth() for d in desks)
            click.echo(f"acked by the collector: {'all' if drained else f'all but {left}'}")
            if not drained:
                raise click.ClickException(
                    f"{left} ratings still in the outboxes after {timeout:.0f} s; is the collector running?"
                )
    except KeyboardInterrupt:
        stop.set()
    finally:
        for desk in desks:
            desk.core.stop()


@cli.group()
def token() -> None:
    """API tokens for scripts and integrations.

    Example:

        taqyeem token create --db data/taqyeem.db --role viewer --name reporting
    """


def _existing_store(db: Path) -> Store:
    if not db.is_file():
        raise click.ClickException(f"no collector database at {db}; check --db (the collector creates it on start)")
    try:
        return Store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


@token.command("create")
@click.option("--db", required=True, type=click.Path(path_type=Path), help="SQLite file of the collector.")
@click.option("--role", required=True, type=click.Choice(["admin", "supervisor", "viewer"]))
@click.option("--name", default="cli", show_default=True, help="Who or what uses the token (to list or revoke it).")
@click.option("--site", "sites", multiple=True, help="A site a supervisor or viewer may read (repeatable); * for all.")
def token_create(db: Path, role: str, name: str, sites: tuple[str, ...]) -> None:
    """Print a new API token (shown once; only its hash is stored).

    A supervisor or viewer token needs at least one --site; --site '*' grants
    every site, and says so.

    Example:

        taqyeem token create --db data/taqyeem.db --role viewer --site riyadh-hq --name portal
    """
    if role != "admin" and not sites:
        raise click.ClickException(f"a {role} token needs --site SITE (repeatable), or --site '*' for every site")
    bad = [s for s in sites if s != "*" and not re.fullmatch(NAME_PATTERN, s)]
    if bad:
        raise click.ClickException(f"{bad[0]!r} is not a site id (lowercase letters, digits and dashes)")
    store = _existing_store(db)
    try:
        click.echo(store.accounts.create_token(name, role, list(sites), format_time(datetime.now(UTC))))
    finally:
        store.close()


@token.command("list")
@click.option("--db", required=True, type=click.Path(path_type=Path), help="SQLite file of the collector.")
def token_list(db: Path) -> None:
    """List API tokens: name, role, sites, created, revoked (never the token itself).

    Example:

        taqyeem token list --db data/taqyeem.db
    """
    store = _existing_store(db)
    try:
        for row in store.accounts.tokens():
            sites = ",".join(row["sites"]) or "-"
            state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "live"
            click.echo(f"{row['name']:<20} {row['role']:<10} {sites:<24} created {row['created_at']}  {state}")
    finally:
        store.close()


@token.command("revoke")
@click.option("--db", required=True, type=click.Path(path_type=Path), help="SQLite file of the collector.")
@click.option("--name", required=True, help="The name the token was created with.")
def token_revoke(db: Path, name: str) -> None:
    """Revoke the live tokens of that name; they stop working at once.

    Example:

        taqyeem token revoke --db data/taqyeem.db --name portal
    """
    store = _existing_store(db)
    try:
        count = store.accounts.revoke_tokens(name, format_time(datetime.now(UTC)))
    finally:
        store.close()
    if count == 0:
        raise click.ClickException(f"no live token named {name!r}; see `taqyeem token list`")
    click.echo(f"revoked {count} token(s) named {name!r}")


from collector.cli_users import user  # noqa: E402 - the web accounts (issue 4)

cli.add_command(user)


def new_password() -> str:
    return secrets.token_urlsafe(24)


from collector.cli_provision import register as _register_it_commands  # noqa: E402 - needs `cli` defined

_register_it_commands(cli)


def main() -> None:
    cli(prog_name="taqyeem")


if __name__ == "__main__":
    main()
