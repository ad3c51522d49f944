"""Request and response bodies of the booking service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field

from reservo.platform.schemas import Input, Money, Output


class Customer(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    email: EmailStr


class BookingCreate(Input):
    offering_id: uuid.UUID
    quantity: Annotated[int, Field(ge=1, le=100)]
    customer: Customer


class CustomerRead(Output):
    name: str
    email: str


class BookingRead(Output):
    id: uuid.UUID
    offering_id: uuid.UUID
    status: str
    quantity: int
    total: Money
    customer: CustomerRead
    expires_at: datetime
    created_at: datetime
