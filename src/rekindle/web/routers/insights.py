"""Insights: what your outreach did and how your network sits, as server-drawn SVG charts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rekindle.services import insights as insights_svc
from rekindle.services.insights import LEARNT_NOTE, Series
from rekindle.services.reply_learning import Learnt
from rekindle.web import charts
from rekindle.web.deps import NowDep, StoreDep, render

router = APIRouter(tags=["insights"])

_NO_REPLY_RATE = "No message has gone out yet, so there is no reply rate."
#: per figure: what each bar is, what to say when there is nothing to draw yet, and what will
#: appear there and when
WORDS = {
    "per_week": (
        "week starting",
        "No outreach in these weeks yet: mark a draft sent or log a call.",
        "A column for each week appears here once you mark a message sent or a call done "
        "(This week's “Mark done”, or “I sent it” on a draft).",
    ),
    "by_medium": (
        "medium",
        _NO_REPLY_RATE,
        "Once a message you sent is answered or its follow-up window closes, the share "
        "replied shows here for email, LinkedIn, text and calls.",
    ),
    "by_intent": (
        "intent",
        _NO_REPLY_RATE,
        "Which kind of message gets answers (a catch-up, a congratulation, an ask…) "
        "shows here after your first messages go out.",
    ),
    "by_silence": (
        "silence before",
        _NO_REPLY_RATE,
        "Whether long-quiet ties answer as often as recent ones shows here once a few of "
        "your messages have had their answer or their ten days.",
    ),
    "dormancy": (
        "last contact",
        "No people yet: import your contacts.",
        "How long since you were last in touch with each person shows here after an import.",
    ),
    "tiers": (
        "tier",
        "No people yet: import your contacts.",
        "How many close, regular, occasional and quiet ties you have shows here after an import.",
    ),
}
#: the time series' viewBox width: a full-width chart whose text stays readable
COLUMNS_WIDTH = 720


def bar_rows(series: Series) -> list[dict[str, object]]:
    """A category chart as rows: label, value's text, and the bar's share of the scale (%)."""
    top = (
        100.0
        if series.rate
        else charts.nice_ceiling(max((f.value for f in series.figures), default=0))
    )
    return [
        {"label": f.label, "text": f.text, "share": round(100 * max(f.value, 0) / top, 2)}
        for f in series.figures
    ]


def chart_of(series: Series) -> charts.Chart:
    points = [charts.Point(f.label, f.value, f.text) for f in series.figures]
    if series.key == "per_week":  # "16 Dec" on the axis for "16 Dec 2024"
        points = [charts.Point(p.label, p.value, p.text, p.label[:6]) for p in points]
    category = WORDS[series.key][0]
    if series.key == "per_week":
        return charts.columns(
            series.key,
            series.title,
            points,
            x_label=category,
            y_label=series.unit,
            width=COLUMNS_WIDTH,
        )
    return charts.bars(
        series.key,
        series.title,
        points,
        x_label=series.unit,
        category=category,
        top=100.0 if series.rate else None,
    )


#: the heading of each "what was learnt" figure's first column, as the Insights figures say it
LEARNT_CATEGORY = {"medium": "medium", "intent": "intent", "gap": "silence before"}


def learnt_chart(x: Learnt) -> dict[str, object]:
    """A "what was learnt" figure: per arm the estimated reply rate (%) and its interval."""
    points = [
        charts.Point(
            f"{r.name} (preferred)" if r.preferred else r.name,
            r.mean,
            f"{r.replies} of {r.sent} replied; estimated {r.mean:.0f}% "
            f"(90% interval {r.low:.0f}–{r.high:.0f}%)",
        )
        for r in x.rows
    ]
    return {
        "chart": charts.bars(
            f"learnt_{x.dimension}",
            x.title,
            points,
            x_label=insights_svc.REPLIED_UNIT,
            category=LEARNT_CATEGORY.get(x.dimension, x.dimension),
            top=100.0,
        ),
        "rows": [
            {
                "label": r.name,
                "preferred": r.preferred,
                "text": f"{r.replies} of {r.sent} · {r.mean:.0f}% ({r.low:.0f}–{r.high:.0f}%)",
                "share": round(r.mean, 2),
                "low": round(r.low, 2),
                "high": round(r.high, 2),
            }
            for r in x.rows
        ],
    }


@router.get("/insights")
def insights(request: Request, store: StoreDep, now: NowDep) -> Response:
    found = insights_svc.insights(store, now)
    shown = [
        {
            "series": s,
            "chart": None if s.empty else chart_of(s),
            "rows": [] if s.empty or s.key == "per_week" else bar_rows(s),
            "empty": WORDS[s.key][1],
            "later": WORDS[s.key][2],
        }
        for s in found.series
    ]
    learnt = [learnt_chart(x) for x in found.learnt if x.rows]
    return render(
        request,
        "insights.html",
        {"shown": shown, "now": now, "learnt": learnt, "learnt_note": LEARNT_NOTE},
    )
