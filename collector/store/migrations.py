"""Schema changes as named steps, applied in order; step N is schema version N.

A step is a function that changes the schema; ``MIGRATIONS`` lists them in
order and never changes an applied one: a new change is a new step at the end.
The numbers match the ``schema_migrations`` rows of every database made so far.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from collector.store.answer_rollups import sum_answers_and_languages_per_day
from collector.store.callbacks import keep_callback_numbers_apart
from collector.store.connection import StoreError, run_statements
from collector.store.contact_steps import let_integrations_post_ratings, record_every_contact_rated
from collector.store.device_health import record_device_health
from collector.store.enrol_codes import keep_one_time_enrolment_codes
from collector.store.excluded_rollups import sum_the_ratings_not_attributable_per_day
from collector.store.hearings import give_reviews_a_hearing
from collector.store.month_rollups import sum_the_rollups_per_month
from collector.store.reason_rollups import sum_reasons_per_day
from collector.store.release_steps import record_releases
from collector.store.retention import forget_old_comments
from collector.store.review_owners import give_each_review_an_owner_and_a_deadline
from collector.store.rollups import fill_rollups
from collector.store.seq_history import keep_each_devices_seq_history
from collector.store.staff_steps import (
    add_the_employee_registry,
    keep_the_sign_in_log,
    link_employee_accounts,
    record_whether_a_review_is_attributable,
    record_which_tablets_held_each_pin_hash,
)
from collector.store.theme_rollups import count_comment_themes_per_day
from collector.store.trends import watch_the_trends
from collector.store.visit_rollups import sum_visits_and_their_ratings_per_day
from collector.store.visit_steps import find_the_ratings_of_a_visit, record_visits_and_rating_links


def create_the_spine(db: Database) -> None:
    """Ratings, dead letters, reviews with their history, devices and API tokens."""
    run_statements(
        db,
        """CREATE TABLE ratings (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        employee_id TEXT,
        score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
        reasons TEXT NOT NULL DEFAULT '[]',
        visit_id TEXT,
        lang TEXT,
        created_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        site_id TEXT,
        desk_id TEXT,
        negative INTEGER NOT NULL
    )""",
        "CREATE INDEX ratings_created ON ratings (created_at, id)",
        "CREATE INDEX ratings_device_seq ON ratings (device_id, seq)",
        "CREATE INDEX ratings_site_created ON ratings (site_id, created_at)",
        "CREATE INDEX ratings_employee ON ratings (employee_id, created_at)",
        """CREATE TABLE dead_letters (
        id INTEGER PRIMARY KEY,
        topic TEXT NOT NULL,
        device_id TEXT,
        payload BLOB NOT NULL,
        reason TEXT NOT NULL,
        received_at TEXT NOT NULL
    )""",
        """CREATE TABLE reviews (
        rating_id TEXT PRIMARY KEY REFERENCES ratings(id),
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        closed_by TEXT,
        cause TEXT,
        action TEXT,
        note TEXT
    )""",
        "CREATE INDEX reviews_status ON reviews (status, opened_at)",
        """CREATE TABLE review_events (
        id INTEGER PRIMARY KEY,
        rating_id TEXT NOT NULL REFERENCES ratings(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    )""",
        "CREATE INDEX review_events_rating ON review_events (rating_id, id)",
        """CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,
        site_id TEXT,
        desk_id TEXT,
        config TEXT,
        provisioned INTEGER NOT NULL DEFAULT 0,
        revoked_at TEXT,
        state TEXT NOT NULL DEFAULT 'unknown',
        status_at TEXT,
        last_seen TEXT,
        outbox INTEGER,
        employee_id TEXT,
        app_version TEXT,
        reported_seq INTEGER,
        clock_skew_s REAL,
        first_seen TEXT
    )""",
        """CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'viewer')),
        sites TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        revoked_at TEXT
    )""",
    )


def add_people_responses_and_alerts(db: Database) -> None:
    """Users, sessions, login failures, the employee's response to a review, the alert log, digests."""
    run_statements(
        db,
        """CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'viewer')),
        sites TEXT NOT NULL DEFAULT '[]',
        lang TEXT NOT NULL DEFAULT 'ar',
        created_at TEXT NOT NULL,
        password_changed_at TEXT,
        disabled_at TEXT
    )""",
        """CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        csrf TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    )""",
        "CREATE INDEX sessions_user ON sessions (user_id)",
        """CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        client TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
        "CREATE INDEX login_failures_at ON login_failures (at)",
        "ALTER TABLE reviews ADD COLUMN response TEXT",
        "ALTER TABLE reviews ADD COLUMN response_at TEXT",
        """CREATE TABLE alert_log (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('negative', 'digest')),
        site_id TEXT,
        rating_id TEXT,
        day TEXT,
        channel TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        error TEXT,
        at TEXT NOT NULL
    )""",
        "CREATE INDEX alert_log_rating ON alert_log (rating_id)",
        """CREATE TABLE digests (
        site_id TEXT NOT NULL,
        day TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        negatives INTEGER NOT NULL,
        PRIMARY KEY (site_id, day)
    )""",
    )


def add_sites_and_the_provisioning_log(db: Database) -> None:
    """Sites, sections and desks from sites.toml; who provisioned or revoked which device."""
    run_statements(
        db,
        """CREATE TABLE sites (
        site_id TEXT PRIMARY KEY,
        name_ar TEXT NOT NULL,
        name_en TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
        """CREATE TABLE sections (
        site_id TEXT NOT NULL REFERENCES sites(site_id),
        section_id TEXT NOT NULL,
        name_ar TEXT NOT NULL,
        name_en TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (site_id, section_id)
    )""",
        """CREATE TABLE desks (
        site_id TEXT NOT NULL REFERENCES sites(site_id),
        desk_id TEXT NOT NULL,
        section_id TEXT,
        config TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (site_id, desk_id)
    )""",
        "CREATE INDEX devices_desk ON devices (site_id, desk_id)",
        """CREATE TABLE device_events (
        id INTEGER PRIMARY KEY,
        device_id TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    )""",
        "CREATE INDEX device_events_device ON device_events (device_id, id)",
    )


