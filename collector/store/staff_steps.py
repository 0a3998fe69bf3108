"""The schema steps of who served the visitor (contract 1.1), in the order migrations.py runs them.

The sign-in log (Presence), whether a closed review counts against its employee,
employee accounts, and the employee registry. Kept apart from collector/store/migrations.py so each file stays
readable; a step, once released, never changes.
"""

from __future__ import annotations

from sqlite_utils import Database

from collector.store.connection import run_statements


def keep_the_sign_in_log(db: Database) -> None:
    """Presence (contract 1.1): each sign-in and sign-out at a desk, stored once by id (store/presence.py).

    Read per device and time (who was signed in at a rating's tap), per employee and per site.
    """
    run_statements(
        db,
        """CREATE TABLE presence (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('sign_in', 'sign_out')),
        cause TEXT NOT NULL,
        at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        site_id TEXT,
        desk_id TEXT
    )""",
        "CREATE INDEX presence_device_at ON presence (device_id, at)",
        "CREATE INDEX presence_employee_at ON presence (employee_id, at)",
        "CREATE INDEX presence_site_at ON presence (site_id, at)",
    )


def record_whether_a_review_is_attributable(db: Database) -> None:
    """Whether a closed review's rating counts against its employee (``attributable``), and who decided.

    ``attributable_from`` is 'supervisor' (chosen when closing) or 'cause' (the cause's default).
    Reviews closed before this step get the default rule as it stands here (kept in this step,
    not imported, so the step never changes): not attributable for a system outage, a procedure
    or policy, or a visitor's misunderstanding; attributable for any other cause. Each such
    review gets an 'attributable' event in its history, by 'system', saying so. Open reviews
    stay NULL until they are closed. A partial index holds the non-attributable reviews, which
    the reports take out of the employees' figures.
    """
    not_by_default = "('system_outage', 'procedure_policy', 'visitor_misunderstanding')"
    run_statements(
        db,
        "ALTER TABLE reviews ADD COLUMN attributable INTEGER CHECK (attributable IN (0, 1))",
        "ALTER TABLE reviews ADD COLUMN attributable_from TEXT CHECK (attributable_from IN ('supervisor', 'cause'))",
        f"UPDATE reviews SET attributable = CASE WHEN cause IN {not_by_default} THEN 0 ELSE 1 END, "  # noqa: S608
        "attributable_from = 'cause' WHERE status = 'closed'",
        "INSERT INTO review_events (rating_id, at, actor, kind, data) "
        "SELECT rating_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system', 'attributable', "
        "json_object('attributable', json(CASE attributable WHEN 1 THEN 'true' ELSE 'false' END), "
        "'attributable_from', 'cause') FROM reviews WHERE status = 'closed' ORDER BY closed_at, rating_id",
        "CREATE INDEX reviews_not_attributable ON reviews (rating_id) WHERE attributable = 0",
    )


def link_employee_accounts(db: Database) -> None:
    """The ``employee`` role: an account linked to one staff number, with an optional notification URL.

    SQLite cannot change a CHECK in place, so ``users`` is rebuilt (its rows and ids kept;
    the sessions that refer to it are set aside and put back, so nobody is signed out).
    An employee account names exactly one ``employee_id`` (others none), and a staff number
    has at most one account. ``notify_url`` is an apprise URL for the employee's own negatives.
    """
    run_statements(
        db,
        """CREATE TABLE users_new (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'viewer', 'employee')),
        sites TEXT NOT NULL DEFAULT '[]',
        lang TEXT NOT NULL DEFAULT 'ar',
        created_at TEXT NOT NULL,
        password_changed_at TEXT,
        disabled_at TEXT,
        employee_id TEXT CHECK ((role = 'employee') = (employee_id IS NOT NULL)),
        notify_url TEXT
    )""",
        "INSERT INTO users_new (id, name, password_hash, role, sites, lang, created_at, password_changed_at, "
        "disabled_at) SELECT id, name, password_hash, role, sites, lang, created_at, password_changed_at, "
        "disabled_at FROM users",
        "CREATE TEMP TABLE sessions_kept AS SELECT * FROM sessions",
        "DELETE FROM sessions",
        "DROP TABLE users",
        "ALTER TABLE users_new RENAME TO users",
        "INSERT INTO sessions SELECT * FROM sessions_kept",
        "DROP TABLE sessions_kept",
        "CREATE UNIQUE INDEX users_employee ON users (employee_id) WHERE employee_id IS NOT NULL",
    )


def add_the_employee_registry(db: Database) -> None:
    """Employees by staff number: names in Arabic and English, site, section, active, a PIN hash; and who changed them.

    An employee is never deleted (ratings name them): one who left is made inactive.
    ``pin_hash`` is only ever a salted slow hash (shared/pins.py), never a PIN.
    ``employee_events`` is append-only (``Employees.log_event``); it never holds a PIN or its hash.
    """
    run_statements(
        db,
        """CREATE TABLE employees (
        employee_id TEXT PRIMARY KEY,
        name_ar TEXT NOT NULL,
        name_en TEXT NOT NULL,
        site_id TEXT NOT NULL,
        section_id TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        pin_hash TEXT,
        pin_set_at TEXT,
        updated_at TEXT NOT NULL
    )""",
        "CREATE INDEX employees_site ON employees (site_id, active)",
        """CREATE TABLE employee_events (
        id INTEGER PRIMARY KEY,
        employee_id TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    )""",
        "CREATE INDEX employee_events_employee ON employee_events (employee_id, id)",
    )


def record_which_tablets_held_each_pin_hash(db: Database) -> None:
    """Which employees' PIN hashes went to which device, and PINs withdrawn after a tablet was lost (1.2).

    ``staff_hashes_sent`` has one row per (device, employee) whose hash a published config
    carried, with the first and last time (``Employees.note_hashes_sent``); a hash set at or
    before ``last_sent_at`` was on that tablet. ``pin_withdrawn_at`` marks a PIN withdrawn
    by ``taqyeem devices revoke --lost``: the employee sets a new one before signing in.

    Before this step every serving device was sent its whole site's staff: each is taken
    to hold the hash of every active employee of its site with a PIN, as of now.
    """
    run_statements(
        db,
        "ALTER TABLE employees ADD COLUMN pin_withdrawn_at TEXT",
        """CREATE TABLE staff_hashes_sent (
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        first_sent_at TEXT NOT NULL,
        last_sent_at TEXT NOT NULL,
        PRIMARY KEY (device_id, employee_id)
    )""",
        """INSERT INTO staff_hashes_sent (device_id, employee_id, first_sent_at, last_sent_at)
        SELECT d.device_id, e.employee_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM devices d JOIN employees e ON e.site_id = d.site_id
        WHERE d.provisioned = 1 AND d.revoked_at IS NULL AND e.active = 1 AND e.pin_hash IS NOT NULL""",
    )
