"""The offering read-model: catalog's OfferingState as booking keeps it, parsed once per version."""

from __future__ import annotations

import uuid
from collections import OrderedDict

from reservo.contracts.events.catalog import OfferingState, VariantPayload
from reservo.services.booking.models import OfferingReplica

_PARSED: OrderedDict[tuple[uuid.UUID, int], OfferingState] = OrderedDict()
_PARSED_MAX = 1024


def state_of(replica: OfferingReplica) -> OfferingState:
    """The parsed state; a replica row is immutable per (id, version), so parsing is memoised."""
    key = (replica.id, replica.version)
    state = _PARSED.get(key)
    if state is None:
        state = OfferingState.model_validate(replica.state)
        _PARSED[key] = state
        if len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    return state


def parsed(offering_id: uuid.UUID, version: int) -> OfferingState | None:
    """The state of (offering, version) if this process parsed it already."""
    return _PARSED.get((offering_id, version))


def variant_of(state: OfferingState, variant_id: uuid.UUID | None) -> VariantPayload | None:
    if variant_id is None:
        return None
    return next((v for v in state.variants if v.id == variant_id), None)


def session_key(session_id: uuid.UUID) -> str:
    return f"session:{session_id}"


def slot_key(resource_id: uuid.UUID, start_iso: str) -> str:
    return f"slot:{resource_id}:{start_iso}"


STOCK_KEY = "stock"
