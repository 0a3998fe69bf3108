"""``taqyeem reviews approve`` and ``taqyeem reviews decide``: a review's fair hearing from the command line.

Thin wrappers over collector.reviews.hearing_workflow, acting as a named web account
(``--as``) so its role and sites apply exactly as on the review page: an admin, or a
supervisor of the review's site, who did not propose the warning (or close the review).
"""

from __future__ import annotations

import click

from collector.access import Identity
from collector.cli.context import CollectorContext
from collector.cli.invocation import one_line_errors
from collector.cli.options import db_options
from collector.reviews.hearing_workflow import approve, decide
from collector.reviews.workflow import REFUSALS
from collector.store import Store

RATING_ID = click.argument("rating_id")
AS_USER = click.option(
    "--as", "as_user", required=True, help="The web account acting: an admin, or a supervisor of the review's site."
)


@click.group()
def reviews() -> None:
    """A review's fair hearing: approve a proposed formal warning, decide an employee's appeal.

    Example:

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
