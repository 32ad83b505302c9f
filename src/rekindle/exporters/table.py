"""CSV export, safe to open in a spreadsheet: cells that would run as formulas are neutralised."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from rekindle.exporters.model import ExportPerson

#: a cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

COLUMNS = [
    "id",
    "name",
    "given_name",
    "family_name",
    "emails",
    "phones",
    "urls",
    "organisation",
    "title",
    "birthday",
    "tags",
    "note",
    "middle_name",
    "nickname",
    "addresses",
    "anniversary",
    "related",
]


def neutralise(cell: str) -> str:
    """Prefix a would-be formula with a quote so spreadsheets show it as text (OWASP advice)."""
    if cell and cell.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def write_csv(people: Iterable[ExportPerson], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for p in people:
        row = [
            str(p.id),
            p.display_name,
            p.given_name or "",
            p.family_name or "",
            "; ".join(p.emails),
            "; ".join(p.phones),
            "; ".join(p.urls),
            p.organisation or "",
            p.title or "",
            p.birthday.iso() if p.birthday else "",
            "; ".join(p.tags),
            p.note or "",
            p.middle_name or "",
            p.nickname or "",
            "; ".join(a.one_line() for a in p.addresses),
            p.anniversary.iso() if p.anniversary else "",
            "; ".join(f"{label}: {name}" for label, name in p.related),
        ]
        writer.writerow([neutralise(c) for c in row])
        count += 1
    return count
