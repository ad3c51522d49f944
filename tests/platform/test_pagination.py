"""Cursor pagination on lists."""

from __future__ import annotations

from tests.conftest import Api


class TestCursorPagination:
    async def test_pages_cover_every_item_once_in_order(self, api: Api) -> None:
        await api.tenant("acme")
        created = [(await api.offering("acme", name=f"Offer {i}"))["id"] for i in range(5)]
        seen: list[str] = []
        cursor = None
        for _ in range(5):
            params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = (await api.client.get("/api/v1/tenants/acme/offerings", params=params)).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == created

    async def test_a_forged_cursor_is_a_400(self, api: Api) -> None:
        await api.tenant("acme")
        response = await api.client.get("/api/v1/tenants/acme/offerings", params={"cursor": "!!!"})
        assert (response.status_code, response.json()["code"]) == (400, "invalid_cursor")

    async def test_limit_is_bounded(self, api: Api) -> None:
        await api.tenant("acme")
        response = await api.client.get("/api/v1/tenants/acme/offerings", params={"limit": 1000})
        assert (response.status_code, response.json()["code"]) == (422, "validation_failed")
