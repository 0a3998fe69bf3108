"""The employee registry: entries from sites.toml, the HR export's CSV or the API, applied idempotently; PINs.

Every source comes down to ``EmployeeEntry`` values. ``plan_employees``
compares them with the stored registry (pure) and says what changes and which
sites' staff lists change with it; ``apply_employees`` publishes the new
retained configs of those sites' devices (collector/fleet/staff.py) and then
saves, so applying the same entries twice changes nothing and a broker that
cannot take a config leaves nothing saved. An employee is never deleted: one
missing from a source is kept (ratings name them) and reported; one who left
is made inactive (``active = false``), which takes them off their desks' staff.

``set_employee_pin`` stores a PIN only as ``shared.pins.hash_pin(pin,
iterations=EMPLOYEE_ITERATIONS)`` and sends the new hash to the site's desks.
``withdraw_lost_pins`` withdraws every PIN whose hash a lost tablet held
(``taqyeem devices revoke --lost``).
Errors: ``RegistryError`` (collector/fleet/errors.py), ``ConfigPublishError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from collector.fleet.config_publisher import ConfigPublisher
from collector.fleet.errors import RegistryError, WeakPinError
from collector.fleet.staff import Staff, devices_to_republish, publish_all, staff_members
from collector.store import Store
from collector.store.employees import FIELDS
from shared.contract import NAME_PATTERN, EmployeeId
from shared.pins import EMPLOYEE_ITERATIONS, hash_pin, pin_weakness

Name = Annotated[str, Field(min_length=1, max_length=80)]
Id = Annotated[str, Field(pattern=NAME_PATTERN)]


class EmployeeEntry(BaseModel):
    """One employee as a source gives it; the staff number is unique across the ministry."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    employee_id: EmployeeId
    name_ar: Name
    name_en: Name
    site_id: Id
    section_id: Id | None = None
    active: StrictBool = True

    def row(self) -> dict[str, Any]:
        return self.model_dump()


@dataclass
class RegistryPlan:
    """What applying entries changes; empty when the registry already matches."""

    rows: list[dict[str, Any]] = field(default_factory=list)  # new or changed employees
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    not_in_source: list[str] = field(default_factory=list)  # kept, and reported
    staff_by_site: dict[str, Staff] = field(default_factory=dict)  # sites whose staff changes: the new staff

    @property
    def changed(self) -> bool:
        return bool(self.rows)


@dataclass(frozen=True)
class AppliedRegistry:
    plan: RegistryPlan
    device_ids: list[str]  # devices sent a new config


def _stored_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (bool(row[k]) if k == "active" else row[k]) for k in FIELDS}


def plan_employees(
    entries: Iterable[EmployeeEntry], current: Mapping[str, Mapping[str, Any]], *, sites_described: Iterable[str] = ()
) -> RegistryPlan:
    """Compare entries with the stored registry (pure). ``sites_described``: sites whose whole staff the source lists.

    Stored employees of those sites that the source leaves out are kept and listed in ``not_in_source``.
    """
    out = RegistryPlan()
    given: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry.employee_id in given:
            raise RegistryError(f"employee {entry.employee_id} is given twice; keep one entry per staff number")
        given[entry.employee_id] = entry.row()
    affected: set[str] = set()
    for employee_id, row in given.items():
        stored = current.get(employee_id)
        if stored is None:
            out.created.append(f"employee {employee_id}")
        elif _stored_fields(stored) != {k: row[k] for k in FIELDS}:
            out.updated.append(f"employee {employee_id}")
            affected.add(stored["site_id"])
        else:
            continue
        out.rows.append(row)
        affected.add(row["site_id"])
    described = set(sites_described)
    out.not_in_source = sorted(i for i, r in current.items() if r["site_id"] in described and i not in given)
    merged = {**current, **{r["employee_id"]: {**current.get(r["employee_id"], {}), **r} for r in out.rows}}
    out.staff_by_site = {
        site: staff_members(r for r in merged.values() if r["site_id"] == site) for site in sorted(affected)
    }
    return out


