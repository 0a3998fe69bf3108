"""What a command's --config, --db, --broker, --broker-password-file and --ca name, resolved once.

Commands that take those options (``collector_options``, or ``db_options`` for --config and
--db alone, collector/cli/options.py) get one ``CollectorContext`` in their place. It reads
the --config TOML once, and when first asked resolves the database path, the settings, the
store (opened once) and the broker connection; leaving it (the option decorators do, when
the command returns or fails) closes the broker connection, then the store.

Nothing is read or opened before a command asks: ``taqyeem sites apply`` with no device to
tell needs no broker password, and a mistyped --db is refused only by the commands that
open the database.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from collector.cli.invocation import open_store
from collector.fleet.config_publisher import ConnectOnFirstPublish, RetainedConfigPublisher, connect_config_publisher
from collector.settings import CollectorSettings, SettingsError, load_collector_settings, read_toml_file
from collector.store import Store
from shared.releases import load_public_key

NO_BROKER = "mqtt://127.0.0.1:1883"  # stands in when a command that sends nothing is given no broker


@dataclass(frozen=True)
class CollectorContext:
    """The collector a command works on: its options as given, and what they resolve to (lazily, once)."""

    config_file: Path | None = None
    db: Path | None = None
    broker: str | None = None
    broker_password_file: Path | None = None
    ca: Path | None = None
    _opened: ExitStack = field(default_factory=ExitStack, repr=False, compare=False)

    def __enter__(self) -> CollectorContext:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._opened.close()

    @cached_property
    def toml(self) -> dict[str, Any]:
        """The --config file's keys ({} without --config); a file that cannot be read is a SettingsError."""
        return read_toml_file(self.config_file) if self.config_file is not None else {}

    def _toml_if_there(self) -> dict[str, Any]:
        """The --config file's keys, or {} when it was not given or does not exist (the optional keys)."""
        return self.toml if self.config_file is not None and self.config_file.exists() else {}

    @cached_property
    def db_path(self) -> Path:
        """--db, else TAQYEEM_DB, else ``db`` in the --config TOML."""
        if self.db is not None:
            return self.db
        if os.environ.get("TAQYEEM_DB"):
            return Path(os.environ["TAQYEEM_DB"])
        if "db" in self.toml:
            return Path(self.toml["db"])
        raise SettingsError("no db given: pass --db, set TAQYEEM_DB or pass --config with db = ... in it")

    @cached_property
    def store(self) -> Store:
        """The collector database, opened on first use and closed when the command ends; a missing file is refused."""
        return self._opened.enter_context(open_store(self.db_path))

    def has_broker(self) -> bool:
        """Whether a broker is named: --broker, TAQYEEM_BROKER or ``broker`` in an existing --config file."""
        return bool(self.broker or os.environ.get("TAQYEEM_BROKER")) or "broker" in self._toml_if_there()

    @cached_property
    def settings(self) -> CollectorSettings:
        """The collector's whole settings (TOML, environment, these options); a broker is required."""
        return load_collector_settings(
            self.config_file,
            db=self.db_path,  # its error says where to give one, as for the commands that only open the store
            broker=self.broker,
            broker_password_file=self.broker_password_file,
            ca=self.ca,
        )

    @cached_property
    def settings_without_broker(self) -> CollectorSettings:
        """The settings for a command that sends nothing: without a broker named, a stand-in one."""
        if self.has_broker():
            return self.settings
        return load_collector_settings(self.config_file, db=self.db_path, broker=NO_BROKER)

    def connected_publisher(self) -> RetainedConfigPublisher:
        """A connection as the collector's broker account, made now (refused at once if wrong); kept till the end."""
        return self._opened.enter_context(self._connect())

    def publisher_on_first_publish(self) -> ConnectOnFirstPublish:
        """A publisher that connects (once) only when a desk must be told; closed when the command ends."""
        return self._opened.enter_context(ConnectOnFirstPublish(self._connect))

    def publisher_if_configured(self) -> ConnectOnFirstPublish | None:
        """As ``publisher_on_first_publish`` when a broker is named; None without (no desk can be told)."""
        return self.publisher_on_first_publish() if self.has_broker() else None

    def _connect(self) -> AbstractContextManager[RetainedConfigPublisher]:
        settings = self.settings
        try:
            address = settings.broker_address()
        except OSError as exc:
            raise SettingsError(
                f"cannot read the broker password file {settings.broker_password_file} ({exc.strerror}); "
                "run this command as root (sudo), or pass --broker-password-file"
            ) from None
        return connect_config_publisher(address, settings.ca)

    @cached_property
    def release_key(self) -> str | None:
        """``release_public_key`` (TAQYEEM_RELEASE_PUBLIC_KEY, else the --config TOML): new tablets get it."""
        key = os.environ.get("TAQYEEM_RELEASE_PUBLIC_KEY")
        if key is None:
            key = self._toml_if_there().get("release_public_key")
        if key is None:
            return None
        try:
            load_public_key(str(key))
        except ValueError as exc:
            raise SettingsError(f"release_public_key: {exc}") from None
        return str(key).strip()
