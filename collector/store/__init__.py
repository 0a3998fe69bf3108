"""The collector's SQLite store: the only package on the collector that runs SQL.

``Store(path)`` owns the connection and gives one object per family of tables::

    store.ratings    ratings and dead letters                               ratings.py
    store.reviews    reviews, their history, the alert log, digest claims   reviews.py
    store.hearings   formal warnings approved, appeals and their decisions  hearings.py
    store.devices    devices, status, clock skew, the provisioning log      devices.py
                     and each tablet's health and update report             device_health.py
    store.sites      sites, sections, desks, names of places                sites.py
    store.accounts   users, sessions, login failures, user events, tokens   accounts.py
    store.rollups    daily score counts the reports read                    rollups.py
                     and daily sums of survey answers and languages         answer_rollups.py
                     and the score counts summed per month                  month_rollups.py
                     and daily sums of visits recorded and rated            visit_rollups.py
                     and of the ratings not attributable to their employee  excluded_rollups.py
    store.themes     daily counts of the comments' themes, outliving them   theme_rollups.py
                     and of the visitors' reasons on negatives              reason_rollups.py
    store.review_outcomes  reviews closed in a span: causes, actions       review_outcomes.py
    store.seq_history  each device's runs of seq, kept as ratings arrive    seq_history.py
    store.presence   the sign-in log: who was signed in at which desk when  presence.py
    store.employees  the employee registry: names, site, PIN hashes, changes employees.py
    store.answers    the survey's answers, counted per question             answers.py
    store.retention  comments blanked after their time, the log of purges   retention.py
    store.visits     visits and calls recorded, single-use rating links     visits.py
    store.releases   tablet program releases, roll-out targets, their log   releases.py
    store.enrolment_codes  one-time codes of new tablets (hash, sealed)    enrol_codes.py

The span-and-sites filter the period counts share is in scope.py; the rollups'
local day of a UTC time in local_days.py.
Schema changes are named steps (store/migrations.py). Ratings are never deleted,
and never updated but for retention blanking an old comment (retention.py);
reviews keep an append-only history. One writer thread writes (ingest); web and
API requests read through their own connections.
Decisions (which rating is negative, which counts on the day it arrived, who may
close a review, which copy of an id is a conflict, which seq starts a new run) are
made by the callers; the store reads what they need and records what they decide
(collector/ingest/batch.py hands it a batch with the decisions of the pure rules in
collector/ingest/). The records a batch travels in are collector/ingest/batch_records.py's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from sqlite_utils import Database

from collector.ingest.batch_records import Batch, DeadLetter, StoredBatch
from collector.store.accounts import Accounts
from collector.store.answers import Answers
from collector.store.callbacks import Callbacks
from collector.store.connection import Connection, DatabaseGone, StoreError, StoreUnavailable
from collector.store.devices import Devices
from collector.store.employees import Employees
from collector.store.enrol_codes import EnrolmentCodes
from collector.store.files import backup_to, copy_file, inspect_file
from collector.store.hearings import Hearings
from collector.store.migrations import SCHEMA_VERSION, migrate
from collector.store.opening import (
    STARTUP_CHECK_S,
    DatabaseDamaged,
    DatabaseMissing,
    FileCheck,
    RunningCheck,
    check_database_file,
    mark_damaged,
)
from collector.store.presence import PresenceLog
from collector.store.ratings import Ratings
from collector.store.releases import Releases
from collector.store.retention import Purged, Retention
from collector.store.review_outcomes import ReviewOutcomes
from collector.store.review_owners import ReviewOwners
from collector.store.reviews import Reviews
from collector.store.rollups import Rollups
from collector.store.seq_history import SeqHistory
from collector.store.sites import Sites
from collector.store.theme_rollups import ThemeSums
from collector.store.trends import Trends
from collector.store.visits import Visits
from shared import topics

__all__ = [
    "SCHEMA_VERSION",
    "STARTUP_CHECK_S",
    "DatabaseDamaged",
    "DatabaseGone",
    "DatabaseMissing",
    "FileCheck",
    "Purged",
    "RunningCheck",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "check_database_file",
    "copy_file",
    "inspect_file",
    "mark_damaged",
]


class Store:
    """One object per program; each thread gets its own SQLite connection."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        """Open (``create``: or make) the database at ``path``; the collector's own rules are in opening.py."""
        self._conn = Connection(path, create=create)
        self._before_close: list[Callable[[], None]] = []
        try:
            migrate(self._conn.db)
        except sqlite3.Error as exc:
            self.close()
            raise StoreError(
                f"cannot use {path} as the collector database: {exc}; "
                "point --db at a Taqyeem SQLite file or at a new path in a writable folder"
            ) from None
        self.ratings = Ratings(self._conn)
        self.answers = Answers(self._conn)
        self.reviews = Reviews(self._conn)
        self.hearings = Hearings(self._conn)
        self.review_owners = ReviewOwners(self._conn)
        self.devices = Devices(self._conn)
        self.sites = Sites(self._conn)
        self.accounts = Accounts(self._conn)
        self.rollups = Rollups(self._conn)
        self.review_outcomes = ReviewOutcomes(self._conn)
        self.seq_history = SeqHistory(self._conn)
        self.presence = PresenceLog(self._conn)
        self.employees = Employees(self._conn)
        self.retention = Retention(self._conn)
        self.visits = Visits(self._conn)
        self.releases = Releases(self._conn)
        self.enrolment_codes = EnrolmentCodes(self._conn)
        self.trends = Trends(self._conn)
        self.callbacks = Callbacks(self._conn)
        self.themes = ThemeSums(self._conn)

    @property
    def path(self) -> Path:
        return self._conn.path

    def close(self) -> None:
        """Stop the threads that read this store (``before_close``), then close every thread's connection:
        closing a connection another thread is querying would crash the process, not raise.
        """
        for stop in reversed(self._before_close):
            stop()
        self._conn.close()

    def before_close(self, stop: Callable[[], None]) -> None:
        """Call ``stop`` (which must return once its threads no longer query) when this store closes."""
        self._before_close.append(stop)

    def ping(self) -> bool:
        return self._conn.ping()

    def check_file(self) -> None:
        """Raise DatabaseGone unless the path still names the file this store opened (one os.stat), undamaged."""
        self._conn.check_file()

    def found_damaged(self, cause: str) -> None:
        """The file was found damaged while served: ``check_file`` raises from now on, so nothing more is acked."""
        self._conn.found_damaged(cause)

    def probe_write(self) -> None:
        """Commit one tiny real write; StoreUnavailable says why writes fail (full, read-only, locked...)."""
        self._conn.probe_write()

    def transaction(self) -> AbstractContextManager[Database]:
        """One write transaction (the lock taken at BEGIN) around calls to several families."""
        return self._conn.transaction()

    def add_batch(self, batch: Batch, received_at: str) -> StoredBatch:
        """Record a whole batch in one transaction, so it is either all committed or not at all.

        The batch comes with the rules' decisions (collector/ingest/batch.py), recorded as
        handed: the new ratings of ``batch.copies``, each in its run of seq (``batch.runs``),
        and the resets; a review for each one named in ``batch.negative_ids``; each one named
        in ``batch.counted_on_receipt`` counted in reports at ``received_at`` (its device's
        clock was wrong); dead letters, device statuses (device, status, live) and clock
        skews (device -> seconds ahead). A conflict (a stored id with other content) is kept
        whole (``batch.payloads[i]`` is rating i as received) in the dead letters and counted
        for the device that sent it. Presence (``batch.presence_copies``, ``presence_payloads[i]``
        as received) is stored by id with the same rules.

        ``batch.rating_places`` gives the (site, desk) of ratings that came through no desk's
        device (a phone call, by rating id): their device id is an integration's, never seen as
        a device (no row on the devices page, no seq gaps or resets). ``batch.sources[i]`` is
        where rating i came from, kept with a conflict (default: its device's MQTT topic).
        """
        copies, signed = batch.copies, batch.presence_copies
        if copies is None or signed is None:
            raise StoreError(
                "a batch is recorded once sorted against the copies stored: "
                "collector.ingest.batch.sorted_against_store (store_batch does it)"
            )
        ratings, payloads, sources, own = batch.ratings, batch.payloads, batch.sources, batch.rating_places
        with self._conn.transaction():
            places = self.devices.places(rating.device_id for rating, _ in copies.new)
            negative, late = set(batch.negative_ids), set(batch.counted_on_receipt)
            rows = self.ratings.add(copies.new, batch.runs, received_at, places, negative, late, own)
            self.rollups.add(rows)
            self.themes.add(rows)
            self.seq_history.add((row["device_id"], run, row["seq"]) for row, run in zip(rows, batch.runs, strict=True))
            negatives = [row for row in rows if row["negative"]]
            self.reviews.open([row["id"] for row in negatives], received_at)
            phones = {r.id: r.callback_phone for r in batch.ratings if r.callback_phone}
            asked = [(row["id"], phones[row["id"]]) for row in negatives if row["id"] in phones]
            self.callbacks.add(asked, received_at)
            letters = list(batch.dead_letters)
            for index, reason in copies.conflicts:
                rating = ratings[index]
                raw = payloads[index] if payloads is not None else rating.to_json()
                source = sources[index] if sources is not None else topics.ratings(rating.device_id)
                letters.append(DeadLetter(source, rating.device_id, raw, reason))
            events = batch.presence
            at_desks = self.devices.places(event.device_id for event, _ in signed.new)
            presence_ids = [*self.presence.add(signed.new, received_at, at_desks), *signed.duplicates]
            for index, reason in signed.conflicts:
                event = events[index]
                raw = batch.presence_payloads[index] if batch.presence_payloads is not None else event.to_json()
                letters.append(DeadLetter(topics.presence(event.device_id), event.device_id, raw, reason))
            self.ratings.add_dead_letters(letters, received_at)
            seen = [r.device_id for r in ratings if r.id not in own]
            self.devices.note_seen([*seen, *(p.device_id for p in events)], received_at)
            self.devices.note_conflicts(
                [
                    *(ratings[index].device_id for index, _ in copies.conflicts),
                    *(events[i].device_id for i, _ in signed.conflicts),
                ]
            )
            self.devices.note_resets(batch.resets, received_at)
            for device_id, status, live in batch.statuses:
                self.devices.record_status(device_id, status, received_at, live=live)
            for device_id, skew in batch.skews.items():
                self.devices.note_clock_skew(device_id, skew, received_at)
        conflict_ids = [ratings[index].id for index, _ in copies.conflicts]
        return StoredBatch([row["id"] for row in rows], copies.duplicates, negatives, conflict_ids, presence_ids)

    def backup_to(self, dest: Path) -> None:
        """An online, consistent copy of this database (writers keep going under WAL)."""
        backup_to(self.path, dest)
