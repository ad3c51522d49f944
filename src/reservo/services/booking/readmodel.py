"""The offering read-model: catalog's OfferingState as booking keeps it, parsed once per version."""

from __future__ import annotations

import uuid
from collections import OrderedDict

from reservo.contracts.events.catalog import OfferingState, VariantPayload
from reservo.services.booking.models import OfferingReplica

_PARSED: OrderedDict[tuple[uuid.UUID, int], OfferingState] = OrderedDict()
_PARSED_MAX = 1024
# The newest version of each offering this process parsed: the booking fast path's guess, which its
# statement verifies (the replica still at this version, published, not deleted; D15-14).
_LATEST: dict[uuid.UUID, int] = {}


def state_of(replica: OfferingReplica) -> OfferingState:
    """The parsed state; a replica row is immutable per (id, version), so parsing is memoised."""
    key = (replica.id, replica.version)
    state = _PARSED.get(key)
    if state is None:
        state = OfferingState.model_validate(replica.state)
        _PARSED[key] = state
        if replica.version >= _LATEST.get(replica.id, 0):
            _LATEST[replica.id] = replica.version
        if len(_PARSED) > _PARSED_MAX:
            (offering_id, version), _ = _PARSED.popitem(last=False)
            if _LATEST.get(offering_id) == version:
                del _LATEST[offering_id]
    return state


def latest(offering_id: uuid.UUID) -> tuple[int, OfferingState] | None:
    """The newest (version, state) of the offering this process has parsed, if any."""
    version = _LATEST.get(offering_id)
    state = None if version is None else _PARSED.get((offering_id, version))
    return None if state is None or version is None else (version, state)


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
