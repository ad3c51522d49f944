"""Tables the platform adds to a service's database beside the event tables: the tenant replica (made
by the platform migration history) and the location replica (made by the history of each service that
keeps one, platform/locations.py)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, Uuid, false

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


def add_location_tables(metadata: MetaData) -> tuple[Table, Table]:
    """`offering_places` (which location each offering uses) and `places` (each location's address and
    map link), exactly as notification's and receipt's revisions of issue 14 made them."""
    if "places" in metadata.tables:
        return metadata.tables["offering_places"], metadata.tables["places"]
    offerings = Table(
        "offering_places",
        metadata,
        Column("offering_id", Uuid, primary_key=True),
        Column("tenant_id", Uuid, nullable=False),
        Column("location_id", Uuid, nullable=True),
        Column("version", Integer, nullable=False),
    )
    places = Table(
        "places",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("tenant_id", Uuid, nullable=False),
        Column("version", Integer, nullable=False),
        Column("name", String(200), nullable=False),
        Column("address", String(500), nullable=False),
        Column("map_url", String(1000), nullable=False),
        Column("deleted", Boolean, nullable=False, default=False),
    )
    return offerings, places
