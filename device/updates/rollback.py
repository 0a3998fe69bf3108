"""``taqyeem-device update-check``: roll back a switched version that crashes or never comes online.

It runs from the base install (never from a slot: the unit clears ``PYTHONPATH`` for it), so a
release that cannot even be imported is still rolled back. systemd runs it twice over:
``ExecStartPre`` of the kiosk unit (``starting``: counts each start of a version on trial) and a
timer every minute (the trial's time). A rollback points ``current`` back where it pointed
before, keeps the reason in ``update.json`` for the next status, and marks the version so it is
not taken again until the config names another.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from device.updates.layout import Releases, boot_id
from device.updates.trial import TRIAL_S, Trial, judge
from shared.clock import format_time
from shared.releases import UpdateReport

log = logging.getLogger("taqyeem.device.updates")


@dataclass(frozen=True)
class CheckResult:
    rolled_back: str | None = None  # the reason, when this check rolled a version back
    on_trial: str | None = None  # the version still on trial


def check(releases: Releases, *, starting: bool, trial_s: float = TRIAL_S) -> CheckResult:
    """Count a start (``starting``) and roll back a trial that has failed; under the releases lock."""
    with releases.lock():
        try:
            trial = releases.read_trial()
        except ValueError as exc:  # no trustworthy "previous": the base install is the one known to work
            log.error("%s; going back to the base install", exc)
            releases.point_current(None)
            releases.drop_trial()
            return CheckResult(rolled_back=f"{exc}; the base install runs again")
        if trial is None:
            return CheckResult()
        verdict = judge(trial, boot_id=boot_id(), mono=time.monotonic(), starting=starting, trial_s=trial_s)
        if verdict.roll_back is None:
            releases.write_trial(verdict.trial)
            return CheckResult(on_trial=trial.version)
        roll_back(releases, verdict.trial, verdict.roll_back)
        return CheckResult(rolled_back=verdict.roll_back)


def roll_back(releases: Releases, trial: Trial, reason: str) -> None:
    """Point ``current`` back, and record why (the caller holds the lock)."""
    releases.point_current(trial.previous)
    record = releases.read_record()
    record.report = UpdateReport(
        version=trial.version, state="rolled_back", reason=reason[:300], at=format_time(datetime.now(UTC))
    )
    record.rolled_back = trial.version
    record.ready = record.ready_slot = None
    releases.write_record(record)
    releases.drop_trial()
    log.error("rolled back %s: %s", trial.version, reason)


def forget_refusals(releases: Releases) -> UpdateReport | None:
    """IT's ``update-check --retry``: take the config's release again even if it was refused or rolled back."""
    with releases.lock():
        record = releases.read_record()
        record.refused = record.refused_key = None
        record.rolled_back = None
        releases.write_record(record)
        return record.report
