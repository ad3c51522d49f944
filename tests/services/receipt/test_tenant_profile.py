"""A tenant's address, tax id and locale (user service) travel by tenant events to what receipts print."""

from __future__ import annotations

import pytest

from tests.conftest import Api
from tests.services.receipt.factories import publish, succeeded
from tests.services.receipt.test_receipts import CUSTOMER, pdf_text, stored


@pytest.mark.parametrize("backend", ["sqlite"])  # about the event path, not the database
class TestTenantProfile:
    async def test_a_patched_address_tax_id_and_locale_are_printed_on_the_next_receipt(
        self, make_api, clock
    ) -> None:
        api: Api = await make_api(["user", "catalog", "booking", "payment", "receipt"], clock=clock)
        created = await api.tenant("acme")
        assert (created["locale"], created["address"], created["tax_id"]) == ("en", None, None)

        bad = await api.client.patch(
            "/api/v1/tenants/acme", json={"locale": "not a locale"}, headers=api.owner("acme")
        )
        assert (bad.status_code, bad.json()["code"]) == (422, "validation_failed")
        profile = {"locale": "en", "address": "1 Main St, Springfield", "tax_id": "US-99-1234567"}
        patched = await api.client.patch("/api/v1/tenants/acme", json=profile, headers=api.owner("acme"))
        assert patched.status_code == 200 and {k: patched.json()[k] for k in profile} == profile
        read = (await api.client.get("/api/v1/tenants/acme")).json()
        assert {k: read[k] for k in profile} == profile
        await api.settle()

        offering = await api.offering()
        booking = (
            await api.book(offering["id"], start=offering["sessions"][0]["start"], customer=CUSTOMER)
        ).json()
        await publish(api, succeeded(booking))

        text = pdf_text((await stored(api, booking)).content)
        assert "Receipt ACME-2026-000001" in text
        assert "1 Main St, Springfield" in text and "Tax ID: US-99-1234567" in text
        assert "€25.00" in text  # English formatting of the booking's currency
