"""The connection and transaction helper under the store's families."""

from __future__ import annotations

from pathlib import Path

import pytest

from collector.store import Store
from tests.support.db_files import count
from tests.support.fixed_time_ratings import NOW, config


def test_ping(store: Store) -> None:
    assert store.ping() is True


def test_writes_of_several_families_in_one_transaction_commit_together(store: Store, db_path: Path) -> None:
    with store.transaction():
        store.devices.register("dev-a1", config(), NOW)
        store.accounts.create_token("x", "admin", [], NOW)
        assert count(db_path, "devices") == 0  # another connection sees nothing before the commit
    assert (count(db_path, "devices"), count(db_path, "api_tokens")) == (1, 1)


def test_a_failure_inside_a_transaction_rolls_back_every_family(store: Store, db_path: Path) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.devices.register("dev-a1", config(), NOW)
        raise RuntimeError("boom")
    assert count(db_path, "devices") == 0
