"""vCard export: escaping, folding at 75 octets, and a round trip through our parser."""

from __future__ import annotations

import io
from datetime import date

from rekindle.exporters.model import ExportPerson, identities
from rekindle.exporters.vcard import card_lines, escape_text, fold_line, write_vcards
from rekindle.identity.records import (
    AddressRecord,
    AffiliationRecord,
    ContactRecord,
    PartialDate,
    RawIdentity,
)
from rekindle.sources.base import ImportOptions
from rekindle.sources.vcard import parse_vcard_stream


def export(*people: ExportPerson, version: str = "3.0") -> str:
    out = io.StringIO(newline="")
    assert write_vcards(people, out, version) == len(people)
    return out.getvalue()


def reparse(text: str) -> list[ContactRecord]:
    items = list(
        parse_vcard_stream(io.BytesIO(text.encode("utf-8")), "export.vcf", ImportOptions())
    )
    assert all(isinstance(i, ContactRecord) for i in items), items
    return [i for i in items if isinstance(i, ContactRecord)]


ADA = ExportPerson(
    id=7,
    display_name="Ada Lovelace, Countess; of Lovelace",
    given_name="Ada",
    family_name="King-Noël",
    identities=identities("email", ["ada@example.com", "ada,king@example.org"])
    + identities("phone", ["+44 20 7946 0018", "+44 (0)7700 900123"])
    + identities("url", ["https://example.com/ada?x=1,2;3", "http://www.analytical.engine"]),
    affiliations=[AffiliationRecord("Analytical Engines; Ltd, Inc.", "Programmer \\ Poet")],
    birthday=PartialDate(12, 10, 1815),
    note="First line\nSecond line, with comma; semicolon and \\backslash\r\n"
    + "Ünïcödé ✓ 日本語 " * 12,
    tags=["Mathematics", "Friends, old", "Café"],
)


def test_round_trip() -> None:
    (rec,) = reparse(export(ADA))
    assert rec.source_id == "rekindle-person-7"
    assert rec.full_name == ADA.display_name
    assert (rec.given_name, rec.family_name) == (ADA.given_name, ADA.family_name)
    assert [i.value for i in rec.identities if i.kind == "email"] == ADA.emails
    assert [i.value for i in rec.identities if i.kind == "phone"] == ADA.phones
    assert [i.value for i in rec.identities if i.kind == "url"] == ADA.urls
    aff = rec.affiliations[0]
    assert (aff.organisation, aff.title) == (ADA.organisation, ADA.title)
    assert rec.birthday == ADA.birthday
    assert rec.note == ADA.note.replace("\r\n", "\n").strip()
    assert rec.tags == ADA.tags


def test_round_trip_several_and_minimal_people() -> None:
    people = [
        ExportPerson(id=1, display_name="Bob", birthday=PartialDate(2, 29)),
        ExportPerson(id=2, display_name="", identities=identities("email", ["only@example.com"])),
        ExportPerson(id=3, display_name="", given_name="Given", family_name="Family"),
    ]
    text = export(*people)
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29\r\n" in text
    bob, only_email, named = reparse(text)
    assert bob.birthday == PartialDate(2, 29, None)
    assert only_email.full_name == "only@example.com"
    assert named.full_name == "Given Family"


def test_lines_are_folded_at_75_octets_without_splitting_characters() -> None:
    text = export(ADA)
    assert text.endswith("END:VCARD\r\n")
    raw = text.encode("utf-8")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # every physical line is valid UTF-8 on its own
    assert b"\n " in raw  # the long note was folded


def test_fold_line() -> None:
    assert fold_line("short") == "short\r\n"
    folded = fold_line("NOTE:" + "é" * 100)
    pieces = folded.removesuffix("\r\n").split("\r\n")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join([pieces[0]] + [p[1:] for p in pieces[1:]]) == "NOTE:" + "é" * 100
    exact = "X" * 75
    assert fold_line(exact) == exact + "\r\n"


def test_escape_text() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf\rg") == "a\\,b\\;c\\\\d\\ne\\nf\\ng"
    assert escape_text("tab\tand\x00nul\x07") == "tab\tandnul"


def test_card_lines_shape() -> None:
    lines = card_lines(ExportPerson(id=3, display_name="Zoë", tags=["", "x"], note="  "), "3.0")
    assert lines[:4] == ["BEGIN:VCARD", "VERSION:3.0", lines[2], "UID:rekindle-person-3"]
    assert "FN:Zoë" in lines and "N:;;;;" in lines and "CATEGORIES:x" in lines
    assert not any(line.startswith("NOTE") for line in lines)
    assert lines[-1] == "END:VCARD"


