"""Read a collector database file directly, as an auditor would (and stage a case in it).

Tests check stored facts this way instead of through store methods only tests would use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlite_utils import Database


def query(path: Path, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
    db = Database(path)
    try:
        return list(db.query(sql, params))
    finally:
        db.close()


def rows(path: Path, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
    db = Database(path)
    try:
        return [tuple(row) for row in db.execute(sql, params).fetchall()]
    finally:
        db.close()


def execute(path: Path, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> None:
    """One committed write, to stage what the code under test cannot make by itself."""
    db = Database(path)
    try:
        with db.conn:
            db.execute(sql, params)
    finally:
        db.close()


def count(path: Path, table: str) -> int:
    return int(rows(path, f"SELECT count(*) FROM [{table}]")[0][0])  # noqa: S608 - the tests' own table names


def table_names(path: Path) -> list[str]:
    db = Database(path)
    try:
        return db.table_names()
    finally:
        db.close()


def alert_log(path: Path, rating_id: str | None = None) -> list[dict[str, Any]]:
    """Delivery attempts of alerts and digests, newest first."""
    if rating_id is None:
        return query(path, "SELECT * FROM alert_log ORDER BY id DESC")
    return query(path, "SELECT * FROM alert_log WHERE rating_id = ? ORDER BY id DESC", [rating_id])
