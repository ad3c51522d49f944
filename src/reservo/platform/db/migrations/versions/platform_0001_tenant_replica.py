"""tenants: the replica of the user service's tenants in every tenant-scoped service database

Revision ID: platform_0001_tenants
Revises:
Create Date: 2026-11-30 22:30:00

Its own branch: only services made with `service_metadata(..., tenant_scoped=True)` get it. A table
made before by the service's initial revision is adopted as it is (D10-2).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import reservo.platform.db.base

revision: str = "platform_0001_tenants"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("tenant_replica",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("tenants"):
        return
    op.create_table(
        "tenants",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("updated_at", reservo.platform.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
        sa.UniqueConstraint("slug", name=op.f("uq_tenants_slug")),
    )


def downgrade() -> None:
    op.drop_table("tenants")
