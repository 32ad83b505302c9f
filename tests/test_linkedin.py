"""LinkedIn export: Connections.csv in every layout, the whole export as folder or zip."""

from __future__ import annotations

import shutil
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from rekindle.identity.records import (
    ContactRecord,
    InteractionRecord,
    Item,
    MeRecord,
    NoticeRecord,
    RecordError,
)
from rekindle.sources import detect
from rekindle.sources.base import ImportOptions
from rekindle.sources.linkedin import IMPORTER, parse, sniff
from rekindle.sources.linkedin_files import (
    parse_connected_on,
    parse_linkedin_datetime,
    parse_month_year,
    parse_profile_url,
)

FIXTURES = Path(__file__).parent / "fixtures" / "linkedin"
EXPORT = FIXTURES / "linkedin-export"


def items(path: Path) -> list[Item]:
    return list(parse(path, ImportOptions()))


def contacts(found: list[Item]) -> list[ContactRecord]:
    return [i for i in found if isinstance(i, ContactRecord)]


def make_zip(folder: Path, target: Path, prefix: str = "", upper: bool = False) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                rel = file.relative_to(folder).as_posix()
                zf.write(file, prefix + (rel.upper() if upper else rel))
    return target


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("https://www.linkedin.com/in/JaneDoe-123/?originalSubdomain=uk", "https://www.linkedin.com/in/janedoe-123"),
        ("http://linkedin.com/in/j-only/", "https://www.linkedin.com/in/j-only"),
        ("https://de.linkedin.com/in/hans#about", "https://www.linkedin.com/in/hans"),
        ("www.linkedin.com/in/x", "https://www.linkedin.com/in/x"),
        ("https://www.linkedin.com/pub/old-style/1/2/3", "https://www.linkedin.com/pub/old-style/1/2/3"),
        ("https://example.com/in/jane", None),
        ("", None),
    ],
)  # fmt: skip
def test_parse_profile_url(text: str, url: str | None) -> None:
    assert parse_profile_url(text) == url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22 Dec 2025", date(2025, 12, 22)),
        ("03 Jan 2024", date(2024, 1, 3)),
        ("1 September 2020", date(2020, 9, 1)),
        ("Dec 22, 2025", date(2025, 12, 22)),
        ("1/8/18, 6:14 PM", date(2018, 1, 8)),
        ("2025-12-22", date(2025, 12, 22)),
        ("31 Feb 2025", None),
        ("soon", None),
    ],
)
def test_parse_connected_on(text: str, expected: date | None) -> None:
    assert parse_connected_on(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/8/18, 6:14 PM", datetime(2018, 1, 8, 18, 14, tzinfo=UTC)),
        ("1/29/26, 12:05 AM", datetime(2026, 1, 29, 0, 5, tzinfo=UTC)),
        ("8/18/18, 12:30 PM", datetime(2018, 8, 18, 12, 30, tzinfo=UTC)),
        ("2024-10-26 11:43:11 UTC", datetime(2024, 10, 26, 11, 43, 11, tzinfo=UTC)),
        ("22 Dec 2025", datetime(2025, 12, 22, tzinfo=UTC)),
        ("13/45/18, 1:00 PM", None),
    ],
)
def test_parse_linkedin_datetime(text: str, expected: datetime | None) -> None:
    assert parse_linkedin_datetime(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 2015", date(2015, 1, 1)),
        ("September 2019", date(2019, 9, 1)),
        ("2015", date(2015, 1, 1)),
        ("2015-06", date(2015, 6, 1)),
        ("06/2015", date(2015, 6, 1)),
        ("", None),
        ("Present", None),
    ],
)
def test_parse_month_year(text: str, expected: date | None) -> None:
    assert parse_month_year(text) == expected


def test_connections_with_notes_preamble() -> None:
    found = items(FIXTURES / "linkedin-connections-preamble.csv")
    people = contacts(found)
    assert [p.display_name() for p in people] == ["Jane Doe", "Ørnulf Ås 🚀", "J", "Sam Lee"]
    jane = people[0]
    assert jane.source == "linkedin"
    assert jane.locator == "linkedin-connections-preamble.csv:row 5"
    assert jane.source_id == "https://www.linkedin.com/in/janedoe-123"
    assert [(i.kind, i.value, i.service) for i in jane.identities] == [
        ("url", "https://www.linkedin.com/in/janedoe-123", "linkedin")
    ]
    assert [(a.organisation, a.title, a.start, a.kind) for a in jane.affiliations] == [
        ("Contoso, Ltd.", "Head of Data", None, "work")
    ]
    assert jane.connected_on == date(2025, 12, 22)
    assert jane.tags == []
    ornulf = people[1]
    assert ("email", "ornulf@example.no") in [(i.kind, i.value) for i in ornulf.identities]
    assert people[3].extra == {"Position": "Freelancer"} and people[3].affiliations == []
    (error,) = [i for i in found if isinstance(i, RecordError)]
    assert error.locator == "linkedin-connections-preamble.csv:row 8"


