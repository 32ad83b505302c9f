"""The chart geometry (pure) and its SVG template: bars scale, zero data, one value, escaping."""

from __future__ import annotations

import pytest

from rekindle.web import charts
from rekindle.web.charts import Point
from rekindle.web.deps import env


def draw(chart: charts.Chart) -> str:
    return env.get_template("_chart.html").render(c=chart)


def test_columns_scale_to_a_nice_ceiling_and_keep_their_order() -> None:
    points = [Point("w1", 2, "2"), Point("w2", 0, "0"), Point("w3", 7, "7")]
    chart = charts.columns("weeks", "Per week", points, x_label="week", y_label="outreach")
    assert [t.text for t in chart.ticks] == ["0", "5", "10"]  # 7 rounds up to 10
    plot_height = chart.axis[1] - 20  # from the axis to the top margin
    assert chart.bars[2].height == pytest.approx(plot_height * 7 / 10)
    assert chart.bars[0].height == pytest.approx(plot_height * 2 / 10)
    assert chart.bars[1].height == 0 and chart.bars[1].text == ""  # zero: no bar, no number
    assert [b.x for b in chart.bars] == sorted(b.x for b in chart.bars)
    # every bar stands on the axis and stays inside the viewBox
    base = chart.axis[1]
    for b in chart.bars:
        assert b.y + b.height == pytest.approx(base)
        assert b.x >= 0 and b.x + b.width <= chart.width and b.y >= 0


def test_columns_label_the_last_week_and_every_fourth_before_it() -> None:
    points = [Point(f"w{i}", i, str(i)) for i in range(10)]
    chart = charts.columns("w", "W", points, x_label="week", y_label="n", label_every=4)
    assert [b.label for b in chart.bars if b.label_x is not None] == ["w1", "w5", "w9"]


def test_bars_scale_to_the_top_given() -> None:
    points = [Point("email", 50.0, "50% (1 of 2)"), Point("sms", 100.0, "100% (1 of 1)")]
    chart = charts.bars("m", "Rate", points, x_label="% answered", category="medium", top=100)
    full = chart.width - 8 - 112
    assert [b.width for b in chart.bars] == [pytest.approx(full / 2), pytest.approx(full)]
    assert [t.text for t in chart.ticks] == ["0", "50", "100"]
    assert chart.bars[0].y < chart.bars[1].y  # top to bottom in the order given
    assert chart.height >= chart.bars[-1].y + chart.bars[-1].height


def test_zero_data_draws_no_bars_and_a_scale_of_one() -> None:
    chart = charts.bars("z", "Nothing", [Point("a", 0, "0")], x_label="people", category="x")
    assert chart.bars[0].width == 0
    assert [t.text for t in chart.ticks] == ["0", "1"]  # no half person on the scale
    svg = draw(chart)
    assert "<rect" not in svg and ">0</text>" in svg
    empty = charts.bars("e", "Empty", [], x_label="people", category="x")
    assert empty.bars == [] and empty.description == "Empty: no data yet."
    assert "<svg" in draw(empty)


def test_one_value_fills_the_scale() -> None:
    chart = charts.columns("one", "One", [Point("w", 3, "3")], x_label="week", y_label="n")
    [bar] = chart.bars
    assert [t.text for t in chart.ticks] == ["0", "5"]
    assert bar.height == pytest.approx((chart.axis[1] - 20) * 3 / 5)
    assert bar.label_x is not None  # the only (and last) label is shown


def test_nice_ceiling() -> None:
    assert [charts.nice_ceiling(v) for v in (0, 0.3, 1, 3, 7, 11, 20, 21, 450)] == [
        1, 0.5, 1, 5, 10, 20, 20, 50, 500,
    ]  # fmt: skip


def test_a_long_series_is_described_by_its_non_zero_points() -> None:
    points = [Point(f"w{i}", 1 if i == 3 else 0, "1" if i == 3 else "0") for i in range(12)]
    assert charts.describe("Per week", points) == "Per week: w3: 1; the others 0."
    assert charts.describe("Per week", [Point(f"w{i}", 0, "0") for i in range(9)]) == (
        "Per week: all 0."
    )


def test_labels_titles_and_numbers_are_escaped_in_the_svg() -> None:
    hostile = "<script>alert(1)</script>"
    chart = charts.bars(
        "x", f"Title {hostile}", [Point(hostile, 2, '"><img src=x onerror=alert(1)>')],
        x_label="<b>people</b>", category="<i>tag</i>",
    )  # fmt: skip
    svg = draw(chart)
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert " style=" not in svg
