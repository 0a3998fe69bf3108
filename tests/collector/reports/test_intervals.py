"""Means out of 5 with their 95% interval (collector/reports/intervals.py), from scores or from counts per score."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collector.reports.intervals import interval_of_counts, mean_interval, t_critical

SCORES = st.lists(st.integers(min_value=1, max_value=5), max_size=200)


def test_no_ratings_have_no_mean_and_one_rating_has_a_mean_but_no_interval() -> None:
    assert mean_interval([]) == (None, None, None)
    assert mean_interval([4]) == (4.0, None, None)


def test_the_interval_is_the_t_interval_of_the_scores() -> None:
    scores = [4, 4, 3, 4, 3, 4]
    mean, low, high = mean_interval(scores)
    half = 2.571 * statistics.stdev(scores) / math.sqrt(len(scores))  # 5 degrees of freedom
    assert mean == pytest.approx(22 / 6)
    assert (low, high) == (pytest.approx(mean - half), pytest.approx(mean + half))


def test_the_interval_is_clipped_to_the_scale() -> None:
    assert mean_interval([1, 5]) == (3.0, 1.0, 5.0)  # the t interval of two far apart scores runs far past both ends


def test_ratings_all_alike_have_an_interval_of_no_width() -> None:
    assert mean_interval([5, 5, 5]) == (5.0, 5.0, 5.0)


@pytest.mark.parametrize(("df", "t"), [(1, 12.706), (5, 2.571), (11, 2.228), (59, 2.021), (999, 1.980), (1000, 1.960)])
def test_the_critical_value_is_that_of_the_nearest_tabled_lower_degrees_of_freedom(df: int, t: float) -> None:
    assert t_critical(df) == t


@given(SCORES)
def test_counts_per_score_give_the_same_answer_as_the_scores_themselves(scores: list[int]) -> None:
    assert interval_of_counts([scores.count(s) for s in range(1, 6)]) == mean_interval(scores)


@given(SCORES.filter(lambda s: len(s) >= 2))
def test_the_interval_holds_the_mean_and_stays_on_the_scale(scores: list[int]) -> None:
    mean, low, high = mean_interval(scores)
    assert mean is not None and low is not None and high is not None
    assert 1.0 <= low <= mean + 1e-9 and mean - 1e-9 <= high <= 5.0


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=2, max_size=50))
def test_more_of_the_same_ratings_never_widen_the_interval(scores: list[int]) -> None:
    _, low, high = mean_interval(scores)
    _, low4, high4 = mean_interval(scores * 4)
    assert low is not None and high is not None and low4 is not None and high4 is not None
    assert high4 - low4 <= high - low + 1e-9
