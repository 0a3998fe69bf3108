"""Who owns each review, by when, and to whom it was escalated: rotas, turns, owners, deadlines, escalation claims.

The rules (who is next in turn, when a review is due) are collector/reviews/rota.py and
deadlines.py; this family only keeps their facts. Every change of owner and every
escalation is also an event in the review's append-only ``review_events``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlite_utils import Database

from collector.store.connection import Connection, run_statements


def give_each_review_an_owner_and_a_deadline(db: Database) -> None:
    """Issue 23: a review's owner from its site's rota, its deadline, its escalations, and who is away.

    ``review_rotas`` holds each site's ``[sites.reviews]`` as JSON; ``rota_turns`` who had the last
    review of a site's section; ``review_escalations`` one claim per review and step (managers,
    director), taken before the alert is sent so a restarted collector never sends it twice.
    ``users.away``: a supervisor the rota skips. ``reviews.site_id`` (the rating's, copied) lets the
    reviewers' figures read the reviews alone, through one covering index. ``alert_log`` is rebuilt to allow the owner's
    and the escalations' alerts. Reviews opened before this step keep no owner and no deadline.
    """
    run_statements(
        db,
        "ALTER TABLE reviews ADD COLUMN owner TEXT",
        "ALTER TABLE reviews ADD COLUMN due_at TEXT",
        "ALTER TABLE reviews ADD COLUMN director_at TEXT",
        "ALTER TABLE reviews ADD COLUMN site_id TEXT",
        "UPDATE reviews SET site_id = (SELECT r.site_id FROM ratings r WHERE r.id = reviews.rating_id)",
        "CREATE INDEX reviews_span ON reviews (opened_at, site_id, owner, status, closed_at, due_at)",
        "CREATE INDEX reviews_owner ON reviews (owner, status)",
        "CREATE INDEX reviews_open_due ON reviews (due_at) WHERE status = 'open'",
        "CREATE INDEX reviews_open_director ON reviews (director_at) WHERE status = 'open'",
        """CREATE TABLE review_rotas (
        site_id TEXT PRIMARY KEY,
        rota TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
        """CREATE TABLE rota_turns (
        site_id TEXT NOT NULL,
        section_id TEXT NOT NULL,
        last_owner TEXT NOT NULL,
        PRIMARY KEY (site_id, section_id)
    )""",
        """CREATE TABLE review_escalations (
        rating_id TEXT NOT NULL,
        step TEXT NOT NULL CHECK (step IN ('managers', 'director')),
        at TEXT NOT NULL,
        recipients TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (rating_id, step)
    )""",
        "ALTER TABLE users ADD COLUMN away INTEGER NOT NULL DEFAULT 0 CHECK (away IN (0, 1))",
        """CREATE TABLE alert_log_v28 (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('negative', 'digest', 'trend', 'owner', 'escalation')),
        site_id TEXT,
        rating_id TEXT,
        day TEXT,
        channel TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        error TEXT,
        at TEXT NOT NULL
    )""",
        "INSERT INTO alert_log_v28 SELECT id, kind, site_id, rating_id, day, channel, attempt, ok, error, at "
        "FROM alert_log",
        "DROP TABLE alert_log",
        "ALTER TABLE alert_log_v28 RENAME TO alert_log",
        "CREATE INDEX alert_log_rating ON alert_log (rating_id)",
    )


def _event(db: Database, rating_id: str, at: str, actor: str, kind: str, data: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO review_events (rating_id, at, actor, kind, data) VALUES (?, ?, ?, ?, ?)",
        [rating_id, at, actor, kind, json.dumps(data, ensure_ascii=False)],
    )


class ReviewOwners:
    """The ``review_rotas``, ``rota_turns`` and ``review_escalations`` tables, and reviews' owner columns."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # --- rotas and who is away ---

    def save_rotas(self, rotas: dict[str, str], now: str) -> None:
        """Each site's rota (JSON, collector.reviews.rota.Rota.to_json), replacing the one kept."""
        with self._conn.transaction() as db:
            db.conn.executemany(
                "INSERT INTO review_rotas (site_id, rota, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (site_id) DO UPDATE SET rota = excluded.rota, updated_at = excluded.updated_at "
                "WHERE review_rotas.rota != excluded.rota",
                [(site_id, text, now) for site_id, text in rotas.items()],
            )

    def rotas(self) -> dict[str, str]:
        """site id -> its rota as JSON."""
        return {row["site_id"]: row["rota"] for row in self._conn.db.query("SELECT site_id, rota FROM review_rotas")}

    def away(self) -> set[str]:
        """User names the rota skips: marked away, or disabled."""
        rows = self._conn.db.query("SELECT name FROM users WHERE away = 1 OR disabled_at IS NOT NULL")
        return {row["name"] for row in rows}

    def set_away(self, name: str, away: bool) -> bool:
        """Mark a user away (the rota skips them) or back; False when there is no such user."""
        with self._conn.transaction() as db:
            cursor = db.execute("UPDATE users SET away = ? WHERE name = ?", [int(away), name])
            return cursor.rowcount == 1

    def desk_section(self, site_id: str | None, desk_id: str | None) -> str | None:
        rows = list(
            self._conn.db.query("SELECT section_id FROM desks WHERE site_id = ? AND desk_id = ?", [site_id, desk_id])
        )
        return rows[0]["section_id"] if rows else None

    def last_owner(self, site_id: str, section_id: str) -> str | None:
        rows = list(
            self._conn.db.query(
                "SELECT last_owner FROM rota_turns WHERE site_id = ? AND section_id = ?", [site_id, section_id]
            )
        )
        return rows[0]["last_owner"] if rows else None

    # --- owners and deadlines ---

    def set_first_owner(
        self, rating_id: str, site_id: str | None, owner: str | None, due: str, director: str, at: str
    ) -> None:
        """A new review's site, owner from the rota (None: nobody to take it) and deadlines, with its event."""
        with self._conn.transaction() as db:
            db.execute(
                "UPDATE reviews SET site_id = ?, owner = ?, due_at = ?, director_at = ? WHERE rating_id = ?",
                [site_id, owner, due, director, rating_id],
            )
            if owner is not None:  # a site with nobody in turn: the review waits unowned, with its deadline
                _event(db, rating_id, at, "rota", "assigned", {"owner": owner, "due_at": due})

    def note_turn(self, site_id: str, section_id: str, owner: str) -> None:
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO rota_turns (site_id, section_id, last_owner) VALUES (?, ?, ?) "
                "ON CONFLICT (site_id, section_id) DO UPDATE SET last_owner = excluded.last_owner",
                [site_id, section_id, owner],
            )

    def owners(self, rating_ids: list[str]) -> dict[str, dict[str, Any]]:
        """rating id -> {"owner", "due_at"} of those reviews."""
        found: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(rating_ids):
            rows = self._conn.db.query(
                f"SELECT rating_id, owner, due_at FROM reviews WHERE rating_id IN ({','.join('?' * len(chunk))})",  # noqa: S608
                chunk,
            )
            found.update({row["rating_id"]: {"owner": row["owner"], "due_at": row["due_at"]} for row in rows})
        return found

    def reassign(self, rating_id: str, owner: str, actor: str, at: str) -> bool:
        """Give an open review to ``owner``; False when it is not open (closed, or unknown)."""
        with self._conn.transaction() as db:
            rows = list(db.query("SELECT owner FROM reviews WHERE rating_id = ? AND status = 'open'", [rating_id]))
            if not rows:
                return False
            db.execute("UPDATE reviews SET owner = ? WHERE rating_id = ?", [owner, rating_id])
            _event(db, rating_id, at, actor, "assigned", {"owner": owner, "from": rows[0]["owner"]})
        return True

    def last_event_id(self) -> int:
        """The newest history event's id (0: none yet): where the dispatcher starts looking for reassignments."""
        return int(self._conn.db.execute("SELECT coalesce(max(id), 0) FROM review_events").fetchone()[0])

    def reassignments_after(self, event_id: int) -> list[dict[str, Any]]:
        """Open reviews given to a new owner by a person (not the rota) after that event: id, rating_id, owner."""
        rows = self._conn.db.query(
            "SELECT e.id AS id, e.rating_id AS rating_id, json_extract(e.data, '$.owner') AS owner "
            "FROM review_events e JOIN reviews v ON v.rating_id = e.rating_id "
            "WHERE e.id > ? AND e.kind = 'assigned' AND e.actor != 'rota' AND v.status = 'open' ORDER BY e.id",
            [event_id],
        )
        return list(rows)

    def note_alerted(self, rating_id: str, to: str, at: str) -> None:
        """The owner (or an escalation's recipient) was sent the alert: an 'alerted' event."""
        with self._conn.transaction() as db:
            _event(db, rating_id, at, "system", "alerted", {"to": to})

    def overdue_count(self, now: str, sites: list[str] | None = None) -> int:
        """Open reviews past their due time, in these sites (None: all); the partial index holds only open ones."""
        sql = "SELECT count(*) FROM reviews v CROSS JOIN ratings r ON r.id = v.rating_id WHERE v.status = 'open' "
        sql += "AND v.due_at < ?"
        params: list[Any] = [now]
        if sites is not None:
            sql += f" AND r.site_id IN ({','.join('?' * len(sites))})"
            params += sites
        return int(self._conn.db.execute(sql, params).fetchone()[0])

    def owned_in(
        self, since: str, until: str, sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Reviews opened in [since, until), summed per owner and site in SQL (reports/reviewers.py).

        Each {owner, site_id, owned, closed, closed_on_time, median_close_h}: ``closed_on_time`` closed by
        ``due_at``; ``median_close_h`` the median hours from opening to closing of those closed (None: none).
        Reviews are read alone, through one covering index (``reviews_span``); the median is
        SQLite's window functions, so a year of several hundred thousand reviews never becomes Python rows.
        """
        inner = (
            "SELECT v.owner AS owner, v.site_id AS site_id, v.status = 'closed' AND v.closed_at IS NOT NULL AS done, "
            "v.due_at IS NOT NULL AND v.closed_at <= v.due_at AS on_time, "
            "(julianday(v.closed_at) - julianday(v.opened_at)) * 24 AS hours "
            "FROM reviews v INDEXED BY reviews_span WHERE v.opened_at >= ? AND v.opened_at < ?"
        )
        inner, params = _in_sites(inner, [since, until], sites, site_id, "v")
        sql = (
            f"WITH span AS ({inner}), "  # noqa: S608 - built from constants
            "ranked AS (SELECT owner, site_id, hours, row_number() OVER (PARTITION BY owner, site_id ORDER BY hours) "
            "AS k, count(*) OVER (PARTITION BY owner, site_id) AS n FROM span WHERE done), "
            "medians AS (SELECT owner, site_id, avg(hours) AS median_close_h FROM ranked "
            "WHERE k IN ((n + 1) / 2, (n + 2) / 2) GROUP BY owner, site_id), "
            "sums AS (SELECT owner, site_id, count(*) AS owned, sum(done) AS closed, sum(done AND on_time) "
            "AS closed_on_time FROM span GROUP BY owner, site_id) "
            "SELECT s.owner AS owner, s.site_id AS site_id, s.owned AS owned, s.closed AS closed, "
            "s.closed_on_time AS closed_on_time, m.median_close_h AS median_close_h FROM sums s "
            "LEFT JOIN medians m ON m.owner IS s.owner AND m.site_id IS s.site_id"
        )
        return list(self._conn.db.query(sql, params))

    def overdue_by_owner(
        self, now: str, sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Open reviews past their due time now, counted per owner and site: owner, site_id, n."""
        sql = (
            "SELECT v.owner AS owner, r.site_id AS site_id, count(*) AS n FROM reviews v "
            "CROSS JOIN ratings r ON r.id = v.rating_id WHERE v.status = 'open' AND v.due_at < ?"
        )
        sql, params = _in_sites(sql, [now], sites, site_id)
        return list(self._conn.db.query(sql + " GROUP BY 1, 2", params))

    # --- escalations ---

    def due_escalations(self, now: str) -> list[tuple[str, str]]:
        """(rating id, step) of every open review past a step's time and not yet escalated at that step.

        Only sites with a rota escalate: a site without ``[sites.reviews]`` keeps the end-of-day digest alone.
        """
        sql = (
            "SELECT v.rating_id AS rating_id FROM reviews v WHERE v.status = 'open' AND v.{col} IS NOT NULL "
            "AND v.{col} <= ? AND NOT EXISTS (SELECT 1 FROM review_escalations e "
            "WHERE e.rating_id = v.rating_id AND e.step = '{step}') AND EXISTS (SELECT 1 FROM ratings r "
            "JOIN review_rotas o ON o.site_id = r.site_id WHERE r.id = v.rating_id) ORDER BY v.{col}, v.rating_id"
        )
        due = []
        for column, step in (("due_at", "managers"), ("director_at", "director")):
            query = sql.format(col=column, step=step)
            due += [(row["rating_id"], step) for row in self._conn.db.query(query, [now])]
        return due

    def claim_escalation(self, rating_id: str, step: str, recipients: list[str], at: str) -> bool:
        """Record one escalation step of an open review, with its event; False if already taken (or closed)."""
        with self._conn.transaction() as db:
            still_open = list(db.query("SELECT 1 FROM reviews WHERE rating_id = ? AND status = 'open'", [rating_id]))
            if not still_open:
                return False
            cursor = db.execute(
                "INSERT OR IGNORE INTO review_escalations (rating_id, step, at, recipients) VALUES (?, ?, ?, ?)",
                [rating_id, step, at, json.dumps(recipients, ensure_ascii=False)],
            )
            if cursor.rowcount != 1:
                return False
            _event(db, rating_id, at, "system", "escalated", {"to": step, "recipients": recipients})
        return True

    def escalations(self, rating_ids: list[str]) -> dict[str, list[dict[str, str]]]:
        """rating id -> its escalations [{"to", "at"}], oldest first."""
        found: dict[str, list[dict[str, str]]] = defaultdict(list)
        for chunk in _chunks(rating_ids):
            rows = self._conn.db.query(
                f"SELECT rating_id, step, at FROM review_escalations WHERE rating_id IN ({','.join('?' * len(chunk))}) "  # noqa: S608
                "ORDER BY at, step = 'director'",
                chunk,
            )
            for row in rows:
                found[row["rating_id"]].append({"to": row["step"], "at": row["at"]})
        return found

    def events(self, rating_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """rating id -> its history, oldest first, each {"kind", "at", "by", "data"} (PROTOCOL 1.2 ``events``)."""
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for chunk in _chunks(rating_ids):
            rows = self._conn.db.query(
                f"SELECT rating_id, at, actor, kind, data FROM review_events WHERE rating_id IN ({','.join('?' * len(chunk))}) "  # noqa: S608,E501
                "ORDER BY id",
                chunk,
            )
            for row in rows:
                found[row["rating_id"]].append(
                    {"kind": row["kind"], "at": row["at"], "by": row["actor"], "data": json.loads(row["data"])}
                )
        return found


def _in_sites(
    sql: str, params: list[Any], sites: list[str] | None, site_id: str | None, table: str = "r"
) -> tuple[str, list[Any]]:
    if site_id is not None:
        sql += f" AND {table}.site_id = ?"
        params = [*params, site_id]
    if sites is not None:
        sql += f" AND {table}.site_id IN ({','.join('?' * len(sites))})"
        params = [*params, *sites]
    return sql, params


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
