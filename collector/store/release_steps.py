"""The schema step of signed releases of the tablet's program (issue 13), in the order migrations.py runs them.

Kept apart from collector/store/migrations.py so each file stays readable; a step, once
released, never changes.
"""

from __future__ import annotations

from sqlite_utils import Database

from collector.store.connection import run_statements


def record_releases(db: Database) -> None:
    """``releases`` (one row per version: the file, its size, SHA-256 and signature), ``release_targets``
    (the version wanted per desk, per site or for the whole fleet), ``release_events`` (who added,
    rolled out or stopped what, when) and ``collector_secrets`` (the key of the download tokens, made once).

    A target's ``site_id`` is '' for the fleet and its ``desk_id`` '' for a whole site. ``tablet_url`` is
    the address the download links of that target were made with (the setting at the time of the roll-out).
    """
    run_statements(
        db,
        """CREATE TABLE releases (
        version TEXT PRIMARY KEY,
        file_name TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size > 0),
        sha256 TEXT NOT NULL,
        signature TEXT NOT NULL,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL
    )""",
        """CREATE TABLE release_targets (
        site_id TEXT NOT NULL,
        desk_id TEXT NOT NULL,
        version TEXT NOT NULL REFERENCES releases (version),
        tablet_url TEXT NOT NULL,
        set_at TEXT NOT NULL,
        set_by TEXT NOT NULL,
        PRIMARY KEY (site_id, desk_id),
        CHECK (site_id <> '' OR desk_id = '')
    )""",
        """CREATE TABLE release_events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('added', 'rollout', 'stopped')),
        version TEXT,
        site_id TEXT NOT NULL DEFAULT '',
        desk_id TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{}'
    )""",
        """CREATE TABLE collector_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        made_at TEXT NOT NULL
    )""",
    )
