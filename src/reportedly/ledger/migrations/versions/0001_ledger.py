"""The claim ledger: articles, claims, and each article's statements of a claim.

Revision ID: 0001_ledger
Revises:
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_ledger"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_article",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("url", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False, index=True),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("input_path", sa.Text),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
        sa.Column("shingles", sa.Integer, nullable=False),
        sa.Column("copy_group", sa.Integer, nullable=False, index=True),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ledger_claim",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ledger_mention",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("ledger_claim.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("ledger_article.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("attribution", sa.String(64)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("norm", sa.Text, nullable=False),
        sa.Column("pred", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("stance", sa.String(16), nullable=False),
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("chain", sa.JSON, nullable=False),
        sa.Column("cited_outlet", sa.Text),
        sa.Column("entities", sa.JSON, nullable=False),
        sa.Column("words", sa.JSON, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("embedder", sa.String(32), nullable=False),
        sa.Column("full_vec", sa.LargeBinary, nullable=False),
        sa.Column("pred_vec", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ledger_mention")
    op.drop_table("ledger_claim")
    op.drop_table("ledger_article")
