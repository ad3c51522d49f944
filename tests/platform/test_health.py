"""Operations endpoints: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from tests.conftest import Api


class TestOperations:
    async def test_metrics_count_requests_by_route_template(self, api: Api) -> None:
        await api.client.get("/api/v1/tenants/nobody/offerings")
        body = (await api.client.get("/metrics")).text
        assert (
            'reservo_http_requests_total{method="GET",route="/api/v1/tenants/{tenant}/offerings",status="404"}'
            in body
        )
        assert "reservo_outbox_unsent" in body
