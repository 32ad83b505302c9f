"""What every table module shares: the metadata they register on, the UTC time type and the
owner and person columns. The table modules import this; nothing here imports them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKey, Integer, MetaData, TypeDecorator

metadata = MetaData()


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def owner_column() -> Column:
    return Column("owner_id", Integer, ForeignKey("owner.id", ondelete="CASCADE"), nullable=False)


def person_column(nullable: bool = False) -> Column:
    return Column(
        "person_id", Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=nullable
    )
