"""Steps a customer and staff take, as HTTP calls."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.services.booking.factories import create_offering, event


async def booked(api: Api, capacity: int = 5, price: int = 2500) -> dict[str, Any]:
    """A guest's pending booking of an event seat; its body includes the guest `access_token`."""
    offering = await create_offering(
        api, event(capacity=capacity, price={"amount": price, "currency": "EUR"})
    )
    response = await api.book(offering["id"], start=offering["sessions"][0]["start"])
    assert response.status_code == 201, response.text
    return dict(response.json()) | {"offering": offering}


def guest(booking: dict[str, Any]) -> dict[str, str]:
    return {"X-Booking-Token": booking["access_token"]}


async def pay(api: Api, booking: dict[str, Any], **headers: str) -> Any:
    return await api.client.post(
        "/api/v1/payments", json={"booking_id": booking["id"]}, headers={**guest(booking), **headers}
    )


async def confirm(api: Api, payment: dict[str, Any], booking: dict[str, Any], card: str) -> Any:
    return await api.client.post(
        f"/api/v1/payments/{payment['id']}/confirm", json={"card_number": card}, headers=guest(booking)
    )


async def booking_status(api: Api, booking: dict[str, Any]) -> str:
    response = await api.client.get(
        f"/api/v1/tenants/acme/bookings/{booking['id']}", headers=api.owner("acme")
    )
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


async def refund(api: Api, payment_id: str, amount: int | None = None, **headers: str) -> Any:
    body: dict[str, Any] = {"reason": "customer asked"}
    if amount is not None:
        body["amount"] = {"amount": amount, "currency": "EUR"}
    return await api.client.post(
        f"/api/v1/payments/{payment_id}/refunds", json=body, headers={**api.owner("acme"), **headers}
    )
