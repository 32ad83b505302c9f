"""Any other CSV (or TSV): columns mapped to contact fields with ``--map field=Column``, or
guessed from common header names when no map is given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from rekindle.identity.records import (
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
    parse_partial_date,
    split_multi,
    split_tags,
    url_identity,
)
from rekindle.sources.csv_table import (
    CsvRow,
    CsvTable,
    HeaderNotFoundError,
    decode_head_lines,
    open_table,
    parse_header_key,
)

SOURCE = "csv"

#: our field names and the header names (normalised) that suggest each, in priority order
GUESSES: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "displayname", "contactname", "contact", "person"),
    "given_name": ("firstname", "givenname", "forename", "first", "vorname", "prenom"),
    "family_name": ("lastname", "familyname", "surname", "last", "nachname", "nom"),
    "email": ("email", "emailaddress", "mail", "email1", "primaryemail", "workemail"),
    "email2": ("email2", "emailaddress2", "secondaryemail", "otheremail", "personalemail"),
    "phone": ("phone", "telephone", "tel", "phonenumber", "workphone", "phone1", "mobile"),
    "phone2": ("mobile", "mobilephone", "cell", "cellphone", "phone2", "homephone"),
    "organisation": ("company", "organisation", "organization", "org", "employer", "firma"),
    "title": ("title", "jobtitle", "position", "role"),
    "url": ("url", "website", "web", "homepage", "webpage"),
    "linkedin": ("linkedin", "linkedinurl", "linkedinprofile", "profileurl"),
    "birthday": ("birthday", "birthdate", "dateofbirth", "dob"),
    "note": ("note", "notes", "comment", "comments", "description"),
    "tags": ("tags", "labels", "groups", "categories", "group"),
}
FIELDS = tuple(GUESSES)
IDENTIFYING = ("name", "given_name", "family_name", "email", "phone", "organisation")


def parse_column_guess(table: CsvTable) -> dict[str, int]:
    """Our field -> column index, guessed from the header names."""
    taken: set[int] = set()
    found: dict[str, int] = {}
    for field_name, keys in GUESSES.items():
        for key in keys:
            cols = [c for c in table.index.get(key, ()) if c not in taken]
            if cols:
                found[field_name] = cols[0]
                taken.add(cols[0])
                break
    return found


def parse_column_map(table: CsvTable, column_map: Mapping[str, str]) -> dict[str, int] | str:
    """Our field -> column index from ``--map``, or a message saying what is wrong."""
    found: dict[str, int] = {}
    for field_name, column in column_map.items():
        if field_name not in FIELDS and not field_name.startswith("extra."):
            return f"unknown field {field_name!r} in --map; fields: {', '.join(FIELDS)}, extra.NAME"
        cols = table.index.get(parse_header_key(column))
        if not cols:
            return f"no column {column!r} (for {field_name}); columns: {', '.join(table.header)}"
        found[field_name] = cols[0]
    return found


def parse_row(row: CsvRow, columns: Mapping[str, int]) -> ContactRecord | RecordError:
    """One row as a contact, reading the mapped columns."""
    value = {f: row.at(c) for f, c in columns.items()}
    record = ContactRecord(
        source=SOURCE,
        locator=row.locator,
        payload=row.payload(),
        given_name=value.get("given_name") or None,
        family_name=value.get("family_name") or None,
        note=clean_text(value.get("note", "")),
    )
    record.full_name = value.get("name") or join_name(record.given_name, record.family_name)
    for field_name in ("email", "email2"):
        for v in split_multi(value.get(field_name, ""), ";"):
            if parse_email(v):
                record.identities.append(RawIdentity("email", v, preferred=field_name == "email"))
            else:
                record.extra[field_name] = v
    for field_name in ("phone", "phone2"):
        for v in split_multi(value.get(field_name, ""), ";"):
            record.identities.append(RawIdentity("phone", v))
    if value.get("url"):
        record.identities.append(url_identity(value["url"]))
    if value.get("linkedin"):
        record.identities.append(RawIdentity("url", value["linkedin"], service="linkedin"))
    if value.get("organisation"):
        record.affiliations.append(
            AffiliationRecord(value["organisation"], value.get("title") or None)
        )
    elif value.get("title"):
        record.extra["title"] = value["title"]
    if value.get("birthday"):
        record.birthday = parse_partial_date(value["birthday"])
        if record.birthday is None:
            record.extra["birthday"] = value["birthday"]
    record.tags = split_tags(value.get("tags", ""), seps=(";", ",", "|"))
    for field_name, v in value.items():
        if field_name.startswith("extra.") and v:
            record.extra[field_name.removeprefix("extra.")] = v
    return finish_row(record, row.locator)


def _map_hint(table: CsvTable) -> str:
    cols = table.header[:2] or ["Column"]
    example = " ".join(f'--map {f}="{c}"' for f, c in zip(("name", "email"), cols, strict=False))
    return (
        f"no column could be matched to a contact field; columns found: {', '.join(table.header)}. "
        f"Say which column holds what, e.g. {example} "
        f"(fields: {', '.join(FIELDS)}, extra.NAME)"
    )


def parse(path: Path, options: ImportOptions) -> Iterator[Item]:
    column_map = options.column_map
    expected = list(column_map.values()) if column_map else [k for v in GUESSES.values() for k in v]
    try:
        with open_table(
            path,
            options,
            expected=expected,
            min_match=len(set(map(parse_header_key, expected))) if column_map else 2,
            first_line_fallback=True,
        ) as table:
            if table is None:
                return
            columns = (
                parse_column_map(table, column_map) if column_map else parse_column_guess(table)
            )
            if isinstance(columns, str):
                yield RecordError(SOURCE, path.name, columns)
                return
            if not any(f in columns for f in IDENTIFYING) and not column_map:
                yield RecordError(SOURCE, path.name, _map_hint(table))
                return
            for row in table.rows(SOURCE):
                yield row if isinstance(row, RecordError) else parse_row(row, columns)
    except HeaderNotFoundError as exc:  # pragma: no cover - first_line_fallback finds one
        yield RecordError(SOURCE, path.name, str(exc))


def sniff(path: Path, head: bytes) -> float:
    if path.suffix.lower() not in (".csv", ".tsv") or not head:
        return 0.0
    lines = decode_head_lines(head)
    return 0.2 if lines and any(d in lines[0] for d in (",", ";", "\t")) else 0.0


IMPORTER = Importer(
    name="csv",
    title="any other CSV, with --map field=Column",
    sniff=sniff,
    parse=parse,
    extensions=(".csv", ".tsv"),
)
