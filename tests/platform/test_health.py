"""Operations endpoints: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import pytest

from reservo.platform.config import Settings
from tests.conftest import Api, _pg_execute


class TestOperations:
    async def test_metrics_count_requests_by_route_template(self, api: Api) -> None:
        await api.client.get("/api/v1/tenants/nobody/offerings")
        body = (await api.client.get("/metrics")).text
        assert (
            'reservo_http_requests_total{method="GET",route="/api/v1/tenants/{tenant}/offerings",status="404"}'
            in body
        )
        assert "reservo_outbox_unsent" in body

    async def test_readyz_is_ok_while_every_database_answers(self, api: Api) -> None:
        response = await api.client.get("/readyz")
        assert response.status_code == 200
        checks = response.json()["checks"]
        assert {"db:user", "db:catalog", "db:booking", "db:notification", "bus"} <= set(checks)
        assert set(checks.values()) == {"ok"}


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=False)
async def test_readyz_turns_503_when_a_database_goes_away(api: Api, settings: Settings) -> None:
    assert (await api.client.get("/readyz")).status_code == 200
    booking_db = settings.database_url_for("booking").rsplit("/", 1)[1]
    await _pg_execute(f'DROP DATABASE "{booking_db}" WITH (FORCE)')

    response = await api.client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["db:booking"].startswith("error")
    assert body["checks"]["db:catalog"] == "ok"
