"""Profile and account deletion: a deleted account's personal data is gone from every service's
database (checked by scanning every table), while bookings and receipts keep what the law requires."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, select

from reservo.services import NAMES
from tests.conftest import Api, eventually

EMAIL = "zed.erasable@example.com"
NAME = "Zed Erasable"
PHONE = "+4915199988877"


async def _scan(api: Api, needles: list[str]) -> list[str]:
    """Every row of every table of every service database that mentions one of `needles`."""
    found = []
    for service, ctx in api.runtime.contexts.items():
        async with ctx.uow.engines.writer.connect() as conn:
            metadata = MetaData()
            await conn.run_sync(metadata.reflect)
            for table in metadata.sorted_tables:
                for row in (await conn.execute(select(table))).mappings():
                    text = " ".join(str(v) for v in row.values()).lower()
                    for needle in needles:
                        if needle.lower() in text:
                            found.append(f"{service}.{table.name} {row.get('type', '')}: {needle}")
    return found


class TestAccountDeletion:
    async def test_a_deleted_account_leaves_no_personal_data_in_any_service(self, make_api: Any) -> None:
        api: Api = await make_api(list(NAMES))
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product")
        pair = await api.register(EMAIL, name=NAME)
        me = api.bearer(pair)
        profile = await api.client.patch(
            "/api/v1/users/me", json={"phone": PHONE, "locale": "de"}, headers=me
        )
        assert profile.status_code == 200, profile.text
        assert (profile.json()["phone"], profile.json()["locale"]) == (PHONE, "de")

        customer = {"name": NAME, "email": EMAIL, "phone": PHONE}
        mine = await api.book(
            offering["id"], customer=customer, extra={"notes": f"Call {NAME} on {PHONE}"}, headers=me
        )
        assert mine.status_code == 201, mine.text
        guest = await api.book(offering["id"], customer=customer)  # signed out, same address
        assert guest.status_code == 201, guest.text
        payment = await api.client.post(
            "/api/v1/payments", json={"booking_id": mine.json()["id"]}, headers=me
        )
        assert payment.status_code == 201, payment.text
        paid = await api.client.post(
            f"/api/v1/payments/{payment.json()['id']}/confirm",
            json={"card_number": "4242424242424242"},
            headers=me,
        )
        assert paid.json()["status"] == "succeeded", paid.text
        receipt = f"/api/v1/tenants/acme/bookings/{mine.json()['id']}/receipt"

        async def receipt_ready() -> bool:
            await api.settle()
            return (await api.client.get(receipt, headers=api.owner("acme"))).status_code == 200

        await eventually(receipt_ready, timeout=30)
        needles = [EMAIL, NAME, PHONE, "Erasable"]
        assert len(await _scan(api, needles)) > 5  # the person is really in many places first

        deleted = await api.client.request(
            "DELETE", "/api/v1/users/me", json={"confirm": "DELETE"}, headers=me
        )
        assert deleted.status_code == 204, deleted.text
        await api.settle()

        login = await api.client.post(
            "/api/v1/auth/login", json={"email": EMAIL, "password": "correct horse battery"}
        )
        assert login.status_code == 401
        # The one exception: the user.erased event itself names the address until its outbox row is
        # pruned (RESERVO_EVENT_RETENTION_DAYS); see docs/decisions.md D14-A2.
        left = [f for f in await _scan(api, needles) if not f.startswith("user.outbox user.erased")]
        assert left == []

        # What the books need stays: the booking with its amount and status, the receipt.
        kept = await api.client.get(
            f"/api/v1/tenants/acme/bookings/{mine.json()['id']}", headers=api.owner("acme")
        )
        assert kept.json()["status"] == "confirmed"
        assert kept.json()["total"] == {"amount": 2500, "currency": "EUR"}
        assert kept.json()["customer"]["name"] == "[erased]"
        assert (await api.client.get(receipt, headers=api.owner("acme"))).status_code == 200
        stats = (
            await api.client.get("/api/v1/admin/stats", headers=api.dev_token("r@p.example", "admin"))
        ).json()
        assert (stats["users"], stats["deleted_users"]) == (0, 1)

    async def test_the_only_owner_of_a_business_hands_it_over_first(self, make_api: Any) -> None:
        api: Api = await make_api(["user"])
        pair = await api.register("owner.only@example.com")
        created = await api.client.post(
            "/api/v1/tenants",
            json={"name": "Solo", "slug": "solo", "timezone": "Europe/Berlin", "currency": "EUR"},
            headers=api.bearer(pair),
        )
        assert created.status_code == 201, created.text
        refused = await api.client.request(
            "DELETE", "/api/v1/users/me", json={"confirm": "DELETE"}, headers=api.bearer(pair)
        )
        assert refused.status_code == 409 and refused.json()["code"] == "last_owner"
        unconfirmed = await api.client.request(
            "DELETE", "/api/v1/users/me", json={}, headers=api.bearer(pair)
        )
        assert unconfirmed.status_code == 422
