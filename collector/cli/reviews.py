"""``taqyeem reviews``: give a review to another owner, and mark a supervisor away from the rota."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from collector.cli.invocation import actor, one_line_errors, open_store
from collector.reviews.ownership import assign
from collector.reviews.workflow import REFUSALS

DB_OPTION = click.option(
    "--db",
    required=True,
    envvar="TAQYEEM_DB",
    type=click.Path(path_type=Path),
    help="SQLite file of the collector  [env TAQYEEM_DB]",
)


@dataclass(frozen=True)
class Operator:
    """Whoever runs the command on the collector's machine: every site, recorded as cli:<login>."""

    name: str
    employee_id: str | None = None

    def site_scope(self) -> list[str] | None:
        return None


@click.group()
def reviews() -> None:
    """Reviews of negative ratings: who owns them (the site's rota in sites.toml picks the first owner).

    Example:

        taqyeem reviews assign 01938f2e-7c1a-7b3e-9d4f-0a1b2c3d4e5f sara --db data/taqyeem.db
    """


@reviews.command("assign")
@click.argument("rating_id")
@click.argument("owner")
@DB_OPTION
@one_line_errors
def assign_command(rating_id: str, owner: str, db: Path) -> None:
    """Give an open review to OWNER, a supervisor of the review's site or an admin.

    Example:

        taqyeem reviews assign 01938f2e-7c1a-7b3e-9d4f-0a1b2c3d4e5f khalid --db data/taqyeem.db
    """
    with open_store(db) as store:
        try:
            item = assign(store, Operator(actor()), rating_id, owner)
        except REFUSALS as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"review {item['rating']['id']} now belongs to {item['review']['owner']}")


@reviews.command("away")
@click.argument("name")
@click.option("--back", is_flag=True, help="Mark the user back: the rota gives them reviews again.")
@DB_OPTION
@one_line_errors
def away_command(name: str, back: bool, db: Path) -> None:
    """Mark a user away: the rota skips them for new reviews until they are marked back.

    Example:

        taqyeem reviews away sara --db data/taqyeem.db
    """
    with open_store(db) as store:
        if not store.review_owners.set_away(name, not back):
            raise click.ClickException(f"no user named {name}; see taqyeem user list")
    click.echo(f"{name} is {'back on' if back else 'away from'} the review rota")
