"""A review's deadline (pure): closing time on the working day it came in, else the next working day's."""

from __future__ import annotations

from collector.reviews.deadlines import director_at, due_at, is_overdue
from collector.reviews.rota import Rota

ROTA = Rota("riyadh-hq", closes_at="16:00", opens_at="08:00", holidays=("2026-12-13",))  # Riyadh: UTC+3


def test_a_rating_in_working_hours_is_due_at_closing_the_same_day() -> None:
    assert due_at(ROTA, "2026-12-08T07:15:00.000Z") == "2026-12-08T13:00:00.000Z"  # Tue 10:15 -> Tue 16:00


def test_a_rating_after_closing_is_due_at_the_next_working_days_closing() -> None:
    assert due_at(ROTA, "2026-12-08T13:30:00.000Z") == "2026-12-09T13:00:00.000Z"  # Tue 16:30 -> Wed 16:00


def test_the_weekend_and_holidays_are_skipped() -> None:
    # Thursday 17:00: Friday and Saturday are off, Sunday 13 December is a holiday: Monday's closing.
    assert due_at(ROTA, "2026-12-10T14:00:00.000Z") == "2026-12-14T13:00:00.000Z"
    assert due_at(ROTA, "2026-12-11T09:00:00.000Z") == "2026-12-14T13:00:00.000Z"  # on a Friday


def test_the_director_hears_the_next_working_morning() -> None:
    assert director_at(ROTA, "2026-12-08T13:00:00.000Z") == "2026-12-09T05:00:00.000Z"  # Wed 08:00
    assert director_at(ROTA, "2026-12-10T13:00:00.000Z") == "2026-12-14T05:00:00.000Z"  # Thu -> Mon 08:00


def test_only_an_open_review_with_a_deadline_past_is_overdue() -> None:
    assert is_overdue("open", "2026-12-08T13:00:00.000Z", "2026-12-08T13:00:01.000Z")
    assert not is_overdue("open", "2026-12-08T13:00:00.000Z", "2026-12-08T12:59:59.000Z")
    assert not is_overdue("closed", "2026-12-08T13:00:00.000Z", "2026-12-09T00:00:00.000Z")
    assert not is_overdue("open", None, "2026-12-09T00:00:00.000Z")
