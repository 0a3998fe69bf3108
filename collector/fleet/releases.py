"""The release a device's retained config carries (``DeviceConfig.release``), and its download link.

The version a device should run is its desk's target, else its site's, else the fleet's
(``applying_target``, pure). The config then carries that release with a download link made
for this device: ``{tablet_url}/api/v1/releases/{version}/download?device=...&token=...``, the
token an HMAC-SHA256 of the device id and the version under a random key the database keeps
(``download_secret``), so the link is the credential: only that device reads its retained config.

Every path that publishes a config passes it through ``with_release`` (provisioning, ``sites
apply``, the registry's republishing, a roll-out), so a config republished for another reason
keeps its release.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from collector.store import Store
from shared.clock import format_time
from shared.contract import DeviceConfig
from shared.releases import Release

Target = Mapping[str, Any]  # a release_targets row: site_id, desk_id ('' for wider), version, tablet_url


def applying_target(targets: Iterable[Target], site_id: str | None, desk_id: str | None) -> Target | None:
    """The target that decides a device's version: its desk's, else its site's, else the fleet's."""
    by_place = {(t["site_id"], t["desk_id"]): t for t in targets}
    places = [("", "")]
    if site_id:
        places[:0] = [(site_id, desk_id), (site_id, "")] if desk_id else [(site_id, "")]
    return next((by_place[p] for p in places if p in by_place), None)


def download_secret(store: Store) -> str:
    """The key of the download tokens: made once (256 random bits), then read from the database."""
    return store.releases.secret(secrets.token_hex(32), format_time(datetime.now(UTC)))


def download_token(secret: str, device_id: str, version: str) -> str:
    return hmac.new(bytes.fromhex(secret), f"{device_id}\n{version}".encode(), hashlib.sha256).hexdigest()


def token_is_valid(secret: str, device_id: str, version: str, token: str) -> bool:
    return hmac.compare_digest(download_token(secret, device_id, version), token)


def download_url(tablet_url: str, version: str, device_id: str, token: str) -> str:
    return f"{tablet_url.rstrip('/')}/api/v1/releases/{version}/download?device={device_id}&token={token}"


def release_for(
    store: Store, device_id: str, site_id: str | None, desk_id: str | None, targets: Iterable[Target] | None = None
) -> Release | None:
    """The release this device should run (``targets``: instead of the stored ones, as they will be)."""
    chosen = applying_target(
        store.releases.targets_for(site_id, desk_id) if targets is None else targets, site_id, desk_id
    )
    if chosen is None:
        return None
    row = store.releases.get(chosen["version"])
    if row is None:  # a target always names a recorded release (a foreign key); nothing to send otherwise
        return None
    token = download_token(download_secret(store), device_id, row["version"])
    return Release(
        version=row["version"],
        url=download_url(chosen["tablet_url"], row["version"], device_id, token),
        sha256=row["sha256"],
        size=row["size"],
        signature=row["signature"],
    )


def with_release(
    store: Store, device_id: str, config: DeviceConfig, targets: Iterable[Target] | None = None
) -> DeviceConfig:
    """The config as published to that device: the same settings with the release it should run (or None)."""
    release = release_for(store, device_id, config.site_id, config.desk_id, targets)
    return DeviceConfig.model_validate(
        {**config.model_dump(), "release": release.model_dump() if release is not None else None}
    )


def place_name(site_id: str, desk_id: str) -> str:
    """A target's place as the CLI takes it: ``SITE/DESK``, ``SITE`` or ``all``."""
    return f"{site_id}/{desk_id}" if desk_id else site_id or "all"


def release_overview(store: Store) -> list[dict[str, Any]]:
    """Each release (newest first) with how many tablets run it, how many should, and its targets."""
    targets = store.releases.targets()
    tablets = store.releases.tablets()
    desired: dict[str, int] = {}
    for tablet in tablets:
        chosen = applying_target(targets, tablet["site_id"], tablet["desk_id"])
        if chosen is not None:
            desired[chosen["version"]] = desired.get(chosen["version"], 0) + 1
    return [
        {
            "version": row["version"],
            "file_name": row["file_name"],
            "size": row["size"],
            "sha256": row["sha256"],
            "added_at": row["added_at"],
            "added_by": row["added_by"],
            "running": sum(1 for t in tablets if t["app_version"] == row["version"]),
            "desired": desired.get(row["version"], 0),
            "targets": [
                {"place": place_name(t["site_id"], t["desk_id"]), "set_at": t["set_at"], "set_by": t["set_by"]}
                for t in targets
                if t["version"] == row["version"]
            ],
        }
        for row in store.releases.all()
    ]


def desired_versions(store: Store, devices: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """device id -> the version its desk, site or the fleet wants it to run (only those with one)."""
    targets = store.releases.targets()
    found = {}
    for device in devices:
        chosen = applying_target(targets, device.get("site_id"), device.get("desk_id"))
        if chosen is not None:
            found[device["device_id"]] = str(chosen["version"])
    return found
