"""Whether the collector's writer can commit: what /healthz reports, kept by the writer itself.

The writer is the one that knows: every batch is a real commit, and when no
message comes for a while it commits a tiny probe (``Store.probe_write``). A
failure (locked past busy_timeout, disk full, read-only, malformed) makes the
state ``failing`` with its cause until a commit succeeds again; a database
file that is no longer at its path makes it ``stopped`` for good: the
collector stops acking and exits for systemd to restart it once IT has acted.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from shared.clock import format_time

log = logging.getLogger("taqyeem.collector.ingest")

OK, FAILING, STOPPED = "ok", "failing", "stopped"


@dataclass(frozen=True)
class WriteState:
    state: str  # ok, failing (retrying, nothing acked meanwhile) or stopped (never acks again)
    cause: str | None = None
    since: str | None = None


class WriteHealth:
    """Thread-safe: the writer thread records, request threads read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = WriteState(OK)
        self.stopped = threading.Event()

    def now(self) -> WriteState:
        with self._lock:
            return self._state

    def committed(self) -> None:
        with self._lock:
            previous, self._state = self._state, WriteState(OK)
        if previous.state == FAILING:
            log.warning("the database takes writes again (failing since %s)", previous.since)

    def failing(self, cause: str) -> None:
        """Log once per new cause, not once per retry."""
        with self._lock:
            previous = self._state
            if previous.state == STOPPED:
                return
            since = previous.since if previous.state == FAILING else format_time(datetime.now(UTC))
            self._state = WriteState(FAILING, cause, since)
        if previous.cause != cause:
            log.error("%s; retrying every second, nothing is acked meanwhile", cause)

    def stop(self, cause: str) -> None:
        with self._lock:
            self._state = WriteState(STOPPED, cause, format_time(datetime.now(UTC)))
        log.critical(
            "%s; stopped acking and exiting. Put the file back, or restore the latest backup "
            "(taqyeem restore), then start the collector (docs/deployment.md, 'When the collector refuses')",
            cause,
        )
        self.stopped.set()
