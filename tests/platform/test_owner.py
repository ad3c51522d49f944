"""platform/owner.py: a service reads a resource from its owner, in this process or over the network."""

from __future__ import annotations

from typing import Any

import pytest

from reservo.platform.http.problems import DependencyUnavailable
from reservo.platform.owner import OwnerClient
from tests.conftest import Api
from tests.distributed.procs import free_port


async def test_a_local_owner_answers_through_the_app_and_404_is_none(make_api: Any) -> None:
    api: Api = await make_api(["user"], workers=False)
    created = await api.client.post(
        "/api/v1/tenants",
        json={"name": "Acme", "slug": "acme", "timezone": "Europe/Berlin", "currency": "EUR"},
        headers=api.owner("acme"),
    )
    assert created.status_code == 201, created.text
    owners = api.runtime.owners
    found = await owners.get_json("user", "/api/v1/tenants/acme")
    assert found is not None and found["id"] == created.json()["id"]
    assert await owners.get_json("user", "/api/v1/tenants/nobody") is None


async def test_an_unreachable_remote_owner_is_a_503_not_a_404(
    make_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    api: Api = await make_api(["catalog"], workers=False)
    monkeypatch.setenv("RESERVO_USER_URL", f"http://127.0.0.1:{free_port()}")
    owners = OwnerClient(api.runtime.settings, frozenset({"catalog"}))
    with pytest.raises(DependencyUnavailable):
        await owners.get_json("user", "/api/v1/tenants/acme")
    await owners.aclose()