def test_connections_2018_layout() -> None:
    found = items(FIXTURES / "linkedin-connections-2018.csv")
    people = contacts(found)
    assert len(people) == 3 and len(found) == 3
    first, urn, third = people
    assert first.source_id is None
    assert first.connected_on == date(2018, 1, 8)
    assert [(i.kind, i.value) for i in first.identities] == [("email", "abhishek@example.in")]
    assert urn.identities == []
    assert urn.extra["Email Address"] == "urn:li:member:664293716"
    assert urn.connected_on == date(2017, 12, 25)
    assert third.affiliations[0].organisation == "TCS" and third.affiliations[0].title is None


def test_connections_with_bom_and_blank_rows() -> None:
    found = items(FIXTURES / "linkedin-bom-blank-rows.csv")
    assert [(c.locator, c.full_name) for c in contacts(found)] == [
        ("linkedin-bom-blank-rows.csv:row 7", "Kim Park"),
        ("linkedin-bom-blank-rows.csv:row 10", "Lee Chen"),
    ]
    assert len(found) == 2


def _check_full_export(found: list[Item], prefix: str = "") -> None:
    people = contacts(found)
    assert [p.full_name for p in people] == ["Jane Doe", "Ørnulf Ås 🚀"]
    assert people[0].locator == f"{prefix}Connections.csv:row 5"
    me = [i for i in found if isinstance(i, MeRecord)]
    work = [a for m in me for a in m.affiliations if a.kind == "work"]
    assert [(a.organisation, a.title, a.start, a.end) for a in work] == [
        ("Rekindle Labs", "Founder", date(2021, 3, 1), None),
        ("Contoso", "Engineer", date(2015, 1, 1), date(2021, 2, 1)),
    ]
    school = [a for m in me for a in m.affiliations if a.kind == "school"]
    assert [(a.organisation, a.title, a.start, a.end) for a in school] == [
        ("University of Oslo", "MSc Computer Science", date(2008, 1, 1), date(2013, 1, 1))
    ]
    emails = [(i.value, i.preferred) for m in me for i in m.identities if i.kind == "email"]
    assert emails == [("me@myself.example", True), ("old@myself.example", False)]
    handles = [(i.kind, i.value) for m in me for i in m.identities if i.kind != "email"]
    assert ("handle", "@memyself") in handles and ("url", "https://me.example") in handles
    invitations = [i for i in found if isinstance(i, InteractionRecord)]
    assert [(i.direction, i.when, [p.value for p in i.participants]) for i in invitations] == [
        ("in", datetime(2026, 1, 29, 14, 37, tzinfo=UTC), ["https://www.linkedin.com/in/janedoe-123"]),
        ("out", datetime(2026, 2, 1, 9, 5, tzinfo=UTC), ["https://www.linkedin.com/in/tomtom"]),
    ]  # fmt: skip
    assert all(i.channel == "message" for i in invitations)
    (notice,) = [i for i in found if isinstance(i, NoticeRecord)]
    assert notice.locator == f"{prefix}messages.csv" and "rekindle sync mail" in notice.message
    (error,) = [i for i in found if isinstance(i, RecordError)]
    assert error.locator == f"{prefix}Positions.csv:row 4"  # a position without a company
    # Skills.csv and Jobs/Job Applications.csv are ignored silently
    assert not [i for i in found if "Skills" in getattr(i, "locator", "")]


def test_export_folder() -> None:
    _check_full_export(items(EXPORT))


def test_export_zip(tmp_path: Path) -> None:
    archive = make_zip(EXPORT, tmp_path / "Basic_LinkedInDataExport_01-15-2026.zip")
    _check_full_export(items(archive), prefix="Basic_LinkedInDataExport_01-15-2026.zip/")


def test_export_zip_nested_one_folder_with_upper_case_names(tmp_path: Path) -> None:
    archive = make_zip(
        EXPORT,
        tmp_path / "Complete_LinkedInDataExport_01-15-2026.zip",
        prefix="Export/",
        upper=True,
    )
    found = items(archive)
    assert [p.full_name for p in contacts(found)] == ["Jane Doe", "Ørnulf Ås 🚀"]
    assert contacts(found)[0].locator == (
        "Complete_LinkedInDataExport_01-15-2026.zip/Export/CONNECTIONS.CSV:row 5"
    )
    assert len([i for i in found if isinstance(i, MeRecord)]) == 6
    assert len([i for i in found if isinstance(i, NoticeRecord)]) == 1


