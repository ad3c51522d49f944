"""The demo seed: one offering of each kind, and running it again adds nothing."""

from __future__ import annotations

from reservo.platform.config import Settings
from reservo.seed import seed_demo
from tests.conftest import Api


async def test_seeding_twice_gives_one_offering_of_each_kind(settings: Settings, make_api) -> None:
    said: list[str] = []
    await seed_demo(settings, said.append)
    await seed_demo(settings, said.append)
    assert said[-1] == "seed: demo offerings exist"

    api: Api = await make_api(["user", "catalog"], workers=False)
    items = (await api.client.get("/api/v1/tenants/demo/offerings")).json()["items"]
    assert sorted((o["kind"], o["name"]) for o in items) == [
        ("event", "Jazz night"),
        ("product", "Gift box"),
        ("service", "Haircut"),
    ]
    assert {o["location"]["address"] for o in items} == {"Alexanderplatz 1, 10178 Berlin"}
    event = next(o for o in items if o["kind"] == "event")
    assert len(event["sessions"]) == 4
