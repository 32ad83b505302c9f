"""Google Contacts CSV: current and legacy layouts, multi-values, labels, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from rekindle.identity.records import ContactRecord, Item, PartialDate, RecordError
from rekindle.sources import detect
from rekindle.sources.base import ImportOptions
from rekindle.sources.google_csv import IMPORTER, parse, sniff

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
CURRENT = FIXTURES / "google-current-bom-multiline-notes.csv"


def items(path: Path) -> list[Item]:
    return list(parse(path, ImportOptions()))


def contacts(path: Path) -> list[ContactRecord]:
    return [i for i in items(path) if isinstance(i, ContactRecord)]


def idents(record: ContactRecord, kind: str) -> list[tuple[str, str | None, bool]]:
    return [(i.value, i.label, i.preferred) for i in record.identities if i.kind == kind]


def test_current_format_full_row() -> None:
    alice = contacts(CURRENT)[0]
    assert alice.source == "google_csv"
    assert alice.locator == "google-current-bom-multiline-notes.csv:row 2"
    assert (alice.given_name, alice.middle_name, alice.family_name) == ("Alice", "B.", "Smith")
    assert alice.full_name == "Alice B. Smith" and alice.nickname == "Ali"
    assert idents(alice, "email") == [
        ("alice@contoso.example", "work", True),
        ("alice.smith@mail.example", "home", False),
    ]
    assert idents(alice, "phone") == [("+1 555 0100", "mobile", False)]
    (url,) = [i for i in alice.identities if i.kind == "url"]
    assert (url.value, url.service) == ("https://www.linkedin.com/in/alicesmith", "linkedin")
    (aff,) = alice.affiliations
    assert (aff.organisation, aff.title, aff.department) == ("Contoso, Ltd.", "Engineer", "R&D")
    (addr,) = alice.addresses
    assert (addr.label, addr.street, addr.city, addr.region, addr.postcode, addr.country) == (
        "home",
        "1 Main St",
        "Springfield",
        "IL",
        "62701",
        "USA",
    )
    assert addr.formatted == "1 Main St\nSpringfield, IL 62701\nUSA"
    assert alice.birthday == PartialDate(3, 15, 1985)
    assert alice.anniversary == PartialDate(6, 20, 2010)
    assert alice.note == "Met at PyCon.\nLikes hiking.\nThird line."
    assert alice.tags == ["Family", "Climbing club"]  # "* myContacts", "* starred" dropped
    assert alice.related == [("spouse", "Bob Smith")]
    assert alice.extra == {"Shoe size": "38"}


def test_current_format_other_rows() -> None:
    found = items(CURRENT)
    people = [i for i in found if isinstance(i, ContactRecord)]
    _alice, jurgen, wang, phone_only, email_only, plumber = people
    assert jurgen.full_name == "Jürgen Müller" and jurgen.locator.endswith(":row 7")
    assert jurgen.birthday == PartialDate(7, 4, None)  # --07-04
    assert jurgen.tags == []
    assert wang.full_name == "王 小明" and wang.tags == ["朋友"]
    assert idents(wang, "email") == [("xiaoming@example.cn", None, True)]  # label "* "
    assert phone_only.display_name() == "+44 7700 900123" and phone_only.full_name is None
    assert email_only.display_name() == "noreply.friend@example.org"
    assert email_only.tags == []  # "* Other Contacts"
    assert plumber.is_organisation and plumber.display_name() == "Acme Plumbing"
    (error,) = [i for i in found if isinstance(i, RecordError)]
    assert error.locator == "google-current-bom-multiline-notes.csv:row 11"
    assert "no name, email, phone or organisation" in error.message
    assert found.index(error) == 5  # later rows still come


def test_legacy_utf16() -> None:
    zola, orjan = contacts(FIXTURES / "google-legacy-utf16.csv")
    assert zola.full_name == "Émile Zola"
    assert (zola.given_name, zola.family_name) == ("Émile", "Zola")
    assert idents(zola, "email") == [
        ("emile@zola.example", "home", True),
        ("ez@paris.example", "home", True),
    ]
    assert zola.tags == ["University", "School"]  # "* My Contacts" dropped
    (aff,) = zola.affiliations
    assert (aff.organisation, aff.title) == ("L'Aurore", "Columnist")
    assert zola.birthday == PartialDate(4, 2, 1840)
    assert [(i.value, i.label) for i in zola.identities if i.kind == "url"] == [
        ("http://zola.example/blog", "blog")
    ]
    (addr,) = orjan.addresses
    assert addr.street == "Storgata 1\nPO Box 42" and addr.city == "Oslo"
    assert orjan.locator == "google-legacy-utf16.csv:row 3"


def test_multivalue_cells_are_split() -> None:
    (carol,) = contacts(FIXTURES / "google-multivalue-cell.csv")
    assert idents(carol, "email") == [
        ("carol@work.example", "work", False),
        ("carol@home.example", "home", False),
    ]
    assert [v for v, _, _ in idents(carol, "phone")] == ["+1 555 0101", "+1 555 0102"]
    assert [(a.label, a.formatted, a.city) for a in carol.addresses] == [
        ("home", "1 Home Rd", "Boston"),
        ("work", "2 Work Ave", "Cambridge"),
    ]
    assert [(i.value, i.service) for i in carol.identities if i.kind == "url"] == [
        ("https://carol.example", None),
        ("https://github.com/carol", "github"),
    ]
    assert carol.tags == ["Work"]


def test_template_spelling_email_without_hyphen() -> None:
    (dana,) = contacts(FIXTURES / "google-template-email-no-hyphen.csv")
    assert idents(dana, "email") == [("dana@fbi.example", "work", False)]
    assert dana.tags == ["Work"]


def test_bad_values_do_not_drop_the_row(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        "First Name,Last Name,Birthday,Labels,E-mail 1 - Label,E-mail 1 - Value\n"
        "Bad,Birthday,31/31/2000,,Work,not-an-email\n"
        "Good,Row,2000-01-02,,,good@x.org\n",
        encoding="utf-8",
    )
    bad, good = contacts(path)
    assert bad.birthday is None and bad.extra["Birthday"] == "31/31/2000"
    assert bad.identities == [] and bad.extra["E-mail 1"] == "not-an-email"
    assert good.birthday == PartialDate(1, 2, 2000)


def test_empty_file_yields_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert items(path) == []
    path.write_bytes(b"\xef\xbb\xbf")
    assert items(path) == []


def test_not_a_google_csv_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n")
    (error,) = items(path)
    assert isinstance(error, RecordError) and error.locator == "x.csv"


def test_deterministic() -> None:
    assert items(CURRENT) == items(CURRENT)


@pytest.mark.parametrize(
    "name",
    [
        "google-current-bom-multiline-notes.csv",
        "google-legacy-utf16.csv",
        "google-multivalue-cell.csv",
        "google-template-email-no-hyphen.csv",
    ],
)
def test_detect_picks_google(name: str) -> None:
    assert detect(FIXTURES / name) is IMPORTER
    path = FIXTURES / name
    assert sniff(path, path.read_bytes()) >= 0.85


def test_sniff_rejects_outlook_layouts() -> None:
    for name in ("outlook-classic-cp1252.csv", "google-outlook-export.csv", "outlook-com.csv"):
        path = FIXTURES / name
        assert sniff(path, path.read_bytes()) == 0.0
