"""Ratings (never updated or deleted), dead letters, and the cursors of rating pages."""

from __future__ import annotations

import base64
import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from collector.ingest.batch_records import DeadLetter
from collector.ingest.conflicts import CONTENT_COLUMNS, PURGED, comparable, differing_fields
from collector.store.connection import Connection
from shared.contract import Rating

RATING_COLUMNS = (
    "id",
    "device_id",
    "seq",
    "employee_id",
    "score",
    "reasons",
    "visit_id",
    "lang",
    "created_at",
    "received_at",
    "counted_at",
    "site_id",
    "desk_id",
    "negative",
    "channel",
    "answers",
    "comment",
)
# A new rating's row, as Ratings.add returns it (rollups, reviews, alerts and listeners read it).
ROW_KEYS = ("id", *CONTENT_COLUMNS, "received_at", "counted_at", "site_id", "desk_id", "negative")
_INSERTED = itemgetter(*RATING_COLUMNS)
CHUNK = 500  # ids per IN (...): well under SQLite's limit of bound parameters
_KEPT = ", ".join([*CONTENT_COLUMNS[:-1], f"iif(comment_purged_at IS NULL, comment, '{PURGED}')"])  # comment: last


def encode_cursor(created_at: str, rating_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([created_at, rating_id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, rating_id = json.loads(base64.urlsafe_b64decode(padded))
        return str(created_at), str(rating_id)
    except (ValueError, TypeError):
        raise ValueError("cursor is not one this API gave out; start again without it") from None


def rating_row(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["reasons"] = json.loads(row["reasons"]) if isinstance(row.get("reasons"), str) else row.get("reasons")
    row["negative"] = bool(row["negative"])
    if "answers" in row:
        row["answers"] = json.loads(row["answers"]) if row["answers"] else {}
    return row


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


PAGE_FILTERS = ("site_id", "desk_id", "device_id", "employee_id")


def _page_query(cursor: str | None, filters: dict[str, Any]) -> tuple[str, list[Any]]:
    """The SELECT of a page, newest first, without its LIMIT; ValueError for a cursor this API never gave."""
    unknown = set(filters) - {*PAGE_FILTERS, "since", "until", "negative", "sites"}
    if unknown:
        raise TypeError(f"unknown filters: {', '.join(sorted(unknown))}")
    where: list[str] = []
    params: list[Any] = []
    for column in PAGE_FILTERS:
        if filters.get(column) is not None:
            where.append(f"{column} = ?")
            params.append(filters[column])
    if filters.get("since") is not None:
        where.append("created_at >= ?")
        params.append(filters["since"])
    if filters.get("until") is not None:
        where.append("created_at < ?")
        params.append(filters["until"])
    if filters.get("negative") is not None:
        where.append("negative = ?")
        params.append(int(filters["negative"]))
    sites = filters.get("sites")
    if sites is not None:
        where.append(f"site_id IN ({_marks(sites)})")
        params += sites
    if cursor is not None:
        created_at, rating_id = decode_cursor(cursor)
        where.append("(created_at, id) < (?, ?)")
        params += [created_at, rating_id]
    sql = f"SELECT {', '.join(RATING_COLUMNS)} FROM ratings"  # noqa: S608 - columns are constants
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY created_at DESC, id DESC LIMIT ?", params


class Ratings:
    """The ``ratings`` and ``dead_letters`` tables."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def stored_content(self, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        """The content kept under each of ``ids`` already stored, for the rule on copies (ingest/conflicts.py).

        In ``CONTENT_COLUMNS`` order; a comment blanked by retention reads as ``PURGED``.
        """
        kept: dict[str, tuple[Any, ...]] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            sql = f"SELECT id, {_KEPT} FROM ratings WHERE id IN ({_marks(chunk)})"  # noqa: S608
            kept.update((row[0], tuple(row[1:])) for row in self._conn.db.execute(sql, chunk))
        return kept

    def add(
        self,
        new: Sequence[tuple[Rating, tuple[Any, ...]]],
        runs: Sequence[int],
        received_at: str,
        places: Mapping[str, tuple[str | None, str | None]],
        negative_ids: Collection[str],
        counted_on_receipt: Collection[str] = frozenset(),
        rating_places: Mapping[str, tuple[str | None, str | None]] | None = None,
    ) -> list[dict[str, Any]]:
        """Insert ratings not stored yet, each with its content (``Copies.new``) and run of seq; returns their rows.

        What is new, and each one's run, the rules decided (collector/ingest/conflicts.py,
        collector/ingest/seq_resets.py). ``places`` gives each device's (site, desk);
        ``negative_ids`` says which ratings are negative (the rule lives in
        ``shared.contract.is_negative``); ``counted_on_receipt`` which count in reports at
        ``received_at``, not ``created_at``, because their device's clock was wrong (the rule
        lives in ``collector.ingest.clock_skew.wrong_clock_ids``); ``rating_places`` the (site,
        desk) of a rating by its id, for ratings that came through no desk's device (a phone
        call: ``collector.ingest.contacts``), ahead of ``places``.
        """
        own = rating_places or {}
        rows: list[dict[str, Any]] = []
        for rating, content in new:
            site_id, desk_id = own.get(rating.id) or places.get(rating.device_id, (None, None))
            counted_at = received_at if rating.id in counted_on_receipt else rating.created_at
            negative = int(rating.id in negative_ids)
            values = (rating.id, *content, received_at, counted_at, site_id, desk_id, negative)
            rows.append(dict(zip(ROW_KEYS, values, strict=True)))
        if rows:
            with self._conn.transaction() as db:
                # Plain executemany: measured about twice as fast as insert_all for this hot path.
                columns = [*RATING_COLUMNS, "run"]
                db.conn.executemany(
                    f"INSERT INTO ratings ({', '.join(columns)}) VALUES ({_marks(columns)})",  # noqa: S608
                    [(*_INSERTED(row), run) for row, run in zip(rows, runs, strict=True)],
                )
        return rows

    def differing_fields(self, rating: Rating) -> list[str]:
        """The fields where ``rating`` differs from the stored copy of its id; [] when none is stored."""
        row = self._conn.db.execute(f"SELECT {_KEPT} FROM ratings WHERE id = ?", [rating.id]).fetchone()  # noqa: S608
        return [] if row is None else differing_fields(tuple(row), comparable(rating, tuple(row)))

    def contact_seq(self, rating_id: str, device_id: str) -> int:
        """The seq of a rating that came with none (a phone call's): a counter per integration's device id.

        An id that device already stored keeps its seq, so sending it again is a duplicate
        (or a conflict for what else differs), never a conflict for the seq alone. Read
        inside the transaction that stores it: the next seq is taken under the write lock.
        """
        row = self._conn.db.execute(
            "SELECT seq FROM ratings WHERE id = ? AND device_id = ?", [rating_id, device_id]
        ).fetchone()
        if row is not None:
            return int(row[0])
        top = self._conn.db.execute(
            "SELECT max(seq) FROM ratings WHERE device_id = ? AND run = 1", [device_id]
        ).fetchone()[0]
        return int(top or 0) + 1

    def held_seqs(self, new: Sequence[Rating], runs: Mapping[str, int]) -> dict[str, set[int]]:
        """Per device, the seqs of ``new`` its current run (``runs``, 1 if absent) already holds.

        What the rule on resets (collector/ingest/seq_resets.py) needs of the ratings stored.

        Only seqs at or below the highest one of a device's current run are looked up, so
        the usual batch (every seq above the last) costs one indexed max() per device.
        """
        seqs: dict[str, list[int]] = {}
        for rating in new:
            seqs.setdefault(rating.device_id, []).append(rating.seq)
        held: dict[str, set[int]] = {}
        for device_id, device_seqs in seqs.items():
            run = runs.get(device_id, 1)
            top = self._conn.db.execute(
                "SELECT max(seq) FROM ratings WHERE device_id = ? AND run = ?", [device_id, run]
            ).fetchone()[0]
            low = sorted({seq for seq in device_seqs if seq <= top}) if top is not None else []
            held[device_id] = set()
            for start in range(0, len(low), CHUNK):
                chunk = low[start : start + CHUNK]
                sql = f"SELECT seq FROM ratings WHERE device_id = ? AND run = ? AND seq IN ({_marks(chunk)})"  # noqa: S608
                held[device_id].update(row[0] for row in self._conn.db.execute(sql, [device_id, run, *chunk]))
        return held

    def add_dead_letters(self, letters: list[DeadLetter], received_at: str) -> None:
        if not letters:
            return
        with self._conn.transaction() as db:
            db.table("dead_letters").insert_all(
                [
                    {
                        "topic": d.topic,
                        "device_id": d.device_id,
                        "payload": d.payload,
                        "reason": d.reason,
                        "received_at": received_at,
                    }
                    for d in letters
                ]
            )

    def add_dead_letter(self, letter: DeadLetter, received_at: str) -> None:
        self.add_dead_letters([letter], received_at)

    def page(
        self, *, limit: int = 100, cursor: str | None = None, **filters: Any
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first; returns the page and the cursor of the next one (or None).

        ``filters``: since, until, site_id, desk_id, device_id, employee_id, negative, sites.
        """
        sql, params = _page_query(cursor, filters)
        rows = [rating_row(r) for r in self._conn.db.query(sql, [*params, limit + 1])]
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = encode_cursor(rows[-1]["created_at"], rows[-1]["id"])
        return rows, next_cursor

    def page_batches(
        self, *, limit: int = 100, cursor: str | None = None, batch: int = 1000, **filters: Any
    ) -> Iterator[list[dict[str, Any]]]:
        """The rows of ``page`` plus one more (whose presence says a next page exists), ``batch`` at a time.

        For pages too large to hold: one SELECT on a connection of its own, so the page
        is one consistent snapshot however slowly it is read. A bad cursor raises
        ValueError here, before any row is read; the connection closes when the
        iterator ends or is dropped.
        """
        sql, params = _page_query(cursor, filters)
        return self._batches(sql, [*params, limit + 1], batch)

    def _batches(self, sql: str, params: list[Any], size: int) -> Iterator[list[dict[str, Any]]]:
        db = self._conn.reader()
        try:
            rows = db.execute(sql, params)
            columns = [d[0] for d in rows.description]
            while chunk := rows.fetchmany(size):
                yield [rating_row(dict(zip(columns, row, strict=True))) for row in chunk]
        finally:
            db.close()

    def by_ids(self, ids: list[str]) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = []
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            sql = (
                f"SELECT {', '.join(RATING_COLUMNS)} FROM ratings "  # noqa: S608 - constants and marks
                f"WHERE id IN ({_marks(chunk)}) ORDER BY created_at, id"
            )
            result += [rating_row(r) for r in self._conn.db.query(sql, chunk)]
        return result

    def window(
        self, since: str, until: str, sites: list[str] | None = None, site_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Every rating counted in [since, until), oldest first, for reports.

        A rating counts at its ``counted_at``: its ``created_at``, or its ``received_at``
        when its device's clock was wrong (see ``add``), so it lands on a day it can be seen.
        """
        sql = f"SELECT {', '.join(RATING_COLUMNS)} FROM ratings WHERE counted_at >= ? AND counted_at < ?"  # noqa: S608
        params: list[Any] = [since, until]
        if site_id is not None:
            sql += " AND site_id = ?"
            params.append(site_id)
        if sites is not None:
            sql += f" AND site_id IN ({_marks(sites)})"
            params += sites
        return [rating_row(r) for r in self._conn.db.query(sql + " ORDER BY counted_at, id", params)]

    def latest(self, since: str, until: str, sites: list[str] | None, limit: int) -> list[dict[str, Any]]:
        """The last ``limit`` ratings ``window`` would give, newest first, read back from the newest."""
        sql = f"SELECT {', '.join(RATING_COLUMNS)} FROM ratings WHERE counted_at >= ? AND counted_at < ?"  # noqa: S608
        params: list[Any] = [since, until]
        if sites is not None:
            sql += f" AND site_id IN ({_marks(sites)})"
            params += sites
        query = sql + " ORDER BY counted_at DESC, id DESC LIMIT ?"
        return [rating_row(r) for r in self._conn.db.query(query, [*params, limit])]

    def dead_letters(self, limit: int = 100, before_id: int | None = None) -> list[dict[str, Any]]:
        """Newest first, the payload as readable text (undecodable bytes marked) and its size."""
        sql = "SELECT * FROM dead_letters"
        params: list[Any] = []
        if before_id is not None:
            sql += " WHERE id < ?"
            params.append(before_id)
        sql += " ORDER BY id DESC LIMIT ?"
        rows = []
        for row in self._conn.db.query(sql, [*params, limit]):
            payload = row["payload"]
            row["payload"] = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
            row["payload_bytes"] = len(payload)
            rows.append(row)
        return rows

    def count_dead_letters(self) -> int:
        return int(self._conn.db.execute("SELECT count(*) FROM dead_letters").fetchone()[0])
