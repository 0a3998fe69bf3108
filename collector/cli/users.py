"""``taqyeem user``: accounts of the web pages (thin wrappers around collector.people.auth)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from collector.alerts.to_employees import masked_url
from collector.cli.invocation import actor, one_line_errors, open_store
from collector.people.auth import ROLES, Accounts, generate_password

DB_OPTION = click.option(
    "--db",
    required=True,
    envvar="TAQYEEM_DB",
    type=click.Path(path_type=Path),
    help="SQLite file of the collector  [env TAQYEEM_DB]",
)


def _password(generate: bool) -> tuple[str, bool]:
    """(password, was generated): prompted twice unless --generate."""
    if generate:
        return generate_password(), True
    return click.prompt("Password", hide_input=True, confirmation_prompt=True), False


@contextmanager
def _accounts(db: Path) -> Iterator[Accounts]:
    with open_store(db) as store:
        yield Accounts(store)


@click.group()
def user() -> None:
    """Accounts for the web pages: admins, supervisors of sites, viewers, and employees (their own ratings only).

    Example:

        taqyeem user add sara --role supervisor --site riyadh-hq --db data/taqyeem.db
    """


@user.command("add")
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice(ROLES),
    help="admin (IT), supervisor, viewer (reports) or employee (their own ratings and reviews only).",
)
@click.option(
    "--site",
    "sites",
    multiple=True,
    help="A site the user may see (repeatable; not for admins; for an employee only where they work).",
)
@click.option("--employee", "employee_id", help="The staff number of an employee account (needed for that role).")
@click.option("--notify", "notify_url", help="The account's apprise URL: its negatives, or its reviews.")
@click.option("--lang", type=click.Choice(["ar", "en"]), default="ar", show_default=True, help="Default language.")
@click.option("--generate", is_flag=True, help="Generate a password and print it once instead of prompting.")
@DB_OPTION
@one_line_errors
def user_add(
    name: str,
    role: str,
    sites: tuple[str, ...],
    employee_id: str | None,
    notify_url: str | None,
    lang: str,
    generate: bool,
    db: Path,
) -> None:
    """Add a user; the password is prompted for, or generated and printed once.

    Example:

        taqyeem user add sara --role supervisor --site riyadh-hq --generate --db data/taqyeem.db
        taqyeem user add huda --role employee --employee E1042 --site riyadh-hq --generate --db data/taqyeem.db
    """
    with _accounts(db) as accounts:
        password, generated = _password(generate)
        accounts.add_user(
            name, role, list(sites), password, lang, actor=actor(), employee_id=employee_id, notify_url=notify_url
        )
    who = f"employee {employee_id}" if employee_id else role
    click.echo(f"added {who} {name}" + (f" for {', '.join(sites)}" if sites else ""))
    if notify_url:
        click.echo(f"alerts of their negative ratings go to {masked_url(notify_url)}")
    if generated:
        click.echo(f"password (shown once): {password}")


@user.command("passwd")
@click.argument("name")
@click.option("--generate", is_flag=True, help="Generate a password and print it once instead of prompting.")
@DB_OPTION
@one_line_errors
def user_passwd(name: str, generate: bool, db: Path) -> None:
    """Set a user's password; this also signs them out everywhere.

    Example:

        taqyeem user passwd sara --db data/taqyeem.db
    """
    with _accounts(db) as accounts:
        password, generated = _password(generate)
        accounts.set_password(name, password, actor=actor())
    click.echo(f"password of {name} changed")
    if generated:
        click.echo(f"password (shown once): {password}")


@user.command("list")
@DB_OPTION
@one_line_errors
def user_list(db: Path) -> None:
    """List the users with their roles and sites.

    Example:

        taqyeem user list --db data/taqyeem.db
    """
    with open_store(db) as store:
        rows = store.accounts.users()
    for row in rows:
        sites = ",".join(row["sites"]) or ("own ratings only" if row["role"] == "employee" else "all sites")
        extra = f"\temployee {row['employee_id']}" if row["employee_id"] else ""
        extra += f"\tnotify {masked_url(row['notify_url'])}" if row["notify_url"] else ""
        extra += "\tdisabled" if row["disabled_at"] else ""
        click.echo(f"{row['name']}\t{row['role']}\t{sites}\t{row['lang']}{extra}")


@user.command("notify")
@click.argument("name")
@click.argument("url", required=False)
@click.option("--off", is_flag=True, help="Stop the alerts: forget the account's URL.")
@DB_OPTION
@one_line_errors
def user_notify(name: str, url: str | None, off: bool, db: Path) -> None:
    """Send an employee the alerts of their own negative ratings, to an apprise URL (shown masked after).

    Example:

        taqyeem user notify huda 'mailtos://alerts:PASSWORD@mail.example.org?to=huda@example.org' --db data/taqyeem.db
        taqyeem user notify huda --off --db data/taqyeem.db
    """
    if off == (url is not None):
        raise click.UsageError("give either a URL or --off")
    with _accounts(db) as accounts:
        accounts.set_notify(name, url, actor=actor())
    click.echo(f"alerts of {name}'s negative ratings go to {masked_url(url)}" if url else f"no alerts for {name}")


def _set_disabled(name: str, db: Path, disabled: bool) -> bool:
    with _accounts(db) as accounts:
        return accounts.set_disabled(name, disabled, actor=actor())


@user.command("disable")
@click.argument("name")
@DB_OPTION
@one_line_errors
def user_disable(name: str, db: Path) -> None:
    """Disable a user: they cannot sign in, and their open sessions end at once.

    Example:

        taqyeem user disable sara --db data/taqyeem.db
    """
    changed = _set_disabled(name, db, True)
    click.echo(f"disabled {name}; their sessions have ended" if changed else f"{name} was already disabled")


@user.command("enable")
@click.argument("name")
@DB_OPTION
@one_line_errors
def user_enable(name: str, db: Path) -> None:
    """Let a disabled user sign in again (with the password they had).

    Example:

        taqyeem user enable sara --db data/taqyeem.db
    """
    changed = _set_disabled(name, db, False)
    click.echo(f"enabled {name}" if changed else f"{name} was not disabled")


@user.command("unlock")
@click.argument("name")
@DB_OPTION
@one_line_errors
def user_unlock(name: str, db: Path) -> None:
    """Forget a user's failed sign-ins from every address, so they may try again at once.

    Example:

        taqyeem user unlock sara --db data/taqyeem.db
    """
    with _accounts(db) as accounts:
        cleared = accounts.unlock(name, actor=actor())
    click.echo(f"unlocked {name}: forgot {cleared} failed sign-ins" if cleared else f"{name} had no failed sign-ins")
