"""Changing offerings: optimistic locking, publish/archive, soft delete, who may, and the events."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from reservo.contracts.events.catalog import OfferingUpdated
from reservo.platform.events.envelope import RawEnvelope, typed
from tests.conftest import Api
from tests.services.catalog.factories import (
    EVENT,
    PRODUCT,
    SERVICE,
    created,
    error_types,
    offerings_url,
    outbox_envelopes,
    payload,
)
from tests.support.problems import assert_problem


@pytest.fixture
async def acme(api: Api) -> Api:
    await api.tenant("acme")
    return api


async def patch(api: Api, offering_id: str, body: dict[str, Any], **headers: str) -> Any:
    return await api.client.patch(
        offerings_url("acme", offering_id), json=body, headers={**api.owner("acme"), **headers}
    )


class TestPatch:
    async def test_a_change_with_the_current_version_bumps_it(self, acme: Api) -> None:
        offering = await created(acme, PRODUCT)
        response = await patch(
            acme, offering["id"], {"name": "Gift box XL", "stock": 5}, **{"If-Match": '"1"'}
        )
        assert response.status_code == 200, response.text
        assert (response.json()["name"], response.json()["stock"], response.json()["version"]) == (
            "Gift box XL",
            5,
            2,
        )
        assert response.headers["etag"] == '"2"'
        fetched = (await acme.client.get(offerings_url("acme", offering["id"]))).json()
        assert (fetched["name"], fetched["version"]) == ("Gift box XL", 2)

    async def test_the_version_may_come_in_the_body(self, acme: Api) -> None:
        offering = await created(acme, PRODUCT)
        response = await patch(acme, offering["id"], {"version": 1, "description": "Wrapped"})
        assert (response.status_code, response.json()["description"]) == (200, "Wrapped")

    async def test_a_stale_version_is_a_409_and_changes_nothing(self, acme: Api) -> None:
        offering = await created(acme, PRODUCT)
        assert (await patch(acme, offering["id"], {"version": 1, "stock": 7})).status_code == 200
        stale = await patch(acme, offering["id"], {"stock": 1}, **{"If-Match": "1"})
        assert assert_problem(stale, 409, "version_conflict")["current_version"] == 2
        fetched = (await acme.client.get(offerings_url("acme", offering["id"]))).json()
        assert (fetched["stock"], fetched["version"]) == (7, 2)

    async def test_no_version_at_all_is_a_428(self, acme: Api) -> None:
        offering = await created(acme, PRODUCT)
        assert_problem(await patch(acme, offering["id"], {"stock": 1}), 428, "version_required")

    async def test_a_garbled_if_match_is_a_400(self, acme: Api) -> None:
        offering = await created(acme, PRODUCT)
        assert_problem(
            await patch(acme, offering["id"], {"stock": 1}, **{"If-Match": "abc"}), 400, "invalid_if_match"
        )

    async def test_the_merged_offering_is_validated_like_a_new_one(self, acme: Api) -> None:
        offering = await created(acme, SERVICE)
        assert "schedule_required" in error_types(
            await patch(acme, offering["id"], {"version": 1, "schedule": None})
        )
        assert "field_not_for_kind" in error_types(
            await patch(acme, offering["id"], {"version": 1, "stock": 3})
        )
        assert "extra_forbidden" in error_types(
            await patch(acme, offering["id"], {"version": 1, "kind": "event"})
        )

    async def test_sessions_keep_their_ids_and_new_ones_get_one(self, acme: Api) -> None:
        offering = await created(acme, EVENT)
        kept = {**offering["sessions"][0], "capacity": 80}
        extra = {"start": "2027-01-01T20:00:00+01:00", "end": "2027-01-01T23:00:00+01:00", "capacity": 40}
        response = await patch(acme, offering["id"], {"version": 1, "sessions": [kept, extra]})
        assert response.status_code == 200, response.text
        sessions = response.json()["sessions"]
        assert sessions[0]["id"] == kept["id"] and sessions[0]["capacity"] == 80
        assert sessions[1]["id"] not in (None, kept["id"])
        unknown = {**extra, "id": str(uuid.uuid4())}
        assert "unknown_id" in error_types(
            await patch(acme, offering["id"], {"version": 2, "sessions": [unknown]})
        )

    async def test_a_change_emits_the_new_state_with_the_new_version(self, acme: Api) -> None:
        offering = await created(acme, EVENT)
        await patch(acme, offering["id"], {"version": 1, "price": {"amount": 3000, "currency": "EUR"}})
        await acme.settle()
        (envelope,) = await outbox_envelopes(acme, "catalog.offering.updated")
        state = envelope["data"]["offering"]
        assert (state["id"], state["version"], state["price"]["amount"]) == (offering["id"], 2, 3000)
        assert state["sessions"][0]["id"] == offering["sessions"][0]["id"]
        assert envelope["key"] == offering["id"]
        # What a consumer gets: the registered contract model, parsed from the relayed envelope.
        event = typed(RawEnvelope.model_validate(envelope)).data
        assert isinstance(event, OfferingUpdated)
        assert (event.offering.version, event.offering.sessions[0].capacity) == (2, 50)


class TestStatus:
    async def test_a_draft_is_hidden_from_the_public_until_published(self, acme: Api) -> None:
        draft = await created(acme, payload(PRODUCT, status="draft"))
        url = offerings_url("acme", draft["id"])
        assert_problem(await acme.client.get(url), 404, "offering_not_found")
        assert (await acme.client.get(url, headers=acme.owner("acme"))).status_code == 200

        published = await acme.client.post(f"{url}/publish", headers=acme.owner("acme"))
        assert (published.status_code, published.json()["status"], published.json()["version"]) == (
            200,
            "published",
            2,
        )
        assert (await acme.client.get(url)).json()["status"] == "published"

    async def test_archive_hides_it_and_emits_the_status(self, acme: Api) -> None:
        offering = await created(acme, PRODUCT)
        url = offerings_url("acme", offering["id"])
        archived = await acme.client.post(f"{url}/archive", headers={**acme.owner("acme"), "If-Match": "1"})
        assert archived.json()["status"] == "archived"
        assert_problem(await acme.client.get(url), 404, "offering_not_found")
        (envelope,) = await outbox_envelopes(acme, "catalog.offering.updated")
        assert (envelope["data"]["offering"]["status"], envelope["data"]["offering"]["version"]) == (
            "archived",
            2,
        )

    async def test_publishing_twice_changes_nothing_the_second_time(self, acme: Api) -> None:
        offering = await created(acme, PRODUCT)
        url = offerings_url("acme", offering["id"], "publish")
        again = await acme.client.post(url, headers=acme.owner("acme"))
        assert again.json()["version"] == 1
        assert await outbox_envelopes(acme, "catalog.offering.updated") == []

    async def test_a_stale_if_match_on_archive_is_a_409(self, acme: Api) -> None:
        offering = await created(acme, PRODUCT)
        url = offerings_url("acme", offering["id"], "archive")
        assert_problem(
            await acme.client.post(url, headers={**acme.owner("acme"), "If-Match": "7"}),
            409,
            "version_conflict",
        )


class TestSoftDelete:
    async def test_a_deleted_offering_is_gone_from_every_read_and_booking_hears_it(self, acme: Api) -> None:
        offering = await created(acme, PRODUCT)
        url = offerings_url("acme", offering["id"])
        response = await acme.client.delete(url, headers=acme.owner("acme"))
        assert response.status_code == 204
        assert_problem(await acme.client.get(url), 404, "offering_not_found")
        assert_problem(await acme.client.get(url, headers=acme.owner("acme")), 404, "offering_not_found")
        listed = await acme.client.get(
            offerings_url("acme"),
            params={"status": ["draft", "published", "archived"]},
            headers=acme.owner("acme"),
        )
        assert listed.json()["items"] == []
        assert_problem(await acme.client.delete(url, headers=acme.owner("acme")), 404, "offering_not_found")
        assert_problem(
            await patch(acme, offering["id"], {"version": 2, "stock": 1}), 404, "offering_not_found"
        )
        (envelope,) = await outbox_envelopes(acme, "catalog.offering.updated")
        assert (envelope["data"]["offering"]["deleted"], envelope["data"]["offering"]["version"]) == (True, 2)


class TestWhoMay:
    @pytest.mark.parametrize(
        ("method", "suffix", "body"),
        [
            ("PATCH", "", {"version": 1, "stock": 1}),
            ("POST", "/publish", None),
            ("POST", "/archive", None),
            ("DELETE", "", None),
        ],
    )
    async def test_another_tenants_staff_gets_403_and_nothing_changes(
        self, acme: Api, method: str, suffix: str, body: dict[str, Any] | None
    ) -> None:
        offering = await created(acme, PRODUCT)
        url = offerings_url("acme", offering["id"]) + suffix
        stranger = acme.dev_token("eve@example.com", "owner@other")
        assert_problem(await acme.client.request(method, url, json=body, headers=stranger), 403, "forbidden")
        assert_problem(await acme.client.request(method, url, json=body), 401, "unauthorized")
        assert (await acme.client.get(offerings_url("acme", offering["id"]))).json()["version"] == 1

    @pytest.mark.parametrize(
        ("method", "suffix", "body"),
        [("GET", "", None), ("PATCH", "", {"version": 1}), ("POST", "/publish", None), ("DELETE", "", None)],
    )
    async def test_an_unknown_offering_is_a_404(
        self, acme: Api, method: str, suffix: str, body: dict[str, Any] | None
    ) -> None:
        url = offerings_url("acme", str(uuid.uuid4())) + suffix
        response = await acme.client.request(method, url, json=body, headers=acme.owner("acme"))
        assert_problem(response, 404, "offering_not_found")

    async def test_another_tenants_offering_is_not_found_under_mine(self, acme: Api) -> None:
        offering = await created(acme, PRODUCT)
        await acme.tenant("other")
        url = offerings_url("other", offering["id"])
        assert_problem(await acme.client.get(url), 404, "offering_not_found")
        response = await acme.client.patch(url, json={"version": 1, "stock": 1}, headers=acme.owner("other"))
        assert_problem(response, 404, "offering_not_found")


class TestConcurrentEdits:
    async def test_of_two_edits_from_the_same_version_exactly_one_wins(self, acme: Api) -> None:
        offering = await created(acme, PRODUCT)
        responses = await asyncio.gather(
            *(patch(acme, offering["id"], {"version": 1, "stock": n}) for n in range(1, 9))
        )
        codes = sorted(r.status_code for r in responses)
        assert codes == [200] + [409] * 7, [r.text for r in responses]
        winner = next(r.json() for r in responses if r.status_code == 200)
        fetched = (await acme.client.get(offerings_url("acme", offering["id"]))).json()
        assert (fetched["stock"], fetched["version"]) == (winner["stock"], 2)
        assert len(await outbox_envelopes(acme, "catalog.offering.updated")) == 1
