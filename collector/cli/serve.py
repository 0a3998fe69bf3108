"""``taqyeem collector``: run the collector (MQTT ingest, reviews, alerts, the web app and API)."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from collector.fleet.errors import BrokerError
from collector.settings import SettingsError, load_collector_settings
from collector.store import StoreError

EXIT_STOPPED = 3  # stopped acking: the database file went away or was found damaged (1: refused to start)


def setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@click.command()
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="TOML file with any of these options.")
@click.option("--broker", help="mqtt://USER:PASS@HOST:PORT or mqtts://USER@HOST:PORT  [env TAQYEEM_BROKER]")
@click.option("--broker-password-file", type=click.Path(path_type=Path), help="File holding the broker password.")
@click.option("--ca", type=click.Path(path_type=Path), help="CA certificate for an mqtts:// broker.")
@click.option("--db", type=click.Path(path_type=Path), help="SQLite file of the collector  [env TAQYEEM_DB]")
@click.option("--http", help="HOST:PORT for the web app and API (default 127.0.0.1:8080).")
@click.option("--client-id", help="MQTT client id (default taqyeem-collector); one per collector.")
@click.option("--shared-group", help="Share ratings between collectors via $share/GROUP/... (MQTT 5).")
@click.option("--log-level", help="DEBUG, INFO, WARNING or ERROR.")
@click.option(
    "--create-db",
    is_flag=True,
    help="Make the database if it does not exist: the first start of an install only (never in the unit file).",
)
def collector(config_file: Path | None, create_db: bool, **options: object) -> None:
    """Receive ratings over MQTT, store them, open reviews, serve the API.

    Every option but --create-db can also be set in the --config TOML file
    (same names with underscores) or as TAQYEEM_<NAME> in the environment.

    It refuses a missing database unless --create-db is given, and a damaged
    one (with how to restore a backup); a start waits for that check at most
    startup_check_s (default 2 s), then a bigger file is checked while serving.
    If its database file is deleted, moved or replaced while it runs, or found
    damaged, it stops acknowledging ratings, /healthz answers 503, and it exits
    with status 3 (the broker keeps the ratings meanwhile).

    Example:

        taqyeem collector --config /etc/taqyeem/collector.toml --create-db    (first start)
        taqyeem collector --broker mqtt://taqyeem-collector:PASS@127.0.0.1:1883 --db /var/lib/taqyeem/taqyeem.db
    """
    from collector.service import CollectorStopped, run_collector

    try:
        settings = load_collector_settings(config_file, **options)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    setup_logging(settings.log_level)
    try:
        run_collector(settings, create_db=create_db)
    except CollectorStopped:
        raise click.exceptions.Exit(EXIT_STOPPED) from None  # its one line is logged already
    except (StoreError, BrokerError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
