"""Request and response bodies of the catalog service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from reservo.platform.schemas import Input, Money, Output

Kind = Literal["product", "service", "event"]
Status = Literal["draft", "published", "archived"]


class OfferingCreate(Input):
    kind: Kind = "product"
    name: Annotated[str, Field(min_length=1, max_length=200)]
    price: Money
    capacity: Annotated[int, Field(ge=1, le=1_000_000, description="units, seats or stock")]
    status: Status = "published"


class OfferingRead(Output):
    id: uuid.UUID
    kind: Kind
    name: str
    status: Status
    price: Money
    capacity: int
    created_at: datetime
