"""iCalendar reader: UTC times, bounded recurrence, people and broken input, by quirk."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from rekindle.history.records import Address, MeetingRecord
from rekindle.identity.records import NoticeRecord, RecordError
from rekindle.sources import ics_recurrence
from rekindle.sources.ics import parse_ics_bytes, read_ics, sniff_ics
from rekindle.sources.ics_recurrence import MAX_OCCURRENCES, fast_forward, parse_rule
from rekindle.sources.ics_time import resolve_zone_name

FIXTURES = Path(__file__).parent / "fixtures" / "ics"
Y2025 = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC))

Item = MeetingRecord | RecordError | NoticeRecord


def read(name: str, window: tuple[datetime, datetime] = Y2025) -> list[Item]:
    return list(read_ics(FIXTURES / name, window_start=window[0], window_end=window[1]))


def meetings(items: list[Item]) -> dict[str, MeetingRecord]:
    return {i.uid: i for i in items if isinstance(i, MeetingRecord)}


def only(name: str) -> MeetingRecord:
    items = read(name)
    assert len(items) == 1 and isinstance(items[0], MeetingRecord), items
    return items[0]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_one_to_one_meeting_in_utc_with_organizer_and_attendees() -> None:
    m = only("one-to-one-meeting.ics")
    assert m.source == "ics"
    assert m.locator == "one-to-one-meeting.ics:one-to-one-2025-03-04@google.com"
    assert m.summary == "Coffee with Jane"
    assert (m.start, m.end) == (utc(2025, 3, 4, 9), utc(2025, 3, 4, 10))  # Berlin is UTC+1
    assert m.occurrences == [utc(2025, 3, 4, 9)]
    assert not m.recurring and not m.all_day and m.status == "CONFIRMED"
    assert m.organizer == Address("jane.doe@example.com", "Jane Doe")
    assert m.attendees == [
        (Address("jane.doe@example.com", "Jane Doe"), "ACCEPTED"),
        (Address("me@example.org", "me@example.org"), "ACCEPTED"),
    ]


def test_large_meeting_skips_rooms_resources_and_non_participants() -> None:
    m = only("large-meeting.ics")
    assert m.organizer == Address("boss@example.com", "Boss, The")
    values = [a.value for a, _ in m.attendees]
    assert len(m.attendees) == 11
    assert "room-401@example.com" not in values and "projector@example.com" not in values
    assert "fyi@example.com" not in values
    assert "folded.person@example.com" in values  # a line folded inside "mailto:"
    assert "apple.guest@example.com" in values  # urn:uuid with an EMAIL parameter
    assert (Address("", "Name Only Guest", "name"), "NEEDS-ACTION") in m.attendees
    partstats = dict((a.value, p) for a, p in m.attendees)
    assert partstats["person3@example.com"] == "TENTATIVE"
    assert partstats["person4@example.com"] == "DECLINED"


def test_declined_reply_keeps_the_partstat() -> None:
    m = only("declined.ics")
    assert m.attendees == [(Address("me@example.org", "Me"), "DECLINED")]
    assert m.organizer is not None and m.organizer.value == "jane.doe@example.com"


def test_cancelled_event_has_upper_case_status() -> None:
    m = only("cancelled.ics")
    assert m.status == "CANCELLED"
    assert m.occurrences == [utc(2025, 5, 20, 18)]


def test_weekly_unbounded_rule_only_inside_the_window_and_across_dst() -> None:
    found = read("weekly-unbounded-rrule.ics")
    weekly = meetings(found)["weekly-standup@example.com"]
    assert weekly.recurring and weekly.start == utc(2024, 1, 2, 14)
    assert len(weekly.occurrences) == 52  # every Tuesday of 2025
    assert all(Y2025[0] <= o <= Y2025[1] for o in weekly.occurrences)
    assert weekly.occurrences[0] == utc(2025, 1, 7, 14)  # 09:00 EST
    assert utc(2025, 3, 11, 13) in weekly.occurrences  # 09:00 EDT after the change
    assert weekly.occurrences == sorted(weekly.occurrences)


def test_a_series_is_capped_with_a_notice() -> None:
    found = read("weekly-unbounded-rrule.ics")
    hourly = meetings(found)["hourly-ping@example.com"]
    assert len(hourly.occurrences) == MAX_OCCURRENCES
    assert hourly.occurrences[0] == utc(2025, 1, 1, 0)
    notices = [i for i in found if isinstance(i, NoticeRecord)]
    assert [n.locator for n in notices] == ["weekly-unbounded-rrule.ics:hourly-ping@example.com"]
    assert "only the first 1,000" in notices[0].message


def test_narrow_window_on_a_weekly_rule() -> None:
    window = (utc(2025, 2, 1), utc(2025, 2, 28, 23, 59))
    weekly = meetings(read("weekly-unbounded-rrule.ics", window))["weekly-standup@example.com"]
    assert weekly.occurrences == [utc(2025, 2, d, 14) for d in (4, 11, 18, 25)]


def test_exdate_rdate_and_overridden_instances() -> None:
    found = meetings(read("exdate-and-override.ics"))
    club = found["book-club@example.com"]
    assert club.summary == "Book club" and club.recurring
    assert club.occurrences == [
        utc(2025, 1, 6, 10),
        utc(2025, 1, 13, 10),
        # 20 January is an EXDATE
        utc(2025, 1, 28, 15),  # 27 January moved to the 28th, 15:00
        # 3 February is cancelled by its override
        utc(2025, 2, 10, 10),
        # 17 February is a floating EXDATE: read in the series' zone
        utc(2025, 2, 24, 10),
        utc(2025, 3, 3, 10),
        utc(2025, 3, 10, 10),
        utc(2025, 3, 20, 10),  # RDATE
    ]
    orphan = found["orphan-instance@example.com"]
    assert orphan.recurring and orphan.occurrences == [utc(2025, 3, 2, 9)]


def test_override_moved_out_of_the_window_is_not_counted() -> None:
    window = (utc(2025, 1, 1), utc(2025, 1, 27, 23))
    club = meetings(read("exdate-and-override.ics", window))["book-club@example.com"]
    assert club.occurrences == [utc(2025, 1, 6, 10), utc(2025, 1, 13, 10)]


def test_windows_time_zone_names() -> None:
    found = list(meetings(read("windows-tzid.ics")).values())
    pacific, berlin, custom = found
    assert pacific.start == utc(2025, 7, 15, 16)  # 09:00 PDT
    assert berlin.start == utc(2025, 1, 15, 8)  # W. Europe Standard Time, no VTIMEZONE
    assert custom.start == utc(2025, 1, 15, 4)  # only its VTIMEZONE (+05:30) says what it is


def test_resolve_zone_name() -> None:
    assert str(resolve_zone_name("W. Europe Standard Time")) == "Europe/Berlin"
    assert str(resolve_zone_name("Pacific Standard Time")) == "America/Los_Angeles"
    assert str(resolve_zone_name("/mozilla.org/20070129_1/Europe/Paris")) == "Europe/Paris"
    assert resolve_zone_name("Customized Time Zone") is None
    assert resolve_zone_name("../../etc/passwd") is None


def test_floating_time_is_read_in_x_wr_timezone() -> None:
    found = meetings(read("floating-time.ics"))
    assert found["floating-breakfast@example.com"].start == utc(2025, 6, 15, 14)  # CDT
    assert found["utc-call@example.com"].start == utc(2025, 6, 15, 9)


def test_floating_time_without_calendar_zone_is_utc() -> None:
    found = meetings(read("floating-time-no-wr-timezone.ics"))
    assert found["floating-utc@example.com"].start == utc(2025, 6, 15, 9)
    assert found["unknown-tzid@example.com"].start == utc(2025, 6, 15, 9)


def test_all_day_events() -> None:
    found = meetings(read("all-day.ics"))
    picnic = found["picnic@example.com"]
    assert picnic.all_day and (picnic.start, picnic.end) == (utc(2025, 7, 4), utc(2025, 7, 5))
    birthday = found["birthday-jane@example.com"]
    assert birthday.recurring and birthday.all_day
    assert birthday.start == utc(1990, 2, 12)
    assert birthday.occurrences == [utc(2025, 2, 12)]
    holiday = found["holiday-no-end@example.com"]
    assert holiday.end == utc(2025, 12, 25)  # a date without DTEND lasts the day


def test_duration_and_bad_ends() -> None:
    found = meetings(read("duration-no-dtend.ics"))
    assert found["duration@example.com"].end == utc(2025, 8, 1, 14, 30)
    backwards = found["end-before-start@example.com"]
    assert backwards.end == backwards.start == utc(2025, 8, 2, 13)
    open_ended = found["no-end@example.com"]
    assert open_ended.end == open_ended.start


def test_events_without_uid_get_a_stable_derived_uid() -> None:
    first = [m for m in read("no-uid.ics") if isinstance(m, MeetingRecord)]
    again = [m for m in read("no-uid.ics") if isinstance(m, MeetingRecord)]
    assert [m.uid for m in first] == [m.uid for m in again]
    assert len({m.uid for m in first}) == 2
    assert all(m.uid.startswith("derived-") for m in first)
    assert [m.locator for m in first] == ["no-uid.ics:event 1", "no-uid.ics:event 2"]


def test_two_calendars_bom_blank_lines_and_lone_cr() -> None:
    found = meetings(read("two-calendars-one-file.ics"))
    assert found["shared-uid@example.com"].start == utc(2025, 10, 1, 0)  # 09:00 Tokyo
    assert found["paris@example.com"].start == utc(2025, 10, 2, 7)  # 09:00 Paris (CEST)


def test_broken_events_among_good_ones() -> None:
    found = read("broken-event-among-good.ics")
    errors = {e.locator: e.message for e in found if isinstance(e, RecordError)}
    name = "broken-event-among-good.ics"
    assert set(errors) == {
        f"{name}:bad-dtstart@example.com",
        f"{name}:embedded-bad-timezone@example.com",
        f"{name}:event 4",
    }
    assert "DTSTART" in errors[f"{name}:event 4"]
    good = meetings(found)
    assert set(good) == {"good-1@example.com", "bad-rule@example.com", "good-2@example.com"}
    assert good["bad-rule@example.com"].occurrences == [utc(2025, 1, 12, 10)]
    notices = [n for n in found if isinstance(n, NoticeRecord)]
    assert any(n.locator == f"{name}:bad-rule@example.com" for n in notices)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is not a calendar",
        b"\xff\xfe\x00garbage",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2025",
        b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nBEGIN:VEVENT\nEND:VCALENDAR",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20250101T000000Z\r\n"
        b"RRULE:FREQ=DAILY;INTERVAL=0\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20250101T000000Z\r\n"
        b"RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:19700101T000000Z\r\n"
        b"RRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VEVENT\nUID:bare\nDTSTART:20250101T000000Z\nEND:VEVENT\n",
    ],
)
def test_bad_input_never_raises(data: bytes) -> None:
    found = list(parse_ics_bytes(data, "x.ics", Y2025))
    for item in found:
        assert isinstance(item, MeetingRecord | RecordError | NoticeRecord)
        if isinstance(item, MeetingRecord):
            assert all(Y2025[0] <= o <= Y2025[1] for o in item.occurrences)
            assert len(item.occurrences) <= MAX_OCCURRENCES


def test_not_a_calendar_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.ics"
    path.write_text("just some notes\n")
    found = list(read_ics(path, window_start=Y2025[0], window_end=Y2025[1]))
    assert len(found) == 1 and isinstance(found[0], RecordError)
    assert found[0].locator == "notes.ics"


def test_to_do_only_calendar_yields_nothing() -> None:
    data = b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    assert list(parse_ics_bytes(data, "todo.ics", Y2025)) == []


def test_folder_is_read_sorted_with_relative_locators(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    shutil.copy(FIXTURES / "declined.ics", tmp_path / "b" / "z.ics")
    shutil.copy(FIXTURES / "cancelled.ics", tmp_path / "a.ics")
    (tmp_path / "readme.txt").write_text("not read")
    found = list(read_ics(tmp_path, window_start=Y2025[0], window_end=Y2025[1]))
    assert [m.locator.split(":")[0] for m in found] == ["a.ics", "b/z.ics"]


def test_deterministic() -> None:
    for path in sorted(FIXTURES.glob("*.ics")):
        assert read(path.name) == read(path.name)


def test_naive_window_bounds_are_utc() -> None:
    naive = (datetime(2025, 1, 1), datetime(2025, 12, 31, 23, 59, 59))
    assert read("weekly-unbounded-rrule.ics", naive) == read("weekly-unbounded-rrule.ics")


def test_sniff() -> None:
    assert sniff_ics(FIXTURES / "x.ics", b"\xef\xbb\xbfBEGIN:VCALENDAR\r\n") == 0.95
    assert sniff_ics(FIXTURES / "x.ics", b"begin:vcalendar\n") == 0.95
    assert sniff_ics(FIXTURES / "x.csv", b"First Name,Last Name\n") == 0.0
    assert sniff_ics(FIXTURES, b"") == 0.9


def test_parse_rule_fixes_until_of_the_wrong_kind() -> None:
    aware = datetime(2025, 1, 6, 10, tzinfo=UTC)
    rule = parse_rule("FREQ=WEEKLY;UNTIL=20250120", aware)
    assert list(rule) == [aware, aware + timedelta(weeks=1), aware + timedelta(weeks=2)]
    day = datetime(2025, 1, 6)
    rule = parse_rule("FREQ=DAILY;UNTIL=20250108T000000Z", day)
    assert [d.date() for d in rule] == [date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 8)]
    rule = parse_rule("FREQ=WEEKLY;BYDAY=MO, TU;COUNT=2", day)  # spaces inside, as Exchange
    assert len(list(rule)) == 2


def test_fast_forward_keeps_the_same_instances() -> None:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2024, 1, 1, 10, 15, tzinfo=berlin)
    lo, hi = utc(2025, 3, 28), utc(2025, 4, 2)  # across the change to summer time
    for text in ("FREQ=HOURLY;INTERVAL=5;BYMINUTE=15,45", "FREQ=MINUTELY;INTERVAL=7;BYHOUR=9"):
        rule = parse_rule(text, start)
        assert fast_forward(rule, lo)._dtstart > start
        assert fast_forward(rule, lo).between(lo, hi, inc=True) == rule.between(lo, hi, inc=True)


def test_walking_too_far_before_the_window_stops_with_a_notice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ics_recurrence, "MAX_STEPS", 100)
    data = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:old\r\nDTSTART:19000101T090000Z\r\n"
        b"RRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    found = list(parse_ics_bytes(data, "old.ics", Y2025))
    assert isinstance(found[0], NoticeRecord) and "before the window" in found[0].message
    assert isinstance(found[1], MeetingRecord) and found[1].occurrences == []


def test_unreadable_event_is_located_by_its_uid_even_with_colons() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nX\r\nBEGIN:VEVENT\r\nUID:urn:uuid:1234\r\nDTSTART:20250101T000000Z\r\n"
        b"BEGIN:VTIMEZONE\r\nTZID:Broken\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
        b"TZOFFSETFROM:+5744\r\nTZOFFSETTO:+5744\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    errors = [i for i in parse_ics_bytes(data, "x.ics", Y2025) if isinstance(i, RecordError)]
    assert [e.locator for e in errors] == ["x.ics:urn:uuid:1234"]


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    (error,) = read_ics(tmp_path / "gone.ics", window_start=Y2025[0], window_end=Y2025[1])
    assert isinstance(error, RecordError) and error.locator == "gone.ics"
