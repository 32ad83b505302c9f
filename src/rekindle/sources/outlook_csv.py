"""Outlook CSV: classic Outlook for Windows (92 quoted columns, cp1252, maybe ``;``),
Outlook 2003 (``Business Country``), Outlook.com (61 columns) and Google's "Outlook CSV".
German and French headers are mapped to the English ones. See FORMATS.md section 3.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rekindle.identity.records import (
    AddressRecord,
    AffiliationRecord,
    ContactRecord,
    Item,
    RawIdentity,
    RecordError,
)
from rekindle.sources.base import Importer, ImportOptions
from rekindle.sources.csv_fields import (
    clean_text,
    finish_row,
    join_name,
    parse_email,
    parse_email_in_text,
    parse_partial_date,
    split_tags,
    url_identity,
)
from rekindle.sources.csv_table import (
    CsvRow,
    HeaderNotFoundError,
    open_table,
    parse_header_key,
    sniff_header_keys,
)
from rekindle.sources.outlook_names import LOCALISED, NAME_COLUMNS

SOURCE = "outlook_csv"

#: phone columns and the label each gives its number
PHONES = {
    "Primary Phone": None,
    "Mobile Phone": "mobile",
    "Business Phone": "work",
    "Business Phone 2": "work",
    "Company Main Phone": "work",
    "Home Phone": "home",
    "Home Phone 2": "home",
    "Other Phone": "other",
    "Car Phone": "car",
    "Assistant's Phone": "assistant",
    "Callback": "callback",
    "Radio Phone": "radio",
    "ISDN": "isdn",
    "TTY/TDD Phone": "tty",
    "Telex": "telex",
    "Pager": "pager",
    "Business Fax": "work fax",
    "Home Fax": "home fax",
    "Other Fax": "fax",
}
ADDRESSES = {"Business": "work", "Home": "home", "Other": "other"}
RELATED = {
    "Spouse": "spouse",
    "Children": "child",
    "Manager's Name": "manager",
    "Assistant's Name": "assistant",
}
EXTRA = (
    "Profession",
    "Office Location",
    "Location",
    "Hobby",
    "Schools",
    "Referred By",
    "Keywords",
    "User 1",
    "User 2",
    "User 3",
    "User 4",
)
EXPECTED = (
    "First Name",
    "Last Name",
    "Middle Name",
    "E-mail Address",
    "Company",
    "Job Title",
    "Business Phone",
    "Home Phone",
    "Mobile Phone",
    "Home Street",
    "Business Street",
    "Categories",
    "Notes",
    "Birthday",
)
SNIFF_NEEDS = {parse_header_key(n) for n in ("Business Phone", "Job Title", "Home Street")}


def _emails(row: CsvRow, record: ContactRecord) -> None:
    for n in ("", " 2", " 3"):
        address = row.get(f"E-mail{n} Address")
        kind = row.get(f"E-mail{n} Type").upper()
        display = row.get(f"E-mail{n} Display Name")
        if kind == "EX" or address.startswith("/"):  # an Exchange X.500 DN, no address
            address = parse_email_in_text(display) or ""
        for value in [a for a in address.replace(",", ";").split(";") if a.strip()]:
            if parse_email(value):
                record.identities.append(RawIdentity("email", value.strip(), preferred=not n))
            else:
                record.extra[f"E-mail{n} Address"] = value.strip()


def _phones(row: CsvRow, record: ContactRecord) -> None:
    seen = set()
    for column, label in PHONES.items():
        value = row.get(column)
        if value and value not in seen:
            seen.add(value)
            record.identities.append(
                RawIdentity("phone", value, label, preferred=column == "Primary Phone")
            )


def _addresses(row: CsvRow, record: ContactRecord) -> None:
    for prefix, label in ADDRESSES.items():
        streets = [row.get(f"{prefix} Street{n}") for n in ("", " 2", " 3")]
        pobox = row.get(f"{prefix} Address PO Box")
        if pobox:
            streets.append("PO Box " + pobox)
        address = AddressRecord(
            label=label,
            street=clean_text("\n".join(s for s in streets if s)),
            city=row.get(f"{prefix} City") or None,
            region=row.get(f"{prefix} State") or None,
            postcode=row.get(f"{prefix} Postal Code") or None,
            country=row.get(f"{prefix} Country") or None,
            formatted=row.get(f"{prefix} Address") or None,
        )
        if any((address.street, address.city, address.postcode, address.country)):
            record.addresses.append(address)


def parse_row(row: CsvRow) -> ContactRecord | RecordError:
    """One Outlook CSV row as a contact (or an error when it names nobody)."""
    record = ContactRecord(
        source=SOURCE,
        locator=row.locator,
        payload=row.payload(),
        prefix=row.get("Title") or None,
        given_name=row.get("First Name") or None,
        middle_name=row.get("Middle Name") or None,
        family_name=row.get("Last Name") or None,
        suffix=row.get("Suffix") or None,
        nickname=row.get("Nickname") or None,
        note=clean_text(row.get("Notes")),
    )
    record.full_name = join_name(record.given_name, record.middle_name, record.family_name)
    company = row.get("Company")
    if company:
        record.affiliations.append(
            AffiliationRecord(company, row.get("Job Title") or None, row.get("Department") or None)
        )
    elif row.get("Job Title"):
        record.extra["Job Title"] = row.get("Job Title")
    _emails(row, record)
    _phones(row, record)
    for column in ("Web Page", "Personal Web Page"):
        if row.get(column):
            record.identities.append(url_identity(row.get(column)))
    if row.get("IMAddress"):
        record.identities.append(RawIdentity("handle", row.get("IMAddress")))
    _addresses(row, record)
    for column, attr in (("Birthday", "birthday"), ("Anniversary", "anniversary")):
        text = row.get(column)
        when = parse_partial_date(text) if text else None
        setattr(record, attr, when)
        if text and when is None and set(text) - set("0/.- "):
            record.extra[column] = text
    record.tags = split_tags(row.get("Categories"), seps=(";", ","))
    for column, relation in RELATED.items():
        for name in split_tags(row.get(column), seps=(";", ",")):
            record.related.append((relation, name))
    for column in EXTRA:
        if row.get(column):
            record.extra[column] = row.get(column)
    return finish_row(record, row.locator)


def parse(path: Path, options: ImportOptions) -> Iterator[Item]:
    try:
        with open_table(path, options, expected=EXPECTED, min_match=3, aliases=LOCALISED) as table:
            if table is None:
                return
            if not table.has(*NAME_COLUMNS):
                yield RecordError(
                    SOURCE,
                    path.name,
                    "column headers not recognised (localised Outlook export?); "
                    f"found {', '.join(table.header[:8])}…; "
                    "re-export from an English Outlook or import with --as csv --map",
                )
                return
            for row in table.rows(SOURCE):
                yield row if isinstance(row, RecordError) else parse_row(row)
    except HeaderNotFoundError:
        yield RecordError(
            SOURCE,
            path.name,
            "column headers not recognised (localised Outlook export?); "
            "import it with --as csv and --map field=Column",
        )


def sniff(path: Path, head: bytes) -> float:
    if not head:
        return 0.0
    for keys in sniff_header_keys(head):
        mapped = {LOCALISED.get(k, k) for k in keys}
        if {"emailaddress", "firstname"} <= mapped and mapped & SNIFF_NEEDS:
            return 0.9
        if 85 <= len(keys) <= 100:  # the shape of classic Outlook, headers in a language we lack
            return 0.5
    return 0.0


IMPORTER = Importer(
    name="outlook_csv",
    title="Outlook CSV (classic Outlook and Outlook.com)",
    sniff=sniff,
    parse=parse,
    extensions=(".csv",),
)