def check_places(store: Store, entries: Iterable[EmployeeEntry], where: Mapping[str, str] | None = None) -> None:
    """Each entry's site must exist (``sites apply``), and its section in that site; ``where`` names an entry's line."""
    state = store.sites.state()
    errors = []
    for entry in entries:
        at = (where or {}).get(entry.employee_id, f"employee {entry.employee_id}")
        if (entry.site_id,) not in state["sites"]:
            errors.append(
                f"{at}: site {entry.site_id!r} does not exist; add it to sites.toml and run `taqyeem sites apply`"
            )
        elif entry.section_id is not None and (entry.site_id, entry.section_id) not in state["sections"]:
            errors.append(
                f"{at}: section {entry.section_id!r} is not a section of site {entry.site_id}; "
                "add it under [[sites.sections]] in sites.toml or fix the name"
            )
    if errors:
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise RegistryError("\n".join(errors[:20]) + more + ("\nnothing was saved" if len(errors) > 1 else ""))


def apply_employees(
    store: Store,
    entries: list[EmployeeEntry],
    *,
    actor: str,
    now: str,
    publisher: ConfigPublisher | None,
    kind: str,
    dry_run: bool = False,
) -> AppliedRegistry:
    """Save what differs, after sending the desks of each site whose staff changes their new config.

    ``kind`` names the source in the change log (``import``, ``api``, ``sites_file``).
    With ``dry_run`` nothing is published or saved: the plan says what would change.
    """
    plan = plan_employees(entries, store.employees.state())
    configs = devices_to_republish(store, plan.staff_by_site)
    if dry_run:
        return AppliedRegistry(plan, [d for d, _ in configs])
    publish_all(store, publisher, configs)
    if plan.changed:
        store.employees.save(plan.rows, actor, now, kind)
    return AppliedRegistry(plan, [d for d, _ in configs])


# An Arabic keyboard types ٠-٩ (or ۰-۹): the same PIN as the tablet's keypad 0-9.
_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def check_pin(pin: str) -> str:
    """The PIN in ASCII digits; WeakPinError when PROTOCOL 1.2 refuses it (shared.pins.pin_weakness)."""
    pin = pin.translate(_ASCII_DIGITS)
    weakness = pin_weakness(pin)
    if weakness is not None:
        raise WeakPinError(weakness)
    return pin


def set_employee_pin(
    store: Store, employee_id: str, pin: str, *, actor: str, now: str, publisher: ConfigPublisher | None
) -> list[str]:
    """Store the PIN's hash (never the PIN) and send it to the desks of the employee's site; returns those devices."""
    row = store.employees.state().get(employee_id)
    if row is None:
        raise RegistryError(
            f"no employee {employee_id!r} in the registry; add them first (sites.toml, `taqyeem employees import` "
            "or PUT /api/v1/employees/{employee_id})"
        )
    pin_hash = hash_pin(check_pin(pin), iterations=EMPLOYEE_ITERATIONS)
    configs = []
    if row["active"]:
        site_rows = store.employees.staff(row["site_id"])
        staff = staff_members({**r, "pin_hash": pin_hash} if r["employee_id"] == employee_id else r for r in site_rows)
        configs = devices_to_republish(store, {row["site_id"]: staff})
    publish_all(store, publisher, configs)
    store.employees.set_pin(employee_id, pin_hash, actor, now)
    return [d for d, _ in configs]


@dataclass(frozen=True)
class WithdrawnPins:
    employee_ids: list[str]  # whose PIN was withdrawn: each sets a new one (My page, or `taqyeem employees pin`)
    device_ids: list[str]  # desks sent the new staff list


def withdraw_lost_pins(
    store: Store, device_id: str, *, actor: str, now: str, publisher: ConfigPublisher | None
) -> WithdrawnPins:
    """Withdraw the PIN of everyone whose current hash ``device_id`` (a lost tablet) was sent.

    Their desks are sent the new staff list first (no hash; ``pin_withdrawn``, so the kiosk tells
    them to set a new PIN), then the registry forgets the hashes: a broker that cannot take the
    configs leaves nothing changed, and the same command can be run again. The lost tablet itself
    is not sent anything (revoke it first). A PIN set after its last config is not withdrawn.
    """
    held = store.employees.hashes_held_by(device_id)
    if not held:
        return WithdrawnPins([], [])
    state = store.employees.state()
    withdrawn = set(held)
    staff_by_site = {
        site: staff_members(
            {**r, "pin_hash": None, "pin_withdrawn_at": now} if r["employee_id"] in withdrawn else r
            for r in store.employees.staff(site)
        )
        for site in sorted({state[i]["site_id"] for i in held})
    }
    configs = devices_to_republish(store, staff_by_site, skip=[device_id])
    publish_all(store, publisher, configs)
    store.employees.withdraw_pins(held, device_id, actor, now)
    return WithdrawnPins(held, [d for d, _ in configs])
