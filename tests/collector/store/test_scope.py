"""The one WHERE clause for "in this span, at these sites" (collector/store/scope.py), run on SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from collector.store.scope import span_and_sites

ROWS = [
    ("r1", "site-a", "2026-11-27T23:59:59.999Z"),
    ("r2", "site-a", "2026-11-28T00:00:00.000Z"),
    ("r3", "site-b", "2026-11-28T12:00:00.000Z"),
    ("r4", "site-c", "2026-11-28T23:59:59.999Z"),
    ("r5", "site-a", "2026-11-29T00:00:00.000Z"),
]
DAY = ("2026-11-28T00:00:00.000Z", "2026-11-29T00:00:00.000Z")


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE ratings (id TEXT, site_id TEXT, created_at TEXT)")
    conn.executemany("INSERT INTO ratings VALUES (?, ?, ?)", ROWS)
    yield conn
    conn.close()


def ids(conn: sqlite3.Connection, sites: list[str] | None, site_id: str | None, table: str = "") -> list[str]:
    where, params = span_and_sites("created_at", *DAY, sites, site_id, table)
    alias = " r" if table else ""
    sql = f"SELECT {table}id FROM ratings{alias} WHERE {where} ORDER BY {table}id"  # noqa: S608 - the test's own SQL
    return [row[0] for row in conn.execute(sql, params)]


def test_the_span_takes_its_first_instant_and_leaves_out_its_last(conn: sqlite3.Connection) -> None:
    assert ids(conn, None, None) == ["r2", "r3", "r4"]


def test_one_site_narrows_the_span(conn: sqlite3.Connection) -> None:
    assert ids(conn, None, "site-b") == ["r3"]


def test_allowed_sites_narrow_it_and_an_empty_list_allows_none(conn: sqlite3.Connection) -> None:
    assert ids(conn, ["site-a", "site-c"], None) == ["r2", "r4"]
    assert ids(conn, [], None) == []


def test_a_site_outside_the_allowed_ones_gives_nothing(conn: sqlite3.Connection) -> None:
    assert ids(conn, ["site-a"], "site-b") == []


def test_the_columns_take_the_table_s_prefix_when_a_query_joins(conn: sqlite3.Connection) -> None:
    assert ids(conn, ["site-a"], "site-a", table="r.") == ["r2"]
    assert span_and_sites("created_at", *DAY, ["site-a"], "site-a", "r.")[0] == (
        "r.created_at >= ? AND r.created_at < ? AND r.site_id = ? AND r.site_id IN (?)"
    )
