"""Sites, sections and desks from one TOML file that IT keeps in version control.

``taqyeem sites apply sites.toml`` reads the file (strictly: an unknown key is
an error that names it), compares it with the database (pure: ``plan``) and
writes only what differs, so applying the same file twice changes nothing.
Desks that are no longer in the file are kept and reported: a desk has
history. A changed desk also changes the retained DeviceConfig of the devices
serving it; the caller republishes those.

Example file::

    [defaults]                 # optional; any DeviceConfig setting but names
    cooldown_s = 10
    mode = "open"
    languages = ["ar", "en", "ur", "hi", "bn", "tl", "id"]   # what the tablet offers; default ar, en
    volume = 80                # the spoken prompts, 0 (silent) to 100

    [[sites]]
    id = "riyadh-hq"
    name_ar = "المقر الرئيسي - الرياض"
    name_en = "Riyadh headquarters"

      [[sites.sections]]
      id = "men-hall"
      name_ar = "قاعة الرجال"
      name_en = "Men's hall"

      [[sites.desks]]
      id = "desk-01"
      section = "men-hall"
      name_ar = "مكتب ١"
      name_en = "Desk 1"
      closes_at = "16:00"      # optional, like sign_out_idle_min: automatic sign-out

      [[sites.employees]]      # the site's staff (fleet/registry.py); active defaults to true
      id = "E1042"
      name_ar = "نورة العتيبي"
      name_en = "Noura Alotaibi"
      section = "men-hall"

Employees are applied like desks: missing from the file, they are kept and
reported (for a site whose employees the file lists). Devices whose site's
staff changes get their new config too, with the staff (fleet/staff.py).

A site may name the review causes outside its employees' control, not held against
them by default (collector/reviews/hearing.py)::

    not_attributable_causes = ["waiting_time", "system_outage", "procedure_policy", "visitor_misunderstanding"]

A site may also have a ``[sites.reviews]``, its review rota (fleet/rota_file.py), and each
section its own ``supervisors`` in turn. A site may also have a ``[sites.survey]``
(fleet/survey_file.py); without one its desks ask the ministry's shipped survey every 5th visitor.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError, model_validator

from collector.alerts.trends import TrendThresholds
from collector.fleet.config_publisher import ConfigPublisher
from collector.fleet.errors import SitesFileError
from collector.fleet.registry import EmployeeEntry, RegistryPlan, plan_employees
from collector.fleet.releases import with_release
from collector.fleet.rota_file import ReviewRotaEntry, site_rota
from collector.fleet.staff import devices_to_republish, publish_all, site_staff, with_staff
from collector.fleet.survey_file import SurveyEntry, site_survey
from collector.reviews.rules import CAUSES
from collector.store import Store
from shared.contract import (
    CLOCK_TIME,
    NAME_PATTERN,
    DeviceConfig,
    EmployeeId,
    ReasonLabel,
    describe_validation_error,
)
from shared.languages import Language, Languages

Name = Annotated[str, Field(min_length=1, max_length=80)]
Id = Annotated[str, Field(pattern=NAME_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeskDefaults(_Strict):
    default_lang: Language | None = None
    # 1.1: the languages the tablet offers, e.g. ["ar", "en", "ur", "hi", "bn", "tl", "id"]
    languages: Languages | None = None
    cooldown_s: Annotated[StrictInt, Field(ge=0, le=3600)] | None = None
    negative_max_score: Annotated[StrictInt, Field(ge=1, le=4)] | None = None
    mode: Literal["open", "invited"] | None = None
    reasons: Annotated[list[ReasonLabel], Field(max_length=16)] | None = None
    sign_out_idle_min: Annotated[StrictInt, Field(ge=0, le=24 * 60)] | None = None
    closes_at: Annotated[str, Field(pattern=CLOCK_TIME)] | None = None
    volume: Annotated[StrictInt, Field(ge=0, le=100)] | None = None  # 1.1: the spoken prompts' loudness, 0..100

    def settings(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class SectionEntry(_Strict):
    id: Id
    name_ar: Name
    name_en: Name
    supervisors: Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=50)] = []


class DeskEntry(DeskDefaults):
    id: Id
    name_ar: Name
    name_en: Name
    section: Id | None = None


class EmployeeFileEntry(_Strict):
    id: EmployeeId
    name_ar: Name
    name_en: Name
    section: Id | None = None
    active: StrictBool = True


class SiteEntry(_Strict):
    id: Id
    name_ar: Name
    name_en: Name
    defaults: DeskDefaults = DeskDefaults()
    sections: list[SectionEntry] = []
    desks: list[DeskEntry] = []
    employees: list[EmployeeFileEntry] = []
    survey: SurveyEntry | None = None  # [sites.survey]: the periodic survey (fleet/survey_file.py)
    trends: TrendThresholds = TrendThresholds()  # [sites.trends]: the trend alerts' thresholds (alerts/trends.py)
    # The review causes outside the employee's control here: a review closed with one of them leaves
    # the employee's figures unless the supervisor says otherwise (collector/reviews/hearing.py).
    # Left out: system_outage, procedure_policy, visitor_misunderstanding (waiting_time counts).
    not_attributable_causes: Annotated[list[str], Field(max_length=len(CAUSES))] | None = None
    reviews: ReviewRotaEntry | None = None  # [sites.reviews]: the review rota (fleet/rota_file.py)

    @model_validator(mode="after")
    def _consistent(self) -> SiteEntry:
        unknown = [c for c in self.not_attributable_causes or [] if c not in CAUSES]
        if unknown:
            raise ValueError(
                f"site {self.id}: not_attributable_causes names {', '.join(map(repr, unknown))}; "
                f"the review causes are {', '.join(CAUSES)}"
            )
        _no_duplicates(f"site {self.id}: section", [s.id for s in self.sections])
        _no_duplicates(f"site {self.id}: desk", [d.id for d in self.desks])
        known = {s.id for s in self.sections}
        for kind, entries in (("desk", self.desks), ("employee", self.employees)):
            for entry in entries:
                if entry.section is not None and entry.section not in known:
                    raise ValueError(
                        f"{kind} {entry.id} names section {entry.section!r}, which site {self.id} does not "
                        f"define; add it under [[sites.sections]] or fix the name"
                    )
        return self

    def employee_entries(self) -> list[EmployeeEntry]:
        return [
            EmployeeEntry(
                employee_id=e.id,
                name_ar=e.name_ar,
                name_en=e.name_en,
                site_id=self.id,
                section_id=e.section,
                active=e.active,
            )
            for e in self.employees
        ]


class SitesFile(_Strict):
    defaults: DeskDefaults = DeskDefaults()
    sites: list[SiteEntry] = []

    @model_validator(mode="after")
    def _unique_sites(self) -> SitesFile:
        _no_duplicates("site", [s.id for s in self.sites])
        _no_duplicates("employee", [e.id for s in self.sites for e in s.employees])
        return self


def _no_duplicates(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{what} {item!r} is defined twice")
        seen.add(item)


def load_sites_file(path: Path) -> SitesFile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SitesFileError(f"sites file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise SitesFileError(f"sites file {path} is not valid TOML: {exc}") from None
    try:
        return SitesFile.model_validate(data)
    except ValidationError as exc:
        raise SitesFileError(f"sites file {path}: {describe_validation_error(exc)}") from None


def desk_config(file: SitesFile, site: SiteEntry, desk: DeskEntry) -> DeviceConfig:
    """The DeviceConfig of a desk: file defaults, then site defaults, then the desk's own settings."""
    values: dict[str, Any] = {**file.defaults.settings(), **site.defaults.settings()}
    values.update({k: v for k, v in desk.model_dump(include=set(DeskDefaults.model_fields)).items() if v is not None})
    try:
        return DeviceConfig(
            site_id=site.id,
            desk_id=desk.id,
            section=desk.section,
            desk_name_ar=desk.name_ar,
            desk_name_en=desk.name_en,
            survey=site_survey(site.survey),
            **values,
        )
    except ValidationError as exc:  # settings valid alone but not together, e.g. a default_lang not offered
        raise SitesFileError(f"site {site.id} desk {desk.id}: {describe_validation_error(exc)}") from None


