"""The reviews closed in a span, read for the causes report: their causes, their actions, the ones to check.

Reviews are few beside ratings (one per negative), and the ones closed in a span are found by
their ``closed_at`` (index ``reviews_closed``), each joined to its rating by id for its site,
employee and reasons; no sums are kept for them.
"""

from __future__ import annotations

import json
from typing import Any

from collector.store.connection import Connection
from collector.store.scope import span_and_sites

CHECKED_ACTIONS = ("process_fix", "coaching")  # the actions whose effect the report measures
_CLOSED = "FROM reviews v CROSS JOIN ratings r ON r.id = v.rating_id WHERE +v.status = 'closed' AND "


class ReviewOutcomes:
    """Reads of the reviews closed in [since, until) at the sites asked for."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def causes(self, since: str, until: str, sites: list[str] | None, site_id: str | None) -> list[dict[str, Any]]:
        """{cause, attributable, n} rows of the reviews closed in the span."""
        where, params = span_and_sites("closed_at", since, until, None, None, "v.")
        scope, scope_params = _sites(sites, site_id)
        sql = f"SELECT v.cause, v.attributable, count(*) {_CLOSED}{where}{scope} GROUP BY 1, 2"
        rows = self._conn.db.execute(sql, params + scope_params)
        return [{"cause": cause, "attributable": bool(held), "n": n} for cause, held, n in rows]

    def actions(self, since: str, until: str, sites: list[str] | None, site_id: str | None) -> list[dict[str, Any]]:
        """{action, n} rows of the reviews closed in the span."""
        where, params = span_and_sites("closed_at", since, until, None, None, "v.")
        scope, scope_params = _sites(sites, site_id)
        sql = f"SELECT v.action, count(*) {_CLOSED}{where}{scope} GROUP BY 1"
        return [{"action": a, "n": n} for a, n in self._conn.db.execute(sql, params + scope_params)]

    def to_check(
        self, since: str, until: str, sites: list[str] | None, site_id: str | None, limit: int
    ) -> list[dict[str, Any]]:
        """The latest ``limit`` process fixes and coachings closed in the span, newest first, with their rating's
        place and reasons."""
        where, params = span_and_sites("closed_at", since, until, None, None, "v.")
        scope, scope_params = _sites(sites, site_id)
        sql = (
            "SELECT v.rating_id, v.closed_at, v.action, v.cause, r.site_id, r.employee_id, r.reasons "
            f"{_CLOSED}{where}{scope} AND v.action IN ({','.join('?' * len(CHECKED_ACTIONS))}) "
            " ORDER BY v.closed_at DESC LIMIT ?"
        )
        rows = self._conn.db.execute(sql, [*params, *scope_params, *CHECKED_ACTIONS, limit])
        keys = ("rating_id", "closed_at", "action", "cause", "site_id", "employee_id")
        return [{**dict(zip(keys, row[:6], strict=True)), "reasons": json.loads(row[6])} for row in rows]


def _sites(sites: list[str] | None, site_id: str | None) -> tuple[str, list[Any]]:
    sql, params = "", []
    if site_id is not None:
        sql += " AND r.site_id = ?"
        params.append(site_id)
    if sites is not None:
        sql += f" AND r.site_id IN ({','.join('?' * len(sites))})"
        params += sites
    return sql, params
