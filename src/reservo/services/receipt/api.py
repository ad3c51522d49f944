"""HTTP routes of the receipt service."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from reservo.platform.auth.deps import Anyone
from reservo.platform.http.problems import problem_responses
from reservo.platform.tenancy import TenantNotFound
from reservo.services.receipt.deps import BookingToken, Receipts, Tenant
from reservo.services.receipt.errors import ReceiptNotFound

router = APIRouter(prefix="/api/v1", tags=["receipts"])


@router.get(
    "/tenants/{tenant}/bookings/{booking_id}/receipt",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The receipt as PDF"},
        **problem_responses(TenantNotFound, ReceiptNotFound),
    },
)
async def get_receipt(
    booking_id: uuid.UUID,
    tenant: Tenant,
    actor: Anyone,
    receipts: Receipts,
    token: BookingToken = None,
    kind: Annotated[
        Literal["receipt", "credit_note"], Query(description="credit_note: the newest credit note")
    ] = "receipt",
) -> Response:
    """The booking's receipt (or newest credit note) for its customer, its guest credential or staff."""
    number, pdf = await receipts.pdf(tenant, booking_id, actor, token, kind)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{number}.pdf"', "Cache-Control": "private"},
    )
