"""The one WHERE clause for "in this span, at these sites" that period figures share."""

from __future__ import annotations

from typing import Any


def span_and_sites(
    column: str, since: str, until: str, sites: list[str] | None, site_id: str | None, table: str = ""
) -> tuple[str, list[Any]]:
    """``column`` in [since, until), then one site and/or a list of allowed sites; (sql, params).

    ``table`` prefixes the columns (``"r."``) when the query joins; ``sites`` None means every site,
    and an empty list none.
    """
    sql = f"{table}{column} >= ? AND {table}{column} < ?"
    params: list[Any] = [since, until]
    if site_id is not None:
        sql += f" AND {table}site_id = ?"
        params.append(site_id)
    if sites is not None:
        sql += f" AND {table}site_id IN ({','.join('?' * len(sites))})"
        params += sites
    return sql, params
