"""The CardDAV tables (migration 0013): the address books synced and each card's link.

A card is linked to the source record it was imported as (so an unmerge or a merge moves it
with the record, and the server keeps its own cards whatever Rekindle merges). Each link keeps
the two baselines of the last sync, as JSON: what the card said (``card_view``) and what
Rekindle showed for its person (``person_view``); a change is a difference from them.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from rekindle.store.schema_types import UtcDateTime, metadata, owner_column

carddav_book = Table(
    "carddav_book",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    # scheme://host:port/path/ of the collection
    Column("url", String(1000), nullable=False),
    Column("name", String(500), nullable=False, default=""),
    Column("sync_token", Text),
    Column("synced_at", UtcDateTime()),
    UniqueConstraint("owner_id", "url", name="uq_carddav_book_url"),
)

carddav_card = Table(
    "carddav_card",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("book_id", Integer, ForeignKey("carddav_book.id", ondelete="CASCADE"), nullable=False),
    Column("path", String(1000), nullable=False),
    Column("uid", String(500)),
    Column("etag", String(500)),
    Column("record_id", Integer, ForeignKey("source_record.id", ondelete="SET NULL")),
    Column("card_view", Text, nullable=False, default="{}"),
    Column("person_view", Text, nullable=False, default="{}"),
    # a conflict waiting for --resolve: {"etag", "data", "fields"} of the server's version
    Column("conflict", Text),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint("book_id", "path", name="uq_carddav_card_path"),
    Index("ix_carddav_card_record", "record_id"),
)
