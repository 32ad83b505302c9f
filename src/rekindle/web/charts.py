"""Bar charts as plain geometry (pure): where each bar, label and tick goes in an SVG viewBox.

The template ``_chart.html`` draws it as inline SVG with presentation attributes and CSS
classes only (the Content-Security-Policy forbids ``style`` attributes), so no script and no
chart library is needed. Two shapes: ``columns`` for a time series (one column per week),
``bars`` for categories (a label above each horizontal bar, so long labels fit a phone).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: the viewBox width; the SVG scales to its container (width 100%)
WIDTH = 400


@dataclass(frozen=True)
class Point:
    label: str
    value: float
    text: str
    #: a shorter label for the axis ("16 Dec" for "16 Dec 2024"); the label by default
    short: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    x: float
    y: float
    width: float
    height: float
    #: where the value's text goes, and where the label goes (None: not shown on the axis)
    text_x: float
    text_y: float
    label_x: float | None
    label_y: float | None


@dataclass(frozen=True)
class Tick:
    text: str
    x1: float
    y1: float
    x2: float
    y2: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    key: str
    kind: str  # "columns" or "bars"
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    x_label: str
    y_label: str
    #: what each point is (the first column of the data table)
    category: str
    #: the baseline (axis) from (x1, y1) to (x2, y2)
    axis: tuple[float, float, float, float]
    points: list[Point]


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 × 10^k at least ``value`` (1 for nothing at all)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def describe(title: str, points: Sequence[Point]) -> str:
    """The chart in one sentence, for screen readers; a long series names its non-zero
    points only."""
    if not points:
        return f"{title}: no data yet."
    shown = [p for p in points if p.value] if len(points) > 8 else list(points)
    words = "; ".join(f"{p.label}: {p.text}" for p in shown)
    if len(shown) < len(points):
        words = f"{words}; the others 0" if shown else "all 0"
    return f"{title}: {words}."


def _levels(scale: float) -> list[float]:
    """The values the scale marks: 0, the middle when it is a whole number, and the top."""
    middle = scale / 2
    return [0.0, middle, scale] if middle.is_integer() else [0.0, scale]


def columns(
    key: str,
    title: str,
    points: Sequence[Point],
    *,
    x_label: str,
    y_label: str,
    label_every: int = 4,
    top: float | None = None,
    width: int = WIDTH,
) -> Chart:
    """One column per point, left to right; the last point's label on the axis and every
    ``label_every``-th before it. ``top`` is the value at the top of the scale (default: a nice ceiling).
    ``width``: the viewBox's (a wider one keeps its text small on a wide page)."""
    height = 240
    left, right, above, below = 36.0, 8.0, 20.0, 48.0
    plot_w, plot_h = width - left - right, height - above - below
    scale = top or nice_ceiling(max((p.value for p in points), default=0))
    base = above + plot_h
    slot = plot_w / max(len(points), 1)
    bars = []
    for i, p in enumerate(points):
        h = plot_h * max(p.value, 0) / scale
        x = left + i * slot + slot * 0.15
        labelled = (len(points) - 1 - i) % label_every == 0
        bars.append(
            Bar(
                p.short or p.label,
                p.text if p.value else "",
                round(x, 2),
                round(base - h, 2),
                round(slot * 0.7, 2),
                round(h, 2),
                round(x + slot * 0.35, 2),
                round(base - h - 4, 2),
                round(x + slot * 0.35, 2) if labelled else None,
                base + 16 if labelled else None,
            )
        )
    ticks = [
        Tick(_number(v), left - 4, y, width - right, y, left - 6, y + 4)
        for v in _levels(scale)
        for y in [round(base - plot_h * v / scale, 2)]
    ]
    return Chart(
        key,
        "columns",
        title,
        describe(title, points),
        width,
        height,
        bars,
        ticks,
        x_label,
        y_label,
        x_label,
        (left, base, width - right, base),
        list(points),
    )


def bars(
    key: str,
    title: str,
    points: Sequence[Point],
    *,
    x_label: str,
    category: str,
    top: float | None = None,
) -> Chart:
    """One horizontal bar per point, top to bottom, each with its label above it and its
    value's text after it. ``top`` is the value at the right end (default: a nice ceiling)."""
    left, right, row, bar_h, above, below = 8.0, 112.0, 46.0, 16.0, 8.0, 44.0
    plot_w = WIDTH - left - right
    scale = top or nice_ceiling(max((p.value for p in points), default=0))
    found = []
    for i, p in enumerate(points):
        y = above + i * row
        w = plot_w * max(p.value, 0) / scale
        found.append(
            Bar(
                p.label,
                p.text,
                left,
                round(y + 21, 2),
                round(w, 2),
                bar_h,
                round(left + w + 6, 2),
                round(y + 34, 2),
                left,
                round(y + 15, 2),
            )
        )
    height = int(above + row * max(len(points), 1) + below)
    base = height - below + 4
    ticks = [
        Tick(_number(v), x, above, x, base, x, base + 16)
        for v in _levels(scale)
        for x in [round(left + plot_w * v / scale, 2)]
    ]
    return Chart(
        key,
        "bars",
        title,
        describe(title, points),
        WIDTH,
        height,
        found,
        ticks,
        x_label,
        "",
        category,
        (left, base, WIDTH - right, base),
        list(points),
    )