@dataclass
class SitesPlan:
    """What applying a file changes; empty when the database already matches."""

    sites: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    desks: list[dict[str, Any]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.sites or self.sections or self.desks)


def plan(file: SitesFile, current: dict[str, dict[tuple[str, ...], dict[str, Any]]]) -> SitesPlan:
    """Compare the file with the stored state (pure)."""
    out = SitesPlan()

    def compare(kind: str, key: tuple[str, ...], row: dict[str, Any], bucket: list[dict[str, Any]]) -> None:
        stored = current[kind].get(key)
        label = f"{kind[:-1]} {'/'.join(key)}"
        if stored is None:
            out.created.append(label)
            bucket.append(row)
        elif {k: stored.get(k) for k in row} != row:
            out.updated.append(label)
            bucket.append(row)

    wanted_desks: set[tuple[str, ...]] = set()
    for site in file.sites:
        causes = None if site.not_attributable_causes is None else json.dumps(sorted(set(site.not_attributable_causes)))
        compare(
            "sites",
            (site.id,),
            {"site_id": site.id, "name_ar": site.name_ar, "name_en": site.name_en, "not_attributable_causes": causes},
            out.sites,
        )
        for section in site.sections:
            compare(
                "sections",
                (site.id, section.id),
                {"site_id": site.id, "section_id": section.id, "name_ar": section.name_ar, "name_en": section.name_en},
                out.sections,
            )
        for desk in site.desks:
            wanted_desks.add((site.id, desk.id))
            config = desk_config(file, site, desk).model_dump_json()
            compare(
                "desks",
                (site.id, desk.id),
                {"site_id": site.id, "desk_id": desk.id, "section_id": desk.section, "config": config},
                out.desks,
            )
    out.not_in_file = sorted("/".join(key) for key in current["desks"] if key not in wanted_desks)
    return out


