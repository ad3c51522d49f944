"""The event envelope of ARCHITECTURE.md §3 and the base class of every event payload."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from reservo.platform.context import causation_id, current_correlation_id
from reservo.platform.tracing import current_traceparent


class Event(BaseModel):
    """A payload. Its TYPE starts with the producing service: `catalog.offering.created`."""

    model_config = ConfigDict(frozen=True, extra="ignore")  # consumers tolerate added fields
    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1

    @property
    def key(self) -> str:
        """The aggregate id: the partition key that keeps one aggregate's events in order."""
        return str(getattr(self, "id"))  # noqa: B009 - every payload without an `id` overrides this


EVENT_TYPES: dict[str, type[Event]] = {}


def register(cls: type[Event]) -> type[Event]:
    EVENT_TYPES[cls.TYPE] = cls
    return cls


def topic_of(event_type: str) -> str:
    return f"{event_type.split('.', 1)[0]}.events"


P = TypeVar("P")


class Envelope(BaseModel, Generic[P]):
    model_config = ConfigDict(frozen=True)

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = 1
    occurred_at: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))
    tenant_id: uuid.UUID | None = None
    key: str
    correlation_id: str | None = None
    causation_id: uuid.UUID | None = None
    # W3C trace context of the span that wrote the event (platform/tracing.py); absent when tracing is off.
    traceparent: str | None = None
    data: P

    @classmethod
    def wrap(cls, event: Event, *, tenant_id: uuid.UUID | None, now: datetime) -> Envelope[dict[str, Any]]:
        # RawEnvelope, not Envelope[dict[str, Any]]: subscripting builds a generic cache key per call.
        return RawEnvelope(
            type=event.TYPE,
            version=event.VERSION,
            occurred_at=now,
            tenant_id=tenant_id,
            key=event.key,
            correlation_id=current_correlation_id(),
            causation_id=causation_id.get(),
            traceparent=current_traceparent(),
            data=event.model_dump(mode="json"),
        )

    @property
    def topic(self) -> str:
        return topic_of(self.type)


RawEnvelope = Envelope[dict[str, Any]]


_PARAMETRIZED: dict[type[Event], type[Envelope[Any]]] = {}
# Parsed envelopes of the raw ones seen last, by object: the in-process bus hands the same raw
# envelope to every consumer group, which then parse it once between them. Keyed by id() with the raw
# envelope kept in the value, so an id is never reused while its entry lives; raw envelopes are
# frozen, so the same object always parses to the same thing.
_PARSED: OrderedDict[int, tuple[RawEnvelope, Envelope[Any]]] = OrderedDict()
_PARSED_MAX = 2048


def typed(envelope: RawEnvelope) -> Envelope[Any]:
    """The envelope with `data` parsed into its registered payload model, if there is one."""
    model = EVENT_TYPES.get(envelope.type)
    if model is None:
        return envelope
    hit = _PARSED.get(id(envelope))
    if hit is not None and hit[0] is envelope:
        return hit[1]
    cls = _PARAMETRIZED.get(model)
    if cls is None:  # Envelope[model] builds a generic cache key each time: once per model instead
        cls = _PARAMETRIZED[model] = Envelope[model]  # type: ignore[valid-type]
    # the envelope's fields are valid already: only `data` is parsed
    fields = {**envelope.__dict__, "data": model.model_validate(envelope.data)}
    parsed = cls.model_construct(_fields_set=envelope.model_fields_set, **fields)
    _PARSED[id(envelope)] = (envelope, parsed)
    if len(_PARSED) > _PARSED_MAX:
        _PARSED.popitem(last=False)
    return parsed
