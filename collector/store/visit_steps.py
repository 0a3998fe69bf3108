"""The schema step of visits and rating links (contract 1.1), in the order migrations.py runs them.

A visit (a served desk visit or phone call, posted by a queue or phone system) is the
response rate's denominator; a rating link is a single-use page sent by SMS. Kept apart
from collector/store/migrations.py so each file stays readable; a step, once released,
never changes.
"""

from __future__ import annotations

from sqlite_utils import Database

from collector.store.connection import run_statements


def record_visits_and_rating_links(db: Database) -> None:
    """``visits`` (one row per site and visit id) and ``rating_links`` (only a hash of each token).

    A link's ``phone`` is kept only while the link lives: set to NULL when it is used or expires.
    """
    run_statements(
        db,
        """CREATE TABLE visits (
        site_id TEXT NOT NULL,
        visit_id TEXT NOT NULL,
        desk_id TEXT,
        employee_id TEXT,
        channel TEXT NOT NULL CHECK (channel IN ('desk', 'call')),
        recorded_at TEXT NOT NULL,
        token_name TEXT NOT NULL,
        PRIMARY KEY (site_id, visit_id)
    )""",
        "CREATE INDEX visits_recorded ON visits (recorded_at, site_id)",
        """CREATE TABLE rating_links (
        token_hash TEXT PRIMARY KEY,
        site_id TEXT NOT NULL,
        visit_id TEXT NOT NULL,
        desk_id TEXT,
        employee_id TEXT,
        phone TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        rating_id TEXT,
        FOREIGN KEY (site_id, visit_id) REFERENCES visits (site_id, visit_id)
    )""",
        "CREATE INDEX rating_links_visit ON rating_links (site_id, visit_id)",
        "CREATE INDEX rating_links_phone ON rating_links (expires_at) WHERE phone IS NOT NULL",
    )


def find_the_ratings_of_a_visit(db: Database) -> None:
    """An index of the ratings that name a visit, by (site, visit id): the response rate's numerator.

    Partial: most ratings name no visit, so the index holds only those that do.
    """
    run_statements(
        db,
        "CREATE INDEX ratings_visit ON ratings (site_id, visit_id) WHERE visit_id IS NOT NULL",
    )
