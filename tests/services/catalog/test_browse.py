"""Public browsing: filters, open-on-a-date, full-text search, status visibility and pagination."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.services.catalog.factories import EVENT, PRODUCT, SERVICE, created, offerings_url, payload
from tests.support.problems import assert_problem


async def names(
    api: Api, slug: str = "acme", headers: dict[str, str] | None = None, **params: Any
) -> list[str]:
    response = await api.client.get(offerings_url(slug), params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return sorted(o["name"] for o in response.json()["items"])


@pytest.fixture
async def shop(api: Api) -> Api:
    await api.tenant("acme")
    await created(api, payload(EVENT, description="Live quartet playing standards", category="Music"))
    await created(
        api,
        payload(
            EVENT,
            name="New year concert",
            category="Music",
            price={"amount": 6000, "currency": "EUR"},
            sessions=[
                {"start": "2027-01-01T23:30:00+01:00", "end": "2027-01-02T01:30:00+01:00", "capacity": 9}
            ],
        ),
    )
    await created(api, payload(SERVICE, description="Wash, cut and styling for kids", category="Beauty"))
    await created(api, payload(PRODUCT, category="Gifts"))
    await created(api, payload(PRODUCT, name="Secret draft", status="draft", category="Gifts"))
    return api


class TestFilters:
    async def test_the_public_sees_published_offerings_only(self, shop: Api) -> None:
        assert await names(shop) == ["Gift box", "Haircut", "Jazz night", "New year concert"]

    async def test_staff_see_drafts_when_they_ask(self, shop: Api) -> None:
        assert await names(shop, headers=shop.owner("acme"), status="draft") == ["Secret draft"]
        both = await names(shop, headers=shop.owner("acme"), status=["draft", "published"])
        assert len(both) == 5

    async def test_the_public_cannot_ask_for_drafts(self, shop: Api) -> None:
        assert_problem(
            await shop.client.get(offerings_url("acme"), params={"status": "draft"}),
            403,
            "status_filter_forbidden",
        )

    async def test_kind_category_and_price_range(self, shop: Api) -> None:
        assert await names(shop, kind="event") == ["Jazz night", "New year concert"]
        assert await names(shop, category="music") == ["Jazz night", "New year concert"]
        assert await names(shop, min_price=2000, max_price=3000) == ["Haircut", "Jazz night"]
        assert await names(shop, kind="event", max_price=5000) == ["Jazz night"]

    async def test_an_invalid_filter_is_a_422(self, shop: Api) -> None:
        for params in ({"kind": "course"}, {"min_price": -1}, {"date": "31.12.2026"}):
            assert_problem(
                await shop.client.get(offerings_url("acme"), params=params), 422, "validation_failed"
            )

    async def test_another_tenants_list_is_its_own(self, shop: Api) -> None:
        await shop.tenant("other")
        assert await names(shop, "other") == []


class TestOpenOnDate:
    async def test_an_event_on_the_local_date_of_its_session(self, shop: Api) -> None:
        # Jazz night is 2026-12-31 20:00-23:00 in Berlin: 19:00-22:00 UTC, the same date.
        assert await names(shop, date="2026-12-31") == ["Gift box", "Jazz night"]

    async def test_a_session_past_midnight_is_on_both_local_dates(self, shop: Api) -> None:
        # New year concert: 2027-01-01 23:30 to 01-02 01:30 Berlin (22:30 to 00:30 UTC).
        assert "New year concert" in await names(shop, date="2027-01-01")
        assert "New year concert" in await names(shop, date="2027-01-02")

    async def test_a_service_on_its_weekdays_unless_closed_by_an_exception(self, shop: Api) -> None:
        assert await names(shop, date="2026-12-21", kind="service") == ["Haircut"]  # a Monday
        assert await names(shop, date="2026-12-22", kind="service") == []  # a Tuesday
        assert await names(shop, date="2026-12-28", kind="service") == []  # Monday, closed

    async def test_special_hours_open_a_day_the_weekly_rules_do_not(self, api: Api) -> None:
        await api.tenant("acme")
        body = payload(SERVICE)
        body["schedule"]["exceptions"] = [
            {"date": "2026-12-26", "intervals": [{"start": "10:00", "end": "14:00"}]}
        ]
        offering = await created(api, body)
        assert await names(api, date="2026-12-26") == ["Haircut"]  # a Saturday
        # Moving the special hours moves the answer (the day index follows every change).
        body["schedule"]["exceptions"] = [
            {"date": "2026-12-27", "intervals": [{"start": "10:00", "end": "14:00"}]}
        ]
        response = await api.client.patch(
            offerings_url("acme", offering["id"]),
            json={"version": 1, "schedule": body["schedule"]},
            headers=api.owner("acme"),
        )
        assert response.status_code == 200, response.text
        assert await names(api, date="2026-12-26") == []
        assert await names(api, date="2026-12-27") == ["Haircut"]

    async def test_products_are_always_open(self, shop: Api) -> None:
        assert "Gift box" in await names(shop, date="2030-06-01")


class TestSearch:
    async def test_words_in_name_description_and_category(self, shop: Api) -> None:
        assert await names(shop, q="jazz") == ["Jazz night"]
        assert await names(shop, q="quartet") == ["Jazz night"]
        assert await names(shop, q="beauty") == ["Haircut"]

    async def test_a_stemmed_word_finds_its_other_forms(self, shop: Api) -> None:
        assert await names(shop, q="nights") == ["Jazz night"]
        assert await names(shop, q="styled") == ["Haircut"]  # "styling" in the description
        assert await names(shop, q="concerts") == ["New year concert"]

    async def test_a_prefix_finds_the_whole_word(self, shop: Api) -> None:
        assert await names(shop, q="hairc") == ["Haircut"]
        assert await names(shop, q="jaz") == ["Jazz night"]

    async def test_every_word_must_match_and_operators_are_just_text(self, shop: Api) -> None:
        assert await names(shop, q="jazz standards") == ["Jazz night"]
        assert await names(shop, q="jazz haircut") == []
        assert await names(shop, q='jazz OR "haircut" NOT*') == []
        assert await names(shop, q="(*)") == ["Gift box", "Haircut", "Jazz night", "New year concert"]

    async def test_search_follows_renames_and_hides_drafts(self, shop: Api) -> None:
        listed = (await shop.client.get(offerings_url("acme"), params={"q": "gift"})).json()["items"]
        assert [o["name"] for o in listed] == ["Gift box"]
        response = await shop.client.patch(
            offerings_url("acme", listed[0]["id"]),
            json={"version": 1, "name": "Voucher"},
            headers=shop.owner("acme"),
        )
        assert response.status_code == 200
        assert await names(shop, q="gift") == ["Voucher"]  # still in the category "Gifts"
        assert await names(shop, q="voucher") == ["Voucher"]
        assert await names(shop, q="box") == []
        assert await names(shop, q="secret") == []

    async def test_search_combines_with_filters(self, shop: Api) -> None:
        assert await names(shop, q="music", max_price=3000) == ["Jazz night"]


class TestPagination:
    async def test_pages_walk_every_offering_once(self, api: Api) -> None:
        await api.tenant("acme")
        made = [
            (await created(api, payload(PRODUCT, name=f"Box {i}", category="Gifts")))["id"] for i in range(7)
        ]
        seen: list[str] = []
        params: dict[str, Any] = {"limit": 3, "category": "gifts", "q": "box"}
        while True:
            page = (await api.client.get(offerings_url("acme"), params=params)).json()
            seen += [o["id"] for o in page["items"]]
            if not page["next_cursor"]:
                break
            params["cursor"] = page["next_cursor"]
        assert seen == made
