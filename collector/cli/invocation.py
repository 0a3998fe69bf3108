"""What every ``taqyeem`` command shares: how it opens the database, who ran it, the time, one-line errors.

``open_store`` is the one way a command opens the collector database (a command with
--config and --db reaches it through collector/cli/context.py:CollectorContext.store): a
mistyped --db is refused with one line naming the path instead of creating an
empty database there. Only ``taqyeem collector --create-db`` makes a new
install's database; no command here does. ``actor()`` is the one name the audit
logs (provisioning, user accounts) record for a person at the command line.
"""

from __future__ import annotations

import functools
import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from collector.fleet.errors import FleetError
from collector.people.auth import AuthError
from collector.settings import SettingsError
from collector.store import Store, StoreError
from collector.upkeep.backup import BackupError
from shared.clock import format_time

F = TypeVar("F", bound=Callable[..., Any])

# The library's errors: each text already says what is wrong and what to do.
LIBRARY_ERRORS = (FleetError, AuthError, BackupError, StoreError, SettingsError, OSError)


def one_line_errors(command: F) -> F:
    """Turn the library's errors into ``click.ClickException``: ``Error: ...`` and no traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except LIBRARY_ERRORS as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def now() -> str:
    return format_time(datetime.now(UTC))


def actor() -> str:
    """``cli:<login>`` for the audit logs; under sudo, the person who ran sudo, not root.

    The prefix keeps a login apart from a web account of the same name in the
    logs, which record web accounts by their bare name.
    """
    try:
        return f"cli:{os.environ.get('SUDO_USER') or getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"


@contextmanager
def open_store(path: Path) -> Iterator[Store]:
    """The collector database at ``path``, closed on leaving the block; a missing file is refused."""
    if path.is_dir():
        raise click.ClickException(f"{path} is a folder, not the collector database; point --db at its file")
    if not path.exists():
        raise click.ClickException(
            f"no collector database at {path}: the file does not exist; check --db (a new install's database "
            "is made by the collector's first start: taqyeem collector --create-db, docs/deployment.md section 3)"
        )
    try:
        store = Store(path, create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        yield store
    finally:
        store.close()
