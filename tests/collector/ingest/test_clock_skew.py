"""The rules on a device's clock (collector/ingest/clock_skew.py): flagged when off; which ratings count on receipt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from collector.ingest.clock_skew import CLOCK_OFF_S, clock_off, wrong_clock_ids
from shared.clock import format_time
from shared.contract import Rating

RECEIVED = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def rating(device_id: str, created: datetime, n: int = 1) -> Rating:
    return Rating(
        id=f"0190a4c2-7d3b-7c6a-9a43-{n:012d}",
        seq=n,
        device_id=device_id,
        employee_id=None,
        score=4,
        created_at=format_time(created),
    )


def test_a_clock_never_measured_or_within_the_bound_is_not_flagged_and_one_beyond_it_either_way_is() -> None:
    assert [clock_off(s) for s in (None, 0.0, CLOCK_OFF_S, -CLOCK_OFF_S)] == [False] * 4
    assert [clock_off(s) for s in (CLOCK_OFF_S + 0.5, -CLOCK_OFF_S - 0.5)] == [True, True]


def test_a_rating_made_later_than_it_arrived_beyond_the_tolerance_counts_on_receipt() -> None:
    ahead = rating("dev-a1", RECEIVED + timedelta(seconds=61), 1)
    just = rating("dev-a1", RECEIVED + timedelta(seconds=60), 2)
    assert wrong_clock_ids([ahead, just], format_time(RECEIVED), {}, 60.0) == {ahead.id}


def test_an_old_created_at_alone_keeps_its_day_since_it_may_be_a_resend() -> None:
    old = rating("dev-a1", RECEIVED - timedelta(days=3))
    assert wrong_clock_ids([old], format_time(RECEIVED), {}, 60.0) == set()


def test_every_rating_of_a_device_measured_off_counts_on_receipt() -> None:
    behind, right = rating("dev-a1", RECEIVED, 1), rating("dev-b1", RECEIVED, 2)
    skews = {"dev-a1": -3600.0, "dev-b1": 5.0}
    assert wrong_clock_ids([behind, right], format_time(RECEIVED), skews, 60.0) == {behind.id}


@given(st.floats(-1e6, 1e6), st.integers(-(10**5), 10**5))
def test_a_measure_beyond_the_tolerance_moves_the_rating_and_one_within_it_moves_it_only_if_made_ahead(
    skew: float, offset_s: int
) -> None:
    r = rating("dev-a1", RECEIVED + timedelta(seconds=offset_s))
    moved = r.id in wrong_clock_ids([r], format_time(RECEIVED), {"dev-a1": skew}, 60.0)
    assert moved == (abs(skew) > 60.0 or offset_s > 60)
