"""Wrong PINs per employee: after five, that employee waits five minutes. Pure; kept in the outbox's settings.

Each employee has their own count, so one person's typos never lock out a
colleague. The lock is kept as a wall-clock time (seconds since the epoch) so it
survives a restart of the kiosk; the tablet's root stores it under
``setting_key(employee_id)`` with ``Outbox.set_setting``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

SETTING_PREFIX = "kiosk_pin_lock:"


def setting_key(employee_id: str) -> str:
    return SETTING_PREFIX + employee_id


@dataclass(frozen=True)
class Lockout:
    failures: int = 0  # wrong PINs in a row since the last success or the last lock
    until: float = 0.0  # locked until this wall-clock time (epoch seconds); 0: not locked

    def locked(self, wall: float) -> bool:
        return wall < self.until

    def minutes_left(self, wall: float) -> int:
        return max(1, math.ceil((self.until - wall) / 60))

    def after_failure(self, wall: float, max_attempts: int, lockout_s: float) -> Lockout:
        failures = self.failures + 1
        if failures >= max_attempts:
            return Lockout(failures=0, until=wall + lockout_s)
        return Lockout(failures=failures, until=self.until)

    def to_setting(self) -> str | None:
        """The stored form; None (delete the setting) once there is nothing to remember."""
        if self.failures == 0 and self.until == 0:
            return None
        return json.dumps({"failures": self.failures, "until": self.until})

    @classmethod
    def from_setting(cls, text: str | None) -> Lockout:
        """A damaged or missing setting counts as no failures: never a reason to refuse a sign-in."""
        if not text:
            return cls()
        try:
            data = json.loads(text)
            return cls(failures=max(0, int(data["failures"])), until=float(data["until"]))
        except (ValueError, KeyError, TypeError):
            return cls()
