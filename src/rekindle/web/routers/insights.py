"""Insights: what your outreach did and how your network sits, as server-drawn SVG charts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rekindle.services import insights as insights_svc
from rekindle.services.insights import Series
from rekindle.web import charts
from rekindle.web.deps import NowDep, StoreDep, render

router = APIRouter(tags=["insights"])

#: per figure: what each bar is, and what to say when there is nothing to draw yet
WORDS = {
    "per_week": (
        "week starting",
        "No outreach in these weeks yet: mark a draft sent or log a call.",
    ),
    "by_medium": ("medium", "No message has gone out yet, so there is no reply rate."),
    "by_intent": ("intent", "No message has gone out yet, so there is no reply rate."),
    "by_silence": ("silence before", "No message has gone out yet, so there is no reply rate."),
    "dormancy": ("last contact", "No people yet: import your contacts."),
    "tiers": ("tier", "No people yet: import your contacts."),
}


def chart_of(series: Series) -> charts.Chart:
    points = [charts.Point(f.label, f.value, f.text) for f in series.figures]
    if series.key == "per_week":  # "16 Dec" on the axis for "16 Dec 2024"
        points = [charts.Point(p.label, p.value, p.text, p.label[:6]) for p in points]
    category, _ = WORDS[series.key]
    if series.key == "per_week":
        return charts.columns(
            series.key, series.title, points, x_label=category, y_label=series.unit
        )
    return charts.bars(
        series.key,
        series.title,
        points,
        x_label=series.unit,
        category=category,
        top=100.0 if series.rate else None,
    )


@router.get("/insights")
def insights(request: Request, store: StoreDep, now: NowDep) -> Response:
    found = insights_svc.insights(store, now)
    shown = [
        {
            "series": s,
            "chart": None if s.empty else chart_of(s),
            "empty": WORDS[s.key][1],
        }
        for s in found.series
    ]
    return render(request, "insights.html", {"shown": shown, "now": now})
