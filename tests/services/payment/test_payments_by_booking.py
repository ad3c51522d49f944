"""Staff find a booking's payments (the dashboard's refund button starts here): the list of a tenant's
payments filtered by `booking_id`, then a partial refund of the one found (issue 13)."""

from __future__ import annotations

import uuid

from tests.conftest import Api
from tests.services.payment.flows import booked, confirm, pay, refund


async def test_the_payments_of_one_booking_and_a_partial_refund_from_there(api: Api) -> None:
    first, second = await booked(api), await booked(api)
    for booking in (first, second):
        payment = (await pay(api, booking)).json()
        paid = await confirm(api, payment, booking, "4242424242424242")
        assert paid.json()["status"] == "succeeded", paid.text
    await api.settle()

    listed = await api.client.get(
        "/api/v1/tenants/acme/payments", params={"booking_id": first["id"]}, headers=api.owner("acme")
    )
    assert listed.status_code == 200, listed.text
    (found,) = listed.json()["items"]
    assert found["booking_id"] == first["id"] and found["status"] == "succeeded"
    part = await refund(api, found["id"], 1000)
    assert (part.status_code, part.json()["status"]) == (201, "succeeded"), part.text
    seen = await api.client.get(
        "/api/v1/tenants/acme/payments", params={"booking_id": first["id"]}, headers=api.owner("acme")
    )
    assert seen.json()["items"][0]["status"] == "partially_refunded"
    everyone = await api.client.get("/api/v1/tenants/acme/payments", headers=api.owner("acme"))
    assert len(everyone.json()["items"]) == 2

    none = await api.client.get(
        "/api/v1/tenants/acme/payments", params={"booking_id": str(uuid.uuid4())}, headers=api.owner("acme")
    )
    assert none.json()["items"] == []
    bad = await api.client.get(
        "/api/v1/tenants/acme/payments", params={"booking_id": "nope"}, headers=api.owner("acme")
    )
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
