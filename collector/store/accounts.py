"""People and programs that may sign in: users, sessions, login failures, account changes, API tokens."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from collector.store.connection import Connection


@dataclass(frozen=True)
class LoginFailures:
    by_name_and_client: int
    by_name: int
    by_client: int
    last_for_name: str | None  # the time of the name's latest failure from any client
    clients_for_name: int = 0  # how many client addresses failed for the name


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """The ``users``, ``sessions``, ``login_failures``, ``user_events`` and ``api_tokens`` tables.

    Only hashes of session ids and tokens are stored; the rules (who may sign in,
    how often) live in ``collector.people.auth``.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # --- users ---------------------------------------------------------------

    def add_user(
        self,
        name: str,
        password_hash: str,
        role: str,
        sites: list[str],
        lang: str,
        now: str,
        employee_id: str | None = None,
        notify_url: str | None = None,
    ) -> int:
        """``employee_id`` is set for the role ``employee`` only (the table's CHECK says so too)."""
        with self._conn.transaction() as db:
            cursor = db.execute(
                "INSERT INTO users (name, password_hash, role, sites, lang, created_at, password_changed_at, "
                "employee_id, notify_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [name, password_hash, role, json.dumps(sites), lang, now, now, employee_id, notify_url],
            )
            return int(cursor.lastrowid or 0)

    def user(self, *, name: str | None = None, user_id: int | None = None) -> dict[str, Any] | None:
        column, value = ("name", name) if name is not None else ("id", user_id)
        rows = list(self._conn.db.query(f"SELECT * FROM users WHERE {column} = ?", [value]))  # noqa: S608
        if not rows:
            return None
        row = rows[0]
        row["sites"] = json.loads(row["sites"])
        return row

    def users(self) -> list[dict[str, Any]]:
        rows = list(
            self._conn.db.query(
                "SELECT id, name, role, sites, lang, created_at, disabled_at, employee_id, notify_url "
                "FROM users ORDER BY name"
            )
        )
        for row in rows:
            row["sites"] = json.loads(row["sites"])
        return rows

    def set_password(self, user_id: int, password_hash: str, now: str) -> None:
        """A new password also ends every session of that user."""
        with self._conn.transaction() as db:
            db.execute(
                "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
                [password_hash, now, user_id],
            )
            db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])

    def user_of_employee(self, employee_id: str) -> dict[str, Any] | None:
        """The account linked to that staff number, if any (there is at most one)."""
        rows = list(self._conn.db.query("SELECT name FROM users WHERE employee_id = ?", [employee_id]))
        return self.user(name=rows[0]["name"]) if rows else None

    def set_notify_url(self, user_id: int, url: str | None) -> None:
        with self._conn.transaction() as db:
            db.execute("UPDATE users SET notify_url = ? WHERE id = ?", [url, user_id])

    def employee_contacts(self, employee_id: str) -> list[dict[str, Any]]:
        """Enabled employee accounts of that staff number with a notification URL: name, lang, notify_url."""
        return list(
            self._conn.db.query(
                "SELECT name, lang, notify_url FROM users WHERE role = 'employee' AND employee_id = ? "
                "AND notify_url IS NOT NULL AND disabled_at IS NULL",
                [employee_id],
            )
        )

    def set_disabled(self, user_id: int, disabled_at: str | None) -> None:
        """Disable (a time) or enable (None) an account; disabling ends its sessions at once."""
        with self._conn.transaction() as db:
            db.execute("UPDATE users SET disabled_at = ? WHERE id = ?", [disabled_at, user_id])
            if disabled_at is not None:
                db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])

    def count_active_admins(self) -> int:
        sql = "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL"
        return int(self._conn.db.execute(sql).fetchone()[0])

    def log_event(self, user_name: str, kind: str, actor: str, now: str, data: dict[str, Any]) -> None:
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO user_events (user_name, at, actor, kind, data) VALUES (?, ?, ?, ?, ?)",
                [user_name, now, actor, kind, json.dumps(data, ensure_ascii=False)],
            )

    def has_event_since(self, user_name: str, kind: str, since: str) -> bool:
        """Whether the account has an event of ``kind`` at or after ``since``."""
        row = self._conn.db.execute(
            "SELECT 1 FROM user_events WHERE user_name = ? COLLATE NOCASE AND kind = ? AND at >= ? LIMIT 1",
            [user_name, kind, since],
        ).fetchone()
        return row is not None

    def events(self, user_name: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The newest account changes first."""
        sql, params = "SELECT user_name, at, actor, kind, data FROM user_events", []
        if user_name is not None:
            sql += " WHERE user_name = ? COLLATE NOCASE"
            params.append(user_name)
        rows = list(self._conn.db.query(sql + " ORDER BY id DESC LIMIT ?", [*params, limit]))
        for row in rows:
            row["data"] = json.loads(row["data"])
        return rows

    # --- sessions and sign-in failures ---------------------------------------

    def create_session(self, id_hash: str, user_id: int, csrf: str, now: str, expires_at: str) -> None:
        with self._conn.transaction() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", [now])
            db.execute(
                "INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                [id_hash, user_id, csrf, now, expires_at],
            )

    def session_user(self, id_hash: str, now: str) -> dict[str, Any] | None:
        rows = list(
            self._conn.db.query(
                "SELECT u.id, u.name, u.role, u.sites, u.lang, u.employee_id, s.csrf "
                "FROM sessions s JOIN users u ON u.id = s.user_id "
                "WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL",
                [id_hash, now],
            )
        )
        if not rows:
            return None
        rows[0]["sites"] = json.loads(rows[0]["sites"])
        return rows[0]

    def delete_session(self, id_hash: str) -> None:
        with self._conn.transaction() as db:
            db.execute("DELETE FROM sessions WHERE id_hash = ?", [id_hash])

    def note_login_failure(self, name: str, client: str, now: str, forget_before: str) -> None:
        """Record one failure; failures older than ``forget_before`` count for nothing and are dropped."""
        with self._conn.transaction() as db:
            db.execute("DELETE FROM login_failures WHERE at < ?", [forget_before])
            db.execute("INSERT INTO login_failures (name, client, at) VALUES (?, ?, ?)", [name.lower(), client, now])

    def login_failures_since(self, name: str, client: str, since: str) -> LoginFailures:
        """Failures since ``since``: for this name from this client, for this name, for this client."""
        row = self._conn.db.execute(
            "SELECT count(CASE WHEN name = ? AND client = ? THEN 1 END), count(CASE WHEN name = ? THEN 1 END), "
            "count(CASE WHEN client = ? THEN 1 END), max(CASE WHEN name = ? THEN at END), "
            "count(DISTINCT CASE WHEN name = ? THEN client END) "
            "FROM login_failures WHERE at >= ?",
            [name.lower(), client, name.lower(), client, name.lower(), name.lower(), since],
        ).fetchone()
        return LoginFailures(int(row[0]), int(row[1]), int(row[2]), row[3], int(row[4]))

    def failing_clients(self, name: str, since: str, limit: int = 50) -> list[str]:
        """The client addresses that failed for ``name`` since ``since``, the most failures first."""
        rows = self._conn.db.execute(
            "SELECT client FROM login_failures WHERE name = ? AND at >= ? GROUP BY client "
            "ORDER BY count(*) DESC, max(at) DESC LIMIT ?",
            [name.lower(), since, limit],
        ).fetchall()
        return [row[0] for row in rows]

    def clear_login_failures(self, name: str, client: str | None = None) -> int:
        """Forget the name's failures, from one client or (None) from all; returns how many."""
        sql, params = "DELETE FROM login_failures WHERE name = ?", [name.lower()]
        if client is not None:
            sql += " AND client = ?"
            params.append(client)
        with self._conn.transaction() as db:
            return int(db.execute(sql, params).rowcount)

    # --- API tokens ----------------------------------------------------------

    def create_token(self, name: str, role: str, sites: list[str], now: str) -> str:
        token = "tq_" + secrets.token_urlsafe(32)
        with self._conn.transaction() as db:
            db.table("api_tokens").insert(
                {
                    "name": name,
                    "token_hash": hash_token(token),
                    "role": role,
                    "sites": json.dumps(sites),
                    "created_at": now,
                }
            )
        return token

    def token_identity(self, token: str) -> dict[str, Any] | None:
        row = self._conn.db.execute(
            "SELECT name, role, sites FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
            [hash_token(token)],
        ).fetchone()
        if row is None:
            return None
        return {"name": row[0], "role": row[1], "sites": json.loads(row[2])}

    def tokens(self) -> list[dict[str, Any]]:
        """Every API token's name, role, sites and dates (never the token)."""
        rows = self._conn.db.query("SELECT id, name, role, sites, created_at, revoked_at FROM api_tokens ORDER BY id")
        return [{**row, "sites": json.loads(row["sites"])} for row in rows]

    def revoke_tokens(self, name: str, now: str) -> int:
        """Revoke every live token of that name at once; returns how many."""
        with self._conn.transaction() as db:
            cursor = db.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", [now, name]
            )
            return int(cursor.rowcount)
