"""Who serves at the desk, as contract messages: the Presence events a sign-in or sign-out makes (pure).

``device/core.py`` stores what these functions return in the outbox, together with
the new signed-in employee, in one transaction (``device/outbox.py:Outbox.change_presence``).
"""

from __future__ import annotations

from datetime import datetime

from shared.clock import format_time, uuid7
from shared.contract import Presence, PresenceCause, PresenceEvent


def presence_event(
    device_id: str, employee_id: str, event: PresenceEvent, cause: PresenceCause, moment: datetime
) -> Presence:
    """One sign-in or sign-out, with a time-ordered id made on the device (its idempotency key)."""
    return Presence(
        id=str(uuid7(int(moment.timestamp() * 1000))),
        device_id=device_id,
        employee_id=employee_id,
        event=event,
        cause=cause,
        at=format_time(moment),
    )


def sign_in_events(
    device_id: str, current: str | None, employee_id: str, cause: PresenceCause, moment: datetime
) -> list[Presence]:
    """What signing ``employee_id`` in says; whoever else was signed in is signed out first ("replaced").

    The same employee signing in again says nothing: their sign-in still stands.
    """
    if current == employee_id:
        return []
    events = [] if current is None else [presence_event(device_id, current, "sign_out", "replaced", moment)]
    return [*events, presence_event(device_id, employee_id, "sign_in", cause, moment)]


def sign_out_events(device_id: str, current: str | None, cause: PresenceCause, moment: datetime) -> list[Presence]:
    """What signing out says: nothing when nobody was signed in."""
    return [] if current is None else [presence_event(device_id, current, "sign_out", cause, moment)]
