"""The email telling a customer why a payment that arrived was given back (booking.payment_rejected):
the hold expired and the places are gone, the amount differs, or the booking was cancelled. The
payment service refunds it; this says so, in the tenant's language, with the link to the booking."""

from __future__ import annotations

from reservo.contracts.events.booking import BookingPaymentRejected
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.services.notification.handlers import _booking_email, _keep_booking, tenant_info
from reservo.services.notification.messages import WORDS, language


async def on_payment_rejected(
    event: Envelope[BookingPaymentRejected], tx: Transaction, ctx: ServiceContext
) -> None:
    rejected = event.data
    await _keep_booking(tx, rejected)
    _, brand = await tenant_info(tx, rejected.tenant_id)
    reason_line = WORDS[language(brand.locale)][f"rejected_{rejected.reason}"]
    await _booking_email(
        event,
        tx,
        ctx,
        "payment_rejected",
        rejected.model_dump(mode="json"),
        extra={"reason_line": reason_line},
    )
