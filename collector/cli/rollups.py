"""``taqyeem rollups rebuild``: the reports' daily rollups, recomputed from the ratings (store/rollups.py)."""

from __future__ import annotations

import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from collector.cli.invocation import db_path, one_line_errors, open_store
from collector.cli.options import db_options
from collector.settings import read_toml_file


@click.group()
def rollups() -> None:
    """The daily rollups the Reports and Employees pages and the daily report read (and the period reports'
    monthly sums and daily sums of answers, languages and visits, rebuilt with them).

    Example:

        taqyeem rollups rebuild --config /etc/taqyeem/collector.toml
    """


def _zone(config_file: Path | None, timezone: str | None) -> str | None:
    """--timezone, else ``timezone`` in the --config TOML, else None (keep the zone they were built for)."""
    zone = timezone
    if zone is None and config_file is not None:
        zone = read_toml_file(config_file).get("timezone")
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise click.ClickException(f"timezone {zone!r} is not an IANA zone name like Asia/Riyadh") from None
    return zone


@rollups.command()
@db_options
@click.option("--timezone", help="IANA zone of the centres' days; default the --config's, else the rollups' own.")
@one_line_errors
def rebuild(config_file: Path | None, db: Path | None, timezone: str | None) -> None:
    """Recompute the daily rollups from every stored rating, in one transaction.

    Run it after changing the collector's timezone (until then the reports read the
    ratings themselves: the same numbers, slower). The collector may keep running:
    its batches wait for the rebuild's transaction.

    Example:

        taqyeem rollups rebuild --db /var/lib/taqyeem/taqyeem.db --timezone Asia/Riyadh
    """
    zone = _zone(config_file, timezone)
    with open_store(db_path(config_file, db)) as store:
        started = time.monotonic()
        count = store.rollups.rebuild(zone)
        click.echo(f"rebuilt {count} rollup rows for {store.rollups.zone()} in {time.monotonic() - started:.1f} s")
