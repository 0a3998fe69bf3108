"""Staged roll-out of a release: one desk, then a site, then the fleet; and stopping one.

``rollout`` and ``stop`` decide which devices' release changes, publish those devices' retained
configs (with their staff and the new release) and only then save the target, as ``sites
apply`` does: if the broker cannot take a config, nothing is saved and the same command can be
run again. The stages (``stage_refusal``, pure) hold unless skipped: a site only after some
tablet reports running that version, the fleet only after every tablet of some site does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from collector.fleet.config_publisher import ConfigPublisher
from collector.fleet.errors import ReleaseError
from collector.fleet.releases import Target, download_url, release_for, with_release
from collector.fleet.staff import publish_staffed, staffed
from collector.store import Store
from shared.contract import NAME_PATTERN, DeviceConfig
from shared.releases import Release

Tablet = Mapping[str, Any]  # device_id, site_id, desk_id, app_version


@dataclass(frozen=True)
class Place:
    """Where a target applies: a desk (site and desk), a site (desk ''), or the fleet (both '')."""

    site_id: str = ""
    desk_id: str = ""

    @classmethod
    def parse(cls, desk: str | None = None, site: str | None = None, fleet: bool = False) -> Place:
        """From ``--desk SITE/DESK``, ``--site SITE`` or ``--all``: exactly one of them."""
        if sum(bool(x) for x in (desk, site, fleet)) != 1:
            raise ReleaseError("name exactly one target: --desk SITE/DESK, --site SITE or --all")
        if desk:
            site_id, _, desk_id = desk.partition("/")
            names = [site_id, desk_id]
        else:
            site_id, desk_id = site or "", ""
            names = [site_id] if site else []
        for name in names:
            if not re.fullmatch(NAME_PATTERN, name):
                raise ReleaseError(
                    f"{name!r} is not a site or desk id; give --desk as SITE/DESK, e.g. riyadh-hq/desk-12"
                )
        return cls(site_id, desk_id)

    def describe(self) -> str:
        if self.desk_id:
            return f"desk {self.site_id}/{self.desk_id}"
        return f"site {self.site_id}" if self.site_id else "the whole fleet"

    def holds(self, tablet: Tablet) -> bool:
        return (not self.site_id or tablet["site_id"] == self.site_id) and (
            not self.desk_id or tablet["desk_id"] == self.desk_id
        )


def stage_refusal(place: Place, version: str, tablets: Iterable[Tablet]) -> str | None:
    """Why this roll-out would skip a stage, or None. A desk is always a first step."""
    tablets = list(tablets)
    if place.desk_id:
        return None
    if place.site_id:
        if any(t["app_version"] == version for t in tablets):
            return None
        return (
            f"no tablet reports running {version} yet: roll it out to one desk first "
            f"(taqyeem release rollout {version} --desk {place.site_id}/DESK) and wait until its tablet "
            "reports the new version, or pass --skip-stages"
        )
    sites: dict[str, list[Tablet]] = {}
    for tablet in tablets:
        sites.setdefault(tablet["site_id"] or "", []).append(tablet)
    if any(site and all(t["app_version"] == version for t in held) for site, held in sites.items()):
        return None
    return (
        f"no site has all its tablets on {version} yet: roll it out to one site first "
        f"(taqyeem release rollout {version} --site SITE) and wait until every tablet there reports it, "
        "or pass --skip-stages"
    )


def check_tablet_url(tablet_url: str | None, version: str) -> str:
    """The setting a download link is made from; refused when unset or not one a tablet would take."""
    if not tablet_url:
        raise ReleaseError(
            'tablet_url is not set: put tablet_url = "https://taqyeem.centre.lan" (the address tablets reach '
            "this collector at over HTTPS) in collector.toml, or set TAQYEEM_TABLET_URL"
        )
    try:
        Release(
            version=version, url=download_url(tablet_url, version, "x", "0"), sha256="0" * 64, size=1, signature="x"
        )
    except ValidationError:
        raise ReleaseError(
            f"tablet_url {tablet_url} would not be taken by a tablet: use https:// (http:// only on loopback)"
        ) from None
    return tablet_url


@dataclass(frozen=True)
class Change:
    device_id: str
    version: str | None  # the version its config now names; None: keep running what it runs


def _changes(
    store: Store, place: Place, before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[tuple[str, DeviceConfig]]:
    """(device, config to publish) for each device of the place whose release differs between the two."""
    configs = []
    for tablet in store.releases.tablets():
        if not place.holds(tablet):
            continue
        config = store.devices.config(tablet["device_id"])
        if config is None:
            continue
        old = release_for(store, tablet["device_id"], config.site_id, config.desk_id, before)
        new = release_for(store, tablet["device_id"], config.site_id, config.desk_id, after)
        if old != new:
            configs.append(
                (tablet["device_id"], with_release(store, tablet["device_id"], staffed(store, config), after))
            )
    return configs


def rollout(
    store: Store,
    publisher: ConfigPublisher,
    *,
    place: Place,
    version: str,
    tablet_url: str | None,
    actor: str,
    now: str,
    skip_stages: bool = False,
) -> list[Change]:
    """Want ``version`` at ``place``: the stages checked, the changed devices' configs published, then saved."""
    if store.releases.get(version) is None:
        raise ReleaseError(f"no release {version}: add its wheel first (taqyeem release add FILE --sign-key KEY)")
    url = check_tablet_url(tablet_url, version)
    tablets = store.releases.tablets()
    if not any(place.holds(t) for t in tablets):
        raise ReleaseError(f"no provisioned tablet at {place.describe()}; see `taqyeem provision list`")
    refusal = None if skip_stages else stage_refusal(place, version, tablets)
    if refusal:
        raise ReleaseError(f"not rolled out to {place.describe()}: {refusal}")
    before = store.releases.targets()
    mine = {"site_id": place.site_id, "desk_id": place.desk_id, "version": version, "tablet_url": url}
    after = [t for t in before if (t["site_id"], t["desk_id"]) != (place.site_id, place.desk_id)] + [mine]
    configs = _changes(store, place, before, after)
    for device_id, config in configs:
        publish_staffed(store, publisher, device_id, config)
    data = {"devices": len(configs), **({"skip_stages": True} if skip_stages else {})}
    store.releases.set_target(place.site_id, place.desk_id, version, url, actor, now, data)
    return [Change(d, c.release.version if c.release else None) for d, c in configs]


def stop(store: Store, publisher: ConfigPublisher, *, place: Place, actor: str, now: str) -> list[Change]:
    """Clear the target at ``place``; its devices fall back to the wider target, or keep what they run."""
    before = store.releases.targets()
    after: list[Target] = [t for t in before if (t["site_id"], t["desk_id"]) != (place.site_id, place.desk_id)]
    if len(after) == len(before):
        raise ReleaseError(f"{place.describe()} has no release target; see `taqyeem release list`")
    configs = _changes(store, place, before, [dict(t) for t in after])
    for device_id, config in configs:
        publish_staffed(store, publisher, device_id, config)
    store.releases.clear_target(place.site_id, place.desk_id, actor, now)
    return [Change(d, c.release.version if c.release else None) for d, c in configs]
