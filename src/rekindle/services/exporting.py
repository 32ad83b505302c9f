"""Export everything, so nobody is locked in: vCard, CSV and a complete JSON backup."""

from __future__ import annotations

from typing import TextIO

from rekindle.errors import UserError
from rekindle.exporters.table import write_csv
from rekindle.exporters.vcard import VERSIONS as VCARD_VERSIONS
from rekindle.exporters.vcard import write_vcards
from rekindle.services.backup import write_backup
from rekindle.services.export_people import everyone
from rekindle.store import Store

FORMATS = ("vcard", "csv", "json")


def export(store: Store, fmt: str, out: TextIO, *, vcard_version: str = "4.0") -> int:
    """Write every person in ``fmt`` to ``out``; return how many were written."""
    if fmt not in FORMATS:
        raise UserError(
            f"unknown export format {fmt!r}", hint="choose one of: " + ", ".join(FORMATS)
        )
    if vcard_version not in VCARD_VERSIONS:
        raise UserError(
            f"no vCard version {vcard_version!r}", hint="choose " + " or ".join(VCARD_VERSIONS)
        )
    if fmt != "json":
        with store.read() as conn:
            if fmt == "vcard":
                return write_vcards(everyone(conn, store.owner_id), out, vcard_version)
            return write_csv(everyone(conn, store.owner_id), out)
    return write_backup(store, out)
