"""Daily sums of the survey's answers and of the languages ratings were given in (the period reports).

``answer_rollups`` holds how many ratings answered each question with each option per
local day and site; ``language_rollups`` how many ratings were given in each language per
local day and site. A year's report sums a few thousand rows instead of opening the
``answers`` of every rating of the year (collector.store.answers, the reference).

They are kept as the score rollups are (collector.store.rollups): counted inside the
transaction that stores the ratings (``add_answer_sums``, called by ``Rollups.add`` on
every path that stores ratings), for the rollups' zone, and recomputed with them by
``taqyeem rollups rebuild`` (``fill_answer_sums``). A rating's day is the local day of its
``counted_at``. The comments' purge never touches them: it blanks ``comment`` only, and
``answers`` and ``lang`` are kept. A site is '' for a rating of no site, a language '' for a
rating without one (NULL ``lang``, read back as None).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from collector.store.connection import Connection, run_statements
from collector.store.local_days import DEFAULT_ZONE, local_day_hour, quarter_sql

_ADD_ANSWER = (
    "INSERT INTO answer_rollups (day, site_id, question, answer, n) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (day, site_id, question, answer) DO UPDATE SET n = n + excluded.n"
)
_ADD_LANGUAGE = (
    "INSERT INTO language_rollups (day, site_id, lang, n) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (day, site_id, lang) DO UPDATE SET n = n + excluded.n"
)


def sum_answers_and_languages_per_day(db: Database) -> None:
    """The ``answer_rollups`` and ``language_rollups`` tables, filled from the ratings for the rollups' zone."""
    run_statements(
        db,
        """CREATE TABLE answer_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, question, answer)
    ) WITHOUT ROWID""",
        """CREATE TABLE language_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        lang TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, lang)
    ) WITHOUT ROWID""",
    )
    row = db.execute("SELECT zone FROM rollup_zone WHERE id = 1").fetchone()
    fill_answer_sums(db, str(row[0]) if row else DEFAULT_ZONE)


def _local_day(zone: str, minute: str) -> str:
    return local_day_hour(zone, minute)[0]


def fill_answer_sums(db: Database, zone: str) -> None:
    """Replace both tables' rows with counts from every rating for ``zone``; the caller holds the transaction.

    The answers are opened in SQL as ``Answers.counts`` opens them (``json_each``, each
    answer CAST to text), grouped by UTC quarter-hour, each quarter mapped to its local day once.
    """
    db.conn.execute("DELETE FROM answer_rollups")
    db.conn.execute("DELETE FROM language_rollups")
    answers = db.conn.execute(
        f"SELECT {quarter_sql('r.counted_at')} AS quarter, coalesce(r.site_id, ''), "  # noqa: S608
        "a.key, CAST(a.value AS TEXT), count(*) FROM ratings r, json_each(r.answers) a "
        "WHERE r.answers IS NOT NULL GROUP BY 1, 2, 3, 4"
    )
    _add_answers(db, _by_day(zone, answers))
    languages = db.conn.execute(
        f"SELECT {quarter_sql('counted_at')} AS quarter, coalesce(site_id, ''), coalesce(lang, ''), count(*) "  # noqa: S608
        "FROM ratings GROUP BY 1, 2, 3"
    )
    _add_languages(db, _by_day(zone, languages))


def _by_day(zone: str, rows: Iterable[tuple[Any, ...]]) -> dict[tuple[Any, ...], int]:
    """(quarter, *key, count) rows -> (local day, *key) -> count."""
    sums: dict[tuple[Any, ...], int] = {}
    for quarter, *key, count in rows:
        cell = (_local_day(zone, quarter), *key)
        sums[cell] = sums.get(cell, 0) + count
    return sums


def _add_answers(db: Database, sums: dict[tuple[Any, ...], int]) -> None:
    db.conn.executemany(_ADD_ANSWER, [(*key, n) for key, n in sums.items()])


def _add_languages(db: Database, sums: dict[tuple[Any, ...], int]) -> None:
    db.conn.executemany(_ADD_LANGUAGE, [(*key, n) for key, n in sums.items()])


def add_answer_sums(db: Database, zone: str, rows: list[dict[str, Any]]) -> None:
    """Count newly stored ratings (rows as ``Ratings.add`` returns them) in both tables; inside their transaction."""
    answers: dict[tuple[Any, ...], int] = {}
    languages: dict[tuple[Any, ...], int] = {}
    for r in rows:
        day, site = _local_day(zone, r["counted_at"][:16]), r["site_id"] or ""
        key = (day, site, r["lang"] or "")
        languages[key] = languages.get(key, 0) + 1
        if r["answers"]:
            for question, answer in json.loads(r["answers"]).items():
                cell = (day, site, question, str(answer))
                answers[cell] = answers.get(cell, 0) + 1
    _add_answers(db, answers)
    _add_languages(db, languages)


class AnswerSums:
    """Reads of ``answer_rollups`` and ``language_rollups`` over local days in [first, last]."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def counts(
        self, days: tuple[str, str], sites: list[str] | None = None, site_id: str | None = None
    ) -> dict[str, dict[str, int]]:
        """{question id: {option code: how many}}, as ``Answers.counts`` gives for the same span."""
        where, params = _days_and_sites(days, sites, site_id)
        sql = f"SELECT question, answer, sum(n) FROM answer_rollups WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2"  # noqa: S608
        result: dict[str, dict[str, int]] = {}
        for question, answer, n in self._conn.db.execute(sql, params):
            result.setdefault(str(question), {})[str(answer)] = int(n)
        return result

    def languages(
        self, days: tuple[str, str], sites: list[str] | None = None, site_id: str | None = None
    ) -> dict[str | None, int]:
        """{lang (None: not given): how many}, as ``Answers.languages`` gives for the same span."""
        where, params = _days_and_sites(days, sites, site_id)
        sql = f"SELECT lang, sum(n) FROM language_rollups WHERE {where} GROUP BY 1 ORDER BY 1"  # noqa: S608
        return {(lang or None): int(n) for lang, n in self._conn.db.execute(sql, params)}


def _days_and_sites(days: tuple[str, str], sites: list[str] | None, site_id: str | None) -> tuple[str, list[Any]]:
    sql, params = "day >= ? AND day <= ?", list(days)
    if site_id is not None:
        sql += " AND site_id = ?"
        params.append(site_id)
    if sites is not None:
        sql += f" AND site_id IN ({','.join('?' * len(sites))})"
        params += sites
    return sql, params
