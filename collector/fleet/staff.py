"""The employees a desk's retained DeviceConfig lists (``staff``), and republishing them when they change.

A desk's config lists the active employees who may work at it, with their PIN
hashes, so the tablet checks a PIN offline (PROTOCOL 1.1): those of its section
and those of its site with no section (``desk_roster``); a desk with no section
lists its whole site. A tablet holds no other colleague's hash, so a lost one
gives away fewer (docs/privacy.md). The database keeps each device's config
without its staff (ingest reads those configs on every batch); the staff is
added when a config is published (``with_staff``), from the registry as it is,
or as it will be once a change is saved.

Each publication records whose hashes went to which device
(``publish_staffed``), so ``taqyeem devices revoke --lost`` can withdraw the
PINs a lost tablet held (collector/fleet/registry.py:withdraw_lost_pins).

When the registry changes (``sites apply``, ``employees import``, the API's PUT,
a PIN set), the callers in collector/fleet/registry.py publish the configs of
the devices of every site whose staff changed (``republish``) before saving the
change, as ``sites apply`` does: if the broker cannot take them, nothing is
saved and the same command can be run again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from collector.fleet.config_publisher import ConfigPublisher
from collector.fleet.errors import ConfigPublishError
from collector.fleet.releases import with_release
from collector.store import Store
from shared.clock import now_text
from shared.contract import DeviceConfig, StaffMember


@dataclass(frozen=True)
class Rostered:
    """One employee of a site's staff and the section they work in (None: any desk of the site)."""

    member: StaffMember
    section_id: str | None


Staff = list[Rostered]  # a site's active staff; each desk lists only those who may work at it


def staff_members(rows: Iterable[Mapping[str, Any]]) -> Staff:
    """A site's staff from registry rows (active ones only), by employee id."""
    members = [
        Rostered(
            StaffMember(
                employee_id=r["employee_id"],
                name_ar=r["name_ar"],
                name_en=r["name_en"],
                pin_hash=r.get("pin_hash"),
                pin_withdrawn=r.get("pin_hash") is None and bool(r.get("pin_withdrawn_at")),
            ),
            r.get("section_id"),
        )
        for r in rows
        if r.get("active", True)
    ]
    return sorted(members, key=lambda m: m.member.employee_id)


def desk_roster(staff: Staff, section: str | None) -> list[StaffMember]:
    """Who may sign in at a desk of ``section`` (pure): its section's and the sectionless; all, for no section."""
    return [r.member for r in staff if section is None or r.section_id in (None, section)]


def site_staff(store: Store, site_id: str) -> Staff:
    """The staff of a site as the registry holds it now."""
    return staff_members(store.employees.staff(site_id))


def with_staff(config: DeviceConfig, staff: Staff) -> DeviceConfig:
    """The config as published: the same desk settings with the roster of its section."""
    roster = [m.model_dump() for m in desk_roster(staff, config.section)]
    return DeviceConfig.model_validate({**config.model_dump(), "staff": roster})


def staffed(store: Store, config: DeviceConfig) -> DeviceConfig:
    """The config with the current staff of its desk: what provisioning sends a new tablet."""
    return with_staff(config, site_staff(store, config.site_id))


def publish_staffed(store: Store, publisher: ConfigPublisher, device_id: str, config: DeviceConfig) -> None:
    """Publish a device's config and record whose PIN hashes it carried to that device."""
    publisher.publish(device_id, config)
    held = [m.employee_id for m in config.staff if m.pin_hash is not None]
    if held:
        store.employees.note_hashes_sent(device_id, held, now_text())


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


def publish_all(store: Store, publisher: ConfigPublisher | None, configs: list[tuple[str, DeviceConfig]]) -> None:
    """Publish each config; without a publisher, refuse with advice when there is anything to send."""
    if configs and publisher is None:
        names = ", ".join(d for d, _ in configs[:5])
        raise ConfigPublishError(
            f"{len(configs)} device(s) must get a new config with this change ({names}); pass "
            "--config or --broker so their retained config can be sent to them"
        )
    for device_id, config in configs:
        assert publisher is not None
        publish_staffed(store, publisher, device_id, config)
