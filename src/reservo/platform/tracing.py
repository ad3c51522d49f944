"""OpenTelemetry traces: HTTP request -> service -> outbox -> Kafka -> consumer, one trace.

Off unless an OTLP endpoint is configured (the standard `OTEL_EXPORTER_OTLP_ENDPOINT` or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`; OTLP over HTTP/protobuf, e.g. Jaeger's :4318). The W3C
`traceparent` of the span that wrote an event travels in the event envelope (`Envelope.traceparent`),
so the consumer's span continues the producer's trace across the outbox and the bus.
Without an endpoint the API's no-op tracer is used: no span, no envelope field, no cost.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from opentelemetry import propagate, trace

_configured = False


def enabled() -> bool:
    return bool(
        os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def configure_tracing(service: str) -> bool:
    """Install the SDK with an OTLP exporter once per process; False when not configured."""
    global _configured
    if _configured or not enabled():
        return _configured
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = os.environ.get("OTEL_SERVICE_NAME") or f"reservo-{service}"
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    atexit.register(provider.shutdown)  # uvicorn returns normally on SIGTERM: queued spans are sent
    _configured = True
    return True


def shutdown_tracing() -> None:
    """Flush spans still queued (a stopping process would lose them)."""
    provider = trace.get_tracer_provider()
    shutdown = getattr(provider, "shutdown", None)
    if shutdown is not None:
        shutdown()


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def current_trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


@contextmanager
def consumer_span(consumer: str, event_type: str, traceparent: str | None) -> Iterator[None]:
    """A CONSUMER span for handling one event, child of the span that wrote it."""
    parent = propagate.extract({"traceparent": traceparent}) if traceparent else None
    tracer = trace.get_tracer("reservo.events")
    attributes = {"messaging.system": "kafka", "messaging.operation": "process", "reservo.consumer": consumer}
    with tracer.start_as_current_span(
        f"{consumer} process {event_type}",
        context=parent,
        kind=trace.SpanKind.CONSUMER,
        attributes=attributes,
    ):
        yield


@contextmanager
def consumer_spans(consumer: str, event_type: str, traceparents: Sequence[str | None]) -> Iterator[None]:
    """CONSUMER spans for handling a run of events in one go: one per event, each a child of the span
    that wrote it, all ending when the run is handled."""
    attributes = {
        "messaging.system": "kafka",
        "messaging.operation": "process",
        "reservo.consumer": consumer,
        "messaging.batch.message_count": len(traceparents),
    }
    with _spans(f"{consumer} process {event_type}", trace.SpanKind.CONSUMER, traceparents, attributes):
        yield


@contextmanager
def publish_spans(system: str, topic: str, traceparents: Sequence[str | None]) -> Iterator[None]:
    """PRODUCER spans for the relay's publishing of a batch to `topic`: one per event, each a child of
    the span that wrote that event (its envelope's traceparent), all ending when the bus acknowledged."""
    attributes = {
        "messaging.system": system,
        "messaging.operation": "publish",
        "messaging.destination.name": topic,
        "messaging.batch.message_count": len(traceparents),
    }
    with _spans(f"{topic} publish", trace.SpanKind.PRODUCER, traceparents, attributes):
        yield


@contextmanager
def _spans(
    name: str, kind: trace.SpanKind, traceparents: Sequence[str | None], attributes: dict[str, Any]
) -> Iterator[None]:
    """One span per traceparent (each its child), errors recorded on all, all ending together."""
    tracer = trace.get_tracer("reservo.events")
    spans = [
        tracer.start_span(
            name,
            context=propagate.extract({"traceparent": tp}) if tp else None,
            kind=kind,
            attributes=attributes,
        )
        for tp in traceparents
    ]
    try:
        yield
    except BaseException as exc:
        for span in spans:
            span.record_exception(exc)
            span.set_status(trace.Status(trace.StatusCode.ERROR, type(exc).__name__))
        raise
    finally:
        for span in spans:
            span.end()


@contextmanager
def client_span(name: str, **attributes: Any) -> Iterator[None]:
    """A CLIENT span around a call to an outside server (e.g. "smtp send"); errors are recorded."""
    tracer = trace.get_tracer("reservo.client")
    with tracer.start_as_current_span(name, kind=trace.SpanKind.CLIENT, attributes=attributes):
        yield