RICH = ExportPerson(
    id=9,
    display_name="Grace Hopper",
    given_name="Grace",
    family_name="Hopper",
    middle_name="Brewster",
    prefix="Rear Admiral",
    nickname="Amazing Grace, Grandma COBOL",
    identities=[
        RawIdentity("email", "grace@navy.mil", "work", None, True),
        RawIdentity("phone", "+1 202 555 0100", "work fax"),
        RawIdentity("phone", "+1 202 555 0101", "Bridge; deck 2"),
        RawIdentity("handle", "grace@jabber.org", "home", "xmpp"),
        RawIdentity("handle", "ghopper", None, "twitter"),
        RawIdentity("url", "https://www.linkedin.com/in/ghopper", "Profile", "linkedin"),
        RawIdentity("url", "https://hopper.example", None),
    ],
    affiliations=[
        AffiliationRecord("US Navy", None),
        AffiliationRecord("Remington Rand", "Director", "UNIVAC; Programming"),
    ],
    addresses=[
        AddressRecord(
            "home", "1 Main St, Apt 2", "Arlington", "VA", "22201", "USA", "1 Main St\nArlington"
        ),
        AddressRecord("Summer house", None, None, None, None, None, "Somewhere by the sea"),
    ],
    birthday=PartialDate(12, 9, 1906),
    anniversary=PartialDate(6, 15),
    related=[("spouse", "Vincent Hopper"), ("Godson", "Tom")],
    photo=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    tags=["Navy"],
    connected_on=date(2019, 5, 4),
    extra={
        "gender": "F",
        "phonetic_given_name": "GRAY-s",
        "date:first bug": "1947-09-09",
        "connected_on": "2020-01-01",
    },
)


def test_every_fact_round_trips_in_both_versions() -> None:
    for version in ("4.0", "3.0"):
        text = export(RICH, version=version)
        items = list(
            parse_vcard_stream(io.BytesIO(text.encode()), "x.vcf", ImportOptions(keep_photos=True))
        )
        (rec,) = [i for i in items if isinstance(i, ContactRecord)]
        assert (rec.given_name, rec.family_name, rec.middle_name, rec.prefix) == (
            "Grace",
            "Hopper",
            "Brewster",
            "Rear Admiral",
        )
        assert rec.nickname == RICH.nickname
        got = {(i.kind, i.value, i.label, i.service, i.preferred) for i in rec.identities}
        assert got == {
            (i.kind, i.value, i.label, i.service, i.preferred) for i in RICH.identities
        }, version
        assert sorted(map(repr, rec.affiliations)) == sorted(map(repr, RICH.affiliations))
        assert rec.addresses == RICH.addresses, version
        assert (rec.birthday, rec.anniversary) == (RICH.birthday, RICH.anniversary)
        assert rec.related == RICH.related
        assert rec.photo == RICH.photo
        assert rec.extra == RICH.extra, version
        assert rec.connected_on == RICH.connected_on


def test_version_4_shape() -> None:
    lines = card_lines(RICH, "4.0")
    assert lines[1] == "VERSION:4.0"
    assert "EMAIL;TYPE=work;PREF=1:grace@navy.mil" in lines
    assert "TEL;TYPE=work,fax:+1 202 555 0100" in lines
    assert "item1.TEL:+1 202 555 0101" in lines and "item1.X-ABLabel:Bridge\\; deck 2" in lines
    assert 'IMPP;TYPE=home;X-SERVICE-TYPE="xmpp":xmpp:grace@jabber.org' in lines
    assert "ANNIVERSARY:--0615" in lines and "BDAY:1906-12-09" in lines
    assert "RELATED;TYPE=spouse;VALUE=text:Vincent Hopper" in lines
    assert any(line.startswith("PHOTO:data:image/png;base64,iVBORw0KGgo") for line in lines)
    assert (
        'ADR;TYPE=home;LABEL="1 Main St^nArlington":;;1 Main St\\, Apt 2;Arlington;VA;22201;USA'
        in lines
    )


def test_version_3_shape() -> None:
    lines = card_lines(RICH, "3.0")
    assert "X-ANNIVERSARY;X-APPLE-OMIT-YEAR=1604:1604-06-15" in lines
    assert "X-SPOUSE:Vincent Hopper" in lines
    assert "EMAIL;TYPE=work;TYPE=pref:grace@navy.mil" in lines
    assert any(line.startswith("PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo") for line in lines)
    assert "LABEL;TYPE=home:1 Main St\\nArlington" in lines


def test_a_profile_address_without_its_scheme_stays_a_profile_address() -> None:
    person = ExportPerson(
        id=4,
        display_name="Mathieu Leroy",
        identities=[
            RawIdentity("url", "linkedin.com/in/mathieu-leroy/", None, "linkedin"),
            RawIdentity("handle", "mleroy", None, "twitter"),
        ],
    )
    for version in ("4.0", "3.0"):
        (rec,) = reparse(export(person, version=version))
        got = [(i.kind, i.value, i.service) for i in rec.identities]
        assert got == [("url", "linkedin.com/in/mathieu-leroy/", "linkedin"),
                       ("handle", "mleroy", "twitter")]  # fmt: skip


def test_related_uris_are_written_as_uris_and_names_as_text() -> None:
    person = ExportPerson(
        id=1,
        display_name="Rel",
        related=[
            ("spouse", "urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519"),
            ("friend", "pat@example.org"),
            ("related", "https://example.org/~kim"),
            ("child", "Sam; Jr"),
        ],
    )
    lines = card_lines(person, "4.0")
    assert "RELATED;TYPE=spouse:urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519" in lines
    assert "RELATED;TYPE=friend:mailto:pat@example.org" in lines
    assert "RELATED:https://example.org/~kim" in lines
    assert "RELATED;TYPE=child;VALUE=text:Sam\\; Jr" in lines
    again = reparse("".join(fold_line(line) for line in lines))[0]
    assert again.related == person.related
