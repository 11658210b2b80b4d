"""Statements keep when they were said, where the article dates the saying ("Kahl said on Tuesday").

Revision ID: 0003_said_on
Revises: 0002_merges_and_times
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_said_on"
down_revision = "0002_merges_and_times"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (no table rebuild on SQLite); statements stored before it stay undated (null)
    op.add_column("ledger_mention", sa.Column("said_on", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_mention") as batch:
        batch.drop_column("said_on")
