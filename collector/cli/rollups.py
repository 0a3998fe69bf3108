"""``taqyeem rollups rebuild``: the sums kept as ratings arrive, recomputed from the ratings.

The reports' daily rollups (store/rollups.py) and each device's seq history (store/seq_history.py).
"""

from __future__ import annotations

import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from collector.cli.context import CollectorContext
from collector.cli.invocation import one_line_errors
from collector.cli.options import db_options


@click.group()
def rollups() -> None:
    """The sums kept as ratings arrive: the daily rollups the reports read (with the period reports' monthly
    sums and daily sums of answers, languages and visits), the comments' theme counts, and each device's seq
    history.

    Example:

        taqyeem rollups rebuild --config /etc/taqyeem/collector.toml
    """


def _zone(collector: CollectorContext, timezone: str | None) -> str | None:
    """--timezone, else ``timezone`` in the --config TOML, else None (keep the zone they were built for)."""
    zone = timezone
    if zone is None:
        zone = collector.toml.get("timezone")
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
def rebuild(collector: CollectorContext, timezone: str | None) -> None:
    """Recompute the daily rollups, each device's seq history, then the comments' theme counts, from the ratings.

    Run it after changing the collector's timezone (until then the reports read the
    ratings themselves: the same numbers, slower), or after ratings were loaded into
    the file by other means than the collector. Each is one transaction; the collector
    may keep running: its batches wait for them.

    Example:

        taqyeem rollups rebuild --db /var/lib/taqyeem/taqyeem.db --timezone Asia/Riyadh
    """
    zone = _zone(collector, timezone)
    store = collector.store
    started = time.monotonic()
    count = store.rollups.rebuild(zone)
    click.echo(f"rebuilt {count} rollup rows for {store.rollups.zone()} in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    runs = store.seq_history.rebuild()
    click.echo(f"rebuilt the seq history of the devices: {runs} runs in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    themes_dir = collector.toml.get("themes_dir")
    if themes_dir is not None:
        store.themes.use_folder(Path(themes_dir))
    rows = store.themes.rebuild()
    click.echo(
        f"recounted the comments' themes: {rows} rows (days with a purged comment kept as they were)"
        f" in {time.monotonic() - started:.1f} s"
    )
