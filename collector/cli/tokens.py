"""``taqyeem token``: API tokens for scripts and integrations (thin wrappers around store.accounts)."""

from __future__ import annotations

from pathlib import Path

import click

from collector.cli.invocation import now, one_line_errors, open_store
from collector.people.auth import TOKEN_ROLES, check_token

DB_OPTION = click.option("--db", required=True, type=click.Path(path_type=Path), help="SQLite file of the collector.")


@click.group()
def token() -> None:
    """API tokens for scripts and integrations.

    Example:

        taqyeem token create --db data/taqyeem.db --role viewer --name reporting
    """


@token.command("create")
@DB_OPTION
@click.option(
    "--role",
    required=True,
    type=click.Choice(TOKEN_ROLES),
    help="admin, supervisor or viewer reads the API; integration (a phone system) only posts ratings.",
)
@click.option("--name", default="cli", show_default=True, help="Who or what uses the token (to list or revoke it).")
@click.option(
    "--site",
    "sites",
    multiple=True,
    help="A site a supervisor or viewer reads, or an integration posts for (repeatable); * for all (not integration).",
)
@one_line_errors
def token_create(db: Path, role: str, name: str, sites: tuple[str, ...]) -> None:
    """Print a new API token (shown once; only its hash is stored).

    A supervisor or viewer token needs at least one --site; --site '*' grants
    every site, and says so. An integration token (a phone system posting the
    ratings of its calls) names each of its sites, never '*', and may only post
    ratings; its --name (e.g. ivr) makes its ratings' device id, taqyeem-api-NAME.

    Example:

        taqyeem token create --db data/taqyeem.db --role viewer --site riyadh-hq --name portal

        taqyeem token create --db data/taqyeem.db --role integration --site riyadh-hq --name ivr
    """
    check_token(name, role, list(sites))  # AuthError: one line, by one_line_errors
    with open_store(db) as store:
        click.echo(store.accounts.create_token(name, role, list(sites), now()))


@token.command("list")
@DB_OPTION
@one_line_errors
def token_list(db: Path) -> None:
    """List API tokens: name, role, sites, created, revoked (never the token itself).

    Example:

        taqyeem token list --db data/taqyeem.db
    """
    with open_store(db) as store:
        rows = store.accounts.tokens()
    for row in rows:
        sites = ",".join(row["sites"]) or "-"
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "live"
        click.echo(f"{row['name']:<20} {row['role']:<11} {sites:<24} created {row['created_at']}  {state}")


@token.command("revoke")
@DB_OPTION
@click.option("--name", required=True, help="The name the token was created with.")
@one_line_errors
def token_revoke(db: Path, name: str) -> None:
    """Revoke the live tokens of that name; they stop working at once.

    Example:

        taqyeem token revoke --db data/taqyeem.db --name portal
    """
    with open_store(db) as store:
        count = store.accounts.revoke_tokens(name, now())
    if count == 0:
        raise click.ClickException(f"no live token named {name!r}; see `taqyeem token list`")
    click.echo(f"revoked {count} token(s) named {name!r}")
