"""Outlook CSV: classic, 2003, Outlook.com, Google's Outlook export, localised headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from rekindle.identity.records import ContactRecord, Item, PartialDate, RecordError
from rekindle.sources import detect
from rekindle.sources.base import ImportOptions
from rekindle.sources.outlook_csv import IMPORTER, parse, sniff

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
CLASSIC = FIXTURES / "outlook-classic-cp1252.csv"


def items(path: Path) -> list[Item]:
    return list(parse(path, ImportOptions()))


def contacts(path: Path) -> list[ContactRecord]:
    return [i for i in items(path) if isinstance(i, ContactRecord)]


def values(record: ContactRecord, kind: str) -> list[str]:
    return [i.value for i in record.identities if i.kind == kind]


def test_classic_cp1252_row() -> None:
    francois = contacts(CLASSIC)[0]
    assert francois.source == "outlook_csv"
    assert francois.locator == "outlook-classic-cp1252.csv:row 2"
    assert (francois.prefix, francois.given_name, francois.family_name) == (
        "Mr.",
        "François",
        "Lefèvre",
    )
    assert francois.full_name == "François Lefèvre"
    assert values(francois, "email") == ["francois@cafe-creme.example"]
    phones = [(i.value, i.label) for i in francois.identities if i.kind == "phone"]
    assert phones == [("+33 6 98 76 54 32", "mobile"), ("+33 1 23 45 67 89", "work")]
    assert values(francois, "url") == ["http://cafe-creme.example/"]
    (aff,) = francois.affiliations
    assert (aff.organisation, aff.title, aff.department) == (
        "Café Crème SARL",
        "Gérant",
        "Direction",
    )
    (addr,) = francois.addresses
    assert (addr.label, addr.street, addr.city, addr.postcode, addr.country) == (
        "work",
        "12 rue de la Paix",
        "Paris",
        "75002",
        "France",
    )
    assert francois.birthday == PartialDate(5, 17, 1980)
    assert francois.anniversary is None  # 0/0/00
    assert francois.tags == ["Friends", "Open source", "Business"]
    assert francois.note == "Prix: 5 € – très “bon”.\nSecond line of the note."
    assert francois.related == [("spouse", "Hélène")]
    assert "Anniversary" not in francois.extra


def test_classic_exchange_addresses_and_errors() -> None:
    found = items(CLASSIC)
    people = [i for i in found if isinstance(i, ContactRecord)]
    exchange, dn_only, zoe = people[1:]
    # EX type with an X.500 DN: the address comes from "Name (addr@host)"
    assert values(exchange, "email") == ["ex.user@contoso.example"]
    assert exchange.anniversary == PartialDate(6, 1, 2005)
    # no address in the display name either: the DN is skipped, the contact kept
    assert dn_only.identities == [] and dn_only.full_name == "Dn Only"
    # a row with only Outlook's noise columns is an error; later rows still come
    (error,) = [i for i in found if isinstance(i, RecordError)]
    assert error.locator == "outlook-classic-cp1252.csv:row 6"
    assert found.index(error) < found.index(zoe)
    assert zoe.locator == "outlook-classic-cp1252.csv:row 7"
    assert zoe.full_name == "Zoë Ångström"
    phones = [(i.value, i.label, i.preferred) for i in zoe.identities if i.kind == "phone"]
    assert phones == [("+46 70 123 45 67", None, True), ("+46 8 123 456", "home", False)]
    (home,) = zoe.addresses
    assert home.street == "Storgatan 1\nLgh 1101" and home.country == "Sweden"
    assert zoe.birthday == PartialDate(12, 31, 1990)


def test_semicolon_delimiter() -> None:
    jurgen, anna = contacts(FIXTURES / "outlook-semicolon-delimiter.csv")
    assert jurgen.full_name == "Jürgen Groß"
    assert jurgen.affiliations[0].organisation == "Bäckerei Groß; Söhne"
    assert jurgen.tags == ["Kunden", "Lieferanten"]
    assert jurgen.birthday == PartialDate(3, 9, 1975)
    assert values(anna, "phone") == ["+49 171 1234567"]


def test_outlook_2003_country_columns() -> None:
    (old,) = contacts(FIXTURES / "outlook-2003-country.csv")
    assert [(a.label, a.city, a.country) for a in old.addresses] == [
        ("work", "Redmond", "United States"),
        ("home", "Seattle", "USA"),
    ]
    assert old.birthday == PartialDate(1, 2, 1960)


def test_outlook_com_layout() -> None:
    priya, ravi = contacts(FIXTURES / "outlook-com.csv")
    assert priya.nickname == "Pri"
    assert values(priya, "email") == ["priya@outlook.example", "priya.patel@work.example"]
    assert [i.preferred for i in priya.identities if i.kind == "email"] == [True, False]
    assert values(priya, "url") == ["https://priya.example"]
    assert values(priya, "handle") == ["priya@im.example"]
    assert priya.affiliations[0].organisation == "Startup Pvt"
    assert priya.affiliations[0].title == "CTO"
    assert priya.birthday == PartialDate(11, 2, 1988)
    assert ravi.full_name == "Ravi" and values(ravi, "phone") == ["+91 90000 00000"]


def test_google_outlook_export() -> None:
    (grace,) = contacts(FIXTURES / "google-outlook-export.csv")
    assert grace.full_name == "Grace Hopper"
    assert values(grace, "email") == ["grace@navy.example"]
    assert grace.birthday == PartialDate(12, 9, 1906)
    assert grace.tags == ["Pioneers"]  # "* myContacts" is a system group


def test_german_headers() -> None:
    (renate,) = contacts(FIXTURES / "outlook-german-headers.csv")
    assert (renate.prefix, renate.given_name, renate.family_name) == ("Frau", "Renate", "Köhler")
    assert values(renate, "email") == ["renate@koehler.example"]
    assert [(i.value, i.label) for i in renate.identities if i.kind == "phone"] == [
        ("+49 171 7654321", "mobile"),
        ("+49 89 123456", "work"),
    ]
    (aff,) = renate.affiliations
    assert (aff.organisation, aff.title) == ("Köhler & Söhne GmbH", "Geschäftsführerin")
    (addr,) = renate.addresses
    assert (addr.street, addr.city, addr.postcode, addr.country) == (
        "Hauptstraße 5",
        "München",
        "80331",
        "Deutschland",
    )
    assert renate.birthday == PartialDate(5, 17, 1970)  # 17.5.1970
    assert renate.anniversary is None
    assert renate.tags == ["Kunden", "Freunde"]
    assert renate.note == "Mag Brezeln."
    assert renate.extra["Location"] == "Büro 3"  # German "Ort" is Location, not a city


def test_french_headers() -> None:
    (helene,) = contacts(FIXTURES / "outlook-french-headers.csv")
    assert (helene.given_name, helene.family_name) == ("Hélène", "Dupré")
    assert values(helene, "email") == ["helene@chateau.example"]
    assert values(helene, "phone") == ["+33 6 11 22 33 44"]
    assert helene.affiliations[0].organisation == "Château & Cie"
    assert helene.birthday == PartialDate(2, 29, 1984)  # "Anniversaire" is the birthday
    assert helene.tags == ["Famille"]


def test_unknown_language_is_one_error_not_empty_contacts() -> None:
    path = FIXTURES / "outlook-unknown-language.csv"
    (error,) = items(path)
    assert isinstance(error, RecordError)
    assert error.locator == "outlook-unknown-language.csv"
    assert "column headers not recognised (localised Outlook export?)" in error.message


def test_known_header_shape_without_name_columns(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("Notes,Categories,Birthday,Hobby\nx,y,1/1/2000,z\n", encoding="utf-8")
    (error,) = items(path)
    assert isinstance(error, RecordError) and "not recognised" in error.message


def test_empty_file_yields_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert items(path) == []


def test_deterministic() -> None:
    assert items(CLASSIC) == items(CLASSIC)
    assert [c.natural_key() for c in contacts(CLASSIC)] == [
        c.natural_key() for c in contacts(CLASSIC)
    ]


@pytest.mark.parametrize(
    "name",
    [
        "outlook-classic-cp1252.csv",
        "outlook-semicolon-delimiter.csv",
        "outlook-2003-country.csv",
        "outlook-com.csv",
        "outlook-german-headers.csv",
        "outlook-french-headers.csv",
        "outlook-unknown-language.csv",
        "google-outlook-export.csv",
    ],
)
def test_detect_picks_outlook(name: str) -> None:
    assert detect(FIXTURES / name) is IMPORTER


def test_sniff_scores() -> None:
    assert sniff(CLASSIC, CLASSIC.read_bytes()) == 0.9
    unknown = FIXTURES / "outlook-unknown-language.csv"
    assert sniff(unknown, unknown.read_bytes()) == 0.5
    google = FIXTURES / "google-current-bom-multiline-notes.csv"
    assert sniff(google, google.read_bytes()) == 0.0
