"""Platform admins: tenants and accounts (suspend, restore, search), bookings across tenants, stats,
CSV export, every service's dead letters with replay. Through the public API, all services in one app."""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any

from reservo.services import NAMES, pick
from tests.conftest import Api, eventually
from tests.services.payment.flows import confirm, pay, refund

ADMIN = "root@platform.example"


def _admin(api: Api) -> dict[str, str]:
    return api.dev_token(ADMIN, "admin")


async def _all(make_api: Any, *specs: Any) -> Api:
    api: Api = await make_api(list(specs) or list(NAMES))
    return api


class TestTenantSuspension:
    async def test_a_suspended_tenant_sells_nothing_until_restored_and_keeps_its_bookings(
        self, make_api: Any
    ) -> None:
        api = await _all(make_api)
        tenant = await api.tenant("acme")
        offering = await api.offering("acme", kind="product")
        kept = await api.book(offering["id"])
        assert kept.status_code == 201, kept.text
        suspend = f"/api/v1/admin/tenants/{tenant['id']}/suspend"

        # Only platform admins: the tenant's own owner and a customer are refused, anonymous too.
        assert (await api.client.post(suspend, headers=api.owner("acme"))).status_code == 403
        assert (await api.client.post(suspend, headers=api.dev_token("c@example.com"))).status_code == 403
        assert (await api.client.post(suspend)).status_code == 401

        done = await api.client.post(suspend, headers=_admin(api))
        assert done.status_code == 200, done.text
        assert done.json()["suspended"] is True
        await api.settle()

        storefront = await api.client.get("/api/v1/tenants/acme/offerings")
        assert storefront.status_code == 403
        assert storefront.json()["code"] == "tenant_suspended"
        one = await api.client.get(f"/api/v1/tenants/acme/offerings/{offering['id']}")
        assert one.json()["code"] == "tenant_suspended"
        refused = await api.book(offering["id"])
        assert refused.status_code == 403 and refused.json()["code"] == "tenant_suspended"
        slots = f"/api/v1/tenants/acme/offerings/{offering['id']}/availability?from=2030-01-01&to=2030-01-02"
        assert (await api.client.get(slots)).json()["code"] == "tenant_suspended"
        # The tenant itself answers, saying so (the web app shows it); staff still see their bookings.
        assert (await api.client.get("/api/v1/tenants/acme")).json()["suspended"] is True
        assert (await api.client.get(slots, headers=api.owner("acme"))).status_code == 200
        staff = await api.client.get("/api/v1/tenants/acme/bookings", headers=api.owner("acme"))
        assert [b["id"] for b in staff.json()["items"]] == [kept.json()["id"]]

        listed = await api.client.get("/api/v1/admin/tenants?q=ACM&suspended=true", headers=_admin(api))
        assert [(t["slug"], t["suspended"]) for t in listed.json()["items"]] == [("acme", True)]

        restored = await api.client.post(f"/api/v1/admin/tenants/{tenant['id']}/restore", headers=_admin(api))
        assert restored.json()["suspended"] is False
        await api.settle()
        assert (await api.client.get("/api/v1/tenants/acme/offerings")).status_code == 200
        assert (await api.book(offering["id"])).status_code == 201


class TestAccountSuspension:
    async def test_a_suspended_account_cannot_sign_in_and_its_sessions_end(self, api: Api) -> None:
        pair = await api.register("mallory@example.com", name="Mallory Example")
        await api.register("other@example.com", name="Other Person")
        found = await api.client.get("/api/v1/admin/users?q=mallory", headers=_admin(api))
        assert found.status_code == 200, found.text
        (user,) = found.json()["items"]
        assert user["email"] == "mallory@example.com" and user["suspended"] is False
        page = await api.client.get("/api/v1/admin/users?limit=1", headers=_admin(api))
        assert len(page.json()["items"]) == 1 and page.json()["next_cursor"]
        assert (await api.client.get("/api/v1/admin/users", headers=api.bearer(pair))).status_code == 403

        suspended = await api.client.post(f"/api/v1/admin/users/{user['id']}/suspend", headers=_admin(api))
        assert suspended.json()["suspended"] is True

        login = {"email": "mallory@example.com", "password": "correct horse battery"}
        refused = await api.client.post("/api/v1/auth/login", json=login)
        assert refused.status_code == 403 and refused.json()["code"] == "account_suspended"
        again = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        assert again.status_code in (401, 403)
        write = await api.client.post(
            "/api/v1/tenants",
            json={"name": "M", "slug": "m-shop", "timezone": "Europe/Berlin", "currency": "EUR"},
            headers=api.bearer(pair),
        )
        assert write.status_code == 401 and write.json()["code"] == "session_revoked"

        await api.client.post(f"/api/v1/admin/users/{user['id']}/restore", headers=_admin(api))
        assert (await api.client.post("/api/v1/auth/login", json=login)).status_code == 200


