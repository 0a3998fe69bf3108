"""A generated year of ratings (2025) with known shares, for the period pages and the figures sheet.

2000 ratings at site-a, spread evenly over the year; in each block of 20 the scores are
14 fives, 3 fours, a 3, a 2 and a 1 (mean 4.40, 10% negative). Channels 70% desk, 20% call,
10% link; halls 65% men, 35% women; every other rating answers the survey: of those, 94%
met no obstacle, and the applicants are 60% citizens, 27% residents, 13% companies.
Site-b has 40 fives of its own, which site-a's readers never see. E1's first negative rating
of the year was closed as a system outage: not held against E1 (its n is one less), still in
every other figure.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from collector.fleet.sites import SectionEntry, SiteEntry, SitesFile, apply_sites
from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.people.auth import Accounts
from collector.reviews.rules import closure_from
from collector.store import Store
from tests.support.two_sites_today import CALENDAR, PASSWORDS, desk_config, make_rating

N = 2000
FIRST = date(2025, 1, 1)
NOW = "2026-11-28T12:00:00.000Z"
SCORES = [5] * 14 + [4] * 3 + [3, 2, 1]
EXPECTED = {
    "mean": 4.4,
    "share_negative": 0.10,
    "channels": {"desk": 0.70, "call": 0.20, "link": 0.10},
    "halls": {"men-hall": 0.65, "women-hall": 0.35},
    "no_obstacle": 0.94,
    "applicants": {"citizen": 0.60, "resident": 0.27, "company": 0.13},
}


def at(i: int) -> datetime:
    day = FIRST + timedelta(days=i * 365 // N)
    return datetime.combine(day, datetime.min.time(), CALENDAR.zone) + timedelta(hours=9, seconds=37 * (i % 40))


def answers(i: int) -> dict[str, Any] | None:
    if i % 2:
        return None
    k = (i // 2) % 100
    return {"obstacles": "yes" if k % 50 < 3 else "no", "applicant": _applicant(k)}


def _applicant(k: int) -> str:
    return "citizen" if k < 60 else "resident" if k < 87 else "company"


def channel(i: int) -> str:
    k = i % 10
    return "desk" if k < 7 else "call" if k < 9 else "link"


def seed_year(store: Store) -> list[datetime]:
    """The year's ratings and one user per role (two_sites_today.PASSWORDS); the local times of site-a's ratings."""
    sections = [
        SectionEntry(id="men-hall", name_ar="قاعة الرجال", name_en="Men's hall"),
        SectionEntry(id="women-hall", name_ar="قاعة النساء", name_en="Women's hall"),
    ]
    sites = [
        SiteEntry(id="site-a", name_ar="مركز أ", name_en="Centre A", sections=sections),
        SiteEntry(id="site-b", name_ar="مركز ب", name_en="Centre B"),
    ]
    apply_sites(store, SitesFile(sites=sites), NOW)
    store.devices.register("dev-a1", desk_config("site-a", "desk-01", "men-hall"), NOW)
    store.devices.register("dev-a2", desk_config("site-a", "desk-02", "women-hall"), NOW)
    store.devices.register("dev-b1", desk_config("site-b", "desk-09"), NOW)
    seqs = {"dev-a1": 0, "dev-a2": 0}
    batch = []
    for i in range(N):
        device = "dev-a1" if i % 20 < 13 else "dev-a2"  # 13 of 20: 65%
        seqs[device] += 1
        extra: dict[str, Any] = {"channel": channel(i)}
        if answers(i):
            extra["answers"] = answers(i)
        batch.append(make_rating(device, seqs[device], SCORES[i % 20], at(i), f"E{1 + i % 3}", **extra))
    batch += [make_rating("dev-b1", k + 1, 5, at(k * 50), "B7") for k in range(40)]
    store_batch(store, Batch(batch), NOW)
    first_negative = next(r for r in batch if r.score <= 2 and r.employee_id == "E1")
    closure = closure_from("system_outage", "no_action", "The ID system was down").as_dict()
    assert store.reviews.close(first_negative.id, "sup-a", closure, NOW)
    accounts = Accounts(store)
    accounts.add_user("admin", "admin", [], PASSWORDS["admin"])
    accounts.add_user("sup-a", "supervisor", ["site-a"], PASSWORDS["sup-a"])
    accounts.add_user("sup-b", "supervisor", ["site-b"], PASSWORDS["sup-b"], lang="en")
    return [at(i) for i in range(N)]
