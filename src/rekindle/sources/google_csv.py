"""Google Contacts CSV, current ("Labels", ``E-mail 1 - Label``) and legacy ("Group
Membership", ``E-mail 1 - Type``, often UTF-16LE). See FORMATS.md section 2.

Columns are matched by name; the numbered groups (``Phone 3 - Value``) are discovered from
the header, and several values sharing one cell (``a@x.org ::: b@y.org``) are split.
"""

from __future__ import annotations

import re
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
    MULTI_SEP,
    clean_text,
    finish_row,
    join_name,
    parse_email,
    parse_label,
    parse_partial_date,
    split_multi,
    split_tags,
    url_identity,
)
from rekindle.sources.csv_table import (
    CsvRow,
    CsvTable,
    HeaderNotFoundError,
    open_table,
    parse_header_key,
    sniff_header_keys,
)

SOURCE = "google_csv"
EXPECTED = (
    "First Name",
    "Middle Name",
    "Last Name",
    "Given Name",
    "Family Name",
    "Name",
    "Labels",
    "Group Membership",
    "E-mail 1 - Value",
    "Phone 1 - Value",
    "Organization Name",
    "Organization 1 - Name",
    "Notes",
    "Birthday",
)
#: columns only Outlook's layout has: a file with these is no Google CSV
OUTLOOK_ONLY = {
    parse_header_key(n)
    for n in ("E-mail Address", "Business Phone", "Home Street", "Job Title", "Categories")
}
_GROUP = re.compile(
    r"(email|phone|address|website|event|relation|organization|customfield|im)(\d{1,6})([a-z]+)"
)


Groups = dict[tuple[str, int], dict[str, int]]


def parse_groups(table: CsvTable) -> Groups:
    """Numbered column groups: (``phone``, 2) -> {``label``: col, ``value``: col}."""
    groups: Groups = {}
    for m, col in table.columns_like(_GROUP.pattern):
        part = "label" if m[3] == "type" else m[3]
        groups.setdefault((m[1], int(m[2])), {}).setdefault(part, col)
    return dict(sorted(groups.items()))


def _entries(row: CsvRow, columns: dict[str, int]) -> Iterator[dict[str, str]]:
    """A group's values, one dict per value when a cell holds several (`` ::: ``)."""
    split = {part: row.at(col).split(MULTI_SEP) for part, col in columns.items()}
    count = max((len(v) for k, v in split.items() if k != "label"), default=0)
    for i in range(count):
        entry = {}
        for part, values in split.items():
            if len(values) > i:
                entry[part] = values[i].strip()
            elif part == "label" and values:
                entry[part] = values[0].strip()
        if any(v for k, v in entry.items() if k != "label"):
            yield entry


def _add_group(record: ContactRecord, kind: str, entry: dict[str, str], n: int) -> None:
    label, preferred = parse_label(entry.get("label", ""))
    raw_label = entry.get("label", "").lstrip("*").strip()
    value = entry.get("value", "")
    if kind == "email":
        for v in split_multi(value):
            if parse_email(v):
                record.identities.append(RawIdentity("email", v, label, preferred=preferred))
            else:
                record.extra[f"E-mail {n}"] = v
    elif kind == "phone":
        for v in split_multi(value):
            record.identities.append(RawIdentity("phone", v, label, preferred=preferred))
    elif kind == "website":
        record.identities.extend(url_identity(v, label) for v in split_multi(value))
    elif kind == "im" and value:
        record.identities.append(RawIdentity("handle", value, label, service=entry.get("service")))
    elif kind == "address":
        _add_address(record, label, entry)
    elif kind == "organization" and entry.get("name"):
        record.affiliations.append(
            AffiliationRecord(
                entry["name"], entry.get("title") or None, entry.get("department") or None
            )
        )
    elif kind == "event" and value:
        when = parse_partial_date(value)
        if label == "anniversary" and when and record.anniversary is None:
            record.anniversary = when
        else:
            record.extra[f"Event: {raw_label or n}"] = value
    elif kind == "relation" and value:
        record.related.append((label or "relative", value))
    elif kind == "customfield" and value:
        record.extra[raw_label or f"Custom Field {n}"] = value


def _add_address(record: ContactRecord, label: str | None, entry: dict[str, str]) -> None:
    street_lines = [entry.get("street", ""), entry.get("extendedaddress", "")]
    if entry.get("pobox"):
        street_lines.append("PO Box " + entry["pobox"])
    address = AddressRecord(
        label=label,
        street=clean_text("\n".join(s for s in street_lines if s)),
        city=entry.get("city") or None,
        region=entry.get("region") or None,
        postcode=entry.get("postalcode") or None,
        country=entry.get("country") or None,
        formatted=clean_text(entry.get("formatted", "")),
    )
    record.addresses.append(address)


def parse_row(row: CsvRow, groups: Groups) -> ContactRecord | RecordError:
    """One Google CSV row as a contact (or an error when it names nobody)."""
    record = ContactRecord(
        source=SOURCE,
        locator=row.locator,
        payload=row.payload(),
        given_name=row.get("First Name", "Given Name") or None,
        middle_name=row.get("Middle Name", "Additional Name") or None,
        family_name=row.get("Last Name", "Family Name") or None,
        prefix=row.get("Name Prefix") or None,
        suffix=row.get("Name Suffix") or None,
        nickname=row.get("Nickname") or None,
        note=clean_text(row.get("Notes")),
    )
    record.full_name = row.get("Name") or join_name(
        record.given_name, record.middle_name, record.family_name
    )
    org = row.get("Organization Name")
    if org:
        record.affiliations.append(
            AffiliationRecord(
                org,
                row.get("Organization Title") or None,
                row.get("Organization Department") or None,
            )
        )
    for (kind, n), columns in groups.items():
        for entry in _entries(row, columns):
            _add_group(record, kind, entry, n)
    birthday = row.get("Birthday")
    if birthday:
        record.birthday = parse_partial_date(birthday)
        if record.birthday is None:
            record.extra["Birthday"] = birthday
    record.tags = split_tags(row.get("Labels", "Group Membership"), seps=(MULTI_SEP,))
    for name in ("File As", "Phonetic First Name", "Phonetic Last Name", "Occupation"):
        if row.get(name):
            record.extra[name] = row.get(name)
    return finish_row(record, row.locator)


def parse(path: Path, options: ImportOptions) -> Iterator[Item]:
    try:
        with open_table(path, options, expected=EXPECTED, min_match=3) as table:
            if table is None:
                return
            groups = parse_groups(table)
            for row in table.rows(SOURCE):
                yield row if isinstance(row, RecordError) else parse_row(row, groups)
    except HeaderNotFoundError as exc:
        yield RecordError(SOURCE, path.name, f"not a Google Contacts CSV: {exc}")


def sniff(path: Path, head: bytes) -> float:
    if not head:
        return 0.0
    for keys in sniff_header_keys(head):
        if keys & OUTLOOK_ONLY:
            continue
        named = bool(keys & {"firstname", "givenname"})
        if named and keys & {"email1value"}:
            return 0.9
        if named and keys & {"labels", "groupmembership"} and keys & {"phone1value", "fileas"}:
            return 0.85
    return 0.0


IMPORTER = Importer(
    name="google_csv",
    title="Google Contacts CSV (current and legacy)",
    sniff=sniff,
    parse=parse,
    extensions=(".csv",),
)
