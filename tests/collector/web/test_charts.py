"""Charts as inline SVG (collector/web/charts.py), read back as XML: scores left to right in both languages,
time order left to right, gaps where a day has no ratings, titles escaped.

The charts on the pages themselves are looked at in Chromium by tests/collector/web/test_browser.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from collector.web.charts import SCORE_COLOURS, count_bars, line_chart, score_bars, sparkline

SVG = "{http://www.w3.org/2000/svg}"


def svg(markup: str) -> ET.Element:
    """The chart as an element tree (the namespace added, as a browser reads inline SVG)."""
    drawn = str(markup).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)
    return ET.fromstring(drawn)  # noqa: S314 - what the code under test just drew


def test_score_bars_run_from_1_at_the_left_to_5_at_the_right_never_mirrored() -> None:
    chart = svg(score_bars([1, 0, 2, 5, 10], "Scores"))
    assert chart.get("dir") == "ltr"
    bars = chart.findall(f"{SVG}rect")
    assert [b.get("fill") for b in bars] == list(SCORE_COLOURS)
    assert [float(b.get("x", "")) for b in bars] == sorted(float(b.get("x", "")) for b in bars)
    axis = [t.text for t in chart.findall(f"{SVG}text") if t.get("class") == "axis"]
    assert axis == ["1", "2", "3", "4", "5"]


def test_the_tallest_bar_is_the_largest_count_and_an_empty_score_has_no_height() -> None:
    heights = [float(b.get("height", "")) for b in svg(score_bars([1, 0, 2, 5, 10], "Scores")).findall(f"{SVG}rect")]
    assert heights[4] == max(heights) and heights[1] == 0
    assert heights[3] == heights[4] / 2


def test_no_ratings_draw_five_empty_bars() -> None:
    chart = svg(score_bars([0, 0, 0, 0, 0], "Scores"))
    assert {float(b.get("height", "")) for b in chart.findall(f"{SVG}rect")} == {0.0}


def test_a_title_is_escaped_and_read_out_as_the_chart_s_label() -> None:
    chart = svg(score_bars([1, 1, 1, 1, 1], '<script>alert("x")</script> & co'))
    assert chart.get("aria-label") == '<script>alert("x")</script> & co'
    assert chart.find(f"{SVG}title") is not None and not chart.findall(f".//{SVG}script")


def test_a_line_of_daily_means_leaves_a_gap_on_a_day_without_ratings() -> None:
    points = [("2026-11-01", 4.0), ("2026-11-02", 3.5), ("2026-11-03", None), ("2026-11-04", 4.5), ("2026-11-05", 5.0)]
    chart = svg(line_chart(points, "Daily mean"))
    lines = chart.findall(f"{SVG}polyline")
    assert [len(line.get("points", "").split()) for line in lines] == [2, 2]
    assert len(chart.findall(f"{SVG}circle")) == 4
    ends = [t.text for t in chart.findall(f"{SVG}text") if t.get("class") == "axis"][-2:]
    assert ends == ["2026-11-01", "2026-11-05"]  # the oldest day at the left


def test_a_higher_mean_is_drawn_higher() -> None:
    dots = svg(line_chart([("a", 2.0), ("b", 5.0)], "t")).findall(f"{SVG}circle")
    assert float(dots[1].get("cy", "")) < float(dots[0].get("cy", ""))


def test_a_lone_day_between_gaps_is_a_dot_without_a_line() -> None:
    chart = svg(line_chart([("a", None), ("b", 3.0), ("c", None)], "t"))
    assert not chart.findall(f"{SVG}polyline") and len(chart.findall(f"{SVG}circle")) == 1


def test_count_bars_label_each_bar_and_scale_to_the_largest() -> None:
    chart = svg(count_bars([("08", 2), ("09", 4), ("10", 0)], "Per hour"))
    assert [float(b.get("height", "")) for b in chart.findall(f"{SVG}rect")] == [62.0, 124.0, 0.0]
    assert [t.text for t in chart.findall(f"{SVG}text") if t.get("class") == "axis"] == ["08", "09", "10"]


def test_no_hours_draw_an_empty_chart() -> None:
    assert svg(count_bars([], "Per hour")).findall(f"{SVG}rect") == []


def test_a_sparkline_of_no_days_with_ratings_is_nothing() -> None:
    assert sparkline([None, None]) == ""


def test_a_sparkline_of_one_day_is_a_dot_labelled_with_its_mean() -> None:
    spark = svg(sparkline([None, 4.256, None]))
    assert spark.find(f"{SVG}polyline") is None
    assert spark.find(f"{SVG}text") is not None and spark.find(f"{SVG}text").text == "4.26"  # type: ignore[union-attr]


def test_a_sparkline_of_several_days_is_a_line_through_a_dot_per_day() -> None:
    spark = svg(sparkline([4.0, None, 3.0, 5.0]))
    assert len(spark.find(f"{SVG}polyline").get("points", "").split()) == 3  # type: ignore[union-attr]
    assert len(spark.findall(f"{SVG}circle")) == 3
