"""When a signed-in employee is signed out by the desk itself: idle or closing time. Pure.

The desk's config (PROTOCOL 1.1) gives ``sign_out_idle_min`` (minutes without a
rating; 0: never) and ``closes_at`` (the tablet's local time, HH:MM). The idle
clock starts at the sign-in and starts again at each stored rating. The closing
rule is the simplest fair one: an employee is signed out when the local time
reaches the first closing time after their sign-in (so a sign-in after closing
lasts until the next day's closing, or until the idle rule ends it first).
The kiosk applies either only at rest, never during a visitor's rating.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from shared.contract import DeviceConfig, PresenceCause


@dataclass(frozen=True)
class Duty:
    """Who the kiosk knows to be signed in, since when (local wall time), and their last activity."""

    employee_id: str
    since_local: datetime  # the tablet's local time when the kiosk saw the sign-in
    active_at: float  # monotonic seconds: the sign-in, or the last stored rating


def next_closing(after: datetime, closes_at: str) -> datetime:
    """The first ``closes_at`` (HH:MM) strictly after ``after``, in ``after``'s own time zone."""
    hours, minutes = (int(part) for part in closes_at.split(":"))
    closing = after.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    return closing if closing > after else closing + timedelta(days=1)


def due_sign_out(duty: Duty, now: float, local: datetime, config: DeviceConfig) -> PresenceCause | None:
    """``closing`` or ``idle`` when that employee's time at the desk is over, else None."""
    if config.closes_at is not None and local >= next_closing(duty.since_local, config.closes_at):
        return "closing"
    if config.sign_out_idle_min > 0 and now - duty.active_at >= config.sign_out_idle_min * 60:
        return "idle"
    return None


def follow(duty: Duty | None, employee_id: str | None, now: float, local: datetime) -> Duty | None:
    """The duty for whoever the core says is signed in: kept, started afresh, or ended."""
    if employee_id is None:
        return None
    if duty is not None and duty.employee_id == employee_id:
        return duty
    return Duty(employee_id=employee_id, since_local=local, active_at=now)


def rated(duty: Duty | None, now: float) -> Duty | None:
    """A rating was stored: the idle clock starts again."""
    return None if duty is None else replace(duty, active_at=now)
