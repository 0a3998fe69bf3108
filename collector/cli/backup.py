"""``taqyeem backup`` and ``taqyeem restore``: the collector database, copied safely (wrappers over backup.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from collector.cli.context import CollectorContext
from collector.cli.invocation import one_line_errors
from collector.cli.options import db_options
from collector.upkeep.backup import make_backup, restore_backup


@click.command()
@db_options
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
@one_line_errors
def backup(collector: CollectorContext, backup_dir: Path, keep: int) -> None:
    """Copy the live database safely (SQLite's online backup); the collector keeps running.

    Each copy is checked with PRAGMA integrity_check before it counts.

    Example:

        taqyeem backup --db /var/lib/taqyeem/taqyeem.db --dir /var/backups/taqyeem --keep 14
    """
    result = make_backup(collector.db_path, backup_dir, keep=keep, now=datetime.now(UTC))
    click.echo(f"backup {result.path} ({result.ratings} ratings, integrity ok)")
    for old in result.deleted:
        click.echo(f"deleted old backup {old}")


@click.command()
@click.argument("backup_file", type=click.Path(path_type=Path))
@click.option("--db", required=True, type=click.Path(path_type=Path), help="The database file to restore to.")
@click.option("--force", is_flag=True, help="Replace an existing database (it is kept as <db>.before-restore-<time>).")
@one_line_errors
def restore(backup_file: Path, db: Path, force: bool) -> None:
    """Restore the database from a backup; stop the collector first.

    Example:

        taqyeem restore /var/backups/taqyeem/taqyeem-20261128T020000Z.db --db /var/lib/taqyeem/taqyeem.db --force
    """
    result = restore_backup(backup_file, db, force=force, now=datetime.now(UTC))
    if result.previous is not None:
        click.echo(f"kept the previous database as {result.previous}")
    click.echo(f"restored {db} from {backup_file} ({result.ratings} ratings, integrity ok)")
