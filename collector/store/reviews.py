"""Reviews of negative ratings with their append-only history, the alert log and digest claims."""

from __future__ import annotations

import json
from typing import Any

from collector.store.closure_rollups import note_closure
from collector.store.connection import Connection
from collector.store.excluded_rollups import note_closed_review
from collector.store.hearings import review_row
from collector.store.ratings import RATING_COLUMNS, rating_row

_RATING_AS = ", ".join(f"r.{c} AS r_{c}" for c in RATING_COLUMNS)
_JOINED = f"SELECT v.*, {_RATING_AS} FROM reviews v JOIN ratings r ON r.id = v.rating_id"  # noqa: S608 - constants


def _split(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A joined row as (rating, review); ``attributable`` is None until the review is closed."""
    rating = rating_row({c: row.pop("r_" + c) for c in RATING_COLUMNS})
    if row.get("attributable") is not None:
        row["attributable"] = bool(row["attributable"])
    return rating, review_row(row)


def _scoped(sql: str, params: list[Any], sites: list[str] | None, site_id: str | None) -> tuple[str, list[Any]]:
    if site_id is not None:
        sql += " AND r.site_id = ?"
        params.append(site_id)
    if sites is not None:
        sql += f" AND r.site_id IN ({','.join('?' * len(sites))})"
        params += sites
    return sql, params


class Reviews:
    """The ``reviews``, ``review_events``, ``alert_log`` and ``digests`` tables."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def open(self, rating_ids: list[str], at: str) -> None:
        """Open a review, with its 'opened' event, for each of these (newly stored) ratings."""
        if not rating_ids:
            return
        with self._conn.transaction() as db:
            db.conn.executemany(
                "INSERT INTO reviews (rating_id, status, opened_at) VALUES (?, 'open', ?)",
                [(rating_id, at) for rating_id in rating_ids],
            )
            db.conn.executemany(
                "INSERT INTO review_events (rating_id, at, actor, kind, data) VALUES (?, ?, 'system', 'opened', '{}')",
                [(rating_id, at) for rating_id in rating_ids],
            )

    def all(
        self,
        *,
        status: str | None = None,
        date: str | None = None,
        sites: list[str] | None = None,
        employee_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Each review with its rating, the newest rating first; ``employee_id``: only that employee's."""
        where, params = [], []
        if employee_id is not None:
            where.append("r.employee_id = ?")
            params.append(employee_id)
        if status is not None:
            where.append("v.status = ?")
            params.append(status)
        if date is not None:
            where.append("substr(r.created_at, 1, 10) = ?")
            params.append(date)
        if sites is not None:
            where.append(f"r.site_id IN ({','.join('?' * len(sites))})")
            params += sites
        sql = _JOINED
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY r.created_at DESC"
        result = []
        for row in self._conn.db.query(sql, params):
            rating, review = _split(row)
            result.append({"rating": rating, "review": review})
        return result

    def open_ratings(
        self, since: str, until: str, sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The ratings counted in [since, until) whose review is still open, oldest first (as ``Ratings.window``)."""
        sql, params = _scoped(
            f"SELECT {', '.join('r.' + c for c in RATING_COLUMNS)} FROM ratings r "  # noqa: S608 - constants
            "JOIN reviews v ON v.rating_id = r.id WHERE v.status = 'open' AND r.counted_at >= ? AND r.counted_at < ?",
            [since, until],
            sites,
            site_id,
        )
        return [rating_row(r) for r in self._conn.db.query(sql + " ORDER BY r.counted_at, r.id", params)]

    def not_attributable(
        self, since: str, until: str, sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The ratings counted in [since, until) whose review was closed as not attributable to the employee.

        Each is a rating row (as ``Ratings.window``) with its review's ``cause``, oldest first.
        The reports take these out of the employees' figures at read time (collector.reports.maths),
        so closing a review never touches the rollups. Few ratings are negative and fewer
        are not attributable: a partial index holds just those reviews, and CROSS JOIN keeps
        them outermost (the planner would otherwise walk every rating of the days asked for).
        """
        sql, params = _scoped(
            f"SELECT {', '.join('r.' + c for c in RATING_COLUMNS)}, v.cause AS cause "  # noqa: S608 - constants
            "FROM reviews v CROSS JOIN ratings r ON r.id = v.rating_id "
            "WHERE v.attributable = 0 AND r.counted_at >= ? AND r.counted_at < ?",
            [since, until],
            sites,
            site_id,
        )
        return [rating_row(r) for r in self._conn.db.query(sql + " ORDER BY r.counted_at, r.id", params)]

    def not_attributable_counts(
        self, since: str, until: str, sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """``not_attributable`` counted in SQL: {employee_id, score, negative, cause, n} per kind of rating.

        What the period report takes out of the employees' figures, without a row per rating
        (a year's tens of thousands of rows cost more in Python than the join in SQLite).
        """
        sql, params = _scoped(
            "SELECT r.employee_id AS employee_id, r.score AS score, r.negative AS negative, v.cause AS cause, "
            "count(*) AS n FROM reviews v CROSS JOIN ratings r ON r.id = v.rating_id "
            "WHERE v.attributable = 0 AND r.counted_at >= ? AND r.counted_at < ?",
            [since, until],
            sites,
            site_id,
        )
        return list(self._conn.db.query(sql + " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4", params))

    def get(self, rating_id: str) -> dict[str, Any] | None:
        """One negative rating with its review and its whole history, or None."""
        rows = list(self._conn.db.query(_JOINED + " WHERE v.rating_id = ?", [rating_id]))
        if not rows:
            return None
        rating, review = _split(rows[0])
        events = list(
            self._conn.db.query(
                "SELECT at, actor, kind, data FROM review_events WHERE rating_id = ? ORDER BY id", [rating_id]
            )
        )
        for event in events:
            event["data"] = json.loads(event["data"])
        return {"rating": rating, "review": review, "history": events}

    def sites_of(self, rating_ids: list[str]) -> dict[str, str | None]:
        """rating id -> its site, for reviews of these ratings."""
        found: dict[str, str | None] = {}
        for start in range(0, len(rating_ids), 500):
            chunk = rating_ids[start : start + 500]
            rows = self._conn.db.query(
                f"SELECT id, site_id FROM ratings WHERE id IN ({','.join('?' * len(chunk))})",  # noqa: S608
                chunk,
            )
            found.update({row["id"]: row["site_id"] for row in rows})
        return found

    def close(self, rating_id: str, actor: str, closure: dict[str, Any], now: str) -> bool:
        """Close an open review; False when it was not open (already closed or unknown).

        ``closure`` is ``collector.reviews.rules.Closure.as_dict()``: cause, action, note, ``attributable``
        (bool) and ``attributable_from`` ('supervisor' or 'cause'); all of it goes in the history.
        """
        with self._conn.transaction() as db:
            cursor = db.execute(
                "UPDATE reviews SET status = 'closed', closed_at = ?, closed_by = ?, cause = ?, action = ?, note = ?, "
                "attributable = ?, attributable_from = ?, pending_closure = NULL "
                "WHERE rating_id = ? AND status = 'open'",
                [
                    now,
                    actor,
                    closure["cause"],
                    closure["action"],
                    closure["note"],
                    int(bool(closure["attributable"])),
                    closure["attributable_from"],
                    rating_id,
                ],
            )
            if cursor.rowcount != 1:
                return False
            note_closed_review(db, rating_id, closure)  # the period report's daily sums (store/excluded_rollups.py)
            note_closure(db, rating_id)  # the causes report's daily sums (store/closure_rollups.py)
            db.execute(
                "INSERT INTO review_events (rating_id, at, actor, kind, data) VALUES (?, ?, ?, 'closed', ?)",
                [rating_id, now, actor, json.dumps(closure, ensure_ascii=False)],
            )
        return True

    def respond(self, rating_id: str, actor: str, response: str, now: str, employee_id: str | None = None) -> bool:
        """Record the employee's response (the latest is shown; all stay in the history).

        ``employee_id``: set when the employee wrote it themselves (signed in as the ``employee`` role);
        kept in the event beside the actor, their user name.
        """
        data: dict[str, Any] = {"response": response}
        if employee_id is not None:
            data["employee_id"] = employee_id
        with self._conn.transaction() as db:
            cursor = db.execute(
                "UPDATE reviews SET response = ?, response_at = ? WHERE rating_id = ?", [response, now, rating_id]
            )
            if cursor.rowcount != 1:
                return False
            db.execute(
                "INSERT INTO review_events (rating_id, at, actor, kind, data) VALUES (?, ?, ?, 'response', ?)",
                [rating_id, now, actor, json.dumps(data, ensure_ascii=False)],
            )
        return True

    def counts(
        self, since: str, until: str, sites: list[str] | None = None, site_id: str | None = None
    ) -> dict[str, Any]:
        """Reviews opened and closed in [since, until), and every review still open (any day)."""
        scope, params = _scoped("", [], sites, site_id)
        db = self._conn.db
        # CROSS JOIN keeps reviews outermost: for one site the planner would otherwise walk
        # every rating of the site (measured 200 ms at a million ratings, against 1 ms).
        base = "SELECT count(*) FROM reviews v CROSS JOIN ratings r ON r.id = v.rating_id WHERE "
        opened = db.execute(base + "v.opened_at >= ? AND v.opened_at < ?" + scope, [since, until, *params])
        closed = db.execute(base + "v.closed_at >= ? AND v.closed_at < ?" + scope, [since, until, *params])
        still_open = db.execute(base + "v.status = 'open'" + scope, params)
        return {
            "opened": int(opened.fetchone()[0]),
            "closed": int(closed.fetchone()[0]),
            "open_now": int(still_open.fetchone()[0]),
        }

    def log_alert(self, entry: dict[str, Any]) -> None:
        """One delivery attempt of an alert or a digest (kept for the record; nothing reads it back)."""
        with self._conn.transaction() as db:
            db.table("alert_log").insert(entry)

    def claim_digest(self, site_id: str, day: str, negatives: int, now: str) -> bool:
        """Mark a site's digest of ``day`` as sent; False if it already was (one digest per day)."""
        with self._conn.transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO digests (site_id, day, sent_at, negatives) VALUES (?, ?, ?, ?)",
                [site_id, day, now, negatives],
            )
            return cursor.rowcount == 1
