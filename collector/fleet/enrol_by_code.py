"""Enrolment by code: a one-time code that hands a new tablet its bundle over HTTPS (issue 13).

``issue_code`` seals a bundle's enrolment (collector/fleet/enrol_codes.py) under a new
code and keeps only the code's hash and the sealed payload; the tablet redeems
the code at ``POST /api/v1/enrol`` on the collector's ``tablet_url``. ``revoke_codes``
withdraws a device's pending codes (``taqyeem provision revoke-code``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from collector.fleet.enrol_codes import DEFAULT_CODE_HOURS, derive, expiry, new_code, normalise, payload_of, seal
from collector.fleet.enrolment import Enrolment
from collector.fleet.errors import ProvisioningError
from collector.store import Store
from shared.clock import format_time
from shared.contract import DeviceConfig


@dataclass(frozen=True)
class IssuedCode:
    code: str  # as shown: 7KQ2-M9XD-4HPA
    device_id: str
    expires_at: str
    url: str  # where the tablet redeems it: the collector's tablet_url


def issue_code(
    store: Store,
    enrolment: Enrolment,
    *,
    tablet_url: str | None,
    actor: str,
    now: datetime | None = None,
    hours: int = DEFAULT_CODE_HOURS,
    release_key: str | None = None,
    config: DeviceConfig | None = None,
) -> IssuedCode:
    """A new one-time code for ``enrolment``, valid ``hours``; refused without a ``tablet_url`` to redeem it at."""
    if not tablet_url:
        raise ProvisioningError(
            'no enrolment code made: the collector has no tablet_url; set tablet_url = "https://..." (the address '
            "tablets reach this collector at over HTTPS) in its settings, or enrol the tablet with the bundle"
        )
    if not 1 <= hours <= 24 * 14:
        raise ProvisioningError(f"--code-hours {hours}: a code lives 1 to {24 * 14} hours")
    created = now or datetime.now(UTC)
    store.enrolment_codes.forget_dead(format_time(datetime.now(UTC)))  # expired codes' sealed enrolments
    code = new_code()
    keys = derive(normalise(code))
    desk = None
    if config is not None:
        desk = {k: getattr(config, k) for k in ("site_id", "desk_id", "desk_name_ar", "desk_name_en")}
    payload = payload_of(enrolment.device_id, enrolment.broker, enrolment.password, enrolment.ca_pem, release_key, desk)
    expires_at = format_time(expiry(created, hours))
    store.enrolment_codes.add(
        {
            "lookup": keys.lookup,
            "device_id": enrolment.device_id,
            "sealed": seal(keys, payload),
            "created_at": format_time(created),
            "created_by": actor,
            "expires_at": expires_at,
        }
    )
    return IssuedCode(code, enrolment.device_id, expires_at, tablet_url.rstrip("/"))


def revoke_codes(store: Store, device_id: str, *, now: datetime | None = None) -> int:
    """Withdraw every pending code of ``device_id``; how many (ProvisioningError if none)."""
    revoked = store.enrolment_codes.revoke(device_id, format_time(now or datetime.now(UTC)))
    if revoked == 0:
        raise ProvisioningError(f"{device_id} has no pending enrolment code; see `taqyeem provision codes`")
    return revoked
