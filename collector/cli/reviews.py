"""``taqyeem reviews``: who owns a review (``assign``, ``away``) and its fair hearing (``approve``, ``decide``).

``assign`` and ``away`` act for whoever runs the command on the collector's machine (every
site, recorded as cli:<login>). ``approve`` and ``decide`` wrap collector.reviews.hearing_workflow,
acting as a named web account (``--as``) so its role and sites apply exactly as on the review
page: an admin, or a supervisor of the review's site, who did not propose the warning (or close
the review).
"""

from __future__ import annotations

from dataclasses import dataclass

import click

from collector.access import Identity
from collector.cli.context import CollectorContext
from collector.cli.invocation import actor, one_line_errors
from collector.cli.options import db_options
from collector.reviews.hearing_workflow import approve, decide
from collector.reviews.ownership import assign
from collector.reviews.workflow import REFUSALS
from collector.store import Store

RATING_ID = click.argument("rating_id")
AS_USER = click.option(
    "--as", "as_user", required=True, help="The web account acting: an admin, or a supervisor of the review's site."
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
    """Reviews of negative ratings: who owns them (the site's rota in sites.toml picks the first owner), and a
    review's fair hearing: approve a proposed formal warning, decide an employee's appeal.

    Example:

        taqyeem reviews assign 01938f2e-7c1a-7b3e-9d4f-0a1b2c3d4e5f sara --db data/taqyeem.db
        taqyeem reviews approve 0193a7c2-5b1e-7c3d-9a4f-2b6c8d0e1f23 --as huda.s --db /var/lib/taqyeem/taqyeem.db
    """


def _identity(store: Store, name: str) -> Identity:
    user = store.accounts.user(name=name)
    if user is None or user.get("disabled_at"):
        raise click.ClickException(f"no enabled web account named {name!r}: see taqyeem user list")
    if user["role"] not in ("admin", "supervisor"):
        raise click.ClickException(f"{name} is a {user['role']}: only an admin or a supervisor acts on reviews")
    return Identity(name=user["name"], role=user["role"], sites=list(user["sites"]))


@reviews.command("approve")
@RATING_ID
@AS_USER
@db_options
@one_line_errors
def approve_command(rating_id: str, as_user: str, collector: CollectorContext) -> None:
    """Approve the formal warning proposed on a review: it takes effect and the review closes.

    Whoever proposed it may not approve it; another supervisor of the site or an admin does.

    Example:

        taqyeem reviews approve 0193a7c2-5b1e-7c3d-9a4f-2b6c8d0e1f23 --as huda.s --db /var/lib/taqyeem/taqyeem.db
    """
    store = collector.store
    try:
        item = approve(store, _identity(store, as_user), rating_id)
    except REFUSALS as exc:
        raise click.ClickException(str(exc)) from None
    review = item["review"]
    click.echo(f"approved: review {rating_id} closed ({review['action']}, proposed by {review['closed_by']})")


@reviews.command("decide")
@RATING_ID
@AS_USER
@click.option("--upheld/--dismissed", required=True, help="Upheld: the rating leaves the employee's figures.")
@click.option("--note", required=True, help="Why the appeal is upheld or dismissed (kept in the history).")
@db_options
@one_line_errors
def decide_command(rating_id: str, as_user: str, upheld: bool, note: str, collector: CollectorContext) -> None:
    """Decide an employee's appeal of a review; whoever closed the review may not.

    Example:

        taqyeem reviews decide 0193a7c2-5b1e-7c3d-9a4f-2b6c8d0e1f23 --as sara.m --upheld --note "Outage confirmed"
    """
    store = collector.store
    try:
        decide(store, _identity(store, as_user), rating_id, upheld, note)
    except REFUSALS as exc:
        raise click.ClickException(str(exc)) from None
    verdict = "upheld: the rating no longer counts against the employee" if upheld else "dismissed"
    click.echo(f"appeal on review {rating_id} {verdict}")


@reviews.command("assign")
@click.argument("rating_id")
@click.argument("owner")
@db_options
@one_line_errors
def assign_command(rating_id: str, owner: str, collector: CollectorContext) -> None:
    """Give an open review to OWNER, a supervisor of the review's site or an admin.

    Example:

        taqyeem reviews assign 01938f2e-7c1a-7b3e-9d4f-0a1b2c3d4e5f khalid --db data/taqyeem.db
    """
    try:
        item = assign(collector.store, Operator(actor()), rating_id, owner)
    except REFUSALS as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"review {item['rating']['id']} now belongs to {item['review']['owner']}")


@reviews.command("away")
@click.argument("name")
@click.option("--back", is_flag=True, help="Mark the user back: the rota gives them reviews again.")
@db_options
@one_line_errors
def away_command(name: str, back: bool, collector: CollectorContext) -> None:
    """Mark a user away: the rota skips them for new reviews until they are marked back.

    Example:

        taqyeem reviews away sara --db data/taqyeem.db
    """
    if not collector.store.review_owners.set_away(name, not back):
        raise click.ClickException(f"no user named {name}; see taqyeem user list")
    click.echo(f"{name} is {'back on' if back else 'away from'} the review rota")
