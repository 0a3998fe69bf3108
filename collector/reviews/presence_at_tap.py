"""Whether the rated employee was signed in at the desk at the tap (contract 1.1, Presence).

``at_tap`` is the rule (pure); ``presence_at_tap`` reads the sign-in log for it.
Both times come from the same device's clock (the rating's ``created_at`` and each
Presence's ``at``), so a tablet whose clock is off still compares them rightly.
"""

from __future__ import annotations

from typing import Any, Literal

from collector.store import Store

AtTap = Literal["signed_in", "not_signed_in", "no_record"]


def at_tap(rating_employee_id: str | None, latest: dict[str, Any] | None) -> dict[str, Any]:
    """What the sign-in log says about a rating, from the desk's last Presence at or before its tap.

    ``state``: ``signed_in`` (the rating's employee was signed in there, ``since`` when),
    ``not_signed_in`` (nobody was, or another employee: ``signed_in_employee_id``), or
    ``no_record`` (the desk sent no sign-in or sign-out before the tap: the log cannot tell).
    """
    if latest is None:
        return {"state": "no_record", "since": None, "signed_in_employee_id": None}
    who = latest["employee_id"] if latest["event"] == "sign_in" else None
    state: AtTap = "signed_in" if who is not None and who == rating_employee_id else "not_signed_in"
    return {"state": state, "since": latest["at"] if who is not None else None, "signed_in_employee_id": who}


def presence_at_tap(store: Store, rating: dict[str, Any]) -> dict[str, Any]:
    """``at_tap`` for a stored rating (as the store returns it)."""
    return at_tap(rating["employee_id"], store.presence.latest_at(rating["device_id"], rating["created_at"]))
