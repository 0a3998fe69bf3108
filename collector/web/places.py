"""What the pages call the places a reader sees: their sites, and each desk's name in the page's language."""

from __future__ import annotations

from collector.access import Identity
from collector.store import Store
from collector.web.query_values import NameQuery

SiteQuery = NameQuery  # "All sites" sends site_id= : not given


def visible_sites(store: Store, identity: Identity) -> list[str]:
    scope = identity.site_scope()
    return scope if scope is not None else store.devices.site_ids()


def desk_names(store: Store, identity: Identity, lang: str) -> dict[tuple[str | None, str | None], str]:
    return desk_names_in(store, identity.site_scope(), lang)


def desk_names_in(store: Store, sites: list[str] | None, lang: str) -> dict[tuple[str | None, str | None], str]:
    """(site, desk) -> the desk's name in ``lang``, for the desks of these sites (None: every site)."""
    names = {}
    for device in store.devices.placed(sites):
        config = device["config"] or {}
        name = config.get("desk_name_ar" if lang == "ar" else "desk_name_en")
        names[(device["site_id"], device["desk_id"])] = name or device["desk_id"] or device["device_id"]
    return names
