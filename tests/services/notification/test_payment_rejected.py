"""A payment that arrives after the hold expired and the places are gone is refunded, and the
customer is told why, over real SMTP, in the tenant's language (issues 11 and 12); that payment gets
no receipt and no "confirmed" email, while one paid in time gets exactly one, with its PDF (D12-6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from reservo.platform.clock import ManualClock
from reservo.services.booking.lifecycle import expire_holds
from reservo.services.notification.messages import WORDS
from reservo.services.notification.models import Email
from reservo.services.notification.templates import Branding, compose
from reservo.services.receipt.models import Receipt
from reservo.services.receipt.service import render_receipts
from tests.conftest import Api, eventually
from tests.services.notification.conftest import SmtpServer
from tests.services.notification.test_booking_emails import text_of
from tests.services.payment.flows import booked, confirm, guest, pay


async def quiet(api: Api) -> None:
    """Wait until everything the events so far lead to has happened: receipts printed (and announced),
    every queued email sent; so an email that should not exist has had every chance to."""
    await api.settle()
    await render_receipts(api.runtime.contexts["receipt"])
    await api.settle()

    async def all_sent() -> bool:
        async with api.runtime.uow("notification").read() as session:
            return not (await session.scalars(select(Email.id).where(Email.status == "queued"))).all()

    await eventually(all_sent, timeout=20)


async def templates_to(api: Api, address: str) -> list[str]:
    async with api.runtime.uow("notification").read() as session:
        rows = await session.scalars(
            select(Email.template).where(Email.to == address).order_by(Email.created_at)
        )
        return list(rows.all())


async def receipt_numbers(api: Api) -> list[str]:
    async with api.runtime.uow("receipt").read() as session:
        return list((await session.scalars(select(Receipt.number))).all())


async def test_a_payment_in_time_gets_one_confirmation_with_the_receipt_attached(
    mail_api: Api, smtp: SmtpServer
) -> None:
    booking = await booked(mail_api)
    payment = (await pay(mail_api, booking)).json()
    paid = await confirm(mail_api, payment, booking, "4242424242424242")
    assert paid.json()["status"] == "succeeded", paid.text
    customer = booking["customer"]["email"]
    await eventually(
        lambda: any("bestätigt" in str(m["Subject"]) for m in smtp.inbox.messages if m["To"] == customer),
        timeout=20,
    )
    await quiet(mail_api)

    assert await templates_to(mail_api, customer) == ["booking_created", "booking_confirmed"]
    mine = [m for m in smtp.inbox.messages if m["To"] == customer]
    assert [str(m["Subject"]).rsplit(" ist ", 1)[-1] for m in mine] == ["reserviert", "bestätigt"]
    (attachment,) = list(mine[1].iter_attachments())
    assert (attachment.get_content_type(), attachment.get_filename()) == (
        "application/pdf",
        "ACME-2026-000001.pdf",
    )
    assert attachment.get_content().startswith(b"%PDF")
    assert await receipt_numbers(mail_api) == ["ACME-2026-000001"]


async def test_late_payment_when_sold_out_is_refunded_and_the_customer_told_why(
    mail_api: Api, smtp: SmtpServer, clock: ManualClock
) -> None:
    booking = await booked(mail_api, capacity=1)
    payment = (await pay(mail_api, booking)).json()
    clock.advance(timedelta(minutes=30))
    assert await expire_holds(mail_api.runtime.contexts["booking"]) == 1
    await mail_api.settle()
    taker = await mail_api.book(
        booking["offering"]["id"],
        start=booking["offering"]["sessions"][0]["start"],
        customer={"name": "Bo", "email": "bo@example.com"},
    )
    assert taker.status_code == 201, taker.text
    paid = await confirm(mail_api, payment, booking, "4242424242424242")
    assert paid.json()["status"] == "succeeded", paid.text
    await mail_api.settle()

    async def refunded() -> bool:
        seen = await mail_api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))
        return bool(seen.json()["status"] == "refunded")

    await eventually(refunded)
    customer = booking["customer"]["email"]
    await eventually(
        lambda: any("erstattet" in str(m["Subject"]) for m in smtp.inbox.messages if m["To"] == customer),
        timeout=20,
    )
    mine = [m for m in smtp.inbox.messages if m["To"] == customer]
    rejected = [m for m in mine if str(m["Subject"]).startswith("Ihre Zahlung")]
    assert len(rejected) == 1, [m["Subject"] for m in mine]  # once, in German (the tenant's locale)
    (email,) = rejected
    text = text_of(email)
    assert "die Plätze sind inzwischen vergeben" in text, text
    assert "25,00\xa0€" in text and "vollen Betrag erstattet" in text, text
    assert f"/t/acme/bookings/{booking['id']}#token=" in text  # the guest's way back to the booking
    html = email.get_body(preferencelist=("html",))
    assert html is not None and "Plätze sind inzwischen vergeben" in str(html.get_content())

    # The payment booking gave back is no sale: no receipt, no "confirmed" email, no credit note.
    await quiet(mail_api)
    after = await templates_to(mail_api, customer)
    assert after[after.index("booking_expired") + 1 :] == ["payment_rejected"], after
    mine = [m for m in smtp.inbox.messages if m["To"] == customer]
    assert not [m["Subject"] for m in mine if list(m.iter_attachments())]  # no receipt, no credit note
    assert await receipt_numbers(mail_api) == []
    pdf = await mail_api.client.get(
        f"/api/v1/tenants/acme/bookings/{booking['id']}/receipt", headers=guest(booking)
    )
    assert (pdf.status_code, pdf.json()["code"]) == (404, "receipt_not_found")


@pytest.mark.parametrize(
    ("locale", "reason", "expected"),
    [
        ("en", "sold_out", "the places are now taken"),
        ("en", "amount_mismatch", "does not match the price"),
        ("de", "not_payable", "bereits storniert"),
    ],
)
def test_each_reason_reads_in_english_and_german(locale: str, reason: str, expected: str) -> None:
    values = {
        "name": "Zoë",
        "offering": "Jazz night",
        "when_part": "",
        "total": "€25.00",
        "reason_line": WORDS[locale][f"rejected_{reason}"],
    }
    rendered = compose("payment_rejected", Branding(tenant="Acme", locale=locale), values, link="https://x/b")
    assert expected in rendered.text and expected in rendered.html
    assert rendered.subject in (
        "Your payment for Jazz night was refunded",
        "Ihre Zahlung für Jazz night wurde erstattet",
    )
