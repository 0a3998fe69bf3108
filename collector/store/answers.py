"""The periodic survey's answers, and the languages ratings were given in, counted over a span (the reports).

Each rating's ``answers`` is a JSON object, question id -> option code or scale answer
1..5 (contract 1.1). SQLite's ``json_each`` opens them in SQL, so a year of ratings is
counted without reading one row into Python. A scale answer (an integer) is keyed by its
text, "1".."5"; an answer to a question no survey knows is counted under its id as given.
"""

from __future__ import annotations

from collector.store.connection import Connection
from collector.store.scope import span_and_sites


class Answers:
    """Counts of the survey's answers in the ``ratings`` table."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def counts(
        self, since: str, until: str, sites: list[str] | None = None, site_id: str | None = None
    ) -> dict[str, dict[str, int]]:
        """{question id: {option code: how many}} over the ratings counted in [since, until)."""
        where, params = span_and_sites("counted_at", since, until, sites, site_id, table="r.")
        sql = (
            "SELECT a.key AS question, CAST(a.value AS TEXT) AS answer, count(*) AS n "  # noqa: S608
            f"FROM ratings r, json_each(r.answers) a WHERE r.answers IS NOT NULL AND {where}"
        )
        result: dict[str, dict[str, int]] = {}
        for row in self._conn.db.query(sql + " GROUP BY question, answer ORDER BY question, answer", params):
            result.setdefault(str(row["question"]), {})[str(row["answer"])] = int(row["n"])
        return result

    def languages(
        self, since: str, until: str, sites: list[str] | None = None, site_id: str | None = None
    ) -> dict[str | None, int]:
        """{lang (None: not given): how many} over the ratings counted in [since, until)."""
        where, params = span_and_sites("counted_at", since, until, sites, site_id)
        sql = f"SELECT lang, count(*) AS n FROM ratings WHERE {where}"  # noqa: S608
        return {row["lang"]: int(row["n"]) for row in self._conn.db.query(sql + " GROUP BY lang", params)}
