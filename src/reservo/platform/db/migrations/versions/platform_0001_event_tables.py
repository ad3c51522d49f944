"""outbox, inbox and dead letters: every service database has them

Revision ID: platform_0001_events
Revises:
Create Date: 2026-11-30 22:30:00

A database made before the platform history existed got these tables from its service's initial
revision: such a table is adopted as it is (kept with its rows), not created again (D10-2).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import reservo.platform.db.base

revision: str = "platform_0001_events"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("events",)
depends_on: str | Sequence[str] | None = None


def _missing(table: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    if _missing("dead_letters"):
        op.create_table(
            "dead_letters",
            sa.Column("id", sa.Uuid(), nullable=False),
            sa.Column("consumer", sa.String(length=100), nullable=False),
            sa.Column("event_id", sa.Uuid(), nullable=False),
            sa.Column("type", sa.String(length=100), nullable=False),
            sa.Column("envelope", sa.JSON(), nullable=False),
            sa.Column("error", sa.Text(), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("created_at", reservo.platform.db.base.UTCDateTime(timezone=True), nullable=False),
            sa.Column("updated_at", reservo.platform.db.base.UTCDateTime(timezone=True), nullable=False),
            sa.Column("replayed_at", reservo.platform.db.base.UTCDateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
            sa.UniqueConstraint("consumer", "event_id", name=op.f("uq_dead_letters_consumer")),
        )
    if _missing("inbox"):
        op.create_table(
            "inbox",
            sa.Column("consumer", sa.String(length=100), nullable=False),
            sa.Column("event_id", sa.Uuid(), nullable=False),
            sa.Column("type", sa.String(length=100), nullable=False),
            sa.Column("processed_at", reservo.platform.db.base.UTCDateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_inbox")),
        )
    if _missing("outbox"):
        op.create_table(
            "outbox",
            sa.Column(
                "position",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                autoincrement=True,
                nullable=False,
            ),
            sa.Column("event_id", sa.Uuid(), nullable=False),
            sa.Column("topic", sa.String(length=100), nullable=False),
            sa.Column("type", sa.String(length=100), nullable=False),
            sa.Column("key", sa.String(length=100), nullable=False),
            sa.Column("envelope", sa.JSON(), nullable=False),
            sa.Column("created_at", reservo.platform.db.base.UTCDateTime(timezone=True), nullable=False),
            sa.Column("sent_at", reservo.platform.db.base.UTCDateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("position", name=op.f("pk_outbox")),
            sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
        )
        with op.batch_alter_table("outbox", schema=None) as batch_op:
            batch_op.create_index(
                "ix_outbox_unsent",
                ["position"],
                unique=False,
                postgresql_where=sa.text("sent_at IS NULL"),
                sqlite_where=sa.text("sent_at IS NULL"),
            )


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("inbox")
    op.drop_table("dead_letters")
