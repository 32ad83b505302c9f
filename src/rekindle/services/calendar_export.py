"""`rekindle calendar export`: due follow-ups and this period's check-ins as an ICS feed.

Follow-ups come from the outreach log (a sent message, not followed up and not answered,
on its follow-up date); check-ins are the people on the current plan still open, across the
plan's week or month. UIDs are stable, so a calendar re-importing the file updates events.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rekindle.compose.calendar_feed import Reminder, build_calendar
from rekindle.services.follow_up_rules import follow_up_days
from rekindle.services.followups import FOLLOW_UP_MEDIA
from rekindle.services.plan import weekly_plan
from rekindle.store import Store
from rekindle.store import outreach as oq
from rekindle.store.database import utcnow


def period_span(period: str) -> tuple[date, date]:
    """First day and the day after the last of a plan period (``2026-W47`` or ``2026-11``)."""
    if "-W" in period:
        iso_year, week = period.split("-W")
        start = date.fromisocalendar(int(iso_year), int(week), 1)
        return start, start + timedelta(days=7)
    y, m = period.split("-")
    year, month = int(y), int(m)
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def reminders(store: Store, now: datetime) -> list[Reminder]:
    found: list[Reminder] = []
    with store.read() as conn:
        days = follow_up_days(conn, store.owner_id)
        for row in oq.open_sends(conn, store.owner_id):
            if row.followed_up_at is not None or row.medium not in FOLLOW_UP_MEDIA:
                continue
            due = row.follow_up_due or row.sent_at + timedelta(days=days)
            found.append(
                Reminder(
                    key=f"followup-{row.id}",
                    day=due.date(),
                    summary=f"Follow up with {row.display_name}",
                    description=(
                        f"No reply yet to your {row.medium} of {row.sent_at:%d %b %Y}"
                        + (f" ({row.subject})" if row.subject else "")
                        + ". One friendly follow-up: `rekindle followups`."
                    ),
                )
            )
    plan = weekly_plan(store, now)
    start, end = period_span(plan.period)
    for s in plan.suggestions:
        if s.status != "open":
            continue
        why = [*s.reasons[:3], f"how: {s.medium} ({s.medium_why})", f"opener: {s.opener}"]
        found.append(
            Reminder(
                key=f"checkin-{s.person_id}-{plan.period}",
                day=start,
                end=end,
                summary=f"Reconnect with {s.name}",
                description="\n".join(why),
            )
        )
    return found


def export_calendar(store: Store, now: datetime | None = None) -> tuple[bytes, int]:
    """The ICS bytes and how many events they hold."""
    now = now or utcnow()
    found = reminders(store, now)
    return build_calendar(found, now, owner=str(store.owner_id)), len(found)
