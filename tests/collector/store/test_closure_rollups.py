"""The daily sums of closed reviews (store/closure_rollups.py) equal a count from every closed review.

On the causes report's seeded data (tests/support/reasons_and_causes.py): the causes and actions
per span read from the sums equal those read from the reviews themselves (ReviewOutcomes), as kept
when each review closed, after an upheld appeal moved one to not attributable, and after
``taqyeem rollups rebuild``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from collector.store import Store
from tests.support.reasons_and_causes import seed_reasons_and_causes
from tests.support.two_sites_today import CALENDAR

SPANS = (
    (date(2025, 3, 1), date(2025, 3, 28)),
    (date(2025, 3, 10), date(2025, 3, 10)),
    (date(2025, 3, 11), date(2025, 4, 1)),
)
SCOPES = ((None, None), (None, "site-a"), (["site-b"], None))


def _assert_sums_equal_the_reviews(store: Store) -> None:
    for first, last in SPANS:
        since, until = CALENDAR.day_bounds(first)[0], CALENDAR.day_bounds(last)[1]
        days = (first.isoformat(), last.isoformat())
        for sites, site_id in SCOPES:
            kept = store.rollups.closures.causes(days, sites, site_id)
            counted = store.review_outcomes.causes(since, until, sites, site_id)
            assert sorted(kept, key=str) == sorted(counted, key=str)
            actions = store.review_outcomes.actions(since, until, sites, site_id)
            assert sorted(store.rollups.closures.actions(days, sites, site_id), key=str) == sorted(actions, key=str)


def test_the_closure_sums_equal_the_closed_reviews_kept_moved_by_an_appeal_and_rebuilt(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    try:
        closed = seed_reasons_and_causes(store)
        _assert_sums_equal_the_reviews(store)
        days = ("2025-03-10", "2025-03-10")
        assert {(c["cause"], c["attributable"]): c["n"] for c in store.rollups.closures.causes(days)} == {
            ("staff_conduct", True): 2, ("waiting_time", True): 2, ("procedure_policy", False): 1,
        }  # fmt: skip
        rating_id = closed["coaching_e1"]
        assert store.hearings.appeal(rating_id, "e1", "E1", "I was not at the desk", "2025-03-11T08:00:00.000Z")
        assert store.hearings.decide(rating_id, "sup-b", True, "upheld", "2025-03-12T08:00:00.000Z")
        moved = {(c["cause"], c["attributable"]): c["n"] for c in store.rollups.closures.causes(days)}
        assert moved[("staff_conduct", True)] == 1 and moved[("staff_conduct", False)] == 1
        _assert_sums_equal_the_reviews(store)
        store.rollups.rebuild()
        _assert_sums_equal_the_reviews(store)
    finally:
        store.close()