def add_user_events(db: Database) -> None:
    """Who changed which account, and when (append-only: only ``Accounts.log_event`` writes it)."""
    run_statements(
        db,
        """CREATE TABLE user_events (
        id INTEGER PRIMARY KEY,
        user_name TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    )""",
        "CREATE INDEX user_events_user ON user_events (user_name, id)",
    )


def count_conflicts_per_device(db: Database) -> None:
    """How many times each device sent a stored rating id again with other content."""
    run_statements(db, "ALTER TABLE devices ADD COLUMN conflicts INTEGER NOT NULL DEFAULT 0")


def note_replaced_outboxes(db: Database) -> None:
    """When each device last replaced a damaged outbox with a fresh one (from its Status)."""
    run_statements(db, "ALTER TABLE devices ADD COLUMN outbox_replaced_at TEXT")


def track_seq_runs_and_clock_checks(db: Database) -> None:
    """Runs of seq (a restored tablet counting again starts a new run), seq resets, and when a clock was checked."""
    run_statements(
        db,
        "ALTER TABLE ratings ADD COLUMN run INTEGER NOT NULL DEFAULT 1",
        # Replaces (device_id, seq): gaps, resets and last seq are all read per device and run.
        "CREATE INDEX ratings_device_run_seq ON ratings (device_id, run, seq)",
        "DROP INDEX ratings_device_seq",
        "ALTER TABLE devices ADD COLUMN seq_run INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE devices ADD COLUMN seq_resets INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE devices ADD COLUMN last_reset_at TEXT",
        "ALTER TABLE devices ADD COLUMN clock_skew_at TEXT",
    )


def add_daily_rollups(db: Database) -> None:
    """Score counts per local day and hour, site, desk, device, employee and channel (store/rollups.py).

    Filled from the ratings already stored, for the default timezone; a collector set to
    another zone rebuilds them (``taqyeem rollups rebuild``). Reviews get indexes on when
    they opened and closed, which the day's report counts.
    """
    run_statements(
        db,
        """CREATE TABLE rating_rollups (
        day TEXT NOT NULL,
        hour INTEGER NOT NULL,
        site_id TEXT NOT NULL,
        desk_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        n1 INTEGER NOT NULL,
        n2 INTEGER NOT NULL,
        n3 INTEGER NOT NULL,
        n4 INTEGER NOT NULL,
        n5 INTEGER NOT NULL,
        negatives INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, desk_id, employee_id, channel, hour, device_id)
    ) WITHOUT ROWID""",
        """CREATE TABLE rollup_zone (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        zone TEXT NOT NULL,
        built_at TEXT NOT NULL
    )""",
        "CREATE INDEX reviews_opened ON reviews (opened_at)",
        "CREATE INDEX reviews_closed ON reviews (closed_at)",
    )
    fill_rollups(db, column="created_at", by_channel=False)  # counted_at and channel come with later steps