def test_export_folder_nested_one_deep(tmp_path: Path) -> None:
    shutil.copytree(EXPORT, tmp_path / "outer" / "LinkedInDataExport")
    _check_full_export(items(tmp_path / "outer"), prefix="LinkedInDataExport/")


def test_folder_holding_the_export_zip(tmp_path: Path) -> None:
    make_zip(EXPORT, tmp_path / "Basic_LinkedInDataExport_01-15-2026.zip")
    (tmp_path / "unrelated.txt").write_text("hello")
    assert sniff(tmp_path, b"") == 0.9
    _check_full_export(items(tmp_path), prefix="Basic_LinkedInDataExport_01-15-2026.zip/")


def test_2018_export_folder() -> None:
    found = items(FIXTURES / "linkedin-export-2018")
    assert [c.full_name for c in contacts(found)] == ["Abhishek Kumar"]
    (invitation,) = [i for i in found if isinstance(i, InteractionRecord)]
    assert (
        invitation.participants == [] and invitation.subject == "LinkedIn invitation from Alex Doe"
    )
    (notice,) = [i for i in found if isinstance(i, NoticeRecord)]
    assert notice.locator == "Messages.csv"


def test_invitations_2018_file_alone() -> None:
    found = items(FIXTURES / "linkedin-invitations-2018.csv")
    inv = [i for i in found if isinstance(i, InteractionRecord)]
    assert [(i.direction, i.when, i.subject) for i in inv] == [
        ("in", datetime(2018, 8, 18, 9, 8, tzinfo=UTC), "LinkedIn invitation from Alex Doe"),
        ("out", datetime(2018, 8, 19, 22, 15, tzinfo=UTC), "LinkedIn invitation to Chris Roe"),
    ]
    (error,) = [i for i in found if isinstance(i, RecordError)]
    assert error.locator == "linkedin-invitations-2018.csv:row 4" and "Sent At" in error.message


def test_bad_zip_is_a_record_error(tmp_path: Path) -> None:
    bad = tmp_path / "export.zip"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    (error,) = items(bad)
    assert isinstance(error, RecordError) and error.locator == "export.zip"
    assert sniff(bad, bad.read_bytes()) == 0.0


def test_zip_without_linkedin_files(tmp_path: Path) -> None:
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.jpg", b"\xff\xd8")
    (error,) = items(archive)
    assert isinstance(error, RecordError) and "no LinkedIn export files" in error.message
    assert sniff(archive, archive.read_bytes()) == 0.0


def test_empty_connections_yield_nothing(tmp_path: Path) -> None:
    (tmp_path / "Connections.csv").write_bytes(b"")
    assert items(tmp_path / "Connections.csv") == []
    assert items(tmp_path) == []


def test_header_only_connections_yield_nothing(tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
    assert items(path) == []


def test_wrong_csv_forced_as_linkedin_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    (error,) = items(path)
    assert isinstance(error, RecordError) and error.locator == "other.csv"


def test_deterministic() -> None:
    assert items(EXPORT) == items(EXPORT)
    keys = [c.natural_key() for c in contacts(items(EXPORT))]
    assert keys == [c.natural_key() for c in contacts(items(EXPORT))]


@pytest.mark.parametrize(
    "name",
    [
        "linkedin-connections-preamble.csv",
        "linkedin-connections-2018.csv",
        "linkedin-bom-blank-rows.csv",
        "linkedin-invitations-2018.csv",
        "linkedin-export",
        "linkedin-export-2018",
    ],
)
def test_detect_picks_linkedin(name: str) -> None:
    assert detect(FIXTURES / name) is IMPORTER


def test_detect_picks_linkedin_for_zip(tmp_path: Path) -> None:
    archive = make_zip(EXPORT, tmp_path / "Basic_LinkedInDataExport_01-15-2026.zip")
    assert sniff(archive, archive.read_bytes()[:65536]) == 0.95
    assert detect(archive) is IMPORTER


def test_sniff_scores() -> None:
    path = FIXTURES / "linkedin-connections-preamble.csv"
    assert sniff(path, path.read_bytes()) == 0.95
    assert sniff(EXPORT, b"") == 0.95
    other = Path(__file__).parent / "fixtures" / "csv" / "generic-simple.csv"
    assert sniff(other, other.read_bytes()) == 0.0
