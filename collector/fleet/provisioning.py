"""Provision desk tablets: broker credentials, the retained DeviceConfig and an enrolment bundle.

Plain functions over three collaborators, so tests and the CLI pass real or
fake ones:

- ``Store``: the collector database (which device serves which desk, and a log
  of who provisioned, replaced and revoked what);
- a ``BrokerAdmin`` (fleet/broker.py): creates and removes broker accounts;
  ``PasswordFileAdmin`` edits mosquitto's password file and makes mosquitto
  reload it, which cuts a revoked tablet at once;
- a ``ConfigPublisher`` (fleet/config_publisher.py): publishes (or clears) a
  device's retained config (``RetainedConfigPublisher``, or a fake).

The bundle a new tablet gets is written by fleet/enrolment.py. Failures raise
``ProvisioningError`` or ``ConfigPublishError`` (fleet/errors.py).

The device's topics need no per-device grant: the broker's ACL gives every
account exactly its own topics by username (``pattern ... taqyeem/v1/devices/%u/...``)
and the username is the device id.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from collector.fleet.broker import BrokerAdmin
from collector.fleet.config_publisher import ConfigPublisher
from collector.fleet.enrolment import Bundle, BundleOptions, Enrolment, write_bundle
from collector.fleet.errors import ProvisioningError
from collector.fleet.releases import with_release
from collector.fleet.staff import publish_staffed, staffed
from collector.store import Store, StoreError
from shared.contract import DEFAULT_SURVEY, NAME_PATTERN, DeviceConfig

__all__ = [
    "ProvisioningError",
    "new_device_id",
    "provision_account",
    "provision_device",
    "register_device",
    "replace_device",
    "resolve_desk_config",
    "revoke_account",
    "revoke_device",
]


def new_device_id(site_id: str, desk_id: str) -> str:
    """``{site}-{desk}-{6 hex}``: readable in logs and never reused."""
    stem = f"{site_id}-{desk_id}"[:55].rstrip("-")
    return f"{stem}-{secrets.token_hex(3)}"


def _check_ids(**ids: str) -> None:
    for what, value in ids.items():
        if not re.fullmatch(NAME_PATTERN, value):
            raise ProvisioningError(
                f"{what} id {value!r} must be lowercase letters, digits and '-' (2-63), like riyadh-hq or desk-12"
            )


def resolve_desk_config(
    store: Store, site_id: str, desk_id: str, label_ar: str | None = None, label_en: str | None = None
) -> DeviceConfig:
    """The desk's config from ``sites apply``; labels override its names, or name a desk not in the file."""
    _check_ids(site=site_id, desk=desk_id)
    config = store.sites.desk_config(site_id, desk_id)
    if config is None:
        if not (label_ar and label_en):
            raise ProvisioningError(
                f"desk {desk_id} of site {site_id} is not configured; add it to sites.toml "
                "and run `taqyeem sites apply`, or pass --label-ar and --label-en"
            )
        # Like a desk of sites.toml whose site has no [sites.survey]: the shipped survey.
        return DeviceConfig(
            site_id=site_id, desk_id=desk_id, desk_name_ar=label_ar, desk_name_en=label_en, survey=DEFAULT_SURVEY
        )
    updates = {k: v for k, v in (("desk_name_ar", label_ar), ("desk_name_en", label_en)) if v}
    return DeviceConfig.model_validate({**config.model_dump(), **updates})


def provision_device(
    store: Store,
    admin: BrokerAdmin,
    publisher: ConfigPublisher,
    options: BundleOptions,
    *,
    config: DeviceConfig,
    actor: str,
    now: str,
    replaces: str | None = None,
) -> Bundle:
    """Register a new device for ``config``'s desk, give it an account and its config, write its bundle.

    Anything done before a failure is undone, so the command can simply be run again.
    """
    ca_pem = options.check()
    device_id = new_device_id(config.site_id, config.desk_id)
    enrolment = Enrolment(device_id, options.broker_url, secrets.token_urlsafe(32), ca_pem)
    data = {"site_id": config.site_id, "desk_id": config.desk_id, **({"replaces": replaces} if replaces else {})}
    try:
        store.devices.provision(device_id, config, actor, now, data)
    except StoreError as exc:
        raise ProvisioningError(str(exc)) from None
    try:
        admin.add_device(device_id, enrolment.password)
        # The site's staff from the registry and the release its desk should run; the database keeps it without.
        published = with_release(store, device_id, staffed(store, config))
        publish_staffed(store, publisher, device_id, published)
        return write_bundle(enrolment, options, site_id=config.site_id, desk_id=config.desk_id, config=published)
    except BaseException:
        _undo(store, admin, device_id, actor, now)
        raise


def _undo(store: Store, admin: BrokerAdmin, device_id: str, actor: str, now: str) -> None:
    try:
        admin.remove_device(device_id)
    finally:
        store.devices.revoke(device_id, actor, now, {"reason": "provisioning failed"})


