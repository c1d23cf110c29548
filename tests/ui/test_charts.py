"""Server-side SVG charts (webapp/ui/charts.py): shapes, proportions, escaping, empty input."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from webapp.ui.charts import (
    Series,
    calibration_chart,
    empty_chart,
    horizontal_bar_chart,
    stacked_bar_chart,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '<script>alert("x")</script>&"'


def parse(svg: Markup) -> ET.Element:
    """Parse a chart as XML (it must be well-formed) and return its root."""
    return ET.fromstring(str(svg))


def bars(svg: Markup) -> list[ET.Element]:
    return [r for r in parse(svg).iter(f"{{{NS['svg']}}}rect")
            if r.get("class", "").split()[0] == "chart-bar"]


def size(rect: ET.Element, attr: str) -> float:
    return float(rect.get(attr))


def stacked(**kw):
    series = [Series("Accepted", "s-accepted", [2, 0, 4]),
              Series("Declined", "s-declined", [1, 3, 0])]
    args = {"title": "By state", "x_label": "Week", "y_label": "Introductions",
            "empty": "Nothing yet"} | kw
    return stacked_bar_chart(["W1", "W2", "W3"], series, **args)


def test_stacked_bars_are_proportional_and_stacked():
    chart = stacked()
    drawn = bars(chart)
    assert [r.get("class") for r in drawn] == [
        "chart-bar s-accepted", "chart-bar s-declined", "chart-bar s-declined",
        "chart-bar s-accepted"]  # zeros are not drawn
    heights = [size(r, "height") for r in drawn]
    unit = heights[0] / 2
    assert heights == pytest.approx([2 * unit, unit, 3 * unit, 4 * unit], abs=0.11)
    first, second = drawn[0], drawn[1]  # W1: declined sits on accepted
    assert size(second, "y") + size(second, "height") == pytest.approx(size(first, "y"), abs=.11)
    assert size(first, "x") == size(second, "x") < size(drawn[2], "x")


def test_chart_is_accessible_and_styled_by_classes_only():
    root = parse(stacked())
    assert root.get("role") == "img" and root.get("aria-label") == "By state"
    assert root.find("svg:title", NS).text == "By state"
    assert "style" not in str(stacked()) and "<script" not in str(stacked())
    tips = [r.find("svg:title", NS).text for r in bars(stacked())]
    assert tips[0] == "W1 · Accepted: 2"
    texts = [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
    assert "Week" in texts and "Introductions" in texts and "Declined" in texts


def test_hostile_labels_are_escaped():
    series = [Series(HOSTILE, "s-rate", [0.5])]
    for chart in (
        stacked_bar_chart([HOSTILE], series, title=HOSTILE, x_label=HOSTILE, y_label=HOSTILE,
                          empty=HOSTILE),
        horizontal_bar_chart([HOSTILE], series, title=HOSTILE, x_label=HOSTILE, empty=HOSTILE),
        calibration_chart([(5, 0.5, HOSTILE)], title=HOSTILE, x_label=HOSTILE, y_label=HOSTILE,
                          empty=HOSTILE, expected=HOSTILE),
        empty_chart(HOSTILE, HOSTILE),
    ):
        assert "<script>" not in str(chart)
        assert "&lt;script&gt;" in str(chart)
        root = parse(chart)  # still well-formed, and the label reads as written
        assert root.get("aria-label") == HOSTILE


@pytest.mark.parametrize("chart", [
    lambda: stacked_bar_chart([], [], title="T", x_label="x", y_label="y", empty="Nothing yet"),
    lambda: stacked_bar_chart(["W1"], [Series("A", "s-accepted", [0])], title="T",
                              x_label="x", y_label="y", empty="Nothing yet"),
    lambda: horizontal_bar_chart([], [], title="T", x_label="x", empty="Nothing yet"),
    lambda: horizontal_bar_chart(["MX"], [Series("A", "s-rate", [None])], title="T",
                                 x_label="x", empty="Nothing yet"),
    lambda: calibration_chart([], title="T", x_label="x", y_label="y", empty="Nothing yet",
                              expected="e"),
])
def test_empty_input_gives_an_explanatory_chart(chart):
    svg = chart()
    root = parse(svg)
    assert root.get("aria-label") == "T"
    assert [t.text for t in root.iter(f"{{{NS['svg']}}}text")] == ["Nothing yet"]
    assert bars(svg) == []


def test_horizontal_paired_bars_share_one_scale():
    chart = horizontal_bar_chart(
        ["Mexico", "Canada"], [Series("Profiles", "s-profiles", [0.5, 0.25]),
                               Series("Impressions", "s-impressions", [0.8, None])],
        title="Exposure", x_label="Share", empty="none", maximum=1,
        fmt=lambda v: f"{v:.0%}")
    drawn = bars(chart)
    assert [r.get("class") for r in drawn] == [
        "chart-bar s-profiles", "chart-bar s-impressions", "chart-bar s-profiles"]  # None: none
    widths = [size(r, "width") for r in drawn]
    assert widths[1] / widths[0] == pytest.approx(0.8 / 0.5, rel=1e-2)
    assert widths[2] / widths[0] == pytest.approx(0.5, rel=1e-2)
    assert size(drawn[0], "y") < size(drawn[1], "y") < size(drawn[2], "y")
    assert drawn[1].find("svg:title", NS).text == "Mexico · Impressions: 80%"


def test_horizontal_bars_scale_to_the_largest_value_by_default():
    drawn = bars(horizontal_bar_chart(["a", "b"], [Series("n", "s-share", [3, 6])],
                                      title="T", x_label="x", empty="none"))
    assert size(drawn[1], "width") == pytest.approx(2 * size(drawn[0], "width"), rel=1e-2)


def test_calibration_bars_and_diagonal():
    chart = calibration_chart([(2, 0.0, "d2"), (3, 1.0, "d3"), (8, 0.5, "d8")], title="Cal",
                              x_label="Score", y_label="Rate", empty="none", expected="Ideal")
    drawn = bars(chart)
    assert len(drawn) == 3
    heights = [size(r, "height") for r in drawn]
    assert heights[0] == 0 and heights[2] == pytest.approx(heights[1] / 2, abs=.11)
    xs = [size(r, "x") for r in drawn]
    slot = (xs[2] - xs[1]) / 5
    assert xs[1] - xs[0] == pytest.approx(slot, abs=.11)
    line = parse(chart).find("svg:polyline", NS)
    assert line.get("class") == "chart-diagonal"
    points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    assert len(points) == 10
    base = size(drawn[1], "y") + heights[1]  # the x axis
    # the diagonal passes through each decile's midpoint score: 0.05, 0.15, ... 0.95
    for decile, (_x, y) in enumerate(points):
        assert base - y == pytest.approx((decile + .5) / 10 * heights[1], abs=.11)


def test_count_axis_has_round_ticks():
    texts = [t.text for t in parse(stacked()).iter(f"{{{NS['svg']}}}text")]
    assert texts[:5] == ["0", "1", "2", "3", "4"]  # the tallest bar is 4


def test_a_long_legend_wraps_and_the_chart_grows():
    def height(labels):
        series = [Series(label, "s-accepted", [1]) for label in labels]
        chart = stacked_bar_chart(["W1"], series, title="T", x_label="x", y_label="y",
                                  empty="none")
        root = parse(chart)
        swatches = [r for r in root.iter(f"{{{NS['svg']}}}rect")
                    if r.get("class").startswith("swatch")]
        assert all(size(r, "x") + 16 < 640 for r in swatches)
        return float(root.get("viewBox").split()[3]), len({r.get("y") for r in swatches})

    short_height, short_rows = height(["A", "B"])
    long_height, long_rows = height(["A much longer label than fits"] * 6)
    assert short_rows == 1 and long_rows == 3 and long_height == short_height + 2 * 20
