"""Every .vcf of the shared corpus through the vCard importer, plus per-file expectations.

The corpus lives outside the repository (``../shared/corpora``); without it these tests skip.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rekindle.identity.records import ContactRecord, Item, NoticeRecord, PartialDate, RecordError
from rekindle.sources.base import ImportOptions
from rekindle.sources.vcard import EXTENSIONS, IMPORTER

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
SECONDS_PER_FILE = 10.0

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPORA.is_dir(), reason=f"no corpus at {CORPORA}"),
]


def corpus_files() -> list[Path]:
    if not CORPORA.is_dir():
        return []
    return sorted(p for p in CORPORA.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS)


def parse(relative: str, *, keep_photos: bool = False) -> list[Item]:
    return list(IMPORTER.parse(CORPORA / relative, ImportOptions(keep_photos=keep_photos)))


def contacts(relative: str, *, keep_photos: bool = False) -> list[ContactRecord]:
    return [i for i in parse(relative, keep_photos=keep_photos) if isinstance(i, ContactRecord)]


def only(relative: str, **kw: bool) -> ContactRecord:
    found = contacts(relative, **kw)
    assert len(found) == 1, found
    return found[0]


def values(record: ContactRecord, kind: str) -> list[str]:
    return [i.value for i in record.identities if i.kind == kind]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.relative_to(CORPORA).as_posix())
def test_every_corpus_file(path: Path) -> None:
    for keep_photos in (False, True):
        options = ImportOptions(keep_photos=keep_photos)
        started = time.monotonic()
        first = list(IMPORTER.parse(path, options))
        assert time.monotonic() - started < SECONDS_PER_FILE
        assert first, "a file yields at least one record, error or notice"
        assert all(isinstance(i, ContactRecord | RecordError | NoticeRecord) for i in first)
        for item in first:
            assert not (isinstance(item, RecordError) and "internal error" in item.message)
            if isinstance(item, ContactRecord):
                assert item.locator.startswith(path.name + ":")
                assert item.payload and item.display_name()
                assert keep_photos or item.photo is None
        assert list(IMPORTER.parse(path, options)) == first  # deterministic


def test_corpus_is_mostly_contacts() -> None:
    files = corpus_files()
    with_contacts = [p for p in files if any(isinstance(i, ContactRecord) for i in parse(str(p)))]
    assert len(files) >= 150
    assert len(with_contacts) >= len(files) - 12


JOHN_DOE_EMAILS = {
    "ANDROID": "john.doe@company.com",
    "BLACK_BERRY": None,
    "EVOLUTION": "john.doe@ibm.com",
    "GMAIL": "john.doe@ibm.com",
    "IPHONE": "john.doe@ibm.com",
    "LOTUS_NOTES": "john.doe@ibm.com",
    "MAC_ADDRESS_BOOK": "john.doe@ibm.com",
    "MS_OUTLOOK": "john.doe@ibm.cm",  # sic: the export has the typo
}


@pytest.mark.parametrize("client", sorted(JOHN_DOE_EMAILS))
def test_john_doe_from_every_client(client: str) -> None:
    found = contacts(f"ez-vcard/John_Doe_{client}.vcf")
    email = JOHN_DOE_EMAILS[client]
    if client != "ANDROID":  # Android's John Doe card has only his address
        john = [
            r for r in found if (r.given_name or "").lower() == "john" and r.family_name == "Doe"
        ]
        assert john, [r.display_name() for r in found]
        assert email is None or email in values(john[0], "email")
    else:
        assert any(email in values(r, "email") for r in found)


def test_gmail_list_has_several_cards() -> None:
    names = [r.full_name for r in contacts("ez-vcard/gmail-list.vcf")]
    assert names == ["Arnold Smith", "Chris Beatle", "Doug White"]


def test_apple_export() -> None:
    rec = only("mustang-client-samples/vcards/Apple.vcf")
    urls = [(i.value, i.label) for i in rec.identities if i.kind == "url"]
    assert urls == [("https://www.mustang.im/", "homepage")]
    assert [(i.value, i.service) for i in rec.identities if i.kind == "handle"] == [
        ("jabber@jabber.com", "xmpp")  # X-JABBER and IMPP:xmpp: are one account
    ]
    assert rec.birthday == PartialDate(4, 8, 1999)


@pytest.mark.parametrize(
    "relative",
    [
        "mustang-client-samples/vcards/Apple.vcf",
        "ez-vcard/John_Doe_IPHONE.vcf",
        "ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf",
        "ez-vcard/John_Doe_MS_OUTLOOK.vcf",
        "vobject-vcards/photo-test.vcf",
        "ical4j-vcard/vcard-antoni-kontact.vcf",
    ],
)
def test_jpeg_photos_only_when_asked(relative: str) -> None:
    assert all(r.photo is None for r in contacts(relative))
    photos = [r.photo for r in contacts(relative, keep_photos=True) if r.photo]
    assert photos and photos[0].startswith(b"\xff\xd8") and photos[0].endswith(b"\xff\xd9")
    assert all("bytes of inline data not kept" in r.payload for r in contacts(relative))


@pytest.mark.parametrize(
    "relative",
    [
        "radicale-static/contact_photo_with_data_uri.vcf",
        "radicale-static/contact_photo_with_data_uri_v4.vcf",
        "khard-vcards/vcards/photov3.vcf",
        "khard-vcards/vcards/photov4.vcf",
    ],
)
def test_png_photos_in_data_uris(relative: str) -> None:
    photo = only(relative, keep_photos=True).photo
    assert photo is not None and photo.startswith(b"\x89PNG")


def test_google_export() -> None:
    rec = only("mustang-client-samples/vcards/Google.vcf")
    assert rec.tags == ["Label"]  # myContacts is a system label
    assert rec.related == [("mother", "Jane Doe"), ("brother", "Jake Lopez")]
    assert ("https://www.mustang.im/", "homepage") in [(i.value, i.label) for i in rec.identities]
    assert rec.addresses[0].city == "Mönchengladbach"
    assert rec.addresses[0].formatted == "Somerset Close\n123456\n41179 Mönchengladbach\nDE"


def test_nextcloud_social_profile_and_related() -> None:
    rec = only("mustang-client-samples/vcards/NextCloud.vcf")
    assert ("url", "https://linkedin.com/fredflintstone", "linkedin") in [
        (i.kind, i.value, i.service) for i in rec.identities
    ]
    assert rec.related == [("spouse", "Wilma"), ("child", "Pebbles"), ("friend", "Barney")]


def test_android_quoted_type_label() -> None:
    fred, wilma = contacts("mustang-client-samples/vcards/Android.vcf")
    assert ("+1-555-555-5555", "User defined label") in [
        (i.value, i.label) for i in fred.identities
    ]
    assert fred.addresses[0].street == "Steingasse 1, Geröllheim"
    assert wilma.full_name == "Wilma Flintstone"


def test_proton_upper_case_group() -> None:
    assert "myemailaddress@example.com" in values(
        only("mustang-client-samples/vcards/Proton.vcf"), "email"
    )


def test_khard_quirks() -> None:
    assert values(only("khard-vcards/vcards/tel-value-uri.vcf"), "phone") == ["67545678"]
    text = only("khard-vcards/vcards/text-bday.vcf")
    assert text.birthday is None and text.extra["birthday"] == "circa 1800"
    assert only("khard-vcards/vcards/korean-c.vcf").full_name == "최유림"
    assert only("khard-vcards/vcards/unparsable.vcf").full_name  # no END:VCARD at EOF
    assert only("khard-vcards/vcards/org.vcf").is_organisation


def test_khard_folder() -> None:
    items = list(IMPORTER.parse(CORPORA / "khard-vcards", ImportOptions()))
    locators = [i.locator for i in items if isinstance(i, ContactRecord)]
    assert "vcards/tel-value-uri.vcf:1 (card 1)" in locators
    assert locators == sorted(locators)


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("radicale-static/contact4-with-bday-no-year.vcf", PartialDate(1, 1, None)),
        ("radicale-static/contact2-with-bday.vcf", PartialDate(1, 1, 1970)),
        ("vcard4android/vcard4.vcf", PartialDate(4, 16, None)),
        ("mustang-client-samples/vcards/rfc6350.vcf", PartialDate(2, 3, None)),
        ("ez-vcard/John_Doe_MS_OUTLOOK.vcf", PartialDate(3, 22, 1980)),
        ("ical4j-vcard/vcard-antoni-kontact.vcf", PartialDate(1, 28, 1985)),
    ],
)
def test_birthdays(relative: str, expected: PartialDate) -> None:
    assert only(relative).birthday == expected


def test_radicale_cards_without_uid_or_name() -> None:
    first, second = contacts("radicale-static/broken-vcards2-no_uid.vcf")
    assert first.source_id and second.source_id is None
    assert second.display_name() == "test-misses-N-or-FN@example1.com"


def test_apple_sap_export() -> None:
    cards = contacts("ical4j-vcard/vcard-vCards-SAP.vcf")
    assert len(cards) == 30
    assert cards[0].source_id == "07D43ED3-2026-4769-83C7-94726573A70D:ABPerson"
    travel = next(r for r in cards if r.full_name == "Karlsruhe Travel")
    assert travel.is_organisation and travel.family_name == "Töcken"  # a Latin-1 byte


def test_evolution_torture_cases() -> None:
    base = "evolution-data-server/libebook/vcard/"
    errors = [i for i in parse(base + "7.vcf") if isinstance(i, RecordError)]
    assert [e.locator for e in errors] == ["7.vcf:11"]
    assert only(base + "8.vcf").full_name == "Frank Dawson"  # missing END:VCARD
    assert only(base + "9.vcf").full_name == "Frank Dawson"  # cut in a property name
    bruning = only(base + "12.vcf")
    assert (bruning.full_name, bruning.addresses[0].city) == ("Michael Brüning", "Ulm")
    evil = only(base + "13.vcf")
    assert evil.addresses[0].street == "Evil semicolon city;"
    assert "semicolon;@points.net" in values(evil, "email")
    assert only(base + "5.vcf").full_name == "十城目管理大型知座"


def test_whitespace_after_begin() -> None:
    assert only("ical4j-vcard/invalid/vcard-dirk-whitespaceafterbegin.vcf").full_name == "Dirk"


def test_vcard4_group_is_a_notice() -> None:
    (notice,) = parse("vobject-vcards/vcard40_group.vcf")
    assert isinstance(notice, NoticeRecord) and "The Doe Family" in notice.message
