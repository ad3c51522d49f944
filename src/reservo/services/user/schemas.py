"""Request and response bodies of the user service."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field

from reservo.platform.schemas import Currency, Input, Output, TimeZoneName

Slug = Annotated[str, Field(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", examples=["demo"])]


class TenantCreate(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    slug: Slug
    timezone: TimeZoneName
    currency: Currency


class TenantRead(Output):
    id: uuid.UUID
    slug: str
    name: str
    timezone: str
    currency: str
