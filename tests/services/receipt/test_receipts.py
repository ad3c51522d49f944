"""Receipts as a customer and a business see them: numbered PDFs in any script, credit notes, access."""

from __future__ import annotations

import io
from typing import Any

import httpx
from pypdf import PdfReader
from sqlalchemy import select

from reservo.contracts.events.booking import BookingCreated, CustomerPayload
from reservo.contracts.events.catalog import MoneyPayload
from reservo.platform.auth.links import link_token
from reservo.services.receipt.models import Receipt
from tests.conftest import Api, eventually
from tests.services.receipt.factories import publish, refunded, succeeded

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
    async def test_a_payment_that_arrives_before_its_booking_is_printed_once_the_booking_is_known(
        self, make_api: Any, clock: Any
    ) -> None:
        from tests.services.receipt.conftest import TENANT

        api: Api = await make_api(["user", "payment", "receipt"], clock=clock)
        tenant = await api.tenant("acme", **TENANT)
        booking_id = "0b0b0b0b-0000-4000-8000-000000000001"
        total = MoneyPayload(amount=3000, currency="EUR")
        payment = succeeded({"id": booking_id, "tenant_id": tenant["id"], "total": total.model_dump()})
        await publish(api, payment)

        async with api.runtime.uow("receipt").read() as session:
            receipt = (await session.scalars(select(Receipt))).one()
        assert (receipt.number, receipt.status) == ("ACME-2026-000001", "pending")

        created = BookingCreated(
            id=booking_id,
            tenant_id=tenant["id"],
            offering_id=booking_id,
            offering_name="Haircut",
            offering_kind="service",
            quantity=1,
            unit_price=total,
            total=total,
            tax_rate_bp=700,
            currency="EUR",
            status="pending",
            customer=CustomerPayload(**CUSTOMER),
            expires_at=clock.now(),
            created_at=clock.now(),
            booking_version=1,
            manage_url=f"http://localhost:8000/t/acme/bookings/{booking_id}",
        )
        await publish(api, created)  # as booking would: topic booking.events

        text = pdf_text((await stored(api, {"id": booking_id})).content)
        assert "ACME-2026-000001" in text and "Haircut" in text and "30,00 €" in text
