"""Server-side SVG charts: pure functions from numbers and translated labels to markup.

Every text is escaped; colours and strokes come from CSS classes (the CSP forbids inline
styles), so a chart is plain shapes with ``class`` attributes. Each shape carries a ``<title>``
with its label and value, and the whole chart a ``<title>`` and ``aria-label``; the page shows
the same numbers in a table next to it. A label and its value are joined as the reader's
language joins them ("Accepted: 21", « Acceptée : 21 »).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

Format = Callable[[float], str]

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 64  # plot margins (room for ticks and axis labels)
LEGEND_ROW = 20
TICKS = 4
MAX_BAR = 64  # the widest a vertical bar gets, however few the categories
CHAR_WIDTH = 8
MAX_LABELS = 12
EMPTY_HEIGHT = 96


@dataclass(frozen=True)
class Series:
    """One set of values drawn in one colour (a CSS class), e.g. the accepted introductions."""

    label: str
    css: str
    values: Sequence[float | None]


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _tip(category: str, series: str, value: str) -> str:
    """Return a bar's tooltip: its category, its series and its value, as the reader writes
    a label and its value."""
    return _("%(category)s · %(series)s: %(value)s", category=category, series=series,
             value=value)


def _svg(title: str, body: list[str], height: float = HEIGHT) -> Markup:
    label = escape(title)
    return Markup(
        f'<svg class="chart" role="img" aria-label="{label}" '
        f'viewBox="0 0 {WIDTH} {_number(height)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{label}</title>{"".join(body)}</svg>')


def _text(x: float, y: float, text: str, css: str = "chart-text", anchor: str = "middle",
          rotate: bool = False) -> str:
    turn = f' transform="rotate(-90 {_number(x)} {_number(y)})"' if rotate else ""
    return (f'<text class="{css}" x="{_number(x)}" y="{_number(y)}" text-anchor="{anchor}"'
            f'{turn}>{escape(text)}</text>')


def _rect(css: str, x: float, y: float, w: float, h: float, tip: str) -> str:
    return (f'<rect class="{css}" x="{_number(x)}" y="{_number(y)}" width="{_number(w)}" '
            f'height="{_number(h)}"><title>{escape(tip)}</title></rect>')


def empty_chart(title: str, message: str) -> Markup:
    """Return a chart frame that says why there is nothing to draw."""
    return _svg(title, [
        f'<rect class="chart-frame" x="1" y="1" width="{WIDTH - 2}" '
        f'height="{EMPTY_HEIGHT - 2}"/>',
        _text(WIDTH / 2, EMPTY_HEIGHT / 2 + 5, message, "chart-empty")], EMPTY_HEIGHT)


def _legend(series: Sequence[Series], y: float) -> tuple[list[str], float]:
    """Return the legend's swatches and labels from ``y`` down, and the height it takes."""
    parts, x, top = [], LEFT, y
    for s in series:
        width = 28 + CHAR_WIDTH * len(s.label)  # an estimate: SVG text does not wrap
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, y = LEFT, y + LEGEND_ROW
        parts.append(f'<rect class="swatch {s.css}" x="{x}" y="{_number(y - 11)}" '
                     f'width="12" height="12"/>')
        parts.append(_text(x + 16, y, s.label, anchor="start"))
        x += width
    return parts, y - top + LEGEND_ROW


def _nice_top(largest: float) -> float:
    """Return a round axis maximum >= ``largest`` whose ticks are round too (1, 2, 5 steps)."""
    raw = largest / TICKS
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return step * TICKS


def _value_axis(top: float, scale: float, fmt: Format, label: str) -> list[str]:
    """Horizontal grid lines with tick labels along the left edge (a vertical value axis)."""
    base, parts = HEIGHT - BOTTOM, []
    for i in range(TICKS + 1):
        value, y = top * i / TICKS, base - scale * top * i / TICKS
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                     f'y1="{_number(y)}" y2="{_number(y)}"/>')
        parts.append(_text(LEFT - 6, y + 4, fmt(value), anchor="end"))
    parts.append(_text(14, TOP + (base - TOP) / 2, label, "chart-axis", rotate=True))
    return parts