def count_ratings_on_a_trusted_day(db: Database) -> None:
    """When each rating counts in reports: its created_at, or its received_at when its device's clock was wrong.

    The rule is collector.ingest.clock_skew.wrong_clock_ids. Ratings stored before it count at their
    created_at, as they always did, so the rollups already filled stay right.
    """
    run_statements(
        db,
        "ALTER TABLE ratings ADD COLUMN counted_at TEXT",
        "UPDATE ratings SET counted_at = created_at",
        "CREATE INDEX ratings_counted ON ratings (counted_at, id)",
        "CREATE INDEX ratings_site_counted ON ratings (site_id, counted_at)",
    )


Step = Callable[[Database], None]

MIGRATIONS: list[Step] = [
    create_the_spine,  # 1
    add_people_responses_and_alerts,  # 2
    add_sites_and_the_provisioning_log,  # 3
    add_user_events,  # 4
    count_conflicts_per_device,  # 5
    note_replaced_outboxes,  # 6
    track_seq_runs_and_clock_checks,  # 7
    add_daily_rollups,  # 8
    count_ratings_on_a_trusted_day,  # 9
    keep_the_sign_in_log,  # 10
    record_whether_a_review_is_attributable,  # 11
    link_employee_accounts,  # 12
    add_the_employee_registry,  # 13
    record_every_contact_rated,  # 14
    let_integrations_post_ratings,  # 15
    forget_old_comments,  # 16
    record_visits_and_rating_links,  # 17
    record_device_health,  # 18 (issue 13: the fleet view)
    record_releases,  # 19 (issue 13: signed releases)
    keep_one_time_enrolment_codes,  # 20 (issue 13: one-time enrolment codes)
    record_which_tablets_held_each_pin_hash,  # 21 (issue 20: a lost tablet's PINs withdrawn)
    find_the_ratings_of_a_visit,  # 22 (issue 19: the response rate counts visits rated)
    keep_each_devices_seq_history,  # 23 (issue 22: the devices' seq history kept as it arrives; self-contained)
    sum_answers_and_languages_per_day,  # 24 (issue 22: a year's report without opening every rating)
    sum_the_rollups_per_month,  # 25 (issue 22: a year's report without reading every daily cell)
    sum_visits_and_their_ratings_per_day,  # 26 (issue 22: the response rate without a look-up per visit)
    sum_the_ratings_not_attributable_per_day,  # 27 (issue 22: the employees' exclusions without a join)
    watch_the_trends,  # 28 (issue 23: trend alerts once per window; alert_log's kind may be trend)
    keep_callback_numbers_apart,  # 29 (issue 23: the visitor called back, with consent)
    give_reviews_a_hearing,  # 30 (issue 23: formal warnings approved, appeals, each site's causes)
    give_each_review_an_owner_and_a_deadline,  # 31 (issue 23: owners from a rota, deadlines, escalations)
    count_comment_themes_per_day,  # 32 (issue 24: the comments' themes counted per day, outliving the purge)
    sum_reasons_per_day,  # 33 (issue 24: the visitors' reasons counted as they arrive, for the causes report)
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: Database, steps: list[Step] = MIGRATIONS) -> int:
    """Apply the pending steps; returns the schema version.

    The write lock is taken before the version is read, so two processes starting on
    the same file (a collector and a CLI command) cannot both apply a step.
    """
    conn = db.conn
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
    if conn.in_transaction:
        conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"database schema v{current} is newer than this collector (v{SCHEMA_VERSION}); upgrade Taqyeem"
            )
        for version in range(current + 1, len(steps) + 1):
            steps[version - 1](db)
            conn.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, datetime('now'))", [version])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(steps)
