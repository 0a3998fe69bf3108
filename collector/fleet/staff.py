"""The employees a desk's retained DeviceConfig lists (``staff``), and republishing them when they change.

A desk's config lists the active employees of its site with their PIN hashes,
so the tablet checks a PIN offline (PROTOCOL 1.1). The database keeps each
device's config without its staff (ingest reads those configs on every batch);
the staff is added when a config is published (``with_staff``), from the
registry as it is, or as it will be once a change is saved.

When the registry changes (``sites apply``, ``employees import``, the API's PUT,
a PIN set), the callers in collector/fleet/registry.py publish the configs of
the devices of every site whose staff changed (``republish``) before saving the
change, as ``sites apply`` does: if the broker cannot take them, nothing is
saved and the same command can be run again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from collector.fleet.config_publisher import ConfigPublisher
from collector.fleet.errors import ConfigPublishError
from collector.fleet.releases import with_release
from collector.store import Store
from shared.contract import DeviceConfig, StaffMember

Staff = list[StaffMember]


def staff_members(rows: Iterable[Mapping[str, Any]]) -> Staff:
    """StaffMembers from registry rows (active ones only), by employee id."""
    members = [
        StaffMember(
            employee_id=r["employee_id"], name_ar=r["name_ar"], name_en=r["name_en"], pin_hash=r.get("pin_hash")
        )
        for r in rows
        if r.get("active", True)
    ]
    return sorted(members, key=lambda m: m.employee_id)


def site_staff(store: Store, site_id: str) -> Staff:
    """The staff of a site as the registry holds it now."""
    return staff_members(store.employees.staff(site_id))


def with_staff(config: DeviceConfig, staff: Staff) -> DeviceConfig:
    """The config as published: the same desk settings with this staff list."""
    return DeviceConfig.model_validate({**config.model_dump(), "staff": [m.model_dump() for m in staff]})


def staffed(store: Store, config: DeviceConfig) -> DeviceConfig:
    """The config with the current staff of its site: what provisioning sends a new tablet."""
    return with_staff(config, site_staff(store, config.site_id))


def devices_to_republish(
    store: Store, staff_by_site: Mapping[str, Staff], skip: Iterable[str] = ()
) -> list[tuple[str, DeviceConfig]]:
    """(device, config to publish: its staff and its release) for each serving device of those sites, but ``skip``."""
    skipped = set(skip)
    return [
        (device_id, with_release(store, device_id, with_staff(config, staff)))
        for site_id, staff in sorted(staff_by_site.items())
        for device_id, config in store.devices.serving(site_id)
        if device_id not in skipped
    ]


def publish_all(publisher: ConfigPublisher | None, configs: list[tuple[str, DeviceConfig]]) -> None:
    """Publish each config; without a publisher, refuse with advice when there is anything to send."""
    if configs and publisher is None:
        names = ", ".join(d for d, _ in configs[:5])
        raise ConfigPublishError(
            f"{len(configs)} device(s) must get a new config with this change ({names}); pass "
            "--config or --broker so their retained config can be sent to them"
        )
    for device_id, config in configs:
        assert publisher is not None
        publisher.publish(device_id, config)
