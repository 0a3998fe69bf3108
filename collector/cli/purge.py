"""``taqyeem purge comments``: blank the free-text comments past their retention (wrapper over retention.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from collector.cli.context import CollectorContext
from collector.cli.invocation import one_line_errors
from collector.cli.options import db_options
from collector.settings import RetentionSettings, SettingsError
from collector.upkeep.retention import purge_comments


@click.group()
def purge() -> None:
    """Forget what Taqyeem keeps only for a while (docs/privacy.md); the collector also does it hourly.

    Example:

        taqyeem purge comments --config /etc/taqyeem/collector.toml --dry-run
    """


def _days(collector: CollectorContext, days: int | None) -> int:
    """--days, else ``[retention] comments_days`` in the --config TOML, else the default (90)."""
    if days is not None:
        return days
    try:
        return RetentionSettings.model_validate(collector.toml.get("retention", {})).comments_days
    except ValueError as exc:
        raise SettingsError(f"[retention] in {collector.config_file}: {exc}") from None


@purge.command()
@db_options
@click.option(
    "--days",
    type=click.IntRange(0, 3650),
    help="Keep comments this many days; default [retention] comments_days of --config, else 90.",
)
@click.option("--dry-run", is_flag=True, help="Only count the comments that would be blanked.")
@one_line_errors
def comments(collector: CollectorContext, days: int | None, dry_run: bool) -> None:
    """Blank the comments of ratings (and of dead letters) received more than N days ago.

    The ratings stay, with their score, reasons and review: only the free text goes.
    Running it twice blanks nothing more. The collector may keep running.

    Example:

        taqyeem purge comments --db /var/lib/taqyeem/taqyeem.db --days 90 --dry-run
    """
    keep = _days(collector, days)
    store = collector.store
    done = purge_comments(store, keep, datetime.now(UTC), dry_run=dry_run)
    held, oldest = store.retention.comments_held()
    last = store.retention.last_purges(1)
    verb = "would blank" if dry_run else "blanked"
    click.echo(
        f"{verb} {done.purged.ratings} rating comments and {done.purged.dead_letters} dead-letter comments "
        f"received before {done.cutoff} (kept {keep} days)"
    )
    click.echo(f"comments held now: {held}" + (f", the oldest received {oldest}" if oldest else ""))
    if last:
        row = last[0]
        click.echo(
            f"last purge: {row['ran_at']}, {row['ratings']} rating and {row['dead_letters']} dead-letter comments"
        )
