"""What an exporter writes for one person, filled from the store by the export service.

Everything a contact import keeps has a place here, so a vCard or CSV export loses nothing:
every address or number with its label and service, postal addresses, the birthday and the
anniversary, related people, the photo, organisations with titles, and the odd fields a card
carried (phonetic names, gender, role, other dates) in ``extra``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rekindle.identity.records import AddressRecord, AffiliationRecord, PartialDate, RawIdentity


@dataclass(slots=True)
class ExportPerson:
    id: int
    display_name: str
    given_name: str | None = None
    family_name: str | None = None
    middle_name: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    nickname: str | None = None
    identities: list[RawIdentity] = field(default_factory=list)
    affiliations: list[AffiliationRecord] = field(default_factory=list)
    addresses: list[AddressRecord] = field(default_factory=list)
    birthday: PartialDate | None = None
    anniversary: PartialDate | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)
    photo: bytes | None = None
    #: when you connected (LinkedIn): the "since you first met" anniversaries count from it
    connected_on: date | None = None
    is_organisation: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def values(self, kind: str) -> list[str]:
        return [i.value for i in self.identities if i.kind == kind]

    @property
    def emails(self) -> list[str]:
        return self.values("email")

    @property
    def phones(self) -> list[str]:
        return self.values("phone")

    @property
    def urls(self) -> list[str]:
        return self.values("url")

    @property
    def organisation(self) -> str | None:
        return self.affiliations[0].organisation if self.affiliations else None

    @property
    def title(self) -> str | None:
        if self.affiliations:
            return self.affiliations[0].title
        return self.extra.get("title")


def identities(kind: str, values: list[str]) -> list[RawIdentity]:
    """Plain identities of one kind (no label, no service), for callers and tests."""
    return [RawIdentity(kind, v) for v in values]  # type: ignore[arg-type]
