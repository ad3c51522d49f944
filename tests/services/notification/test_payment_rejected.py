"""A payment that arrives after the hold expired and the places are gone is refunded, and the
customer is told why, over real SMTP, in the tenant's language (issues 11 and 12)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reservo.platform.clock import ManualClock
from reservo.services.booking.lifecycle import expire_holds
from reservo.services.notification.messages import WORDS
from reservo.services.notification.templates import Branding, compose
from tests.conftest import Api, eventually
from tests.services.notification.conftest import SmtpServer
from tests.services.notification.test_booking_emails import text_of
from tests.services.payment.flows import booked, confirm, guest, pay


@pytest.mark.parametrize("backend", ["sqlite"])  # about delivery, not the database
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
    # Not asserted: that no "confirmed" email follows. The receipt service issues a receipt for any
    # succeeded payment and notification mails it as a confirmation (a known gap, see D-gaps-2).


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
