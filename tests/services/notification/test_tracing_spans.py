"""OpenTelemetry spans for the relay's publishing and the SMTP send (issue 16): the relay's PRODUCER
span continues the trace of the request that wrote the event; the SMTP CLIENT span names the server and
records a failure. Spans are read from an in-memory exporter in this process."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from reservo.contracts.events.user import UserRegistered
from reservo.platform.mail import SmtpMailer
from tests.conftest import Api
from tests.services.notification.conftest import SmtpServer

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):  # the first test here installs the SDK (once per process)
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    if not getattr(provider, "_reservo_test_exporter", False):
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        provider._reservo_test_exporter = True  # type: ignore[attr-defined]
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_relay_publish_span_continues_the_writers_trace(
    make_api: Callable[..., Any], spans: InMemorySpanExporter
) -> None:
    api: Api = await make_api(["user"])

    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("POST /api/v1/auth/register") as request_span:
        async with api.runtime.uow("user").transaction() as tx:  # what a request handler writes
            event = UserRegistered(id=uuid.uuid4(), email="a@example.com", name="A", method="password")
            tx.publish(event, tenant_id=None)
    await api.settle()  # the relay publishes (in-process bus here; Kafka in the distributed shape)
    published = [s for s in spans.get_finished_spans() if s.name.endswith(" publish")]
    mine = [s for s in published if s.context.trace_id == request_span.get_span_context().trace_id]
    assert len(mine) == 1, [(s.name, s.context.trace_id) for s in published]
    (span,) = mine
    assert span.kind == trace.SpanKind.PRODUCER
    assert span.parent is not None and span.parent.span_id == request_span.get_span_context().span_id
    assert span.attributes is not None and span.attributes["messaging.operation"] == "publish"
    assert "user" in str(span.attributes["messaging.destination.name"])


def _message() -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "shop@example.com", "zoe@example.com", "Hi"
    message.set_content("hello")
    return message


async def test_the_smtp_send_is_a_client_span_and_a_failure_is_recorded(
    smtp: SmtpServer, spans: InMemorySpanExporter
) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp.port, starttls=False, timeout=5)
    await mailer.send(_message(), message_id="m-1")
    assert len(smtp.inbox.messages) == 1
    (sent,) = [s for s in spans.get_finished_spans() if s.name == "smtp send"]
    assert sent.kind == trace.SpanKind.CLIENT and sent.status.is_ok
    assert sent.attributes is not None and sent.attributes["server.port"] == smtp.port
    assert sent.attributes["reservo.message_id"] == "m-1"

    smtp.stop()  # the server is gone: the span says the send failed
    spans.clear()
    with pytest.raises(Exception):  # noqa: B017 (aiosmtplib's connect error or OSError)
        await mailer.send(_message(), message_id="m-2")
    (failed,) = [s for s in spans.get_finished_spans() if s.name == "smtp send"]
    assert failed.status.status_code == trace.StatusCode.ERROR and failed.events  # the exception recorded
