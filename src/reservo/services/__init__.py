"""The ten services. REGISTRY is the whole platform; `pick` chooses a subset for one process."""

from __future__ import annotations

from collections.abc import Iterable

from reservo.platform.service import ServiceSpec
from reservo.services import (
    admin,
    analytics,
    booking,
    catalog,
    integration,
    location,
    notification,
    payment,
    receipt,
    user,
)

REGISTRY: tuple[ServiceSpec, ...] = (
    booking.spec,
    payment.spec,
    user.spec,
    catalog.spec,
    receipt.spec,
    notification.spec,
    location.spec,
    analytics.spec,
    integration.spec,
    admin.spec,
)
NAMES = tuple(s.name for s in REGISTRY)


class UnknownService(ValueError):
    pass


def pick(names: Iterable[str]) -> tuple[ServiceSpec, ...]:
    wanted = list(names)
    if not wanted:
        return REGISTRY
    unknown = [n for n in wanted if n not in NAMES]
    if unknown:
        raise UnknownService(f"unknown service(s): {', '.join(unknown)}; known: {', '.join(NAMES)}")
    return tuple(s for s in REGISTRY if s.name in wanted)