@dataclass(frozen=True)
class AppliedSites:
    plan: SitesPlan
    device_configs: list[tuple[str, DeviceConfig]]  # devices whose retained config was republished (with staff)
    employees: RegistryPlan = field(default_factory=RegistryPlan)


def apply_sites(
    store: Store,
    file: SitesFile,
    now: str,
    publisher: ConfigPublisher | None = None,
    actor: str = "sites file",
    republish: bool = False,
) -> AppliedSites:
    """Write what differs; devices serving a changed desk, or at a site whose staff changed, get their new config.

    ``republish``: every serving device of the file's sites gets its config again, changed or
    not (after an upgrade that changes what a config holds: 1.2 lists a desk's section only).

    The configs are published before the database is written: if publishing
    fails, nothing is saved and the same command can simply be run again. The
    database keeps each device's config without its staff (fleet/staff.py).
    """
    changes = plan(file, store.sites.state())
    entries = [e for site in file.sites for e in site.employee_entries()]
    staffed_sites = [site.id for site in file.sites if site.employees]
    employees = plan_employees(entries, store.employees.state(), sites_described=staffed_sites)
    device_configs = []
    for desk in changes.desks:
        config = DeviceConfig.model_validate_json(desk["config"])
        device_configs += [(d, config) for d in store.devices.active_at(desk["site_id"], desk["desk_id"])]
    staff = {s: employees.staff_by_site.get(s) or site_staff(store, s) for s in {c.site_id for _, c in device_configs}}
    published = [(d, with_release(store, d, with_staff(c, staff[c.site_id]))) for d, c in device_configs]
    resent = {**{s.id: site_staff(store, s.id) for s in file.sites if republish}, **employees.staff_by_site}
    published += devices_to_republish(store, resent, skip=[d for d, _ in device_configs])
    if published and publisher is None:
        names = ", ".join(d for d, _ in published[:5])
        raise SitesFileError(
            f"{len(published)} device(s) serve desks or staff this file changes ({names}); pass "
            "--config or --broker so their retained config can be sent to them"
        )
    publish_all(store, publisher, published)
    if changes.changed:
        store.sites.save(changes.sites, changes.sections, changes.desks, device_configs, now)
    if employees.changed:
        store.employees.save(employees.rows, actor, now, "sites_file")
    store.trends.save_thresholds({site.id: site.trends.model_dump() for site in file.sites})
    rotas = {
        site.id: site_rota(site.id, site.reviews or ReviewRotaEntry(), {s.id: s.supervisors for s in site.sections})
        for site in file.sites
        if site.reviews is not None or any(s.supervisors for s in site.sections)
    }
    store.review_owners.save_rotas({site_id: rota.to_json() for site_id, rota in rotas.items()}, now)
    return AppliedSites(changes, published, employees)
