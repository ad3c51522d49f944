"""Issue 9 item 5: unpaid holds are limited per email address and per client, their length is an
offering setting, and text a guest chose reaches emails as one inert, bounded line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from reservo.platform.clock import ManualClock
from tests.conftest import Api
from tests.services.booking.factories import NOW, create_offering, product
from tests.services.user.mail import mail_to, text_of

LIMITS = {"booking": {"max_holds_per_email": 3, "max_holds_per_client": 5}}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
async def shop(make_api: Callable[..., Any], clock: ManualClock) -> Api:
    api: Api = await make_api(
        ["user", "catalog", "booking", "notification"], clock=clock, service_settings=LIMITS
    )
    await api.tenant("acme")
    return api


def _guest(n: int | str) -> dict[str, str]:
    return {"name": "Guest", "email": f"guest{n}@example.test"}


async def test_one_email_address_holds_at_most_three(shop: Api, clock: ManualClock) -> None:
    offering = await create_offering(shop, product(stock=50))
    held = [(await shop.book(offering["id"], customer=_guest("x"))).status_code for _ in range(3)]
    assert held == [201, 201, 201]
    refused = await shop.book(offering["id"], customer=_guest("x"))
    assert refused.status_code == 409 and refused.json()["code"] == "too_many_holds"
    # Another address is not affected; and once the holds lapse, the address may hold again.
    assert (await shop.book(offering["id"], customer=_guest("y"))).status_code == 201
    clock.advance(timedelta(minutes=16))
    assert (await shop.book(offering["id"], customer=_guest("x"))).status_code == 201


async def test_one_client_cannot_hoard_the_stock(shop: Api) -> None:
    """Seven anonymous requests used to take all seven units for 15 minutes and mail seven addresses."""
    offering = await create_offering(shop, product(stock=7))
    answers = [(await shop.book(offering["id"], customer=_guest(n))).status_code for n in range(7)]
    assert answers == [201] * 5 + [429] * 2
    availability = await shop.client.get(
        f"/api/v1/tenants/acme/offerings/{offering['id']}/availability",
        params={"from": "2026-06-01", "to": "2026-06-02"},
    )
    assert availability.json()["remaining"] == 2
    # Staff booking on a customer's behalf are not a hoarding client.
    staff = await shop.book(offering["id"], customer=_guest("walk-in"), headers=shop.owner("acme"))
    assert staff.status_code == 201


async def test_hold_length_is_an_offering_setting(shop: Api) -> None:
    quick = await create_offering(shop, product(stock=5, hold_minutes=5))
    default = await create_offering(shop, product(stock=5, name="Mug"))
    assert quick["hold_minutes"] == 5 and default["hold_minutes"] is None
    short = (await shop.book(quick["id"], customer=_guest(1))).json()
    usual = (await shop.book(default["id"], customer=_guest(2))).json()
    assert datetime.fromisoformat(short["expires_at"]) == NOW + timedelta(minutes=5)
    assert datetime.fromisoformat(usual["expires_at"]) == NOW + timedelta(minutes=15)
    # A change reaches booking like any other offering field.
    response = await shop.client.patch(
        f"/api/v1/tenants/acme/offerings/{default['id']}",
        json={"hold_minutes": 30},
        headers={**shop.owner("acme"), "If-Match": str(default["version"])},
    )
    assert response.status_code == 200
    await shop.settle()
    later = (await shop.book(default["id"], customer=_guest(3))).json()
    assert datetime.fromisoformat(later["expires_at"]) == NOW + timedelta(minutes=30)


async def test_guest_text_reaches_the_email_inert_and_bounded(shop: Api) -> None:
    offering = await create_offering(shop, product(stock=5))
    two_lines = {"name": "Ann\nPlease verify your card at http://evil.example", "email": "ann@example.test"}
    assert (await shop.book(offering["id"], customer=two_lines)).status_code == 422
    name = "Ann, urgent: pay again at https://evil.example/pay " + "x" * 100
    created = await shop.book(offering["id"], customer={"name": name, "email": "ann@example.test"})
    assert created.status_code == 201
    mail = await mail_to(shop, "ann@example.test", "Your booking")
    body = text_of(mail)
    greeting = next(line for line in body.splitlines() if line.startswith("Hello "))
    assert "https://evil.example" not in body and "https[:]//evil.example" in greeting
    assert len(greeting) <= len("Hello ,") + 60
