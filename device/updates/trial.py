"""The trial of a switched version, and the pure rule that decides when to roll it back.

A switch writes a ``Trial`` (``layout.py`` keeps it as ``trial.json``); the new version removes
it once its MQTT link is up and its ``online`` status is published (``updater.py``). Until then
``taqyeem-device update-check``, from the base install, counts the kiosk's starts and watches
the time (``rollback.py``). Time is the system's monotonic clock within one boot: a Pi has no
real-time clock, and its wall clock may jump when NTP answers; after a reboot the trial's time
starts again, its count of starts does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

MAX_STARTS = 3  # more starts than this without coming online: the version crashes
TRIAL_S = 300.0  # the default time a new version has to come online


class Trial(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    version: str  # the version switched to
    slot: str  # the slot it runs from
    previous: str | None  # the slot ``current`` pointed to before; None: the base install
    previous_version: str
    started_at: str  # wall clock of the switch, for people reading the file
    boot_id: str  # the boot the monotonic time below belongs to
    started_mono: float
    starts: int = 0


@dataclass(frozen=True)
class Verdict:
    trial: Trial  # the trial to keep (starts counted, clock restarted after a reboot)
    roll_back: str | None = None  # why to roll back now, or None


def judge(trial: Trial, *, boot_id: str, mono: float, starting: bool, trial_s: float = TRIAL_S) -> Verdict:
    """Count a start, restart the clock after a reboot, and say whether the trial has failed."""
    if boot_id != trial.boot_id:
        trial = trial.model_copy(update={"boot_id": boot_id, "started_mono": mono})
    if starting:
        trial = trial.model_copy(update={"starts": trial.starts + 1})
        if trial.starts > MAX_STARTS:
            return Verdict(
                trial,
                f"{trial.version} started {MAX_STARTS} times without coming online (it crashes: see "
                f"journalctl -u taqyeem-kiosk); {trial.previous_version} runs again",
            )
    if mono - trial.started_mono > trial_s:
        return Verdict(
            trial,
            f"{trial.version} did not come online within {trial_s / 60:g} min of the switch (check the broker "
            f"link and journalctl -u taqyeem-kiosk); {trial.previous_version} runs again",
        )
    return Verdict(trial)
