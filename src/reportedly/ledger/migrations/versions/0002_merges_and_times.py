"""Claims can be merged into another (a statement showed they are one); statements keep the times they are about.

Revision ID: 0002_merges_and_times
Revises: 0001_ledger
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_merges_and_times"
down_revision = "0001_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMNs (no table rebuild on SQLite); merged_into points at ledger_claim.id
    op.add_column("ledger_claim", sa.Column("merged_into", sa.Integer, nullable=True))
    op.create_index("ix_ledger_claim_merged_into", "ledger_claim", ["merged_into"])
    op.add_column("ledger_mention", sa.Column("times", sa.JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("ledger_mention") as batch:
        batch.drop_column("times")
    op.drop_index("ix_ledger_claim_merged_into", table_name="ledger_claim")
    with op.batch_alter_table("ledger_claim") as batch:
        batch.drop_column("merged_into")
