"""How long free-text comments are kept, and the job that blanks them on schedule.

``purge_comments`` is the rule: a comment received more than ``comments_days``
days ago is blanked (the rating, its score, reasons and review stay: ratings
are never deleted). The collector runs it at start and every hour
(``PurgeSchedule``, wired in ``collector/service.py``); ``taqyeem purge
comments`` runs it by hand. Each purge that blanked anything is logged and kept
in the ``purges`` table (``collector/store/retention.py``), which ``/healthz``
and the command show. What is kept, and for how long: docs/privacy.md.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from collector.store import Purged, Store
from shared.clock import format_time

log = logging.getLogger("taqyeem.collector.retention")
PURGE_EVERY_S = 3600.0  # a comment outlives its retention by at most an hour


@dataclass(frozen=True)
class CommentPurge:
    """What one purge did (or, in a dry run, would do)."""

    cutoff: str  # comments received before this time are blanked
    purged: Purged
    dry_run: bool


def comment_cutoff(now: datetime, days: int) -> str:
    """The receipt time before which a comment is past its retention."""
    return format_time(now - timedelta(days=days))


def purge_comments(store: Store, days: int, now: datetime, *, dry_run: bool = False) -> CommentPurge:
    """Blank the comments received more than ``days`` days before ``now``; idempotent."""
    cutoff = comment_cutoff(now, days)
    purged = store.retention.purge_comments(cutoff, format_time(now), dry_run=dry_run)
    if purged.total and not dry_run:
        log.info(
            "retention: blanked %d comments of ratings and %d of dead letters received before %s (kept %d days)",
            purged.ratings,
            purged.dead_letters,
            cutoff,
            days,
        )
    return CommentPurge(cutoff, purged, dry_run)


def erase_callback_numbers(store: Store, days: int, now: datetime) -> int:
    """Forget the callback numbers of reviews closed more than ``days`` days before ``now`` (docs/privacy.md)."""
    erased = store.callbacks.erase(comment_cutoff(now, days), format_time(now))
    if erased:
        log.info("retention: erased %d callback numbers (kept %d days after their review closed)", erased, days)
    return erased


def retention_state(store: Store, days: int) -> dict[str, Any]:
    """What /healthz shows of retention: the setting, the comments held, the last purge that blanked any."""
    held, oldest = store.retention.comments_held()
    last = store.retention.last_purges(1)
    return {
        "comments_days": days,
        "comments_held": held,
        "oldest_comment_received_at": oldest,
        "last_purge": {k: last[0][k] for k in ("ran_at", "cutoff", "ratings", "dead_letters")} if last else None,
    }


class PurgeSchedule:
    """A daemon thread that purges at start and then every ``every_s`` seconds until stopped."""

    def __init__(
        self,
        store: Store,
        days: int,
        every_s: float = PURGE_EVERY_S,
        clock: Callable[[], datetime] | None = None,
        callback_days: int = 30,
    ) -> None:
        self.store = store
        self.days = days
        self.callback_days = callback_days
        self.every_s = every_s
        self.clock = clock or (lambda: datetime.now(UTC))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="retention-purge", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def run_once(self) -> CommentPurge | None:
        try:
            forgotten = self.store.visits.purge_phones(format_time(self.clock()))
            if forgotten:
                log.info("retention: forgot the phone numbers of %d used or expired rating links", forgotten)
        except Exception:  # the comments are still worth purging
            log.exception("retention: forgetting the phone numbers of used or expired rating links failed")
        try:
            erase_callback_numbers(self.store, self.callback_days, self.clock())
        except Exception:  # the comments are still worth purging
            log.exception("retention: erasing the visitors' callback numbers failed")
        try:
            return purge_comments(self.store, self.days, self.clock())
        except Exception:  # a locked or full database: the next run tries again
            log.exception("retention: purging old comments failed; trying again in %.0f s", self.every_s)
            return None

    def _run(self) -> None:
        while True:
            self.run_once()
            if self._stop.wait(self.every_s):
                return
