"""Issue 9 item 12: ISO 4217 and IANA only, one currency per tenant, common passwords refused, and
unverified accounts limited in creating tenants."""

from __future__ import annotations

import pytest

from tests.conftest import Api
from tests.services.user.mail import link_token, mail_to


def _tenant(slug: str, **overrides: str) -> dict[str, str]:
    return {"name": slug.title(), "slug": slug, "timezone": "Europe/Berlin", "currency": "EUR", **overrides}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("currency", "ZZZ"),
        ("currency", "QQQ"),
        ("currency", "XTS"),
        ("timezone", "localtime"),
        ("timezone", "Factory"),
    ],
)
async def test_only_iso_4217_currencies_and_iana_zones(api: Api, field: str, value: str) -> None:
    response = await api.client.post(
        "/api/v1/tenants", json=_tenant("acme", **{field: value}), headers=api.owner("acme")
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"][-1] == field


async def test_offering_prices_are_iso_4217(api: Api) -> None:
    await api.tenant("acme")
    body = {"kind": "product", "name": "Box", "stock": 1, "price": {"amount": 100, "currency": "ZZZ"}}
    response = await api.client.post("/api/v1/tenants/acme/offerings", json=body, headers=api.owner("acme"))
    assert response.status_code == 422


async def test_a_tenants_currency_never_changes(api: Api) -> None:
    """D9b-3: changing it would leave offerings uneditable but bookable in the old one."""
    await api.tenant("acme")
    offering = await api.offering(kind="product")
    refused = await api.client.patch(
        "/api/v1/tenants/acme", json={"currency": "USD"}, headers=api.owner("acme")
    )
    assert refused.status_code == 409 and refused.json()["code"] == "currency_locked"
    same = await api.client.patch(
        "/api/v1/tenants/acme", json={"currency": "EUR", "name": "Acme GmbH"}, headers=api.owner("acme")
    )
    assert same.status_code == 200 and same.json()["currency"] == "EUR"
    await api.settle()
    # The offering stays editable and bookable in the tenant's one currency.
    edit = await api.client.patch(
        f"/api/v1/tenants/acme/offerings/{offering['id']}",
        json={"price": {"amount": 999, "currency": "EUR"}},
        headers={**api.owner("acme"), "If-Match": str(offering["version"])},
    )
    assert edit.status_code == 200, edit.text
    booked = await api.book(offering["id"])
    assert booked.status_code == 201 and booked.json()["total"]["currency"] == "EUR"


@pytest.mark.parametrize(
    "password", ["Password123!", "Summer2024!", "P@ssw0rd2024", "Qwerty!!2024", "12345678901"]
)
async def test_common_passwords_are_refused(api: Api, password: str) -> None:
    body = {"email": "ann@example.test", "password": password, "name": "Ann"}
    response = await api.client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 422
    assert response.json()["code"] == "weak_password"


async def test_unverified_accounts_own_one_tenant_until_verified(api: Api) -> None:
    pair = await api.register("ann@example.test")
    first = await api.client.post("/api/v1/tenants", json=_tenant("ann-one"), headers=api.bearer(pair))
    assert first.status_code == 201
    burst = [
        (
            await api.client.post("/api/v1/tenants", json=_tenant(f"ann-{n}"), headers=api.bearer(pair))
        ).status_code
        for n in range(5)
    ]
    assert burst == [403] * 5
    token = link_token(await mail_to(api, "ann@example.test", "Confirm your email"))
    assert (await api.client.post("/api/v1/auth/verify-email", json={"token": token})).status_code == 200
    second = await api.client.post("/api/v1/tenants", json=_tenant("ann-two"), headers=api.bearer(pair))
    assert second.status_code == 201
