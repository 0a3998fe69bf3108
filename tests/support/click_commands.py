"""What the CLI tests of both sides share: every command of a click group, for checking each one's help."""

from __future__ import annotations

from collections.abc import Iterator

import click


def walk(group: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """(path of names, command) for the group itself and every command beneath it, sorted by name."""
    yield path, group
    if isinstance(group, click.Group):
        for name, command in sorted(group.commands.items()):
            yield from walk(command, (*path, name))
