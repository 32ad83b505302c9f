"""The vCard importer: one test per quirk, on small fixtures named after the quirk."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from rekindle.identity.records import ContactRecord, Item, NoticeRecord, PartialDate, RecordError
from rekindle.sources import get_importer
from rekindle.sources.base import ImportOptions
from rekindle.sources.vcard import IMPORTER, parse_vcard_stream, sniff_vcard
from rekindle.sources.vcard_labels import parse_label, type_label
from rekindle.sources.vcard_lines import iter_physical_lines
from rekindle.sources.vcard_values import decode_bytes, parse_partial_date

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "vcard"


def parse_bytes(data: bytes, *, keep_photos: bool = False, **kw: int) -> list[Item]:
    options = ImportOptions(keep_photos=keep_photos)
    return list(parse_vcard_stream(io.BytesIO(data), "test.vcf", options, **kw))


def parse_fixture(name: str, *, keep_photos: bool = False) -> list[Item]:
    return list(IMPORTER.parse(FIXTURES / name, ImportOptions(keep_photos=keep_photos)))


def contacts(items: list[Item]) -> list[ContactRecord]:
    return [i for i in items if isinstance(i, ContactRecord)]


def one(data: bytes | str, **kw: bool) -> ContactRecord:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    found = contacts(parse_bytes(raw, **kw))
    assert len(found) == 1, found
    return found[0]


def card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


def identities(record: ContactRecord) -> list[tuple[str, str, str | None, str | None]]:
    return [(i.kind, i.value, i.label, i.service) for i in record.identities]


# --- fixtures named by quirk ---------------------------------------------------------------


def test_apple_item_labels() -> None:
    (rec,) = contacts(parse_fixture("apple-item-labels.vcf"))
    assert rec.source_id == "6B29A774-D124-4822-B8D0-2780EC117F60"
    found = identities(rec)
    assert ("email", "johnny@example.com", "Parzelle", None) in found  # user label wins
    assert ("url", "http://www.example.com/johnny", "homepage", None) in found  # \: unescaped
    assert ("phone", "+43 660 1234567", "Orchard phone", None) in found  # ITEM4 == item4
    assert ("phone", "+43 732 765432", "work", None) in found
    assert ("url", "https://www.linkedin.com/in/johnny-appleseed", None, "linkedin") in found
    assert ("handle", "johnnyapple", None, "twitter") in found
    xmpp = [i for i in rec.identities if i.service == "xmpp"]
    assert len(xmpp) == 1 and xmpp[0].value == "johnny@jabber.example.com" and xmpp[0].preferred
    assert rec.addresses[0].label == "Rechnung" and rec.addresses[0].city == "Linz"
    assert len(rec.addresses) == 1  # X-ABADR is not an address
    assert rec.related == [("mother", "Jane Appleseed")]
    assert rec.anniversary == PartialDate(6, 2, 2001)
    assert rec.extra["date:Planted first tree"] == "2010-01-15"
    assert rec.tags == ["Orchard", "Friends"]  # Google/Apple system labels dropped
    aff = rec.affiliations[0]
    assert (aff.organisation, aff.department, aff.title) == ("Apple Inc.", "Orchards", "Planter")


def test_qp_latin1_21() -> None:
    (rec,) = contacts(parse_fixture("qp-latin1-21.vcf"))
    assert rec.full_name == "Jürgen Müller"
    assert (rec.given_name, rec.family_name) == ("Jürgen", "Müller")
    assert rec.affiliations[0].organisation == "Café €uro"  # CHARSET=WINDOWS-1252
    assert rec.note == (
        "Erste Zeile\nZweite Zeile mit Umlaut äöü und einem sehr langen Text, der umbrochen wird."
    )
    assert [(i.value, i.label) for i in rec.identities if i.kind == "phone"] == [
        ("+49 30 1234567", "work"),
        ("+49 170 7654321", "cell"),
    ]
    address = rec.addresses[0]
    assert (address.street, address.city) == ("Hauptstraße 1", "München")
    assert address.formatted == "Hauptstraße 1\n80331 München"  # the 2.1 LABEL property


def test_tel_value_uri() -> None:
    (rec,) = contacts(parse_fixture("tel-value-uri.vcf"))
    assert identities(rec) == [
        ("phone", "+1-418-656-9254;ext=102", "work", None),
        ("phone", "+1-418-262-6501", "cell", None),
        ("phone", "67545678", "home", None),
    ]
    assert rec.identities[0].preferred  # PREF=1


def test_bday_omit_year() -> None:
    (rec,) = contacts(parse_fixture("bday-omit-year.vcf"))
    assert rec.birthday == PartialDate(3, 15, None)


def test_bday_forms() -> None:
    found = {r.full_name: r for r in contacts(parse_fixture("bday-forms.vcf"))}
    assert found["Dashed"].birthday == PartialDate(4, 8, 1999)
    assert found["Basic"].birthday == PartialDate(4, 8, 1999)
    assert found["No Year Basic"].birthday == PartialDate(4, 8, None)
    assert found["No Year Dashed"].birthday == PartialDate(4, 8, None)
    assert found["Text"].birthday is None and found["Text"].extra["birthday"] == "circa 1800"
    assert found["Date Time"].birthday == PartialDate(1, 28, 1985)
    assert found["Date Time Basic"].birthday == PartialDate(4, 15, 1996)
    assert found["Date Time Basic"].anniversary == PartialDate(8, 8, 2009)
    assert found["Invalid"].birthday is None and found["Invalid"].extra["birthday"] == "1999-02-30"


def test_no_end_at_eof() -> None:
    items = parse_fixture("no-end-at-eof.vcf")
    assert [r.full_name for r in contacts(items)] == ["First Card", "Unterminated"]
    # the cut card is kept, and said to be cut: one notice, naming it
    (notice,) = [i for i in items if not isinstance(i, ContactRecord)]
    assert isinstance(notice, NoticeRecord) and "(card 2)" in notice.locator
    assert notice.message.startswith("no END:VCARD")


def test_binary_garbage_in_value() -> None:
    (rec,) = contacts(parse_fixture("binary-garbage-in-value.vcf"))
    assert rec.full_name == "Garbage Person"  # the NUL is dropped
    assert rec.note is not None and "binary" in rec.note
    assert all(ord(c) >= 32 or c == "\n" for c in rec.note)
    assert ("email", "garbage@example.com", None, None) in identities(rec)


def test_apple_group_card_is_a_notice_and_show_as_company() -> None:
    items = parse_fixture("apple-group-card.vcf")
    notice, company = items
    assert isinstance(notice, NoticeRecord) and "Orchard Team" in notice.message
    assert "2 members" in notice.message
    assert isinstance(company, ContactRecord) and company.is_organisation
    assert company.affiliations[0].organisation == "Karlsruhe Travel"


def test_vcard4_kind_group_and_org() -> None:
    items = parse_bytes(
        card("KIND:group", "FN:Family", "MEMBER:urn:uuid:1", version="4.0").encode()
    )
    assert isinstance(items[0], NoticeRecord)
    assert one(card("KIND:org", "FN:ACME", "ORG:ACME", version="4.0")).is_organisation


def test_rfc822_headers_before_card() -> None:
    items = parse_fixture("rfc822-headers-before-card.vcf")
    (rec,) = contacts(items)
    assert rec.full_name == "Header Mail"
    assert rec.locator == "rfc822-headers-before-card.vcf:6 (card 1)"
    notices = [i for i in items if isinstance(i, NoticeRecord)]
    assert len(notices) == 1 and "4 lines" in notices[0].message


def test_end_without_begin_is_an_error_with_line_and_parsing_goes_on() -> None:
    items = parse_fixture("end-without-begin.vcf")
    errors = [i for i in items if isinstance(i, RecordError)]
    assert [e.locator for e in errors] == ["end-without-begin.vcf:4"]
    assert "without BEGIN" in errors[0].message
    assert [r.full_name for r in contacts(items)] == ["Found Card"]


def test_photo_forms() -> None:
    without = contacts(parse_fixture("photo-forms.vcf"))
    assert len(without) == 5 and all(r.photo is None for r in without)
    found = {r.full_name: r for r in contacts(parse_fixture("photo-forms.vcf", keep_photos=True))}
    jpeg21, jpeg30 = found["Photo TwoOne"].photo, found["Photo Three"].photo
    assert jpeg21 is not None and jpeg21.startswith(b"\xff\xd8") and jpeg21.endswith(b"\xff\xd9")
    assert jpeg30 == jpeg21
    png = found["Photo Four"].photo
    assert png is not None and png.startswith(b"\x89PNG")
    assert found["Photo Broken"].photo is None  # a broken photo never fails the card
    assert found["Photo Url"].photo is None
    assert found["Photo Url"].extra["photo_url"] == "https://example.com/p.jpg"


def test_big_photo_is_elided_from_payload() -> None:
    rec = contacts(parse_fixture("photo-forms.vcf"))[1]
    assert "bytes of inline data not kept>" in rec.payload
    assert rec.payload.startswith("BEGIN:VCARD") and rec.payload.endswith("END:VCARD")
    assert len(rec.payload) < 500


def test_agent_nested_card_stays_inside() -> None:
    (rec,) = contacts(parse_fixture("agent-nested-21.vcf"))
    assert rec.full_name == "Boss Person"
    assert [i.value for i in rec.identities] == ["boss@example.com", "+1 555 0100"]


# --- lines, encodings and framing ------------------------------------------------------------


@pytest.mark.parametrize("eol", [b"\r\n", b"\n", b"\r", b"\r\r\n"])
def test_line_endings(eol: bytes) -> None:
    data = eol.join([b"BEGIN:VCARD", b"FN:Line Ending", b"EMAIL:le@example.com", b"END:VCARD", b""])
    rec = one(data)
    assert rec.full_name == "Line Ending" and rec.identities[0].value == "le@example.com"


def test_crlf_split_across_blocks_counts_one_line() -> None:
    lines = list(iter_physical_lines([b"A\r", b"\nB\r", b"\r\nC"]))
    assert [(line.number, line.data) for line in lines] == [(1, b"A"), (2, b"B"), (3, b"C")]


def test_overlong_line_is_dropped_not_held() -> None:
    lines = list(iter_physical_lines([b"x" * 10, b"y" * 10, b"\nok\n"], max_line=15))
    assert [(line.data, line.too_long) for line in lines] == [(b"", True), (b"ok", False)]


def test_oversized_card_is_an_error_and_parser_resyncs() -> None:
    big = card("FN:Huge", "NOTE:" + "x" * 5000)
    data = (card("FN:Before") + big + card("FN:After")).encode()
    items = parse_bytes(data, max_card_bytes=2000)
    assert [type(i).__name__ for i in items] == ["ContactRecord", "RecordError", "ContactRecord"]
    assert isinstance(items[1], RecordError) and "larger than" in items[1].message
    assert items[1].locator == "test.vcf:5 (card 2)"


def test_begin_inside_card_closes_the_unterminated_one() -> None:
    data = "BEGIN:VCARD\nFN:One\nBEGIN:VCARD\nFN:Two\nEND:VCARD\n"
    assert [r.full_name for r in contacts(parse_bytes(data.encode()))] == ["One", "Two"]


def test_bom_and_utf16() -> None:
    text = card("FN:Zoë Ünal", "EMAIL:zoe@example.com")
    assert one(b"\xef\xbb\xbf" + text.encode()).full_name == "Zoë Ünal"
    assert one(text.encode("utf-16")).full_name == "Zoë Ünal"
    assert one(text.encode("utf-16-le")).full_name == "Zoë Ünal"  # no BOM, NUL pattern


def test_forced_encoding_option() -> None:
    text = card("FN:Zoë", "NOTE:naïve")
    for encoding, data in (("utf-16", text.encode("utf-16")), ("latin-1", text.encode("latin-1"))):
        options = ImportOptions(encoding=encoding)
        (rec,) = parse_vcard_stream(io.BytesIO(data), "x.vcf", options)
        assert isinstance(rec, ContactRecord) and (rec.full_name, rec.note) == ("Zoë", "naïve")


def test_mixed_case_begin_and_whitespace_after_begin() -> None:
    assert one("begin:vCard \r\nfn:Lower Case\r\nEnd:VCard\t\r\n").full_name == "Lower Case"


def test_folding_with_space_and_tab() -> None:
    data = (
        "BEGIN:VCARD\r\nFN:Fol\r\n ded\r\n"
        "TEL;TYPE=VOICE,M\r\n\tSG,WORK:+1 555\r\n 0100\r\nEND:VCARD\r\n"
    )
    rec = one(data)
    assert rec.full_name == "Folded"
    assert identities(rec) == [("phone", "+1 5550100", "work", None)]


def test_qp_soft_break_before_next_property() -> None:
    data = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Q\r\n"
        "LABEL;WORK;ENCODING=QUOTED-PRINTABLE:Street 1=0D=0A=\r\n"
        "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2\r\nEMAIL:q@example.com\r\nEND:VCARD\r\n"
    )
    rec = one(data)
    assert rec.addresses[0].formatted == "Street 1"
    assert identities(rec) == [("email", "q@example.com", None, None)]


def test_charset_per_property_and_fallbacks() -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1:M\xfcller;Anna\r\n"
        b"FN:Anna M\xfcller\r\nNOTE;CHARSET=bogus-charset:caf\xc3\xa9\r\nEND:VCARD\r\n"
    )
    rec = one(data)
    assert rec.family_name == "Müller" and rec.full_name == "Anna Müller"  # cp1252 fallback
    assert rec.note == "café"  # an unknown charset falls back to UTF-8


def test_decode_bytes_keeps_mostly_utf8() -> None:
    assert decode_bytes("ÑÑÑÑ".encode() + b"\x80") == "ÑÑÑÑ\ufffd"
    assert decode_bytes(b"T\xf6cken") == "Töcken"
    assert decode_bytes(b"\x81\x8d") == "\x81\x8d"  # undefined in cp1252: Latin-1


# --- properties and values ---------------------------------------------------------------------


def test_base64_encoded_text_value() -> None:
    data = card("FN;ENCODING=BASE64;CHARSET=UTF-8:SsO8cmdlbg==", "N:;J;;;", version="2.1")
    assert one(data).full_name == "Jürgen"


def test_bare_type_words_and_repeated_lowercase_type() -> None:
    rec = one(
        card(
            "FN:Types",
            "TEL;WORK;VOICE:+1 1",
            "TEL;type=HOME;type=FAX:+1 2",
            'TEL;TYPE="User defined label":+1 3',
            "EMAIL;type=INTERNET;type=WORK;type=pref:t@example.com",
        )
    )
    assert identities(rec) == [
        ("phone", "+1 1", "work", None),
        ("phone", "+1 2", "home fax", None),
        ("phone", "+1 3", "User defined label", None),
        ("email", "t@example.com", "work", None),
    ]
    assert rec.identities[3].preferred


def test_escapes_in_text_values() -> None:
    rec = one(
        card(
            "FN:Doe\\, John",
            "N:Doe;John;Richter\\, James;;",
            "URL:http\\://www.ibm.com",
            "NOTE:one\\ntwo\\Nthree \\; semi \\\\ back \\, comma C:\\temp",
            "ORG:ABC\\, Inc.;North\\;South;Marketing",
        )
    )
    assert rec.full_name == "Doe, John" and rec.middle_name == "Richter, James"
    assert rec.identities[0].value == "http://www.ibm.com"
    assert rec.note == "one\ntwo\nthree ; semi \\ back , comma C:\\temp"
    aff = rec.affiliations[0]
    assert (aff.organisation, aff.department) == ("ABC, Inc.", "North;South; Marketing")


def test_n_nickname_title_note_categories() -> None:
    rec = one(
        card(
            "N:Public;John;Quinlan;Dr.;III",
            "NICKNAME:Johnny,JQP",
            "TITLE:CEO",
            "NOTE:first",
            "NOTE:second",
            "CATEGORIES:Work,myContacts,Friends,starred,Work",
        )
    )
    assert (rec.family_name, rec.given_name, rec.middle_name) == ("Public", "John", "Quinlan")
    assert (rec.prefix, rec.suffix, rec.nickname) == ("Dr.", "III", "Johnny, JQP")
    assert rec.full_name is None and rec.display_name() == "Dr. John Quinlan Public III"
    assert rec.extra["title"] == "CEO"  # a title without an organisation
    assert rec.note == "first\n\nsecond"
    assert rec.tags == ["Work", "Friends"]


def test_im_handles_and_dedupe() -> None:
    rec = one(
        card(
            "FN:Im",
            "X-JABBER:me@jabber.org",
            "IMPP;X-SERVICE-TYPE=Jabber:xmpp:me@jabber.org",
            "X-AIM:aimname",
            "X-SKYPE:skypename",
            "IMPP:skype:skypename",
            "IMPP:sip:me@voip.example.com",
            "IMPP;TYPE=IRC:fred:irc.example.net",
            "X-messaging/gadu-All:452342",
        )
    )
    assert [(i.value, i.service) for i in rec.identities] == [
        ("me@jabber.org", "xmpp"),
        ("aimname", "aim"),
        ("skypename", "skype"),
        ("me@voip.example.com", "sip"),
        ("fred:irc.example.net", "irc"),
        ("452342", "gadugadu"),
    ]


def test_related_names() -> None:
    rec = one(
        card(
            "FN:Rel",
            "RELATED;TYPE=SPOUSE:Wilma",
            "RELATED;TYPE=friend;VALUE=uri:urn:uuid:1234",
            "item1.X-ABRELATEDNAMES:Jane",
            "item1.X-ABLabel:_$!<Mother>!$_",
            "X-ABRELATEDNAMES:Someone",
            "X-EVOLUTION-MANAGER:Big Blue",
        )
    )
    assert rec.related == [
        ("spouse", "Wilma"),
        ("friend", "urn:uuid:1234"),  # a card by its UID: kept, and written back as a URI
        ("mother", "Jane"),
        ("related", "Someone"),
        ("manager", "Big Blue"),
    ]


def test_addresses() -> None:
    rec = one(
        card(
            "FN:Adr",
            "ADR;TYPE=home:PostBox;Ext;Main Street 1;The City;SomeState;00000;HomeCountry",
            "ADR:;;Somerset Close;Town;;41179;DE;Somerset Close\\n41179 Town\\nDE",
            "item1.ADR:;;;;;;",
            "item1.X-ABLabel:",
        )
    )
    home, google = rec.addresses
    assert home.label == "home" and home.street == "Main Street 1, Ext, PostBox"
    assert (home.city, home.region, home.postcode, home.country) == (
        "The City",
        "SomeState",
        "00000",
        "HomeCountry",
    )
    assert google.formatted == "Somerset Close\n41179 Town\nDE"


def test_uid_and_apple_uid_and_locator() -> None:
    items = parse_bytes(
        (card("FN:A", "UID:uid-1") + card("FN:B", "X-ABUID:AB\\:ABPerson")).encode()
    )
    a, b = contacts(items)
    assert (a.source_id, b.source_id) == ("uid-1", "AB:ABPerson")
    assert (a.locator, b.locator) == ("test.vcf:1 (card 1)", "test.vcf:6 (card 2)")
    assert a.payload.splitlines()[2] == "FN:A"


def test_card_without_content_is_an_error() -> None:
    items = parse_bytes(card("NOTE:only a note", "ADR:;;Street;City;;;").encode())
    assert len(items) == 1 and isinstance(items[0], RecordError)
    assert items[0].message == "card has no name, address or organisation"
    assert items[0].locator == "test.vcf:1 (card 1)"


def test_files_without_cards() -> None:
    assert parse_bytes(b"") == []
    assert parse_bytes(b"\r\n\r\n") == []
    (error,) = parse_bytes(b"../vcards/contact1.vcf")
    assert isinstance(error, RecordError) and "no vCard" in error.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1999-04-08", PartialDate(4, 8, 1999)),
        ("19990408", PartialDate(4, 8, 1999)),
        ("--0408", PartialDate(4, 8)),
        ("--04-08", PartialDate(4, 8)),
        ("1604-03-15", PartialDate(3, 15)),
        ("0000-02-29", PartialDate(2, 29)),
        ("1996-04-15T201243+04:00", PartialDate(4, 15, 1996)),
        ("2016-02-30", None),
        ("circa 1800", None),
        ("1985", None),
        ("", None),
    ],
)
def test_parse_partial_date(text: str, expected: PartialDate | None) -> None:
    assert parse_partial_date(text) == expected


def test_omit_year_parameter() -> None:
    assert parse_partial_date("1900-01-02", omit_year="1900") == PartialDate(1, 2)


def test_labels() -> None:
    assert parse_label("_$!<HomePage>!$_") == "homepage"
    assert parse_label("_$!<AssistantPhone>!$_") == "assistantphone"
    assert parse_label("Parzelle") == "Parzelle"
    assert parse_label("") is None
    assert type_label(["CELL", "VOICE", "pref"]) == "cell"
    assert type_label(["WORK", "FAX"]) == "work fax"
    assert type_label(["INTERNET"]) is None
    assert type_label(["x-aunt"]) == "aunt"


# --- importer contract ---------------------------------------------------------------------


def test_registry_and_sniff(tmp_path: Path) -> None:
    assert get_importer("vcard") is IMPORTER
    vcf = tmp_path / "a.vcf"
    assert sniff_vcard(vcf, b"\xef\xbb\xbfjunk\r\nBEGIN:VCARD\r\n") == 0.95
    assert sniff_vcard(vcf, "begin:vcard".encode("utf-16")) == 0.95
    assert sniff_vcard(vcf, b"hello") == 0.0  # a .vcf name alone is not enough
    assert sniff_vcard(tmp_path / "a.txt", b"hello") == 0.0
    book = tmp_path / "book.abook"
    book.mkdir()
    assert sniff_vcard(tmp_path, b"") == 0.0
    (book / "x.vcf").write_bytes(card("FN:X").encode())
    assert sniff_vcard(tmp_path, b"") == 0.6


def test_folder_parse_is_sorted_with_relative_locators(tmp_path: Path) -> None:
    (tmp_path / "b.abook").mkdir()
    (tmp_path / "a.abook").mkdir()
    (tmp_path / "b.abook" / "one.vcf").write_bytes(card("FN:B1").encode())
    (tmp_path / "a.abook" / "two.VCF").write_bytes(card("FN:A2").encode())
    (tmp_path / "a.abook" / "notes.txt").write_bytes(b"not a card")
    items = list(IMPORTER.parse(tmp_path, ImportOptions()))
    assert [(r.full_name, r.locator) for r in contacts(items)] == [
        ("A2", "a.abook/two.VCF:1 (card 1)"),
        ("B1", "b.abook/one.vcf:1 (card 1)"),
    ]


def test_deterministic() -> None:
    for path in sorted(FIXTURES.glob("*.vcf")):
        first = list(IMPORTER.parse(path, ImportOptions(keep_photos=True)))
        assert first == list(IMPORTER.parse(path, ImportOptions(keep_photos=True)))
        for item in contacts(first):
            assert item.content_hash() == contacts([item])[0].content_hash()


def test_never_raises_on_truncated_fixtures() -> None:
    for path in sorted(FIXTURES.glob("*.vcf")):
        data = path.read_bytes()
        for cut in range(0, len(data), max(1, len(data) // 150)):
            for item in parse_bytes(data[:cut], keep_photos=True):
                assert not (isinstance(item, RecordError) and "internal error" in item.message)


def test_never_raises_on_random_bytes() -> None:
    rng = random.Random(20261121)
    alphabet = b'BEGIN:VCARDEND;=,\\"\r\n \t.:QUOTED-PRINTABLEbase64\x00\xff\xc3\xa9item1TYPE'
    for _ in range(300):
        size = rng.randint(0, 400)
        data = b"BEGIN:VCARD\r\n" + bytes(rng.choice(alphabet) for _ in range(size))
        for item in parse_bytes(data, keep_photos=True):
            assert not (isinstance(item, RecordError) and "internal error" in item.message)
