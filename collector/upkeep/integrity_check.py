"""The whole integrity check of a database too big to check before serving, followed once the collector serves.

The start waits for SQLite's ``quick_check`` at most ``startup_check_s``
(collector/store/opening.py), so the broker's backlog starts draining within
seconds whatever the file's size. A check not finished by then goes on in its
own thread, read-only, beside the writer; ``IntegrityCheck`` waits for its
verdict. If it found damage, the store is told (``Store.found_damaged``): from
then on ``check_file`` raises with the cause, so the writer acks nothing more,
stops, and the collector exits for systemd, as for a vanished file
(collector/ingest/write_health.py), while ``/healthz`` answers 503 with the cause. The
finding is written beside the file, so the restart refuses the same file at once
instead of serving it again.
"""

from __future__ import annotations

import logging
import threading

from collector.store import RunningCheck, Store, mark_damaged

log = logging.getLogger("taqyeem.collector.store")


class IntegrityCheck:
    """Follows one ``RunningCheck`` of the store's file; ``stop`` cancels it (the process is ending)."""

    def __init__(self, store: Store, running: RunningCheck) -> None:
        self._store = store
        self._running = running
        self._thread = threading.Thread(target=self._follow, name="integrity-verdict", daemon=True)
        self.finished = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Cancel the check without waiting: SQLite's pass over the b-trees stops only at its end (daemon threads)."""
        self._running.cancel()

    def _follow(self) -> None:
        try:
            self._running.wait()
            cause, failure = self._running.cause, self._running.failure
            if cause is not None:
                self._store.found_damaged(cause)
                log.critical("the integrity check after start found: %s; nothing more is acked", cause)
                try:
                    mark_damaged(self._store.path, cause)
                except OSError as exc:
                    log.error("could not note the damage beside the file (%s); the next start checks it again", exc)
            elif failure is not None:
                log.warning("the integrity check of %s could not run (%s); unchecked", self._store.path, failure)
            elif not self._running.cancelled:
                log.info("the integrity check of %s finished: ok", self._store.path)
        finally:
            self.finished.set()
