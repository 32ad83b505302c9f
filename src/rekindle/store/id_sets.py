"""Many ids in one condition, bound as one value whatever their number.

``column.in_(ids)`` binds one parameter an id: for thousands of people the statement takes
longer to render than to run, so readers went by chunks or read every row of the owner and
kept theirs. :func:`among` binds the whole set once: SQLite reads it from a JSON array
(``json_each``), PostgreSQL from an array (``= ANY``).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Connection, any_, bindparam, func, select


def among(conn: Connection, column: Any, ids: Collection[int]) -> ColumnElement[bool]:
    """``column`` is one of ``ids`` (integers), as one bound value."""
    values = sorted({int(i) for i in ids})
    if conn.dialect.name == "postgresql":
        # the PostgreSQL dialect is loaded already there; elsewhere a command should not load it
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(None, values, type_=ARRAY(BigInteger)))
    listed = func.json_each(json.dumps(values)).table_valued("value")
    return column.in_(select(listed.c.value))
