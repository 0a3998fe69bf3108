"""Accounts: API tokens (users, sessions and sign-in are tested through collector.people.auth)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from collector.store import Store
from collector.store.accounts import hash_token
from tests.support.db_files import rows
from tests.support.fixed_time_ratings import NOW


def test_tokens_are_verified_and_only_their_hash_is_stored(store: Store, db_path: Path) -> None:
    token = store.accounts.create_token("reporting", "supervisor", ["site-a"], NOW)

    assert token.startswith("tq_")
    assert store.accounts.token_identity(token) == {"name": "reporting", "role": "supervisor", "sites": ["site-a"]}
    stored = rows(db_path, "SELECT token_hash, name, role, sites, created_at FROM api_tokens")
    assert stored == [(hash_token(token), "reporting", "supervisor", json.dumps(["site-a"]), NOW)]
    dump = "\n".join(sqlite3.connect(db_path).iterdump())
    assert token not in dump
    assert token[3:] not in dump


def test_unknown_and_revoked_tokens_are_refused(store: Store, db_path: Path) -> None:
    token = store.accounts.create_token("x", "admin", [], NOW)
    other = store.accounts.create_token("y", "viewer", [], NOW)
    assert token != other

    assert store.accounts.token_identity("tq_not-a-token") is None
    assert store.accounts.token_identity("") is None
    assert store.accounts.token_identity(token + "x") is None

    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE api_tokens SET revoked_at = ? WHERE name = 'x'", (NOW,))
    conn.commit()
    conn.close()
    assert store.accounts.token_identity(token) is None
    assert store.accounts.token_identity(other) is not None


def test_an_unknown_role_is_refused_by_the_schema(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.accounts.create_token("x", "root", [], NOW)
