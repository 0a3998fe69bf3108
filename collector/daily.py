"""The daily report of one local day, read from the store: the one place the pages, the JSON API and the CSV get it.

The report maths stay pure in collector.reports; this module only gathers their
inputs. Checking that the reader may see the site and the day is the caller's
part (collector.access), before it asks.
"""

from __future__ import annotations

from datetime import date as Date
from typing import Any

from collector.reports import Calendar, daily_report
from collector.store import Store
from shared.contract import ReasonLabel


def build_daily(
    store: Store, calendar: Calendar, scope: list[str] | None, day: Date | None, site_id: str | None
) -> dict[str, Any]:
    """The report of one local day for one site, or every site of ``scope`` (None: all)."""
    day = day or calendar.today()
    since, until = calendar.day_bounds(day)
    rows = store.ratings.window(since, until, sites=scope, site_id=site_id)
    open_ids = {
        i["rating"]["id"]
        for i in store.reviews.all(status="open", sites=scope)
        if site_id is None or i["rating"]["site_id"] == site_id
    }
    sections = {d["device_id"]: (d["config"] or {}).get("section") for d in store.devices.all(sites=scope)}
    counts = store.reviews.counts(since, until, sites=scope, site_id=site_id)
    return daily_report(
        rows,
        day,
        sections=sections,
        open_ids=open_ids,
        review_counts=counts,
        calendar=calendar,
        site_id=site_id,
        names=store.sites.place_names(scope),
    )


def desk_reasons(store: Store, rating_ids: list[str]) -> dict[str, list[ReasonLabel]]:
    """Rating id -> the reason labels of its desk's config, for the ratings whose desk has one."""
    devices = {row["id"]: row["device_id"] for row in store.ratings.by_ids(rating_ids)}
    configs = store.devices.configs(devices.values())
    return {rating_id: list(configs[d].reasons) for rating_id, d in devices.items() if d in configs}