class TestBookingsAcrossTenants:
    async def test_bookings_stats_and_csv_follow_the_events(self, make_api: Any) -> None:
        api = await _all(make_api)
        await api.tenant("acme")
        await api.tenant("beta")
        tricky = 'Jazz, "late" night\nsecond line'
        acme = await api.offering("acme", kind="product", name=tricky)
        beta = await api.offering("beta", kind="product", name="=HYPERLINK(1)")
        paid = (await api.book(acme["id"], quantity=2)).json()
        await api.book(acme["id"])
        await api.book(beta["id"], slug="beta")
        payment = (await pay(api, paid)).json()
        assert (await confirm(api, payment, paid, "4242424242424242")).json()["status"] == "succeeded"
        assert (await refund(api, payment["id"], 1000)).status_code in (201, 202)
        await api.settle()
        api.runtime.contexts["payment"].wake("refunds")

        async def refunded() -> bool:
            await api.settle()
            stats = (await api.client.get("/api/v1/admin/stats", headers=_admin(api))).json()
            return bool(stats["revenue"] and stats["revenue"][0]["refunded"] == 1000)

        await eventually(refunded)
        stats = (await api.client.get("/api/v1/admin/stats", headers=_admin(api))).json()
        assert stats["tenants"] == 2 and stats["bookings"] == 3
        assert {s["status"]: s["count"] for s in stats["bookings_by_status"]} == {
            "confirmed": 1,
            "pending": 2,
        }
        assert stats["revenue"] == [
            {"currency": "EUR", "gross": 5000, "refunded": 1000, "net": 4000, "payments": 1}
        ]

        page = await api.client.get("/api/v1/admin/bookings?tenant=acme&limit=1", headers=_admin(api))
        assert page.status_code == 200, page.text
        first = page.json()
        rest = await api.client.get(
            f"/api/v1/admin/bookings?tenant=acme&limit=1&cursor={first['next_cursor']}", headers=_admin(api)
        )
        ids = {b["id"] for b in first["items"] + rest.json()["items"]}
        assert paid["id"] in ids and len(ids) == 2 and rest.json()["next_cursor"] is None
        confirmed = await api.client.get("/api/v1/admin/bookings?status=confirmed", headers=_admin(api))
        assert [(b["id"], b["tenant"]) for b in confirmed.json()["items"]] == [(paid["id"], "acme")]
        # Nothing personal in the admin's read-model: the customer stays with the tenant.
        assert "ann@example.com" not in confirmed.text

        exported = await api.client.get("/api/v1/admin/bookings.csv", headers=_admin(api))
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported.text, newline="")))
        assert len(rows) == 3
        assert {r["offering"] for r in rows} == {tricky, "'=HYPERLINK(1)"}  # quoted, never a formula
        assert next(r for r in rows if r["booking_id"] == paid["id"])["total_minor"] == "5000"
        beta_only = await api.client.get("/api/v1/admin/bookings.csv?tenant=beta", headers=_admin(api))
        assert len(list(csv.DictReader(io.StringIO(beta_only.text, newline="")))) == 1
        for path in ("/api/v1/admin/bookings", "/api/v1/admin/bookings.csv", "/api/v1/admin/stats"):
            assert (await api.client.get(path, headers=api.owner("acme"))).status_code == 403
            assert (await api.client.get(path)).status_code == 401


class _Flaky:
    def __init__(self) -> None:
        self.fail = True

    async def __call__(self, event: Any, tx: Any, ctx: Any) -> None:
        if self.fail:
            raise RuntimeError("receipt printer on fire")


class TestDeadLetters:
    async def test_one_view_of_every_service_and_replay_through_the_owning_service(
        self, make_api: Any
    ) -> None:
        flaky = _Flaky()
        (booking_spec,) = pick(["booking"])
        broken = dataclasses.replace(
            booking_spec, handlers={**booking_spec.handlers, "user.tenant.created": flaky}
        )
        api = await _all(make_api, *[broken if n == "booking" else n for n in NAMES])
        created = await api.client.post(
            "/api/v1/tenants",
            json={"name": "Acme", "slug": "acme", "timezone": "Europe/Berlin", "currency": "EUR"},
            headers=api.owner("acme"),
        )
        assert created.status_code == 201
        await api.settle()

        view = await api.client.get("/api/v1/admin/dead-letters", headers=_admin(api))
        assert view.status_code == 200, view.text
        by_service = {s["service"]: s for s in view.json()}
        assert set(by_service) == set(NAMES) and all(s["available"] for s in by_service.values())
        (dead,) = by_service["booking"]["items"]
        assert dead["type"] == "user.tenant.created" and "on fire" in dead["error"]
        assert all(not s["items"] for name, s in by_service.items() if name != "booking")
        assert (
            await api.client.get("/api/v1/admin/dead-letters", headers=api.owner("acme"))
        ).status_code == 403

        replay = f"/api/v1/admin/dead-letters/booking/{dead['id']}/replay"
        assert (await api.client.post(replay, headers=api.owner("acme"))).status_code == 403
        flaky.fail = False
        replayed = await api.client.post(replay, headers=_admin(api))
        assert replayed.status_code == 200, replayed.text
        assert replayed.json()["outcome"] == "applied"
        twice = await api.client.post(replay, headers=_admin(api))
        assert twice.json()["outcome"] == "already_replayed"
        after = (await api.client.get("/api/v1/admin/dead-letters", headers=_admin(api))).json()
        assert all(not s["items"] for s in after)
