"""``taqyeem sites apply``: sites, sections and desks from one TOML file (thin wrapper over fleet/sites.py)."""

from __future__ import annotations

from pathlib import Path

import click

from collector.cli.context import CollectorContext
from collector.cli.invocation import actor, now, one_line_errors
from collector.cli.options import collector_options
from collector.fleet.sites import apply_sites, load_sites_file


@click.group()
def sites() -> None:
    """Sites, sections and desks, from one TOML file kept in version control.

    Example:

        taqyeem sites apply deploy/sites.example.toml --db /var/lib/taqyeem/taqyeem.db
    """


@sites.command("apply")
@click.argument("sites_file", type=click.Path(path_type=Path))
@click.option(
    "--republish",
    is_flag=True,
    help="Also send every desk of these sites its config again, changed or not (once after an upgrade).",
)
@collector_options
@one_line_errors
def sites_apply(sites_file: Path, republish: bool, collector: CollectorContext) -> None:
    """Make the database match SITES_FILE; applying it again changes nothing.

    Desks missing from the file are kept (they have history) and listed, and
    so are employees of a site whose [[sites.employees]] the file lists.
    Devices at a changed desk, or at a site whose staff changed, get their
    new config; that needs the broker
    (--config or --broker). --republish sends every desk its config again: run
    it once after upgrading to 1.2, whose configs list only the staff of a
    desk's section (until then a tablet keeps its whole site's PIN hashes).
    The database must exist: on a new install the collector's first start
    makes it (taqyeem collector --create-db).

    Example:

        taqyeem sites apply /etc/taqyeem/sites.toml --config /etc/taqyeem/collector.toml
    """
    file = load_sites_file(sites_file)
    store = collector.store
    publisher = collector.publisher_if_configured()  # connects only if a device's config changed
    applied = apply_sites(store, file, now(), publisher, actor(), republish=republish)
    changes, staff = applied.plan, applied.employees
    for label in changes.created + staff.created:
        click.echo(f"created {label}")
    for label in changes.updated + staff.updated:
        click.echo(f"updated {label}")
    for device_id, _config in applied.device_configs:
        click.echo(f"sent the new config to device {device_id}")
    kept = [f"desk {d}" for d in changes.not_in_file] + [f"employee {e}" for e in staff.not_in_source]
    if kept:
        click.echo(f"kept, not in the file: {', '.join(kept)}")
    if not (changes.changed or staff.changed):
        click.echo("no changes: the database already matches the file")
