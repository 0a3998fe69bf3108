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
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, model_validator

from collector.fleet.config_publisher import ConfigPublisher
from collector.fleet.errors import SitesFileError
from collector.store import Store
from shared.contract import NAME_PATTERN, DeviceConfig, ReasonLabel, describe_validation_error

Name = Annotated[str, Field(min_length=1, max_length=80)]
Id = Annotated[str, Field(pattern=NAME_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeskDefaults(_Strict):
    default_lang: Literal["ar", "en"] | None = None
    cooldown_s: Annotated[StrictInt, Field(ge=0, le=3600)] | None = None
    negative_max_score: Annotated[StrictInt, Field(ge=1, le=4)] | None = None
    mode: Literal["open", "invited"] | None = None
    reasons: Annotated[list[ReasonLabel], Field(max_length=16)] | None = None

    def settings(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class SectionEntry(_Strict):
    id: Id
    name_ar: Name
    name_en: Name


class DeskEntry(DeskDefaults):
    id: Id
    name_ar: Name
    name_en: Name
    section: Id | None = None


class SiteEntry(_Strict):
    id: Id
    name_ar: Name
    name_en: Name
    defaults: DeskDefaults = DeskDefaults()
    sections: list[SectionEntry] = []
    desks: list[DeskEntry] = []

    @model_validator(mode="after")
    def _consistent(self) -> SiteEntry:
        _no_duplicates(f"site {self.id}: section", [s.id for s in self.sections])
        _no_duplicates(f"site {self.id}: desk", [d.id for d in self.desks])
        known = {s.id for s in self.sections}
        for desk in self.desks:
            if desk.section is not None and desk.section not in known:
                raise ValueError(
                    f"desk {desk.id} names section {desk.section!r}, which site {self.id} does not "
                    f"define; add it under [[sites.sections]] or fix the name"
                )
        return self


class SitesFile(_Strict):
    defaults: DeskDefaults = DeskDefaults()
    sites: list[SiteEntry] = []

    @model_validator(mode="after")
    def _unique_sites(self) -> SitesFile:
        _no_duplicates("site", [s.id for s in self.sites])
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
    return DeviceConfig(
        site_id=site.id,
        desk_id=desk.id,
        section=desk.section,
        desk_name_ar=desk.name_ar,
        desk_name_en=desk.name_en,
        **values,
    )


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
        compare("sites", (site.id,), {"site_id": site.id, "name_ar": site.name_ar, "name_en": site.name_en}, out.sites)
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
    device_configs: list[tuple[str, DeviceConfig]]  # devices whose retained config must be republished


def apply_sites(store: Store, file: SitesFile, now: str, publisher: ConfigPublisher | None = None) -> AppliedSites:
    """Write what differs; devices serving a changed desk get their new retained config.

    The configs are published before the database is written: if publishing
    fails, nothing is saved and the same command can simply be run again.
    """
    changes = plan(file, store.sites.state())
    device_configs = []
    for desk in changes.desks:
        config = DeviceConfig.model_validate_json(desk["config"])
        device_configs += [(d, config) for d in store.devices.active_at(desk["site_id"], desk["desk_id"])]
    if device_configs and publisher is None:
        names = ", ".join(d for d, _ in device_configs[:5])
        raise SitesFileError(
            f"{len(device_configs)} device(s) serve desks this file changes ({names}); pass "
            "--config or --broker so their retained config can be sent to them"
        )
    for device_id, config in device_configs:
        assert publisher is not None
        publisher.publish(device_id, config)
    if changes.changed:
        store.sites.save(changes.sites, changes.sections, changes.desks, device_configs, now)
    return AppliedSites(changes, device_configs)
