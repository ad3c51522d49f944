"""Receipts as a customer and a business see them: numbered PDFs in any script, credit notes, access."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from reservo.contracts.events.booking import BookingPaymentRejected
from reservo.contracts.events.catalog import MoneyPayload
from reservo.platform.auth.links import link_token
from reservo.platform.events.envelope import typed
from reservo.services.receipt.handlers import on_booking, on_payment_succeeded
from reservo.services.receipt.models import Receipt
from reservo.services.receipt.repository import ReceiptRepository
from reservo.services.receipt.service import render_receipts
from tests.conftest import Api, eventually
from tests.services.receipt.conftest import TENANT
from tests.services.receipt.factories import (
    booking_facts,
    confirmed,
    created,
    envelope,
    publish,
    refunded,
    succeeded,
)

CUSTOMER = {"name": "Zoë Ångström", "email": "zoe@example.com"}


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\xa0", " ")  # Babel puts a no-break space between amount and currency


def guest(api: Api, booking: dict[str, Any]) -> dict[str, str]:
    secret = api.runtime.settings.secret_key.get_secret_value()
    return {"X-Booking-Token": link_token(secret, "booking.guest", booking["id"])}


async def paid_booking(api: Api, quantity: int = 2) -> tuple[dict[str, Any], Any]:
    offering = await api.offering(name="مرحبا Jazz night", tax_rate_bp=1900)
    response = await api.book(
        offering["id"], quantity=quantity, start=offering["sessions"][0]["start"], customer=CUSTOMER
    )
    assert response.status_code == 201, response.text
    booking = response.json()
    payment = succeeded(booking)
    await publish(api, payment)
    return booking, payment


async def receipts(api: Api) -> list[str]:
    async with api.runtime.uow("receipt").read() as session:
        return list((await session.scalars(select(Receipt.number))).all())


async def dead_letters(api: Api) -> list[str]:
    tables = api.runtime.contexts["receipt"].uow.tables
    async with api.runtime.uow("receipt").read() as session:
        return list((await session.scalars(select(tables.dead_letters.c.type))).all())


async def download(
    api: Api, booking: dict[str, Any], kind: str = "receipt", **headers: str
) -> httpx.Response:
    return await api.client.get(
        f"/api/v1/tenants/acme/bookings/{booking['id']}/receipt", params={"kind": kind}, headers=headers
    )


async def stored(api: Api, booking: dict[str, Any], kind: str = "receipt") -> httpx.Response:
    async def ready() -> httpx.Response | None:
        response = await download(api, booking, kind, **api.owner("acme"))
        return response if response.status_code == 200 else None

    result: httpx.Response = await eventually(ready, timeout=20)
    return result


class TestReceipt:
    async def test_a_paid_booking_gets_a_numbered_pdf_in_every_script(self, api: Api) -> None:
        booking, payment = await paid_booking(api)

        response = await stored(api, booking)

        assert response.headers["content-type"] == "application/pdf"
        assert 'filename="ACME-2026-000001.pdf"' in response.headers["content-disposition"]
        text = pdf_text(response.content)
        for expected in (
            "Quittung ACME-2026-000001",  # German: the tenant's locale
            "Datum: 1. Juni 2026",
            "Zoë Ångström",
            "東京 Łódź Studio",
            "مرحبا",
            "Hauptstraße 1, 10115 Berlin",
            "DE123456789",
            "Jazz night",
            "31.12.2026 20:00",  # the session in the tenant's time zone (19:00 UTC)
            "25,00 €",  # unit price
            "50,00 €",  # total of two
            "7,98 €",  # 19 % tax included in 50,00 €
            "visa •••• 4242",
            str(payment.provider_reference),
        ):
            assert expected in text, f"{expected!r} not in receipt:\n{text}"

    async def test_its_guest_and_staff_can_download_it_and_nobody_else(self, api: Api) -> None:
        booking, _ = await paid_booking(api)
        await stored(api, booking)

        assert (await download(api, booking, **guest(api, booking))).status_code == 200
        assert (
            await download(api, booking, **api.dev_token("staff@acme.example", "staff@acme"))
        ).status_code == 200
        for headers in (
            {},
            {"X-Booking-Token": "forged"},
            api.dev_token("eve@example.com"),
            api.owner("other"),
        ):
            response = await download(api, booking, **headers)
            assert (response.status_code, response.json()["code"]) == (404, "receipt_not_found")

    async def test_a_partial_refund_gets_a_credit_note_that_refers_to_the_receipt(self, api: Api) -> None:
        booking, payment = await paid_booking(api)
        await stored(api, booking)

        await publish(api, refunded(payment, 1000))

        text = pdf_text((await stored(api, booking, "credit_note")).content)
        assert "Gutschrift ACME-CN-2026-000001" in text
        assert "Zu Quittung ACME-2026-000001" in text
        assert "10,00 €" in text and "1,60 €" in text  # refunded amount and its 19 % tax
        receipt = await download(api, booking, **guest(api, booking))
        assert "ACME-2026-000001" in pdf_text(receipt.content)  # the receipt itself is unchanged


class TestOrdering:
    """Payment and booking events travel on different topics: a receipt is numbered when both facts
    are known (payment succeeded, booking confirmed), whichever comes last (D12-6)."""

    async def test_a_payment_that_arrives_before_its_booking_is_receipted_once_the_booking_is_confirmed(
        self, make_api: Any, clock: Any
    ) -> None:
        api: Api = await make_api(["user", "payment", "receipt"], clock=clock)
        tenant = await api.tenant("acme", **TENANT)
        booking_id = "0b0b0b0b-0000-4000-8000-000000000001"
        total = MoneyPayload(amount=3000, currency="EUR")
        payment = succeeded({"id": booking_id, "tenant_id": tenant["id"], "total": total.model_dump()})
        await publish(api, payment)
        await publish(api, created(booking_id, tenant["id"], total))  # as booking would; still unpaid
        assert await receipts(api) == []

        await publish(api, confirmed(booking_id, tenant["id"], total))

        text = pdf_text((await stored(api, {"id": booking_id})).content)
        assert "ACME-2026-000001" in text and "Haircut" in text and "30,00 €" in text

    @pytest.mark.parametrize("rejection_first", [False, True])
    async def test_a_payment_booking_rejects_gets_no_receipt_and_its_refund_no_credit_note(
        self, make_api: Any, clock: Any, rejection_first: bool
    ) -> None:
        api: Api = await make_api(["user", "payment", "receipt"], clock=clock)
        tenant = await api.tenant("acme", **TENANT)
        booking_id = "0b0b0b0b-0000-4000-8000-000000000002"
        total = MoneyPayload(amount=3000, currency="EUR")
        payment = succeeded({"id": booking_id, "tenant_id": tenant["id"], "total": total.model_dump()})
        facts = booking_facts(booking_id, tenant["id"], total)
        rejected = BookingPaymentRejected(
            **facts,
            status="expired",
            booking_version=2,
            payment_id=payment.id,
            reason="sold_out",
            rejected_at=clock.now(),
        )
        for event in (rejected, payment) if rejection_first else (payment, rejected):
            await publish(api, event)  # booking's events through payment's outbox: the same topics
        await publish(api, refunded(payment, 3000, reason="booking could not accept the payment: sold_out"))
        # Even a later confirmation (an older event redelivered) gives the rejected payment no receipt.
        await publish(api, confirmed(booking_id, tenant["id"], total))
        await render_receipts(api.runtime.contexts["receipt"])

        assert await receipts(api) == []
        assert await dead_letters(api) == []  # the refund was not retried into the dead letters

    @pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
    async def test_a_payment_and_its_confirmation_handled_at_the_same_moment_get_one_receipt(
        self, make_api: Any, clock: Any
    ) -> None:
        # Two handlers in overlapping transactions (two consumers on PostgreSQL): neither sees the
        # other's uncommitted row, so neither numbers; the job, woken after both commits, does.
        api: Api = await make_api(["user", "receipt"], clock=clock)
        tenant = await api.tenant("acme", **TENANT)
        ctx = api.runtime.contexts["receipt"]
        booking_id = "0b0b0b0b-0000-4000-8000-000000000003"
        total = MoneyPayload(amount=3000, currency="EUR")
        payment = succeeded({"id": booking_id, "tenant_id": tenant["id"], "total": total.model_dump()})
        async with ctx.uow.transaction() as paid, ctx.uow.transaction() as confirming:
            await on_payment_succeeded(typed(envelope(payment)), paid, ctx)
            await on_booking(typed(envelope(confirmed(booking_id, tenant["id"], total))), confirming, ctx)
            for tx in (paid, confirming):
                assert (
                    await ReceiptRepository(tx.session, tenant_id=payment.tenant_id).receipt_of_payment(
                        payment.id
                    )
                    is None
                )

        await render_receipts(ctx)
        assert await receipts(api) == ["ACME-2026-000001"]
        await render_receipts(ctx)  # and never a second one
        assert await receipts(api) == ["ACME-2026-000001"]