def _known_device(store: Store, device_id: str) -> dict[str, Any]:
    row = store.devices.get(device_id)
    if row is None or not row["provisioned"]:
        raise ProvisioningError(f"no provisioned device {device_id!r}; see `taqyeem provision list`")
    return row


def revoke_device(
    store: Store, admin: BrokerAdmin, *, device_id: str, actor: str, now: str, reason: str = "revoked"
) -> None:
    """Remove the account (its open connection drops at once); its ratings and history stay.

    Its retained config is left in place: only its own account (now gone) and the
    collector may read it, and clearing it would send the tablet an empty message
    in the moment before mosquitto drops it.
    """
    row = _known_device(store, device_id)
    admin.remove_device(device_id)  # first: whatever fails later, the tablet is out
    store.enrolment_codes.revoke(device_id, now)  # a code still waiting would hand out a dead password
    if row["revoked_at"] is None:
        store.devices.revoke(device_id, actor, now, {"reason": reason})


def replace_device(
    store: Store,
    admin: BrokerAdmin,
    publisher: ConfigPublisher,
    options: BundleOptions,
    *,
    device_id: str,
    actor: str,
    now: str,
) -> Bundle:
    """A new tablet (new device id) for the old one's desk; the old account stops at once.

    Ratings are stored with their site and desk, so the desk's history spans both tablets.
    """
    row = _known_device(store, device_id)
    if row["revoked_at"] is not None:
        raise ProvisioningError(
            f"device {device_id} was revoked at {row['revoked_at']}; provision a new one "
            f"with `taqyeem provision device --site {row['site_id']} --desk {row['desk_id']}`"
        )
    if any(e["kind"] == "provisioned" and e["data"].get("account") for e in store.devices.events(device_id)):
        raise ProvisioningError(
            f"device {device_id} has its account at a bridged centre: register a new device for its desk "
            "(`taqyeem provision register`), give it an account there, then revoke this one on both sides"
        )
    config = store.sites.desk_config(row["site_id"], row["desk_id"]) or store.devices.config(device_id)
    if config is None:
        raise ProvisioningError(f"device {device_id} has no desk; use `taqyeem provision device` instead")
    bundle = provision_device(store, admin, publisher, options, config=config, actor=actor, now=now, replaces=device_id)
    revoke_device(store, admin, device_id=device_id, actor=actor, now=now, reason=f"replaced by {bundle.device_id}")
    return bundle


# --- a bridged centre: the registration at HQ, the account at the centre -------------
#
# A centre's desks sign in to the centre's own broker, but the collector (and the
# database that gives ratings their site and desk) is at HQ. IT does two halves,
# HQ first: ``register_device`` makes the device id, registers it for its desk and
# publishes its retained config (the bridge carries it to the centre); then
# ``provision_account`` on the centre's broker machine creates that id's account
# and the bundle. In this order a tablet cannot sign in before HQ can place its
# ratings (the kiosk rates before its config arrives: an unregistered device's
# ratings would be stored without site and desk), the desk is checked against
# HQ's sites before anything is made, and the password never leaves the centre.


def register_device(store: Store, publisher: ConfigPublisher, *, config: DeviceConfig, actor: str, now: str) -> str:
    """HQ's half: a new device id for ``config``'s desk, registered and sent its retained config.

    No broker account is made here: the centre makes it with ``provision_account``.
    Returns the device id. A failure to publish leaves nothing registered.
    """
    device_id = new_device_id(config.site_id, config.desk_id)
    data = {"site_id": config.site_id, "desk_id": config.desk_id, "account": "at a bridged centre"}
    try:
        store.devices.provision(device_id, config, actor, now, data)
    except StoreError as exc:
        raise ProvisioningError(str(exc)) from None
    try:
        publish_staffed(store, publisher, device_id, with_release(store, device_id, staffed(store, config)))
    except BaseException:
        store.devices.revoke(device_id, actor, now, {"reason": "provisioning failed"})
        raise
    return device_id


def provision_account(admin: BrokerAdmin, options: BundleOptions, *, device_id: str) -> Bundle:
    """The centre's half: the account of a device registered at HQ, on this broker, and its bundle.

    Needs no database: the device's desk and config are HQ's (they come over the bridge).
    """
    _check_ids(device=device_id)
    ca_pem = options.check()
    if admin.has_device(device_id):
        raise ProvisioningError(
            f"this broker already has an account {device_id}; to give its desk a new tablet, register "
            "a new device at HQ (`taqyeem provision register`) and revoke this one"
        )
    enrolment = Enrolment(device_id, options.broker_url, secrets.token_urlsafe(32), ca_pem)
    admin.add_device(device_id, enrolment.password)
    try:
        return write_bundle(enrolment, options, site_id=None, desk_id=None, config=None)
    except BaseException:
        admin.remove_device(device_id)
        raise


def revoke_account(admin: BrokerAdmin, *, device_id: str) -> None:
    """The centre's half of a revocation: remove the account from this broker (its connection drops)."""
    if not admin.has_device(device_id):
        raise ProvisioningError(f"this broker has no account {device_id!r}; check the device id")
    admin.remove_device(device_id)
