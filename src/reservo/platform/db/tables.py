"""Tables the platform adds to a service's database beside the event tables."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, MetaData, String, Table, Uuid, false

from reservo.platform.db.types import UTCDateTime


def add_tenant_table(metadata: MetaData) -> Table:
    if "tenants" in metadata.tables:
        return metadata.tables["tenants"]
    return Table(
        "tenants",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("slug", String(63), nullable=False, unique=True),
        Column("name", String(200), nullable=False),
        Column("timezone", String(64), nullable=False),
        Column("currency", String(3), nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
        # Set by a platform admin (issue 14): a suspended tenant's storefront and new bookings refuse.
        Column("suspended", Boolean, nullable=False, server_default=false()),
    )
