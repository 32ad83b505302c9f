"""The Person page's history chart as plain geometry (pure): one stacked column per month
(from them, from you, meetings) and a shaded band over each quiet stretch.

``templates/_history_chart.html`` draws it as inline SVG with classes only (the
Content-Security-Policy forbids ``style`` attributes), like ``charts.py``'s bar charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rekindle.engine.scoring import span_words
from rekindle.plural import counted
from rekindle.services.person_history import Month, MonthlyHistory, Quiet
from rekindle.web.charts import Tick, nice_ceiling

WIDTH, HEIGHT = 720, 200
LEFT, RIGHT, ABOVE, BELOW = 34.0, 8.0, 22.0, 30.0
#: the stack, bottom up: (the field of Month, its class, its words)
LAYERS = (
    ("outbound", "out", "from you"),
    ("inbound", "in", "from them"),
    ("meetings", "meet", "meetings"),
)


@dataclass(frozen=True)
class Rect:
    kind: str
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    label: str
    #: where the label goes (None: the band is too narrow for it)
    label_x: float | None


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class HistoryChart:
    width: int
    height: int
    rects: list[Rect]
    bands: list[Band]
    ticks: list[Tick]
    labels: list[Label]
    axis: tuple[float, float, float, float]
    description: str


def _x(months: Sequence[Month], slot: float, day: date) -> float:
    """Where a day falls: its month's slot plus its share of the month."""
    first = months[0].start
    index = (day.year - first.year) * 12 + day.month - first.month
    return LEFT + slot * (index + (day.day - 1) / 31)


def _labels(months: Sequence[Month], slot: float) -> list[Label]:
    """The years at each January when the history is long, else every third month."""
    years = len(months) > 24
    step = max(1, round(len(months) / 12 / 4)) if years else 3
    out = []
    for i, m in enumerate(months):
        if years:
            if m.start.month == 1 and (m.start.year % step == 0):
                out.append(Label(round(LEFT + slot * i, 2), str(m.start.year)))
        elif i % step == 0:
            out.append(Label(round(LEFT + slot * (i + 0.5), 2), f"{m.start:%b %y}"))
    return out


def _quiet_words(q: Quiet) -> str:
    span = span_words((q.end - q.start).days)
    return f"quiet for {span}" + (" now" if q.ongoing else "")


def describe(h: MonthlyHistory) -> str:
    if not h.months:
        return "No interactions on record."
    inbound = sum(m.inbound for m in h.months)
    outbound = sum(m.outbound for m in h.months)
    meetings = sum(m.meetings for m in h.months)
    busiest = max(h.months, key=lambda m: m.total)
    words = (
        f"{counted(inbound, 'message')} from them, {outbound:,} from you and "
        f"{counted(meetings, 'meeting')} from {h.months[0].start:%b %Y} to "
        f"{h.months[-1].start:%b %Y}; the busiest month {busiest.start:%b %Y} "
        f"({counted(busiest.total, 'contact')})"
    )
    for q in h.quiet:
        words += f"; {_quiet_words(q)} from {q.start:%b %Y}" + (
            "" if q.ongoing else f" to {q.end:%b %Y}"
        )
    return words + "."


def history_chart(h: MonthlyHistory) -> HistoryChart | None:
    """The chart of ``h``, or None when there is nothing to draw."""
    if not h.months:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - ABOVE - BELOW
    base = ABOVE + plot_h
    slot = plot_w / len(h.months)
    scale = nice_ceiling(max(m.total for m in h.months))
    rects = []
    for i, m in enumerate(h.months):
        y = base
        gap = min(slot * 0.15, 2.0)
        for name, kind, words in LAYERS:
            n = getattr(m, name)
            if not n:
                continue
            height = plot_h * n / scale
            y -= height
            title = f"{m.start:%b %Y}: {counted(n, 'message' if kind != 'meet' else 'meeting')}"
            if kind != "meet":
                title += f" {words}"
            rects.append(
                Rect(
                    kind,
                    round(LEFT + i * slot + gap / 2, 2),
                    round(y, 2),
                    round(max(slot - gap, 0.8), 2),
                    round(height, 2),
                    title,
                )
            )
    bands = []
    for q in h.quiet:
        x0 = _x(h.months, slot, q.start)
        x1 = min(_x(h.months, slot, q.end), WIDTH - RIGHT)
        width = max(x1 - x0, 1.0)
        label = _quiet_words(q)
        fits = width >= len(label) * 6.2
        bands.append(
            Band(round(x0, 2), round(width, 2), label, round(x0 + width / 2, 2) if fits else None)
        )
    middle = scale / 2
    levels = [0.0, middle, scale] if middle.is_integer() else [0.0, scale]
    ticks = [
        Tick(f"{v:g}", LEFT - 4, y, WIDTH - RIGHT, y, LEFT - 6, y + 4)
        for v in levels
        for y in [round(base - plot_h * v / scale, 2)]
    ]
    return HistoryChart(
        WIDTH,
        HEIGHT,
        rects,
        bands,
        ticks,
        _labels(h.months, slot),
        (LEFT, base, WIDTH - RIGHT, base),
        describe(h),
    )
