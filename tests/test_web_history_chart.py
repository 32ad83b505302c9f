"""The Person page's history: months from the interactions, quiet stretches, the chart's
geometry, and the page that draws it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rekindle.services.person_history import Quiet, monthly
from rekindle.web.history_chart import ABOVE, HEIGHT, LEFT, RIGHT, WIDTH, history_chart

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, tzinfo=UTC)


CONTACTS = [
    (at(2023, 1, 5), "out", "email"),
    (at(2023, 1, 6), "in", "email"),
    (at(2023, 1, 6), "in", "email"),
    (at(2023, 2, 10), "both", "meeting"),
    (at(2024, 7, 5), "in", "call"),  # after 17 quiet months
]


def test_months_run_from_the_first_contact_to_now_with_each_direction_counted() -> None:
    h = monthly(CONTACTS, NOW)
    assert h.months[0].start == date(2023, 1, 1) and h.months[-1].start == date(2026, 12, 1)
    assert len(h.months) == 48
    jan, feb = h.months[0], h.months[1]
    assert (jan.outbound, jan.inbound, jan.meetings) == (1, 2, 0)
    assert (feb.outbound, feb.inbound, feb.meetings) == (0, 0, 1)
    assert sum(m.total for m in h.months) == len(CONTACTS)
    assert h.active_days == 4 and h.last_direction == "in"
    assert h.quiet == [
        Quiet(date(2023, 2, 10), date(2024, 7, 5), False),
        Quiet(date(2024, 7, 5), date(2026, 12, 6), True),
    ]
    assert monthly([], NOW).months == []


def test_the_chart_stacks_each_month_inside_the_plot_and_shades_the_quiet_stretches() -> None:
    chart = history_chart(monthly(CONTACTS, NOW))
    assert chart is not None
    for r in chart.rects:
        assert r.x >= LEFT and r.x + r.width <= WIDTH - RIGHT + 0.01
        assert r.y >= ABOVE - 0.01 and r.y + r.height <= chart.axis[1] + 0.01
    jan = [r for r in chart.rects if r.title.startswith("Jan 2023")]
    assert [r.kind for r in jan] == ["out", "in"]  # stacked: from you below, from them above
    assert jan[1].y + jan[1].height == jan[0].y
    assert [b.label for b in chart.bands] == ["quiet for 17 months", "quiet for 2.4 years now"]
    assert chart.bands[1].x + chart.bands[1].width <= WIDTH - RIGHT + 0.01
    assert [label.text for label in chart.labels] == ["2023", "2024", "2025", "2026"]
    assert "quiet for 2.4 years now from Jul 2024" in chart.description
    assert chart.height == HEIGHT
    assert history_chart(monthly([], NOW)) is None
