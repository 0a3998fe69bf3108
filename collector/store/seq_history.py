"""Each device's seq history, kept as its ratings arrive: one row per device and run (``device_seq_runs``).

A row holds what the gaps-and-jumps rule (collector/ingest/seq_gaps.py) needs of a run:
its ratings, distinct seqs, lowest and highest seq, and the jumps among its
holes. ``add`` updates the rows of a batch's ratings in the transaction that
stores them (Store.add_batch), so the devices page, the Today page's offline
desks, ``GET /api/v1/devices`` and ``taqyeem devices list`` read one row per
device and run instead of every rating. ``fill_seq_history`` recomputes every
row from the ratings: the migration that made the table, and ``taqyeem rollups
rebuild``.

A batch's seqs are taken per run in ascending order, after they are inserted:
the usual ones, above the run's highest, are counted in one step with no lookup
(``extended``); one that lands inside the run looks up its neighbours through
the (device_id, run, seq) index.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import astuple
from typing import Any

from sqlite_utils import Database

from collector.ingest.seq_gaps import SEQ_JUMP, RunSeqs, extended, from_holes, per_device, with_late_seq
from collector.store.connection import Connection, run_statements

COLUMNS = ("device_id", "run", "ratings", "seqs", "lo", "hi", "jumps", "jumped")
_UPSERT = (
    f"INSERT INTO device_seq_runs ({', '.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))}) "  # noqa: S608
    "ON CONFLICT (device_id, run) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[2:])
)
# Per device and run of seq, from the (device_id, run, seq) index alone.
_RUNS = (
    "SELECT device_id, run, count(*) AS n, count(DISTINCT seq) AS distinct_seq, min(seq) AS lo, max(seq) AS hi "
    "FROM ratings GROUP BY device_id, run"
)
# The holes wider than a jump in one run: read only for a run whose holes add up to more than a jump.
_WIDE_HOLES = (
    "SELECT hole FROM (SELECT seq - lag(seq) OVER (ORDER BY seq) - 1 AS hole FROM "
    "(SELECT DISTINCT seq FROM ratings WHERE device_id = ? AND run = ?)) WHERE hole > ?"
)
CHUNK = 500  # device ids per IN (...)


def keep_each_devices_seq_history(db: Database) -> None:
    """Each device's runs of seq summed as ratings arrive (store/seq_history.py), filled from the ratings stored."""
    run_statements(
        db,
        """CREATE TABLE device_seq_runs (
        device_id TEXT NOT NULL,
        run INTEGER NOT NULL,
        ratings INTEGER NOT NULL,
        seqs INTEGER NOT NULL,
        lo INTEGER NOT NULL,
        hi INTEGER NOT NULL,
        jumps INTEGER NOT NULL,
        jumped INTEGER NOT NULL,
        PRIMARY KEY (device_id, run)
    ) WITHOUT ROWID""",
    )
    fill_seq_history(db)


def fill_seq_history(db: Database) -> int:
    """Replace every row with figures from the ratings; the caller holds the transaction. Returns the rows."""
    db.conn.execute("DELETE FROM device_seq_runs")
    rows = []
    for device_id, run, n, distinct, lo, hi in db.conn.execute(_RUNS).fetchall():
        holes = hi - lo + 1 - distinct  # the numbers missing between the run's lowest and highest seq
        wide = [r[0] for r in db.conn.execute(_WIDE_HOLES, [device_id, run, SEQ_JUMP])] if holes > SEQ_JUMP else []
        rows.append((device_id, *astuple(from_holes(run, n, distinct, lo, hi, wide))))
    db.conn.executemany(_UPSERT, rows)
    return len(rows)


class SeqHistory:
    """The ``device_seq_runs`` table."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, placed: Iterable[tuple[str, int, int]]) -> None:
        """Count newly stored ratings, (device_id, run, seq) each; call inside their transaction, after inserting."""
        groups: dict[tuple[str, int], list[int]] = {}
        for device_id, run, seq in placed:
            groups.setdefault((device_id, run), []).append(seq)
        if not groups:
            return
        with self._conn.transaction() as db:
            kept = self._kept(db, {device_id for device_id, _ in groups})
            changed = []
            for (device_id, run), seqs in groups.items():
                runs = kept.get((device_id, run))
                ordered = sorted(seqs)
                above = 0 if runs is None else bisect_right(ordered, runs.hi)  # where the usual ones begin
                for index in range(above):  # a late seq, within the run or below it: rare
                    runs = self._with(db, runs, device_id, run, ordered[index], ordered[index + 1 :])
                runs = extended(runs, run, ordered[above:])
                if runs is not None:
                    changed.append((device_id, *astuple(runs)))
            db.conn.executemany(_UPSERT, changed)

    def _with(
        self, db: Database, runs: RunSeqs | None, device_id: str, run: int, seq: int, later: list[int]
    ) -> RunSeqs:
        """The run's figures with a late ``seq`` counted; ``later``: the batch's higher seqs of the run (inserted too).

        Looks up what the rule (``with_late_seq``) needs of a seq strictly inside the run: its
        copies in the run and its nearest neighbours stored before.
        """
        if runs is None or not runs.lo < seq < runs.hi:  # the rule needs nothing of the ratings stored
            return with_late_seq(runs, run, seq, 1, None, None)
        key = [device_id, run, seq]
        copies = db.conn.execute(
            "SELECT count(*) FROM ratings WHERE device_id = ? AND run = ? AND seq = ?", key
        ).fetchone()[0]
        below = db.conn.execute(
            "SELECT max(seq) FROM ratings WHERE device_id = ? AND run = ? AND seq < ?", key
        ).fetchone()[0]
        # The nearest seq above that was stored before: the batch's higher seqs are inserted already.
        skip = ",".join("?" * len(later))
        above = db.conn.execute(
            f"SELECT seq FROM ratings WHERE device_id = ? AND run = ? AND seq > ? AND seq NOT IN ({skip}) "  # noqa: S608
            "ORDER BY seq LIMIT 1",
            [*key, *later],
        ).fetchone()[0]
        return with_late_seq(runs, run, seq, copies, below, above)

    def _kept(self, db: Database, device_ids: set[str]) -> dict[tuple[str, int], RunSeqs]:
        ids = sorted(device_ids)
        kept: dict[tuple[str, int], RunSeqs] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            sql = f"SELECT {', '.join(COLUMNS)} FROM device_seq_runs WHERE device_id IN ({','.join('?' * len(chunk))})"  # noqa: S608
            for row in db.conn.execute(sql, chunk):
                kept[(row[0], row[1])] = RunSeqs(*row[1:])
        return kept

    def rebuild(self) -> int:
        """Recompute every row from the ratings, in one transaction; returns the rows (device and run)."""
        with self._conn.transaction() as db:
            return fill_seq_history(db)

    def runs(self) -> list[tuple[str, RunSeqs]]:
        """Every device's runs, as kept (device_id, figures), in key order."""
        sql = f"SELECT {', '.join(COLUMNS)} FROM device_seq_runs ORDER BY device_id, run"  # noqa: S608
        return [(row[0], RunSeqs(*row[1:])) for row in self._conn.db.execute(sql)]

    def by_device(self) -> dict[str, dict[str, Any]]:
        """Per device: ratings, the highest seq of each run, gaps within runs, and jumps (``seq_gaps.per_device``)."""
        return {
            device_id: {"ratings": seqs.ratings, "gaps": seqs.gaps, "jumps": seqs.jumps, "runs": seqs.last_seqs}
            for device_id, seqs in per_device(self.runs()).items()
        }
