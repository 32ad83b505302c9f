"""What an import did: counts for the summary line, and the records behind ``--verbose``."""

from __future__ import annotations

from dataclasses import dataclass, field

from rekindle.identity.records import NoticeRecord, RecordError
from rekindle.plural import counted


@dataclass
class ImportReport:
    """What an import did, for the summary line and ``--verbose``."""

    path: str
    format: str
    contacts: int = 0
    new: int = 0
    merged: int = 0
    updated: int = 0
    unchanged: int = 0
    me: int = 0
    interactions: int = 0
    suggestions: int = 0
    life_events: int = 0
    errors: list[RecordError] = field(default_factory=list)
    notices: list[NoticeRecord] = field(default_factory=list)
    merge_details: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.errors)

    def counts(self) -> dict[str, int]:
        return {
            "contacts": self.contacts,
            "new": self.new,
            "merged": self.merged,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "me": self.me,
            "interactions": self.interactions,
            "suggestions": self.suggestions,
            "life_events": self.life_events,
        }

    def summary(self) -> str:
        parts = [f"{self.new} new", f"{self.merged} merged"]
        if self.updated:
            parts.append(f"{self.updated} updated")
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        parts.append(f"{self.skipped} skipped")
        line = f"{counted(self.contacts, 'contact')}: " + ", ".join(parts)
        extras = []
        if self.me:
            extras.append(f"{self.me} about you")
        if self.interactions:
            extras.append(counted(self.interactions, "interaction"))
        if self.life_events:
            extras.append(f"{counted(self.life_events, 'life event')} (`rekindle occasions`)")
        if self.suggestions:
            extras.append(
                f"{counted(self.suggestions, 'possible duplicate')} to review "
                "(`rekindle merge --review`)"
            )
        if extras:
            line += "; " + ", ".join(extras)
        return line
