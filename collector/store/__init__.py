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
Decisions (which rating is negative, who may close a review) are made by the
callers; the store only records them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

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
from collector.store.ratings import DeadLetter, Ratings, SeqReset
from collector.store.releases import Releases
from collector.store.retention import Purged, Retention
from collector.store.review_outcomes import ReviewOutcomes
from collector.store.reviews import Reviews
from collector.store.rollups import Rollups
from collector.store.seq_history import SeqHistory
from collector.store.sites import Sites
from collector.store.trends import Trends
from collector.store.visits import Visits
from shared import topics
from shared.contract import Presence, Rating, Status

__all__ = [
    "SCHEMA_VERSION",
    "STARTUP_CHECK_S",
    "DatabaseDamaged",
    "DatabaseGone",
    "DatabaseMissing",
    "DeadLetter",
    "FileCheck",
    "Purged",
    "RunningCheck",
    "SeqReset",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "StoredBatch",
    "check_database_file",
    "copy_file",
    "inspect_file",
    "mark_damaged",
]


@dataclass(frozen=True)
class StoredBatch:
    new_rating_ids: list[str]
    duplicate_ids: list[str]
    negatives: list[dict[str, Any]]  # newly stored negative ratings (their reviews were opened)
    conflict_ids: list[str] = field(default_factory=list)  # duplicates whose content differed (kept as dead letters)
    presence_ids: list[str] = field(default_factory=list)  # Presence stored now or before: each is acked
    refused: dict[str, str] = field(default_factory=dict)  # rating id -> why it was rejected after classifying


class Store:
    """One object per program; each thread gets its own SQLite connection."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        """Open (``create``: or make) the database at ``path``; the collector's own rules are in opening.py."""
        self._conn = Connection(path, create=create)
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

    @property
    def path(self) -> Path:
        return self._conn.path

    def close(self) -> None:
        self._conn.close()

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

    def add_batch(
        self,
        ratings: list[Rating],
        dead_letters: list[DeadLetter],
        received_at: str,
        *,
        negative_ids: Iterable[str] = (),
        counted_on_receipt: Iterable[str] = (),
        statuses: Iterable[tuple[str, Status, bool]] = (),
        skews: dict[str, float] | None = None,
        payloads: Sequence[bytes] | None = None,
        presence: Sequence[Presence] = (),
        presence_payloads: Sequence[bytes] | None = None,
        rating_places: Mapping[str, tuple[str | None, str | None]] | None = None,
        sources: Sequence[str] | None = None,
    ) -> StoredBatch:
        """Store a whole batch in one transaction, so it is either all committed or not at all.

        Ratings idempotently (by id), a review for each newly stored rating named in
        ``negative_ids``, each rating named in ``counted_on_receipt`` counted in reports at
        ``received_at`` (its device's clock was wrong), dead letters, device statuses (device, status, live) and
        clock skews (device -> seconds ahead). A second copy of a stored id with other
        content is a conflict: kept whole (``payloads[i]`` is rating i as received) in the
        dead letters and counted for the device that sent it. ``presence`` (sign-ins and
        sign-outs, ``presence_payloads[i]`` as received) is stored by id with the same rules.

        ``rating_places`` gives the (site, desk) of ratings that came through no desk's device
        (a phone call, by rating id): their device id is an integration's, never seen as a
        device (no row on the devices page, no seq gaps or resets). ``sources[i]`` is where
        rating i came from, kept with a conflict (default: its device's MQTT topic).
        """
        negative = set(negative_ids)
        with self._conn.transaction():
            places = self.devices.places(r.device_id for r in ratings)
            runs = self.devices.seq_runs(r.device_id for r in ratings)
            own = rating_places or {}
            late = set(counted_on_receipt)
            added = self.ratings.add(ratings, received_at, places, negative, runs, late, own)
            rows, duplicates, conflicts = added.rows, added.duplicates, added.conflicts
            self.rollups.add(rows)
            self.seq_history.add((row["device_id"], run, row["seq"]) for row, run in zip(rows, added.runs, strict=True))
            negatives = [row for row in rows if row["negative"]]
            self.reviews.open([row["id"] for row in negatives], received_at)
            phones = {r.id: r.callback_phone for r in ratings if r.callback_phone}
            asked = [(row["id"], phones[row["id"]]) for row in negatives if row["id"] in phones]
            self.callbacks.add(asked, received_at)
            letters = list(dead_letters)
            for index, reason in conflicts:
                rating = ratings[index]
                raw = payloads[index] if payloads is not None else rating.to_json()
                source = sources[index] if sources is not None else topics.ratings(rating.device_id)
                letters.append(DeadLetter(source, rating.device_id, raw, reason))
            events = list(presence)
            signed = self.presence.add(events, received_at, self.devices.places(p.device_id for p in events))
            for index, reason in signed.conflicts:
                event = events[index]
                raw = presence_payloads[index] if presence_payloads is not None else event.to_json()
                letters.append(DeadLetter(topics.presence(event.device_id), event.device_id, raw, reason))
            self.ratings.add_dead_letters(letters, received_at)
            seen = [r.device_id for r in ratings if r.id not in own]
            self.devices.note_seen([*seen, *(p.device_id for p in events)], received_at)
            self.devices.note_conflicts(
                [
                    *(ratings[index].device_id for index, _ in conflicts),
                    *(events[i].device_id for i, _ in signed.conflicts),
                ]
            )
            self.devices.note_resets(added.resets, received_at)
            for device_id, status, live in statuses:
                self.devices.record_status(device_id, status, received_at, live=live)
            for device_id, skew in (skews or {}).items():
                self.devices.note_clock_skew(device_id, skew, received_at)
        conflict_ids = [ratings[index].id for index, _ in conflicts]
        presence_ids = [*signed.new_ids, *signed.duplicates]
        return StoredBatch([row["id"] for row in rows], duplicates, negatives, conflict_ids, presence_ids)

    def backup_to(self, dest: Path) -> None:
        """An online, consistent copy of this database (writers keep going under WAL)."""
        backup_to(self.path, dest)
