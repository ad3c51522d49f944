"""initial tables

Revision ID: ba0726c2b809
Revises:
Create Date: 2026-11-24 03:44:44.846875
"""

from collections.abc import Sequence


revision: str = "ba0726c2b809"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # no table of its own yet: outbox, inbox, dead letters and tenants are the platform history's


def downgrade() -> None:
    pass  # no table of its own yet: outbox, inbox, dead letters and tenants are the platform history's
