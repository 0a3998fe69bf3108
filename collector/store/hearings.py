"""A review's fair hearing in the ``reviews`` table: a formal warning awaiting approval, the employee's appeal.

Each step updates the review's row only from the state it expects (so two people
acting at once cannot both succeed) and appends its event to ``review_events`` in the
same transaction; nothing is half-stored. The rules (who may, until when) are
collector.reviews.hearing's; this module only records what the caller decided.

Columns added by ``give_reviews_a_hearing``: ``pending_closure`` (JSON: the proposed
closing with ``by`` and ``at``, until approved), ``approved_by``, ``approved_at``,
``appeal_text``, ``appeal_at``, ``appeal_upheld`` (NULL until decided),
``appeal_decided_by``, ``appeal_decided_at``, ``appeal_note``; and on ``sites``,
``not_attributable_causes`` (JSON list from sites.toml, NULL: the built-in causes).
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from collector.store.closure_rollups import closure_key, move_closure, note_closure
from collector.store.connection import Connection, run_statements
from collector.store.excluded_rollups import note_closed_review

_EVENT = "INSERT INTO review_events (rating_id, at, actor, kind, data) VALUES (?, ?, ?, ?, ?)"
_CLOSE_PENDING = (
    "UPDATE reviews SET status = 'closed', closed_at = ?, closed_by = ?, cause = ?, action = ?, note = ?, "
    "attributable = ?, attributable_from = ?, pending_closure = NULL, approved_by = ?, approved_at = ? "
    "WHERE rating_id = ? AND status = 'open' AND pending_closure = ?"
)


def give_reviews_a_hearing(db: Database) -> None:
    """Formal warnings awaiting approval, appeals and decisions; each site's causes outside the employee's control."""
    columns = (
        "pending_closure TEXT",
        "approved_by TEXT",
        "approved_at TEXT",
        "appeal_text TEXT",
        "appeal_at TEXT",
        "appeal_upheld INTEGER CHECK (appeal_upheld IN (0, 1))",
        "appeal_decided_by TEXT",
        "appeal_decided_at TEXT",
        "appeal_note TEXT",
    )
    run_statements(
        db,
        *(f"ALTER TABLE reviews ADD COLUMN {column}" for column in columns),
        "ALTER TABLE sites ADD COLUMN not_attributable_causes TEXT",
    )


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def review_row(row: dict[str, Any]) -> dict[str, Any]:
    """A ``reviews`` row as the workflow reads it: ``pending_closure`` parsed (None when there is none)."""
    if isinstance(row.get("pending_closure"), str):
        row["pending_closure"] = json.loads(row["pending_closure"])
    return row


class Hearings:
    """Proposals awaiting approval, approvals, appeals and decisions, on ``reviews`` and ``review_events``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def propose(self, rating_id: str, actor: str, closure: dict[str, Any], now: str) -> bool:
        """Record a closing that needs approval; False when the review is not open. A newer proposal replaces it."""
        pending = {**closure, "by": actor, "at": now}
        with self._conn.transaction() as db:
            cursor = db.execute(
                "UPDATE reviews SET pending_closure = ? WHERE rating_id = ? AND status = 'open'",
                [_json(pending), rating_id],
            )
            if cursor.rowcount != 1:
                return False
            db.execute(_EVENT, [rating_id, now, actor, "pending_approval", json.dumps(closure, ensure_ascii=False)])
        return True

    def approve(self, rating_id: str, approver: str, pending: dict[str, Any], now: str) -> bool:
        """Close the review as ``pending`` proposed it (its proposer as the closer); False if it changed meanwhile."""
        closure = {k: v for k, v in pending.items() if k not in ("by", "at")}
        with self._conn.transaction() as db:
            cursor = db.execute(
                _CLOSE_PENDING,
                [
                    now,
                    pending["by"],
                    closure["cause"],
                    closure["action"],
                    closure["note"],
                    int(bool(closure["attributable"])),
                    closure["attributable_from"],
                    approver,
                    now,
                    rating_id,
                    _json(pending),
                ],
            )
            if cursor.rowcount != 1:
                return False
            note_closed_review(db, rating_id, closure)  # the period report's daily sums, as Reviews.close does
            note_closure(db, rating_id)  # the causes report's (store/closure_rollups.py)
            data = {**closure, "closed_by": pending["by"], "proposed_at": pending["at"]}
            db.execute(_EVENT, [rating_id, now, approver, "approved", json.dumps(data, ensure_ascii=False)])
        return True

    def appeal(self, rating_id: str, actor: str, employee_id: str | None, text: str, now: str) -> bool:
        """Record the employee's appeal; False when the review is not closed, attributable and unappealed."""
        with self._conn.transaction() as db:
            cursor = db.execute(
                "UPDATE reviews SET appeal_text = ?, appeal_at = ? "
                "WHERE rating_id = ? AND status = 'closed' AND attributable = 1 AND appeal_at IS NULL",
                [text, now, rating_id],
            )
            if cursor.rowcount != 1:
                return False
            data = {"text": text, "employee_id": employee_id}
            db.execute(_EVENT, [rating_id, now, actor, "appealed", json.dumps(data, ensure_ascii=False)])
        return True

    def decide(self, rating_id: str, actor: str, upheld: bool, note: str, now: str) -> bool:
        """Record the decision; upheld: the rating becomes not attributable (and is counted so in the kept sums)."""
        with self._conn.transaction() as db:
            before = closure_key(db, rating_id)
            cursor = db.execute(
                "UPDATE reviews SET appeal_upheld = ?, appeal_decided_by = ?, appeal_decided_at = ?, appeal_note = ?, "
                "attributable = CASE WHEN ? THEN 0 ELSE attributable END "
                "WHERE rating_id = ? AND appeal_at IS NOT NULL AND appeal_upheld IS NULL AND attributable = 1",
                [int(upheld), actor, now, note, int(upheld), rating_id],
            )
            if cursor.rowcount != 1:
                return False
            if upheld:
                cause = db.execute("SELECT cause FROM reviews WHERE rating_id = ?", [rating_id]).fetchone()[0]
                note_closed_review(db, rating_id, {"attributable": False, "cause": cause})
                move_closure(db, before, closure_key(db, rating_id))
            data: dict[str, Any] = {"upheld": upheld, "note": note}
            if upheld:
                data.update(attributable=False, attributable_from="appeal")
            db.execute(_EVENT, [rating_id, now, actor, "decided", json.dumps(data, ensure_ascii=False)])
        return True

    def events_of(self, rating_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """The histories of these reviews, each oldest first, as ``Reviews.get`` gives one."""
        found: dict[str, list[dict[str, Any]]] = {rating_id: [] for rating_id in rating_ids}
        for start in range(0, len(rating_ids), 500):
            chunk = rating_ids[start : start + 500]
            sql = (
                "SELECT rating_id, at, actor, kind, data FROM review_events "  # noqa: S608 - placeholders only
                f"WHERE rating_id IN ({','.join('?' * len(chunk))}) ORDER BY id"
            )
            for row in self._conn.db.query(sql, chunk):
                found[row.pop("rating_id")].append({**row, "data": json.loads(row["data"])})
        return found

    def causes_outside_control(self, site_id: str | None) -> list[str] | None:
        """The causes a site's sites.toml holds outside the employee's control, or None (the built-in ones)."""
        if site_id is None:
            return None
        row = self._conn.db.execute("SELECT not_attributable_causes FROM sites WHERE site_id = ?", [site_id]).fetchone()
        if row is None or row[0] is None:
            return None
        causes: list[str] = json.loads(row[0])
        return causes
