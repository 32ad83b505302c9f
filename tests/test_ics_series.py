"""A recurring meeting counts once per time it was held inside the window, weighted as a
series: on real calendars of the shared corpus (khal's monthly COUNT=6 "Conf Call", Radicale's
weekly series with UNTIL and EXDATE, icaljs's monthly series with RDATE, EXDATE and a moved
instance)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from rekindle.history.ties import SERIES_SHARE, Contact, decayed_sums, weight
from rekindle.services import me as me_svc
from rekindle.services import people as people_svc
from rekindle.services import timeline
from rekindle.services.importing import import_path
from rekindle.services.person_history import monthly_history
from rekindle.services.sync_calendar import sync_calendar_path
from rekindle.sources.ics import read_ics
from rekindle.store import Store
from tests.conftest import CORPORA

pytestmark = pytest.mark.skipif(not CORPORA.is_dir(), reason=f"no corpus at {CORPORA}")

KHAL = CORPORA / "khal-ics" / "event_dtr_no_tz_exdatez.ics"
RADICALE = CORPORA / "radicale-static" / "event_issue2151.ics"
ICALJS = CORPORA / "icaljs-samples" / "samples" / "recur_instances.ics"
ME = "me@example.net"


def _with_people(source: Path, tmp: Path, count: str | None = None) -> Path:
    """khal's series (no attendees in the file) with me as organizer and Maria accepted."""
    text = source.read_text("utf-8")
    people = (
        f"ORGANIZER;CN=Me:mailto:{ME}\nATTENDEE;CN=Maria;PARTSTAT=ACCEPTED:mailto:maria@example.org\n"
        f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{ME}\n"
    )
    text = text.replace("SUMMARY:Conf Call\n", "SUMMARY:Conf Call\n" + people)
    if count is not None:
        text = text.replace("COUNT=6", f"COUNT={count}")
    out = tmp / source.name
    out.write_text(text, encoding="utf-8")
    return out


def _maria(store: Store, tmp: Path) -> None:
    me_svc.add_address(store, ME)
    card = tmp / "maria.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Maria Ruiz\nEMAIL:maria@example.org\nEND:VCARD\n")
    import_path(store, card)


def test_a_monthly_series_of_six_is_six_meetings(store: Store, tmp_path: Path) -> None:
    now = datetime(2013, 1, 1, tzinfo=UTC)
    _maria(store, tmp_path)
    ics = _with_people(KHAL, tmp_path)
    first = sync_calendar_path(store, ics, now=now)
    assert first.counts.interactions == 6
    maria = people_svc.show(store, "maria@example.org")
    assert maria.interactions == 6
    line = timeline.timeline(store, "maria@example.org", limit=None)
    assert [e["subject"] for e in line.events] == ["Conf Call"] * 6
    assert line.stats is not None and line.stats["meetings"] == 6
    with store.read() as conn:
        months = monthly_history(conn, maria.id, now).months
    assert sum(m.meetings for m in months) == 6
    assert [m.meetings for m in months if m.meetings] == [1] * 6  # April to September 2012
    # syncing again changes nothing; a shortened series replaces its occurrences
    again = sync_calendar_path(store, ics, now=now)
    assert again.counts.interactions == 0
    assert people_svc.show(store, "maria@example.org").interactions == 6
    sync_calendar_path(store, _with_people(KHAL, tmp_path, count="4"), now=now)
    assert people_svc.show(store, "maria@example.org").interactions == 4


def test_only_occurrences_already_held_count(store: Store, tmp_path: Path) -> None:
    _maria(store, tmp_path)
    sync_calendar_path(store, _with_people(KHAL, tmp_path), now=datetime(2012, 6, 10, tzinfo=UTC))
    assert people_svc.show(store, "maria@example.org").interactions == 3  # April, May, June


def _fridays(first: date, last: date, skip: set[date]) -> int:
    n, day = 0, first
    while day <= last:
        n += day not in skip
        day += timedelta(days=7)
    return n


def test_weekly_series_with_until_and_exdate(store: Store, tmp_path: Path) -> None:
    """Radicale's real file: weekly on Fridays from 23 January to UNTIL 31 July 2026, one
    Friday (3 April) excluded, one instance moved; I am the accepted attendee XX@…"""
    me_svc.add_address(store, "XX@XXXXXXX.XXX")
    card = tmp_path / "organizer.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Org Anizer\nEMAIL:XXXXXXX@XXXXXXXXXXXXXX.XXX\nEND:VCARD\n"
    )
    import_path(store, card)
    expected = _fridays(date(2026, 1, 23), date(2026, 7, 31), {date(2026, 4, 3)})
    report = sync_calendar_path(store, RADICALE, now=datetime(2026, 9, 1, tzinfo=UTC))
    organizer = people_svc.show(store, "xxxxxxx@xxxxxxxxxxxxxx.xxx")
    assert report.counts.interactions == expected and organizer.interactions == expected


def test_unbounded_series_is_bounded_by_the_window(store: Store, tmp_path: Path) -> None:
    """icaljs's monthly series (no COUNT, no UNTIL) with RDATEs, EXDATEs and a moved
    instance: as many meetings as the reader's bounded expansion held before now."""
    now = datetime(2014, 1, 1, tzinfo=UTC)
    window = (now - timedelta(days=365 * 15), now + timedelta(days=365))
    [series] = list(read_ics(ICALJS, window_start=window[0], window_end=window[1]))
    held = [t for t in series.occurrences if t <= now]  # type: ignore[union-attr]
    assert 10 < len(held) < 30  # a bounded count, not one, not thousands
    me_svc.add_address(store, "jlal@mozilla.com")  # the organizer is me
    card = tmp_path / "sahaja.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Sahaja Lal\nEMAIL:calmozilla1@gmail.com\nEND:VCARD\n"
    )
    import_path(store, card)
    sync_calendar_path(store, ICALJS, now=now)
    assert people_svc.show(store, "calmozilla1@gmail.com").interactions == len(held)


def test_each_occurrence_weighs_as_part_of_a_series() -> None:
    when = datetime(2025, 1, 1, tzinfo=UTC)
    once = Contact(when, "both", "meeting", 1)
    held = Contact(when, "both", "meeting", 1, thread="ics:uid")
    assert weight(held) == pytest.approx(SERIES_SHARE * weight(once))
    six = [
        Contact(when + timedelta(days=30 * i), "both", "meeting", 1, "ics:uid") for i in range(6)
    ]
    now = when + timedelta(days=200)
    series_sum, _ = decayed_sums(six, now)
    single_sum, _ = decayed_sums([once], now)
    assert series_sum > 2 * single_sum  # six monthly meetings are much more than one
    assert series_sum < 6 * single_sum  # but less than six meetings arranged one by one
