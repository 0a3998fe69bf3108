"""The schema steps of every contact rated (contract 1.1), in the order migrations.py runs them.

A rating's channel (a desk tablet, a phone call, a rating link), the periodic
survey's answers and a free comment; and the ``integration`` role of API tokens,
with which a phone system posts the ratings of its calls. Kept apart from
collector/store/migrations.py so each file stays readable; a step, once
released, never changes.
"""

from __future__ import annotations

from sqlite_utils import Database

from collector.store.connection import run_statements


def record_every_contact_rated(db: Database) -> None:
    """Each rating's ``channel`` ('desk', 'call' or 'link'), its survey ``answers`` (JSON object) and ``comment``.

    Every rating stored before this step came from a desk tablet: it keeps ``channel``
    'desk', no answers (NULL) and no comment, exactly what a resend of it still says,
    so a resend stays a duplicate, never a conflict. The rollups were keyed by channel
    from the start (always 'desk' so far): they stay right as they are.
    """
    run_statements(
        db,
        "ALTER TABLE ratings ADD COLUMN channel TEXT NOT NULL DEFAULT 'desk' "
        "CHECK (channel IN ('desk', 'call', 'link'))",
        "ALTER TABLE ratings ADD COLUMN answers TEXT",
        "ALTER TABLE ratings ADD COLUMN comment TEXT",
    )


def let_integrations_post_ratings(db: Database) -> None:
    """The ``integration`` role of API tokens: a phone or queue system, scoped to its sites.

    SQLite cannot change a CHECK in place, so ``api_tokens`` is rebuilt with its rows and ids.
    People never have this role: ``users`` keeps its own CHECK without it.
    """
    run_statements(
        db,
        """CREATE TABLE api_tokens_new (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'viewer', 'integration')),
        sites TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        revoked_at TEXT
    )""",
        "INSERT INTO api_tokens_new (id, name, token_hash, role, sites, created_at, revoked_at) "
        "SELECT id, name, token_hash, role, sites, created_at, revoked_at FROM api_tokens",
        "DROP TABLE api_tokens",
        "ALTER TABLE api_tokens_new RENAME TO api_tokens",
    )
