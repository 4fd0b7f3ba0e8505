"""The company lexicon overlay in the database (shared by replicas), and archive re-scan runs.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lexicon_overlay_files",
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("path"),
    )
    op.create_table(
        "lexicon_overlay_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "rescan_runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("lexicon_version", sa.String(length=40), nullable=False),
        sa.Column("cursor_created_at", sa.DateTime(), nullable=True),
        sa.Column("cursor_id", sa.String(length=64), nullable=True),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("worse", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "rescan_results",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("check_id", sa.String(length=64), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("old_verdict", sa.String(length=10), nullable=False),
        sa.Column("new_verdict", sa.String(length=10), nullable=False),
        sa.Column("old_tier", sa.String(length=20), nullable=False),
        sa.Column("new_tier", sa.String(length=20), nullable=False),
        sa.Column("new_findings", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["rescan_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "check_id"),
    )
    # The re-scan reads the archive in (created_at, id) order, a page at a time.
    op.create_index("ix_checks_created_at_id", "checks", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_checks_created_at_id", table_name="checks")
    op.drop_table("rescan_results")
    op.drop_table("rescan_runs")
    op.drop_table("lexicon_overlay_state")
    op.drop_table("lexicon_overlay_files")
