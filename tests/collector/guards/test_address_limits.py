"""The sliding window per client address behind the link page's limit and the enrolment codes' guess limit (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collector.guards import address_limits
from collector.guards.address_limits import AddressWindow


def test_an_address_is_full_once_it_has_the_limit_of_events_in_the_window() -> None:
    window = AddressWindow(limit=3, window_s=60)
    for t in (0.0, 1.0):
        window.add("10.0.0.1", t)
    assert not window.full("10.0.0.1", 2.0)
    window.add("10.0.0.1", 2.0)
    assert window.full("10.0.0.1", 3.0)


def test_events_older_than_the_window_no_longer_count() -> None:
    window = AddressWindow(limit=2, window_s=60)
    window.add("10.0.0.1", 0.0)
    window.add("10.0.0.1", 30.0)
    assert window.full("10.0.0.1", 59.0)
    assert not window.full("10.0.0.1", 60.0)  # the first event is exactly window_s old: out


def test_one_address_filling_its_window_leaves_every_other_address_free() -> None:
    window = AddressWindow(limit=1, window_s=60)
    window.add("10.0.0.1", 0.0)
    assert window.full("10.0.0.1", 1.0)
    assert not window.full("10.0.0.2", 1.0)


def test_an_address_never_seen_is_not_full() -> None:
    assert not AddressWindow(limit=1, window_s=60).full("192.0.2.7", 1_000.0)


def test_past_the_most_addresses_kept_the_idle_ones_are_forgotten_and_the_busy_ones_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(address_limits, "MAX_ADDRESSES", 3)
    window = AddressWindow(limit=1, window_s=60)
    for n in range(4):
        window.add(f"10.0.0.{n}", 0.0)  # four idle by t=100
    window.add("10.0.0.9", 90.0)  # still busy at t=100
    window.add("10.0.0.10", 100.0)  # more than 3 addresses: the idle ones go
    assert window.full("10.0.0.9", 100.0)
    assert window.full("10.0.0.10", 100.0)
    assert set(window._seen) == {  # the memory bound itself: only the busy addresses are held
        "10.0.0.9",
        "10.0.0.10",
    }


@given(
    limit=st.integers(min_value=1, max_value=5),
    gaps=st.lists(st.floats(min_value=0, max_value=30, allow_nan=False), max_size=20),
)
def test_full_says_whether_the_events_within_the_last_window_reach_the_limit(limit: int, gaps: list[float]) -> None:
    window = AddressWindow(limit=limit, window_s=60)
    times, t = [], 0.0
    for gap in gaps:
        t += gap
        window.add("10.0.0.1", t)
        times.append(t)
    now = t + 1
    assert window.full("10.0.0.1", now) == (sum(1 for x in times if x > now - 60) >= limit)
