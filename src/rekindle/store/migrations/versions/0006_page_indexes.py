"""Indexes for the web pages: interactions by (id, occurred_at), and people search from a
trigram index on SQLite

A person's latest interactions, first and last contact are read from the narrow
``ix_interaction_id_time`` instead of the wide interaction rows scattered over the table.

On SQLite, trigram full-text tables over the searched columns (person names, identities,
organisations and titles, tags) are kept current by triggers. A search for ``smith`` then reads the few rows that contain it instead of scanning four
tables. The full-text tables hold no copy of the text (``content=`` the table they index);
the triggers below add, remove and replace index entries as rows change, whatever code
changes them. PostgreSQL keeps scanning (the people tables are small for it), and so does an
SQLite too old for the trigram tokenizer (before 3.34) or built without FTS5.

A later migration that rebuilds one of these tables with ``batch_alter_table`` on SQLite
drops its triggers with the old table: it must create them again (``create_triggers``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 03:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: indexed table -> its searched columns (the full-text table is named ``<table>_fts``)
SEARCHED = {
    "person": ("display_name",),
    "identity": ("display",),
    "affiliation": ("organisation", "title"),
    "tag": ("name",),
}


def create_triggers(table: str, columns: tuple[str, ...]) -> None:
    fts = f"{table}_fts"
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    op.execute(
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
    )


def has_trigram_search() -> bool:
    """FTS5 with its trigram tokenizer: SQLite 3.34 or later, built with FTS5."""
    bind = op.get_bind()
    version = str(bind.exec_driver_sql("SELECT sqlite_version()").scalar())
    options = {str(r[0]) for r in bind.exec_driver_sql("PRAGMA compile_options")}
    return tuple(int(p) for p in version.split(".")[:2]) >= (3, 34) and "ENABLE_FTS5" in options


def upgrade() -> None:
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index("ix_interaction_id_time", ["id", "occurred_at"], unique=False)
    if op.get_bind().dialect.name != "sqlite" or not has_trigram_search():
        return  # searches scan, as before
    create_indexes()


def create_indexes() -> None:
    """The full-text tables, filled, and their triggers (also migration 0007's downgrade)."""
    for table, columns in SEARCHED.items():
        fts = f"{table}_fts"
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(columns)}, "
            f"content='{table}', content_rowid='id', tokenize='trigram')"
        )
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        create_triggers(table, columns)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in SEARCHED:
            fts = f"{table}_fts"
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_id_time")
