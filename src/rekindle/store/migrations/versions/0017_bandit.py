"""outreach carries the template variant a draft was written from

The reply learning (``src/rekindle/engine/reply_learning.py``) learns which variant of an
intent's template draws replies; a message written elsewhere, or before this revision, has
none (NULL) and counts for the medium and the intent only.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outreach", sa.Column("variant", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outreach", schema=None) as batch_op:
        batch_op.drop_column("variant")
