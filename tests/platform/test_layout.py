"""The shape of the platform: route table ownership, declared roles, migrations matching models."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute

from reservo.app import create_app
from reservo.platform.auth.deps import declared_access
from reservo.platform.config import Settings
from reservo.platform.db.migrate import pending_changes
from reservo.platform.routing import owner_of
from reservo.services import REGISTRY
from tests.routes import api_routes


def _calls(dependant) -> list[Any]:
    out = [dependant.call] if dependant.call else []
    for sub in dependant.dependencies:
        out += _calls(sub)
    return out


class TestRouteTable:
    @pytest.mark.parametrize("spec", REGISTRY, ids=lambda s: s.name)
    def test_every_route_of_a_service_is_owned_by_it_in_routes_toml(self, spec) -> None:
        for router in spec.routers:
            for route in router.routes:
                assert isinstance(route, APIRoute)
                owner = owner_of(route.path)
                assert owner is not None, f"{route.path} is in no routes.toml prefix"
                assert owner.service == spec.name, (
                    f"{route.path} belongs to {owner.service}, declared by {spec.name}"
                )
                assert owner.port == spec.port

    def test_each_services_dead_letters_reach_that_service(self) -> None:
        for spec in REGISTRY:
            owner = owner_of(f"/api/v1/admin/dead-letters/{spec.name}")
            assert owner is not None and owner.service == spec.name


class TestRolesDeclared:
    def test_every_api_route_declares_exactly_one_role(self, tmp_path) -> None:
        app = create_app(REGISTRY, Settings(data_dir=tmp_path))
        undeclared = []
        routes = api_routes(app)  # app.routes nests included routers in recent FastAPI versions
        for route in routes:
            roles = declared_access(_calls(route.dependant))
            if len(roles) != 1:
                undeclared.append((route.path, sorted(route.methods or ()), roles))
        assert undeclared == []
        assert {"/api/v1/auth/login", "/api/v1/tenants/{tenant}/offerings"} <= {r.path for r in routes}


class TestMigrations:
    @pytest.mark.parametrize("spec", REGISTRY, ids=lambda s: s.name)
    async def test_migrations_create_exactly_the_models(self, spec, settings: Settings) -> None:
        assert await pending_changes(spec, settings.database_url_for(spec.name)) == []
