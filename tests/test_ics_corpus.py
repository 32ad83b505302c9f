"""Every .ics of the shared corpus through the iCalendar reader, plus per-file expectations.

The corpus lives outside the repository (``../shared/corpora``); without it these tests skip.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rekindle.history.records import Address, MeetingRecord
from rekindle.identity.records import NoticeRecord, RecordError
from rekindle.sources.ics import read_ics
from rekindle.sources.ics_recurrence import MAX_OCCURRENCES

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
SECONDS_PER_FILE = 10.0
WINDOW = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPORA.is_dir(), reason=f"no corpus at {CORPORA}"),
]

Item = MeetingRecord | RecordError | NoticeRecord


def corpus_files() -> list[Path]:
    if not CORPORA.is_dir():
        return []
    return sorted(p for p in CORPORA.rglob("*") if p.is_file() and p.suffix.lower() == ".ics")


def read(relative: str) -> list[Item]:
    return list(read_ics(CORPORA / relative, window_start=WINDOW[0], window_end=WINDOW[1]))


def meetings(relative: str) -> dict[str, MeetingRecord]:
    return {m.uid: m for m in read(relative) if isinstance(m, MeetingRecord)}


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.relative_to(CORPORA).as_posix())
def test_every_corpus_file(path: Path) -> None:
    started = time.monotonic()
    first = list(read_ics(path, window_start=WINDOW[0], window_end=WINDOW[1]))
    assert time.monotonic() - started < SECONDS_PER_FILE
    for item in first:
        assert isinstance(item, MeetingRecord | RecordError | NoticeRecord)
        assert item.locator.startswith(path.name)
        if isinstance(item, MeetingRecord):
            assert item.start.tzinfo is UTC and item.uid
            assert item.end is None or item.end >= item.start
            assert len(item.occurrences) <= MAX_OCCURRENCES
            assert item.occurrences == sorted(set(item.occurrences))
            assert all(WINDOW[0] <= o <= WINDOW[1] for o in item.occurrences)
    assert list(read_ics(path, window_start=WINDOW[0], window_end=WINDOW[1])) == first


def test_corpus_figures() -> None:
    files = corpus_files()
    found = [i for p in files for i in read_ics(p, window_start=WINDOW[0], window_end=WINDOW[1])]
    count = {kind: sum(isinstance(i, kind) for i in found) for kind in Item.__args__}
    print(f"\n{len(files)} files, " + ", ".join(f"{k.__name__}: {n}" for k, n in count.items()))
    assert len(files) > 300
    assert count[MeetingRecord] > 250
    assert count[RecordError] < count[MeetingRecord]


def test_the_whole_corpus_as_one_folder_is_sorted() -> None:
    folder = CORPORA / "khal-ics"
    found = list(read_ics(folder, window_start=WINDOW[0], window_end=WINDOW[1]))
    files = [i.locator.split(":")[0] for i in found]
    assert files == sorted(files)


def test_khal_cancelled_override_and_moved_instance() -> None:
    series = meetings("khal-ics/event_rrule_recuid_cancelled.ics")["event_rrule_recurrence_id"]
    assert series.recurring
    assert series.occurrences == [
        utc(2014, 6, 30, 5),
        utc(2014, 7, 7, 7),  # moved to 09:00 Berlin
        # 14 July is cancelled
        utc(2014, 7, 21, 5),
        utc(2014, 7, 28, 5),
        utc(2014, 8, 4, 5),
    ]


def test_khal_exdate_in_utc() -> None:
    series = meetings("khal-ics/event_dtr_exdatez.ics")["event_dtr_exdatez"]
    assert series.occurrences == [
        utc(2014, 6, 30, 5, 30),
        utc(2014, 7, 7, 5, 30),
        utc(2014, 7, 14, 5, 30),
    ]


def test_khal_overrides_without_master_are_one_series() -> None:
    found = meetings("khal-ics/event_dt_multi_recuid_no_master.ics")
    (series,) = found.values()
    assert series.recurring and len(series.occurrences) == 2


def test_khal_windows_time_zone_name_is_the_real_zone() -> None:
    (m,) = meetings("khal-ics/tz_windows_format.ics").values()
    assert m.start == utc(2019, 11, 20, 0)  # 13:00 New Zealand daylight time


def test_khal_invalid_until_is_read_leniently() -> None:
    (m,) = meetings("khal-ics/event_dt_rrule_invalid_until.ics").values()
    assert m.all_day and m.occurrences == [utc(2007, 12, 1), utc(2008, 1, 1), utc(2008, 2, 1)]


def test_khal_event_without_uid() -> None:
    (m,) = meetings("khal-ics/without_uid.ics").values()
    assert m.uid.startswith("derived-") and m.locator == "without_uid.ics:event 1"


def test_rfc6047_request_people() -> None:
    (m,) = meetings("mustang-client-samples/ics/rfc6047-1.ics").values()
    assert m.organizer == Address("user1@example.com")
    assert m.attendees == [
        (Address("user1@example.com"), "ACCEPTED"),
        (Address("user2@example.com"), "NEEDS-ACTION"),
    ]


def test_bom_and_multiple_calendars() -> None:
    assert read("icalendar/calendars/bom_calendar.ics") == []  # an empty calendar, no error
    several = read("icalendar/calendars/multiple_calendar_components.ics")
    assert sum(isinstance(i, MeetingRecord) for i in several) >= 2


def test_floating_exdate_next_to_a_windows_zone() -> None:
    (m,) = meetings("radicale-static/event_issue2151.ics").values()
    assert utc(2026, 3, 27, 10) in m.occurrences  # Fridays, 11:00 Berlin
    assert utc(2026, 4, 3, 9) not in m.occurrences  # EXDATE:20260403T110000, floating
    assert utc(2026, 1, 30, 9, 30) in m.occurrences  # the override at 10:30


def test_non_ascii_tzid_with_a_trailing_space() -> None:
    (m,) = meetings("radicale-static/event_issue2172.ics").values()
    assert m.start == utc(2026, 7, 1, 15)  # 17:00 in summer, its own VTIMEZONE


@pytest.mark.parametrize(
    "relative",
    [
        "icalendar/calendars/fuzz_testcase_0_char_in_component_name.ics",
        "icalendar/calendars/fuzz_testcase_invalid_month.ics",
        "icalendar/calendars/fuzz_testcase_vtimezone_lone_cr.ics",
    ],
)
def test_fuzz_cases_yield_no_meetings(relative: str) -> None:
    assert not any(isinstance(i, MeetingRecord) for i in read(relative))


def test_broken_dtstart_is_a_located_error() -> None:
    (error,) = read("icalendar/calendars/broken_dtstart.ics")
    assert isinstance(error, RecordError) and error.locator == "broken_dtstart.ics:test-123"
