"""The period report's visits, calls and response rate (contract 1.2): the share of the visits and calls
recorded (POST /api/v1/visits) that got at least one rating naming their visit_id, from 0 to 1."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collector.ingest.batch import store_batch
from collector.ingest.batch_records import Batch
from collector.reports.daily import build_period
from collector.reports.period import channel_responses, recorded_figures, span_of
from collector.store import Store
from shared.clock import format_time
from shared.contract import Rating
from tests.support.two_sites_today import CALENDAR, desk_config, make_rating

NOW = "2026-11-28T12:00:00.000Z"
DAY = date(2025, 3, 10)
NINE = datetime.combine(DAY, datetime.min.time(), CALENDAR.zone) + timedelta(hours=9)
SITES = ("site-a", "site-b")
DEVICES = {"site-a": "dev-a1", "site-b": "dev-b1"}


def _record(store: Store, site_id: str, visit_id: str, channel: str, at: datetime) -> None:
    row = {"site_id": site_id, "visit_id": visit_id, "channel": channel, "recorded_at": format_time(at)}
    store.visits.record({**row, "desk_id": None, "employee_id": None, "token_name": "queue"})


def _phoned(store: Store, site_id: str, visits: list[tuple[str, str]], seq: int, at: datetime = NINE) -> None:
    """Ratings that came through no desk (a call, or a link), each naming a visit: (channel, visit_id)."""
    ratings = [
        make_rating("taqyeem-api-ivr", seq + i, 4, at + timedelta(minutes=i), channel=channel, visit_id=visit)
        for i, (channel, visit) in enumerate(visits)
    ]
    store_batch(store, Batch(ratings, rating_places={r.id: (site_id, None) for r in ratings}), NOW)


def _store(path: Path) -> Store:
    store = Store(path)
    for site_id, device_id in DEVICES.items():
        store.devices.register(device_id, desk_config(site_id, "desk-01"), NOW)
    return store


def test_only_visits_rated_by_their_visit_id_count_and_ratings_without_one_do_not(tmp_path: Path) -> None:
    store = _store(tmp_path / "taqyeem.db")
    try:
        plain = [make_rating("dev-a1", i + 1, 4, NINE + timedelta(minutes=i)) for i in range(30)]  # no visit_id
        named = [make_rating("dev-a1", 100 + i, 5, NINE, visit_id=f"D-{i}") for i in range(10)]
        named += [make_rating("dev-a1", 200, 1, NINE, visit_id="D-0")]  # D-0 rated twice: still one visit rated
        named += [make_rating("dev-a1", 201, 3, NINE, visit_id="X-unknown")]  # a visit never recorded
        named += [make_rating("dev-b1", 1, 3, NINE, visit_id="D-11")]  # site b's D-11 is not site a's
        store_batch(store, Batch(plain + named), NOW)
        _phoned(store, "site-a", [("call", f"C-{i}") for i in range(4)] + [("link", "C-4")], 1)
        for i in range(60):
            _record(store, "site-a", f"D-{i}", "desk", NINE + timedelta(minutes=i))
        for i in range(40):
            _record(store, "site-a", f"C-{i}", "call", NINE + timedelta(minutes=i))
        _record(store, "site-a", "D-0", "call", NINE)  # a repeat of a visit id: still one visit
        _record(store, "site-b", "D-0", "desk", NINE)  # another site's, not rated there
        _record(store, "site-a", "late", "desk", NINE + timedelta(days=1))  # the next day: outside the span
        span = span_of(DAY, DAY, None, None)

        report = build_period(store, CALENDAR, None, span, "site-a")
        assert (report["count"], report["visits"], report["calls"]) == (30 + 11 + 1 + 5, 60, 40)
        assert report["response_rate"] == 0.15  # (10 desk visits + 5 calls rated) of 100
        desk, call, link = (report["by_channel"][c] for c in ("desk", "call", "link"))
        assert (desk["recorded"], desk["rated"], desk["response_rate"]) == (60, 10, 0.1667)
        assert (call["recorded"], call["rated"], call["response_rate"]) == (40, 5, 0.125)  # the link answered C-4
        assert (link["recorded"], link["rated"], link["response_rate"]) == (None, None, None)  # links record nothing

        everywhere = build_period(store, CALENDAR, None, span, None)
        assert (everywhere["visits"], everywhere["calls"], everywhere["response_rate"]) == (61, 40, 0.1485)
        scoped = build_period(store, CALENDAR, ["site-b"], span, None)
        assert (scoped["visits"], scoped["calls"], scoped["response_rate"]) == (1, 0, 0.0)
        assert scoped["by_channel"]["call"]["response_rate"] is None  # site b recorded no call
    finally:
        store.close()


def test_the_rate_counts_a_visit_rated_after_the_span_it_was_recorded_in(tmp_path: Path) -> None:
    store = _store(tmp_path / "taqyeem.db")
    try:
        _record(store, "site-a", "C-1", "call", NINE)
        _phoned(store, "site-a", [("link", "C-1")], 1, NINE + timedelta(days=1))  # rated through its link the next day
        report = build_period(store, CALENDAR, None, span_of(DAY, DAY, None, None), "site-a")
        assert report["count"] == 0  # the rating counts on its own day
        assert (report["calls"], report["response_rate"], report["by_channel"]["call"]["rated"]) == (1, 1.0, 1)
    finally:
        store.close()


def test_no_visit_recorded_gives_no_response_rate() -> None:
    none = {"desk": {"recorded": 0, "rated": 0}, "call": {"recorded": 0, "rated": 0}}
    assert recorded_figures(none) == {"visits": 0, "calls": 0, "response_rate": None}
    assert recorded_figures(None) == {"visits": None, "calls": None, "response_rate": None}
    assert channel_responses("desk", none) == {"recorded": 0, "rated": 0, "response_rate": None}
    assert channel_responses("link", none)["response_rate"] is None


_RATINGS = st.lists(
    st.tuples(
        st.sampled_from(SITES),
        st.sampled_from(("desk", "call", "link")),
        st.one_of(st.none(), st.sampled_from([f"V-{i}" for i in range(8)])),  # None: no visit named
        st.integers(min_value=1, max_value=5),
    ),
    max_size=25,
)
_VISITS = st.lists(
    st.tuples(st.sampled_from(SITES), st.sampled_from([f"V-{i}" for i in range(8)]), st.sampled_from(("desk", "call"))),
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(visits=_VISITS, ratings=_RATINGS, site=st.sampled_from((None, *SITES)))
def test_the_response_rate_is_never_above_one_whatever_the_data(
    visits: list[tuple[str, str, str]], ratings: list[tuple[str, str, str | None, int]], site: str | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = _store(Path(folder) / "taqyeem.db")
        try:
            for site_id, visit_id, channel in visits:
                _record(store, site_id, visit_id, channel, NINE)
            made: list[Rating] = []
            places: dict[str, tuple[str, None]] = {}
            for i, (site_id, channel, visit_id, score) in enumerate(ratings):
                device = DEVICES[site_id] if channel == "desk" else "taqyeem-api-ivr"
                at = NINE + timedelta(seconds=i)
                rating = make_rating(device, i + 1, score, at, channel=channel, visit_id=visit_id)
                made.append(rating)
                if channel != "desk":
                    places[rating.id] = (site_id, None)
            store_batch(store, Batch(made, rating_places=places), NOW)
            report = build_period(store, CALENDAR, None, span_of(DAY, DAY, None, None), site)
        finally:
            store.close()
    first: dict[tuple[str, str], str] = {}  # the first record of a (site, visit id) stays
    for s, v, c in visits:
        first.setdefault((s, v), c)
    stored = {key: c for key, c in first.items() if site in (None, key[0])}
    named = {(s, v) for s, _, v, _ in ratings if v is not None}
    rated = {key for key in stored if key in named}
    rates = [report["response_rate"]] + [report["by_channel"][c]["response_rate"] for c in ("desk", "call", "link")]
    assert all(rate is None or 0 <= rate <= 1 for rate in rates)
    assert (report["response_rate"] is None) == (not stored)
    if stored:
        assert report["response_rate"] == round(len(rated) / len(stored), 4)
    for channel in ("desk", "call"):
        mine = {key for key, c in stored.items() if c == channel}
        part = report["by_channel"][channel]
        assert (part["recorded"], part["rated"]) == (len(mine), len(mine & rated))
