"""Emails a customer receives over real SMTP: booking received with its pay link, confirmation with
the PDF receipt attached, refund with the credit note; in the tenant's language and time zone."""

from __future__ import annotations

import io
from email.message import EmailMessage
from typing import Any

import pytest
from pypdf import PdfReader

from reservo.platform.auth.links import link_token
from tests.conftest import Api, eventually
from tests.services.notification.conftest import SmtpServer
from tests.services.receipt.factories import publish, refunded, succeeded

CUSTOMER = {"name": "Zoë Ångström", "email": "zoe@example.com"}
pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # about delivery, not the database


async def received(smtp: SmtpServer, count: int) -> list[EmailMessage]:
    """The customer's emails (the tenant's staff get their own new-booking note besides)."""
    await eventually(lambda: len(customer_mail(smtp)) >= count, timeout=20)
    return customer_mail(smtp)


def customer_mail(smtp: SmtpServer) -> list[EmailMessage]:
    return [m for m in smtp.inbox.messages if m["To"] == CUSTOMER["email"]]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


async def book(api: Api) -> dict[str, Any]:
    offering = await api.offering(name="مرحبا Jazz night", tax_rate_bp=1900)
    response = await api.book(
        offering["id"], quantity=2, start=offering["sessions"][0]["start"], customer=CUSTOMER
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


class TestBookingEmails:
    async def test_a_guest_gets_the_pay_link_then_the_confirmation_with_the_receipt_attached(
        self, mail_api: Api, smtp: SmtpServer
    ) -> None:
        booking = await book(mail_api)

        (first,) = await received(smtp, 1)
        assert first["To"] == "zoe@example.com"
        assert first["Subject"] == "Ihre Buchung von مرحبا Jazz night ist reserviert"  # tenant locale de
        secret = mail_api.runtime.settings.secret_key.get_secret_value()
        link = f"http://localhost:8000/t/acme/bookings/{booking['id']}#token={link_token(secret, 'booking.guest', booking['id'])}"
        assert link in text_of(first)
        html = first.get_body(preferencelist=("html",))
        assert html is not None and f'href="{link}"' in str(html.get_content())
        assert "31.12.2026 20:00" in text_of(first)  # the session in Europe/Berlin
        assert "50,00\xa0€" in text_of(first)

        await publish(mail_api, succeeded(booking))

        messages = await received(smtp, 2)
        confirmation = messages[1]
        assert confirmation["Subject"] == "Ihre Buchung von مرحبا Jazz night ist bestätigt"
        assert "ACME-2026-000001" in text_of(confirmation)
        (attachment,) = list(confirmation.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == "ACME-2026-000001.pdf"
        pdf = PdfReader(io.BytesIO(attachment.get_content()))
        text = "\n".join(p.extract_text() for p in pdf.pages).replace("\xa0", " ")
        for expected in (
            "ACME-2026-000001",
            "Jazz night",
            "2 25,00 €",
            "Gesamt 50,00 €",
            "Zoë Ångström",
            "Łódź",
            "東京",
            "مرحبا",
        ):
            assert expected in text, f"{expected!r} not in the attached receipt:\n{text}"

    async def test_a_refund_sends_the_credit_note(self, mail_api: Api, smtp: SmtpServer) -> None:
        booking = await book(mail_api)
        payment = succeeded(booking)
        await publish(mail_api, payment)
        await received(smtp, 2)

        await publish(mail_api, refunded(payment, 1000))

        messages = await received(smtp, 3)
        assert messages[2]["Subject"] == "Ihre Erstattung über 10,00\xa0€"
        (attachment,) = list(messages[2].iter_attachments())
        assert attachment.get_filename() == "ACME-CN-2026-000001.pdf"
        assert len(customer_mail(smtp)) == 3

    async def test_a_failed_payment_and_a_cancellation_are_told_with_the_link_back(
        self, mail_api: Api, smtp: SmtpServer
    ) -> None:
        from reservo.contracts.events.payment import PaymentFailed
        from tests.services.receipt.factories import PAID_AT

        booking = await book(mail_api)
        paid = succeeded(booking)
        failed = PaymentFailed(
            **paid.model_dump(include={"id", "tenant_id", "booking_id", "provider", "amount"}),
            status="failed",
            failure_code="card_declined",
            failure_message="Your card was declined.",
            failed_at=PAID_AT,
        )
        await publish(mail_api, failed)
        messages = await received(smtp, 2)
        assert messages[1]["Subject"] == "Ihre Zahlung für مرحبا Jazz night ist fehlgeschlagen"
        assert "Your card was declined." in text_of(messages[1])
        assert f"/t/acme/bookings/{booking['id']}#token=" in text_of(messages[1])

        cancel = await mail_api.client.post(
            f"/api/v1/tenants/acme/bookings/{booking['id']}/cancel", json={}, headers=mail_api.owner("acme")
        )
        assert cancel.status_code == 200, cancel.text
        messages = await received(smtp, 3)
        assert messages[2]["Subject"] == "Ihre Buchung von مرحبا Jazz night wurde storniert"
