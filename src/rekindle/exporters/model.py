"""What an exporter writes for one person, filled from the store by the export service."""

from __future__ import annotations

from dataclasses import dataclass, field

from rekindle.identity.records import PartialDate


@dataclass(slots=True)
class ExportPerson:
    id: int
    display_name: str
    given_name: str | None = None
    family_name: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    organisation: str | None = None
    title: str | None = None
    birthday: PartialDate | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