def stacked_bar_chart(categories: Sequence[str], series: Sequence[Series], *, title: str,
                      x_label: str, y_label: str, empty: str,
                      fmt: Format = _number) -> Markup:
    """Return vertical bars, one per category (e.g. a week), stacked by series (e.g. state)."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    if not categories or max(totals, default=0) <= 0:
        return empty_chart(title, empty)
    top, height = _nice_top(max(totals)), HEIGHT - TOP - BOTTOM
    scale, slot = height / top, (WIDTH - LEFT - RIGHT) / len(categories)
    width = min(slot * .7, MAX_BAR)
    body, step = _value_axis(top, scale, fmt, y_label), math.ceil(len(categories) / MAX_LABELS)
    for i, category in enumerate(categories):
        y = HEIGHT - BOTTOM
        for s in series:
            value = s.values[i] or 0
            if value > 0:
                y -= value * scale
                body.append(_rect(f"chart-bar {s.css}", LEFT + (i + .5) * slot - width / 2, y,
                                  width, value * scale, _tip(category, s.label, fmt(value))))
        if i % step == 0:  # at most MAX_LABELS category labels, so that they do not overlap
            body.append(_text(LEFT + (i + .5) * slot, HEIGHT - BOTTOM + 14, category))
    body.append(_text(LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - BOTTOM + 32, x_label,
                      "chart-axis"))
    legend, extra = _legend(series, HEIGHT - BOTTOM + 54)
    return _svg(title, body + legend, HEIGHT - BOTTOM + 40 + extra)


def horizontal_bar_chart(categories: Sequence[str], series: Sequence[Series], *, title: str,
                         x_label: str, empty: str, fmt: Format = _number,
                         maximum: float | None = None) -> Markup:
    """Return horizontal bars, one group per category with one bar per series (paired bars).

    ``maximum`` fixes the scale (e.g. 1 for shares); by default the largest value fills it.
    """
    values = [v for s in series for v in s.values if v is not None]
    top = maximum or max(values, default=0)
    if not categories or not values or top <= 0:
        return empty_chart(title, empty)
    left, bar = 210, 16  # room for the category labels, e.g. two country names
    group = bar * len(series) + 10
    scale = (WIDTH - left - RIGHT - 40) / top
    body = []
    for i, category in enumerate(categories):
        y0 = TOP + i * group
        body.append(_text(left - 6, y0 + group / 2, category, anchor="end"))
        for j, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            y = y0 + j * bar
            body.append(_rect(f"chart-bar {s.css}", left, y, value * scale, bar - 3,
                              _tip(category, s.label, fmt(value))))
            body.append(_text(left + value * scale + 4, y + bar - 5, fmt(value),
                              anchor="start"))
    base = TOP + group * len(categories)
    body.append(f'<line class="chart-axis-line" x1="{left}" x2="{left}" y1="{TOP}" '
                f'y2="{base}"/>')
    body.append(_text(left + (WIDTH - left) / 2, base + 20, x_label, "chart-axis"))
    legend, extra = _legend(series, base + 44)
    return _svg(title, body + legend, base + 30 + extra)


def calibration_chart(points: Sequence[tuple[int, float, str]], *, title: str, x_label: str,
                      y_label: str, empty: str, expected: str,
                      fmt: Format = _number, x_fmt: Format = _number) -> Markup:
    """Return the acceptance rate per score decile against the diagonal of a calibrated score.

    ``points`` holds ``(decile 0-9, acceptance rate 0-1, tooltip)``; the diagonal passes
    through each decile's midpoint score, the rate a calibrated score would predict.
    """
    if not points:
        return empty_chart(title, empty)
    height = HEIGHT - TOP - BOTTOM
    slot, base = (WIDTH - LEFT - RIGHT) / 10, HEIGHT - BOTTOM
    body = _value_axis(1, height, fmt, y_label)
    for decile, rate, tip in points:
        body.append(_rect("chart-bar s-rate", LEFT + decile * slot + slot * .15,
                          base - rate * height, slot * .7, rate * height, tip))
    for edge in range(11):  # ticks at the deciles' edges: 0.0, 0.1, … 1.0
        body.append(_text(LEFT + edge * slot, base + 14, x_fmt(edge / 10)))
    diagonal = " ".join(
        f"{_number(LEFT + (d + .5) * slot)},{_number(base - (d + .5) / 10 * height)}"
        for d in range(10))
    body.append(f'<polyline class="chart-diagonal" points="{diagonal}">'
                f'<title>{escape(expected)}</title></polyline>')
    body.append(_text(LEFT + (WIDTH - LEFT - RIGHT) / 2, base + 32, x_label, "chart-axis"))
    legend, extra = _legend([Series(y_label, "s-rate", []), Series(expected, "s-diagonal", [])],
                            base + 54)
    return _svg(title, body + legend, base + 40 + extra)
