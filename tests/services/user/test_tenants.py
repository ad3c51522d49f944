"""Tenants and staff invitations through HTTP; platform admins only from the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi.routing import APIRoute
from typer.testing import CliRunner

from reservo.cli import cli
from reservo.platform.config import Settings
from tests.conftest import Api
from tests.services.user.mail import link_token, mail_to
from tests.support.problems import assert_problem

TENANT = {"name": "Acme", "slug": "acme", "timezone": "Europe/Berlin", "currency": "EUR"}


async def _refresh(api: Api, pair: dict[str, Any]) -> dict[str, Any]:
    response = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.fixture
def app_services() -> Sequence[str]:
    return ["user", "notification"]


class TestTenants:
    async def test_the_creator_owns_the_tenant_and_its_public_page_shows_no_members(self, api: Api) -> None:
        owner = await api.register("owner@acme.example")
        body = {**TENANT, "branding": {"primary_color": "#112233"}}
        created = await api.client.post("/api/v1/tenants", json=body, headers=api.bearer(owner))
        assert created.status_code == 201, created.text
        public = (await api.client.get("/api/v1/tenants/acme")).json()
        assert public["name"] == "Acme" and public["branding"] == {"primary_color": "#112233"}
        assert "owner@acme.example" not in str(public)
        owner = await _refresh(api, owner)
        members = await api.client.get("/api/v1/tenants/acme/members", headers=api.bearer(owner))
        assert [(m["email"], m["role"]) for m in members.json()["items"]] == [("owner@acme.example", "owner")]

    async def test_anonymous_cannot_create_a_tenant(self, api: Api) -> None:
        assert_problem(await api.client.post("/api/v1/tenants", json=TENANT), 401, "unauthorized")

    async def test_a_taken_slug_is_409(self, api: Api) -> None:
        await api.tenant("acme")
        ann = await api.register("ann@example.com")
        assert_problem(
            await api.client.post("/api/v1/tenants", json=TENANT, headers=api.bearer(ann)), 409, "slug_taken"
        )

    async def test_an_update_reaches_other_services_replicas(self, make_api) -> None:
        api: Api = await make_api(["user", "catalog"])
        await api.tenant("acme")
        patched = await api.client.patch(
            "/api/v1/tenants/acme", json={"name": "Acme Ltd"}, headers=api.owner("acme")
        )
        assert patched.status_code == 200
        await api.settle()
        from reservo.platform.db.tables import add_tenant_table

        ctx = api.runtime.contexts["catalog"]
        table = add_tenant_table(ctx.uow.tables.outbox.metadata)
        async with ctx.uow.read() as session:
            names = (await session.execute(table.select())).all()
        assert [r.name for r in names] == ["Acme Ltd"]


class TestInvitations:
    async def test_an_invited_person_joins_as_staff_after_signing_up(self, api: Api) -> None:
        owner = await api.register("owner@acme.example")
        await api.client.post("/api/v1/tenants", json=TENANT, headers=api.bearer(owner))
        owner = await _refresh(api, owner)
        invited = await api.client.post(
            "/api/v1/tenants/acme/invitations", json={"email": "Sam@Example.com"}, headers=api.bearer(owner)
        )
        assert invited.status_code == 201, invited.text
        assert "token" not in invited.json()
        token = link_token(await mail_to(api, "sam@example.com", "Join Acme"))

        eve = await api.register("eve@example.com")
        accept = "/api/v1/tenants/acme/invitations/accept"
        assert_problem(
            await api.client.post(accept, json={"token": token}, headers=api.bearer(eve)),
            403,
            "invitation_email_mismatch",
        )
        assert_problem(await api.client.post(accept, json={"token": token}), 401, "unauthorized")

        sam = await api.register("sam@example.com")
        joined = await api.client.post(accept, json={"token": token}, headers=api.bearer(sam))
        assert joined.json() == {"tenant": "acme", "role": "staff"}
        assert_problem(
            await api.client.post(accept, json={"token": token}, headers=api.bearer(sam)),
            404,
            "invitation_not_found",
        )
        sam = await _refresh(api, sam)
        assert sam["user"]["tenants"] == [{"tenant": "acme", "role": "staff"}]
        members = await api.client.get("/api/v1/tenants/acme/members", headers=api.bearer(sam))
        assert members.status_code == 200
        # Staff is not owner: no inviting, no settings.
        assert_problem(
            await api.client.post(
                "/api/v1/tenants/acme/invitations", json={"email": "x@example.com"}, headers=api.bearer(sam)
            ),
            403,
            "forbidden",
        )

    async def test_a_removed_member_loses_the_role_at_the_next_refresh(self, api: Api) -> None:
        owner = await api.register("owner@acme.example")
        await api.client.post("/api/v1/tenants", json=TENANT, headers=api.bearer(owner))
        owner = await _refresh(api, owner)
        await api.client.post(
            "/api/v1/tenants/acme/invitations", json={"email": "sam@example.com"}, headers=api.bearer(owner)
        )
        token = link_token(await mail_to(api, "sam@example.com", "Join Acme"))
        sam = await api.register("sam@example.com")
        accept = "/api/v1/tenants/acme/invitations/accept"
        await api.client.post(accept, json={"token": token}, headers=api.bearer(sam))
        sam = await _refresh(api, sam)
        members = "/api/v1/tenants/acme/members"
        assert (await api.client.get(members, headers=api.bearer(sam))).status_code == 200

        sam_id, owner_id = sam["user"]["id"], owner["user"]["id"]
        assert_problem(
            await api.client.delete(f"{members}/{owner_id}", headers=api.bearer(sam)), 403, "forbidden"
        )
        assert_problem(
            await api.client.delete(f"{members}/{owner_id}", headers=api.bearer(owner)), 409, "last_owner"
        )
        removed = await api.client.delete(f"{members}/{sam_id}", headers=api.bearer(owner))
        assert removed.status_code == 204
        assert_problem(
            await api.client.delete(f"{members}/{sam_id}", headers=api.bearer(owner)), 404, "member_not_found"
        )
        sam = await _refresh(api, sam)
        assert sam["user"]["tenants"] == []
        assert_problem(await api.client.get(members, headers=api.bearer(sam)), 403, "forbidden")

    async def test_an_invitation_token_works_only_for_its_tenant(self, api: Api) -> None:
        await api.tenant("acme")
        await api.tenant("other")
        await api.client.post(
            "/api/v1/tenants/acme/invitations", json={"email": "sam@example.com"}, headers=api.owner("acme")
        )
        token = link_token(await mail_to(api, "sam@example.com", "Join Acme"))
        sam = await api.register("sam@example.com")
        assert_problem(
            await api.client.post(
                "/api/v1/tenants/other/invitations/accept", json={"token": token}, headers=api.bearer(sam)
            ),
            404,
            "invitation_not_found",
        )


class TestPlatformAdmin:
    def test_no_http_route_creates_or_promotes_admins(self, tmp_path) -> None:
        from reservo.app import create_app
        from reservo.services import pick

        app = create_app(pick(["user"]), Settings(data_dir=tmp_path))
        paths = [r.path for r in app.routes if isinstance(r, APIRoute) and "POST" in (r.methods or ())]
        assert not [p for p in paths if "admin" in p]

    async def test_the_cli_creates_an_admin_who_signs_in_with_the_admin_claim(
        self, api: Api, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RESERVO_DATA_DIR", str(settings.data_dir))
        if settings.database_url:
            monkeypatch.setenv("RESERVO_DATABASE_URL", settings.database_url)
        args = [
            "admin",
            "create",
            "--email",
            "Root@Reservo.example",
            "--name",
            "Root",
            "--password",
            "root pass phrase",
        ]
        result = await asyncio.to_thread(CliRunner().invoke, cli, args)
        assert result.exit_code == 0, result.output
        assert "created" in result.output

        login = await api.client.post(
            "/api/v1/auth/login", json={"email": "root@reservo.example", "password": "root pass phrase"}
        )
        pair = login.json()
        assert pair["user"]["is_admin"] is True and pair["user"]["email_verified"] is True
        dead = await api.client.get("/api/v1/admin/dead-letters/user", headers=api.bearer(pair))
        assert dead.status_code == 200

        weak = await asyncio.to_thread(
            CliRunner().invoke,
            cli,
            ["admin", "create", "--email", "x@example.com", "--name", "X", "--password", "short"],
        )
        assert weak.exit_code != 0 and "10 characters" in weak.output
        registered = await api.register("plain@example.com")
        assert registered["user"]["is_admin"] is False


class TestSeed:
    async def test_the_seed_makes_a_demo_owner_who_can_sign_in_once_and_only_once(
        self, make_api, settings: Settings
    ) -> None:
        from reservo.seed import DEMO_OWNER_EMAIL, seed_demo

        lines: list[str] = []
        await seed_demo(settings, echo=lines.append)
        await seed_demo(settings, echo=lines.append)
        created = [line for line in lines if "created demo owner" in line]
        assert len(created) == 1 and any("demo owner owner@demo.example exists" in line for line in lines)
        password = created[0].rsplit(" ", 1)[1]

        api: Api = await make_api(["user"])
        login = await api.client.post(
            "/api/v1/auth/login", json={"email": DEMO_OWNER_EMAIL, "password": password}
        )
        assert login.status_code == 200, login.text
        assert login.json()["user"]["tenants"] == [{"tenant": "demo", "role": "owner"}]
        patched = await api.client.patch(
            "/api/v1/tenants/demo", json={"name": "Demo Studio"}, headers=api.bearer(login.json())
        )
        assert patched.status_code == 200
