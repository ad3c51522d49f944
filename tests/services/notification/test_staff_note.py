"""The tenant's owner and staff are told about each new booking, once each, over real SMTP; someone
who left the staff is not (issue 12)."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest

from tests.conftest import Api, eventually
from tests.services.notification.conftest import SmtpServer
from tests.services.notification.test_booking_emails import text_of

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # about delivery, not the database


async def _mail(smtp: SmtpServer, to: str, subject_has: str) -> EmailMessage:
    def find() -> EmailMessage | None:
        return next(
            (m for m in smtp.inbox.messages if m["To"] == to and subject_has in str(m["Subject"])), None
        )

    found: EmailMessage = await eventually(find, timeout=20)
    return found


async def _join(api: Api, smtp: SmtpServer, email: str) -> dict[str, str]:
    """Invited by the owner, signed up, accepted: a staff member of acme."""
    invited = await api.client.post(
        "/api/v1/tenants/acme/invitations", json={"email": email}, headers=api.owner("acme")
    )
    assert invited.status_code == 201, invited.text
    await api.settle()
    match = re.search(r"token=([A-Za-z0-9_\-]+)", text_of(await _mail(smtp, email, "")))
    assert match
    pair = await api.register(email)
    joined = await api.client.post(
        "/api/v1/tenants/acme/invitations/accept", json={"token": match.group(1)}, headers=api.bearer(pair)
    )
    assert joined.status_code == 200, joined.text
    return {"user_id": pair["user"]["id"]}


def _notes(smtp: SmtpServer, to: str) -> list[EmailMessage]:
    return [m for m in smtp.inbox.messages if m["To"] == to and str(m["Subject"]).startswith("Neue Buchung")]


async def test_owner_and_staff_get_one_note_per_booking_and_a_former_member_none(
    mail_api: Api, smtp: SmtpServer
) -> None:
    await _join(mail_api, smtp, "sam@example.com")
    pat = await _join(mail_api, smtp, "pat@example.com")
    removed = await mail_api.client.delete(
        f"/api/v1/tenants/acme/members/{pat['user_id']}", headers=mail_api.owner("acme")
    )
    assert removed.status_code == 204, removed.text
    await mail_api.settle()

    offering = await mail_api.offering(name="Jazz night")
    for name in ("Zoe", "Bo"):
        booked = await mail_api.book(
            offering["id"],
            start=offering["sessions"][0]["start"],
            customer={"name": name, "email": f"{name.lower()}@customer.example"},
        )
        assert booked.status_code == 201, booked.text
    await mail_api.settle()

    staff = ("owner@acme.example", "sam@example.com")
    await eventually(lambda: all(len(_notes(smtp, to)) == 2 for to in staff), timeout=20)
    await mail_api.settle()  # nothing further is queued by a second pass
    for to in staff:
        notes = _notes(smtp, to)
        assert len(notes) == 2, [m["Subject"] for m in notes]  # one per booking, not more
        text = "\n".join(text_of(m) for m in notes)
        assert "zoe@customer.example" in text and "bo@customer.example" in text, text
        assert "Jazz night" in str(notes[0]["Subject"])
        assert "/dashboard/acme/bookings" in text
    assert _notes(smtp, "pat@example.com") == []  # left the staff before the bookings
    assert _notes(smtp, "zoe@customer.example") == []  # a customer gets their own email, not the note
